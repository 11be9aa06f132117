#!/usr/bin/env bash
# The store helper layer (src/core/db_row.c) against raw sqlite3 calls for the same statements:
# builds bench/store_bench.c against build/obj, runs it, writes the figures to $OUT/store.txt.
# Never fails on time. BENCH_STORE_ROWS (default 200000) rows, BENCH_STORE_ROUNDS (5) rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT" "$BUILD/bench"
objs=$(ls "$BUILD"/obj/src/core/*.o "$BUILD"/obj/gen/*.o)
libs="$(pkg-config --libs sqlite3 libsodium jansson inih) -lpthread -lm"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc $(pkg-config --cflags sqlite3) \
    -o "$BUILD/bench/store_bench" bench/store_bench.c $objs $libs
"$BUILD/bench/store_bench" "${BENCH_STORE_ROWS:-200000}" "${BENCH_STORE_ROUNDS:-5}" | tee "$OUT/store.txt"
