#!/usr/bin/env bash
# Live screens (issue 13, item 5): N concurrent subscribers of GET /api/v1/stream (the street
# command center's big-screen account center_jfb, a tenth of them stalled: they stop reading after
# the greeting), then events filed one at a time by the grid worker grid_jfb in that street; for
# each reading subscriber the time from the creation's 201 to its `event: event` frame, and the
# server's resident memory per subscriber. The peer is the same stream with a lone subscriber
# (the delivery floor of this machine) measured in the same run. Writes $OUT/sse.txt. Bounded:
# every phase has a deadline (bench/sse_bench.c). Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
COUNTS=${BENCH_SSE_COUNTS:-"1 1000 10000"}
EVENTS=${BENCH_SSE_EVENTS:-5}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-sse-XXXXXX)
zpid=""
cleanup() {
    [ -n "$zpid" ] && kill "$zpid" 2>/dev/null && wait "$zpid" 2>/dev/null || true
    [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
max=0
for n in $COUNTS; do [ "$n" -gt "$max" ] && max=$n; done
# One descriptor per subscriber on each side, plus slack; as root the hard limit can be raised.
ulimit -n $((max * 2 + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -o "$work/sse_bench" bench/sse_bench.c

start() { # a fresh server for each count: its memory per subscriber is measured from its own start
    rm -rf "$work/data"
    "$BUILD/zhizhi" serve --data-dir "$work/data" --listen 127.0.0.1:0 --pwhash-cost min \
        --max-connections $(($1 + 256)) --idle-timeout 120 ${BENCH_SSE_ARGS:-} >"$work/zhizhi.log" 2>&1 &
    zpid=$!
    base=""
    for _ in $(seq 1 900); do # bounded wait: the demo seed takes a few seconds
        base=$(sed -n 's/.*listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/zhizhi.log" | head -1)
        [ -n "$base" ] && break
        sleep 0.1
    done
    [ -n "$base" ] || { echo "sse: zhizhi did not start"; cat "$work/zhizhi.log"; exit 1; }
    port=${base##*:}
    sub=$(login center_jfb)
    grid=$(login grid_jfb)
    gcode=$(curl -fsS "$base/api/v1/sessions/current" -H "Authorization: Bearer $grid" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["grid"])')
    read -r lon lat < <(curl -fsS "$base/api/v1/regions/$gcode" |
        python3 -c 'import json,sys; c=json.load(sys.stdin)["center"]; print(c[0], c[1])')
}
stop() {
    kill "$zpid" 2>/dev/null && wait "$zpid" 2>/dev/null || true
    zpid=""
}
login() {
    curl -fsS "$base/api/v1/sessions" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"zhizhi-demo\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

: >"$OUT/sse.txt"
for n in $COUNTS; do
    stalled=10
    [ "$n" -lt 10 ] && stalled=0
    start "$n"
    echo "-- $n subscribers ($stalled% stalled), $EVENTS events"
    "$work/sse_bench" "$port" "$sub" "$n" "$stalled" "$EVENTS" "$grid" "$lon" "$lat" "$zpid" |
        tee "$work/run.txt"
    awk -v n="$n" '/^subscribers/ {c=$4; r=$6; s=$8} /^server_rss/ {k=$7}
        /^created_ms/ {a=$3} /^events/ {printf "sse %s connected %s refused %s stalled %s kib_each %s deliveries %s missed %s p50_ms %s p99_ms %s max_ms %s created_ms %s\n", n, c, r, s, k, $4, $6, $8, $10, $12, a}' \
        "$work/run.txt" >>"$OUT/sse.txt"
    stop
done
echo "== live screens ($OUT/sse.txt)"
cat "$OUT/sse.txt"
