#pragma once

#include "core/config/workspace.h"
#include "core/routing/rehearsal.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QStringList>

namespace Switchyard::Ui {

// The per-target half of a rehearsal scenario, editable: one row per provider/model target a
// route can reach (nested routes included), with its failure rate, failure status, latency,
// time to first token and whether its provider is out of budget.
class RehearsalScenarioModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RehearsalScenarioModel)

public:
    enum class Column {
        Target,
        FailureRate, // percent
        Status,
        Latency,
        Ttft,
        OverBudget,
        Count,
    };

    explicit RehearsalScenarioModel(QObject *parent = nullptr);

    // "provider/model" of every target `routeName` can send to, in chain order, each once.
    static QStringList targetsOf(const Config::Workspace &workspace, const QString &routeName);

    // Rows for these targets; a target already listed keeps its behaviour.
    void setTargets(const QStringList &targets);
    QStringList targets() const;
    Routing::TargetBehaviour behaviour(int row) const { return m_rows.at(row).behaviour; }
    void setBehaviour(int row, const Routing::TargetBehaviour &behaviour);
    // Every target back to the defaults of TargetBehaviour (always answering).
    void resetBehaviours();
    // Adds the targets' behaviours to `scenario`.
    void fillScenario(Routing::RehearsalScenario *scenario) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString target;
        Routing::TargetBehaviour behaviour;
    };

    QList<Row> m_rows;
};

} // namespace Switchyard::Ui
