/* `zhizhi finance npv|irr|pmt` and `zhizhi vote tally`: the renewal module's money and vote
 * rules on the command line, without a database. */
#include "renewal/renewal_cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/xalloc.h"
#include "renewal/renewal.h"

#define MAX_FLOWS 1000

static int finance_usage(void)
{
    fprintf(stderr, "usage: zhizhi finance npv --rate R FLOW0 FLOW1 ... [--json]\n"
                    "       zhizhi finance irr FLOW0 FLOW1 ... [--json]\n"
                    "       zhizhi finance pmt --rate R --periods N --principal P [--json]\n"
                    "flows and principal in yuan (at most two decimals), year 0 first; rates as "
                    "0.045 or 4.5%%\n");
    return 2;
}

static void print_money(int64_t fen, bool as_json, const char *name)
{
    char s[40];
    renewal_decimal_format(fen, 2, s, sizeof s);
    if (as_json)
        printf("{\"%s\":%s}\n", name, s);
    else
        printf("%s\n", s);
}

static int fail(const struct app_error *err, const char *cmd)
{
    fprintf(stderr, "zhizhi %s: %s (%s)\n", cmd, err->message, err->code_name);
    return 2;
}

int renewal_cli_finance(int argc, char **argv)
{
    if (argc < 2)
        return finance_usage();
    const char *op = argv[1], *rate = NULL, *periods = NULL, *principal = NULL;
    if (strcmp(op, "--help") == 0 || strcmp(op, "-h") == 0) {
        finance_usage();
        return 0;
    }
    bool as_json = false;
    int64_t *flow = xmalloc(MAX_FLOWS * sizeof *flow);
    size_t n = 0;
    struct app_error err = {0};
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            as_json = true;
        else if (strcmp(a, "--rate") == 0 && i + 1 < argc)
            rate = argv[++i];
        else if (strcmp(a, "--periods") == 0 && i + 1 < argc)
            periods = argv[++i];
        else if (strcmp(a, "--principal") == 0 && i + 1 < argc)
            principal = argv[++i];
        else if (strncmp(a, "--", 2) == 0 || n == MAX_FLOWS) {
            free(flow);
            return finance_usage();
        } else if (renewal_money_parse(a, &flow[n++], "flows", &err)) {
            free(flow);
            return fail(&err, "finance");
        }
    }
    int64_t r = 0;
    if (strcmp(op, "npv") == 0) {
        if (!rate || n == 0)
            rc = finance_usage();
        else if (renewal_rate_parse(rate, &r, "rate", &err))
            rc = fail(&err, "finance npv");
        else
            print_money(renewal_npv(flow, n, r), as_json, "npv");
    } else if (strcmp(op, "irr") == 0) {
        double irr;
        if (n < 2)
            rc = finance_usage();
        else if (renewal_irr(flow, n, &irr, &err)) {
            /* no sign change or no root: say so, with exit 1, instead of a number */
            if (as_json)
                printf("{\"irr\":null,\"reason\":\"%s\",\"message\":\"%s\"}\n", err.code_name,
                       err.message);
            fprintf(stderr, "zhizhi finance irr: %s (%s)\n", err.message, err.code_name);
            rc = 1;
        } else if (as_json)
            printf("{\"irr\":%.12g}\n", irr);
        else
            printf("%.10f\n", irr);
    } else if (strcmp(op, "pmt") == 0) {
        int64_t p;
        char *end;
        errno = 0;
        long np = periods ? strtol(periods, &end, 10) : 0;
        if (!rate || !periods || !principal || n)
            rc = finance_usage();
        else if (!*periods || *end || errno || np < 1 || np > 1200) {
            fprintf(stderr, "zhizhi finance pmt: --periods: 应为 1 到 1200 的整数\n");
            rc = 2;
        } else if (renewal_rate_parse(rate, &r, "rate", &err) ||
                   renewal_money_parse(principal, &p, "principal", &err))
            rc = fail(&err, "finance pmt");
        else
            print_money(renewal_pmt(p, r, (int)np), as_json, "pmt");
    } else
        rc = finance_usage();
    free(flow);
    return rc;
}

/* ---- zhizhi vote tally ------------------------------------------------------------------- */

static int vote_usage(void)
{
    fprintf(stderr, "usage: zhizhi vote tally --matter major|ordinary FILE.csv [--json]\n"
                    "CSV header unit,owner,area,vote; vote 同意/反对/弃权/未参与; major = 民法典 "
                    "第二百七十八条 第(六)至(八)项\n");
    return 2;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    for (size_t k; (k = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += k;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Read every row; any bad row is reported by line and the whole file refused. */
static int read_ballots(const char *data, size_t len, struct renewal_ballot **out, size_t *n)
{
    struct csv_reader r;
    struct app_error err = {0};
    csv_init(&r, data, len);
    int bad = 0, col[4];
    size_t cap = 64;
    *out = xmalloc(cap * sizeof **out);
    *n = 0;
    static const char *const names[] = {"unit", "owner", "area", "vote"};
    if (csv_next(&r, &err) != 1) {
        fprintf(stderr, "zhizhi vote tally: line 1: 缺少表头 unit,owner,area,vote\n");
        csv_release(&r);
        return -1;
    }
    for (int i = 0; i < 4; i++)
        if ((col[i] = csv_column(&r, names[i])) < 0) {
            fprintf(stderr, "zhizhi vote tally: line 1: 缺少列 %s\n", names[i]);
            bad++;
        }
    if (bad) {
        csv_release(&r);
        return -1;
    }
    int rc;
    while ((rc = csv_next(&r, &err)) == 1) {
        struct renewal_ballot b = {0};
        const char *f[4];
        bool ok = true;
        for (int i = 0; i < 4; i++)
            f[i] = col[i] < r.nfields ? r.fields[col[i]] : "";
        if (!*f[0] || strlen(f[0]) >= sizeof b.unit) {
            fprintf(stderr, "zhizhi vote tally: line %d: unit: 房号为空或过长\n", r.line);
            ok = false;
        }
        if (!*f[1] || strlen(f[1]) >= sizeof b.owner) {
            fprintf(stderr, "zhizhi vote tally: line %d: owner: 业主为空或过长\n", r.line);
            ok = false;
        }
        if (renewal_decimal_parse(f[2], 2, INT64_C(100000000000), &b.area, "area", &err) ||
            b.area == 0) {
            fprintf(stderr,
                    "zhizhi vote tally: line %d: area: 应为大于 0 的面积（平方米，至多两位小数）\n",
                    r.line);
            ok = false;
        }
        if (renewal_vote_parse(f[3], &b.vote)) {
            fprintf(stderr, "zhizhi vote tally: line %d: vote: 应为 同意/反对/弃权/未参与\n",
                    r.line);
            ok = false;
        }
        if (!ok) {
            bad++;
            continue;
        }
        snprintf(b.unit, sizeof b.unit, "%s", f[0]);
        snprintf(b.owner, sizeof b.owner, "%s", f[1]);
        if (*n == cap)
            *out = xrealloc(*out, (cap *= 2) * sizeof **out);
        (*out)[(*n)++] = b;
    }
    if (rc < 0) {
        fprintf(stderr, "zhizhi vote tally: %s\n", err.message);
        bad++;
    }
    csv_release(&r);
    return bad ? -1 : 0;
}

static double ratio(int64_t a, int64_t b)
{
    return b ? (double)a / (double)b : 0;
}

int renewal_cli_vote(int argc, char **argv)
{
    const char *matter_s = NULL, *file = NULL;
    bool as_json = false;
    if (argc < 2 || strcmp(argv[1], "tally") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
            return vote_usage(), 0;
        return vote_usage();
    }
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0)
            as_json = true;
        else if (strcmp(argv[i], "--matter") == 0 && i + 1 < argc)
            matter_s = argv[++i];
        else if (!file && strncmp(argv[i], "--", 2) != 0)
            file = argv[i];
        else
            return vote_usage();
    enum renewal_matter matter;
    if (!file || !matter_s || renewal_matter_parse(matter_s, &matter))
        return vote_usage();
    size_t len, n;
    char *data = slurp(file, &len);
    if (!data) {
        fprintf(stderr, "zhizhi vote tally: %s: 无法读取\n", file);
        return 2;
    }
    struct renewal_ballot *b;
    int rc = read_ballots(data, len, &b, &n);
    free(data);
    struct renewal_tally t;
    struct app_error err = {0};
    if (rc == 0 && renewal_tally(b, n, matter, 0, &t, &err)) {
        fprintf(stderr, "zhizhi vote tally: %s: %s (%s)\n", err.field, err.message, err.code_name);
        rc = -1;
    }
    free(b);
    if (rc)
        return 2;
    double pa = ratio(t.part_area, t.total_area), po = ratio(t.part_owners, t.total_owners),
           ya = ratio(t.yes_area, t.part_area), yo = ratio(t.yes_owners, t.part_owners);
    if (as_json) {
        json_t *j = json_pack(
            "{s:b,s:b,s:b,s:s,s:f,s:f,s:f,s:f,s:I,s:I,s:I,s:I,s:i,s:i,s:i,s:i,s:i}", "passed",
            t.passed, "quorum", t.quorum, "approved", t.approved, "matter",
            renewal_matter_name(matter), "participating_area_ratio", pa,
            "participating_owners_ratio", po, "approving_area_ratio", ya, "approving_owners_ratio",
            yo, "total_area_centi_m2", (json_int_t)t.total_area, "participating_area_centi_m2",
            (json_int_t)t.part_area, "approving_area_centi_m2", (json_int_t)t.yes_area,
            "abstain_area_centi_m2", (json_int_t)t.abstain_area, "total_owners", t.total_owners,
            "participating_owners", t.part_owners, "approving_owners", t.yes_owners,
            "abstain_owners", t.abstain_owners, "opposing_owners", t.no_owners);
        char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10));
        puts(s);
        free(s);
        json_decref(j);
    } else {
        printf("%s\n参与表决: 专有面积 %.4f%%, 人数 %.4f%% (须均 ≥ 2/3)\n"
               "同意: 参与面积 %.4f%%, 参与人数 %.4f%% (%s)\n",
               t.passed ? "通过" : "未通过", pa * 100, po * 100, ya * 100, yo * 100,
               matter == RENEWAL_MATTER_MAJOR ? "须均 ≥ 3/4" : "须均过半数");
    }
    return 0;
}
