#!/usr/bin/env bash
# Measures durable incident creation and incident listing over loopback with
# wrk against a release build of `kodo serve` on a temporary data folder, and
# appends the figures to bench/RESULTS.md.
# Usage: bench/api.sh [seconds=10] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
command -v wrk >/dev/null || { echo "bench: needs wrk (apt-get install wrk)"; exit 1; }
make -s build/release/kodo

data=$(mktemp -d /tmp/kodo-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export KODO_TOKEN="kodo_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# One token sends everything: --rate-limit 0, since this measures the
# server's capacity, not the per-caller limit (100/s by default).
KODO_ADMIN_TOKEN=$KODO_TOKEN build/release/kodo serve --data "$data" --threads "${KODO_THREADS:-64}" \
	--rate-limit 0 --listen 127.0.0.1:$port >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
url=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf $url/healthz >/dev/null && break; sleep 0.1; done
curl -sf -H "Authorization: Bearer $KODO_TOKEN" -H 'Content-Type: application/json' \
	-d '{"name":"API"}' $url/api/v1/services >/dev/null

run() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$@"; }
echo "== create (POST /api/v1/incidents, durable) =="
create=$(run -s bench/create_incident.lua $url/api/v1/incidents)
echo "$create"
echo "== list (GET /api/v1/incidents?limit=20) =="
list=$(run -H "Authorization: Bearer $KODO_TOKEN" "$url/api/v1/incidents?limit=20")
echo "$list"
stored=$(curl -s -H "Authorization: Bearer $KODO_TOKEN" "$url/api/v1/incidents?limit=1" >/dev/null; \
	sqlite3 "$data/kodo.db" 'SELECT COUNT(*) FROM incidents' 2>/dev/null || echo "?")

rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p() { echo "$1" | awk -v q="$2" '$1==q {print $2}'; }
{
	echo
	echo "### $(date -u +%Y-%m-%dT%H:%MZ) — bench/api.sh $secs $conns ($(nproc) cores, wrk -t2 -c$conns on the same machine)"
	echo
	echo "| workload | req/s | p50 | p99 | target |"
	echo "|---|---|---|---|---|"
	echo "| create incident (durable, fsync before 201) | $(rps "$create") | $(p "$create" 50%) | $(p "$create" 99%) | ≥ 5,000 |"
	echo "| list incidents (limit 20) | $(rps "$list") | $(p "$list" 50%) | $(p "$list" 99%) | ≥ 20,000 |"
	echo
	echo "Incidents stored after the run: $stored; non-2xx: $(echo "$create" | grep -E '^status [^2]' | tr '\n' ' ' || true)"
} >>bench/RESULTS.md
tail -8 bench/RESULTS.md
