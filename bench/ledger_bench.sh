#!/usr/bin/env bash
# The rectification ledger as of a day (issue 15): GET /api/v1/ledger/figures?as_of=DAY over a
# ledger of BENCH_LEDGER_PROBLEMS (100,000) synthetic problems with 2–3 measures each and their
# 销号/反弹 marks — the whole path a leader waits on: the scoped read of every row from SQLite,
# each problem's status on that day from its marks, the counts — timed with curl, best of 5.
# Peer in the same run: the sqlite3 CLI answering the same four totals (problems, 销号, measures,
# overdue measures as of the day) with one SQL statement over the same database file (its index
# on marks used for the last mark on or before the day), best of 5. The results must agree.
# Writes $OUT/ledger.txt. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
N=${BENCH_LEDGER_PROBLEMS:-100000}
DAY=${BENCH_LEDGER_DAY:-2026-09-30}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-ledger-XXXXXX)
zpid=""
cleanup() {
    [ -n "$zpid" ] && kill "$zpid" 2>/dev/null && wait "$zpid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
if ! command -v sqlite3 >/dev/null || ! command -v curl >/dev/null; then
    echo "ledger: skipped (sqlite3 or curl missing)"
    exit 0
fi
echo 'bench-ledger-admin-pw' >"$work/pw"
"$BUILD/zhizhi" init --data-dir "$work/data" --demo false --pwhash-cost min \
    --admin-password-file "$work/pw" >"$work/init.log" 2>&1
db="$work/data/zhizhi.db"

# N problems over 300 days from 1 January, spread over the departments; 2 or 3 measures each
# (three for two in five), most done; 80 % closed 90 days after entry, every 37th reopened
# 10 days later and closed again 20 days after that; every 50th a standing (长期坚持) problem.
sqlite3 "$db" >/dev/null "PRAGMA busy_timeout=5000;
BEGIN;
CREATE TEMP TABLE d AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM departments;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1)
INSERT INTO ledger_problems (id, title, source, category, department, deadline, long_term,
  created_on, created_at, created_by, synthetic)
SELECT i + 1, '基准问题 ' || i, '督查', '类别' || (i % 12),
  (SELECT code FROM d WHERE k = i % (SELECT count(*) FROM d)),
  date('2026-01-01', '+' || (i % 300 + 60) || ' days'), i % 50 = 7,
  date('2026-01-01', '+' || (i % 300) || ' days'), 0, 'bench', 1 FROM n;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 3)
INSERT INTO ledger_measures (problem_id, title, owner, deadline, created_on, done_on, evidence,
  synthetic)
SELECT p.id, '措施 ' || j, 'admin', date(p.created_on, '+' || (25 + 15 * j) || ' days'),
  p.created_on,
  CASE WHEN (p.id + j) % 4 = 0 THEN '' ELSE date(p.created_on, '+' || (20 + 10 * j) || ' days') END,
  '佐证', 1
FROM ledger_problems p JOIN k ON k.j <= 2 + ((p.id - 1) % 5 < 2) ORDER BY p.id, j;
INSERT INTO ledger_marks (problem_id, kind, on_date, at, by_user, synthetic)
SELECT id, 'close', date(created_on, '+90 days'), 0, 'bench', 1 FROM ledger_problems
WHERE (id - 1) % 10 < 8 AND NOT long_term;
INSERT INTO ledger_marks (problem_id, kind, on_date, at, by_user, reason, synthetic)
SELECT id, 'reopen', date(created_on, '+100 days'), 0, 'bench', '反弹', 1 FROM ledger_problems
WHERE (id - 1) % 10 < 8 AND NOT long_term AND (id - 1) % 37 = 5;
INSERT INTO ledger_marks (problem_id, kind, on_date, at, by_user, synthetic)
SELECT id, 'close', date(created_on, '+120 days'), 0, 'bench', 1 FROM ledger_problems
WHERE (id - 1) % 10 < 8 AND NOT long_term AND (id - 1) % 37 = 5;
COMMIT;"
measures=$(sqlite3 "$db" 'SELECT count(*) FROM ledger_measures')
marks=$(sqlite3 "$db" 'SELECT count(*) FROM ledger_marks')

"$BUILD/zhizhi" serve --data-dir "$work/data" --demo false --listen 127.0.0.1:0 \
    --pwhash-cost min >"$work/zhizhi.log" 2>&1 &
zpid=$!
base=""
for _ in $(seq 1 900); do
    base=$(sed -n 's/.*listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/zhizhi.log" | head -1)
    [ -n "$base" ] && break
    sleep 0.1
done
[ -n "$base" ] || { echo "ledger: zhizhi did not start"; cat "$work/zhizhi.log"; exit 1; }
token=$(curl -s -X POST "$base/api/v1/sessions" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench-ledger-admin-pw"}' | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
best_z=""
for _ in 1 2 3 4 5; do
    t=$(curl -s -o "$work/figures.json" -w '%{time_total}' -H "Authorization: Bearer $token" \
        "$base/api/v1/ledger/figures?as_of=$DAY")
    if [ -z "$best_z" ] || awk "BEGIN{exit !($t < $best_z)}"; then best_z=$t; fi
done
field() { sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" "$work/figures.json" | head -1; }
zres="$(field problems)|$(field closed)|$(field measures)|$(field overdue_measures)"

q="WITH st AS (SELECT p.id, (SELECT k.kind FROM ledger_marks k WHERE k.problem_id = p.id
      AND k.on_date <= '$DAY' ORDER BY k.on_date DESC, k.id DESC LIMIT 1) AS last
    FROM ledger_problems p WHERE p.created_on <= '$DAY'),
  ms AS (SELECT m.deadline, m.done_on FROM ledger_measures m JOIN st ON st.id = m.problem_id
    WHERE m.created_on <= '$DAY')
SELECT (SELECT count(*) FROM st), (SELECT count(*) FROM st WHERE last = 'close'),
  (SELECT count(*) FROM ms), (SELECT count(*) FROM ms WHERE deadline < '$DAY'
    AND (done_on = '' OR done_on > '$DAY'));"
best_s=""
for _ in 1 2 3 4 5; do
    t=$( { printf '.timer on\n%s\n' "$q" | sqlite3 "$db"; } | tee "$work/sql.out" |
        sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p')
    if [ -z "$best_s" ] || awk "BEGIN{exit !($t < $best_s)}"; then best_s=$t; fi
done
sres=$(head -1 "$work/sql.out")
same=$([ "$sres" = "$zres" ] && echo "same result" || echo "DIFFERENT: sqlite3 $sres, zhizhi $zres")
zms=$(awk "BEGIN{printf \"%.1f\", $best_z * 1000}")
sms=$(awk "BEGIN{printf \"%.1f\", $best_s * 1000}")
{
    echo "ledger: $N problems, $measures measures, $marks marks; as of $DAY: problems|closed|measures|overdue = $zres ($same)"
    echo "zhizhi GET /api/v1/ledger/figures (read every row, status per problem, counts; best of 5): $zms ms"
    echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1) one SQL statement, the same four totals (best of 5): $sms ms"
    echo "ratio sqlite3 / zhizhi: $(awk "BEGIN{printf \"%.2f\", $sms / $zms}")x"
} | tee "$OUT/ledger.txt"
