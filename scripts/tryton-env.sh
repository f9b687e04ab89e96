# Shared settings of the tryton-*.sh scripts (sourced, not run).
# MILLRACE_TRYTON_CACHE  where the initialised template database is cached (default ~/.cache/millrace/tryton)
# MILLRACE_TRYTON_PASSWORD  admin password of the template (a test database; must differ from the login "admin")
TRYTON_CACHE=${MILLRACE_TRYTON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/millrace/tryton}
TRYTON_TEMPLATE=$TRYTON_CACHE/erp.sqlite
TRYTON_PASSWORD=${MILLRACE_TRYTON_PASSWORD:-Admin#Millrace-2026}
TRYTON_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# write_conf DIR PORT: one config file per server (a value in the file wins over TRYTOND_* variables)
write_conf() {
  mkdir -p "$1/db"
  cat > "$1/trytond.conf" <<CONF
[database]
uri = sqlite://
path = $1/db

[web]
listen = 127.0.0.1:$2
root = /nonexistent

[session]
timeout = 3600
CONF
}

# wait_port PORT SECONDS: true once something answers HTTP on the port (GET / is 405 when trytond is ready)
wait_port() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  return 1
}
