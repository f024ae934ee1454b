#!/bin/sh
# run.sh - run libFuzzer targets for a bounded time each and report.
# Usage: run.sh FUZZ_DIR SECONDS NAME...
#   runs FUZZ_DIR/fuzz_NAME for SECONDS on a fresh copy of
#   tests/fuzz/corpus/NAME (the checked-in seeds are never written), keeps
#   its log in FUZZ_DIR/run/NAME/log and any crashing input in
#   FUZZ_DIR/artifacts/, prints per target the executions, and fails when
#   any target crashed (a sanitizer report, a broken property, a timeout of
#   10 s on one input, or over 2 GiB of memory).
set -u
dir=$1 secs=$2
shift 2
here=$(dirname "$0")
mkdir -p "$dir/artifacts"
# known leaks are not reported unless FUZZ_STRICT is set (known/README)
if [ -z "${FUZZ_STRICT:-}" ]; then
    LSAN_OPTIONS="suppressions=$here/known/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
    export LSAN_OPTIONS
fi
total=0 failed=""
printf '%-14s %12s %10s %8s %8s  %s\n' target executions exec/s cov corpus result
for name in "$@"; do
    bin="$dir/fuzz_$name" work="$dir/run/$name"
    rm -rf "$work"
    mkdir -p "$work/corpus"
    if [ -d "$here/corpus/$name" ]; then
        cp -R "$here/corpus/$name/." "$work/corpus/"
    fi
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" \
        "$work/corpus" >"$work/log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
    if [ -z "$execs" ]; then # no final stats after a crash: the last status line
        execs=$(grep -o '^#[0-9]*' "$work/log" | tail -n 1 | tr -d '#')
    fi
    execs=${execs:-0}
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -n 1)
    last=$(grep '^#[0-9]' "$work/log" | tail -n 1)
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    total=$((total + execs))
    if [ "$rc" = 0 ]; then
        result="ok"
    else
        result="CRASHED (exit $rc)"
        failed="$failed $name"
    fi
    printf '%-14s %12s %10s %8s %8s  %s\n' "$name" "$execs" "${rate:--}" \
        "${cov:--}" "${corp:--}" "$result"
    if [ "$rc" != 0 ]; then
        echo "---- last lines of $work/log:"
        tail -n 40 "$work/log" | sed 's/^/    /'
        echo "---- reproduce: $bin $dir/artifacts/$name-*"
    fi
done
printf '%-14s %12s executions in all, %s s per target\n' total "$total" "$secs"
if [ -n "$failed" ]; then
    echo "fuzz: crashed:$failed" >&2
    exit 1
fi
echo "fuzz: none of $# targets crashed"
