#include "core/catalog/pricelayer.h"
#include "core/catalog/pricerefresh.h"
#include "tests/support/fakecatalogserver.h"
#include "tests/support/fixtures.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Switchyard;
using namespace Switchyard::Catalog;
using Testing::FakeCatalogServer;
using Format = FakeCatalogServer::Format;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestPriceRefresh : public QObject
{
    Q_OBJECT

private:
    // Runs one refresh to its end; returns the failure message, empty on success.
    QString refresh(PriceRefresh &refresher, int *priceCount = nullptr)
    {
        QSignalSpy finished(&refresher, &PriceRefresh::finished);
        QSignalSpy failed(&refresher, &PriceRefresh::failed);
        refresher.start();
        if (!QTest::qWaitFor([&] { return finished.size() + failed.size() > 0; }, 20000)) {
            return u"no answer"_s;
        }
        if (priceCount != nullptr && !finished.isEmpty()) {
            *priceCount = finished.constFirst().at(0).toInt();
        }
        return failed.isEmpty() ? QString() : failed.constFirst().at(0).toString();
    }

    std::unique_ptr<FakeCatalogServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dataDir;

private slots:
    void init()
    {
        m_server = std::make_unique<FakeCatalogServer>();
        QVERIFY(m_server->start());
        m_server->setPages(Format::OpenRouter, {Testing::readFixture(u"catalog"_s, u"openrouter-models.json"_s)});
        m_dataDir = std::make_unique<QTemporaryDir>();
    }

    void cleanup()
    {
        m_server.reset();
        m_dataDir.reset();
    }

    void writesTheLayer()
    {
        const QString path = PriceLayer::filePathIn(m_dataDir->filePath(u"switchyard"_s));
        PriceRefresh refresher(path);
        QCOMPARE(PriceRefresh::defaultSourceUrl(), QUrl(u"https://openrouter.ai/api/v1/models"_s));
        refresher.setSourceUrl(m_server->openRouterModelsUrl());
        int count = 0;
        QCOMPARE(refresh(refresher, &count), QString());
        QCOMPARE(count, 7);
        QVERIFY(!refresher.isRunning());
        QCOMPARE(m_server->requests().constFirst().header("authorization"), QByteArray()); // a public list

        const auto layer = PriceLayer::load(path);
        QVERIFY2(layer.isOk(), qPrintable(layer.errorMessage()));
        QCOMPARE(layer->size(), 7);
        QCOMPARE(layer->sourceUrl(), m_server->openRouterModelsUrl());
        const QString today = QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate);
        QCOMPARE(layer->sourceLabel(), u"openrouter "_s + today);

        auto catalog = Pricing::PriceCatalog::loadBundled();
        QVERIFY(catalog.isOk());
        layer->applyTo(catalog.value());
        const auto claude = catalog->find(QString(), u"claude-sonnet-4-6"_s);
        QVERIFY(claude);
        QCOMPARE(claude->outputPerToken, 1.5e-05);
        QCOMPARE(claude->source, u"openrouter "_s + today);
        QCOMPARE(catalog->find(QString(), u"gpt-4o"_s)->source, u"litellm 2025-11-21"_s);
    }

    void failureKeepsThePreviousLayer_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("down");
        QTest::addColumn<bool>("hang");
        QTest::addColumn<QString>("expectedMessagePart");

        QTest::newRow("server error") << 502 << R"({"error":{"code":502,"message":"Upstream error"}})"_ba << false
                                      << false << u"answered HTTP 502 (“Upstream error”)"_s;
        QTest::newRow("not json") << 200 << "<html>maintenance</html>"_ba << false << false << u"not JSON"_s;
        QTest::newRow("nothing priced") << 200 << R"({"data":[{"id":"openrouter/auto"}]})"_ba << false << false
                                        << u"states no model's price"_s;
        QTest::newRow("unreachable") << 0 << QByteArray() << true << false << u"Could not reach"_s;
        QTest::newRow("timeout") << 0 << QByteArray() << false << true << u"took longer than 0.3 s"_s;
    }

    void failureKeepsThePreviousLayer()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, down);
        QFETCH(bool, hang);
        QFETCH(QString, expectedMessagePart);

        const QString path = PriceLayer::filePathIn(m_dataDir->path());
        PriceRefresh refresher(path);
        refresher.setSourceUrl(m_server->openRouterModelsUrl());
        QCOMPARE(refresh(refresher), QString());
        const QByteArray before = readAll(path);
        QVERIFY(!before.isEmpty());

        if (status == 200) {
            m_server->setPages(Format::OpenRouter, {body});
        } else if (status != 0) {
            m_server->setFailure(Format::OpenRouter, status, body);
        }
        m_server->setHang(Format::OpenRouter, hang);
        refresher.setTimeout(std::chrono::milliseconds(300));
        if (down) {
            m_server->stop();
        }
        const QString message = refresh(refresher);
        QVERIFY2(message.contains(expectedMessagePart), qPrintable(message));
        QVERIFY2(message.contains(u"previous prices stay in use"_s), qPrintable(message));
        QCOMPARE(readAll(path), before);
    }

    void secondStartWhileRunningIsIgnored()
    {
        PriceRefresh refresher(PriceLayer::filePathIn(m_dataDir->path()));
        refresher.setSourceUrl(m_server->openRouterModelsUrl());
        QSignalSpy finished(&refresher, &PriceRefresh::finished);
        refresher.start();
        QVERIFY(refresher.isRunning());
        refresher.start();
        QVERIFY(finished.wait());
        QCOMPARE(m_server->requests().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPriceRefresh)
#include "tst_pricerefresh.moc"
