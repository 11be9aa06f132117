/* The full 楼均论英雄 evaluation (building_evaluate + building_district_sum) over N buildings and
 * M enterprises (one lease each, every tenth on two towers; two years of figures), in memory:
 * time (best of 5) and peak memory. Prints figures; never fails on time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "building/building.h"
#include "core/clock.h"
#include "core/xalloc.h"

int main(int argc, char **argv)
{
    size_t nb = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    size_t ne = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
    struct building *b = xcalloc(nb, sizeof(*b));
    struct building_enterprise *e = xcalloc(ne, sizeof(*e));
    struct building_lease *l = xcalloc(ne * 2, sizeof(*l));
    struct building_figure *f = xcalloc(ne * 2, sizeof(*f));
    size_t nl = 0, nf = 0;
    unsigned seed = 12345;
    for (size_t i = 0; i < nb; i++) {
        b[i].id = (int64_t)i + 1;
        snprintf(b[i].code, sizeof b[i].code, "B%05zu", i);
        snprintf(b[i].zone, sizeof b[i].zone, "z%zu", i % 6);
        snprintf(b[i].grade, sizeof b[i].grade, "%s", i % 3 ? "甲级" : "乙级");
        b[i].gfa_m2 = 20000 + (double)(i % 97) * 1000;
        b[i].leasable_m2 = b[i].gfa_m2 * 0.8;
    }
    static const char *const ind[] = {"I65", "J66", "L72", "F51", "M74", "K70"};
    for (size_t i = 0; i < ne; i++) {
        seed = seed * 1103515245u + 12345u;
        e[i].id = (int64_t)i + 1;
        snprintf(e[i].industry, sizeof e[i].industry, "%s", ind[seed % 6]);
        int64_t bid = (int64_t)(seed % nb) + 1;
        e[i].registered_building = i % 20 ? bid : 0;
        e[i].intro_year = i % 50 == 0 ? 2025 : 0;
        e[i].intro_building = e[i].intro_year ? bid : 0;
        l[nl++] = (struct building_lease){.id = (int64_t)nl + 1, .enterprise_id = e[i].id,
                                          .building_id = bid, .area_m2 = 100 + seed % 900,
                                          .start_date = "2020-01-01"};
        if (i % 10 == 0)
            l[nl++] = (struct building_lease){.id = (int64_t)nl + 1, .enterprise_id = e[i].id,
                                              .building_id = (bid % (int64_t)nb) + 1,
                                              .area_m2 = 300, .start_date = "2024-06-01"};
        f[nf++] = (struct building_figure){e[i].id, 2024, 1e5 + seed % 100000, 0, 1e6, true};
        f[nf++] = (struct building_figure){e[i].id, 2025, 1.1e5 + seed % 100000, 0, 1.1e6, true};
    }
    struct building_eval_input in = {b, nb, e, ne, l, nl, f, nf};
    struct building_config cfg;
    building_config_default(&cfg);
    double best = 1e18;
    struct building_district d = {0};
    for (int k = 0; k < 5; k++) {
        struct building_eval ev;
        double t0 = clock_mono_ms();
        building_evaluate(&in, &cfg, 2025, &ev);
        building_district_sum(&in, &ev, NULL, NULL, &d);
        double t = clock_mono_ms() - t0;
        if (t < best)
            best = t;
        building_eval_release(&ev);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("building evaluation: %zu buildings, %zu enterprises, %zu leases, %zu figures: "
           "best of 5 %.1f ms; peak RSS %ld MiB (inputs included); district tax/m² %.1f\n",
           nb, ne, nl, nf, best, ru.ru_maxrss / 1024, d.tax_per_m2);
    free(b);
    free(e);
    free(l);
    free(f);
    return 0;
}
