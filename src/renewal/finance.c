/* The money rules of the renewal module: NPV, IRR and PMT as the spreadsheets compute them, loan
 * schedules to the fen and a project's financing balance with its sensitivity. No I/O. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "renewal/renewal.h"

int64_t renewal_round_fen(long double v)
{
    return (int64_t)(v < 0 ? -floorl(-v + 0.5L) : floorl(v + 0.5L));
}

static long double rate_of(int64_t nano)
{
    return (long double)nano / (long double)RENEWAL_RATE_ONE;
}

long double renewal_npv_exact(const int64_t *flow, size_t n, long double rate)
{
    /* Horner from the last year: Σ fₜ·(1+r)^−t */
    long double v = 0, k = 1.0L / (1.0L + rate);
    for (size_t i = n; i-- > 0;)
        v = v * k + (long double)flow[i];
    return v;
}

int64_t renewal_npv(const int64_t *flow, size_t n, int64_t rate_nano)
{
    return renewal_round_fen(renewal_npv_exact(flow, n, rate_of(rate_nano)));
}

/* d NPV / d r */
static long double npv_slope(const int64_t *flow, size_t n, long double rate)
{
    long double s = 0, k = 1.0L / (1.0L + rate), p = k; /* p = (1+r)^−(t+1) */
    for (size_t t = 1; t < n; t++) {
        p *= k;
        s -= (long double)t * (long double)flow[t] * p;
    }
    return s;
}

int renewal_irr(const int64_t *flow, size_t n, double *irr, struct app_error *err)
{
    bool pos = false, neg = false;
    for (size_t i = 0; i < n; i++) {
        pos |= flow[i] > 0;
        neg |= flow[i] < 0;
    }
    if (!pos || !neg)
        return app_fail(err, APP_ERR_INVALID, "no_sign_change", "flows",
                        "现金流没有正负变化，内部收益率不存在");
    /* Newton from LibreOffice's default guess 0.1 */
    long double r = 0.1L;
    for (int it = 0; it < 100; it++) {
        long double f = renewal_npv_exact(flow, n, r), d = npv_slope(flow, n, r);
        if (d == 0 || !isfinite((double)f))
            break;
        long double next = r - f / d;
        if (!(next > -0.999L) || next > 1e6L)
            break;
        if (fabsl(next - r) < 1e-15L * (1 + fabsl(r))) {
            *irr = (double)next;
            return 0;
        }
        r = next;
    }
    /* Bracket: the sign change nearest the guess on a grid over (-0.99, 10], then bisection. */
    long double best_lo = 0, best_hi = 0, best_dist = 1e9L;
    long double prev_r = -0.99L, prev_f = renewal_npv_exact(flow, n, prev_r);
    for (int i = 1; i <= 10990; i++) {
        long double x = -0.99L + (long double)i * 0.001L;
        long double f = renewal_npv_exact(flow, n, x);
        if ((prev_f <= 0 && f >= 0) || (prev_f >= 0 && f <= 0)) {
            long double dist = fabsl((prev_r + x) / 2 - 0.1L);
            if (dist < best_dist) {
                best_dist = dist;
                best_lo = prev_r;
                best_hi = x;
            }
        }
        prev_r = x;
        prev_f = f;
    }
    if (best_dist >= 1e9L)
        return app_fail(err, APP_ERR_INVALID, "no_root", "flows",
                        "在 -99%% 到 1000%% 之间找不到使净现值为零的收益率");
    long double flo = renewal_npv_exact(flow, n, best_lo);
    for (int it = 0; it < 200; it++) {
        long double mid = (best_lo + best_hi) / 2, fm = renewal_npv_exact(flow, n, mid);
        if ((fm <= 0) == (flo <= 0)) {
            best_lo = mid;
            flo = fm;
        } else
            best_hi = mid;
    }
    *irr = (double)((best_lo + best_hi) / 2);
    return 0;
}

int64_t renewal_pmt(int64_t principal, int64_t rate_nano, int periods)
{
    if (periods <= 0)
        return 0;
    long double r = rate_of(rate_nano), p = (long double)principal;
    if (rate_nano == 0)
        return renewal_round_fen(p / periods);
    return renewal_round_fen(p * r / (1.0L - powl(1.0L + r, -(long double)periods)));
}

int renewal_repay_parse(const char *s, enum renewal_repay *out)
{
    if (s && (strcmp(s, "annuity") == 0 || strcmp(s, "等额本息") == 0))
        *out = RENEWAL_REPAY_ANNUITY;
    else if (s && (strcmp(s, "linear") == 0 || strcmp(s, "等额本金") == 0))
        *out = RENEWAL_REPAY_LINEAR;
    else
        return -1;
    return 0;
}

const char *renewal_repay_name(enum renewal_repay r)
{
    return r == RENEWAL_REPAY_LINEAR ? "linear" : "annuity";
}

void renewal_loan_schedule(const struct renewal_loan *l, struct renewal_loan_year *out)
{
    int64_t bal = l->principal;
    int repaying = l->term - l->grace;
    int64_t inst = renewal_pmt(l->principal, l->rate_nano, repaying);
    int64_t part = repaying > 0 ? l->principal / repaying : l->principal;
    for (int i = 0; i < l->term; i++) {
        int64_t interest = renewal_round_fen((long double)bal * rate_of(l->rate_nano));
        int64_t princ = 0;
        if (i == l->term - 1)
            princ = bal; /* the last year clears the balance */
        else if (i >= l->grace)
            princ = l->repay == RENEWAL_REPAY_ANNUITY ? inst - interest : part;
        if (princ > bal)
            princ = bal;
        if (princ < 0)
            princ = 0;
        bal -= princ;
        out[i] = (struct renewal_loan_year){interest, princ, interest + princ, bal};
    }
}

/* ---- the balance ------------------------------------------------------------------------- */

static const char *const kind_names[] = {"capex",      "subsidy",  "rent", "parking",
                                         "commercial", "property", "opex"};
static const char *const kind_labels[] = {"建设投入", "补助资金",     "租金收入", "停车收入",
                                          "商业收入", "物业服务收入", "运营成本"};

int renewal_flow_kind_parse(const char *s, enum renewal_flow_kind *out)
{
    for (int i = 0; s && i < RENEWAL_FLOW_KINDS; i++)
        if (strcmp(s, kind_names[i]) == 0 || strcmp(s, kind_labels[i]) == 0) {
            *out = (enum renewal_flow_kind)i;
            return 0;
        }
    return -1;
}

const char *renewal_flow_kind_name(enum renewal_flow_kind k)
{
    return (unsigned)k < RENEWAL_FLOW_KINDS ? kind_names[k] : "capex";
}

const char *renewal_flow_kind_label(enum renewal_flow_kind k)
{
    return (unsigned)k < RENEWAL_FLOW_KINDS ? kind_labels[k] : "建设投入";
}

static const char *const factor_names[] = {"rent", "occupancy", "rate", "cost"};
static const char *const factor_labels[] = {"租金", "出租率", "折现率", "成本"};

const char *renewal_factor_name(enum renewal_factor f)
{
    return (unsigned)f < RENEWAL_FACTORS ? factor_names[f] : "rent";
}

const char *renewal_factor_label(enum renewal_factor f)
{
    return (unsigned)f < RENEWAL_FACTORS ? factor_labels[f] : "租金";
}

static bool is_income(int k)
{
    return k == RENEWAL_FLOW_RENT || k == RENEWAL_FLOW_PARKING || k == RENEWAL_FLOW_COMMERCIAL ||
           k == RENEWAL_FLOW_PROPERTY;
}

/* The exact NPV of the component of the net flow that factor f scales (its derivative in the
 * scale), at rate r. */
static long double component_npv(const struct renewal_model *m, enum renewal_factor f,
                                 long double r)
{
    int64_t c[RENEWAL_MAX_HORIZON + 1];
    for (int t = 0; t <= m->horizon; t++) {
        c[t] = 0;
        for (int k = 0; k < RENEWAL_FLOW_KINDS; k++) {
            bool in = f == RENEWAL_FACTOR_RENT ? k == RENEWAL_FLOW_RENT
                      : f == RENEWAL_FACTOR_OCCUPANCY
                          ? is_income(k)
                          : k == RENEWAL_FLOW_CAPEX || k == RENEWAL_FLOW_OPEX;
            if (in)
                c[t] += (k == RENEWAL_FLOW_CAPEX || k == RENEWAL_FLOW_OPEX) ? -m->amount[k][t]
                                                                            : m->amount[k][t];
        }
    }
    return renewal_npv_exact(c, (size_t)m->horizon + 1, r);
}

static const int steps[4] = {-20, -10, 10, 20};

void renewal_balance(const struct renewal_model *m, struct renewal_balance *out)
{
    memset(out, 0, sizeof *out);
    int h = m->horizon;
    out->horizon = h;
    int64_t income[RENEWAL_MAX_HORIZON + 1];
    for (int t = 0; t <= h; t++) {
        const int64_t(*a)[RENEWAL_MAX_HORIZON + 1] = m->amount;
        income[t] = a[RENEWAL_FLOW_RENT][t] + a[RENEWAL_FLOW_PARKING][t] +
                    a[RENEWAL_FLOW_COMMERCIAL][t] + a[RENEWAL_FLOW_PROPERTY][t];
        out->net[t] = income[t] + a[RENEWAL_FLOW_SUBSIDY][t] - a[RENEWAL_FLOW_CAPEX][t] -
                      a[RENEWAL_FLOW_OPEX][t];
    }
    for (int i = 0; i < m->nloans; i++) {
        const struct renewal_loan *l = &m->loan[i];
        struct renewal_loan_year y[64];
        if (l->term < 1 || l->term > 40 || l->draw_year < 0 || l->draw_year > h)
            continue;
        renewal_loan_schedule(l, y);
        out->draw[l->draw_year] += l->principal;
        for (int k = 0; k < l->term && l->draw_year + k <= h; k++)
            out->debt[l->draw_year + k] += y[k].payment;
    }
    int64_t cum = 0, low = 0;
    out->first_over_ceiling = -1;
    out->affordable = true;
    for (int t = 0; t <= h; t++) {
        cum += out->net[t];
        out->cum[t] = cum;
        if (cum < low)
            low = cum;
        int64_t gap = out->net[t] + out->draw[t] - out->debt[t];
        out->outlay[t] = gap < 0 ? -gap : 0;
        if (out->outlay[t] > out->max_outlay)
            out->max_outlay = out->outlay[t];
        if (out->outlay[t] > m->ceiling && out->first_over_ceiling < 0) {
            out->first_over_ceiling = t;
            out->affordable = false;
        }
        out->dscr[t] = out->debt[t] > 0 ? (double)(income[t] - m->amount[RENEWAL_FLOW_OPEX][t]) /
                                              (double)out->debt[t]
                                        : -1;
    }
    out->peak_need = -low;
    out->payback_year = -1;
    for (int t = h; t >= 0 && out->cum[t] > 0; t--)
        out->payback_year = t;
    size_t n = (size_t)h + 1;
    long double r = rate_of(m->discount_nano);
    long double n0 = renewal_npv_exact(out->net, n, r);
    out->npv = renewal_round_fen(n0);
    struct app_error err = {0};
    out->has_irr = renewal_irr(out->net, n, &out->irr, &err) == 0;
    if (!out->has_irr)
        snprintf(out->irr_reason, sizeof out->irr_reason, "%s", err.code_name);
    out->balanced = out->npv >= 0 && out->payback_year >= 0;

    /* Sensitivity: rent, occupancy and cost move NPV linearly (NPV(s) = N0 + s·C with C the
     * NPV of the scaled component), so the break-even change is exact: s* = −N0/C. The rate
     * moves it through the discounting; its break-even is the IRR. */
    out->breaks_first = -1;
    double best = 1e300;
    for (int f = 0; f < RENEWAL_FACTORS; f++) {
        struct renewal_sensitivity *s = &out->sens[f];
        if (f == RENEWAL_FACTOR_RATE) {
            for (int i = 0; i < 4; i++)
                s->npv[i] = renewal_round_fen(
                    renewal_npv_exact(out->net, n, r * (1.0L + steps[i] / 100.0L)));
            s->has_breakeven = out->has_irr && m->discount_nano > 0;
            if (s->has_breakeven)
                s->breakeven_pct = ((double)out->irr / (double)r - 1) * 100;
        } else {
            long double c = component_npv(m, (enum renewal_factor)f, r);
            for (int i = 0; i < 4; i++)
                s->npv[i] = renewal_round_fen(n0 + c * steps[i] / 100.0L);
            s->has_breakeven = c != 0;
            if (s->has_breakeven)
                s->breakeven_pct = (double)(-n0 / c * 100);
        }
        if (s->has_breakeven && fabs(s->breakeven_pct) < best) {
            best = fabs(s->breakeven_pct);
            out->breaks_first = f;
        }
    }
}
