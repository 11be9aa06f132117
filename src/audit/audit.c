/* The audit chain: building a row from an entry, its canonical text and SHA-256 chain hash
 * (libsodium crypto_hash_sha256), appending under the caller's transaction, and verifying. */
#include "audit/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_store.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "org/org.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

void audit_list_release(struct audit_list *l)
{
    if (!l)
        return;
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void audit_digest(const char *text, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    if (!text) {
        out[0] = '\0';
        return;
    }
    crypto_hash_sha256(d, (const unsigned char *)text, strlen(text));
    to_hex(d, sizeof(d), out);
}

/* Each field as <length>:<bytes>; so that no choice of values can make two rows' texts equal. */
static void put_field(struct buf *b, const char *s)
{
    buf_printf(b, "%zu:%s;", strlen(s), s);
}

static void put_int(struct buf *b, int64_t v)
{
    char t[24];
    snprintf(t, sizeof(t), "%lld", (long long)v);
    put_field(b, t);
}

void audit_row_hash(const struct audit_record *r, char out[65])
{
    struct buf b = BUF_INIT;
    unsigned char d[crypto_hash_sha256_BYTES];
    buf_printf(&b, "zhizhi-audit-v1;");
    put_field(&b, r->prev_hash);
    put_int(&b, r->id);
    put_int(&b, r->at);
    put_int(&b, r->actor_id);
    put_field(&b, r->actor_name);
    put_field(&b, r->actor_role);
    put_field(&b, r->action);
    put_field(&b, r->object_type);
    put_field(&b, r->object_id);
    put_field(&b, r->request_id);
    put_field(&b, r->before_digest);
    put_field(&b, r->after_digest);
    /* Fields are length-prefixed and their count fixed, so a 13th field cannot be confused
     * with the end of a 12-field row. */
    if (r->region[0])
        put_field(&b, r->region);
    crypto_hash_sha256(d, (const unsigned char *)buf_cstr(&b), b.len);
    to_hex(d, sizeof(d), out);
    buf_release(&b);
}

static int too_long(const char *s, size_t n)
{
    return s && strlen(s) >= n;
}

static int append_locked(struct db *db, const struct audit_entry *e, struct app_error *err)
{
    struct audit_record r = {0};
    if (!e->action || !*e->action || !e->object_type || !*e->object_type)
        return app_fail(err, APP_ERR_INVALID, "audit_incomplete", "action",
                        "audit entry without action or object type");
    if (too_long(e->action, sizeof(r.action)) || too_long(e->object_type, sizeof(r.object_type)) ||
        too_long(e->object_id, sizeof(r.object_id)) || too_long(e->region, sizeof(r.region)))
        return app_fail(err, APP_ERR_INVALID, "audit_too_long", "object_id",
                        "audit entry field too long");
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    if (audit_store_last(db, &r.id, r.prev_hash, err))
        return -1;
    r.id++;
    r.at = clock_now();
    if (e->actor) {
        r.actor_id = e->actor->user_id;
        snprintf(r.actor_name, sizeof(r.actor_name), "%s", e->actor->username);
        snprintf(r.actor_role, sizeof(r.actor_role), "%s", auth_role_name(e->actor->role));
    }
    snprintf(r.action, sizeof(r.action), "%s", e->action);
    snprintf(r.object_type, sizeof(r.object_type), "%s", e->object_type);
    snprintf(r.object_id, sizeof(r.object_id), "%s", e->object_id ? e->object_id : "");
    snprintf(r.request_id, sizeof(r.request_id), "%s", e->request_id ? e->request_id : "");
    snprintf(r.region, sizeof(r.region), "%s", e->region ? e->region : "");
    audit_digest(e->before, r.before_digest);
    audit_digest(e->after, r.after_digest);
    audit_row_hash(&r, r.hash);
    return audit_store_insert(db, &r, err);
}

/* The next id is read from the chain's end, so reading it and appending must hold the write lock:
 * outside a caller's transaction another connection or process (the CLI beside a running server)
 * could append in between and take the same id. */
int audit_append(struct db *db, const struct audit_entry *e, struct app_error *err)
{
    if (db_in_transaction(db))
        return append_locked(db, e, err);
    if (db_begin(db, err))
        return -1;
    if (append_locked(db, e, err)) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

bool audit_visible(const struct auth_principal *who, const struct audit_record *r)
{
    if (!who)
        return false;
    if (who->role == AUTH_ROLE_ADMIN)
        return true;
    if (who->role != AUTH_ROLE_AUDITOR)
        return false;
    if (r->region[0])
        return auth_region_in_scope(who, r->region);
    /* A row without a region concerns the whole platform: only a district-wide (or city)
     * auditor oversees it. City and district codes are both 6 digits. */
    return org_code_valid(ORG_DISTRICT, who->region);
}

int audit_query(struct db *db, const struct audit_query *q, struct audit_list *out, bool *more,
                struct app_error *err)
{
    if (!q->viewer || q->viewer->role == AUTH_ROLE_ADMIN)
        return audit_store_query(db, q, NULL, out, more, err);
    /* The rule is audit_visible, applied to every row below. An auditor below the district
     * sees only rows whose region lies under theirs, so the store may skip the others early
     * (a superset: region codes nest by prefix); district and city auditors see most rows. */
    const char *prefix = NULL;
    if (q->viewer->role == AUTH_ROLE_AUDITOR && !org_code_valid(ORG_DISTRICT, q->viewer->region))
        prefix = q->viewer->region;
    /* Walk older batches until the page is full or the log ends. */
    struct audit_query batch = *q;
    struct audit_list got = {0};
    bool older = true;
    *more = false;
    batch.limit = 500;
    while (older) {
        got.len = 0;
        if (audit_store_query(db, &batch, prefix, &got, &older, err)) {
            audit_list_release(&got);
            return -1;
        }
        for (size_t i = 0; i < got.len; i++) {
            if (!audit_visible(q->viewer, &got.items[i]))
                continue;
            if ((long)out->len == q->limit) {
                *more = true;
                older = false;
                break;
            }
            if (out->len == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
            }
            out->items[out->len++] = got.items[i];
        }
        if (got.len)
            batch.before_id = got.items[got.len - 1].id;
    }
    audit_list_release(&got);
    return 0;
}

struct verify_state {
    int64_t rows, last_id, broken_id;
    char prev[65];
    char why[128];
};

static int verify_row(void *ctx, const struct audit_record *r)
{
    struct verify_state *v = ctx;
    char h[65];
    v->rows++;
    if (r->id != v->last_id + 1)
        snprintf(v->why, sizeof(v->why), "row %lld follows row %lld: rows are missing",
                 (long long)r->id, (long long)v->last_id);
    else if (strcmp(r->prev_hash, v->prev) != 0)
        snprintf(v->why, sizeof(v->why), "row %lld does not chain to the row before it",
                 (long long)r->id);
    else {
        audit_row_hash(r, h);
        if (strcmp(h, r->hash) != 0)
            snprintf(v->why, sizeof(v->why), "row %lld was changed after it was written",
                     (long long)r->id);
    }
    if (v->why[0]) {
        v->broken_id = r->id;
        return 1;
    }
    v->last_id = r->id;
    snprintf(v->prev, sizeof(v->prev), "%s", r->hash);
    return 0;
}

int audit_verify(struct db *db, int64_t *rows, int64_t *broken_id, char *why, size_t why_len,
                 struct app_error *err)
{
    struct verify_state v = {0};
    bool found;
    int64_t head_id;
    char head_hash[65];
    snprintf(v.prev, sizeof(v.prev), "%s", ZERO_HASH);
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    if (audit_store_scan(db, verify_row, &v, err) ||
        audit_store_head(db, &found, &head_id, head_hash, err))
        return -1;
    if (!v.why[0] && found && (head_id != v.last_id || strcmp(head_hash, v.prev) != 0)) {
        v.broken_id = v.last_id + 1;
        snprintf(v.why, sizeof(v.why), "the log ends at row %lld but row %lld was written",
                 (long long)v.last_id, (long long)head_id);
    }
    if (!v.why[0] && !found && v.last_id > 0) {
        v.broken_id = 1;
        snprintf(v.why, sizeof(v.why), "the head record of the log is missing");
    }
    *rows = v.rows;
    *broken_id = v.broken_id;
    snprintf(why, why_len, "%s", v.why);
    return v.why[0] ? 1 : 0;
}
