#!/usr/bin/env bash
# 免申即享: one policy over BENCH_ENTERPRISES (1,000,000) synthetic enterprise records with the
# module's policy_run, beside the same selection as one SQL statement in the sqlite3 CLI over the
# same records (imported into a table first; only the statement is timed, best of 5). Prints to
# $OUT/enterprise.txt. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
N=${BENCH_ENTERPRISES:-1000000}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-enterprise-XXXXXX)
trap 'rm -rf "$work"' EXIT
objs="$BUILD/obj/src/enterprise/rules.o $BUILD/obj/src/core/xalloc.o $BUILD/obj/src/core/log.o $BUILD/obj/src/core/clock.o $BUILD/obj/src/core/buf.o $BUILD/obj/src/core/error.o"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc -o "$work/enterprise_bench" bench/enterprise_bench.c $objs -lpthread -lm
"$work/enterprise_bench" "$N" "$work/ents.csv" > "$work/zhizhi.txt"
sqlite3 "$work/ents.db" <<SQL
CREATE TABLE ents (id INTEGER PRIMARY KEY, industry TEXT, size_class TEXT, employees INTEGER,
                   growth_bp INTEGER, violations INTEGER, zone TEXT);
.mode csv
.import --skip 1 $work/ents.csv ents
SQL
q="SELECT count(*), sum(min(50000 * employees, 5000000)) FROM ents WHERE (substr(industry, 1, 1) IN ('I', 'M', 'L')) AND employees >= 10 AND violations = 0;"
best=""
for i in 1 2 3 4 5; do
    t=$( { printf '.timer on\n%s\n' "$q" | sqlite3 "$work/ents.db" ; } | tee "$work/sql.out" | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
done
res=$(head -1 "$work/sql.out")
z=$(cat "$work/zhizhi.txt")
zc=$(echo "$z" | sed -n 's/^eligible //p'); zt=$(echo "$z" | sed -n 's/^total_fen //p')
zms=$(echo "$z" | sed -n 's/^policy_run_ms //p'); rss=$(echo "$z" | sed -n 's/^peak_rss_mib //p')
rb=$(echo "$z" | sed -n 's/^record_bytes //p')
sms=$(awk "BEGIN{printf \"%.1f\", $best * 1000}")
same=$([ "$res" = "$zc|$zt" ] && echo "same result" || echo "DIFFERENT: sqlite3 $res, zhizhi $zc|$zt")
dbsz=$(du -m "$work/ents.db" | cut -f1)
{
    echo "records: $N; eligible: $zc; total: $zt fen ($same)"
    echo "zhizhi policy_run (3 rules, in memory, best of 5): $zms ms; record $rb B; peak RSS $rss MiB"
    echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1) one SELECT over the same table (best of 5): $sms ms; database $dbsz MiB"
    echo "ratio sqlite3 / zhizhi: $(awk "BEGIN{printf \"%.1f\", $sms / $zms}")x"
} | tee "$OUT/enterprise.txt"
