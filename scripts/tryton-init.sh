#!/usr/bin/env bash
# Builds the cached template database once: trytond-admin creates a SQLite database with production, stock_lot and
# purchase activated (15 modules with their dependencies, ~15 s), a throw-away server seeds it with the Acme master
# data (tryton-seed.py), and the SQLite backup API copies it to $MILLRACE_TRYTON_CACHE/erp.sqlite. Tests and
# tryton-start.sh copy that file (0.01 s) instead of initialising again. --force rebuilds an existing template.
set -euo pipefail
. "$(dirname "$0")/tryton-env.sh"
if [ -f "$TRYTON_TEMPLATE" ] && [ "${1:-}" != --force ]; then echo "tryton: template $TRYTON_TEMPLATE"; exit 0; fi
command -v /usr/bin/trytond-admin >/dev/null || { echo "tryton: not installed (run scripts/tryton-install.sh)" >&2; exit 1; }
mkdir -p "$TRYTON_CACHE"
work=$(mktemp -d "$TRYTON_CACHE/init.XXXXXX")
trap 'if [ -f "$work/trytond.pid" ]; then "$TRYTON_SCRIPTS/tryton-stop.sh" "$work" >/dev/null; fi; rm -rf "$work"' EXIT
port=$(free_port)
write_conf "$work" "$port"
: > "$work/db/erp.sqlite"                     # the SQLite backend opens an existing file only
printf '%s\n' "$TRYTON_PASSWORD" > "$work/admin.pass"
started=$(date +%s)
# --email: without it trytond-admin asks on stdin; TRYTONPASSFILE: without it, getpass
if ! TRYTONPASSFILE=$work/admin.pass /usr/bin/trytond-admin -c "$work/trytond.conf" -d erp \
    -u production stock_lot purchase --activate-dependencies --email admin@example.com > "$work/init.log" 2>&1; then
  tail -30 "$work/init.log" >&2; exit 1
fi
setsid nohup /usr/bin/trytond -c "$work/trytond.conf" -d erp --pidfile "$work/trytond.pid" > "$work/trytond.log" 2>&1 < /dev/null &
echo "$port" > "$work/port"
wait_port "$port" 60 || { tail -20 "$work/trytond.log" >&2; exit 1; }
/usr/bin/python3 "$TRYTON_SCRIPTS/tryton-seed.py" "http://127.0.0.1:$port/erp/" "$TRYTON_PASSWORD" > "$work/seed.json"
"$TRYTON_SCRIPTS/tryton-stop.sh" "$work" >/dev/null
/usr/bin/python3 - "$work/db/erp.sqlite" "$TRYTON_TEMPLATE.tmp" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst); dst.close(); src.close()
PY
mv "$TRYTON_TEMPLATE.tmp" "$TRYTON_TEMPLATE"
cp "$work/seed.json" "$TRYTON_CACHE/seed.json"
echo "tryton: template $TRYTON_TEMPLATE built in $(( $(date +%s) - started )) s"
