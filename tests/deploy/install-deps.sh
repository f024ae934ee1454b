#!/bin/sh
# install-deps.sh - what the deployment test needs from Debian: nginx,
# openssl and jq.  Installing nginx would start Debian's own nginx on port
# 80 of this machine; the test runs its own, so a policy-rc.d that refuses
# every service start stands while the packages go in (one already there
# is left as it is).
# Usage: tests/deploy/install-deps.sh
set -eu
here=$(dirname "$0")
packages="nginx openssl jq"
sh "$here/../install-deps.sh" --check $packages 2>/dev/null && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
policy=/usr/sbin/policy-rc.d
own=0
if [ ! -e $policy ]; then
    printf '#!/bin/sh\n# no service starts while fsd installs its test tools\nexit 101\n' |
        $sudo tee $policy >/dev/null
    $sudo chmod 755 $policy
    own=1
fi
rc=0
sh "$here/../install-deps.sh" $packages || rc=$?
[ $own = 0 ] || $sudo rm -f $policy
exit $rc
