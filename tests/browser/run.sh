#!/bin/sh
# run.sh - the browser tests: install the npm packages from the lock file
# when one is missing or not the locked version (server/vendor/npm-sync.sh),
# then run every *.test.mjs
# with node's test runner against the server in BUILD_DIR.  Test names and
# failures go to standard output; with TAP_FILE the same results go there
# in TAP too (make test's summary reads them).  Screenshots land in
# BUILD_DIR/screenshots.
# Usage: tests/browser/run.sh BUILD_DIR [TAP_FILE]
set -eu
here=$(dirname "$0")
die() { echo "$0: $*" >&2; exit 1; }
command -v node >/dev/null || die "no node (make browser-deps installs it)"
build=$1
tap=${2-}
[ -z "$tap" ] || rm -f "$tap"
sh "$here/../../server/vendor/npm-sync.sh" "$here" || die "npm could not install the test driver"
set -- --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout
[ -z "$tap" ] ||
    set -- "$@" --test-reporter=tap --test-reporter-destination="$tap"
FSD_BUILD=$build exec node "$@" "$here"/*.test.mjs
