#!/usr/bin/env bash
# The public status page under an outage stampede while it keeps changing
# (people post updates, the pipeline opens incidents): wrk on / with 256
# keep-alive connections, once with no writes and once while a writer
# PATCHes a service's description W times a second, in alternating
# rounds. After each write's 200 the writer reads the page until the new
# words are there: how long a visitor can see the page from before a
# change (the issue: fresh within 1 s). Appends req/s, p50, p99 of both,
# the writes done and that staleness (p99, max) to bench/RESULTS.md.
#
# Usage: bench/status_writes.sh [seconds=8] [writes_per_second=50]
# Env: BUILD (make build dir, default build), ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
rate=${2:-50}
rounds=${ROUNDS:-3}
build=${BUILD:-build}
name=writes
# shellcheck source=bench/kodo_seeded.sh
. bench/kodo_seeded.sh

# Writes for $1 seconds at $rate/s; prints "writes p99_ms max_ms".
writer() {
	python3 - "$kurl" "$token" "$1" "$rate" <<'PY'
import json, sys, time, urllib.request
url, token, secs, rate = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
def call(method, path, body=None, auth=True):
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = "Bearer " + token
    r = urllib.request.Request(url + path, json.dumps(body).encode() if body else None,
                               headers, method=method)
    with urllib.request.urlopen(r, timeout=10) as resp:
        return resp.read()
svc = json.loads(call("GET", "/api/v1/services"))["services"][0]["id"]
stale, n, t0 = [], 0, time.time()
while time.time() - t0 < secs:
    words = f"Changed {n} {time.time()}"
    call("PATCH", f"/api/v1/services/{svc}", {"description": words})
    done = time.monotonic()
    while words.encode() not in call("GET", "/", auth=False):
        if time.monotonic() - done > 5:
            sys.exit("bench: a change was not on the page within 5 s")
    stale.append((time.monotonic() - done) * 1000)
    n += 1
    pause = t0 + n / rate - time.time()
    if pause > 0:
        time.sleep(pause)
stale.sort()
print(n, f"{stale[int(len(stale) * 0.99) - 1 if len(stale) > 1 else 0]:.1f}", f"{stale[-1]:.1f}")
PY
}

run() { wrk -t2 -c256 -d"${secs}s" --latency "$kurl/"; }
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p() { echo "$1" | awk -v q="$2" '$1==q {print $2}'; }
rows=()
for r in $(seq "$rounds"); do
	order=(quiet writes)
	[ $((r % 2)) -eq 0 ] && order=(writes quiet)
	for mode in "${order[@]}"; do
		if [ "$mode" = quiet ]; then
			out=$(run)
			rows+=("| $r | none | $(rps "$out") | $(p "$out" 50%) | $(p "$out" 99%) | | |")
		else
			writer "$secs" >"$tmp/writer.out" &
			wpid=$!
			out=$(run)
			wait "$wpid"
			read -r n p99 max <"$tmp/writer.out"
			rows+=("| $r | $n in ${secs} s | $(rps "$out") | $(p "$out" 50%) | $(p "$out" 99%) | $p99 ms | $max ms |")
		fi
		echo "${rows[-1]}"
	done
done

{
	echo
	echo "### $(date -u +%Y-%m-%dT%H:%MZ) — bench/status_writes.sh $secs $rate ($(nproc) cores, wrk -t2 -c256 keep-alive on the same machine; page / of $(curl -s "$kurl/" | wc -c | tr -d ' ') B)"
	echo
	echo "| round | writes (target $rate/s) | req/s | p50 | p99 | change → on the page, p99 | max |"
	echo "|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >>"${RESULTS:-bench/RESULTS.md}"
