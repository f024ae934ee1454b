#!/bin/sh
# build.sh - the static root fsd serves (--www): BUILD_DIR/www holds every
# file of server/www, the browser libraries server/vendor/package-lock.json
# pins (copied from their npm packages, so fsd serves them itself under its
# strict CSP) and the protocol's messages for JavaScript, generated from
# proto/fsd.proto by protobufjs's pbjs.  The npm packages live in
# BUILD_DIR/vendor/node_modules.  The root is built beside the old one and
# put in its place at once.
#
#   lib-sodium.js       sodium-start.js, libsodium compiled to JavaScript,
#                       then libsodium-wrappers, its API (global sodium): one
#                       file, so the wrappers take hold of the module before
#                       it starts (under the CSP, which refuses its
#                       WebAssembly, it falls back to its JavaScript build
#                       at once, and a wrappers script loaded after that
#                       finds no module to wrap)
#   lib-protobuf.js     protobufjs's minimal runtime (global protobuf)
#   lib-fsd-proto.js    the messages of proto/fsd.proto on that runtime
#                       (protobuf.roots.default.fsd.v1)
#   lib-qrcode.js       qrcode-generator, as an ES module
#
# Usage: server/vendor/build.sh BUILD_DIR
set -eu
die() { echo "$0: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: $0 BUILD_DIR"
build=$1
here=$(dirname "$0")
mods=$build/vendor
out=$build/www
mkdir -p "$mods"
for f in package.json package-lock.json; do
    cmp -s "$here/$f" "$mods/$f" || cp "$here/$f" "$mods/$f"
done
sh "$here/npm-sync.sh" "$mods"
nm=$mods/node_modules
next=$out.next
rm -rf "$next"
mkdir -p "$next"
cp server/www/* "$next/"
{ cat "$here/sodium-start.js" && cat "$nm/libsodium/dist/modules/libsodium.js" &&
    echo &&
    cat "$nm/libsodium-wrappers/dist/modules/libsodium-wrappers.js"; } \
    >"$next/lib-sodium.js"
cp "$nm/protobufjs/dist/minimal/protobuf.min.js" "$next/lib-protobuf.js"
cp "$nm/qrcode-generator/dist/qrcode.mjs" "$next/lib-qrcode.js"
node "$nm/protobufjs-cli/bin/pbjs" -t static-module -w closure \
    --no-verify --no-delimited --no-service --no-comments --no-typeurl \
    -o "$next/lib-fsd-proto.js" proto/fsd.proto ||
    die "pbjs could not generate the messages of proto/fsd.proto"
rm -rf "$out.old"
[ ! -d "$out" ] || mv "$out" "$out.old"
mv "$next" "$out"
rm -rf "$out.old"
