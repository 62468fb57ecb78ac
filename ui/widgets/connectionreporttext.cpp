#include "ui/widgets/connectionreporttext.h"

#include "ui/widgets/inlinemessage.h"

#include <QLocale>

namespace Switchyard::Ui {

QString ConnectionReportText::text(const Catalog::ConnectionReport &report)
{
    if (report.succeeded) {
        return tr("Connected: %n model(s) listed in %1 ms.", nullptr, report.modelCount)
            .arg(QLocale().toString(report.latencyMs));
    }
    QString headline;
    switch (report.failure) {
    case Catalog::ModelDiscovery::FailureKind::NoKey:
        headline = tr("No API key");
        break;
    case Catalog::ModelDiscovery::FailureKind::KeyRejected:
        headline = tr("Wrong API key");
        break;
    case Catalog::ModelDiscovery::FailureKind::Unreachable:
        headline = tr("Unreachable");
        break;
    case Catalog::ModelDiscovery::FailureKind::Timeout:
        headline = tr("No answer in time");
        break;
    case Catalog::ModelDiscovery::FailureKind::Tls:
        headline = tr("TLS error");
        break;
    case Catalog::ModelDiscovery::FailureKind::HttpError:
        headline = tr("The provider refused the request");
        break;
    case Catalog::ModelDiscovery::FailureKind::InvalidAnswer:
        headline = tr("Unexpected answer");
        break;
    }
    return tr("%1: %2").arg(headline, report.message);
}

void ConnectionReportText::show(InlineMessage *label, const Catalog::ConnectionReport &report)
{
    if (report.succeeded) {
        label->showInfo(text(report));
    } else {
        label->showError(text(report));
    }
}

} // namespace Switchyard::Ui
