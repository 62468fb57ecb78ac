#include "uitestservices.h"

#include "core/config/workspacestore.h"
#include "core/gateway/gatewayruntime.h"
#include "core/ledger/ledger.h"
#include "core/pricing/pricecatalog.h"
#include "core/secrets/keychain.h"
#include "ui/mainwindow.h"

#include <QCoreApplication>
#include <QDir>
#include <QPixmap>
#include <QTest>
#include <QUuid>
#include <QWidget>

using namespace Qt::StringLiterals;
using namespace Switchyard;

UiTestServices::UiTestServices()
    : m_keychainService(u"switchyard-uitest-"_s + QUuid::createUuid().toString(QUuid::Id128))
{
}

UiTestServices::~UiTestServices()
{
    runtime.reset();
    if (ledger) {
        ledger->close();
    }
}

bool UiTestServices::setUp()
{
    if (!m_dir.isValid()) {
        return false;
    }
    store = std::make_unique<Config::WorkspaceStore>(workspacePath());
    ledger = std::make_unique<Ledger::Ledger>(ledgerPath());
    if (!ledger->open()) {
        return false;
    }
    keychain = std::make_unique<Secrets::Keychain>(m_keychainService);
    auto catalog = Pricing::PriceCatalog::loadBundled();
    runtime = std::make_unique<Gateway::GatewayRuntime>(
        store.get(), ledger.get(), catalog ? catalog.value() : Pricing::PriceCatalog(), keychain.get());
    return store->load().isOk();
}

std::unique_ptr<Ui::MainWindow> UiTestServices::createWindow() const
{
    return std::make_unique<Ui::MainWindow>(store.get(), keychain.get(), runtime.get(), ledger.get(), ledgerPath());
}

QString UiTestServices::ledgerPath() const
{
    return m_dir.filePath(u"data/ledger.sqlite"_s);
}

QString UiTestServices::workspacePath() const
{
    return m_dir.filePath(u"workspace.json"_s);
}

bool UiTestServices::saveScreenshot(QWidget *window, const QString &name)
{
    window->resize(1280, 800);
    window->show();
    if (!QTest::qWaitForWindowExposed(window)) {
        return false;
    }
    const QDir dir(QCoreApplication::applicationDirPath() + u"/screenshots"_s);
    return dir.mkpath(u"."_s) && window->grab().save(dir.filePath(name + u".png"_s));
}
