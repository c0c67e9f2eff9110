#!/usr/bin/env bash
# Serving cached bytes: src/http/httpd.c (through tests/httpd_bench_server.c,
# which answers every request with the same 30 KB from one shared buffer,
# set up as Kodo would: 2 workers and a blocking pool the page never uses)
# against nginx serving the same bytes as a static file, with wrk -t2 on the
# same cores, in the same run, alternating. Starts its own nginx (own config
# and prefix in a temp dir, a free 127.0.0.1 port), never the system service,
# and stops it.
#
# Per run: req/s, p50, p99, the server's CPU time per request (all its
# threads; the steadiest figure on a shared machine), how busy the cores were
# just before (it waits up to QUIET_WAIT seconds for them to fall under 15%)
# and the CPU share used during the run by neither the server nor wrk: a run
# with much "other CPU" measured the neighbours, not the server. Ends with
# the httpd/nginx req/s ratio per round and its median.
#
# Usage: bench/httpd.sh [seconds=10] [conns="64 256"]
# Env:   ROUNDS (default 3), QUIET_WAIT (default 120), HTTPD_THREADS
#        (default 2), HTTPD_ACCEPT (reuseport|shared), HTTPD_POOL (default
#        64; 0: none), NGINX_WORKERS (default auto), BODY_BYTES (default
#        30000)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-"64 256"}
threads=${HTTPD_THREADS:-2}
accept=${HTTPD_ACCEPT:-reuseport}
pool=${HTTPD_POOL:-64}
bytes=${BODY_BYTES:-30000}
rounds=${ROUNDS:-3}
for tool in wrk nginx cc curl; do
	command -v $tool >/dev/null || { echo "bench: needs $tool"; exit 1; }
done

dir=$(mktemp -d /tmp/kodo-httpd-bench-XXXXXX)
chmod 755 "$dir" # nginx workers run as an unprivileged user
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The page: deterministic HTML-ish bytes, identical for both servers.
mkdir -p "$dir/www" "$dir/tmp"
python3 - "$dir/www/index.html" "$bytes" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
row = b'<div class="svc"><span>API</span><b class="ok">Operational</b></div>\n'
data = (b"<!doctype html><title>Status</title>\n" + row * (n // len(row) + 1))[:n]
open(path, "wb").write(data)
EOF
chmod 644 "$dir/www/index.html"

echo "== building tests/httpd_bench_server.c (-O2)"
cc -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Werror -O2 -g -Isrc -D_DEFAULT_SOURCE -o "$dir/httpd_bench_server" \
	tests/httpd_bench_server.c src/http/httpd.c src/http/httpd_parse.c \
	src/util/buf.c src/util/alloc.c src/util/log.c src/util/clock.c src/util/kerr.c \
	-lpthread

hport=$(free_port)
"$dir/httpd_bench_server" "$dir/www/index.html" --listen 127.0.0.1:$hport \
	--threads "$threads" --accept "$accept" --pool "$pool" >"$dir/httpd.out" 2>&1 &
pids+=($!)

nport=$(free_port)
cat >"$dir/nginx.conf" <<EOF
worker_processes ${NGINX_WORKERS:-auto};
daemon off;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 8192; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	open_file_cache max=64 inactive=60s;
	default_type text/html;
	client_body_temp_path $dir/tmp/body;
	proxy_temp_path $dir/tmp/proxy;
	fastcgi_temp_path $dir/tmp/fastcgi;
	uwsgi_temp_path $dir/tmp/uwsgi;
	scgi_temp_path $dir/tmp/scgi;
	server {
		listen 127.0.0.1:$nport;
		root $dir/www;
	}
}
EOF
nginx -p "$dir" -c "$dir/nginx.conf" 2>"$dir/nginx.stderr" &
pids+=($!)

url=/index.html
for port in $hport $nport; do
	for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$port$url && break; sleep 0.05; done
done
hlen=$(curl -s http://127.0.0.1:$hport$url | wc -c)
nlen=$(curl -s http://127.0.0.1:$nport$url | wc -c)
cmp -s <(curl -s http://127.0.0.1:$hport$url) <(curl -s http://127.0.0.1:$nport$url) ||
	{ echo "bench: the two servers do not serve the same bytes ($hlen vs $nlen)"; cat "$dir"/nginx*.log "$dir/nginx.stderr" 2>/dev/null; exit 1; }

# Other work on these cores ruins a run: before each one, wait (up to
# QUIET_WAIT seconds) until the cores were less than 15% busy for a second,
# and print how busy they were, so that a noisy figure is visible as such.
busy() {
	local a b
	a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
	local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
	for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
	echo $(( total > 0 ? 100 - 100 * idle / total : 0 ))
}
quiet() {
	local deadline=$(( SECONDS + ${QUIET_WAIT:-120} )) b
	while b=$(busy); [ "$b" -ge 15 ] && [ $SECONDS -lt $deadline ]; do :; done
	echo "$b"
}
# CPU ticks of processes (all threads), and of the whole machine.
proc_ticks() {
	local t=0 f s p
	for p in "$@"; do
		for f in /proc/$p/task/*/stat; do
			s=($(sed 's/.*) //' "$f")); t=$(( t + s[11] + s[12] ))
		done
	done
	echo $t
}
sys_ticks() { local a=($(head -1 /proc/stat)); echo $(( a[1]+a[2]+a[3]+a[4]+a[5]+a[6]+a[7]+a[8] )) $(( a[4]+a[5] )); }
# run CONNS PORT PID... : wrk's report, then the server's CPU per request and
# the share of the machine that neither the server nor wrk used (noise).
run() {
	local c=$1 port=$2; shift 2
	local s0 p0 s1 p1
	s0=($(sys_ticks)); p0=$(proc_ticks "$@")
	/usr/bin/time -f "%U %S" -o "$dir/wrk.time" \
		wrk -t2 -c"$c" -d"${secs}s" --latency "http://127.0.0.1:$port$url" >"$dir/wrk.out"
	s1=($(sys_ticks)); p1=$(proc_ticks "$@")
	cat "$dir/wrk.out"
	awk -v tot=$(( s1[0] - s0[0] )) -v idle=$(( s1[1] - s0[1] )) -v srv=$(( p1 - p0 )) \
		-v hz="$(getconf CLK_TCK)" -v reqs="$(awk '/requests in/ {print $1}' "$dir/wrk.out")" \
		'NR == 1 { wrk = ($1 + $2) * hz; other = (tot - idle - srv - wrk) * 100 / tot;
		  printf "server_us_per_req %.1f\nother_cpu %d%%\n", srv / hz * 1e6 / reqs, (other < 0 ? 0 : other) }' \
		"$dir/wrk.time"
}
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
pct() { echo "$1" | awk -v q="$2" '$1==q {print $2}'; }
errs() { echo "$1" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}'; }
field() { echo "$1" | awk -v k="$2" '$1==k {print $2}'; }
row() { # CONNS NAME OUTPUT BUSY_BEFORE
	printf "| %s | %s | %s | %s | %s | %s | %s | %s%% | %s |\n" "$1" "$2" "$(rps "$3")" \
		"$(pct "$3" 50%)" "$(pct "$3" 99%)" "$(field "$3" server_us_per_req)" \
		"$(errs "$3")" "$4" "$(field "$3" other_cpu)"
}

echo "== $(nproc) cores; wrk -t2 on the same cores; ${secs}s per run; body $hlen bytes"
echo "== httpd: $threads worker threads + blocking pool of $pool, accept=$accept; nginx $(nginx -v 2>&1 | sed 's/.*\///'): workers ${NGINX_WORKERS:-auto}, sendfile, access_log off"
echo
printf "| conns | server | req/s | p50 | p99 | server CPU µs/req | errors | busy before | other CPU during |\n"
printf "|---|---|---|---|---|---|---|---|---|\n"
nginx_pids=$(pgrep -P "${pids[1]}" | tr '\n' ' ')
summary=()
for c in $conns; do
	# Warm-up, not reported: connections, buffers and caches settle.
	wrk -t2 -c"$c" -d2s "http://127.0.0.1:$hport$url" >/dev/null
	wrk -t2 -c"$c" -d2s "http://127.0.0.1:$nport$url" >/dev/null
	ratios=()
	for r in $(seq "$rounds"); do
		hb=$(quiet); h=$(run "$c" $hport "${pids[0]}")
		# shellcheck disable=SC2086
		nb=$(quiet); n=$(run "$c" $nport "${pids[1]}" $nginx_pids)
		row "$c" httpd "$h" "$hb"
		row "$c" nginx "$n" "$nb"
		ratio=$(awk -v a="$(rps "$h")" -v b="$(rps "$n")" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
		ratios+=("$ratio")
		summary+=("c=$c round $r: httpd/nginx req/s ratio $ratio")
	done
	median=$(printf "%s\n" "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')
	summary+=("c=$c: median httpd/nginx req/s ratio over $rounds round(s): $median")
done
echo
printf "%s\n" "${summary[@]}"
