#!/usr/bin/env python3
"""Start-up benchmark for Haven on the embedded SQLite default.

Prints the release binary's size, the time from process start to /readyz answering 200,
and the resident memory once idle, as the median of several runs; and the targets the
foundation issue set (binary <= 40 MB, idle RSS <= 40 MB, ready <= 200 ms).

Usage: scripts/bench/startup.py [path/to/haven] [runs]
"""

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TARGETS = {"binary_mb": 40.0, "idle_rss_mb": 40.0, "ready_ms": 200.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=0.5)
        conn.request("GET", "/readyz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def one_run(binary: str, data_dir: str) -> tuple[float, float]:
    port = free_port()
    env = dict(os.environ, HAVEN_LISTEN=f"127.0.0.1:{port}", HAVEN_DATA_DIR=data_dir, HAVEN_LOG_LEVEL="warn")
    env = {k: v for k, v in env.items() if not k.startswith("HAVEN_DATABASE_URL")}
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "serve"], env=env, cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not ready(port):
            if proc.poll() is not None:
                raise RuntimeError(f"haven exited: {proc.stderr.read().decode()}")
            if time.perf_counter() - start > 20:
                raise RuntimeError("not ready within 20 s")
            time.sleep(0.001)
        ready_ms = (time.perf_counter() - start) * 1000
        time.sleep(2)  # let start-up work finish; then measure the idle process
        return ready_ms, rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> int:
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/haven")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    size_mb = os.path.getsize(binary) / 1_000_000

    fresh, warm, rss = [], [], []
    for _ in range(runs):
        data_dir = tempfile.mkdtemp(prefix="haven-bench-")
        try:
            ms, mb = one_run(binary, data_dir)  # new database: creates and migrates it
            fresh.append(ms)
            ms, mb = one_run(binary, data_dir)  # existing database: the usual restart
            warm.append(ms)
            rss.append(mb)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    ready_ms = statistics.median(warm)
    idle_mb = statistics.median(rss)
    rows = [
        ("release binary size", f"{size_mb:.1f} MB", size_mb <= TARGETS["binary_mb"], f"<= {TARGETS['binary_mb']:.0f} MB"),
        ("idle resident memory (median)", f"{idle_mb:.1f} MB", idle_mb <= TARGETS["idle_rss_mb"], f"<= {TARGETS['idle_rss_mb']:.0f} MB"),
        ("start to /readyz 200, existing db (median)", f"{ready_ms:.0f} ms", ready_ms <= TARGETS["ready_ms"], f"<= {TARGETS['ready_ms']:.0f} ms"),
        ("start to /readyz 200, new db (median)", f"{statistics.median(fresh):.0f} ms", None, "(creates and migrates)"),
    ]
    print(f"Haven start-up benchmark: SQLite, {runs} runs, {os.cpu_count()} cores")
    for name, value, ok, target in rows:
        verdict = "" if ok is None else ("  ok" if ok else "  MISSED")
        print(f"  {name:<44} {value:>9}   target {target}{verdict}")
    print(f"  ready times, existing db (ms): {', '.join(f'{x:.0f}' for x in sorted(warm))}")
    return 0 if all(ok is not False for _, _, ok, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
