#!/usr/bin/env bash
# Builds the release binary and prints Haven's benchmark figures.
set -euo pipefail
# The messaging benchmark holds 10,000 sockets open (twice: client and server side).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
cd "$(dirname "$0")/.."
cargo build --release --locked -p haven
python3 scripts/bench/startup.py target/release/haven "${RUNS:-7}"
echo
cargo bench --locked -p haven --bench identity
echo
cargo bench --locked -p haven --bench booking
echo
cargo bench --locked -p haven --bench messaging
echo
cargo bench --locked -p haven --bench measures
echo
# Two Chromium instances hold video calls: inside a loopback-only network namespace, built
# beforehand (nothing inside can reach a registry).
cargo bench --locked --no-run -p haven --bench visits 2>/dev/null
(cd browser && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; })
unshare -n sh -c 'ip link set lo up && exec cargo bench --offline --locked -p haven --bench visits'
