/* 免申即享 at scale: one policy (the demo's 稳岗扩岗补贴: industry in I/M/L, employees ≥ 10, no
 * violation; benefit min(500 元 × employees, 5 万元)) over N synthetic enterprise records with
 * policy_run (the module's own evaluation, every rule a pure function), time and memory. The
 * same records go to CSV for the peer: bench/enterprise_bench.sh runs the same selection as one
 * SQL statement in the sqlite3 CLI and compares count and total. Never fails on time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "enterprise/enterprise.h"

static uint64_t s = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    const char *csv = argc > 2 ? argv[2] : NULL;
    static const char *const ind[] = {"I65", "I64", "M73", "M75", "L72", "J66", "F51", "K70",
                                      "H62", "R87", "C39", "E48"};
    static const char *const size[] = {"大型", "中型", "小型", "微型"};
    static const char *const zone[] = {"jfb", "hlq", "zbc", "other"};
    struct enterprise *e = calloc(n, sizeof(*e));
    struct policy_result *r = calloc(n, sizeof(*r));
    if (!e || !r)
        return 1;
    FILE *f = csv ? fopen(csv, "w") : NULL;
    if (f)
        fputs("id,industry,size_class,employees,growth_bp,violations,zone\n", f);
    for (size_t i = 0; i < n; i++) {
        e[i].id = (int64_t)i + 1;
        snprintf(e[i].industry, sizeof e[i].industry, "%s", ind[rnd() % 12]);
        snprintf(e[i].size_class, sizeof e[i].size_class, "%s", size[rnd() % 4]);
        snprintf(e[i].zone, sizeof e[i].zone, "%s", zone[rnd() % 4]);
        e[i].employees = (int)(rnd() % 60);
        e[i].growth_bp = (int64_t)(rnd() % 6001) - 2000;
        e[i].violations = rnd() % 10 == 0;
        if (f)
            fprintf(f, "%lld,%s,%s,%d,%lld,%d,%s\n", (long long)e[i].id, e[i].industry,
                    e[i].size_class, e[i].employees, (long long)e[i].growth_bp, e[i].violations,
                    e[i].zone);
    }
    if (f)
        fclose(f);
    struct policy p = {.code = "MSJX-2026-01", .name = "稳岗扩岗补贴", .nrules = 3,
                       .per_employee_fen = 50000, .cap_fen = 5000000};
    p.rules[0] = (struct policy_rule){.field = PF_INDUSTRY, .op = PO_IN, .nvalues = 3};
    snprintf(p.rules[0].values[0], 24, "I");
    snprintf(p.rules[0].values[1], 24, "M");
    snprintf(p.rules[0].values[2], 24, "L");
    p.rules[1] = (struct policy_rule){.field = PF_EMPLOYEES, .op = PO_GE, .number = 10};
    p.rules[2] = (struct policy_rule){.field = PF_VIOLATIONS, .op = PO_EQ, .number = 0};
    double best = 1e18;
    size_t eligible = 0;
    int64_t total = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now_ms();
        eligible = policy_run(&p, e, n, r);
        double t = now_ms() - t0;
        if (t < best)
            best = t;
    }
    for (size_t i = 0; i < n; i++)
        total += r[i].benefit_fen;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("records %zu\neligible %zu\ntotal_fen %lld\npolicy_run_ms %.1f\nrecords_per_s %.0f\n"
           "record_bytes %zu\npeak_rss_mib %.1f\n",
           n, eligible, (long long)total, best, n / (best / 1e3), sizeof(struct enterprise),
           ru.ru_maxrss / 1024.0);
    free(e);
    free(r);
    return 0;
}
