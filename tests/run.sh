#!/bin/sh
# run.sh - run Check test binaries, every one even after a failure.  Each
# binary's output follows a line "== NAME"; one that exits non-zero is
# followed by "== NAME: exit status N" (what tests/summary.awk reads besides
# Check's own lines).  Exits 1 when any binary failed.
# Usage: run.sh BUILD_DIR BINARY...
build=$1; shift
rc=0
FSD_SERVER="$build/fsd-server"; export FSD_SERVER
FSD_TECH="$build/fsd-tech"; export FSD_TECH
for t in "$@"; do
    name=$(basename "$t")
    echo "== $name"
    "$t" || { echo "== $name: exit status $?"; rc=1; }
done
exit $rc
