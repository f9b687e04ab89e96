#!/usr/bin/env bash
# Tryton connector load run: a fresh trytond (template copy, free loopback port), the load tool confirming production
# orders through the connector and with raw JSON-RPC, then the server stopped. Usage: bench/tryton-load.sh [orders] [block]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Millrace.TrytonLoad -v q -nologo >/dev/null
data=$(mktemp -d)
trap 'scripts/tryton-stop.sh "$data" >/dev/null; rm -rf "$data"' EXIT
scripts/tryton-start.sh "$data" >/dev/null
dotnet bench/Millrace.TrytonLoad/bin/Release/net10.0/Millrace.TrytonLoad.dll --url "http://127.0.0.1:$(cat "$data/port")" \
  --orders "${1:-60}" --block "${2:-10}"
