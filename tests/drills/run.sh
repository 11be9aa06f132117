#!/usr/bin/env bash
# `make drills`: the reliability drills of docs/reliability.md, each bounded and on loopback.
# DRILL_SECONDS (default 60) sets the soak and kill durations, DRILL_CONNS (256) the soak's
# connections, FUZZ_TIME (600) each fuzz target's seconds. Figures go to build/drills/*.txt;
# exits 1 when any drill failed.
set -u
cd "$(dirname "$0")/../.."
secs=${DRILL_SECONDS:-60}
conns=${DRILL_CONNS:-256}
out=build/drills
mkdir -p "$out"
status=0
drill() { # name, binary, args...
    local name=$1 bin=$2
    shift 2
    echo "== $name"
    ZHIZHI_BIN=$bin node tests/drills/drills.mjs "$@" 2>&1 | tee "$out/$name.txt"
    grep -q '^DRILL .* ok$\|^DRILL .* skipped' "$out/$name.txt" || status=1
}
drill soak build/zhizhi soak --seconds "$secs" --conns "$conns"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    drill soak-asan build/zhizhi-asan soak --seconds "$secs" --conns "$conns"
drill kill build/zhizhi kill --seconds "$secs" --every 2
drill backup build/zhizhi backup --seconds 20
drill diskfull build/zhizhi diskfull
echo "== fuzz (${FUZZ_TIME:-600} s per target)"
fuzz/run.sh build "${FUZZ_TIME:-600}" | tee "$out/fuzz.txt" || status=1
exit $status
