#!/usr/bin/env bash
# `make bench`: the benchmarks of the foundation (point location vs PostGIS, HTTP vs nginx),
# with the machine they ran on. Prints figures and ratios and writes a Markdown summary to
# $OUT/foundation.md for docs/benchmarks.md. Benchmarks never pass or fail on time; a missing
# peer (PostGIS, nginx, wrk) is reported as skipped. Install peers: ZHIZHI_BENCH_DEPS=1 make deps.
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
export OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT"

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
machine="$(nproc) CPUs ($cpu), $mem RAM, $(uname -sr)"
echo "machine: $machine"
echo "== point location (${BENCH_POINTS:-1000000} random points in the district's bounding box)"
bench/geo_bench.sh
echo "== HTTP (wrk, keep-alive)"
bench/http_bench.sh

zz=$(awk '/^points_per_s/ {print $2}' "$OUT/geo-zhizhi.txt" 2>/dev/null || true)
pg=$(sed -n 's/.*points_per_s \([0-9.]*\).*/\1/p' "$OUT/geo-postgis.txt" 2>/dev/null | head -1)
{
    echo "Machine: $machine; $(date -u +%Y-%m-%d)."
    echo
    echo "| measurement | zhizhi | peer | ratio |"
    echo "| --- | --- | --- | --- |"
    [ -n "$zz" ] && [ -n "$pg" ] &&
        echo "| point location, points/s (${BENCH_POINTS:-1000000} points, $(awk '/^grids/ {print $2}' "$OUT/geo-zhizhi.txt") grids) | $zz | PostGIS ST_Contains + GiST: $pg | $(awk -v a="$zz" -v b="$pg" 'BEGIN { printf "%.1f×", a / b }') |"
    if [ -f "$OUT/http.txt" ]; then
        awk '/body/ {printf "| GET %s (%s B), req/s | %s | nginx static file: %s | %s |\n", ($1 == "locate" ? "/api/v1/locate" : "/api/v1/regions/{code}"), $3, $6, $10, $14}' "$OUT/http.txt"
    fi
} >"$OUT/foundation.md"
echo "== summary ($OUT/foundation.md)"
cat "$OUT/foundation.md"
echo "== monitoring ingest (HTTP batches of 1,000 readings vs sqlite3 .import)"
bench/monitor_bench.sh
echo "== events: durable creation and listing over HTTP (wrk) vs the sqlite3 CLI"
bench/event_http_bench.sh
echo "== indicators over ${BENCH_EVENTS:-1000000} generated events vs sqlite3 and PostgreSQL"
bench/event_bench.sh
echo "== store helper layer (core/db_row) vs raw sqlite3 calls, same statements"
bench/store_bench.sh
echo "== live screens: 1, 1,000 and 10,000 stream subscribers, a tenth of them stalled"
bench/sse_bench.sh
echo "== phones on a slow network: the apps under slow 4G in Chromium, beside unthrottled"
node bench/web_slow.mjs
# patrol
echo "== patrol coverage (exact capsule intervals) vs GEOS buffer + intersection, same plane"
bench/patrol_bench.sh
# parking
echo "== shared parking: booking throughput and availability over 5,000 lots (wrk) vs the sqlite3 CLI"
bench/parking_bench.sh
# lifecircle
echo "== living circle: nearest facility for every node of a 1,000,000-node walking lattice vs igraph and networkx"
bench/lifecircle_bench.sh
# building economy
echo "== building economy: the full 楼均论英雄 evaluation over 1,000 buildings and 100,000 enterprises"
bench/building_bench.sh
# renewal (issue 18)
echo "== renewal: the financing balance with sensitivity for 1,000 projects × 30 years vs plain Python"
bench/renewal_bench.sh
# enterprise services
echo "== 免申即享: one policy over 1,000,000 enterprise records vs the same selection in sqlite3"
bench/enterprise_bench.sh
# the rectification ledger
echo "== 整改台账: figures as of a day over 100,000 problems (HTTP) vs one SQL statement in sqlite3"
bench/ledger_bench.sh
