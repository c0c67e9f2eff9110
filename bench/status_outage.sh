#!/usr/bin/env bash
# The public status page during a wide outage: N incidents are opened
# (4 writers, as fast as the API takes them, as the pipeline would when
# N monitors fail at once) while wrk reads / with 256 keep-alive
# connections. Records req/s and p99 during the wave, then the page's
# size and req/s/p99 once the wave is over. Appends to bench/RESULTS.md.
#
# Usage: bench/status_outage.sh [incidents=2000] [seconds=20]
# Env: BUILD (make build dir, default build).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
secs=${2:-20}
build=${BUILD:-build}
name=outage
# shellcheck source=bench/kodo_seeded.sh
. bench/kodo_seeded.sh
before=$(curl -s "$kurl/" | wc -c | tr -d ' ')

wrk -t2 -c256 -d"${secs}s" --latency "$kurl/" >"$tmp/during.txt" &
wrk_pid=$!
took=$(python3 - "$kurl" "$token" "$n" <<'PY'
import json, sys, time, urllib.request, concurrent.futures as cf
url, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def open_one(i):
    body = {"title": f"Check {i} failing", "severity": "major",
            "message": "Status 503 from the target."}
    r = urllib.request.Request(url + "/api/v1/incidents", json.dumps(body).encode(),
                               {"Authorization": "Bearer " + token,
                                "Content-Type": "application/json"})
    with urllib.request.urlopen(r, timeout=30) as resp:
        assert resp.status == 201
t = time.time()
with cf.ThreadPoolExecutor(4) as ex:
    list(ex.map(open_one, range(n)))
print(f"{time.time() - t:.1f}")
PY
)
wait "$wrk_pid"
after=$(curl -s "$kurl/" | wc -c | tr -d ' ')
quiet=$(wrk -t2 -c256 -d8s --latency "$kurl/")
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }
during=$(cat "$tmp/during.txt")
row="| $n incidents in ${took} s | $(rps "$during") req/s, p99 $(p99 "$during") | $before B → $after B | $(rps "$quiet") req/s, p99 $(p99 "$quiet") |"
echo "$row"
{
	echo
	echo "### $(date -u +%Y-%m-%dT%H:%MZ) — bench/status_outage.sh $n $secs ($(nproc) cores, wrk -t2 -c256 keep-alive on /, uncompressed, on the same machine)"
	echo
	echo "| wave | page during the wave | page size before → after | page after the wave |"
	echo "|---|---|---|---|"
	echo "$row"
} >>"${RESULTS:-bench/RESULTS.md}"
