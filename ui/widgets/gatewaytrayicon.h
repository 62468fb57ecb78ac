#pragma once

#include <QList>
#include <QMenu>
#include <QSystemTrayIcon>

class QAction;

namespace Switchyard::Gateway {
class GatewayService;
}

namespace Switchyard::Ui {

// The notification-area icon: the application icon, greyed while the gateway is stopped, a
// tooltip with the gateway's state, and a menu of the window's actions.
class GatewayTrayIcon final : public QSystemTrayIcon
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayTrayIcon)

public:
    // The actions belong to the caller (the main window) and must outlive the icon.
    GatewayTrayIcon(const Gateway::GatewayService *gateway, const QList<QAction *> &actions, QObject *parent = nullptr);

    // The state shown in the tooltip, e.g. "Gateway running on http://127.0.0.1:4000/v1".
    void setGatewayState(const QString &state);

private:
    void updateIcon();

    const Gateway::GatewayService *m_gateway = nullptr;
    QMenu m_menu;
    QIcon m_appIcon;
};

} // namespace Switchyard::Ui
