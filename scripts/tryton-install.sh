#!/usr/bin/env bash
# Installs Tryton 6.0 (Debian 12 packages) for the Tryton connector's tests and the "Run against a real ERP" demo:
# the server plus the production, stock, stock_lot and purchase modules. Idempotent: does nothing when they are there.
# --no-install-recommends keeps apt from pulling PostgreSQL, LibreOffice and WeasyPrint; the lock timeout waits for
# another apt run instead of failing with exit code 100. The packages' postinst does not start a service.
set -euo pipefail
packages=(tryton-server tryton-modules-production tryton-modules-stock tryton-modules-stock-lot
  tryton-modules-product tryton-modules-company tryton-modules-party tryton-modules-currency tryton-modules-purchase)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "tryton: installed ($(dpkg-query -W -f='${Version}' tryton-server))"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "tryton: missing ${missing[*]}; run this script as root" >&2; exit 1; }
echo "tryton: installing ${missing[*]}"
apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "tryton: installed ($(dpkg-query -W -f='${Version}' tryton-server))"
