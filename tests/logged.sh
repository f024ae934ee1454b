#!/bin/sh
# logged.sh - run one group of make test's tests: print the command's output
# (standard error with it) and keep it in LOG for tests/summary.awk.  A
# non-zero exit adds a last line "== GROUP: exit status N", GROUP being LOG's
# name without .log.  Exits 0: the log, read by the summary, says how it went.
# Usage: tests/logged.sh LOG COMMAND [ARG...]
log=$1; shift
group=$(basename "$log" .log)
mkdir -p "$(dirname "$log")"
{ "$@" 2>&1 || echo "== $group: exit status $?"; } | tee "$log"
