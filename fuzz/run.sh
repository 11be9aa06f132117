#!/usr/bin/env bash
# Run every libFuzzer target for a bounded time each: fuzz/run.sh BUILD_DIR SECONDS [target...]
# Seeds come from fuzz/corpus/<target>/ (checked in, small); what the fuzzer learns goes to
# BUILD_DIR/fuzz/work/<target>/ and crashes to BUILD_DIR/fuzz/crashes/. Exits 1 on any crash.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-20}
shift 2 || true
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
    for f in fuzz/*_fuzz.c; do t=$(basename "$f" .c); targets+=("${t%_fuzz}"); done
fi
crashes="$build/fuzz/crashes"
mkdir -p "$crashes"
status=0
for t in "${targets[@]}"; do
    bin="$build/fuzz/${t}_fuzz"
    work="$build/fuzz/work/$t"
    log="$build/fuzz/$t.log"
    mkdir -p "$work"
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$crashes/$t-" "$work" "fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    if [ $rc = 0 ]; then
        printf 'fuzz %-8s ok    %10s runs in %ss, coverage %s edges, corpus %s\n' "$t" "${runs:-?}" "$secs" "${cov:-?}" "$(ls "$work" | wc -l)"
    else
        printf 'fuzz %-8s CRASH (see %s)\n' "$t" "$log"
        grep -E 'ERROR|runtime error|Assertion|SUMMARY|Test unit written' "$log" | head -8
        status=1
    fi
done
exit $status
