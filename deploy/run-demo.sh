#!/bin/sh
# run-demo.sh - what `make run` does after the build: create DB with the
# demonstration data when it is missing, then serve it on 127.0.0.1:PORT
# until Ctrl-C.  The dispatcher URL and the demo login are printed once the
# server listens, not before; a port that cannot be bound ends the run with
# the way to pick another, and a non-zero exit status.
# Usage: deploy/run-demo.sh SERVER_BIN DB PORT
set -u
server=$1 db=$2 port=$3
portfile="$db.port"

case $port in
    ''|*[!0-9]*) echo "make run: PORT must be a port number, not '$port'" >&2
                 exit 2 ;;
esac
mkdir -p "$(dirname "$db")"
if [ -f "$db" ]; then
    echo "using existing $db (delete it to start over with fresh demo data)"
else
    "$server" init --db "$db" && "$server" demo --db "$db" || {
        rm -f "$db" "$db-wal" "$db-shm"
        exit 1
    }
fi

rm -f "$portfile"
"$server" serve --db "$db" --listen "127.0.0.1:$port" \
    --www "$(dirname "$server")/www" \
    --port-file "$portfile" &
pid=$!
# A command started with & by a script ignores SIGINT, so Ctrl-C, which
# reaches this shell, is passed on; the server finishes the requests in
# flight before this exits.
trap 'kill -INT $pid 2>/dev/null; wait $pid; exit 130' INT
trap 'kill -TERM $pid 2>/dev/null; wait $pid; exit 143' TERM
while kill -0 $pid 2>/dev/null && [ ! -s "$portfile" ]; do
    sleep 0.1
done
if [ -s "$portfile" ]; then
    echo "dispatcher URL: http://127.0.0.1:$(cat "$portfile")/" \
         " demo login: dispatcher / dispatch-demo-2026 (Ctrl-C stops it)"
fi
wait $pid
status=$?
rm -f "$portfile"
if [ $status -ne 0 ] && [ $status -lt 128 ]; then
    echo "make run: the server could not serve on 127.0.0.1:$port." >&2
    echo "  If another program holds that port, pick another one:" \
         "make run PORT=$((port + 1))" >&2
    exit 1
fi
exit $status
