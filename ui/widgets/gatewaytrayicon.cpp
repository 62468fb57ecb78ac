#include "ui/widgets/gatewaytrayicon.h"

#include "core/gateway/gatewayservice.h"

#include <QAction>
#include <QApplication>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

namespace {

QIcon applicationIcon()
{
    // Installed with the package into the hicolor theme; a generic icon when running from the build.
    QIcon icon = QIcon::fromTheme(u"switchyard"_s);
    if (icon.isNull()) {
        icon = QApplication::windowIcon();
    }
    if (icon.isNull()) {
        icon = QApplication::style()->standardIcon(QStyle::SP_DriveNetIcon);
    }
    return icon;
}

} // namespace

GatewayTrayIcon::GatewayTrayIcon(
    const Gateway::GatewayService *gateway, const QList<QAction *> &actions, QObject *parent)
    : QSystemTrayIcon(parent)
    , m_gateway(gateway)
    , m_appIcon(applicationIcon())
{
    for (QAction *action : actions) {
        if (action == nullptr) {
            m_menu.addSeparator();
        } else {
            m_menu.addAction(action);
        }
    }
    setContextMenu(&m_menu);
    connect(m_gateway, &Gateway::GatewayService::runningChanged, this, &GatewayTrayIcon::updateIcon);
    updateIcon();
}

void GatewayTrayIcon::setGatewayState(const QString &state)
{
    setToolTip(tr("Switchyard: %1").arg(state));
}

void GatewayTrayIcon::updateIcon()
{
    if (m_gateway->isRunning()) {
        setIcon(m_appIcon);
        return;
    }
    // The style's disabled rendering of the same icon, so no colour is chosen here.
    QIcon stopped;
    for (const int extent : {16, 22, 24, 32, 48, 64}) {
        stopped.addPixmap(m_appIcon.pixmap(QSize(extent, extent), QIcon::Disabled));
    }
    setIcon(stopped);
}

} // namespace Switchyard::Ui
