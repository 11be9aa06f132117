#!/usr/bin/env bash
# Patrol coverage: zhizhi's geo_line_coverage beside GEOS (buffer + intersection + length) on the
# same tangent-plane coordinates, over the demo's Yangtze segment and its season of synthetic
# patrol tracks. Builds bench/patrol_bench.c against build/obj. Prints figures to
# $OUT/patrol.txt. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-patrol-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$BUILD/zhizhi" init --data-dir "$work/data" --pwhash-cost min >/dev/null 2>&1
sqlite3 "$work/data/zhizhi.db" "SELECT geometry FROM patrol_segments WHERE code = 'CJ-YZ'" >"$work/seg.geojson"
sqlite3 "$work/data/zhizhi.db" "SELECT track FROM patrol_patrols WHERE segment = 'CJ-YZ' ORDER BY id" >"$work/tracks.txt"
PKG_CFLAGS="$(geos-config --cflags)"
PKG_LIBS="$(geos-config --clibs) -lpthread -lm"
objs="$BUILD/obj/src/geo/line.o $BUILD/obj/src/geo/polygon.o $BUILD/obj/src/geo/gcj02.o $BUILD/obj/src/core/buf.o $BUILD/obj/src/core/error.o $BUILD/obj/src/core/xalloc.o $BUILD/obj/src/core/log.o $BUILD/obj/src/core/clock.o"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc $PKG_CFLAGS -o "$work/patrol_bench" bench/patrol_bench.c $objs $PKG_LIBS
"$work/patrol_bench" "$work/seg.geojson" "$work/tracks.txt" "${BENCH_BUFFER:-50}" | tee "$OUT/patrol.txt"
