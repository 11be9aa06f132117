#!/usr/bin/env bash
# Indicators over generated events: zhizhi's GET /api/v1/indicators (SQLite + the working-hours
# calendar, end to end over HTTP) side by side with the same per-event facts and aggregates as one
# SQL statement in the sqlite3 CLI and in PostgreSQL 15 (a private cluster under /tmp on a loopback
# port, run as the postgres user when root, stopped after). BENCH_EVENTS events (default
# 1,000,000: about 100 days at the city's 10,000 a day) with ~6.6 history rows each. Prints the
# figures and writes them to $OUT/events.txt. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${BENCH_EVENTS:-1000000}
OUT=${OUT:-$BUILD/bench}
RUNS=${BENCH_RUNS:-3}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-events-XXXXXX)
chmod 755 "$work"
PGBIN=/usr/lib/postgresql/15/bin
pgdir="$work/pg"
pgport=$((20000 + RANDOM % 20000))
srv_pid=

cleanup() {
    [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null || true
    if [ -f "$pgdir/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$pgdir" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
now_ms() { date +%s%3N; }

# 1. A fresh database without the demo, then N synthetic events and their histories.
T0=$(date -d '2026-08-21T00:00:00+08:00' +%s)
FROM='2026-08-21T00:00:00%2B08:00'
TO='2026-11-30T00:00:00%2B08:00'
pw=$("$BUILD/zhizhi" init --data-dir "$work/data" --demo false --pwhash-cost min 2>&1 |
    sed -n 's/.*first administrator: admin, password: \([^ ]*\).*/\1/p')
db="$work/data/zhizhi.db"
t=$(now_ms)
sqlite3 "$db" <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO events (id, code, tracking, channel, category, title, lon, lat, grid, community,
                    street, district, urgency, state, created_at, updated_at, stage_started_at,
                    board, synthetic)
SELECT i, printf('500103-B-%07d', i), printf('B%07d', i),
       CASE i % 8 WHEN 0 THEN 'grid_patrol' WHEN 1 THEN 'hotline_12345' WHEN 2 THEN 'citizen_qr'
                  WHEN 3 THEN 'grid_patrol' WHEN 4 THEN 'enterprise' WHEN 5 THEN 'hotline_12345'
                  WHEN 6 THEN 'supervision' ELSE 'sensor' END,
       CASE i % 4 WHEN 0 THEN '0101' WHEN 1 THEN '0102' WHEN 2 THEN '0105' ELSE '1101' END,
       'b', 106.57, 29.55,
       printf('50010300%d%03d%03d', i % 9 + 1, i % 7 + 1, i % 11 + 1),
       printf('50010300%d%03d', i % 9 + 1, i % 7 + 1), printf('50010300%d', i % 9 + 1), '500103',
       'normal', 'closed', $T0 + i * 864 / 100, $T0 + i * 864 / 100, $T0 + i * 864 / 100,
       CASE i % 4 WHEN 0 THEN 'economy' WHEN 1 THEN 'livelihood' WHEN 2 THEN 'party' ELSE 'safety' END,
       1
FROM n;
CREATE TEMP VIEW ev AS SELECT id, channel, created_at AS c, 'D' || (id % 5) AS dept FROM events;
INSERT INTO event_history (event_id, at, action, from_state, to_state)
  SELECT id, c, 'report', 'reported',
         CASE WHEN channel IN ('grid_patrol', 'sensor') THEN 'registered' ELSE 'reported' END FROM ev;
INSERT INTO event_history (event_id, at, action, from_state, to_state)
  SELECT id, c + 600, 'accept', 'reported', 'verifying' FROM ev WHERE channel NOT IN ('grid_patrol', 'sensor');
INSERT INTO event_history (event_id, at, action, from_state, to_state)
  SELECT id, c + 3600, 'verify', 'verifying', 'registered' FROM ev WHERE channel NOT IN ('grid_patrol', 'sensor');
INSERT INTO event_history (event_id, at, action, from_state, to_state, department)
  SELECT id, c + 7200, 'dispatch', 'registered', 'dispatched', dept FROM ev WHERE id % 10 <> 9;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department, overdue)
  SELECT id, c + 9000, 'sign', 'dispatched', 'handling', dept, id % 17 = 0 FROM ev WHERE id % 10 <> 9;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department)
  SELECT id, c + 200000, 'overdue', 'handling', 'handling', dept FROM ev WHERE id % 10 = 8 AND id % 3 = 0;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department, overdue)
  SELECT id, c + 86400, 'feedback', 'handling', 'feedback', dept, id % 7 = 0 FROM ev WHERE id % 10 < 8;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department)
  SELECT id, c + 90000, 'send_check', 'feedback', 'checking', dept FROM ev WHERE id % 10 < 8;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department)
  SELECT id, c + 95000, 'check_fail', 'checking', 'handling', dept FROM ev WHERE id % 10 < 8 AND id % 13 = 0;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department)
  SELECT id, c + 120000, 'feedback', 'handling', 'feedback', dept FROM ev WHERE id % 10 < 8 AND id % 13 = 0;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department)
  SELECT id, c + 125000, 'send_check', 'feedback', 'checking', dept FROM ev WHERE id % 10 < 8 AND id % 13 = 0;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department)
  SELECT id, c + 130000, 'check_pass', 'checking', 'closed', dept FROM ev WHERE id % 10 < 8;
INSERT INTO event_history (event_id, at, action, from_state, to_state, department, comment)
  SELECT id, c + 180000, 'revisit', 'closed', 'revisited', dept,
         CASE id % 3 WHEN 0 THEN '回访；满意度：满意' WHEN 1 THEN '回访；满意度：基本满意' ELSE '回访；满意度：不满意' END
  FROM ev WHERE id % 10 < 8 AND channel = 'hotline_12345';
COMMIT;
ANALYZE;
SQL
rows=$(sqlite3 "$db" 'SELECT count(*) FROM event_history')
echo "generated $N events, $rows history rows in $(( $(now_ms) - t )) ms"

# The per-event facts of src/event/indicator_store.c, summed per street in SQL (no working hours:
# SQL has no holiday calendar). {B}/{F} stand for the booleans of each dialect.
facts_sql() { # $1 from, $2 to, $3 "sqlite" or "pg"
    local f=$1 e=$2
    local B T
    if [ "$3" = pg ]; then B='CASE WHEN'; T='THEN 1 ELSE 0 END'; else B='('; T=')'; fi
    cat <<SQL
SELECT street, count(*) AS events, sum(rep) AS reported, sum(acc) AS accepted, sum(reg) AS registered,
  sum(CASE WHEN disp_in_at IS NOT NULL THEN 1 ELSE 0 END) AS dispatched, sum(hand) AS handled,
  sum(CASE WHEN close_at IS NOT NULL THEN 1 ELSE 0 END) AS closed,
  sum(CASE WHEN close_at IS NOT NULL AND (first_late IS NULL OR first_late > close_at) THEN 1 ELSE 0 END) AS on_time,
  sum(late_in) AS overdue, sum(rework) AS rework, sum(sat) AS sat, sum(basic) AS basic, sum(unsat) AS unsat,
  sum(CASE WHEN late_in = 1 AND close_at IS NULL AND state_at_to IN ('registered','dispatched','handling','feedback','checking','returned') THEN 1 ELSE 0 END) AS overdue_open
FROM (SELECT e.id, e.street,
  max($B h.at >= $f AND h.action = 'report' $T) AS rep,
  max($B h.at >= $f AND ((h.from_state = 'reported' AND h.to_state IN ('verifying','registered','closed'))
       OR (h.action = 'report' AND h.to_state NOT IN ('reported','void_pending','voided','merged'))) $T) AS acc,
  max($B h.at >= $f AND ((h.to_state = 'registered' AND h.from_state IN ('reported','verifying'))
       OR (h.action = 'report' AND h.to_state IN ('registered','dispatched','handling')) OR h.action = 'self_handle') $T) AS reg,
  min(CASE WHEN h.at >= $f AND (h.action = 'dispatch' OR (h.action = 'report' AND h.to_state IN ('dispatched','handling'))) THEN h.at END) AS disp_in_at,
  max($B h.at >= $f AND h.action IN ('feedback','self_handle') $T) AS hand,
  max(CASE WHEN h.at >= $f AND h.to_state = 'closed' AND h.from_state <> 'closed' THEN h.at END) AS close_at,
  min(CASE WHEN h.overdue = 1 OR h.action = 'overdue' THEN h.at END) AS first_late,
  max($B h.at >= $f AND (h.overdue = 1 OR h.action = 'overdue') $T) AS late_in,
  sum($B h.at >= $f AND h.action = 'check_fail' $T) AS rework,
  sum($B h.at >= $f AND h.action = 'revisit' AND h.comment LIKE '%满意度：满意' $T) AS sat,
  sum($B h.at >= $f AND h.action = 'revisit' AND h.comment LIKE '%满意度：基本满意' $T) AS basic,
  sum($B h.at >= $f AND h.action = 'revisit' AND h.comment LIKE '%满意度：不满意' $T) AS unsat,
  (SELECT y.to_state FROM event_history y WHERE y.event_id = e.id AND y.at < $e ORDER BY y.id DESC LIMIT 1) AS state_at_to
  FROM (SELECT DISTINCT event_id FROM event_history WHERE at >= $f AND at < $e) c
  JOIN events e ON e.id = c.event_id
  JOIN event_history h ON h.event_id = e.id AND h.at < $e
  GROUP BY e.id, e.street) facts
GROUP BY street ORDER BY street;
SQL
}
F0=$T0
F1=$(date -d '2026-11-30T00:00:00+08:00' +%s)

# 2. zhizhi over HTTP: the whole period, grouped by street, best of $RUNS.
"$BUILD/zhizhi" serve --data-dir "$work/data" --listen 127.0.0.1:0 --pwhash-cost min >"$work/serve.log" 2>&1 &
srv_pid=$!
for _ in $(seq 200); do grep -q 'listening on' "$work/serve.log" && break; sleep 0.1; done
base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/serve.log" | head -1)
tok=$(curl -s "$base/api/v1/sessions" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$pw\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
best_zz=
for _ in $(seq "$RUNS"); do
    s=$(curl -s -o "$work/ind.json" -w '%{time_total}' -H "Authorization: Bearer $tok" \
        "$base/api/v1/indicators?from=$FROM&to=$TO&group_by=street")
    ms=$(awk -v s="$s" 'BEGIN { printf "%.0f", s * 1000 }')
    [ -z "$best_zz" ] || [ "$ms" -lt "$best_zz" ] && best_zz=$ms
done
zz_reported=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["reported"])' "$work/ind.json")
zz_closed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["closed"])' "$work/ind.json")
kill "$srv_pid"; wait "$srv_pid" 2>/dev/null || true; srv_pid=
echo "zhizhi GET /api/v1/indicators?group_by=street: best of $RUNS ${best_zz} ms (reported $zz_reported, closed $zz_closed)"

# 3. The sqlite3 CLI, the same facts summed in SQL.
facts_sql "$F0" "$F1" sqlite >"$work/facts-sqlite.sql"
best_sq=
for _ in $(seq "$RUNS"); do
    t=$(now_ms)
    sqlite3 -csv "$db" <"$work/facts-sqlite.sql" >"$work/sqlite.csv"
    ms=$(( $(now_ms) - t ))
    [ -z "$best_sq" ] || [ "$ms" -lt "$best_sq" ] && best_sq=$ms
done
sq_reported=$(awk -F, '{ s += $3 } END { print s }' "$work/sqlite.csv")
echo "sqlite3 CLI, same aggregates in one statement: best of $RUNS ${best_sq} ms (reported $sq_reported)"

# 4. PostgreSQL 15 with the same rows and indexes.
if [ ! -x "$PGBIN/initdb" ]; then
    echo "postgresql: skipped ($PGBIN/initdb missing)"
    printf 'events %s\nhistory_rows %s\nzhizhi_ms %s\nsqlite_ms %s\n' "$N" "$rows" "$best_zz" "$best_sq" >"$OUT/events.txt"
    exit 0
fi
sqlite3 -csv "$db" 'SELECT id, street, channel, category FROM events' >"$work/events.csv"
sqlite3 -csv "$db" 'SELECT id, event_id, at, action, from_state, to_state, department, overdue, comment FROM event_history' >"$work/history.csv"
chmod 644 "$work"/*.csv
mkdir -p "$pgdir"
[ "$(id -u)" = 0 ] && chown postgres "$pgdir" "$work"
as_pg "$PGBIN/initdb" -D "$pgdir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$pgdir" -l "$pgdir/log" -w \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=256MB" start >/dev/null
PSQL=(as_pg psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1)
t=$(now_ms)
"${PSQL[@]}" <<SQL
CREATE TABLE events (id bigint PRIMARY KEY, street text, channel text, category text);
CREATE TABLE event_history (id bigint PRIMARY KEY, event_id bigint NOT NULL, at bigint NOT NULL,
  action text, from_state text, to_state text, department text, overdue int, comment text);
\copy events FROM '$work/events.csv' WITH (FORMAT csv)
\copy event_history FROM '$work/history.csv' WITH (FORMAT csv)
CREATE INDEX event_history_event ON event_history (event_id, id);
CREATE INDEX event_history_at ON event_history (at, id);
VACUUM ANALYZE;
SQL
echo "postgresql: loaded in $(( $(now_ms) - t )) ms"
facts_sql "$F0" "$F1" pg >"$work/facts-pg.sql"
chmod 644 "$work/facts-pg.sql"
best_pg=
for _ in $(seq "$RUNS"); do
    t=$(now_ms)
    "${PSQL[@]}" -A -t -F, -f "$work/facts-pg.sql" >"$work/pg.csv"
    ms=$(( $(now_ms) - t ))
    [ -z "$best_pg" ] || [ "$ms" -lt "$best_pg" ] && best_pg=$ms
done
pg_reported=$(awk -F, '{ s += $3 } END { print s }' "$work/pg.csv")
pgver=$("${PSQL[@]}" -A -t -c 'SHOW server_version')
same=$(cmp -s "$work/sqlite.csv" "$work/pg.csv" && echo yes || echo no)
echo "postgresql $pgver, same aggregates: best of $RUNS ${best_pg} ms (reported $pg_reported; identical to sqlite3: $same)"
printf 'events %s\nhistory_rows %s\nzhizhi_ms %s\nsqlite_ms %s\npg_ms %s\npg_version %s\nsame %s\n' \
    "$N" "$rows" "$best_zz" "$best_sq" "$best_pg" "$pgver" "$same" >"$OUT/events.txt"
