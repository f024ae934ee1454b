#!/bin/sh
# run.sh - run every test binary, all of them even after a failure; exit 1
# when any failed.  Check prints each suite's summary line.
# Usage: run.sh BUILD_DIR BINARY...
build=$1; shift
failed=""
FSD_SERVER="$build/fsd-server"; export FSD_SERVER
FSD_TECH="$build/fsd-tech"; export FSD_TECH
for t in "$@"; do
    echo "== $(basename "$t")"
    "$t" || failed="$failed $(basename "$t")"
done
if [ -n "$failed" ]; then
    echo "FAILED:$failed"
    exit 1
fi
echo "all test suites passed"
