#!/bin/sh
# run.sh - the README's two commands on a machine that has never seen fsd:
# a brand-new Debian 12 (bookworm) root built with debootstrap, the
# committed HEAD cloned into it, then `make run` (until it prints the
# dispatcher URL, the README's "Try it" requests are answered and a second
# `make run` says the port is taken; then Ctrl-C) and `make test`, each
# with a clean environment.
#
# Only what the machine needs to reach its package mirrors is copied in:
# the apt sources and settings, extra CA certificates, npm's settings
# (/etc/npmrc: its CA file) and resolv.conf.  Nothing else: no compiler,
# no library, no node.  The bare root (before any fsd package) is cached as
# a tarball, so a run costs the package installs, the build and the tests.
#
# Usage: tests/fresh/run.sh            (make fresh)
# Settings (environment):
#   FSD_FRESH_CACHE  where the bare root's tarball is kept (/var/cache/fsd-fresh)
#   FSD_FRESH_ROOT   the root, made anew each run (/var/tmp/fsd-fresh-root)
#   FSD_FRESH_LOGS   logs of the two commands (build/fresh)
# Needs root (debootstrap, chroot, mount) and the machine's package mirrors.
set -eu

suite=bookworm
cache=${FSD_FRESH_CACHE:-/var/cache/fsd-fresh}
root=${FSD_FRESH_ROOT:-/var/tmp/fsd-fresh-root}
top=$(git rev-parse --show-toplevel)
logs=${FSD_FRESH_LOGS:-$top/build/fresh}
tarball=$cache/$suite-minbase-git-make.tar
run_pid=

say() { echo "fresh: $*"; }
die() { echo "fresh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mount)"

# The Debian mirror this machine's apt uses (deb822 or one-line sources).
mirror() {
    m=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources \
            2>/dev/null | tr ' ' '\n' | grep -v security | head -n 1)
    [ -n "$m" ] || m=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' \
                           /etc/apt/sources.list 2>/dev/null)
    echo "${m:-http://deb.debian.org/debian}"
}

# Is a TCP port listened on here (any address)?  /proc, no tools needed.
port_taken() {
    hex=$(printf '%04X' "$1")
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 }
                          END { exit !f }'
}

mounts_under_root() { awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts; }

unmount_root() {
    for m in $(mounts_under_root | sort -r); do
        umount -l "$m" 2>/dev/null || true
    done
}

cleanup() {
    [ -n "$run_pid" ] && kill -INT "-$run_pid" 2>/dev/null || true
    unmount_root
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_bare_root() {
    [ -s "$tarball" ] && return 0
    command -v debootstrap >/dev/null ||
        sh "$top/tests/install-deps.sh" debootstrap >/dev/null
    mkdir -p "$cache"
    tmp=$(mktemp -d /var/tmp/fsd-debootstrap.XXXXXX)
    say "building a bare Debian 12 root from $(mirror) (once; cached in $cache)"
    if ! debootstrap --variant=minbase --include=git,ca-certificates,make \
            "$suite" "$tmp" "$(mirror)" >"$cache/debootstrap.log" 2>&1; then
        rm -rf "$tmp"
        tail -n 5 "$cache/debootstrap.log" >&2
        die "debootstrap could not build a Debian 12 root from $(mirror):" \
            "no fresh machine, no result (log: $cache/debootstrap.log)"
    fi
    tar -C "$tmp" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$tmp"
}

# Only the ways to the mirrors, then the pseudo file systems a build and a
# browser need.
prepare_root() {
    unmount_root
    [ -z "$(mounts_under_root)" ] || die "$root still has mounts; not removing it"
    rm -rf "$root"
    mkdir -p "$root"
    tar -C "$root" -xf "$tarball"
    rm -f "$root/etc/apt/sources.list"
    cp -a /etc/apt/sources.list "$root/etc/apt/" 2>/dev/null || true
    for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] && cp -a "$f" "$root/etc/apt/sources.list.d/"
    done
    cp -a /etc/apt/apt.conf.d/. "$root/etc/apt/apt.conf.d/" 2>/dev/null || true
    if [ -n "$(ls /usr/local/share/ca-certificates 2>/dev/null)" ]; then
        cp -a /usr/local/share/ca-certificates/. \
            "$root/usr/local/share/ca-certificates/"
        chroot "$root" update-ca-certificates >/dev/null 2>&1
    fi
    [ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
    mount -t tmpfs tmpfs "$root/dev/shm"
    git clone -q "$top" "$root/root/project"
    git -C "$root/root/project" checkout -q "$(git -C "$top" rev-parse HEAD)"
}

# One shell command in the project's copy, with a clean environment.
# The clean environment of every command in the root (split into words
# where it is used).
clean_env="HOME=/root USER=root LOGNAME=root TERM=dumb LANG=C.UTF-8"
clean_env="$clean_env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
inside() {
    # shellcheck disable=SC2086
    chroot "$root" /usr/bin/env -i $clean_env /bin/sh -c "cd /root/project && $1"
}

# The README's "Try it" block, run against the server `make run` started.
try_it() {
    awk '/^Try it/ { found = 1 } found && /^```sh/ { on = 1; next }
         on && /^```/ { exit } on { print }' "$root/root/project/README.md" \
        >"$root/root/try-it.sh"
    [ -s "$root/root/try-it.sh" ] || { echo "README has no Try it block"; return 1; }
    inside "set -e; curl() { command curl -fsS \"\$@\"; }; . /root/try-it.sh"
}

# A second make run while the first serves: it must fail, name the port
# and how to pick another.
port_taken_said() {
    ! inside "timeout 60 make run" >"$1" 2>&1 &&
        grep -q 'could not serve on 127.0.0.1:8080' "$1" &&
        grep -q 'make run PORT=8081' "$1"
}

# verdict 0 WHAT: a PASS line.  verdict 1 WHAT LOG: a FAIL line and the
# log's last lines (make test's summary among them); returns 1.
verdict() {
    if [ "$1" = 0 ]; then
        say "PASS  $2"
        return 0
    fi
    say "FAIL  $2; last lines of $3:"
    tail -n 40 "$3" | sed 's/^/    /'
    return 1
}

# make run: the dispatcher URL line, the README's requests, then Ctrl-C to
# the whole foreground job, as a person would.  It runs in a session of its
# own, whose id (its process group's) the session leader writes down, with
# SIGINT as a terminal leaves it (a command started with & ignores it).
check_make_run() {
    log=$logs/make-run.log
    pgfile=$logs/make-run.pgid
    url='^dispatcher URL: http://127.0.0.1:8080/'
    t0=$(date +%s)
    rm -f "$pgfile"
    setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$pgfile" \
        chroot "$root" /usr/bin/env -i --default-signal=INT $clean_env \
        /bin/sh -c 'cd /root/project && exec make run' >"$log" 2>&1 &
    i=0
    while [ ! -s "$pgfile" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    run_pid=$(cat "$pgfile" 2>/dev/null) || die "make run did not start"
    i=0
    while [ $i -lt 1200 ] && kill -0 "-$run_pid" 2>/dev/null &&
          ! grep -q "$url" "$log"; do
        sleep 1; i=$((i + 1))
    done
    up=$(($(date +%s) - t0))
    ok=1
    if ! grep -q "$url" "$log"; then
        ok=0
    elif ! try_it >"$logs/try-it.log" 2>&1; then
        ok=0; echo "the README's Try it failed: $(tail -n 3 "$logs/try-it.log")"
    elif ! port_taken_said "$logs/make-run-again.log"; then
        ok=0; echo "a second make run did not say that port 8080 is taken:"
        tail -n 5 "$logs/make-run-again.log"
    fi
    kill -INT "-$run_pid" 2>/dev/null || true
    i=0
    while [ $i -lt 30 ] && kill -0 "-$run_pid" 2>/dev/null; do
        sleep 1; i=$((i + 1))
    done
    if kill -0 "-$run_pid" 2>/dev/null; then
        ok=0; echo "make run did not stop within 30 s of Ctrl-C"
        kill -KILL "-$run_pid" 2>/dev/null || true
    fi
    run_pid=
    what="make run: dispatcher URL after $up s, the README's Try it answered,"
    what="$what a second one said the port was taken"
    [ $ok = 1 ] && verdict 0 "$what, Ctrl-C stopped it" ||
        verdict 1 "make run (after $up s)" "$log"
}

check_make_test() {
    log=$logs/make-test.log
    t0=$(date +%s)
    s=0
    inside "make test" >"$log" 2>&1 || s=$?
    took=$(($(date +%s) - t0))
    [ $s = 0 ] && verdict 0 "make test in $took s: $(tail -n 1 "$log")" ||
        verdict 1 "make test (exit $s, after $took s)" "$log"
}

main() {
    mkdir -p "$logs"
    rm -f "$logs"/*.log
    if port_taken 8080; then
        die "something on this machine already listens on 127.0.0.1:8080," \
            "where make run serves; stop it first"
    fi
    build_bare_root
    prepare_root
    say "a new Debian 12 root with fsd at $(git -C "$top" rev-parse --short HEAD)" \
        "(committed files only)"
    rc=0
    check_make_run || rc=1
    check_make_test || rc=1
    say "node there: $(inside 'node --version 2>/dev/null || echo none')," \
        "Debian's nodejs $(inside "dpkg-query -W -f='\${Version}' nodejs 2>/dev/null || echo 'not installed'")"
    say "logs in $logs"
    return $rc
}
main
