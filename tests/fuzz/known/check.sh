#!/bin/sh
# check.sh - run each known bug's reproducer (tests/fuzz/known/<target>-<bug>)
# against its target built with FUZZ_STRICT=1, guards off.
# Usage: check.sh STRICT_FUZZ_DIR
# Prints per bug "still crashes" (with the first line of the report) or
# "fixed"; fails while any still crashes.  A fixed bug's reproducer belongs
# in tests/fuzz/corpus/<target>/ then, and its guard comes out.
set -u
dir=$1 here=$(dirname "$0") left=0
export FUZZ_STRICT=1
unset LSAN_OPTIONS
for f in "$here"/*-*; do
    name=$(basename "$f")
    target=${name%%-*}
    [ -x "$dir/fuzz_$target" ] || continue
    log="$dir/known-$name.log"
    if "$dir/fuzz_$target" -timeout=5 -rss_limit_mb=2048 \
        -artifact_prefix="$dir/known-" "$f" >"$log" 2>&1; then
        printf '%-30s fixed\n' "$name"
    else
        left=$((left + 1))
        why=$(grep -a -m1 'property failed\|ERROR: \|runtime error' "$log" |
              sed 's/^==[0-9]*== *//' | cut -c1-110)
        printf '%-30s still crashes: %s\n' "$name" "$why"
    fi
done
[ "$left" = 0 ]
