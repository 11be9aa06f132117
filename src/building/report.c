/* The building economy's reports: one year's evaluation with the caller's jurisdiction applied,
 * the district and zone figures with their trends, a building's tenants, the ranking as CSV. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "building/building.h"
#include "building/building_store.h"
#include "core/xalloc.h"

int building_latest_year(struct db *db, int *year, struct app_error *err)
{
    return building_store_latest_year(db, year, err);
}

/* ---- the kept evaluations ------------------------------------------------------------------
 * Loading and evaluating every building takes tens of milliseconds on the demo (seconds at the
 * bench's size), and every panel, map, CSV and public page asks for the same year. So one
 * snapshot per (database instance, data version, year) is kept and shared by reference; a
 * request with a newer version loads afresh, and the old snapshot is freed with its last user.
 * The version is read before the data, so a write in between leaves a snapshot that is newer
 * than its version says: it is dropped at the next request, never served stale. */

struct building_snapshot {
    char instance[24];
    int64_t version;
    int year;
    struct building_data data;
    struct building_eval eval;
    struct building_eval before[2]; /* year − 1, year − 2 (vacancy and 招商 trends) */
    int refs;                       /* under cache_lock: the cache's own and each report's */
    uint64_t used;
};

#define CACHE_SLOTS 4
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct building_snapshot *cache[CACHE_SLOTS];
static uint64_t cache_tick;

static void snapshot_free(struct building_snapshot *s)
{
    if (!s)
        return;
    building_eval_release(&s->eval);
    building_eval_release(&s->before[0]);
    building_eval_release(&s->before[1]);
    building_data_release(&s->data);
    free(s);
}

/* Drop one reference; the caller holds cache_lock. */
static void snapshot_unref_locked(struct building_snapshot *s)
{
    if (s && --s->refs == 0)
        snapshot_free(s);
}

static struct building_snapshot *snapshot_take(const char *instance, int64_t version, int year)
{
    struct building_snapshot *hit = NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct building_snapshot *s = cache[i];
        if (!s || strcmp(s->instance, instance) != 0)
            continue;
        if (s->version != version) { /* of another version of this database: stale */
            cache[i] = NULL;
            snapshot_unref_locked(s);
        } else if (s->year == year) {
            hit = s;
            hit->refs++;
            hit->used = ++cache_tick;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

/* Keep s (one reference of the caller's passes to the cache when kept). */
static void snapshot_keep(struct building_snapshot *s)
{
    pthread_mutex_lock(&cache_lock);
    size_t slot = CACHE_SLOTS;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct building_snapshot *c = cache[i];
        if (c && strcmp(c->instance, s->instance) == 0 && c->year == s->year &&
            c->version >= s->version) {
            pthread_mutex_unlock(&cache_lock); /* another request kept it first */
            return;
        }
        /* an empty slot, else the least recently used */
        if (slot == CACHE_SLOTS || (cache[slot] && (!c || c->used < cache[slot]->used)))
            slot = i;
    }
    if (cache[slot])
        snapshot_unref_locked(cache[slot]);
    s->refs++;
    s->used = ++cache_tick;
    cache[slot] = s;
    pthread_mutex_unlock(&cache_lock);
}

void building_report_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        snapshot_unref_locked(cache[i]);
        cache[i] = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
}

static int snapshot_load(struct db *db, int year, struct building_snapshot *s,
                         struct app_error *err)
{
    if (building_data_load(db, year, &s->data, err))
        return -1;
    struct building_eval_input in = building_data_input(&s->data);
    s->year = year;
    building_evaluate(&in, &s->data.cfg, year, &s->eval);
    for (int k = 0; k < 2; k++)
        building_evaluate(&in, &s->data.cfg, year - 1 - k, &s->before[k]);
    return 0;
}

int building_report_make(struct db *db, const struct auth_principal *who, int year,
                         struct building_report *out, struct app_error *err)
{
    char instance[24];
    int64_t version;
    memset(out, 0, sizeof(*out));
    if (year == 0 && building_store_latest_year(db, &year, err))
        return -1;
    if (year == 0)
        year = 2025; /* no figures at all: the seed's year */
    if (year < 1900 || year > 2999)
        return app_fail(err, APP_ERR_INVALID, "bad_year", "year", "年份应在 1900 至 2999 之间");
    if (building_store_data_version(db, instance, &version, err))
        return -1;
    struct building_snapshot *s = snapshot_take(instance, version, year);
    out->cached = s != NULL;
    if (!s) {
        s = xcalloc(1, sizeof(*s));
        snprintf(s->instance, sizeof s->instance, "%s", instance);
        s->version = version;
        s->refs = 1;
        if (snapshot_load(db, year, s, err)) {
            snapshot_free(s);
            return -1;
        }
        snapshot_keep(s);
    }
    out->snap = s;
    out->data = s->data;
    out->eval = s->eval;
    out->year = year;
    size_t nb = s->data.buildings.len;
    out->visible = xcalloc(nb + 1, sizeof(bool));
    for (size_t i = 0; i < nb; i++) {
        const struct building *b = &s->data.buildings.items[i];
        out->visible[i] = building_in_scope(who, b);
        out->synthetic |= out->visible[i] && b->synthetic;
    }
    return 0;
}

void building_report_release(struct building_report *r)
{
    if (!r)
        return;
    if (r->snap) {
        pthread_mutex_lock(&cache_lock);
        snapshot_unref_locked(r->snap);
        pthread_mutex_unlock(&cache_lock);
    }
    free(r->visible);
    memset(r, 0, sizeof(*r));
}

struct keep_ctx {
    const struct building_report *r;
    const char *zone;
};

static bool keep_visible(void *ctx, const struct building *b)
{
    const struct keep_ctx *k = ctx;
    size_t i = (size_t)(b - k->r->data.buildings.items);
    return k->r->visible[i] && (!k->zone || strcmp(b->zone, k->zone) == 0);
}

void building_report_district(const struct building_report *r, const char *zone, int year_offset,
                              struct building_district *out)
{
    struct building_eval_input in = building_data_input(&r->data);
    struct keep_ctx k = {r, zone && *zone ? zone : NULL};
    if (year_offset == 0 || !r->snap) {
        building_district_sum(&in, &r->eval, keep_visible, &k, out);
        return;
    }
    if (year_offset >= -2) {
        building_district_sum(&in, &r->snap->before[-year_offset - 1], keep_visible, &k, out);
        return;
    }
    struct building_eval e;
    building_evaluate(&in, &r->data.cfg, r->year + year_offset, &e);
    building_district_sum(&in, &e, keep_visible, &k, out);
    building_eval_release(&e);
}

const struct building_zone *building_report_zone(const struct building_report *r, const char *code)
{
    for (size_t i = 0; code && i < r->data.zones.len; i++)
        if (strcmp(r->data.zones.items[i].code, code) == 0)
            return &r->data.zones.items[i];
    return NULL;
}

long building_report_find(const struct building_report *r, const char *code)
{
    for (size_t i = 0; code && i < r->data.buildings.len; i++)
        if (r->visible[i] && strcmp(r->data.buildings.items[i].code, code) == 0)
            return (long)i;
    return -1;
}

static int tenant_cmp(const void *a, const void *b)
{
    const struct building_tenant *x = a, *y = b;
    if (x->area_m2 != y->area_m2)
        return x->area_m2 > y->area_m2 ? -1 : 1;
    return x->enterprise < y->enterprise ? -1 : x->enterprise > y->enterprise;
}

void building_report_tenants(const struct building_report *r, size_t b,
                             struct building_tenant_list *out)
{
    const struct building_data *d = &r->data;
    int64_t bid = d->buildings.items[b].id;
    int32_t day = r->year * 10000 + 1231;
    memset(out, 0, sizeof(*out));
    size_t cap = 16, n = 0;
    struct building_tenant *t = xcalloc(cap, sizeof(*t));
    for (size_t i = 0; i < d->leases.len; i++) {
        const struct building_lease *l = &d->leases.items[i];
        if (l->building_id != bid || !building_lease_active(l, day))
            continue;
        /* enterprises come from the store in id order */
        size_t lo = 0, hi = d->enterprises.len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (d->enterprises.items[mid].id < l->enterprise_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == d->enterprises.len || d->enterprises.items[lo].id != l->enterprise_id)
            continue;
        size_t k = 0;
        while (k < n && t[k].enterprise != lo)
            k++;
        if (k == n) {
            if (n == cap)
                t = xrealloc(t, (cap *= 2) * sizeof(*t));
            t[n++] = (struct building_tenant){.enterprise = lo};
        }
        t[k].area_m2 += l->area_m2;
        t[k].operating = true;
    }
    for (size_t e = 0; e < d->enterprises.len; e++) {
        if (d->enterprises.items[e].registered_building != bid)
            continue;
        size_t k = 0;
        while (k < n && t[k].enterprise != e)
            k++;
        if (k == n) {
            if (n == cap)
                t = xrealloc(t, (cap *= 2) * sizeof(*t));
            t[n++] = (struct building_tenant){.enterprise = e};
        }
        t[k].registered = true;
    }
    qsort(t, n, sizeof(*t), tenant_cmp);
    out->items = t;
    out->len = n;
    out->cap = cap;
}

/* A CSV field: quoted when needed; a leading = + - @ is defused so a spreadsheet does not run
 * it as a formula. */
static void csv_text(struct buf *b, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL || strchr("=+-@", s[0]) != NULL;
    if (!quote) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    if (s[0] && strchr("=+-@", s[0]))
        buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void csv_num(struct buf *b, double v, int decimals)
{
    if (!isnan(v))
        buf_printf(b, "%.*f", decimals, v);
}

void building_report_csv(const struct building_report *r, struct buf *out)
{
    buf_puts(out, "\xEF\xBB\xBF");
    buf_puts(out, "排名,楼宇编号,楼宇名称,功能区,同类组,档次,税收(万元),单位面积税收(元/m²),"
                  "单位面积增加值(元/m²),出租率(%),空置率(%),税收同比(%),"
                  "单位面积税收得分,单位面积增加值得分,出租率得分,税收同比得分,综合得分,等级,"
                  "功能区排名,同类组排名,街道排名,建议,合成数据\r\n");
    for (size_t k = 0; k < r->eval.len; k++) {
        size_t i = r->eval.order[k];
        const struct building_result *x = &r->eval.items[i];
        const struct building *b = &r->data.buildings.items[x->index];
        if (!r->visible[x->index])
            continue;
        const struct building_zone *z = building_report_zone(r, b->zone);
        buf_printf(out, "%d,", x->rank);
        csv_text(out, b->code);
        buf_putc(out, ',');
        csv_text(out, b->name);
        buf_putc(out, ',');
        csv_text(out, z ? z->name : b->zone);
        buf_printf(out, ",%s,%s,", x->peer, building_tier_name(x->tier));
        csv_num(out, x->tax / 1e4, 2);
        buf_putc(out, ',');
        csv_num(out, x->tax_per_m2, 2);
        buf_putc(out, ',');
        csv_num(out, x->gdp_per_m2, 2);
        buf_putc(out, ',');
        csv_num(out, x->occupancy * 100, 2);
        buf_putc(out, ',');
        csv_num(out, x->vacancy * 100, 2);
        buf_putc(out, ',');
        csv_num(out, x->tax_yoy * 100, 2);
        for (int p = 0; p < BUILDING_IND_COUNT; p++) {
            buf_putc(out, ',');
            csv_num(out, x->parts[p].score, 2);
        }
        buf_printf(out, ",%.2f,%s,%d,%d,%d,%s,%s\r\n", x->score, x->grade, x->zone_rank,
                   x->peer_rank, x->street_rank, x->advice, b->synthetic ? "是" : "否");
    }
}
