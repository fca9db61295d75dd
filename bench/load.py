"""Load test: the release server on a copy of data/, under wrk for 60 s at 64 connections over a
mix of routes (one wrk per route, all at once). Prints requests per second, p50 and p99
latency and errors per route, and each route's rate against /healthz from the same run.

Hot reload under load: at 20 s a data file is replaced by a broken copy, at 40 s by a fixed
one (a changed note: no published figure is altered). A poller checks all along that the
served data is the original or the fixed one, never the broken one, and that the status
reports the failed reload. The run fails on any error, any 5xx or any broken data served.
Slow clients alongside, all through the run: idle sockets that never send a byte, and
requests whose headers are dripped a line every second, each reopened when the server closes
it. The server's header and idle timeouts close them; the normal requests must still see no
error.
Usage: bench/load.sh [SECONDS] [CONNECTIONS] [SLOW_CLIENTS]
"""
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "indikator"
ROUTES = [
    ("healthz", "/healthz", None),
    ("page (HTML)", "/?indicator=innovation-in-strategy&lang=sv", None),
    ("view (JSON)", "/api/v1/indicators/innovation-procurements?country=NO~SE", None),
    ("view (CSV)", "/api/v1/indicators/advertised-procurements.csv?dialect=excel-nordic", None),
    ("chart (SVG)", "/charts/innovation-procurements.svg?country=NO~SE", None),
    ("chart (PNG)", "/charts/advertised-procurements.png", None),
    ("304 revalidation", "/charts/innovation-in-strategy.svg", "etag"),
]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def wrk(url, seconds, connections, header=None):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if header:
        command[1:1] = ["-H", header]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def parse(output):
    def number(pattern, default="0"):
        match = re.search(pattern, output, re.MULTILINE)
        return match.group(1) if match else default

    def millis(text):
        # wrk writes 950.00us, 10.76ms, 1.20s or 1.05m.
        match = re.match(r"([\d.]+)(us|ms|s|m)$", text.strip())
        if not match:
            return float("nan")
        value, unit = match.groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", number(r"Socket errors: (.*)", "")))
    return {
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        # At a line's start: "+/- Stdev" columns such as 95.50% end in 50% too.
        "p50": millis(number(r"^\s+50%\s+(\S+)", "0us")),
        "p99": millis(number(r"^\s+99%\s+(\S+)", "0us")),
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": errors,
        "requests": int(number(r"(\d+) requests in")),
    }


def slow_clients(host, port, count, stop, closed):
    """Keeps `count` slow sockets open (half idle, half dripping headers) until `stop`,
    reopening each one the server closes; counts the closes in `closed`."""

    def one(drip):
        while not stop.is_set():
            try:
                sock = socket.create_connection((host, port), timeout=2)
            except OSError:
                time.sleep(0.2)
                continue
            sock.settimeout(1)
            try:
                if drip:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\n")
                while not stop.is_set():
                    if drip:
                        sock.sendall(b"X-Slow: 1\r\n")
                    try:
                        if sock.recv(1024) == b"":
                            closed[0] += 1
                            break
                    except socket.timeout:
                        pass
            except OSError:
                closed[0] += 1
            finally:
                sock.close()

    threads = [threading.Thread(target=one, args=(i % 2 == 1,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    slow = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    work = Path(tempfile.mkdtemp(prefix="indikator-load-"))
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    target = data / "innovation-procurements.csv"
    original = target.read_text()
    broken = original.replace("SE,2022,793,ud", "SE,2022,seven hundred,ud")
    fixed = original.replace("so this is a lower bound", "so this is a lower bound (load test copy)")

    server = subprocess.Popen([BINARY, "serve", "--addr", "127.0.0.1:0", "--data", data], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    base = re.search(r"(http://[\d.:]+)/", line).group(1)
    print(line.strip())
    _, headers, _ = get(base + "/charts/innovation-in-strategy.svg")
    etag = headers["ETag"]

    status_url = base + "/api/v1/status"
    view_url = base + "/api/v1/indicators/innovation-procurements?country=SE"
    first_version = json.loads(get(status_url)[2])["data_version"]
    seen = {"original": 0, "fixed": 0, "broken": 0, "errors": 0, "status_reported_failure": False}
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            try:
                view = json.loads(get(view_url)[2])
                note = view["observations"][0]["note"]
                value = view["observations"][0]["value"]
                if value != 793.0:
                    seen["broken"] += 1
                elif "load test copy" in note:
                    seen["fixed"] += 1
                else:
                    seen["original"] += 1
                status = json.loads(get(status_url)[2])
                if status["last_reload_error"] and status["data_version"] == first_version:
                    seen["status_reported_failure"] = True
            except Exception:  # noqa: BLE001 - any failed request counts
                seen["errors"] += 1
            time.sleep(0.05)

    def reload_under_load():
        time.sleep(seconds / 3)
        target.write_text(broken)
        time.sleep(seconds / 3)
        target.write_text(fixed)

    threads = [threading.Thread(target=poll), threading.Thread(target=reload_under_load)]
    for thread in threads:
        thread.start()
    host, port = re.search(r"http://([\d.]+):(\d+)", base).groups()
    slow_closed = [0]
    slow_threads = slow_clients(host, int(port), slow, stop, slow_closed)
    per_route = max(1, connections // len(ROUTES))
    results = {}
    runners = []
    for name, path, extra in ROUTES:
        header = f"If-None-Match: {etag}" if extra == "etag" else None

        def run(name=name, path=path, header=header):
            output = wrk(base + path, seconds, per_route, header)
            (work / f"wrk-{len(results)}-{name.split()[0]}.txt").write_text(output)
            results[name] = parse(output)

        runners.append(threading.Thread(target=run))
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    stop.set()
    for thread in threads + slow_threads:
        thread.join(timeout=5)
    final_version = json.loads(get(status_url)[2])["data_version"]
    server.terminate()
    server.wait(timeout=10)

    health = results["healthz"]["rps"]
    print(f"\n{seconds} s, {per_route * len(ROUTES)} connections ({per_route} per route), all routes at once")
    print(f"{'route':<18} {'rps':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs healthz':>11}")
    failed = 0
    for name, _, _ in ROUTES:
        r = results[name]
        errors = r["non_2xx_3xx"] + r["socket_errors"]
        failed += errors
        print(f"{name:<18} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {errors:>7} {r['rps'] / health:>10.2f}x")
    print(f"\nslow clients alongside: {slow} (half idle, half dripping headers); the server closed them {slow_closed[0]} times")
    print(f"\nhot reload under load: polls saw original {seen['original']}, fixed {seen['fixed']}, broken {seen['broken']}; "
          f"failed polls {seen['errors']}; status reported the failed reload: {seen['status_reported_failure']}; "
          f"version changed after the fix: {final_version != first_version}")
    ok = failed == 0 and seen["broken"] == 0 and seen["errors"] == 0 and seen["fixed"] > 0 and seen["status_reported_failure"]
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
