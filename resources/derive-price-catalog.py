#!/usr/bin/env python3
"""Derives resources/prices/model-prices.json from LiteLLM's model_prices_and_context_window.json.

The bundled catalog keeps only what Switchyard prices and routes on, so the embedded resource stays
small and the C++ side never meets LiteLLM's odd entries (sample_spec, image/audio/rerank modes,
models billed per second or per request). Run it again after refreshing shared/data and commit the
output; the build itself needs neither python nor network.

Usage: derive-price-catalog.py [--input FILE] [--output FILE] [--source-date D] [--source-commit C]
"""

import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_INPUT = os.path.join(HERE, "..", "..", "shared", "data", "model_prices_and_context_window.json")
DEFAULT_OUTPUT = os.path.join(HERE, "prices", "model-prices.json")

MODES = {"chat", "completion", "responses", "embedding"}
STRING_FIELDS = ["litellm_provider", "mode"]
PRICE_FIELDS = [
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "output_cost_per_reasoning_token",
]
LIMIT_FIELDS = ["max_input_tokens", "max_output_tokens"]
FLAG_FIELDS = [
    "supports_function_calling",
    "supports_vision",
    "supports_reasoning",
    "supports_prompt_caching",
]


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def derive_entry(entry):
    """Returns the compact entry, or None when the model is left out."""
    mode = entry.get("mode")
    if mode not in MODES:
        return None
    # Models without a per-token input price are billed some other way; leaving them out makes
    # their cost "unknown" instead of a silent $0.
    if not is_number(entry.get("input_cost_per_token")):
        return None
    if mode != "embedding" and not is_number(entry.get("output_cost_per_token")):
        return None
    out = {}
    for field in STRING_FIELDS:
        if isinstance(entry.get(field), str):
            out[field] = entry[field]
    for field in PRICE_FIELDS:
        if is_number(entry.get(field)):
            out[field] = entry[field]
    for field in LIMIT_FIELDS:
        # A few limits are written as floats ("2000000.0"); store whole numbers.
        if is_number(entry.get(field)):
            out[field] = int(entry[field])
    for field in FLAG_FIELDS:
        if isinstance(entry.get(field), bool):
            out[field] = entry[field]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=DEFAULT_INPUT)
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    parser.add_argument("--source-date", default="2025-11-21")
    parser.add_argument("--source-commit", default="caddc6dd0fc26931b3fcc4e91e81a3d90080f3ef")
    args = parser.parse_args()

    with open(args.input, "rb") as f:
        raw = f.read()
    source = json.loads(raw)
    if not isinstance(source, dict):
        sys.exit("%s: expected a JSON object at the top level" % args.input)

    models = {}
    skipped = 0
    for key in sorted(source):
        if key == "sample_spec" or not isinstance(source[key], dict):
            continue
        entry = derive_entry(source[key])
        if entry is None:
            skipped += 1
            continue
        models[key] = entry

    # One model per line keeps refresh diffs reviewable while the file stays compact.
    header = {"source": "litellm", "sourceDate": args.source_date, "sourceCommit": args.source_commit}
    lines = [json.dumps(header, separators=(",", ":"))[:-1] + ',"models":{']
    items = [json.dumps(k) + ":" + json.dumps(v, separators=(",", ":"), sort_keys=True) for k, v in models.items()]
    lines.append(",\n".join(items))
    lines.append("}}")
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")

    print(
        "input sha256 %s; kept %d models, skipped %d; wrote %s"
        % (hashlib.sha256(raw).hexdigest(), len(models), skipped, os.path.relpath(args.output))
    )


if __name__ == "__main__":
    main()
