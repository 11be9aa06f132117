#!/usr/bin/env bash
# Building economy: the full 楼均论英雄 evaluation over 1,000 buildings and 100,000 enterprises
# (BENCH_BUILDINGS, BENCH_ENTERPRISES), in memory, time and peak memory. Prints figures to
# $OUT/building.txt. Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-building-XXXXXX)
trap 'rm -rf "$work"' EXIT
objs="$BUILD/obj/src/building/rules.o $BUILD/obj/src/core/xalloc.o $BUILD/obj/src/core/log.o $BUILD/obj/src/core/clock.o $BUILD/obj/src/core/buf.o $BUILD/obj/src/core/error.o"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc -o "$work/building_bench" bench/building_bench.c $objs -lpthread -lm
"$work/building_bench" "${BENCH_BUILDINGS:-1000}" "${BENCH_ENTERPRISES:-100000}" | tee "$OUT/building.txt"
