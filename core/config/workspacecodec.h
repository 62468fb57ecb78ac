#pragma once

#include "core/config/workspace.h"
#include "core/model/result.h"

#include <QByteArray>

namespace Switchyard::Config {

// Reads and writes workspace.json. Failure messages name the field path and what is wrong,
// e.g. `providers[1].baseUrl: "ftp://x" is not an http or https URL`, and report only the first
// problem found.
//
// Unknown members at the top level of a same-version document are kept in
// Workspace::unknownFields and written back, so a file touched by a build that knows more
// fields does not lose them. Unknown members inside providers, routes (and their targets, retry
// and breaker), localKeys, gateway, budgets and limits are rejected: there they are almost always
// typos (e.g. "credentialref") that would otherwise silently change behaviour.
//
// Version 2 added route strategies, target objects (weight, timeouts, retries, params, nested
// routes), fallback conditions, retry and breaker policies, deadlines, budgets, rate limits and
// unpricedCostPerMillionTokens. A version 1 document (routes of "provider/model" strings) is a
// valid version 2 document apart from its version number: it reads as is and is written back as
// version 2.
class WorkspaceCodec
{
public:
    static constexpr int CurrentVersion = 2;

    // Normalises as it reads: base URLs lose a trailing '/', sha256 digests become lowercase.
    static Result<Workspace> fromJson(const QByteArray &json);
    // Indented, keys in alphabetical order (stable across saves), always CurrentVersion. Compact:
    // a target with only provider and model as "provider/model", route members at their default
    // left out.
    static QByteArray toJson(const Workspace &workspace);
    // The checks fromJson applies, for a workspace built in memory.
    static Status validate(const Workspace &workspace);
};

} // namespace Switchyard::Config
