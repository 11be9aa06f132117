#!/usr/bin/env bash
# Shared parking over HTTP (issue 20): booking throughput (POST /api/v1/parking/bookings by
# drivers without accounts, each request one write transaction: the plate check, the capacity
# check over the plan's bookings, the insert and its audit row) spread over NLOTS lots, and the
# availability search over all of them (GET /api/v1/parking/availability with a radius covering
# the district: every lot's windows over the holiday calendar and its peak occupancy), with wrk
# on 127.0.0.1. Peers in the same run: the sqlite3 CLI inserting the same booking rows one
# transaction each into a bare table, and the sqlite3 CLI answering a plain SQL search (distance
# by equirectangular formula, free = spaces − overlapping bookings, GROUP BY lot) over the same
# lots. Writes $OUT/parking.txt. A fresh demo data directory under /tmp, removed after.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
DURATION=${BENCH_DURATION:-5s}
CONNS=${BENCH_CONNECTIONS:-8}
THREADS=${BENCH_WRK_THREADS:-2}
NLOTS=${BENCH_LOTS:-5000}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-parking-XXXXXX)
zpid=""
cleanup() {
    [ -n "$zpid" ] && kill "$zpid" 2>/dev/null && wait "$zpid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
if ! command -v wrk >/dev/null || ! command -v sqlite3 >/dev/null; then
    echo "parking: skipped (wrk or sqlite3 missing)"
    exit 0
fi
now_ms() { date +%s%3N; }

"$BUILD/zhizhi" serve --data-dir "$work/data" --listen 127.0.0.1:0 --pwhash-cost min \
    >"$work/zhizhi.log" 2>&1 &
zpid=$!
base=""
for _ in $(seq 1 900); do
    base=$(sed -n 's/.*listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/zhizhi.log" | head -1)
    [ -n "$base" ] && break
    sleep 0.1
done
[ -n "$base" ] || { echo "parking: zhizhi did not start"; cat "$work/zhizhi.log"; exit 1; }
db="$work/data/zhizhi.db"

# NLOTS synthetic lots spread over the district's box, each with one plan of 20 spaces all day.
now=$(date +%s)
sqlite3 "$db" >/dev/null "PRAGMA busy_timeout=5000;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $NLOTS)
INSERT INTO parking_lots (code, name, kind, lon, lat, entrance_lon, entrance_lat, grid, street,
  capacity, synthetic, created_at)
SELECT printf('B-%04d', i), printf('压测停车场%d', i), i % 6,
  106.49 + (abs(random()) % 10000) / 100000.0, 29.53 + (abs(random()) % 4000) / 100000.0,
  0, 0, '500103003001001', '500103003', 40, 1, $now FROM n;
UPDATE parking_lots SET entrance_lon = lon, entrance_lat = lat WHERE code LIKE 'B-%';
INSERT INTO parking_plans (lot_id, spaces, windows, price_fen, audience, synthetic, created_at)
SELECT id, 20, 'daily 00:00-24:00', 500, 'public', 1, $now FROM parking_lots WHERE code LIKE 'B-%';"
total=$(sqlite3 "$db" 'SELECT count(*) FROM parking_lots')

t0=$(( (now / 3600 + 3) * 3600 ))
from=$(date -u -d "@$t0" +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d "@$((t0 + 7200))" +%Y-%m-%dT%H:%M:%SZ)
last=$(sqlite3 "$db" 'SELECT coalesce(max(id), 0) FROM parking_bookings')
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s bench/parking_wrk.lua "$base" -- book "$NLOTS" "$from" "$to" >"$work/book.txt"
read -r booked full book_s book_p50 book_p99 < <(awk '/^ok / {print $2, $4, $10, $12, $14}' "$work/book.txt")

# Peer 1: the same booking rows, one transaction each, into a bare table (WAL, synchronous=NORMAL).
cols="lot_id, plan_id, plate, start_at, end_at, status, token_hash, created_at, price_fen"
quoted=$(echo "$cols" | tr -d ' ' | tr ',' '\n' | sed 's/.*/quote(&)/' | paste -sd, | sed "s/,/ || ',' || /g")
sqlite3 "$work/bare.db" "PRAGMA journal_mode=WAL; CREATE TABLE bare($cols);" >/dev/null
sqlite3 "$db" "SELECT 'INSERT INTO bare VALUES(' || $quoted || ');' FROM parking_bookings WHERE id > $last ORDER BY id" >"$work/inserts.sql"
rows=$(wc -l <"$work/inserts.sql")
t=$(now_ms)
{ echo 'PRAGMA synchronous=NORMAL;'; cat "$work/inserts.sql"; } | sqlite3 "$work/bare.db"
ms=$(( $(now_ms) - t )); [ "$ms" -gt 0 ] || ms=1
peer_book=$(awk -v n="$rows" -v ms="$ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')

# The search: every lot within 20 km of 解放碑 (the whole district) over the booked window.
path="/api/v1/parking/availability?lon=106.5775&lat=29.5580&radius=20000&from=$from&to=$to"
bytes=$(curl -s -o /dev/null -w '%{size_download}' "$base$path")
found=$(curl -s "$base$path" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s bench/parking_wrk.lua "$base" -- search "$path" >"$work/search.txt"
read -r searched search_s search_p50 search_p99 < <(awk '/^ok / {print $2, $10, $12, $14}' "$work/search.txt")

# Peer 2: a plain SQL search over the same lots and bookings (no calendar, no grace rules).
q="SELECT l.code, p.spaces - count(b.id) AS free,
  111320 * sqrt(power((l.lon - 106.5775) * cos(radians(29.558)), 2) + power(l.lat - 29.558, 2)) AS d
FROM parking_lots l JOIN parking_plans p ON p.lot_id = l.id AND p.active = 1
LEFT JOIN parking_bookings b ON b.plan_id = p.id AND b.status IN (0, 1) AND b.start_at < $((t0 + 7200)) AND b.end_at > $t0
GROUP BY p.id HAVING free > 0 AND d <= 20000 ORDER BY d LIMIT 50;"
n=20
t=$(now_ms)
for _ in $(seq 1 $n); do sqlite3 "$db" "$q" >/dev/null; done
ms=$(( $(now_ms) - t )); [ "$ms" -gt 0 ] || ms=1
peer_search=$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')
kill "$zpid"; wait "$zpid" 2>/dev/null || true; zpid=""

rb=$(awk -v a="$book_s" -v b="$peer_book" 'BEGIN { printf "%.3f", a / b }')
rs=$(awk -v a="$search_s" -v b="$peer_search" 'BEGIN { printf "%.2f", a / b }')
echo "parking: $total lots; wrk -t$THREADS -c$CONNS -d$DURATION"
echo "booking: zhizhi $book_s bookings/s ($booked booked, $full full; p50 $book_p50 ms, p99 $book_p99 ms); sqlite3 $(sqlite3 --version | cut -d' ' -f1) CLI, the same $rows rows one transaction each into a bare table: $peer_book rows/s; ratio $rb"
echo "availability over $total lots ($found answered, $bytes B): zhizhi $search_s searches/s (p50 $search_p50 ms, p99 $search_p99 ms); sqlite3 CLI plain SQL search (a new process each, 20 runs): $peer_search/s; ratio $rs"
printf 'lots %s\nbook_per_s %s\nbooked %s\nfull %s\nbook_p50_ms %s\nbook_p99_ms %s\nsqlite_book_per_s %s\nbook_ratio %s\nsearch_per_s %s\nsearch_p50_ms %s\nsearch_p99_ms %s\nsearch_bytes %s\nsqlite_search_per_s %s\nsearch_ratio %s\nduration %s\nconnections %s\n' \
    "$total" "$book_s" "$booked" "$full" "$book_p50" "$book_p99" "$peer_book" "$rb" "$search_s" "$search_p50" "$search_p99" "$bytes" "$peer_search" "$rs" "$DURATION" "$CONNS" >"$OUT/parking.txt"
