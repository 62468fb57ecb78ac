#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace Switchyard::Config {
struct Workspace;
}

namespace Switchyard::Workbench {

// Something the window can send a request to: a route, or one provider's model.
struct ChatTarget
{
    enum class Kind {
        Route,
        Model,
    };

    Kind kind = Kind::Model;
    QString name; // the route name, or "provider/model": the request's `model`

    // The workspace's routes in their order, then provider by provider every model it names for
    // that provider: the provider's model list first, then models only its routes mention.
    static QList<ChatTarget> listFrom(const Config::Workspace &workspace);

    friend bool operator==(const ChatTarget &, const ChatTarget &) = default;
};

} // namespace Switchyard::Workbench

Q_DECLARE_METATYPE(Switchyard::Workbench::ChatTarget)
