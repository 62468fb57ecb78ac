#pragma once

#include "core/catalog/modelinfo.h"

#include <QSortFilterProxyModel>
#include <QString>

#include <optional>

namespace Switchyard::Ui {

// Narrows a ModelIndexModel to what the explorer's filters ask for and sorts by its SortRole:
// numbers as numbers, and rows whose figure is unknown after all others in either direction.
// A row with an unknown figure never passes a filter on that figure: it is not known to fit.
class ModelIndexFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelIndexFilterModel)

public:
    explicit ModelIndexFilterModel(QObject *parent = nullptr);

    // Matches provider id or model id, case-insensitively, anywhere in them.
    QString searchText() const { return m_searchText; }
    void setSearchText(const QString &text);
    // Empty: every provider.
    QString provider() const { return m_provider; }
    void setProvider(const QString &providerId);
    // Empty: any capabilities; otherwise every flag set must be stated.
    Catalog::Capabilities capabilities() const { return m_capabilities; }
    void setCapabilities(Catalog::Capabilities capabilities);
    // USD per million input tokens; nullopt: any price.
    std::optional<double> maxInputPrice() const { return m_maxInputPrice; }
    void setMaxInputPrice(std::optional<double> perMillion);
    // Tokens; 0: any context window.
    qint64 minContextWindow() const { return m_minContextWindow; }
    void setMinContextWindow(qint64 tokens);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_searchText;
    QString m_provider;
    Catalog::Capabilities m_capabilities;
    std::optional<double> m_maxInputPrice;
    qint64 m_minContextWindow = 0;
};

} // namespace Switchyard::Ui
