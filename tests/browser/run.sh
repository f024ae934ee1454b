#!/bin/sh
# run.sh - the browser tests: install the npm packages from the lock file
# when one is missing or not the locked version, then run every *.test.mjs
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
# shellcheck disable=SC2016 # the ${...} are JavaScript's
stale=$(node -e '
const fs = require("fs"), dir = process.argv[1];
const read = (f) => JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
const locked = read("package-lock.json").packages;
for (const path of Object.keys(locked).filter((p) => p)) {
    let have = "missing";
    try { have = read(path + "/package.json").version; } catch {}
    if (have !== locked[path].version)
        console.log(`${path} is ${have}, the lock has ${locked[path].version}`);
}' "$here")
if [ -n "$stale" ]; then
    printf '%s\n' "$stale"
    npm ci --prefix "$here" --no-audit --no-fund --loglevel=warn ||
        die "npm ci failed"
fi
set -- --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout
[ -z "$tap" ] ||
    set -- "$@" --test-reporter=tap --test-reporter-destination="$tap"
FSD_BUILD=$build exec node "$@" "$here"/*.test.mjs
