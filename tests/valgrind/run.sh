#!/bin/sh
# run.sh - the server under valgrind for a short end-to-end run: the e2e
# suites named in VALGRIND_SUITES (default e2e_crud e2e_web) start
# fsd-server through a wrapper that runs it under memcheck with
# --leak-check=full, one log per server process; the run fails when any
# log reports definitely lost bytes or an invalid access.
# Usage: tests/valgrind/run.sh BUILD_DIR
set -eu
build=$1
command -v valgrind >/dev/null 2>&1 || sh tests/install-deps.sh valgrind
logs=$(mktemp -d "${TMPDIR:-/tmp}/fsd-valgrind.XXXXXX")
wrapper="$logs/fsd-server"
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \\
    --log-file="$logs/vg.%p.log" "$(pwd)/$build/fsd-server" "\$@"
WRAP
chmod +x "$wrapper"
for suite in ${VALGRIND_SUITES:-e2e_crud e2e_web}; do
    FSD_SERVER=$wrapper FSD_TECH=$build/fsd-tech CK_RUN_SUITE=$suite \
        "$build/tests/e2e_suite"
done
runs=$(ls "$logs"/vg.*.log | wc -l)
lost=$(cat "$logs"/vg.*.log | grep -c "definitely lost" || true)
bad=$(cat "$logs"/vg.*.log | grep -cE "Invalid (read|write)|uninitialised" || true)
echo "valgrind: $runs server processes, $lost reports of definitely lost memory, $bad invalid accesses"
if [ "$lost" != 0 ] || [ "$bad" != 0 ]; then
    cat "$logs"/vg.*.log
    exit 1
fi
rm -rf "$logs"
