# Sourced by the status benchmarks that need only Kodo: builds the release
# binary, starts `kodo serve` on a temporary data folder and a free
# loopback port with --rate-limit 0 (one token sends everything: these
# measure the pages, not the per-caller limit), stops it on exit, and
# seeds the page of bench/status_seed.sh. Sets tmp, kurl, token.
# Needs: build (make build dir), name (for the temporary folder).
command -v wrk >/dev/null || { echo "bench: needs wrk (apt-get install wrk)"; exit 1; }
make -s BUILD="$build" "$build/release/kodo"
tmp=$(mktemp -d "/tmp/kodo-bench-$name-XXXXXX")
kodo_pid=""
cleanup() {
	[ -n "$kodo_pid" ] && kill "$kodo_pid" 2>/dev/null && wait "$kodo_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
kport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token="kodo_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
KODO_ADMIN_TOKEN=$token "$build/release/kodo" serve --data "$tmp/data" --rate-limit 0 \
	--listen "127.0.0.1:$kport" >"$tmp/kodo.log" 2>&1 &
kodo_pid=$!
kurl=http://127.0.0.1:$kport
for _ in $(seq 100); do curl -sf "$kurl/healthz" >/dev/null && break; sleep 0.1; done
# shellcheck source=bench/status_seed.sh
. bench/status_seed.sh
