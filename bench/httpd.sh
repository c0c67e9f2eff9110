#!/usr/bin/env bash
# Serving cached bytes: src/http/httpd.c (through tests/httpd_bench_server.c,
# which answers every request with the same 30 KB from one shared buffer)
# against nginx serving the same bytes as a static file, with wrk in the same
# run, on the same cores. Prints req/s, p50, p99 and the ratio per
# connection count. Starts its own nginx (own config and prefix in a temp
# dir, a free 127.0.0.1 port), never the system service, and stops it.
#
# Usage: bench/httpd.sh [seconds=10] [conns="64 256"]
# Env:   HTTPD_THREADS (default 2), HTTPD_ACCEPT (reuseport|shared),
#        NGINX_WORKERS (default auto), BODY_BYTES (default 30000),
#        ROUNDS (default 1: each pair measured ROUNDS times, alternating)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-"64 256"}
threads=${HTTPD_THREADS:-2}
accept=${HTTPD_ACCEPT:-reuseport}
bytes=${BODY_BYTES:-30000}
rounds=${ROUNDS:-1}
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
	--threads "$threads" --accept "$accept" >"$dir/httpd.out" 2>&1 &
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
run() { wrk -t2 -c"$1" -d"${secs}s" --latency "http://127.0.0.1:$2$url"; }
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
pct() { echo "$1" | awk -v q="$2" '$1==q {print $2}'; }
errs() { echo "$1" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}'; }

echo "== $(nproc) cores; wrk -t2 on the same cores; ${secs}s per run; body $hlen bytes"
echo "== httpd: $threads threads, accept=$accept; nginx $(nginx -v 2>&1 | sed 's/.*\///'): workers ${NGINX_WORKERS:-auto}, sendfile, access_log off"
echo
printf "| conns | server | req/s | p50 | p99 | errors | busy before |\n|---|---|---|---|---|---|---|\n"
summary=()
for c in $conns; do
	for r in $(seq "$rounds"); do
		hb=$(quiet); h=$(run "$c" $hport)
		nb=$(quiet); n=$(run "$c" $nport)
		printf "| %s | httpd | %s | %s | %s | %s | %s%% |\n" "$c" "$(rps "$h")" "$(pct "$h" 50%)" "$(pct "$h" 99%)" "$(errs "$h")" "$hb"
		printf "| %s | nginx | %s | %s | %s | %s | %s%% |\n" "$c" "$(rps "$n")" "$(pct "$n" 50%)" "$(pct "$n" 99%)" "$(errs "$n")" "$nb"
		summary+=("c=$c round $r: httpd/nginx req/s ratio $(awk -v a="$(rps "$h")" -v b="$(rps "$n")" 'BEGIN {printf "%.2f", a/b}')")
	done
done
echo
printf "%s\n" "${summary[@]}"
