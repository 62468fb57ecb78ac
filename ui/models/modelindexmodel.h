#pragma once

#include "core/catalog/modelindexrow.h"
#include "ui/models/keyedtablemodel.h"

#include <QList>

namespace Switchyard::Ui {

// The rows of a Catalog::ModelIndex, one model of one provider each. Unknown figures read "—"
// and have no SortRole value, so that they are never shown or compared as 0.
class ModelIndexModel final : public KeyedTableModel<Catalog::ModelIndexRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelIndexModel)

public:
    enum class Column {
        Provider,
        Model,
        Context,
        MaxOutput,
        Input,
        CachedInput,
        Output,
        Capabilities,
        Count,
    };

    enum Role {
        SortRole = Qt::UserRole, // qint64 tokens, double USD or text; invalid when unknown
        TargetRole, // "provider/model", as the gateway and Playground name it
        ProviderRole,
        CapabilitiesRole, // Catalog::Capabilities as int
    };

    explicit ModelIndexModel(QObject *parent = nullptr);

    void setIndexRows(const QList<Catalog::ModelIndexRow> &rows) { setRows(rows); }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "—": what a cell shows for a figure no source states.
    static QString unknownText();
    // "$2.50", "$0.075", "free"
    static QString priceText(double perMillion);
    // "128K", "1M", "200K", "8,192" below a thousand multiple
    static QString tokensText(qint64 tokens);

private:
    QString keyOf(const Catalog::ModelIndexRow &row) const override;
    QVariant displayData(const Catalog::ModelIndexRow &row, Column column) const;
    QVariant sortData(const Catalog::ModelIndexRow &row, Column column) const;
    QString toolTip(const Catalog::ModelIndexRow &row, Column column) const;
};

} // namespace Switchyard::Ui
