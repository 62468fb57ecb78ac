#pragma once

#include "core/catalog/connectionreport.h"

#include <QCoreApplication>
#include <QString>

namespace Switchyard::Ui {

class InlineMessage;

// How the Providers page and the provider dialog word a connection test's outcome: what went
// wrong first (wrong key, unreachable, TLS…), then the details and what to do.
class ConnectionReportText
{
    Q_DECLARE_TR_FUNCTIONS(Switchyard::Ui::ConnectionReportText)

public:
    static QString text(const Catalog::ConnectionReport &report);
    // As info on success, as an error otherwise.
    static void show(InlineMessage *label, const Catalog::ConnectionReport &report);
};

} // namespace Switchyard::Ui
