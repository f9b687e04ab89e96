#!/usr/bin/env bash
# End-to-end HTTP ingest load run: a real `millrace run` hub (Release) on a free loopback port, the load tool
# posting 500-sample batches at it for a bounded time. Usage: bench/ingest-load.sh [seconds] [concurrency] [--rate N] [--fresh]
# HUB_ENV (e.g. HUB_ENV="DOTNET_GCgen0size=0x400000") sets environment variables for the hub only.
# HUB_CPUS / LOAD_CPUS (taskset CPU lists, e.g. HUB_CPUS=0 LOAD_CPUS=1) pin the hub and the load tool apart.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}; concurrency=${2:-8}
dotnet build -c Release src/Millrace.Cli -v q -nologo >/dev/null
dotnet build -c Release bench/Millrace.IngestLoad -v q -nologo >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
data=$(mktemp -d)
hub_pin=(); [ -n "${HUB_CPUS:-}" ] && hub_pin=(taskset -c "$HUB_CPUS")
load_pin=(); [ -n "${LOAD_CPUS:-}" ] && load_pin=(taskset -c "$LOAD_CPUS")
"${hub_pin[@]}" env ${HUB_ENV:-} dotnet src/Millrace.Cli/bin/Release/net10.0/millrace.dll run --url "http://127.0.0.1:$port" --mqtt-port 0 --data "$data" >"$data/hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
"${load_pin[@]}" dotnet bench/Millrace.IngestLoad/bin/Release/net10.0/Millrace.IngestLoad.dll --url "http://127.0.0.1:$port" --seconds "$seconds" --concurrency "$concurrency" "${@:3}"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "hub resident memory at the end: $(ps -o rss= -p $hub | awk '{printf "%.0f MiB", $1/1024}')"
