#!/usr/bin/env bash
# Builds a configuration folder for running the hub against a real Tryton: samples/acme with the ERP connector and the
# production-completion workflow of samples/tryton. Usage: scripts/tryton-demo-config.sh OUT_DIR TRYTON_URL
set -euo pipefail
out=${1:?usage: tryton-demo-config.sh OUT_DIR TRYTON_URL}; url=${2:?usage: tryton-demo-config.sh OUT_DIR TRYTON_URL}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rm -rf "$out" && mkdir -p "$out"
cp -r "$root/samples/acme/." "$out/"
sed "s#url: http://127.0.0.1:8000#url: $url#" "$root/samples/tryton/connectors.yaml" > "$out/connectors.yaml"
cp "$root/samples/tryton/workflows.yaml" "$out/workflows.yaml"
echo "$out"
