/* The renewal financing balance at scale: N projects (default 1,000) × 30 years, each with two
 * loans, computed in full by renewal_balance (net flows, loan schedules, district outlay against
 * the ceiling, NPV, IRR, payback, DSCR, the sensitivity of NPV to rent, occupancy, rate and cost
 * at ±10/20% with break-even). Inputs are generated deterministically and also written to a file
 * so the peer (bench/renewal_peer.py) computes the same projects. Prints time (best of 5), peak
 * RSS, and checksums the peer's must match. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "renewal/renewal.h"

static uint64_t rng = 88172645463325252ULL;
static int64_t rnd(int64_t lo, int64_t hi)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return lo + (int64_t)(rng % (uint64_t)(hi - lo + 1));
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    const char *dump = argc > 2 ? argv[2] : NULL;
    int years = 30;
    struct renewal_model *m = calloc((size_t)n, sizeof *m);
    struct renewal_balance *b = calloc((size_t)n, sizeof *b);
    FILE *f = dump ? fopen(dump, "w") : NULL;
    for (int i = 0; i < n; i++) {
        struct renewal_model *x = &m[i];
        x->horizon = years;
        x->discount_nano = rnd(30, 80) * 1000000;
        x->ceiling = rnd(1000, 5000) * INT64_C(1000000);
        int64_t scale = rnd(500, 5000) * INT64_C(100000);
        for (int t = 0; t < 3; t++)
            x->amount[RENEWAL_FLOW_CAPEX][t] = scale * rnd(5, 30);
        x->amount[RENEWAL_FLOW_SUBSIDY][1] = scale * rnd(0, 10);
        for (int t = 3; t <= years; t++) {
            x->amount[RENEWAL_FLOW_RENT][t] = scale * rnd(2, 6);
            x->amount[RENEWAL_FLOW_PARKING][t] = scale * rnd(0, 1);
            x->amount[RENEWAL_FLOW_COMMERCIAL][t] = scale * rnd(0, 4);
            x->amount[RENEWAL_FLOW_PROPERTY][t] = scale * rnd(0, 1);
            x->amount[RENEWAL_FLOW_OPEX][t] = scale * rnd(1, 3);
        }
        x->nloans = 2;
        for (int k = 0; k < 2; k++)
            x->loan[k] = (struct renewal_loan){scale * rnd(5, 20), rnd(30, 55) * 1000000,
                                               (int)rnd(10, 25),  (int)rnd(0, 3),
                                               k,                 (enum renewal_repay)(k % 2)};
        if (f) {
            fprintf(f, "%d %lld %lld", x->horizon, (long long)x->discount_nano,
                    (long long)x->ceiling);
            for (int k = 0; k < 2; k++)
                fprintf(f, " %lld %lld %d %d %d %d", (long long)x->loan[k].principal,
                        (long long)x->loan[k].rate_nano, x->loan[k].term, x->loan[k].grace,
                        x->loan[k].draw_year, (int)x->loan[k].repay);
            for (int k = 0; k < RENEWAL_FLOW_KINDS; k++)
                for (int t = 0; t <= years; t++)
                    fprintf(f, " %lld", (long long)x->amount[k][t]);
            fputc('\n', f);
        }
    }
    if (f)
        fclose(f);
    double best = 1e300;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now_ms();
        for (int i = 0; i < n; i++)
            renewal_balance(&m[i], &b[i]);
        double dt = now_ms() - t0;
        if (dt < best)
            best = dt;
    }
    long long npv_sum = 0, sens_sum = 0;
    int balanced = 0, affordable = 0, irr = 0;
    for (int i = 0; i < n; i++) {
        npv_sum += b[i].npv;
        for (int k = 0; k < RENEWAL_FACTORS; k++)
            for (int s = 0; s < 4; s++)
                sens_sum += b[i].sens[k].npv[s];
        balanced += b[i].balanced;
        affordable += b[i].affordable;
        irr += b[i].has_irr;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("projects %d\nyears %d\nbest_ms %.1f\npeak_rss_mib %.1f\nnpv_sum_fen %lld\n"
           "sensitivity_sum_fen %lld\nbalanced %d\naffordable %d\nwith_irr %d\n",
           n, years, best, ru.ru_maxrss / 1024.0, npv_sum, sens_sum, balanced, affordable, irr);
    free(m);
    free(b);
    return 0;
}
