#!/usr/bin/env bash
# Living circle: nearest facility for every node of a 1,000,000-node directed walking lattice,
# lc_dijkstra beside python3-igraph and networkx on the same arcs (BENCH_LC_W, default 1000 →
# W² nodes; BENCH_LC_K sources, default 500). Prints figures to $OUT/lifecircle.txt. Never
# fails on time; a missing peer is reported as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-lc-XXXXXX)
trap 'rm -rf "$work"' EXIT
objs="$BUILD/obj/src/lifecircle/network.o $BUILD/obj/src/lifecircle/search.o $BUILD/obj/src/core/xalloc.o $BUILD/obj/src/core/log.o $BUILD/obj/src/core/clock.o $BUILD/obj/src/core/buf.o $BUILD/obj/src/core/error.o"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc -o "$work/lc_bench" bench/lifecircle_bench.c $objs -lpthread -lm
"$work/lc_bench" "${BENCH_LC_W:-1000}" "${BENCH_LC_K:-500}" "$work/arcs.txt" | tee "$OUT/lifecircle.txt"
/usr/bin/python3 bench/lifecircle_peer.py "$work/arcs.txt" | tee -a "$OUT/lifecircle.txt"
