#!/bin/sh
# install-deps.sh - install the Debian packages fsd needs that are missing.
# Usage: install-deps.sh [--check] PACKAGE...
#   --check  only report missing packages and fail if there are any
set -eu
check_only=0
if [ "${1:-}" = "--check" ]; then check_only=1; shift; fi
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$check_only" = 1 ]; then
    echo "missing Debian packages:$missing (run: make deps)" >&2
    exit 1
fi
echo "installing:$missing"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
