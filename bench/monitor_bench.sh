#!/usr/bin/env bash
# Monitoring ingest, end to end, against the sqlite3 CLI: the same rows (sewer levels, one a
# minute per station, in the past) are (1) posted to a fresh `zhizhi serve` as JSON batches of
# 1,000 readings over HTTP — validated, stored durably (one transaction per batch, WAL), hourly
# and daily aggregates upserted and the early-warning rules evaluated — and (2) loaded with the
# sqlite3 CLI's `.import --csv` into a bare table in a fresh database file. The same rows are
# also posted as text/csv bodies (to other stations). Prints readings/s of each and the ratios,
# and writes $OUT/monitor.txt. Never passes or fails on time.
# Settings: BENCH_READINGS (default 200000), BENCH_STATIONS (default 50), BENCH_CLIENTS
# (concurrent HTTP senders, default 4), BENCH_BATCH (default 1000), BENCH_ROUNDS (default 3:
# each figure is the median of its rounds), ZHIZHI_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
BIN=${ZHIZHI_BIN:-$PWD/$BUILD/zhizhi}
N=${BENCH_READINGS:-200000}
S=${BENCH_STATIONS:-50}
ROUNDS=${BENCH_ROUNDS:-3}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-monbench-XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The rows: station B-i, parameter level, one reading a minute ending two minutes ago, 0.5-1.4 m.
now=$(date +%s)
awk -v n="$N" -v s="$S" -v now="$now" 'BEGIN {
    per = int((n + s - 1) / s); k = 0
    for (j = 0; j < per && k < n; j++)
        for (i = 0; i < s && k < n; i++) {
            t = now - 120 - (per - j) * 60
            printf "B-%d,level,%s,%.2f\n", i, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 0.5 + ((i * 7 + j * 13) % 90) / 100
            k++
        }
}' >"$work/rows.csv"
echo "rows: $(wc -l <"$work/rows.csv") readings, $S stations"

# (1) zhizhi over HTTP.
"$BIN" serve --data-dir "$work/data" --listen 127.0.0.1:0 --pwhash-cost min >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 240); do
    grep -q 'listening on' "$work/serve.log" 2>/dev/null && break
    sleep 0.5
done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)
base="http://127.0.0.1:$port"
token=$(curl -sf -X POST "$base/api/v1/sessions" -H 'Content-Type: application/json' \
    -d '{"username":"center_yz","password":"zhizhi-demo"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
# Rounds interleave the three measurements, so that a burst of load elsewhere on the machine hits
# all of them alike; each figure is the median of its rounds.
for r in $(seq "$ROUNDS"); do
    echo "-- round $r: JSON bodies"
    node bench/monitor_bench.mjs "$base" "$token" "$S" "$work/rows.csv" json "J$r" | tee -a "$work/zhizhi.txt"
    echo "-- round $r: the same rows as text/csv bodies (other stations)"
    node bench/monitor_bench.mjs "$base" "$token" "$S" "$work/rows.csv" csv "C$r" | tee -a "$work/zhizhi-csv.txt"
    echo "-- round $r: sqlite3 .import into a bare table"
    t0=$(date +%s.%N)
    sqlite3 "$work/bare$r.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE bare(station TEXT, parameter TEXT, time TEXT, value REAL);
.import --csv $work/rows.csv bare
SQL
    t1=$(date +%s.%N)
    bare_rows=$(sqlite3 "$work/bare$r.db" 'SELECT count(*) FROM bare')
    awk -v n="$bare_rows" -v a="$t0" -v b="$t1" 'BEGIN {printf "readings_per_s %d\n", n / (b - a)}' |
        tee -a "$work/sqlite.txt"
done
cp "$work/serve.log" "$OUT/monitor-serve.log"
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
stored=$(sqlite3 "$work/data/zhizhi.db" "SELECT count(*) FROM monitor_readings WHERE station_id IN (SELECT id FROM monitor_stations WHERE code LIKE 'J1-%')")
hourly=$(sqlite3 "$work/data/zhizhi.db" "SELECT sum(n) FROM monitor_hourly WHERE station_id IN (SELECT id FROM monitor_stations WHERE code LIKE 'J1-%')")
echo "stored $stored readings, hourly aggregates count $hourly"

median() { awk '/^readings_per_s/ {print $2}' "$1" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
zz=$(median "$work/zhizhi.txt")
zc=$(median "$work/zhizhi-csv.txt")
sq=$(median "$work/sqlite.txt")
ratio=$(awk -v a="$zz" -v b="$sq" 'BEGIN {printf "%.2f", a / b}')
ratio_csv=$(awk -v a="$zc" -v b="$sq" 'BEGIN {printf "%.2f", a / b}')
{
    echo "readings $N stations $S batch ${BENCH_BATCH:-1000} rounds $ROUNDS (median of each)"
    echo "clients ${BENCH_CLIENTS:-4}"
    echo "zhizhi_http_json_readings_per_s $zz (stored $stored)"
    echo "zhizhi_http_csv_readings_per_s $zc"
    echo "sqlite3_import_rows_per_s $sq (rows $bare_rows)"
    echo "ratio_json $ratio"
    echo "ratio_csv $ratio_csv"
} | tee "$OUT/monitor.txt"
