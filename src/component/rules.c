/* The pure rules of the component module: the 16-digit component code, states, sewer kinds, the
 * defect catalogue, the flow graph (cycles, upstream tracing) and the two figures. No I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component/component.h"
#include "core/xalloc.h"

/* GB/T 30428.2 (数字化城市管理信息系统 第2部分：管理部件): the layout below — county-level
 * district code (6) + major class (2) + minor class (2) + serial (6) — is the one recorded in
 * the project's reference notes (shared/reference/rules-for-wave2.md, "recalled"); the
 * standard's own clause could not be found with the search tools, so no clause number is given
 * here (docs/component.md). The six major classes are those of src/event/category.c. */
static const char *const majors[][2] = {
    {"01", "公用设施"}, {"02", "道路交通"}, {"03", "市容环境"},
    {"04", "园林绿化"}, {"05", "房屋土地"}, {"06", "其他设施"},
};

const char *component_major_name(const char *major)
{
    for (size_t i = 0; major && i < sizeof(majors) / sizeof(majors[0]); i++)
        if (strcmp(majors[i][0], major) == 0)
            return majors[i][1];
    return NULL;
}

static bool all_char(const char *s, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != c)
            return false;
    return true;
}

int component_code_check(const char *code, const char *district, struct component_code *out,
                         struct app_error *err)
{
    size_t n = code ? strlen(code) : 0;
    bool digits = n == 16;
    for (size_t i = 0; digits && i < n; i++)
        digits = code[i] >= '0' && code[i] <= '9';
    if (!digits)
        return app_fail(
            err, APP_ERR_INVALID, "not_16_digits", "code",
            "部件标识码应为 16 位数字（区县代码 6 位 + 大类 2 位 + 小类 2 位 + 流水号 6 位）");
    struct component_code c = {0};
    memcpy(c.district, code, 6);
    memcpy(c.major, code + 6, 2);
    memcpy(c.minor, code + 8, 2);
    memcpy(c.serial, code + 10, 6);
    memcpy(c.class_code, code + 6, 4);
    if (district && strcmp(c.district, district) != 0)
        return app_fail(err, APP_ERR_INVALID, "other_district", "code",
                        "前 6 位 %s 不是本区代码 %s", c.district, district);
    if (!component_major_name(c.major))
        return app_fail(err, APP_ERR_INVALID, "bad_major", "code",
                        "第 7–8 位大类 %s 不是部件大类 01–06", c.major);
    if (all_char(c.minor, 2, '0'))
        return app_fail(err, APP_ERR_INVALID, "bad_minor", "code", "第 9–10 位小类不能为 00");
    if (all_char(c.serial, 6, '0'))
        return app_fail(err, APP_ERR_INVALID, "bad_serial", "code",
                        "第 11–16 位流水号不能为 000000");
    if (out)
        *out = c;
    return 0;
}

static const char *const states[] = {"完好", "破损", "丢失", "占用", "废弃"};

bool component_state_valid(const char *s)
{
    for (size_t i = 0; s && i < sizeof(states) / sizeof(states[0]); i++)
        if (strcmp(states[i], s) == 0)
            return true;
    return false;
}

static const char *const kind_names[] = {"rain", "sewage", "combined"};
static const char *const kind_labels[] = {"雨水", "污水", "合流"};

const char *sewer_kind_name(enum sewer_kind k)
{
    return (unsigned)k < 3 ? kind_names[k] : "";
}

const char *sewer_kind_label(enum sewer_kind k)
{
    return (unsigned)k < 3 ? kind_labels[k] : "";
}

int sewer_kind_parse(const char *s)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(kind_names[i], s) == 0)
            return i;
    return -1;
}

/* The defect names of CJJ 181-2012 as issue 23 lists them (structural and functional). */
static const char *const structural[] = {"破裂", "变形",         "腐蚀",     "错口",     "起伏",
                                         "脱节", "接口材料脱落", "支管暗接", "异物穿入", "渗漏"};
static const char *const functional[] = {"沉积", "结垢", "障碍物", "残墙坝根", "树根", "浮渣"};

const char *sewer_defect_at(const char *kind, size_t i)
{
    if (kind && strcmp(kind, "structural") == 0)
        return i < sizeof(structural) / sizeof(structural[0]) ? structural[i] : NULL;
    if (kind && strcmp(kind, "functional") == 0)
        return i < sizeof(functional) / sizeof(functional[0]) ? functional[i] : NULL;
    return NULL;
}

bool sewer_defect_known(const char *kind, const char *name)
{
    const char *d;
    for (size_t i = 0; name && (d = sewer_defect_at(kind, i)); i++)
        if (strcmp(d, name) == 0)
            return true;
    return false;
}

/* ---- the flow graph ------------------------------------------------------------------------ */

/* Colour of each edge in the depth-first walk: 0 unseen, 1 on the path, 2 done. An edge e is
 * followed by every edge f with f.up == e.down. */
static bool dfs(const struct sewer_edge *edges, size_t n, size_t e, unsigned char *colour,
                size_t *cycle_at)
{
    colour[e] = 1;
    for (size_t f = 0; f < n; f++) {
        if (strcmp(edges[f].up, edges[e].down) != 0)
            continue;
        if (colour[f] == 1) {
            if (cycle_at)
                *cycle_at = f;
            return true;
        }
        if (colour[f] == 0 && dfs(edges, n, f, colour, cycle_at))
            return true;
    }
    colour[e] = 2;
    return false;
}

bool sewer_graph_has_cycle(const struct sewer_edge *edges, size_t n, size_t *cycle_at)
{
    unsigned char *colour = xcalloc(n ? n : 1, 1);
    bool found = false;
    for (size_t e = 0; e < n && !found; e++)
        if (colour[e] == 0)
            found = dfs(edges, n, e, colour, cycle_at);
    free(colour);
    return found;
}

size_t sewer_upstream(const struct sewer_edge *edges, size_t n, const char *at, size_t *out)
{
    if (!at)
        return 0;
    unsigned char *seen = xcalloc(n ? n : 1, 1);
    size_t len = 0;
    for (size_t e = 0; e < n; e++)
        if (strcmp(edges[e].down, at) == 0) {
            seen[e] = 1;
            out[len++] = e;
        }
    for (size_t head = 0; head < len; head++) {
        const char *node = edges[out[head]].up;
        for (size_t e = 0; e < n; e++)
            if (!seen[e] && strcmp(edges[e].down, node) == 0) {
                seen[e] = 1;
                out[len++] = e;
            }
    }
    free(seen);
    return len;
}

/* ---- the figures --------------------------------------------------------------------------- */

bool component_date_valid(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    int dm = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= dm;
}

void sewer_figures_list_release(struct sewer_figures_list *l)
{
    if (!l)
        return;
    free(l->items);
    l->items = NULL;
    l->len = l->cap = 0;
}

static const char *group_of(const struct sewer_segment *s, enum sewer_group g)
{
    return g == SEWER_GROUP_STREET ? s->street : g == SEWER_GROUP_AREA ? s->area : "";
}

static struct sewer_figures *row_for(struct sewer_figures_list *out, const char *group)
{
    for (size_t i = 1; i < out->len; i++)
        if (strcmp(out->items[i].group, group) == 0)
            return &out->items[i];
    if (out->len == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 8;
        out->items = xrealloc(out->items, out->cap * sizeof(out->items[0]));
    }
    struct sewer_figures *r = &out->items[out->len++];
    memset(r, 0, sizeof(*r));
    snprintf(r->group, sizeof(r->group), "%s", group);
    return r;
}

static int cmp_group(const void *a, const void *b)
{
    return strcmp(((const struct sewer_figures *)a)->group,
                  ((const struct sewer_figures *)b)->group);
}

static bool in_period(const char *d, const char *from, const char *to)
{
    return d && *d && (!from || strcmp(d, from) >= 0) && (!to || strcmp(d, to) <= 0);
}

void sewer_figures_compute(const struct sewer_segment *segs, size_t nsegs,
                           const struct sewer_inspection *insp, size_t ninsp,
                           const struct sewer_defect *defs, size_t ndefs, const char *from,
                           const char *to, enum sewer_group group, struct sewer_figures_list *out)
{
    out->len = 0;
    row_for(out, ""); /* items[0]: the total */
    for (size_t i = 0; i < nsegs; i++) {
        const struct sewer_segment *s = &segs[i];
        bool inspected = false;
        for (size_t j = 0; j < ninsp && !inspected; j++)
            inspected =
                strcmp(insp[j].segment, s->code) == 0 && in_period(insp[j].inspected_on, from, to);
        long found = 0, repaired = 0;
        for (size_t j = 0; j < ndefs; j++) {
            const struct sewer_defect *d = &defs[j];
            if (strcmp(d->segment, s->code) != 0 || d->grade < COMPONENT_ACTION_GRADE ||
                !in_period(d->found_on, from, to))
                continue;
            found++;
            if (d->repaired_on[0] && (!to || strcmp(d->repaired_on, to) <= 0))
                repaired++;
        }
        struct sewer_figures *rows[2] = {&out->items[0], NULL};
        if (group != SEWER_GROUP_NONE) {
            struct sewer_figures *g = row_for(out, group_of(s, group));
            rows[0] = &out->items[0]; /* row_for may have moved the array */
            rows[1] = g;
        }
        for (int k = 0; k < 2 && rows[k]; k++) {
            rows[k]->segments++;
            rows[k]->total_m += s->length_m;
            if (inspected) {
                rows[k]->segments_inspected++;
                rows[k]->inspected_m += s->length_m;
            }
            rows[k]->found += found;
            rows[k]->repaired += repaired;
        }
    }
    if (out->len > 2)
        qsort(out->items + 1, out->len - 1, sizeof(out->items[0]), cmp_group);
    for (size_t i = 0; i < out->len; i++) {
        struct sewer_figures *r = &out->items[i];
        r->inspection_rate = r->total_m > 0 ? r->inspected_m / r->total_m : -1;
        r->repair_rate = r->found > 0 ? (double)r->repaired / (double)r->found : -1;
    }
}
