#!/bin/sh
# The one list of Debian packages Kodo needs to build, run and test.
# Installs what is missing when run as root; otherwise prints the exact
# apt-get line and fails. Usage: scripts/deps.sh [build|test]
set -eu

build="build-essential pkg-config libjansson-dev
libsqlite3-dev libsodium-dev libcurl4-openssl-dev libcmark-dev zlib1g-dev"
test_pkgs="python3 python3-pytest python3-requests python3-yaml python3-feedparser sqlite3
curl openssl chromium fonts-dejavu-core nodejs"
# The browser test installs playwright-core with npm: Debian's npm, unless
# the installed nodejs already bundles one.
command -v npm >/dev/null 2>&1 || test_pkgs="$test_pkgs npm"

want="$build"
[ "${1:-build}" = test ] && want="$build $test_pkgs"

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
else
	echo "deps: missing Debian packages. Run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
