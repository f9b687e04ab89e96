#!/usr/bin/env bash
# Stops the trytond that tryton-start.sh started in DATA_DIR (by its pid) and waits until its port is closed.
# trytond leaves its pidfile behind and may linger as a zombie, so the port, not the pid, says it is gone.
set -euo pipefail
. "$(dirname "$0")/tryton-env.sh"
dir=${1:?usage: tryton-stop.sh DATA_DIR}
[ -f "$dir/trytond.pid" ] || { echo "no trytond.pid in $dir"; exit 0; }
pid=$(cat "$dir/trytond.pid"); port=$(cat "$dir/port" 2>/dev/null || echo 0)
kill "$pid" 2>/dev/null || true
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" || break
  sleep 0.1
done
rm -f "$dir/trytond.pid"
echo "trytond $pid stopped"
