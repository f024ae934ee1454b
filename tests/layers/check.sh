#!/bin/sh
# check.sh - the rule between the layers (docs/ARCHITECTURE.md), read from
# the sources' #include lines and calls:
#   - the pure folders (common/, server/model, rules, assign, slots, board)
#     include nothing from store/, http/, api/, sync/, web/ or demo/, nor
#     the server's app.h, config.h or scheduler.h; common/ includes only
#     common/ (the device SDK builds it too);
#   - in server/ and common/, only server/store/ uses SQLite;
#   - in server/ and common/, only server/sync/ and common/ use protobuf-c;
#   - client-sdk/ includes nothing of server/.
# Prints each breach as FILE:LINE: rule, and "layers: PASS" or
# "layers: FAIL (N breaches)"; exits 1 on a breach.
# Usage: tests/layers/check.sh [ROOT]     (ROOT defaults to .)
#        tests/layers/check.sh --self-test   (a tree with one breach of
#        each rule must fail with each named, the project's tree pass)
set -u


# breach RULE: each "file:line:text" line on standard input is one
breach() {
    while IFS= read -r hit; do
        echo "${hit%%:*}:$(echo "$hit" | cut -d: -f2): $1"
    done
}

# in_files DIRS...: the C sources and headers under each existing DIR
in_files() {
    for d in "$@"; do
        [ -d "$d" ] && find "$d" -name '*.[ch]' -not -path '*/node_modules/*'
    done
}

# grep_in PATTERN FILES...: matches as file:line:text (none: nothing)
grep_in() {
    pattern=$1
    shift
    [ $# -gt 0 ] && grep -HnE "$pattern" "$@" || true
}

check_tree() {
    root=$1
    upper='#include "(store|http|api|sync|web|demo)/|#include "(app|config|scheduler)\.h"'
    # shellcheck disable=SC2046
    grep_in "$upper" $(in_files "$root/server/model" "$root/server/rules" \
        "$root/server/assign" "$root/server/slots" "$root/server/board") |
        breach "a pure layer includes an upper one" >"$tmp/out"
    # shellcheck disable=SC2046
    grep_in '#include "[^"]*/' $(in_files "$root/common") |
        grep -v '#include "common/' |
        breach "common/ includes something not in common/" >>"$tmp/out"
    # shellcheck disable=SC2046
    grep_in '#include <sqlite3\.h>|\bsqlite3_[a-z_]+\(' \
        $(in_files "$root/server" "$root/common" | grep -v '/server/store/') |
        breach "SQLite outside server/store/" >>"$tmp/out"
    # shellcheck disable=SC2046
    grep_in '#include "fsd\.pb-c\.h"|#include <protobuf-c/|\bprotobuf_c_[a-z_]+\(|\bfsd__v1__' \
        $(in_files "$root/server" | grep -v '/server/sync/') |
        breach "protobuf-c outside server/sync/ and common/" >>"$tmp/out"
    # shellcheck disable=SC2046
    grep_in '#include "(server/|store/|http/|api/|sync/|rules/|model/|assign/|slots/|board/|web/|demo/)' \
        $(in_files "$root/client-sdk") |
        breach "client-sdk/ includes server code" >>"$tmp/out"
    cat "$tmp/out"
    wc -l <"$tmp/out"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${1:-}" = "--self-test" ]; then
    bad=$tmp/bad
    mkdir -p "$bad/server/rules" "$bad/server/api" "$bad/common" \
        "$bad/client-sdk/src"
    printf '#include "store/store.h"\n' >"$bad/server/rules/r.c"
    printf '#include "http/http.h"\n' >"$bad/common/c.h"
    printf 'int f(void) { return sqlite3_exec(0, 0, 0, 0, 0); }\n' \
        >"$bad/server/api/a.c"
    printf '#include "fsd.pb-c.h"\n' >"$bad/server/api/b.c"
    printf '#include "store/store.h"\n' >"$bad/client-sdk/src/s.c"
    found=$(check_tree "$bad" | tee "$tmp/self")
    for rule in "a pure layer includes an upper one" \
        "common/ includes something not in common/" \
        "SQLite outside server/store/" \
        "protobuf-c outside server/sync/ and common/" \
        "client-sdk/ includes server code"; do
        grep -q "$rule" "$tmp/self" || {
            echo "layers: FAIL (the self-test's breach of \"$rule\" was not found)"
            exit 1
        }
    done
    [ "$(echo "$found" | tail -n 1)" = 5 ] || {
        echo "layers: FAIL (the self-test found $(echo "$found" | tail -n 1) breaches, not 5)"
        exit 1
    }
    shift
fi

n=$(check_tree "${1:-.}" | tee "$tmp/found" | tail -n 1)
sed '$d' "$tmp/found"
if [ "$n" -eq 0 ]; then
    echo "layers: PASS"
else
    echo "layers: FAIL ($n breaches)"
    exit 1
fi
