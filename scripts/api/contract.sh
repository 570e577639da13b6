#!/usr/bin/env bash
# The API contract run: schemathesis (from PyPI, installed by scripts/test.sh into
# target/schemathesis) drives every operation of /api/openapi.json against a fresh demo, as a
# signed-in patient and as a signed-in clinician, and fails on any 5xx, any response that
# doesn't match the document, any undocumented status, and any schema-valid request refused
# for a reason the document doesn't allow (see schemathesis.toml). Bounded: a fixed number of
# examples per operation and a fixed seed, so a run takes seconds and repeats itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
st="${SCHEMATHESIS:-target/schemathesis/bin/schemathesis}"
work="$(mktemp -d)"
trap 'kill "$demo" 2>/dev/null || true; rm -rf "$work"' EXIT

HAVEN_LOG_LEVEL=warn HAVEN_PASSWORD_HASHING__MEMORY_KIB=8192 HAVEN_PASSWORD_HASHING__ITERATIONS=1 \
  target/debug/haven demo --listen 127.0.0.1:0 >"$work/demo.out" 2>"$work/demo.err" &
demo=$!
for _ in $(seq 1 100); do grep -q 'Stop with Ctrl-C' "$work/demo.out" && break; sleep 0.1; done
port=$(sed -n 's/.*running at http:\/\/localhost:\([0-9]*\).*/\1/p' "$work/demo.out")
[ -n "$port" ] || { cat "$work/demo.out" "$work/demo.err" >&2; echo "the demo did not start" >&2; exit 1; }
site="http://127.0.0.1:$port"

# A session cookie for one of the demo's accounts, signed in through the sign-in page.
session_of() {
  local email=$1 password
  password=$(awk -v e="$email" '$0 ~ e {print $NF}' "$work/demo.out")
  curl -sf -o /dev/null -c "$work/jar" -H "Origin: $site" -H 'Sec-Fetch-Site: same-origin' \
    --data-urlencode "email=$email" --data-urlencode "password=$password" "$site/sign-in"
  awk '$6 == "haven_session" {print $6 "=" $7}' "$work/jar"
}

status=0
for who in jordan@patients.example maya.lee@riverbend.example; do
  cookie=$(session_of "$who")
  [ -n "$cookie" ] || { echo "could not sign in as $who" >&2; exit 1; }
  echo "== schemathesis as $who"
  API_SESSION="${cookie#haven_session=}" "$st" --config-file scripts/api/schemathesis.toml run "$site/api/openapi.json" \
    --header "Origin: $site" --header 'Sec-Fetch-Site: same-origin' \
    --checks all --max-examples 25 --seed 20261201 --no-color || status=1
done
exit $status
