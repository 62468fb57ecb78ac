#pragma once

#include "core/pricing/pricecatalog.h"
#include "core/providers/providerprofile.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Switchyard::Catalog {
class ModelDiscovery;
}

namespace Switchyard::App {

// `switchyard models [--provider ID] [--json] [--config FILE] [--data-dir DIR]`: fetches the live
// model lists of the configured providers and prints one row per provider and model with limits,
// prices (and their source), capabilities and whether the provider lists it. A provider that cannot
// be listed is reported and shown from its last cached list and its profile; the others still print.
class ModelsCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelsCommand)

public:
    explicit ModelsCommand(QObject *parent = nullptr);
    ~ModelsCommand() override;

    // Returns false after printing why when the command cannot run; otherwise the event loop
    // runs until the command calls QCoreApplication::exit().
    bool start(const QStringList &arguments);

private:
    void handleDone(const QString &providerId);
    void handleFailed(const QString &providerId, const QString &message);
    void print();
    void finish(int exitCode);

    QList<Providers::ProviderProfile> m_providers;
    Pricing::PriceCatalog m_catalog;
    Catalog::ModelDiscovery *m_discovery = nullptr;
    QSet<QString> m_pending;
    QList<std::pair<QString, QString>> m_failures; // provider id, message
    bool m_json = false;
};

} // namespace Switchyard::App
