/* Ingest: readings validated row by row (a refused batch writes nothing), stored idempotently
 * with incremental hourly and daily aggregates, fed to the enabled rules in time order, audited
 * with their sender; and the sweep that applies the stale-station rules. */
#include "monitor/monitor.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "monitor/dec.h"
#include "monitor/monitor_internal.h"
#include "monitor/monitor_store.h"
#include "org/org.h"

/* ---- ingest ------------------------------------------------------------------------------ */

int64_t monitor_hour_of(int64_t t)
{
    int64_t h = t / 3600 - (t % 3600 < 0); /* floor */
    return (t - h * 3600 == 0 ? h : h + 1) * 3600;
}

int64_t monitor_day_of_hour(int64_t hour_end)
{
    int64_t x = hour_end - 3600 + CLOCK_CN_OFFSET;
    return x / 86400 - (x % 86400 < 0);
}

void monitor_ingest_result_release(struct monitor_ingest_result *r)
{
    if (!r)
        return;
    free(r->rejected);
    memset(r, 0, sizeof(*r));
}

static void reject(struct monitor_ingest_result *out, int line, const char *field, const char *code,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void reject(struct monitor_ingest_result *out, int line, const char *field, const char *code,
                   const char *fmt, ...)
{
    if (out->nrejected == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->rejected = xrealloc(out->rejected, out->cap * sizeof(*out->rejected));
    }
    struct monitor_reject *r = &out->rejected[out->nrejected++];
    memset(r, 0, sizeof(*r));
    r->line = line;
    snprintf(r->field, sizeof(r->field), "%s", field);
    snprintf(r->code, sizeof(r->code), "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
    va_end(ap);
}

struct station_slot {
    char *code;
    bool found;
    struct monitor_station st;
    int64_t max_t;
    bool touched;
    bool sent;           /* named by a row of the current chunk (audited with it) */
    signed char allowed; /* may the batch's sender write it: -1 not yet asked, 0, 1 */
};

struct parsed {
    size_t slot;
    const char *param;
    int64_t t, value;
    const char *flag;
    int line;
    bool level; /* a sound level (dB): its aggregates keep the energy sum */
};

struct state_slot {
    int64_t station_id, rule_id;
    bool stale; /* a stale rule: its state need not be stored (the open alert is the state) */
    struct monitor_rule_state s;
};

struct batch {
    struct app *app;
    struct db *db;
    struct station_slot *slots;
    size_t nslots, cap_slots;
    struct code_index index; /* slots by station code (a batch names a station on every row) */
    struct monitor_rule_list rules;
    struct state_slot *states;
    size_t nstates, cap_states;
    struct alert_action *acts;
    size_t nacts, cap_acts;
    const struct monitor_sender *sender; /* NULL: the system (no check, no audit) */
};

static uint32_t code_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

typedef const char *code_at_fn(const void *items, size_t i);

static const char *slot_code(const void *items, size_t i)
{
    return ((const struct station_slot *)items)[i].code;
}

static const char *station_code(const void *items, size_t i)
{
    return ((const struct monitor_station *)items)[i].code;
}

/* The index of the item named code among n items, or -1. */
static long code_index_find(const struct code_index *x, const void *items, code_at_fn *at,
                            const char *code)
{
    if (!x->size)
        return -1;
    size_t m = x->size - 1;
    for (size_t h = code_hash(code) & m; x->tab[h]; h = (h + 1) & m)
        if (strcmp(at(items, x->tab[h] - 1), code) == 0)
            return (long)x->tab[h] - 1;
    return -1;
}

/* Index item i, the last of items[0..i]; the table is rebuilt twice as large when half full. */
static void code_index_add(struct code_index *x, const void *items, code_at_fn *at, size_t i)
{
    if (2 * (i + 1) > x->size) {
        free(x->tab);
        x->size = x->size ? x->size * 2 : 64;
        while (2 * (i + 1) > x->size)
            x->size *= 2;
        x->tab = xcalloc(x->size, sizeof(*x->tab));
        for (size_t k = 0; k < i; k++)
            code_index_add(x, items, at, k);
    }
    size_t m = x->size - 1, h = code_hash(at(items, i)) & m;
    while (x->tab[h])
        h = (h + 1) & m;
    x->tab[h] = (uint32_t)i + 1;
}

static struct station_slot *batch_station(struct batch *b, const char *code, size_t *idx,
                                          struct app_error *err)
{
    long at = code_index_find(&b->index, b->slots, slot_code, code);
    if (at >= 0) {
        *idx = (size_t)at;
        return &b->slots[at];
    }
    if (b->nslots == b->cap_slots) {
        b->cap_slots = b->cap_slots ? b->cap_slots * 2 : 16;
        b->slots = xrealloc(b->slots, b->cap_slots * sizeof(*b->slots));
    }
    struct station_slot *s = &b->slots[b->nslots];
    memset(s, 0, sizeof(*s));
    s->allowed = -1;
    struct monitor_state *ms = b->app ? b->app->monitor : NULL;
    if (ms) {
        pthread_mutex_lock(&ms->cache_lock);
        long i = code_index_find(&ms->index, ms->stations, station_code, code);
        if (i >= 0) {
            s->st = ms->stations[i];
            s->found = true;
        }
        pthread_mutex_unlock(&ms->cache_lock);
    }
    if (!s->found && monitor_store_station_get(b->db, code, 0, &s->st, &s->found, err))
        return NULL;
    if (ms && s->found) {
        pthread_mutex_lock(&ms->cache_lock);
        if (code_index_find(&ms->index, ms->stations, station_code, code) < 0) {
            if (ms->nstations == ms->cap_stations) {
                ms->cap_stations = ms->cap_stations ? ms->cap_stations * 2 : 32;
                ms->stations = xrealloc(ms->stations, ms->cap_stations * sizeof(*ms->stations));
            }
            ms->stations[ms->nstations] = s->st;
            code_index_add(&ms->index, ms->stations, station_code, ms->nstations++);
        }
        pthread_mutex_unlock(&ms->cache_lock);
    }
    s->code = xstrdup(code);
    *idx = b->nslots;
    code_index_add(&b->index, b->slots, slot_code, b->nslots++);
    return s;
}

static struct monitor_rule_state *batch_state(struct batch *b, int64_t station_id,
                                              const struct monitor_rule *rule,
                                              struct app_error *err)
{
    int64_t rule_id = rule->id;
    for (size_t i = 0; i < b->nstates; i++)
        if (b->states[i].station_id == station_id && b->states[i].rule_id == rule_id)
            return &b->states[i].s;
    if (b->nstates == b->cap_states) {
        b->cap_states = b->cap_states ? b->cap_states * 2 : 16;
        b->states = xrealloc(b->states, b->cap_states * sizeof(*b->states));
    }
    struct state_slot *s = &b->states[b->nstates];
    s->station_id = station_id;
    s->rule_id = rule_id;
    s->stale = rule->type == MONITOR_RULE_STALE;
    if (monitor_store_rule_state_get(b->db, station_id, rule_id, &s->s, err))
        return NULL;
    b->nstates++;
    return &s->s;
}

static void batch_release(struct batch *b)
{
    for (size_t i = 0; i < b->nslots; i++)
        free(b->slots[i].code);
    free(b->slots);
    free(b->index.tab);
    free(b->states);
    free(b->acts);
    monitor_rule_list_release(&b->rules);
}

/* Record the alert change of an action inside the transaction. */
static int apply_action(struct batch *b, const struct monitor_station *st,
                        const struct monitor_rule *r, enum monitor_rule_action act, int64_t t,
                        const int64_t *value, struct app_error *err)
{
    int64_t id = 0;
    if (act == MONITOR_ACTION_NONE)
        return 0;
    if (act == MONITOR_ACTION_OPEN) {
        if (monitor_store_alert_open(b->db, st->id, r->id, monitor_level_name(r->level), t, value,
                                     &id, err))
            return -1;
    } else if (monitor_store_alert_clear(b->db, st->id, r->id, t, value, &id, err)) {
        return -1;
    }
    if (!id)
        return 0;
    if (b->nacts == b->cap_acts) {
        b->cap_acts = b->cap_acts ? b->cap_acts * 2 : 8;
        b->acts = xrealloc(b->acts, b->cap_acts * sizeof(*b->acts));
    }
    b->acts[b->nacts++] = (struct alert_action){id, act};
    return 0;
}

static int cmp_parsed(const void *pa, const void *pb)
{
    const struct parsed *a = pa, *b = pb;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    int c = a->param == b->param ? 0 : strcmp(a->param, b->param); /* names of the slot's station */
    if (c)
        return c;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->line - b->line;
}

static bool flag_counts(const char *flag)
{
    return !flag || !*flag || strcmp(flag, "N") == 0;
}

/* Validate one row; on success fill p. */
static int validate_row(struct batch *b, const struct monitor_reading_in *r, int64_t now,
                        struct parsed *p, struct monitor_ingest_result *out, struct app_error *err)
{
    size_t slot;
    if (!r->station || !*r->station) {
        reject(out, r->line, "station", "missing_field", "缺少站点编码");
        return 1;
    }
    struct station_slot *s = batch_station(b, r->station, &slot, err);
    if (!s)
        return -1;
    if (!s->found) {
        reject(out, r->line, "station", "unknown_station", "未知站点 %.60s", r->station);
        return 1;
    }
    if (b->sender) {
        const struct monitor_sender *snd = b->sender;
        if (s->allowed < 0)
            s->allowed = snd->key_id > 0 ? strcmp(snd->key_station, s->st.code) == 0
                                         : monitor_may_write_station(snd->who, &s->st);
        if (!s->allowed)
            return app_fail(err, APP_ERR_FORBIDDEN, "station_out_of_scope", "station",
                            snd->key_id > 0 ? "设备密钥只能上报其所属站点的读数（第 %d 行 %.60s）"
                                            : "第 %d 行：无权上报站点 %.60s 的读数",
                            r->line, r->station);
        s->sent = true;
    }
    if (!r->parameter || !*r->parameter) {
        reject(out, r->line, "parameter", "missing_field", "缺少参数");
        return 1;
    }
    const struct monitor_param *mp = monitor_station_param(&s->st, r->parameter);
    if (!mp) {
        reject(out, r->line, "parameter", "unknown_parameter", "站点 %s 无参数 %.40s", s->st.code,
               r->parameter);
        return 1;
    }
    struct app_error e = {0};
    int64_t t;
    if (!r->time || !*r->time) {
        reject(out, r->line, "time", "missing_field", "缺少时间");
        return 1;
    }
    if (clock_parse(r->time, &t, "time", &e)) {
        reject(out, r->line, "time", "invalid_time", "时间格式无效（应为 ISO 8601）");
        return 1;
    }
    if (t > now + MONITOR_FUTURE_SKEW) {
        reject(out, r->line, "time", "future_time", "时间晚于当前时间");
        return 1;
    }
    int64_t v;
    if (!r->value || !*r->value) {
        reject(out, r->line, "value", "missing_field", "缺少数值");
        return 1;
    }
    if (monitor_dec_parse(r->value, &v, "value", &e)) {
        reject(out, r->line, "value", "invalid_number", "数值无效（须为有限的十进制数）");
        return 1;
    }
    if (v < mp->min || v > mp->max) {
        char lo[40], hi[40];
        monitor_dec_format_short(mp->min, lo, sizeof(lo));
        monitor_dec_format_short(mp->max, hi, sizeof(hi));
        reject(out, r->line, "value", "out_of_range", "%s 数值超出合理范围 %s-%s %s", mp->name, lo,
               hi, mp->unit);
        return 1;
    }
    if (r->flag && (strlen(r->flag) > 8 || !utf8_valid(r->flag, strlen(r->flag)))) {
        reject(out, r->line, "flag", "invalid_flag", "质量标记至多 8 个字符");
        return 1;
    }
    *p = (struct parsed){slot,
                         mp->name,
                         t,
                         v,
                         r->flag && *r->flag ? r->flag : NULL,
                         r->line,
                         monitor_noise_is_level_unit(mp->unit)};
    return 0;
}

/* Flush one aggregate group. */
static int flush_agg(struct db *db, int64_t station_id, struct monitor_agg *a, bool daily,
                     struct app_error *err)
{
    if (a->n == 0)
        return 0;
    int rc = daily ? monitor_store_daily_add(db, station_id, a, err)
                   : monitor_store_hourly_add(db, station_id, a, err);
    a->n = 0;
    return rc;
}

static void agg_put(struct monitor_agg *a, const char *param, int64_t period, int64_t v,
                    double energy)
{
    if (a->n == 0) {
        snprintf(a->parameter, sizeof(a->parameter), "%s", param);
        a->period = period;
        a->sum = 0;
        a->energy = 0;
        a->min = a->max = v;
    }
    a->n++;
    a->sum += v;
    a->energy += energy;
    if (v < a->min)
        a->min = v;
    if (v > a->max)
        a->max = v;
}

/* The consequences of the stored rows p[0..n), of which inserted[i] were new: counts,
 * aggregates, rules, station times (inside the transaction). */
static int store_effects(struct batch *b, const struct parsed *p, size_t n, const bool *inserted,
                         struct monitor_ingest_result *out, struct app_error *err)
{
    struct monitor_agg hour = {0}, day = {0};
    int64_t agg_station = 0;
    for (size_t i = 0; i < n; i++) {
        struct station_slot *slot = &b->slots[p[i].slot];
        const struct monitor_station *st = &slot->st;
        if (!inserted[i]) {
            out->duplicates++;
            continue;
        }
        out->accepted++;
        if (!slot->touched || p[i].t > slot->max_t)
            slot->max_t = p[i].t;
        slot->touched = true;
        if (!flag_counts(p[i].flag))
            continue; /* flagged readings are kept but neither aggregated nor judged */
        int64_t h = monitor_hour_of(p[i].t), d = monitor_day_of_hour(h);
        if (hour.n &&
            (agg_station != st->id || strcmp(hour.parameter, p[i].param) || hour.period != h))
            if (flush_agg(b->db, agg_station, &hour, false, err))
                return -1;
        if (day.n &&
            (agg_station != st->id || strcmp(day.parameter, p[i].param) || day.period != d))
            if (flush_agg(b->db, agg_station, &day, true, err))
                return -1;
        agg_station = st->id;
        /* GB 3096-2008 §3: sound levels combine by energy, never arithmetically */
        double energy = p[i].level ? monitor_noise_energy(p[i].value) : 0;
        agg_put(&hour, p[i].param, h, p[i].value, energy);
        agg_put(&day, p[i].param, d, p[i].value, energy);
        for (size_t r = 0; r < b->rules.len; r++) {
            const struct monitor_rule *rule = &b->rules.items[r];
            if (rule->kind != st->kind ||
                (rule->type != MONITOR_RULE_STALE && strcmp(rule->parameter, p[i].param)))
                continue;
            struct monitor_rule_state *s = batch_state(b, st->id, rule, err);
            if (!s)
                return -1;
            enum monitor_rule_action act = monitor_rule_feed(rule, s, p[i].t, p[i].value);
            bool stale = rule->type == MONITOR_RULE_STALE;
            if (apply_action(b, st, rule, act, p[i].t, stale ? NULL : &p[i].value, err))
                return -1;
        }
    }
    if (flush_agg(b->db, agg_station, &hour, false, err) ||
        flush_agg(b->db, agg_station, &day, true, err))
        return -1;
    for (size_t i = 0; i < b->nslots; i++)
        if (b->slots[i].touched &&
            monitor_store_station_touch(b->db, b->slots[i].st.id, b->slots[i].max_t, err))
            return -1;
    for (size_t i = 0; i < b->nstates; i++)
        if (!b->states[i].stale &&
            monitor_store_rule_state_put(b->db, b->states[i].station_id, b->states[i].rule_id,
                                         &b->states[i].s, err))
            return -1;
    return 0;
}

/* One audit row per station the sender named in this chunk, in the chunk's transaction: the
 * user, or the device key as "device-key:ID". */
static int audit_sent(struct batch *b, struct app_error *err)
{
    const struct monitor_sender *snd = b->sender;
    struct auth_principal key = {0};
    if (!snd)
        return 0;
    if (snd->key_id > 0)
        snprintf(key.username, sizeof(key.username), "device-key:%lld", (long long)snd->key_id);
    for (size_t i = 0; i < b->nslots; i++) {
        struct station_slot *sl = &b->slots[i];
        if (!sl->sent)
            continue;
        sl->sent = false;
        struct audit_entry e = {.actor = snd->key_id > 0 ? &key : snd->who,
                                .action = "monitor.ingest",
                                .object_type = "station",
                                .object_id = sl->st.code,
                                .region = sl->st.grid};
        if (audit_append(b->db, &e, err))
            return -1;
    }
    return 0;
}

/* Store sorted rows p[0..n) with aggregates and rules (inside the transaction). */
static int store_rows(struct batch *b, struct parsed *p, size_t n, bool synthetic,
                      struct monitor_ingest_result *out, struct app_error *err)
{
    struct monitor_reading_row *rows = xmalloc((n ? n : 1) * sizeof(*rows));
    bool *inserted = xmalloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        rows[i] = (struct monitor_reading_row){b->slots[p[i].slot].st.id, p[i].param, p[i].t,
                                               p[i].value, p[i].flag};
    int rc = monitor_store_readings_insert(b->db, rows, n, synthetic, inserted, err) ||
             store_effects(b, p, n, inserted, out, err) || audit_sent(b, err);
    free(rows);
    free(inserted);
    return rc ? -1 : 0;
}

/* Validate, then store one chunk in one transaction. */
static int ingest_chunk(struct batch *b, const struct monitor_reading_in *rows, size_t n,
                        bool synthetic, struct monitor_ingest_result *out, struct app_error *err)
{
    int ret = -1;
    int64_t now = clock_now();
    struct parsed *p = xmalloc((n ? n : 1) * sizeof(*p));
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = validate_row(b, &rows[i], now, &p[np], out, err);
        if (rc < 0)
            goto out;
        if (rc == 0)
            np++;
    }
    qsort(p, np, sizeof(*p), cmp_parsed);
    b->nstates = 0;
    b->nacts = 0;
    struct monitor_state *ms = b->app ? b->app->monitor : NULL;
    if (ms)
        pthread_mutex_lock(&ms->ingest_lock);
    int accepted = out->accepted, duplicates = out->duplicates;
    int rc = db_begin(b->db, err);
    if (rc == 0 && (store_rows(b, p, np, synthetic, out, err) || db_commit(b->db, err))) {
        db_rollback(b->db);
        out->accepted = accepted;
        out->duplicates = duplicates;
        rc = -1;
    }
    if (ms)
        pthread_mutex_unlock(&ms->ingest_lock);
    if (rc)
        goto out;
    for (size_t i = 0; i < b->nacts; i++) {
        if (b->acts[i].action == MONITOR_ACTION_OPEN)
            out->alerts_opened++;
        else
            out->alerts_cleared++;
    }
    monitor_dispatch_actions(b->app, b->db, b->acts, b->nacts);
    ret = 0;
out:
    free(p);
    return ret;
}

static int batch_init(struct batch *b, struct app *app, struct db *db, struct app_error *err)
{
    memset(b, 0, sizeof(*b));
    b->app = app;
    b->db = db;
    struct monitor_state *ms = app ? app->monitor : NULL;
    if (!ms)
        return monitor_store_rule_list(db, true, &b->rules, err);
    unsigned long gen = atomic_load(&monitor_rules_gen);
    pthread_mutex_lock(&ms->cache_lock);
    int rc = 0;
    if (ms->rules_loaded != gen) {
        ms->rules.len = 0;
        rc = monitor_store_rule_list(db, true, &ms->rules, err);
        ms->rules_loaded = rc ? 0 : gen;
    }
    if (rc == 0 && ms->rules.len) {
        b->rules.items = xmalloc(ms->rules.len * sizeof(*b->rules.items));
        memcpy(b->rules.items, ms->rules.items, ms->rules.len * sizeof(*b->rules.items));
        b->rules.len = b->rules.cap = ms->rules.len;
    }
    pthread_mutex_unlock(&ms->cache_lock);
    return rc;
}

static int ingest_rows(struct app *app, struct db *db, const struct monitor_sender *sender,
                       const struct monitor_reading_in *rows, size_t n, bool synthetic,
                       struct monitor_ingest_result *out, struct app_error *err)
{
    if (n > MONITOR_MAX_BATCH)
        return app_fail(err, APP_ERR_TOO_LARGE, "too_many_readings", "readings",
                        "一批至多 %d 条读数", MONITOR_MAX_BATCH);
    struct batch b;
    int ret = -1;
    if (batch_init(&b, app, db, err) == 0) {
        b.sender = sender;
        ret = ingest_chunk(&b, rows, n, synthetic, out, err);
    }
    batch_release(&b);
    return ret;
}

int monitor_ingest(struct app *app, struct db *db, const struct monitor_reading_in *rows, size_t n,
                   bool synthetic, struct monitor_ingest_result *out, struct app_error *err)
{
    return ingest_rows(app, db, NULL, rows, n, synthetic, out, err);
}

int monitor_ingest_from(struct app *app, struct db *db, const struct monitor_sender *sender,
                        const struct monitor_reading_in *rows, size_t n,
                        struct monitor_ingest_result *out, struct app_error *err)
{
    return ingest_rows(app, db, sender, rows, n, false, out, err);
}

#define CSV_CHUNK 5000

static int ingest_csv(struct app *app, struct db *db, const struct monitor_sender *sender,
                      const char *csv, size_t len, monitor_progress_fn progress, void *progress_ctx,
                      struct monitor_ingest_result *out, struct app_error *err)
{
    struct csv_reader r;
    struct monitor_reading_in *rows = NULL;
    /* The reader reuses its storage per record: field texts are copied into one arena, as
     * offsets (+1; 0 = absent) until the arena stops moving. */
    struct buf arena = BUF_INIT;
    size_t(*offs)[5] = NULL;
    size_t n = 0, cap = 0;
    int ret = -1, rc;
    struct batch b;
    bool batch_ready = false;
    csv_init(&r, csv, len);
    while ((rc = csv_next(&r, err)) == 1) {
        if (n == 0 && r.nfields > 0 && strcmp(r.fields[0], "station") == 0 && r.line == 1)
            continue;
        if (n == MONITOR_MAX_BATCH * 10) {
            app_fail(err, APP_ERR_TOO_LARGE, "too_many_readings", "line", "文件至多 %d 行",
                     MONITOR_MAX_BATCH * 10);
            goto out;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            rows = xrealloc(rows, cap * sizeof(*rows));
            offs = xrealloc(offs, cap * sizeof(*offs));
        }
        struct monitor_reading_in *row = &rows[n];
        memset(row, 0, sizeof(*row));
        for (int i = 0; i < 5; i++) {
            offs[n][i] = 0;
            if (i < r.nfields) {
                offs[n][i] = arena.len + 1;
                buf_append(&arena, r.fields[i], strlen(r.fields[i]) + 1);
            }
        }
        row->line = r.line;
        if (r.nfields < 4 || r.nfields > 5) {
            row->station = NULL; /* reported below as a bad line */
            row->line = -r.line;
        }
        n++;
    }
    if (rc < 0) {
        err->code = APP_ERR_INVALID;
        snprintf(err->code_name, sizeof(err->code_name), "malformed_csv");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char **f[5] = {&rows[i].station, &rows[i].parameter, &rows[i].time, &rows[i].value,
                             &rows[i].flag};
        for (int k = 0; k < 5; k++)
            *f[k] = offs[i][k] ? arena.data + offs[i][k] - 1 : NULL;
        if (rows[i].line < 0)
            rows[i].station = NULL;
    }
    /* Lines with a wrong field count are rejected here, the rest validated per row. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].line < 0)
            reject(out, -rows[i].line, "line", "field_count",
                   "应为 station,parameter,time,value[,flag] 四或五列");
        else
            rows[m++] = rows[i];
    }
    if (batch_init(&b, app, db, err))
        goto out;
    batch_ready = true;
    b.sender = sender;
    size_t chunk = progress ? CSV_CHUNK : (m ? m : 1);
    for (size_t i = 0; i < m; i += chunk) {
        size_t k = m - i < chunk ? m - i : chunk;
        if (ingest_chunk(&b, rows + i, k, false, out, err))
            goto out;
        if (progress)
            progress(progress_ctx, i + k, m);
    }
    if (m == 0 && progress)
        progress(progress_ctx, 0, 0);
    ret = 0;
out:
    if (batch_ready)
        batch_release(&b);
    buf_release(&arena);
    free(offs);
    free(rows);
    csv_release(&r);
    return ret;
}

int monitor_ingest_csv(struct app *app, struct db *db, const char *csv, size_t len,
                       monitor_progress_fn progress, void *progress_ctx,
                       struct monitor_ingest_result *out, struct app_error *err)
{
    return ingest_csv(app, db, NULL, csv, len, progress, progress_ctx, out, err);
}

int monitor_ingest_csv_from(struct app *app, struct db *db, const struct monitor_sender *sender,
                            const char *csv, size_t len, struct monitor_ingest_result *out,
                            struct app_error *err)
{
    return ingest_csv(app, db, sender, csv, len, NULL, NULL, out, err);
}

int monitor_sweep(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    struct batch b;
    struct monitor_station_list stations = {0};
    int ret = -1, opened = 0;
    if (batch_init(&b, app, db, err))
        goto out;
    bool any = false;
    for (size_t r = 0; r < b.rules.len; r++)
        any |= b.rules.items[r].type == MONITOR_RULE_STALE;
    if (any) {
        if (monitor_store_station_list(db, NULL, &stations, err) || db_begin(db, err))
            goto out;
        for (size_t r = 0; r < b.rules.len; r++) {
            const struct monitor_rule *rule = &b.rules.items[r];
            if (rule->type != MONITOR_RULE_STALE)
                continue;
            for (size_t i = 0; i < stations.len; i++) {
                const struct monitor_station *st = &stations.items[i];
                if (st->kind != rule->kind)
                    continue;
                struct monitor_rule_state s;
                if (monitor_store_rule_state_get(db, st->id, rule->id, &s, err))
                    goto fail;
                int64_t last = st->has_last ? st->last_at : st->created_at;
                enum monitor_rule_action act = monitor_rule_check_stale(rule, s.open, last, now);
                if (apply_action(&b, st, rule, act, now, NULL, err))
                    goto fail;
                opened += act == MONITOR_ACTION_OPEN;
            }
        }
        if (db_commit(db, err))
            goto fail;
        monitor_dispatch_actions(app, db, b.acts, b.nacts);
    }
    monitor_retry_pending(app, db);
    ret = opened;
    goto out;
fail:
    db_rollback(db);
out:
    monitor_station_list_release(&stations);
    batch_release(&b);
    return ret;
}
