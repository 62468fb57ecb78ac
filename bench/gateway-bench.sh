#!/usr/bin/env bash
# Runs the shared gateway benchmark (../shared/bench/gateway-bench.sh) with `switchyard serve`
# as the contender, next to direct, nginx-as-proxy and Portkey, and prints its table.
# Extra arguments go to the harness, e.g.: bench/gateway-bench.sh --quick
# BENCH_ROUTE_TARGETS=3 makes the benchmarked route a 3-target fallback chain (the first target
# answers), to measure what the router itself adds per request.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
harness="${GATEWAY_BENCH:-$repo/../shared/bench/gateway-bench.sh}"
if [ ! -x "$harness" ]; then
    echo "bench: the shared harness is not at $harness (set GATEWAY_BENCH)" >&2
    exit 2
fi

build="${BENCH_BUILD_DIR:-$repo/build-bench}"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target switchyard >/dev/null
switchyard="$build/app/switchyard"

work="$(mktemp -d /tmp/switchyard-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# One local key for both modes; each mode's workspace differs only in the upstream URL.
python3 - "$work/template.json" "${BENCH_ROUTE_TARGETS:-1}" <<'PY'
import json, sys
targets = ["bench/gpt-4o-mini"] + ["bench/gpt-4o-mini-fallback-%d" % i for i in range(1, int(sys.argv[2]))]
json.dump({"version": 2,
           "providers": [{"id": "bench", "preset": "custom", "baseUrl": "http://127.0.0.1:1/v1",
                          "credentialRef": "env:BENCH_PROVIDER_KEY", "models": ["gpt-4o-mini"]}],
           "routes": [{"name": "gpt-4o-mini", "targets": targets}]},
          open(sys.argv[1], "w"))
PY
key="$("$switchyard" keys local create bench --config "$work/template.json" 2>/dev/null)"

cat > "$work/serve.sh" <<SH
#!/usr/bin/env bash
# Started by the harness once per mode with BENCH_UPSTREAM_URL and BENCH_GATEWAY_PORT set.
set -euo pipefail
python3 - "$work/template.json" "$work/workspace-\$BENCH_MODE.json" "\$BENCH_UPSTREAM_URL" <<'PY'
import json, sys
workspace = json.load(open(sys.argv[1]))
workspace["providers"][0]["baseUrl"] = sys.argv[3]
json.dump(workspace, open(sys.argv[2], "w"))
PY
export BENCH_PROVIDER_KEY=sk-bench-upstream
exec "$switchyard" serve --config "$work/workspace-\$BENCH_MODE.json" \
    --listen "127.0.0.1:\$BENCH_GATEWAY_PORT" --data-dir "$work/data-\$BENCH_MODE"
SH
chmod +x "$work/serve.sh"

GATEWAY_CMD="exec $work/serve.sh" GATEWAY_NAME=switchyard \
    "$harness" --gateway-header "Authorization: Bearer $key" "$@"
