#!/usr/bin/env bash
# Point location: zhizhi's in-process index vs PostGIS ST_Contains with a GiST index, over the
# same grids and the same 1,000,000 random points of the district's bounding box. Builds
# bench/geo_bench.c against build/obj with the Makefile's flags; starts a private PostgreSQL 15
# cluster on a loopback port under /tmp (as the postgres user when run as root) and stops it.
# Prints figures and "ratio"; writes them to $OUT/geo.txt. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${BENCH_POINTS:-1000000}
OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-geo-XXXXXX)
chmod 755 "$work"
PGBIN=/usr/lib/postgresql/15/bin
pgdir="$work/pg"
pgport=$((20000 + RANDOM % 20000))

cleanup() {
    if [ -f "$pgdir/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$pgdir" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# 1. zhizhi: grids of a fresh demo database, and the in-process benchmark.
"$BUILD/zhizhi" init --data-dir "$work/data" --pwhash-cost min >/dev/null 2>&1
"$BUILD/zhizhi" export regions --format geojson --data-dir "$work/data" >"$work/regions.geojson"
PKG_CFLAGS="$(pkg-config --cflags jansson) $(geos-config --cflags)"
PKG_LIBS="$(pkg-config --libs jansson) $(geos-config --clibs) -lpthread -lm"
objs="$BUILD/obj/src/geo/demo.o $BUILD/obj/src/geo/gcj02.o $BUILD/obj/src/geo/index.o $BUILD/obj/src/geo/polygon.o $BUILD/obj/src/core/error.o $BUILD/obj/src/core/xalloc.o $BUILD/obj/src/core/log.o $BUILD/obj/src/core/clock.o"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc $PKG_CFLAGS -o "$work/geo_bench" bench/geo_bench.c $objs $PKG_LIBS
"$work/geo_bench" "$work/regions.geojson" "$N" "$work/points.csv" | tee "$OUT/geo-zhizhi.txt"
chmod 644 "$work/points.csv"
zz=$(awk '/^points_per_s/ {print $2}' "$OUT/geo-zhizhi.txt")

# 2. PostGIS: the same grids (GeoJSON geometries) and points, GiST index, one ST_Contains
#    lookup per point through an index nested-loop join, timed inside the server.
if [ ! -x "$PGBIN/initdb" ]; then
    echo "postgis: skipped ($PGBIN/initdb missing; ZHIZHI_BENCH_DEPS=1 scripts/deps.sh installs it)"
    exit 0
fi
python3 - "$work/regions.geojson" "$work/grids.csv" <<'PY'
import csv, json, sys
fc = json.load(open(sys.argv[1]))
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f)
    for ft in fc['features']:
        if ft['properties']['level'] == 'grid':
            w.writerow([ft['properties']['code'], json.dumps(ft['geometry'], separators=(',', ':'))])
PY
chmod 644 "$work/grids.csv"
mkdir -p "$pgdir"
[ "$(id -u)" = 0 ] && chown postgres "$pgdir" "$work"
as_pg "$PGBIN/initdb" -D "$pgdir" -U postgres -A trust >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$pgdir" -l "$pgdir/log" -w \
    -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c work_mem=64MB -c max_parallel_workers_per_gather=0" start >/dev/null
psql_() { as_pg psql -X -q -h 127.0.0.1 -p "$pgport" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql_ -c "CREATE EXTENSION postgis" >/dev/null
psql_ <<SQL
CREATE TABLE grids_src (code text, geojson text);
\copy grids_src FROM '$work/grids.csv' WITH (FORMAT csv)
CREATE TABLE grids AS SELECT code, ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326) AS geom FROM grids_src;
CREATE INDEX grids_gist ON grids USING gist (geom);
CREATE TABLE pts_src (id bigint, lon float8, lat float8);
\copy pts_src FROM '$work/points.csv' WITH (FORMAT csv)
CREATE TABLE pts AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom FROM pts_src;
VACUUM ANALYZE grids;
VACUUM ANALYZE pts;
SQL
psql_ -t -A 2>&1 <<'SQL' | sed 's/^NOTICE: *//' | tee "$OUT/geo-postgis.txt"
DO $$
DECLARE t0 timestamptz; hits bigint; n bigint; s float8;
BEGIN
  SELECT count(*) INTO n FROM pts;
  t0 := clock_timestamp();
  SELECT count(*) INTO hits FROM pts p JOIN grids g ON ST_Contains(g.geom, p.geom);
  s := extract(epoch FROM clock_timestamp() - t0);
  RAISE NOTICE 'points % hits % seconds % points_per_s %', n, hits, round(s::numeric, 3), round(n / s);
END $$;
SQL
echo "plan:" | tee -a "$OUT/geo-postgis.txt"
psql_ -t -A -c "EXPLAIN (COSTS OFF) SELECT count(*) FROM pts p JOIN grids g ON ST_Contains(g.geom, p.geom)" | sed 's/^/  /' | tee -a "$OUT/geo-postgis.txt"
psql_ -t -A -c "SELECT 'postgis ' || postgis_lib_version() || ', ' || split_part(version(), ' on ', 1)" | tee -a "$OUT/geo-postgis.txt"
pg=$(sed -n 's/.*points_per_s \([0-9.]*\).*/\1/p' "$OUT/geo-postgis.txt" | head -1)
echo "ratio zhizhi/postgis point location: $(awk -v a="$zz" -v b="$pg" 'BEGIN { printf "%.1f", a / b }')" | tee -a "$OUT/geo-postgis.txt"
