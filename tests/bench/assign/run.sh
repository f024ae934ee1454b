#!/bin/sh
# run.sh - the assignment engine benchmark: generates seeded instances
# (sizes x loads x seeds) into BUILD/bench/assign/, runs bench_assign on
# them with the reference solvers that are installed, and prints a
# markdown summary per size and load, averaged over the seeds.
# Usage: run.sh [BUILD_DIR]   (make bench builds BUILD_DIR/bench/* first)
#
# First a self-test: the checked-in VROOM solutions in testdata/ are scored
# (one feasible, one breaking a skill) whether or not vroom is installed.
# When a `vroom` binary is on PATH, the S instances are also solved by it
# and scored with the engine's metrics.  References: S gets the exact MIP
# of the assignment relaxation (stopped after ASSIGN_MIP_SECONDS: at high
# load it is hard, and the gap is then to its best bound) and its LP; M and
# L the LP bound (L through the class aggregation, FORMAT.md).  cbc runs
# on every instance; glpsol, slower (~40 s per L LP), on the first seed of
# each size and load as a cross-check, or on all when cbc is missing.
# Every engine run and solver call has a time limit; the default run takes
# about 10 minutes on 2 cores (S ~2, M ~1.5, L ~7 min).
#
# Environment: ASSIGN_SIZES (default S,M,L), ASSIGN_LOADS (0.8,1.0,1.2,1.5),
# ASSIGN_SEEDS (5: seeds 1..N), ASSIGN_MS_S / _M / _L (engine time limit,
# 200 / 500 / 2000 ms), ASSIGN_REF_SECONDS (LP limit, 120),
# ASSIGN_MIP_SECONDS (MIP limit, 10), ASSIGN_LP_CHECK=1 (also solve the
# first L instance's LP without aggregation, to measure it and to show
# both forms agree; ~4 min more).
set -eu
build=${1:-build}
here=$(dirname "$0")
out=$build/bench/assign
sizes=$(echo "${ASSIGN_SIZES:-S,M,L}" | tr ',' ' ')
loads=$(echo "${ASSIGN_LOADS:-0.8,1.0,1.2,1.5}" | tr ',' ' ')
seeds=${ASSIGN_SEEDS:-5}
ref_s=${ASSIGN_REF_SECONDS:-120}
mip_s=${ASSIGN_MIP_SECONDS:-10}
gen=$build/bench/assign_gen
bench=$build/bench/bench_assign
started=$(date +%s)
status=0

mkdir -p "$out"
rm -f "$out"/*.lp.* "$out"/*.list "$out/summary.txt" "$out/gen.txt"

echo "== assignment engine benchmark ($(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ))"
for s in glpsol cbc vroom; do
    if command -v $s >/dev/null 2>&1; then
        echo "  $s: $(command -v $s)"
    else
        echo "  $s: not installed - its part is skipped"
    fi
done

echo "== self-test: scoring VROOM solutions (testdata/)"
for sol in vroom-solution vroom-infeasible; do
    "$bench" --score-vroom "$here/testdata/small.$sol.json" \
        "$here/testdata/small.json" >"$out/selftest.txt" 2>&1 || status=1
    printf '  %-18s %s\n' "$sol" "$(awk '$1 == "vroom" {
        print "assigned " $4 ", violations " $16 ", own check " $18 }' \
        "$out/selftest.txt")"
done

for size in $sizes; do
    for load in $loads; do
        s=1
        while [ "$s" -le "$seeds" ]; do
            f=$(printf '%s/%s-%.2f-%d.json' "$out" "$size" "$load" "$s")
            vr=""
            [ "$size" = S ] && vr="--export-vroom ${f%.json}.vroom.json"
            # shellcheck disable=SC2086
            "$gen" --size "$size" --load "$load" --seed "$s" --out "$f" \
                $vr >>"$out/gen.txt"
            echo "$f" >>"$out/$size.list"
            s=$((s + 1))
        done
    done
done
echo "== generated $(wc -l <"$out/gen.txt") instances into $out (gen.txt lists them)"

for size in $sizes; do
    case $size in
    S) ms=${ASSIGN_MS_S:-200}; refs=mip,lp ;;
    M) ms=${ASSIGN_MS_M:-500}; refs="lp" ;;
    *) ms=${ASSIGN_MS_L:-2000}; refs="lp" ;;
    esac
    solvers=cbc,glpsol:1
    command -v cbc >/dev/null 2>&1 || solvers=glpsol
    echo "== size $size: engine time limit $ms ms, references $refs ($solvers)"
    files=$(cat "$out/$size.list")
    # shellcheck disable=SC2086
    "$bench" --time-limit-ms "$ms" --refs "$refs" --solvers "$solvers" \
        --ref-seconds "$ref_s" --mip-seconds "$mip_s" --work "$out" \
        $files >"$out/$size.txt" 2>&1 || status=1
    grep -v '^summary: ' "$out/$size.txt"
    sed -n 's/^summary: //p' "$out/$size.txt" >>"$out/summary.txt"
done

if [ "${ASSIGN_LP_CHECK:-0}" = 1 ]; then
    first=$(head -n 1 "$out/L.list" 2>/dev/null || true)
    if [ -n "$first" ]; then
        echo "== LP check on $first: direct and class forms, limit 300 s"
        "$bench" --time-limit-ms 0 --refs lp --lp-form both \
            --ref-seconds 300 --work "$out" "$first" | grep -e '^  LP' -e '^  ref'
    fi
fi

if command -v vroom >/dev/null 2>&1; then
    echo "== VROOM on the S instances (vroom -i IN -o OUT), scored by bench_assign"
    [ -f "$out/S.list" ] || : >"$out/S.list"
    while read -r inst; do
        in=${inst%.json}.vroom.json
        timeout 120 vroom -i "$in" -o "${in%.json}.solution.json" || continue
        "$bench" --score-vroom "${in%.json}.solution.json" "$inst" |
            grep -e '^==' -e '^  vroom'
    done <"$out/S.list"
fi

echo
echo "## Assignment engine"
echo
echo "Means over seeds 1..$seeds per size and load; gap = 1 - engine / reference on"
echo "priority-weighted assigned jobs (reference: MIP = exact optimum of the assignment"
echo "relaxation, LP = its LP bound; both ignore travel, so 'no travel' is the pure"
echo "assignment gap). Assigned % and the priority columns count coverable jobs only."
echo
awk '!seen[$0]++' "$out/summary.txt"
echo
echo "assignment benchmark took $(($(date +%s) - started)) s"
exit $status
