#include "app/keyscommand.h"

#include "app/console.h"
#include "core/config/localkey.h"
#include "core/config/workspacestore.h"
#include "core/providers/credentialref.h"
#include "core/secrets/keychain.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Switchyard::App {

KeysCommand::KeysCommand(QObject *parent)
    : QObject(parent)
{
}

bool KeysCommand::start(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Manages provider secrets in the OS keychain and the gateway's local API keys.\n\n"
           "  keys set NAME            store a secret read from standard input\n"
           "  keys list                list stored secret names and local keys\n"
           "  keys delete NAME         remove a secret from the keychain\n"
           "  keys local create NAME   create a local API key (shown once)\n"
           "  keys local list          list local API keys\n"
           "  keys local revoke NAME   revoke a local API key"));
    parser.addHelpOption();
    const QCommandLineOption configOption(u"config"_s, tr("Workspace file to use."), tr("FILE"));
    parser.addOption(configOption);
    parser.addPositionalArgument(u"action"_s, tr("set, list, delete or local"));
    if (!parser.parse(arguments)) {
        Console::err(parser.errorText());
        return false;
    }
    const QStringList words = parser.positionalArguments();
    if (parser.isSet(u"help"_s) || words.isEmpty()) {
        Console::out(parser.helpText());
        if (words.isEmpty() && !parser.isSet(u"help"_s)) {
            return false;
        }
        QMetaObject::invokeMethod(
            this, [this] { finish(0); }, Qt::QueuedConnection);
        return true;
    }
    AppPaths paths = AppPaths::defaults();
    if (parser.isSet(configOption)) {
        paths.workspaceFile = parser.value(configOption);
    }
    m_workspace = new Config::WorkspaceStore(paths.workspaceFile, this);
    if (Status loaded = m_workspace->load(); !loaded) {
        Console::err(loaded.errorMessage());
        return false;
    }
    m_keychain = new Secrets::Keychain(u"switchyard"_s, this);

    const QString action = words.value(0);
    const auto needName = [&](qsizetype index) {
        if (words.size() != index + 1) {
            Console::err(tr("Usage: switchyard keys %1 NAME").arg(words.mid(0, index).join(u' ')));
            return false;
        }
        return true;
    };
    if (action == u"set"_s) {
        return needName(1) && setSecret(words.at(1));
    }
    if (action == u"delete"_s) {
        return needName(1) && deleteSecret(words.at(1));
    }
    if (action == u"list"_s) {
        return listSecrets();
    }
    if (action == u"local"_s) {
        const QString localAction = words.value(1);
        if (localAction == u"create"_s) {
            return needName(2) && createLocalKey(words.at(2));
        }
        if (localAction == u"revoke"_s) {
            return needName(2) && revokeLocalKey(words.at(2));
        }
        if (localAction == u"list"_s) {
            return listLocalKeys();
        }
    }
    Console::err(tr("Unknown keys action \"%1\". See: switchyard keys --help").arg(words.join(u' ')));
    return false;
}

bool KeysCommand::isValidSecretName(const QString &name)
{
    return Providers::CredentialRef::parse(u"keychain:"_s + name).isOk();
}

bool KeysCommand::setSecret(const QString &name)
{
    if (!isValidSecretName(name)) {
        Console::err(tr("\"%1\" is not a valid secret name: use 1-64 letters, digits, '.', '_' or '-'.").arg(name));
        return false;
    }
    if (Console::isInteractive()) {
        Console::err(tr("Secret for %1 (input hidden):").arg(name));
    }
    const QString secret = Console::readLine(true).trimmed();
    if (secret.isEmpty()) {
        Console::err(tr("No secret given on standard input; nothing was stored."));
        return false;
    }
    connect(m_keychain, &Secrets::Keychain::writeFinished, this, [this, name](const QString &, const QString &error) {
        if (!error.isEmpty()) {
            Console::err(error);
            finish(1);
            return;
        }
        Config::Workspace workspace = m_workspace->workspace();
        if (!workspace.secretNames.contains(name)) {
            workspace.secretNames.append(name);
            if (!saveWorkspace(workspace)) {
                finish(1);
                return;
            }
        }
        Console::out(tr("Stored \"%1\" in the keychain. Reference it from a provider as keychain:%1.").arg(name));
        finish(0);
    });
    m_keychain->write(name, secret);
    return true;
}

bool KeysCommand::deleteSecret(const QString &name)
{
    connect(m_keychain, &Secrets::Keychain::removeFinished, this, [this, name](const QString &, const QString &error) {
        Config::Workspace workspace = m_workspace->workspace();
        const bool wasListed = workspace.secretNames.removeAll(name) > 0;
        if (wasListed && !saveWorkspace(workspace)) {
            finish(1);
            return;
        }
        if (!error.isEmpty()) {
            Console::err(error);
            finish(1);
            return;
        }
        Console::out(tr("Deleted \"%1\" from the keychain.").arg(name));
        finish(0);
    });
    m_keychain->remove(name);
    return true;
}

bool KeysCommand::listSecrets()
{
    const Config::Workspace &workspace = m_workspace->workspace();
    QStringList names = workspace.secretNames;
    for (const auto &provider : workspace.providers) {
        if (auto ref = Providers::CredentialRef::parse(provider.credentialRef);
            ref && ref->kind == Providers::CredentialRef::Kind::Keychain && !names.contains(ref->name)) {
            names.append(ref->name);
        }
    }
    names.sort();
    Console::out(tr("Keychain secrets:"));
    if (names.isEmpty()) {
        Console::out(tr("  (none; store one with: switchyard keys set NAME)"));
    }
    for (const QString &name : std::as_const(names)) {
        QStringList users;
        for (const auto &provider : workspace.providers) {
            if (provider.credentialRef == u"keychain:"_s + name) {
                users.append(provider.id);
            }
        }
        Console::out(users.isEmpty() ? u"  "_s + name : tr("  %1 (used by %2)").arg(name, users.join(u", "_s)));
    }
    return listLocalKeys();
}

bool KeysCommand::createLocalKey(const QString &name)
{
    Config::Workspace workspace = m_workspace->workspace();
    if (const QString problem = Config::LocalKey::nameProblem(name, workspace.localKeys); !problem.isEmpty()) {
        Console::err(problem);
        return false;
    }
    auto [record, plaintext] = Config::LocalKey::generate(name);
    workspace.localKeys.append(record);
    if (!saveWorkspace(workspace)) {
        return false;
    }
    Console::out(plaintext);
    Console::err(tr("Created local key \"%1\". It is shown only this once; clients send it as "
                    "\"Authorization: Bearer KEY\".")
                     .arg(name));
    QMetaObject::invokeMethod(
        this, [this] { finish(0); }, Qt::QueuedConnection);
    return true;
}

bool KeysCommand::listLocalKeys()
{
    const Config::Workspace &workspace = m_workspace->workspace();
    Console::out(tr("Local API keys:"));
    if (workspace.localKeys.isEmpty()) {
        Console::out(tr("  (none; create one with: switchyard keys local create NAME)"));
    }
    for (const Config::LocalKey &key : workspace.localKeys) {
        Console::out(tr("  %1  %2  created %3").arg(key.name, key.hint, key.createdAt.toString(Qt::ISODate)));
    }
    QMetaObject::invokeMethod(
        this, [this] { finish(0); }, Qt::QueuedConnection);
    return true;
}

bool KeysCommand::revokeLocalKey(const QString &name)
{
    Config::Workspace workspace = m_workspace->workspace();
    const auto removed = workspace.localKeys.removeIf([&](const Config::LocalKey &key) { return key.name == name; });
    if (removed == 0) {
        Console::err(tr("There is no local key named \"%1\".").arg(name));
        return false;
    }
    if (!saveWorkspace(workspace)) {
        return false;
    }
    Console::out(tr("Revoked local key \"%1\"; clients using it now get 401.").arg(name));
    QMetaObject::invokeMethod(
        this, [this] { finish(0); }, Qt::QueuedConnection);
    return true;
}

bool KeysCommand::saveWorkspace(const Config::Workspace &workspace)
{
    if (Status saved = m_workspace->save(workspace); !saved) {
        Console::err(saved.errorMessage());
        return false;
    }
    return true;
}

void KeysCommand::finish(int exitCode)
{
    QCoreApplication::exit(exitCode);
}

} // namespace Switchyard::App
