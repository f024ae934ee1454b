#!/bin/sh
# run.sh - the protocol's conformance run: a second device implementation
# in Python (fsd_device.py, written from proto/PROTOCOL.md; Debian's
# python3-nacl and python3-protobuf, messages generated from
# proto/fsd.proto by protoc) plays the protocol's scenarios against the
# real server in BUILD_DIR (test_protocol.py).  With TAP_FILE the results
# go there in TAP too (make test's summary reads them).
# Usage: tests/conformance/run.sh BUILD_DIR [TAP_FILE]
set -eu
here=$(dirname "$0")
build=$1
tap=${2-}
out=$build/conformance
die() { echo "$0: $*" >&2; exit 1; }
# Debian's interpreter, whose packages these are, whatever python3 comes
# first on PATH
python=/usr/bin/python3
[ -x "$python" ] || die "no $python (make conformance-deps installs it)"
command -v protoc >/dev/null || die "no protoc (make conformance-deps)"
rm -rf "$out"
mkdir -p "$out/run"
protoc --proto_path=proto --python_out="$out" proto/fsd.proto
PYTHONPATH="$out:$here" PYTHONDONTWRITEBYTECODE=1 exec "$python" \
    "$here/test_protocol.py" "$build" "$out/run" $tap
