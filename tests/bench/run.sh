#!/bin/sh
# run.sh - run fsd's benchmarks and print a markdown summary for README.md.
# Usage: run.sh BUILD_DIR   (make bench builds BUILD_DIR/bench/* first)
#
# Starts fsd-server on a fresh database (init + demo) in a temporary
# directory (through fsd-test-server, as the browser tests do), measures GET /healthz with wrk against it and against a bare
# CivetWeb server (civet_baseline), then durable job creation with
# bench_writes against raw SQLite.  Every figure is printed next to a
# baseline measured in this same run, since the machine is shared and noisy:
# the ratios are the comparable numbers, the absolute ones are not.  Nothing
# here asserts a time; it fails only when something cannot run.  Loopback
# only; about 30 s in all.
#
# Then technician sync through the device SDK (bench_sync), against
# Ed25519 sign+verify and the bare CivetWeb rate from this run.
#
# Last, a service company's busy hour (bench_load) on another fresh server
# (init + demo, 96 threads): devices syncing, dispatchers on the board and
# customers booking at once, each route against its p50 alone on the same
# server and data just before: BENCH_LOAD_SECONDS (5 min by default) after
# a setup of a minute or two.
#
# Environment: BENCH_SECONDS (wrk, default 5), BENCH_WRITE_SECONDS
# (default 3), BENCH_CLIENTS (default 1,8,32), BENCH_THREADS (default 64),
# BENCH_DEVICES (default 8), BENCH_SYNC_SECONDS (default 3),
# BENCH_BIG_JOBS (jobs added for the last no-change sync, default 1000000),
# BENCH_LOAD_DEVICES (busy hour, default 2000), BENCH_LOAD_DISPATCHERS
# (default 20), BENCH_LOAD_CUSTOMERS (default 200), BENCH_LOAD_SECONDS
# (default 300).
set -eu
build=${1:-build}
http_s=${BENCH_SECONDS:-5}
write_s=${BENCH_WRITE_SECONDS:-3}
clients=${BENCH_CLIENTS:-1,8,32}
threads=${BENCH_THREADS:-64}
sync_devices=${BENCH_DEVICES:-8}
sync_s=${BENCH_SYNC_SECONDS:-3}
big_jobs=${BENCH_BIG_JOBS:-1000000}
load_devices=${BENCH_LOAD_DEVICES:-2000}
load_dispatchers=${BENCH_LOAD_DISPATCHERS:-20}
load_customers=${BENCH_LOAD_CUSTOMERS:-200}
load_s=${BENCH_LOAD_SECONDS:-300}
wrk_threads=2
wrk_conns=32
wrk_args="-t$wrk_threads -c$wrk_conns"

command -v wrk >/dev/null 2>&1 || sh tests/install-deps.sh wrk

# Under the default TMPDIR so that SQLite's fsyncs hit a real file system
# when /tmp is one; both databases live side by side.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fsd-bench.XXXXXX")
fsd_url=""
fsd_pid=""
holder_pid=""
civet_pid=""
stop() { # PID: SIGTERM and wait; the servers stop by themselves on it
    [ -n "$1" ] || return 0
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# serve NAME DATA [SERVE-ARGS...]: fsd-server on the database in $tmp/NAME
# (DATA: demo, empty or kept) through fsd-test-server
# (tests/support/serve_child.c), which the C suites' harness also runs;
# sets fsd_url and fsd_pid.  The server runs while file descriptor 3 is
# open: stop_fsd closes it, and so does this script's end, however it ends.
serve() {
    name=$1 data=$2
    shift 2
    rm -f "$tmp/$name.ctl" "$tmp/$name.out"
    mkfifo "$tmp/$name.ctl" "$tmp/$name.out"
    "$build/tests/fsd-test-server" --server "$build/fsd-server" \
        --dir "$tmp/$name" --data "$data" -- --log-level warn "$@" \
        <"$tmp/$name.ctl" >"$tmp/$name.out" &
    holder_pid=$!
    exec 3>"$tmp/$name.ctl"
    fsd_url=""
    read -r fsd_url fsd_pid _ <"$tmp/$name.out" || true
    [ -n "$fsd_url" ] || { echo "bench: fsd-server did not start" >&2; exit 1; }
}
stop_fsd() {
    [ -n "$holder_pid" ] || return 0
    exec 3>&-
    wait "$holder_pid" 2>/dev/null || true
    holder_pid=""
}
cleanup() {
    stop "$civet_pid"
    stop_fsd
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_port FILE PID: the port the baseline server wrote to FILE, within
# 10 s.
wait_port() {
    i=0
    while [ ! -s "$1" ]; do
        kill -0 "$2" 2>/dev/null || { echo "bench: server exited" >&2; return 1; }
        i=$((i + 1))
        [ $i -le 100 ] || { echo "bench: no port in $1" >&2; return 1; }
        sleep 0.1
    done
    cat "$1"
}

# wrk_rps NAME URL SECONDS: run wrk, keep its report, print req/s.
wrk_rps() {
    wrk -t"$wrk_threads" -c"$wrk_conns" -d"$3"s --latency "$2" >"$tmp/wrk-$1.txt"
    if grep -q -e 'Non-2xx' -e 'Socket errors' "$tmp/wrk-$1.txt"; then
        echo "bench: wrk on $1 saw errors:" >&2
        grep -e 'Non-2xx' -e 'Socket errors' "$tmp/wrk-$1.txt" >&2
    fi
    awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk-$1.txt"
}

# p99 NAME: the 99th percentile latency from wrk --latency.
p99() { awk '$1 == "99%" { print $2 }' "$tmp/wrk-$1.txt"; }

echo "== fsd benchmarks ($(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ))"
serve fsd demo --threads "$threads"
"$build/bench/civet_baseline" --threads "$threads" --port-file "$tmp/civet.port" &
civet_pid=$!
civet_port=$(wait_port "$tmp/civet.port" "$civet_pid")

echo "== GET /healthz: wrk $wrk_args -d${http_s}s, keep-alive, $threads server threads"
wrk_rps warm-civet "http://127.0.0.1:$civet_port/healthz" 1 >/dev/null
wrk_rps warm-fsd "$fsd_url/healthz" 1 >/dev/null
civet_rps=$(wrk_rps civet "http://127.0.0.1:$civet_port/healthz" "$http_s")
fsd_rps=$(wrk_rps fsd "$fsd_url/healthz" "$http_s")
stop "$civet_pid"
civet_pid=""
if [ -z "$civet_rps" ] || [ -z "$fsd_rps" ]; then
    echo "bench: wrk gave no figure" >&2
    exit 1
fi
http_ratio=$(awk -v a="$fsd_rps" -v b="$civet_rps" 'BEGIN { printf "%.2f", a / b }')
printf '  baseline (bare CivetWeb):  %10.0f req/s  p99 %s\n' "$civet_rps" "$(p99 civet)"
printf '  fsd-server:                %10.0f req/s  p99 %s\n' "$fsd_rps" "$(p99 fsd)"
echo "  ratio fsd/baseline: $http_ratio"

echo "== POST /api/v1/jobs"
"$build/bench/bench_writes" --url "$fsd_url" --dir "$tmp" \
    --seconds "$write_s" --clients "$clients" >"$tmp/writes.txt"
grep -v '^summary: ' "$tmp/writes.txt"

echo "== technician sync through the device SDK: $sync_devices devices, ${sync_s}s per phase"
"$build/bench/bench_sync" --url "$fsd_url" --dir "$tmp" \
    --devices "$sync_devices" --seconds "$sync_s" --civet-rps "$civet_rps" \
    --server-pid "$fsd_pid" >"$tmp/sync.txt"
grep -v '^summary: ' "$tmp/sync.txt"
stop_fsd

echo "== no-change sync with $big_jobs more jobs in the database"
sqlite3 "$tmp/fsd/fsd.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
    SELECT i + 1 FROM n WHERE i < $big_jobs) INSERT INTO jobs(customer_id,
    kind, fault, created_at, updated_at, respond_by) SELECT
    (SELECT min(id) FROM customers), 'repair', 'load', 0, 0, 0 FROM n;"
serve fsd kept --threads "$threads"
mkdir -p "$tmp/big"
"$build/bench/bench_sync" --url "$fsd_url" --dir "$tmp/big" \
    --devices "$sync_devices" --seconds "$sync_s" --civet-rps "$civet_rps" \
    --only-no-change "no-change sync, $big_jobs more jobs" >"$tmp/big.txt"
grep -v '^summary: ' "$tmp/big.txt"
stop_fsd

echo
echo "## Performance"
echo
echo "\`make bench\` on $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%d); client and"
echo "server share the machine over loopback. Each baseline is measured in the same"
echo "run; compare ratios, not absolute figures, across machines."
echo
echo "| benchmark | fsd-server | baseline (same run) | ratio |"
echo "|---|---|---|---|"
printf '| GET /healthz, wrk %s, %s s, keep-alive, %s threads | %.0f req/s (p99 %s) | %.0f req/s (bare CivetWeb, p99 %s) | %s |\n' \
    "$wrk_args" "$http_s" "$threads" "$fsd_rps" "$(p99 fsd)" \
    "$civet_rps" "$(p99 civet)" "$http_ratio"
sed -n 's/^summary: //p' "$tmp/writes.txt"
sed -n 's/^summary: //p' "$tmp/sync.txt"
sed -n 's/^summary: //p' "$tmp/big.txt"
sh tests/bench/assign/run.sh "$build"

# The slot search (bench_slots): one job's 14-day search on a large offer,
# against 14 straight-line travels from every home measured in the same run.
echo
"$build/bench/bench_slots" >"$tmp/slots.txt"
grep -v '^summary: ' "$tmp/slots.txt"
echo
echo "| benchmark | fsd | baseline (same run) | ratio |"
echo "|---|---|---|---|"
sed -n 's/^summary: //p' "$tmp/slots.txt"

# The dispatcher's board opening on a 500-job day in chromium
# (board_load.mjs), against fetching the board's JSON in the same page.
echo
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error \
    >/dev/null 2>&1 || true
FSD_BUILD=$build node tests/bench/board_load.mjs

# The busy hour (bench_load) on a fresh server of its own; the trap stops
# it if the run is cut short.
echo
echo "== busy hour: $load_devices devices, $load_dispatchers dispatchers," \
    "$load_customers customers, ${load_s}s after setup"
serve load demo --threads 96
load_rc=0
"$build/bench/bench_load" --url "$fsd_url" \
    --db "$tmp/load/fsd.db" --pid "$fsd_pid" --dir "$tmp/load" \
    --devices "$load_devices" --dispatchers "$load_dispatchers" \
    --customers "$load_customers" --seconds "$load_s" >"$tmp/load.txt" ||
    load_rc=$?
grep -v '^summary: ' "$tmp/load.txt" || true
stop_fsd
echo
echo "| benchmark | fsd-server | baseline (same run) | ratio |"
echo "|---|---|---|---|"
sed -n 's/^summary: //p' "$tmp/load.txt"
# Its report is printed even when it saw errors; then the server's last
# words, and the script fails.
if [ "$load_rc" -ne 0 ]; then
    echo "bench: bench_load failed (exit $load_rc); the server's log ends:" >&2
    tail -n 20 "$tmp/load/server.log" >&2
    exit "$load_rc"
fi
