#!/bin/sh
# run.sh - the browser tests: install playwright-core from the lock file
# when it is missing, then run every *.test.mjs with node's test runner
# against the server in BUILD_DIR.  Screenshots land in BUILD_DIR/screenshots.
# Usage: tests/browser/run.sh BUILD_DIR
set -eu
here=$(dirname "$0")
if [ ! -d "$here/node_modules/playwright-core" ]; then
    npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
fi
FSD_BUILD=$1 exec node --test --test-concurrency=1 "$here"/*.test.mjs
