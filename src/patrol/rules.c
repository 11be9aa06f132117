/* The pure rules of river-chief patrols: chief levels and their frequency windows, compliance
 * over a season, gaps, recurrence (反弹), the "幸福河流" checklist and the compliance CSV. No I/O:
 * values in, values out (docs/patrol.md gives every rule's source). */
#include "patrol/patrol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "patrol/patrol_internal.h"

/* ---- levels and windows ------------------------------------------------------------------ */

static const char *const level_names[] = {"district", "street", "community"};
static const char *const level_labels[] = {"区级河长", "街道级河长", "社区级河长"};

const char *patrol_level_name(enum patrol_level l)
{
    return (unsigned)l < PATROL_LEVEL_COUNT ? level_names[l] : "";
}

const char *patrol_level_label(enum patrol_level l)
{
    return (unsigned)l < PATROL_LEVEL_COUNT ? level_labels[l] : "";
}

int patrol_level_parse(const char *s)
{
    for (int i = 0; s && i < PATROL_LEVEL_COUNT; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

const char *patrol_window_name(enum patrol_window w)
{
    return w == PATROL_WINDOW_MONTH ? "month" : w == PATROL_WINDOW_XUN ? "xun" : "week";
}

const char *patrol_window_label(enum patrol_window w)
{
    return w == PATROL_WINDOW_MONTH ? "月" : w == PATROL_WINDOW_XUN ? "旬" : "周";
}

/* The frequencies of the four-level chief system as we recall Chongqing sets them (重庆市河长制
 * 工作规定, 2017): 区县级河长 every month, 乡镇(街道)级 every 旬, 村(社区)级 every week. NOT
 * checked: the project's reference (rules-for-wave2.md) has no entry for them and the primary
 * text was not found (docs/patrol.md says what was). */
struct patrol_rule patrol_rule_of(enum patrol_level l)
{
    switch (l) {
    case PATROL_LEVEL_DISTRICT:
        return (struct patrol_rule){l, PATROL_WINDOW_MONTH, 1};
    case PATROL_LEVEL_STREET:
        return (struct patrol_rule){l, PATROL_WINDOW_XUN, 1};
    default:
        return (struct patrol_rule){PATROL_LEVEL_COMMUNITY, PATROL_WINDOW_WEEK, 1};
    }
}

int64_t patrol_local_day(int64_t t)
{
    int64_t s = t + CLOCK_CN_OFFSET;
    return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

static int64_t day_start(int64_t day)
{
    return day * 86400 - CLOCK_CN_OFFSET;
}

void patrol_window_of(enum patrol_window w, int64_t t, int64_t *start, int64_t *end)
{
    int64_t d = patrol_local_day(t), a, b;
    int y, m, dd;
    clock_civil_from_days(d, &y, &m, &dd);
    int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    switch (w) {
    case PATROL_WINDOW_MONTH:
        a = clock_days_from_civil(y, m, 1);
        b = clock_days_from_civil(ny, nm, 1);
        break;
    case PATROL_WINDOW_XUN:
        if (dd <= 10) {
            a = clock_days_from_civil(y, m, 1);
            b = a + 10;
        } else if (dd <= 20) {
            a = clock_days_from_civil(y, m, 11);
            b = a + 10;
        } else {
            a = clock_days_from_civil(y, m, 21);
            b = clock_days_from_civil(ny, nm, 1);
        }
        break;
    default:
        a = d - clock_weekday(d);
        b = a + 7;
        break;
    }
    *start = day_start(a);
    *end = day_start(b);
}

void patrol_compliance_compute(const struct patrol_rule *rule, const int64_t *times, size_t n,
                               int64_t from, int64_t now, struct patrol_window_count *out,
                               size_t cap, size_t *nout, struct patrol_compliance *sum)
{
    memset(sum, 0, sizeof(*sum));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (times[i] > sum->last && times[i] <= now)
            sum->last = times[i];
    int64_t start, end;
    patrol_window_of(rule->window, from, &start, &end);
    while (start <= now) {
        struct patrol_window_count wc = {.start = start, .end = end};
        for (size_t i = 0; i < n; i++)
            if (times[i] >= start && times[i] < end && times[i] <= now)
                wc.count++;
        wc.met = wc.count >= rule->times;
        wc.running = now < end;
        if (!wc.running || wc.met) {
            sum->windows++;
            sum->met += wc.met;
        }
        if (wc.running)
            sum->current_met = wc.met;
        if (out && k < cap)
            out[k++] = wc;
        patrol_window_of(rule->window, end, &start, &end);
    }
    sum->rate = sum->windows ? (double)sum->met / sum->windows : 1.0;
    if (nout)
        *nout = k;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

size_t patrol_gaps(const int64_t *times, size_t n, int64_t from, int64_t now, int max_days,
                   struct patrol_gap *out, size_t cap)
{
    int64_t *t = xcalloc(n + 1, sizeof(*t));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (times[i] >= from && times[i] <= now)
            t[m++] = times[i];
    qsort(t, m, sizeof(*t), cmp_i64);
    size_t k = 0;
    int64_t prev = from, limit = (int64_t)max_days * 86400;
    for (size_t i = 0; i <= m; i++) {
        int64_t next = i < m ? t[i] : now;
        if (next - prev > limit) {
            if (out && k < cap)
                out[k] = (struct patrol_gap){prev, next, (double)(next - prev) / 86400.0, i == m};
            k++;
        }
        prev = next;
    }
    free(t);
    return k;
}

int64_t patrol_recurrence_of(const struct patrol_place *earlier, size_t n, double lon, double lat,
                             int64_t at, double radius_m)
{
    int64_t best = 0, best_at = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        const struct patrol_place *p = &earlier[i];
        if (p->at >= at || !p->closed_at || p->closed_at > at)
            continue;
        if (geo_ellipsoid_distance_m((struct geo_point){p->lon, p->lat},
                                     (struct geo_point){lon, lat}) > radius_m)
            continue;
        if (p->at > best_at) {
            best_at = p->at;
            best = p->id;
        }
    }
    return best;
}

/* ---- the checklist and the CSV ---------------------------------------------------------- */

static const char *const roman[] = {"", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};

void patrol_checklist(const struct patrol_report *r, struct patrol_check out[PATROL_CHECKS])
{
    int t =
        r->segment.target_class >= 1 && r->segment.target_class <= 5 ? r->segment.target_class : 2;
    int w = r->water_class >= 1 && r->water_class <= 6 ? r->water_class : 0;
    out[0] = (struct patrol_check){"water", "水质达到目标", w > 0 && w <= t, ""};
    if (w)
        snprintf(out[0].detail, sizeof(out[0].detail), "最新 %s类，目标 %s类", roman[w], roman[t]);
    else
        snprintf(out[0].detail, sizeof(out[0].detail), "暂无监测数据，目标 %s类", roman[t]);
    out[1] = (struct patrol_check){"problems", "问题清零", r->open_problems == 0, ""};
    snprintf(out[1].detail, sizeof(out[1].detail), "本期发现 %d 个，未办结 %d 个", r->findings,
             r->open_problems);
    bool open_gap = r->ngaps > 0 && r->gaps[r->ngaps - 1].open;
    out[2] = (struct patrol_check){"patrols", "巡河频次达标",
                                   r->overall.rate >= PATROL_GOOD_RATE && !open_gap, ""};
    snprintf(out[2].detail, sizeof(out[2].detail), "每周巡河达标 %d/%d 周，空档 %zu 次%s",
             r->overall.met, r->overall.windows, r->ngaps, open_gap ? "（当前超期未巡）" : "");
    out[3] = (struct patrol_check){"recurrence", "问题不反弹", r->recurrences == 0, ""};
    snprintf(out[3].detail, sizeof(out[3].detail), "本期反弹 %d 处", r->recurrences);
}

static void csv_text(struct buf *b, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula = strchr("=+-@\t", s[0]) && s[0];
    if (quote || formula) {
        buf_putc(b, '"');
        if (formula)
            buf_putc(b, '\'');
        for (; *s; s++) {
            if (*s == '"')
                buf_putc(b, '"');
            buf_putc(b, *s);
        }
        buf_putc(b, '"');
    } else {
        buf_puts(b, s);
    }
    buf_putc(b, ',');
}

static void csv_row(struct buf *b, const struct patrol_report *r, const char *level,
                    const char *name, const char *title, const struct patrol_rule *rule,
                    const struct patrol_compliance *c, bool synthetic)
{
    char last[32] = "";
    if (c->last)
        clock_format_local(c->last, last, sizeof(last));
    csv_text(b, r->segment.code);
    csv_text(b, r->segment.name);
    csv_text(b, r->segment.river_name);
    csv_text(b, level);
    csv_text(b, name);
    csv_text(b, title);
    buf_printf(b, "每%s至少%d次,%d,%d,%.1f,", patrol_window_label(rule->window), rule->times,
               c->met, c->windows, 100.0 * c->rate);
    csv_text(b, last);
    buf_printf(b, "%d,%zu,%s\r\n", r->open_problems, r->ngaps, synthetic ? "是" : "否");
}

void patrol_write_csv(const struct patrol_report *reports, size_t n, struct buf *out)
{
    buf_puts(out,
             "\xEF\xBB\xBF岸段编码,岸段,河流,层级,河长,职务,巡河要求,达标次数,应巡次数,达标率(%),"
             "最近巡河,未办结问题,巡河空档,示例数据\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct patrol_report *r = &reports[i];
        struct patrol_rule seg = patrol_rule_of(PATROL_LEVEL_COMMUNITY);
        csv_row(out, r, "全段（联动）", "", "河长、网格员、志愿者合计", &seg, &r->overall,
                r->segment.synthetic);
        for (size_t k = 0; k < r->nchiefs; k++)
            csv_row(out, r, patrol_level_label(r->chiefs[k].chief.level), r->chiefs[k].chief.name,
                    r->chiefs[k].chief.title, &r->chiefs[k].rule, &r->chiefs[k].c,
                    r->chiefs[k].chief.synthetic);
    }
}
