#!/usr/bin/env bash
# HTTP monitor scale: N monitors at a 30 s interval against nginx on
# loopback. Records achieved checks/s against expected, schedule lateness
# p99, CPU % and peak RSS of `kodo serve`, database growth, and how long a
# restart takes to check every monitor again. Appends to bench/RESULTS.md.
# Usage: bench/checks.sh [N ...]   (default: 1000 10000)
# Env: TARGET=up (default: every check succeeds) or TARGET=down (a wide
# outage: every target answers 503, so every monitor opens an incident
# after its failures_to_open checks, inside the measured window).
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("${@:-1000}")
[ $# -eq 0 ] && counts=(1000 10000)
interval=30
window=60
target=${TARGET:-up}
case $target in
up) path=/health ;;
down) path=/down ;;
*) echo "bench: TARGET is up or down"; exit 2 ;;
esac
command -v nginx >/dev/null || { echo "bench: needs nginx (apt-get install nginx-light)"; exit 1; }
make -s build/release/kodo

work=$(mktemp -d /tmp/kodo-checks-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ngport=$(free_port)
mkdir -p "$work/nginx/logs" "$work/www"
chmod 755 "$work" # nginx's workers run as www-data when started by root
echo "ok" >"$work/www/health"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$ngport; root $work/www; keepalive_requests 100000;
    location /down { return 503; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
# The checks must succeed: a target that answers 403 (an unreadable root)
# measures the incident pipeline instead of the checks.
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$ngport/health" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$ngport/health" >/dev/null || { echo "bench: nginx does not serve /health"; exit 1; }
kpid=""
cleanup() {
	[ -n "$kpid" ] && kill "$kpid" 2>/dev/null && wait "$kpid" 2>/dev/null
	nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

token="kodo_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_kodo() {
	# --rate-limit 0: one token creates every monitor as fast as it can.
	KODO_ADMIN_TOKEN=$token build/release/kodo serve --data "$work/data" \
		--rate-limit 0 --listen 127.0.0.1:$kport >>"$work/kodo.log" 2>&1 &
	kpid=$!
	for _ in $(seq 200); do curl -sf "http://127.0.0.1:$kport/healthz" >/dev/null && return; sleep 0.05; done
	echo "kodo did not start"; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$kpid/stat"; }
metric() { curl -s "http://127.0.0.1:$kport/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
now_ms() { date +%s%3N; }
checked_since() {
	sqlite3 "file:$work/data/kodo.db?mode=ro" \
		"SELECT COUNT(*) FROM monitor_state WHERE last_check_at >= $1" 2>/dev/null || echo 0
}

failed_since() {
	sqlite3 "file:$work/data/kodo.db?mode=ro" \
		"SELECT COUNT(*) FROM check_results WHERE ok = 0 AND at >= $1" 2>/dev/null || echo "?"
}

rows=()
for n in "${counts[@]}"; do
	rm -rf "$work/data"
	kport=$(free_port)
	start_kodo
	python3 - "$kport" "$token" "$n" "$ngport" "$interval" "$path" <<'PY'
import json, sys, urllib.request, concurrent.futures as cf
port, token, n, ngport, interval, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
def post(i):
    body = json.dumps({"name": f"m{i}", "type": "http", "interval_s": interval,
                       "timeout_ms": 5000, "url": f"http://127.0.0.1:{ngport}{path}?m={i}"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/monitors", body,
                                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        assert r.status == 201
with cf.ThreadPoolExecutor(16) as ex:
    list(ex.map(post, range(n)))
PY
	db0=$(du -sb "$work/data" | cut -f1)
	# Let every monitor run once (first runs are spread over one interval).
	sleep $((interval + 5))
	c0=$(metric kodo_checks_total); t0=$(cpu_ticks); s0=$(date +%s.%N); w0=$(now_ms)
	sleep $window
	c1=$(metric kodo_checks_total); t1=$(cpu_ticks); s1=$(date +%s.%N)
	hz=$(getconf CLK_TCK)
	secs=$(echo "$s1 - $s0" | bc -l)
	rate=$(echo "($c1 - $c0) / $secs" | bc -l)
	expect=$(echo "$n / $interval" | bc -l)
	cpu=$(echo "100 * ($t1 - $t0) / $hz / $secs" | bc -l)
	rss=$(awk '/VmHWM/ {print $2}' "/proc/$kpid/status")
	late=$(metric 'kodo_check_lateness_seconds{quantile="0.99"}')
	db1=$(du -sb "$work/data" | cut -f1)
	per_check=$(echo "(($db1 - $db0) / ($c1 - $c0))" | bc -l)
	failed=$(failed_since "$w0")
	opened=$(sqlite3 "file:$work/data/kodo.db?mode=ro" "SELECT COUNT(*) FROM incidents" 2>/dev/null || echo "?")
	# Restart: how long until every monitor has been checked again?
	kill "$kpid"; wait "$kpid" 2>/dev/null || true
	restart_at=$(now_ms)
	start_kodo
	all_back=""
	for _ in $(seq $((interval * 4 + 40))); do
		if [ "$(checked_since "$restart_at")" -ge "$n" ]; then
			all_back=$(( ($(now_ms) - restart_at) / 1000 )); break
		fi
		sleep 0.5
	done
	kill "$kpid"; wait "$kpid" 2>/dev/null || true; kpid=""
	row=$(printf "| %d | %.1f | %.1f | %s | %s | %s s | %.1f %% | %.0f MiB | %.0f B | %s |" \
		"$n" "$rate" "$expect" "$failed" "$opened" "$late" "$cpu" "$(echo "$rss / 1024" | bc -l)" \
		"$per_check" "${all_back:-not within $((interval * 2 + 20)) s} s")
	echo "$row"
	rows+=("$row")
done

{
	echo
	echo "### $(date -u +%Y-%m-%dT%H:%MZ) — TARGET=$target bench/checks.sh ${counts[*]} ($(nproc) cores; nginx on loopback as the target, $( [ "$target" = up ] && echo "every check succeeds" || echo "every check fails: 503"); ${interval} s interval; measured over ${window} s)"
	echo
	echo "| monitors | checks/s | expected | failed checks in the window | incidents opened | lateness p99 (bucket bound) | CPU of kodo | peak RSS | DB growth per check (raw rows, kept 48 h) | all checked again after restart |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >>bench/RESULTS.md
