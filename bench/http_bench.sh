#!/usr/bin/env bash
# HTTP: GET /api/v1/locate and GET /api/v1/regions/{code} on zhizhi with wrk, side by side with
# nginx serving static files of the same bodies (same sizes) on another loopback port. Both
# servers run on 127.0.0.1 with temporary directories and are stopped after. Prints requests/s
# and the ratio zhizhi/nginx; writes them to $OUT/http.txt. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_WRK_THREADS:-2}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-http-XXXXXX)
chmod 755 "$work"
zpid=""
mpid=""
cleanup() {
    [ -n "$zpid" ] && kill "$zpid" 2>/dev/null && wait "$zpid" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    [ -n "$mpid" ] && kill "$mpid" 2>/dev/null || true
    sleep 0.2
    rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    echo "http: skipped (wrk or nginx missing; ZHIZHI_BENCH_DEPS=1 scripts/deps.sh installs them)"
    exit 0
fi

"$BUILD/zhizhi" serve --data-dir "$work/data" --listen 127.0.0.1:0 --pwhash-cost min \
    >"$work/zhizhi.log" 2>&1 &
zpid=$!
port=""
for _ in $(seq 1 300); do # bounded wait for the listening line (info is off: ask healthz)
    port=$(ss -ltnpH 2>/dev/null | awk -v p="pid=$zpid," '$0 ~ p {split($4, a, ":"); print a[length(a)]; exit}')
    [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
[ -n "$port" ] || { echo "http: zhizhi did not start"; cat "$work/zhizhi.log"; exit 1; }
base="http://127.0.0.1:$port"
grid=$(curl -fsS "$base/api/v1/regions?level=grid&limit=1" | python3 -c 'import json,sys; g=json.load(sys.stdin)["items"][0]; print(g["code"], g["center"][0], g["center"][1])')
read -r code lon lat <<<"$grid"
locate="/api/v1/locate?lon=$lon&lat=$lat"
region="/api/v1/regions/$code"
mkdir -p "$work/www"
curl -fsS "$base$locate" >"$work/www/locate.json"
curl -fsS "$base$region" >"$work/www/region.json"
district="/api/v1/regions/500103"
curl -fsS "$base$district" >"$work/www/district.json"
# regions.geojson on the wire: plain, with Accept-Encoding: gzip, and a repeat with its ETag.
geo_plain=$(curl -fsS "$base/api/v1/regions.geojson" | wc -c)
geo_gzip=$(curl -fsS -H 'Accept-Encoding: gzip' "$base/api/v1/regions.geojson" | wc -c)
geo_etag=$(curl -fsSI "$base/api/v1/regions.geojson" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
geo_304=$(curl -sS -o /dev/null -w '%{http_code} %{size_download}' -H "If-None-Match: $geo_etag" "$base/api/v1/regions.geojson")

nport=$((port + 1))
[ "$nport" -gt 65000 ] && nport=$((port - 1))
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
error_log $work/nginx-error.log;
pid $work/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$nport;
        root $work/www;
    }
}
CONF
nginx -p "$work" -c "$work/nginx.conf"
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$nport/locate.json" >/dev/null 2>&1 && break; sleep 0.1; done

# The ceiling of zhizhi's own HTTP layer: bare libmicrohttpd, the same thread pool, the same bytes.
mport=$((nport + 1))
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -o "$work/mhd_bare" bench/mhd_bare.c $(pkg-config --cflags --libs libmicrohttpd)
threads=4 # zhizhi serve's default (the threads setting)
"$work/mhd_bare" "$mport" "$threads" "$work/www/district.json" &
mpid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$mport/" >/dev/null 2>&1 && break; sleep 0.1; done

rps() { wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "$1" | awk '/^Requests\/sec/ {print $2}'; }
{
    echo "wrk -t$THREADS -c$CONNS -d$DURATION, 127.0.0.1"
    echo "regions.geojson bytes: plain $geo_plain, gzip $geo_gzip, repeat with ETag: status and bytes $geo_304"
    for pair in "locate:$locate:/locate.json" "region:$region:/region.json" "district:$district:/district.json"; do
        IFS=: read -r name zpath npath <<<"$pair"
        z=$(rps "$base$zpath")
        n=$(rps "http://127.0.0.1:$nport$npath")
        size=$(stat -c %s "$work/www${npath}")
        printf '%-7s body %6d B   zhizhi %10.0f req/s   nginx static %10.0f req/s   ratio zhizhi/nginx %.2f\n' \
            "$name" "$size" "$z" "$n" "$(awk -v a="$z" -v b="$n" 'BEGIN { print a / b }')"
    done
    m=$(rps "http://127.0.0.1:$mport/")
    z=$(rps "$base$district")
    printf 'bare    district %6d B   zhizhi %10.0f req/s   bare libmicrohttpd %10.0f req/s   ratio zhizhi/bare %.2f\n' \
        "$(stat -c %s "$work/www/district.json")" "$z" "$m" "$(awk -v a="$z" -v b="$m" 'BEGIN { print a / b }')"
} | tee "$OUT/http.txt"
