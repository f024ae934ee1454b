#!/bin/sh
# run.sh - the deployment in front of fsd, tested as shipped: Debian's
# nginx with deploy/nginx/fsd.conf (only its addresses, ports and
# certificate paths changed) and a throw-away certificate (openssl), in
# front of a real fsd-server with --trusted-proxy, all on loopback.  Over
# HTTPS and HTTP/2: a login whose session cookie is Secure, the board, a
# technician's device (fsd-tech) enrolling and syncing, a customer booking
# a slot through a link, fsd's log naming the client; then 128 clients
# that send a request head
# and one byte of body and stop, which nginx holds while fsd keeps
# answering, directly and through nginx.  Prints "deploy: PASS", or a
# "deploy: FAIL: ..." line per broken check.
# Usage: tests/deploy/run.sh BUILD_DIR
set -u
build=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/fsd-deploy-XXXXXX")
fails=0
fsd_pid= nginx_started=

fail() { echo "deploy: FAIL: $*"; fails=$((fails + 1)); }
cleanup() {
    [ -n "$nginx_started" ] && nginx -c "$dir/nginx.conf" -p "$dir" -s stop 2>/dev/null
    [ -n "$fsd_pid" ] && kill -TERM "$fsd_pid" 2>/dev/null && wait "$fsd_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

# A port nothing listens on, from the kernel's own pick for a socket
# fsd-server binds and lets go (port 0), so runs in parallel do not meet.
free_port() {
    "$build/fsd-server" serve --db "$dir/probe.db" --listen 127.0.0.1:0 \
        --port-file "$dir/probe.port" >/dev/null 2>&1 &
    p=$!
    i=0
    while [ ! -s "$dir/probe.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    kill -TERM $p; wait $p 2>/dev/null
    cat "$dir/probe.port"; rm -f "$dir/probe.port"
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 ||
    { echo "deploy: FAIL: openssl could not make a certificate"; exit 1; }
"$build/fsd-server" init --db "$dir/probe.db" >/dev/null 2>&1
"$build/fsd-server" init --db "$dir/fsd.db" >/dev/null 2>&1 &&
    "$build/fsd-server" demo --db "$dir/fsd.db" >/dev/null 2>&1 ||
    { echo "deploy: FAIL: no demo database"; exit 1; }
"$build/fsd-server" serve --db "$dir/fsd.db" --listen 127.0.0.1:0 \
    --port-file "$dir/fsd.port" --www "$build/www" \
    --trusted-proxy 127.0.0.1 2>"$dir/fsd.log" >/dev/null &
fsd_pid=$!
i=0
while [ ! -s "$dir/fsd.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
fsd=$(cat "$dir/fsd.port")
https=$(free_port) http=$(free_port)

# the shipped site, on loopback ports with the throw-away certificate
sed -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$fsd;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https ssl http2;|" \
    -e '/listen \[::\]/d' \
    -e "s|/etc/ssl/fsd/fullchain.pem|$dir/cert.pem|" \
    -e "s|/etc/ssl/fsd/privkey.pem|$dir/key.pem|" \
    deploy/nginx/fsd.conf >"$dir/fsd.conf"
mkdir -p "$dir/tmp"
cat >"$dir/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log $dir/nginx-access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/fsd.conf;
}
CONF
nginx -t -c "$dir/nginx.conf" -p "$dir" >"$dir/nginx-t.log" 2>&1 ||
    { echo "deploy: FAIL: nginx -t: $(tail -n 2 "$dir/nginx-t.log")"; exit 1; }
nginx -c "$dir/nginx.conf" -p "$dir" && nginx_started=1 ||
    { echo "deploy: FAIL: nginx did not start"; exit 1; }
sleep 0.3
base="https://127.0.0.1:$https"
tls() { curl -sS --cacert "$dir/cert.pem" --max-time 10 "$@"; }

# a dispatcher over HTTPS and HTTP/2
v=$(tls --http2 -o "$dir/login.json" -D "$dir/login.head" -w '%{http_version} %{http_code}' \
    -c "$dir/jar" -H 'Content-Type: application/json' \
    -d '{"username":"dispatcher","password":"dispatch-demo-2026"}' \
    "$base/api/v1/login")
[ "$v" = "2 200" ] || fail "login over HTTPS: HTTP/$v"
grep -qi '^set-cookie: fsd_session=.*; Secure' "$dir/login.head" ||
    fail "the session cookie over HTTPS is not Secure: $(grep -i set-cookie "$dir/login.head")"
code=$(tls -o "$dir/board.json" -w '%{http_code}' -b "$dir/jar" "$base/api/v1/board")
[ "$code" = 200 ] && grep -q '"technicians"' "$dir/board.json" ||
    fail "the board over HTTPS: $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$http/")
[ "$code" = 301 ] || fail "plain HTTP is not sent to HTTPS: $code"
csrf=$(jq -r .csrf_token "$dir/login.json")
staff() { # METHOD PATH [JSON]: the reply's body; the status in $dir/status
    tls -o "$dir/reply.json" -w '%{http_code}' -b "$dir/jar" -X "$1" \
        -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
        ${3:+-d "$3"} "$base$2" >"$dir/status"
    cat "$dir/reply.json"
}

# a technician's device: enrolled and synced over HTTPS (the SDK's libcurl
# trusts the throw-away certificate: --ca-file)
code=$(staff POST /api/v1/technicians/1/enrollment-codes '{}' | jq -r .code)
"$build/fsd-tech" --store "$dir/tech.db" --ca-file "$dir/cert.pem" enroll \
    --server "$base" --code "$code" >"$dir/tech.log" 2>&1 ||
    fail "fsd-tech enroll over HTTPS: $(tail -n 1 "$dir/tech.log")"
"$build/fsd-tech" --store "$dir/tech.db" --ca-file "$dir/cert.pem" sync \
    >>"$dir/tech.log" 2>&1 ||
    fail "fsd-tech sync over HTTPS: $(tail -n 1 "$dir/tech.log")"

# the technician's app over HTTPS (a service worker needs a secure
# context): the page, its worker under /tech, its manifest, and the
# libraries compressed
served() { # PATH: the reply's status and content type, its headers in $dir/head
    tls -o "$dir/body" -D "$dir/head" --compressed -w '%{http_code} %{content_type}' "$base$1"
}
[ "$(served /tech)" = "200 text/html; charset=utf-8" ] || fail "GET /tech over HTTPS: $(served /tech)"
grep -qi "^content-security-policy: default-src 'none'; script-src 'self'" "$dir/head" ||
    fail "/tech lacks the strict CSP"
static=$(grep -o '/static/[0-9a-f]*/' "$dir/body" | head -n 1)
[ "$(served /tech/sw.js)" = "200 text/javascript; charset=utf-8" ] ||
    fail "GET /tech/sw.js over HTTPS: $(served /tech/sw.js)"
[ "$(served "${static}tech.webmanifest")" = "200 application/manifest+json" ] ||
    fail "the app's manifest over HTTPS: $(served "${static}tech.webmanifest")"
[ "$(served "${static}lib-sodium.js")" = "200 text/javascript; charset=utf-8" ] &&
    grep -qi '^content-encoding: gzip' "$dir/head" ||
    fail "libsodium's script is not served compressed: $(grep -i '^content-encoding' "$dir/head")"

# a customer books the first open window of job 17 through its link
url=$(staff POST /api/v1/jobs/17/booking-link '{}' | jq -r .url)
token=${url#/book/}
start=$(tls "$base/api/v1/public/bookings/$token" | jq -r '.slots[0].start')
code=$(tls -o "$dir/booked.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"start\":\"$start\"}" "$base/api/v1/public/bookings/$token/confirm")
[ "$code" = 200 ] || [ "$code" = 201 ] ||
    fail "a customer's booking over HTTPS ($start): $code $(cat "$dir/booked.json")"
[ "$(staff GET /api/v1/jobs/17 | jq -r .status)" != slots_offered ] ||
    fail "job 17 is not booked after the customer's confirmation"

grep -q '^.*127\.0\.0\.1 POST /api/v1/login 200' "$dir/fsd.log" ||
    fail "fsd's log does not name the client"

# 128 clients that stop after one byte of body: nginx waits for them
i=0
while [ $i -lt 128 ]; do
    { printf 'POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'; sleep 12; } |
        openssl s_client -quiet -connect "127.0.0.1:$https" >/dev/null 2>&1 &
    i=$((i + 1))
done
sleep 2
t0=$(date +%s%N)
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$fsd/healthz")
[ "$code" = 200 ] || fail "fsd directly, under 128 slow bodies: $code"
code=$(tls -o /dev/null -w '%{http_code}' -b "$dir/jar" "$base/api/v1/jobs?limit=5")
[ "$code" = 200 ] || fail "jobs through nginx, under 128 slow bodies: $code"
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -lt 3000 ] || fail "answers under 128 slow bodies took $ms ms"
echo "deploy: 128 slow bodies held by nginx; fsd and nginx answered in $ms ms"
kill $(jobs -p) 2>/dev/null

[ $fails = 0 ] && echo "deploy: PASS"
[ $fails = 0 ]
