#!/usr/bin/env bash
# Starts trytond on 127.0.0.1 with its own data folder, serving database "erp" copied from the cached template.
# Usage: tryton-start.sh DATA_DIR [PORT]   (PORT defaults to a free one; printed as "url=http://127.0.0.1:PORT/erp/")
# The server's pid is DATA_DIR/trytond.pid, its port DATA_DIR/port, its log DATA_DIR/trytond.log.
set -euo pipefail
. "$(dirname "$0")/tryton-env.sh"
dir=${1:?usage: tryton-start.sh DATA_DIR [PORT]}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
port=${2:-$(free_port)}
[ -f "$TRYTON_TEMPLATE" ] || "$TRYTON_SCRIPTS/tryton-init.sh"
write_conf "$dir" "$port"
[ -f "$dir/db/erp.sqlite" ] || cp "$TRYTON_TEMPLATE" "$dir/db/erp.sqlite"
# -d erp loads the database before the port opens, so "port open" means ready
setsid nohup /usr/bin/trytond -c "$dir/trytond.conf" -d erp --pidfile "$dir/trytond.pid" \
  > "$dir/trytond.log" 2>&1 < /dev/null &
if ! wait_port "$port" 60; then
  echo "trytond did not open port $port; log:" >&2; tail -20 "$dir/trytond.log" >&2; exit 1
fi
echo "$port" > "$dir/port"
echo "url=http://127.0.0.1:$port/erp/ database=erp user=admin pid=$(cat "$dir/trytond.pid")"
