#!/bin/sh
# npm-sync.sh - make DIR/node_modules hold exactly the packages
# DIR/package-lock.json locks: when one is missing or not the locked
# version, say which and run npm ci (the lock decides, never the registry's
# newest).  The browser libraries of the web pages (server/vendor) and the
# browser tests' driver (tests/browser) are both kept this way.
# Usage: server/vendor/npm-sync.sh DIR
set -eu
die() { echo "$0: $*" >&2; exit 1; }
command -v node >/dev/null || die "no node (make deps installs nodejs)"
command -v npm >/dev/null || die "no npm (make deps installs npm)"
dir=$1
# shellcheck disable=SC2016 # the ${...} are JavaScript's
stale=$(node -e '
const fs = require("fs"), dir = process.argv[1];
const read = (f) => JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
const locked = read("package-lock.json").packages;
for (const path of Object.keys(locked).filter((p) => p)) {
    let have = "missing";
    try { have = read(path + "/package.json").version; } catch {}
    if (have !== locked[path].version)
        console.log(`${path} is ${have}, the lock has ${locked[path].version}`);
}' "$dir")
[ -z "$stale" ] && exit 0
printf '%s\n' "$stale" | head -5
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=warn || die "npm ci failed"
