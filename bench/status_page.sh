#!/usr/bin/env bash
# The public status page under an outage stampede, side by side with nginx
# serving the very same bytes as static files, in one run.
#
# Starts a release build of `kodo serve` on a temporary data folder, seeds a
# realistic page (grouped services, an active incident with a timeline,
# resolved ones), saves the bytes Kodo serves at / and at
# /api/v2/summary.json into an nginx root, starts its own nginx (own prefix
# and config in a temporary folder, a free loopback port; never the system
# service), then runs wrk (keep-alive) against both at 64 and 256
# connections and appends req/s, p50, p99 and the Kodo/nginx ratio to
# bench/RESULTS.md. Both servers are stopped at the end.
#
# Usage: bench/status_page.sh [seconds=10]
# Env: BUILD (make build dir, default build), KODO_THREADS (default: Kodo's
# own default), WRK_THREADS (default 2), ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
build=${BUILD:-build}
wrk_threads=${WRK_THREADS:-2}
command -v wrk >/dev/null || { echo "bench: needs wrk (apt-get install wrk)"; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx_bin" ] || { echo "bench: needs nginx (apt-get install nginx-light)"; exit 1; }
make -s BUILD="$build" "$build/release/kodo"

tmp=$(mktemp -d /tmp/kodo-bench-status-XXXXXX)
kodo_pid=""
nginx_pid=""
cleanup() {
	[ -n "$kodo_pid" ] && kill "$kodo_pid" 2>/dev/null && wait "$kodo_pid" 2>/dev/null
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# --- Kodo ---
kport=$(free_port)
token="kodo_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
threads_opt=()
[ -n "${KODO_THREADS:-}" ] && threads_opt=(--threads "$KODO_THREADS")
KODO_ADMIN_TOKEN=$token "$build/release/kodo" serve --data "$tmp/data" \
	--listen "127.0.0.1:$kport" "${threads_opt[@]}" >"$tmp/kodo.log" 2>&1 &
kodo_pid=$!
kurl=http://127.0.0.1:$kport
for _ in $(seq 100); do curl -sf "$kurl/healthz" >/dev/null && break; sleep 0.1; done

# shellcheck source=bench/status_seed.sh
. bench/status_seed.sh

# --- the same bytes for nginx ---
mkdir -p "$tmp/nginx/root/api/v2" "$tmp/nginx/logs"
chmod 755 "$tmp" # nginx's workers run as www-data when started by root
curl -sf "$kurl/" -o "$tmp/nginx/root/index.html"
curl -sf "$kurl/api/v2/summary.json" -o "$tmp/nginx/root/api/v2/summary.json"
# What browsers get: Kodo's precompressed page, served by nginx's gzip_static.
curl -sf -H 'Accept-Encoding: gzip' "$kurl/" -o "$tmp/nginx/root/index.html.gz"
html_bytes=$(wc -c <"$tmp/nginx/root/index.html" | tr -d ' ')
gz_bytes=$(wc -c <"$tmp/nginx/root/index.html.gz" | tr -d ' ')
json_bytes=$(wc -c <"$tmp/nginx/root/api/v2/summary.json" | tr -d ' ')
nport=$(free_port)
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	types { text/html html; application/json json; }
	default_type application/octet-stream;
	open_file_cache max=100 inactive=60s;
	gzip_static on;
	server {
		listen 127.0.0.1:$nport;
		root $tmp/nginx/root;
		index index.html;
	}
}
EOF
"$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' 2>>"$tmp/nginx/logs/error.log" &
nginx_pid=$!
nurl=http://127.0.0.1:$nport
for _ in $(seq 100); do curl -sf "$nurl/" >/dev/null && break; sleep 0.1; done
for enc in identity gzip; do
	cmp -s <(curl -s -H "Accept-Encoding: $enc" "$nurl/") <(curl -s -H "Accept-Encoding: $enc" "$kurl/") ||
		{ echo "bench: nginx and Kodo bytes differ ($enc)"; exit 1; }
done

# --- load ---
run() { wrk -t"$wrk_threads" -c"$1" -d"${secs}s" --latency ${3:+-H "$3"} "$2"; }
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p() { echo "$1" | awk -v q="$2" '$1==q {print $2}'; }
errors() { echo "$1" | awk '/Non-2xx|Socket errors/ {printf "%s ", $0}'; }
# Each case runs ROUNDS times, alternating which server goes first (the
# machine's background load drifts); the table gives medians, and the
# ratio is the median of the rounds' ratios.
rounds=${ROUNDS:-3}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000} print v}'; }
rows=()
for target in "/|HTML page /|$html_bytes|" "/api/v2/summary.json|summary.json|$json_bytes|" \
	"/|HTML page /, gzip|$gz_bytes|Accept-Encoding: gzip"; do
	IFS='|' read -r path label bytes header <<<"$target"
	for conns in 64 256; do
		kr=() nr=() kp50=() kp99=() np50=() np99=() ratios=() errs=""
		for r in $(seq "$rounds"); do
			if [ $((r % 2)) -eq 1 ]; then
				k=$(run "$conns" "$kurl$path" "$header"); n=$(run "$conns" "$nurl$path" "$header")
			else
				n=$(run "$conns" "$nurl$path" "$header"); k=$(run "$conns" "$kurl$path" "$header")
			fi
			echo "== $label, $conns connections, round $r: Kodo $(rps "$k") req/s, nginx $(rps "$n") req/s"
			kr+=("$(rps "$k")"); nr+=("$(rps "$n")")
			kp50+=("$(p "$k" 50% | ms)"); kp99+=("$(p "$k" 99% | ms)")
			np50+=("$(p "$n" 50% | ms)"); np99+=("$(p "$n" 99% | ms)")
			ratios+=("$(awk -v a="$(rps "$k")" -v b="$(rps "$n")" 'BEGIN {printf "%.2f", a / b}')")
			errs="$errs$(errors "$k")$(errors "$n")"
		done
		med() { printf '%s\n' "$@" | median; }
		rows+=("| $label ($bytes B) | $conns | $(med "${kr[@]}") | $(med "${kp50[@]}") ms | $(med "${kp99[@]}") ms | $(med "${nr[@]}") | $(med "${np50[@]}") ms | $(med "${np99[@]}") ms | $(med "${ratios[@]}")× | ${ratios[*]} |")
		[ -n "$errs" ] && rows+=("| ↳ errors | | $errs | | | | | | | |")
	done
done

{
	echo
	echo "### $(date -u +%Y-%m-%dT%H:%MZ) — bench/status_page.sh $secs ($(nproc) cores, wrk -t$wrk_threads keep-alive on the same machine; Kodo threads: ${KODO_THREADS:-default}; medians of $rounds alternating rounds)"
	echo
	echo "| target | conns | Kodo req/s | Kodo p50 | Kodo p99 | nginx req/s | nginx p50 | nginx p99 | Kodo/nginx (median) | each round |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Targets: Kodo ≥ 1.0× nginx's req/s on the same bytes; Kodo p99 ≤ 10 ms at 256 connections."
	echo "nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'), worker_processes auto, sendfile, open_file_cache, gzip_static, access_log off."
} >>"${RESULTS:-bench/RESULTS.md}"
tail -14 "${RESULTS:-bench/RESULTS.md}"
