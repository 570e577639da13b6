#!/usr/bin/env bash
# Haven's whole test suite, as the README's second command:
#   1. installs what the tests need when it is missing (Debian's chromium and coturn, tc and nft
#      for the weak-link test, a PostgreSQL server if none answers, the npm lockfile);
#   2. checks style (rustfmt, clippy -D warnings, module layering);
#   3. runs the Rust unit and integration tests (storage on SQLite and PostgreSQL), then the API
#      contract run (schemathesis against /api/openapi.json);
#   4. runs the browser tests in real Chromium inside a loopback-only network namespace.
# It fails, never skips, when PostgreSQL or Chromium can't be set up.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

say "checking what the tests need"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v turnserver >/dev/null || missing+=(coturn)
command -v unshare >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
command -v ip >/dev/null || missing+=(iproute2)
command -v tc >/dev/null || missing+=(iproute2)
command -v nft >/dev/null || missing+=(nftables)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v pg_isready >/dev/null || missing+=(postgresql-client)
/usr/bin/python3 -c 'import icalendar' 2>/dev/null || missing+=(python3-icalendar)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_install "${missing[@]}"
fi
command -v chromium >/dev/null || { echo "Chromium could not be installed" >&2; exit 1; }
command -v turnserver >/dev/null || { echo "coturn (for the relay tests) could not be installed" >&2; exit 1; }

# PostgreSQL: the project's machines run one at 127.0.0.1:5432 (user postgres, trust).
# HAVEN_TEST_DATABASE_URL points the tests elsewhere.
if [ -z "${HAVEN_TEST_DATABASE_URL:-}" ] && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "no PostgreSQL answers on 127.0.0.1:5432: starting one"
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Local test server only: trust connections from this machine.
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if [ -z "${HAVEN_TEST_DATABASE_URL:-}" ]; then
  pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL could not be set up" >&2; exit 1; }
fi

if [ ! -d browser/node_modules ] || [ browser/package-lock.json -nt browser/node_modules/.package-lock.json ]; then
  say "installing the browser tests' npm lockfile"
  (cd browser && npm ci --no-audit --no-fund --loglevel=error)
fi

# schemathesis (PyPI), pinned, for the API contract run: in a virtual environment of its own.
schemathesis_version=4.32.5
if ! target/schemathesis/bin/schemathesis --version 2>/dev/null | grep -q "$schemathesis_version"; then
  say "installing schemathesis $schemathesis_version for the API contract run"
  rm -rf target/schemathesis
  mkdir -p target
  if ! python3 -m venv target/schemathesis 2>/dev/null; then
    apt_install python3-venv
    rm -rf target/schemathesis
    /usr/bin/python3 -m venv target/schemathesis
  fi
  target/schemathesis/bin/pip install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

say "style: rustfmt, clippy with warnings denied, no import cycles between modules"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
python3 scripts/check-layers.py

say "Rust tests (SQLite and PostgreSQL)"
cargo test --workspace --locked

say "API contract: schemathesis against /api/openapi.json as a patient and a clinician"
test -x target/debug/haven
unshare -n sh -c 'ip link set lo up && exec scripts/api/contract.sh'

say "browser tests (Chromium, loopback-only network namespace)"
# Built by the step above; nothing inside the namespace can reach a registry.
test -x target/debug/haven
# The two-instance visit test needs an empty PostgreSQL database, reached from inside the
# namespace through a bridge on a Unix socket (browser/pg-bridge.mjs).
pg_admin="${HAVEN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_host=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(p.hostname or "127.0.0.1", p.port or 5432)' "$pg_admin")
browser_db="haven_browser_$$"
psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $browser_db" -c "CREATE DATABASE $browser_db"
bridge_socket="$(mktemp -u /tmp/haven-pg-bridge.XXXXXX)"
# shellcheck disable=SC2086
node browser/pg-bridge.mjs "$bridge_socket" $pg_host >/dev/null &
bridge_pid=$!
cleanup() {
  kill "$bridge_pid" 2>/dev/null || true
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $browser_db" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 1 50); do [ -S "$bridge_socket" ] && break; sleep 0.1; done
# The same user and password, through the bridge's end inside the namespace.
browser_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); who = p.netloc.rpartition("@")[0] or "postgres"; print(f"postgres://{who}@127.0.0.1:5432/{sys.argv[2]}")' "$pg_admin" "$browser_db")
BROWSER_PG_URL="$browser_url" BROWSER_PG_BRIDGE="$bridge_socket" \
  unshare -n sh -c 'ip link set lo up && cd browser && exec node --test --test-concurrency=1 tests/'
