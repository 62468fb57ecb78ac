#pragma once

#include "core/pricing/pricecatalog.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace Switchyard::Config {
struct Workspace;
}
namespace Switchyard::Catalog {
class PriceRefresh;
}

namespace Switchyard::App {

// `switchyard prices`: refresh the user price layer from OpenRouter's public model list
// (`prices refresh [--source-url URL] [--data-dir DIR]`), or show every price known for a model
// with its source and date and which one is in effect (`prices show MODEL [--provider ID]`).
class PricesCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PricesCommand)

public:
    explicit PricesCommand(QObject *parent = nullptr);

    // Returns false after printing why when the command cannot run; otherwise the event loop
    // runs until the command calls QCoreApplication::exit().
    bool start(const QStringList &arguments);

    // What the gateway prices with: the bundled catalog, the user price layer in dataDir over it,
    // the workspace's overrides over both. Adds one line to problems for a part that could not be
    // used; the rest still applies.
    static Pricing::PriceCatalog effectiveCatalog(
        const QString &dataDir, const Config::Workspace &workspace, QStringList *problems);

private:
    bool refresh(const QString &sourceUrl, const QString &dataDir);
    int show(const QString &model, const QString &providerId, const QString &configFile, const QString &dataDir);
    void finish(int exitCode);

    Catalog::PriceRefresh *m_refresh = nullptr;
};

} // namespace Switchyard::App
