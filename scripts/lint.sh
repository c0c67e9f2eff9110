#!/bin/sh
# Mechanical checks of the code's promises: formatting, static analysis,
# banned functions, and that arrows point down (core/ knows no HTTP or SQL,
# http/ knows no SQL).
set -u
status=0
fail() { echo "lint: $*" >&2; status=1; }

banned=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|gets)\s*\(' src tests/unit || true)
[ -n "$banned" ] && fail "banned functions:
$banned"

layer=$(grep -rnE '#include [<"](microhttpd|sqlite3|libpq|http/|store/sqlite)' src/core || true)
[ -n "$layer" ] && fail "core/ must not include HTTP or SQL headers:
$layer"
layer=$(grep -rnE '#include [<"](sqlite3|libpq|store/sqlite)' src/http || true)
[ -n "$layer" ] && fail "http/ must not include SQL headers:
$layer"
layer=$(grep -rnE '#include [<"](microhttpd|http/|core/)' src/store src/util || true)
[ -n "$layer" ] && fail "store/ and util/ must not include upper layers:
$layer"

layer=$(grep -rnE '#include [<"](microhttpd|sqlite3|core/|store/|http/|probe/)' src/cli || true)
[ -n "$layer" ] && fail "src/cli is an API client: no server headers:
$layer"
layer=$(grep -rnE '#include [<"](microhttpd|sqlite3|http/|core/|store/sqlite)' src/probe || true)
[ -n "$layer" ] && fail "probe/ only produces results: no HTTP server, core or SQL:
$layer"

if command -v cppcheck >/dev/null 2>&1; then
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -Isrc src || fail "cppcheck found problems"
fi
if command -v clang-format >/dev/null 2>&1 && [ -f .clang-format ]; then
	files=$(find src tests/unit -name '*.[ch]')
	# shellcheck disable=SC2086
	clang-format --dry-run $files 2>/tmp/kodo-format.txt
	[ -s /tmp/kodo-format.txt ] && echo "lint: clang-format differences (advisory):" && head -20 /tmp/kodo-format.txt
fi
exit $status
