#!/usr/bin/env bash
# Events over HTTP: durable creation (POST /api/v1/events as the grid worker grid_jfb, each
# request one committed transaction: the event, its first history row, the audit chain, the FTS
# index, the daily serial) and scoped listing (GET /api/v1/events?limit=50 as the street center
# center_jfb) with wrk on 127.0.0.1, each for a bounded time, side by side with the sqlite3 CLI
# inserting the same event rows one transaction each into a bare table and into the events
# table of a fresh zhizhi database (same WAL journal and synchronous=NORMAL). Prints figures and ratios and writes them to $OUT/events-http.txt. A fresh
# demo data directory under /tmp, removed after. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
DURATION=${BENCH_DURATION:-5s}
CONNS=${BENCH_CONNECTIONS:-8}
THREADS=${BENCH_WRK_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-evhttp-XXXXXX)
zpid=""
cleanup() {
    [ -n "$zpid" ] && kill "$zpid" 2>/dev/null && wait "$zpid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
if ! command -v wrk >/dev/null || ! command -v sqlite3 >/dev/null; then
    echo "events over HTTP: skipped (wrk or sqlite3 missing)"
    exit 0
fi
now_ms() { date +%s%3N; }

"$BUILD/zhizhi" serve --data-dir "$work/data" --listen 127.0.0.1:0 --pwhash-cost min \
    >"$work/zhizhi.log" 2>&1 &
zpid=$!
base=""
for _ in $(seq 1 600); do # bounded wait: the demo seed takes a few seconds
    base=$(sed -n 's/.*listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/zhizhi.log" | head -1)
    [ -n "$base" ] && break
    sleep 0.1
done
[ -n "$base" ] || { echo "events over HTTP: zhizhi did not start"; cat "$work/zhizhi.log"; exit 1; }
db="$work/data/zhizhi.db"

# Grid centres of the grid worker's street (grid workers report inside their own street).
tok=$(curl -fsS "$base/api/v1/sessions" -H 'content-type: application/json' \
    -d '{"username":"grid_jfb","password":"zhizhi-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
street=$(curl -fsS "$base/api/v1/sessions/current" -H "Authorization: Bearer $tok" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["grid"][:9])')
curl -fsS "$base/api/v1/regions?level=grid&limit=5000" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["items"]:
    if g["code"].startswith(sys.argv[1]) and g.get("center"):
        print(g["center"][0], g["center"][1])' "$street" >"$work/points.txt"
before=$(sqlite3 "$db" 'SELECT count(*) FROM events')

cols="code, tracking, channel, category, title, description, lon, lat, grid, community, street, district, address, reporter_name, reporter_contact, reporter_user, urgency, state, level, board, created_at, updated_at, stage_started_at, due_at, warn_at"
quoted=$(echo "$cols" | tr -d ' ' | tr ',' '\n' | sed 's/.*/quote(&)/' | paste -sd, | sed "s/,/ || ',' || /g")
sqlite3 "$work/bare.db" "PRAGMA journal_mode=WAL; CREATE TABLE bare($cols);" >/dev/null
# A second peer: the same rows into the real events table of a fresh zhizhi database (its
# indexes and the FTS trigram triggers), to tell storage cost from the rest of a request.
"$BUILD/zhizhi" init --data-dir "$work/schema" --demo false --pwhash-cost min >/dev/null 2>&1
ctok=$(curl -fsS "$base/api/v1/sessions" -H 'content-type: application/json' \
    -d '{"username":"center_jfb","password":"zhizhi-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Interleaved rounds (the machine is shared: each ratio's two sides run within the same minute):
# wrk creating events, the sqlite3 CLI inserting the rows of that round, wrk listing.
echo "events over HTTP: $ROUNDS rounds of wrk -t$THREADS -c$CONNS -d$DURATION; create as grid_jfb at $(wc -l <"$work/points.txt") grid centres of street $street; list ?limit=50 as center_jfb"
last=$(sqlite3 "$db" 'SELECT max(id) FROM events')
for r in $(seq 1 "$ROUNDS"); do
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s bench/event_wrk.lua "$base" -- create grid_jfb "$work/points.txt" >"$work/create-$r.txt"
    read -r created create_s create_p50 create_p99 < <(awk '/^ok / {print $2, $10, $12, $14}' "$work/create-$r.txt")
    top=$(sqlite3 "$db" 'SELECT max(id) FROM events')
    sqlite3 "$db" "SELECT 'INSERT INTO bare VALUES(' || $quoted || ');' FROM events WHERE id > $last AND id <= $top ORDER BY id" >"$work/inserts.sql"
    sed "s/^INSERT INTO bare VALUES/INSERT INTO events($cols) VALUES/" "$work/inserts.sql" >"$work/inserts-events.sql"
    rows=$(wc -l <"$work/inserts.sql")
    hist=$(sqlite3 "$db" "SELECT count(*) FROM event_history WHERE event_id > $last AND event_id <= $top")
    last=$top
    t=$(now_ms)
    { echo 'PRAGMA synchronous=NORMAL;'; cat "$work/inserts.sql"; } | sqlite3 "$work/bare.db"
    ms=$(( $(now_ms) - t ))
    [ "$ms" -gt 0 ] || ms=1
    peer_s=$(awk -v n="$rows" -v ms="$ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')
    t=$(now_ms)
    { echo 'PRAGMA synchronous=NORMAL;'; cat "$work/inserts-events.sql"; } | sqlite3 "$work/schema/zhizhi.db"
    ms=$(( $(now_ms) - t ))
    [ "$ms" -gt 0 ] || ms=1
    full_s=$(awk -v n="$rows" -v ms="$ms" 'BEGIN { printf "%.1f", n * 1000 / ms }')
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s bench/event_wrk.lua "$base" -- list center_jfb 50 >"$work/list-$r.txt"
    read -r listed list_s list_p50 list_p99 < <(awk '/^ok / {print $2, $10, $12, $14}' "$work/list-$r.txt")
    ratio=$(awk -v a="$create_s" -v b="$peer_s" 'BEGIN { printf "%.3f", a / b }')
    echo "round $r: zhizhi created $created events ($rows stored, $hist history rows) $create_s/s (p50 $create_p50 ms, p99 $create_p99 ms); sqlite3 CLI $rows rows one transaction each: bare table $peer_s/s, events table with its indexes and FTS $full_s/s; ratio to bare $ratio; lists $list_s/s (p50 $list_p50 ms, p99 $list_p99 ms)"
    ratio_full=$(awk -v a="$create_s" -v b="$full_s" 'BEGIN { printf "%.3f", a / b }')
    echo "$create_s $peer_s $ratio $list_s $create_p50 $create_p99 $list_p50 $list_p99 $created $full_s $ratio_full" >>"$work/rounds.txt"
done
col() { awk -v c="$1" '{ print $c }' "$work/rounds.txt" | median; }
create_s=$(col 1); peer_s=$(col 2); ratio=$(col 3); list_s=$(col 4)
create_p50=$(col 5); create_p99=$(col 6); list_p50=$(col 7); list_p99=$(col 8)
created=$(awk '{ s += $9 } END { print s }' "$work/rounds.txt")
full_s=$(col 10); ratio_full=$(col 11)
bytes=$(curl -s -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $ctok" "$base/api/v1/events?limit=50")
total=$(sqlite3 "$db" "SELECT count(*) FROM events")
kill "$zpid"; wait "$zpid" 2>/dev/null || true; zpid=""
echo "medians: zhizhi create $create_s events/s (p50 $create_p50 ms, p99 $create_p99 ms); sqlite3 $(sqlite3 --version | cut -d' ' -f1) CLI bare inserts $peer_s rows/s (ratio $ratio), into the events table with indexes and FTS $full_s rows/s (ratio $ratio_full); list ?limit=50 ($bytes B) $list_s/s (p50 $list_p50 ms, p99 $list_p99 ms); $total events in the database at the end"
printf 'created %s\ncreate_per_s %s\ncreate_p50_ms %s\ncreate_p99_ms %s\nlist_per_s %s\nlist_p50_ms %s\nlist_p99_ms %s\nlist_bytes %s\nsqlite_per_s %s\nratio %s\nsqlite_events_per_s %s\nratio_events %s\nrounds %s\nduration %s\nconnections %s\n' \
    "$created" "$create_s" "$create_p50" "$create_p99" "$list_s" "$list_p50" "$list_p99" "$bytes" "$peer_s" "$ratio" "$full_s" "$ratio_full" "$ROUNDS" "$DURATION" "$CONNS" >"$OUT/events-http.txt"
