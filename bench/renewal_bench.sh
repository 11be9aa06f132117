#!/usr/bin/env bash
# Renewal: the full financing balance with sensitivity for 1,000 projects × 30 years
# (BENCH_PROJECTS), zhizhi's renewal_balance beside the same computation in plain Python 3
# (bench/renewal_peer.py) on the same generated projects. Prints both to $OUT/renewal.txt.
# Never fails on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/zhizhi-bench-renewal-XXXXXX)
trap 'rm -rf "$work"' EXIT
objs="$BUILD/obj/src/renewal/finance.o $BUILD/obj/src/core/error.o"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc -o "$work/renewal_bench" bench/renewal_bench.c $objs -lm
{
    echo "== zhizhi renewal_balance"
    "$work/renewal_bench" "${BENCH_PROJECTS:-1000}" "$work/projects.txt"
    echo "== peer: plain Python 3 ($(python3 --version 2>&1))"
    python3 bench/renewal_peer.py "$work/projects.txt"
} | tee "$OUT/renewal.txt"
