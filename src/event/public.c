/* Residents' anonymous intake (the web form and Open311): the per-address sliding-window rate
 * rule (pure), photos uploaded ahead of a report behind random one-use tokens, and the anonymous
 * path of event_create that checks the rate, takes the photos and creates the event in one
 * transaction. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "event/event_internal.h"

#define MAX_LIMIT 100000 /* the largest public_report_limit × photos the window holds */

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

bool event_rate_allow(const int64_t *times, size_t n, int64_t now, long limit, long window,
                      int64_t *retry_after)
{
    if (retry_after)
        *retry_after = 0;
    int64_t *in = xcalloc(n + 1, sizeof(*in));
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (times[i] > now - window)
            in[count++] = times[i];
    bool ok = limit > 0 && count < (size_t)limit;
    if (!ok && retry_after) {
        /* Newest first: once the limit-th newest has left the window, limit-1 remain. */
        qsort(in, count, sizeof(*in), cmp_desc);
        int64_t leaves = limit > 0 ? in[limit - 1] + window : now + window;
        *retry_after = leaves - now > 1 ? leaves - now : 1;
    }
    free(in);
    return ok;
}

void event_rate_client_key(const char *addr, char *out, size_t n)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (!addr)
        addr = "";
    if (inet_pton(AF_INET, addr, &a4) == 1) {
        snprintf(out, n, "%s", addr);
        return;
    }
    if (inet_pton(AF_INET6, addr, &a6) == 1) {
        const unsigned char *b = a6.s6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&a6))
            snprintf(out, n, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
        else
            snprintf(out, n, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2], b[3],
                     b[4], b[5], b[6], b[7]);
        return;
    }
    snprintf(out, n, "%s", addr);
}

static long kind_limit(const struct app *app, const char *kind)
{
    long l = app->cfg.public_report_limit;
    if (strcmp(kind, "photo") == 0)
        l *= EVENT_PUBLIC_PHOTOS;
    return l < 1 ? 1 : l > MAX_LIMIT ? MAX_LIMIT : l;
}

/* 0 when the client may submit one more of kind at now; APP_ERR_TOO_MANY otherwise. */
static int rate_check(struct app *app, struct db *db, const char *key, const char *kind,
                      int64_t now, int64_t *retry_after, struct app_error *err)
{
    long limit = kind_limit(app, kind), window = app->cfg.public_report_window;
    int64_t *times = xcalloc((size_t)limit, sizeof(*times));
    size_t n = 0;
    int ret = -1;
    if (event_store_public_times(db, key, kind, now - window, times, (size_t)limit, &n, err))
        goto out;
    if (!event_rate_allow(times, n, now, limit, window, retry_after)) {
        app_fail(err, APP_ERR_TOO_MANY, "rate_limited", NULL,
                 "提交过于频繁：同一网络每 %ld 分钟最多 %ld 次，请稍后再试", (window + 59) / 60,
                 limit);
        goto out;
    }
    ret = 0;
out:
    free(times);
    return ret;
}

int event_public_retry_after(struct app *app, struct db *db, const char *client, const char *kind,
                             int64_t *out, struct app_error *err)
{
    char key[96];
    struct app_error ignored = {0};
    event_rate_client_key(client, key, sizeof(key));
    *out = 0;
    if (rate_check(app, db, key, kind, clock_now(), out, &ignored) == 0)
        return 0;
    if (ignored.code != APP_ERR_TOO_MANY) {
        if (err)
            *err = ignored;
        return -1;
    }
    return 0;
}

static int tx_open(struct db *db, bool *own, struct app_error *err)
{
    *own = !event_store_in_tx(db);
    return *own ? db_begin(db, err) : 0;
}

static int tx_close(struct db *db, bool own, int ret, struct app_error *err)
{
    if (!own)
        return ret;
    if (ret == 0)
        return db_commit(db, err);
    db_rollback(db);
    return ret;
}

int event_public_photo_put(struct app *app, struct db *db, const char *client, const void *data,
                           size_t len, char *token, struct app_error *err)
{
    char key[96], sha[EVENT_SHA_SIZE];
    unsigned char raw[16];
    bool own;
    int64_t now = clock_now();
    if (len > (size_t)EVENT_PUBLIC_PHOTO_MAX)
        return app_fail(err, APP_ERR_TOO_LARGE, "too_large", "body", "照片不能超过 %ld MB",
                        EVENT_PUBLIC_PHOTO_MAX / (1024 * 1024));
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "crypto", NULL, "sodium_init failed");
    event_rate_client_key(client, key, sizeof(key));
    if (tx_open(db, &own, err))
        return -1;
    int rc = rate_check(app, db, key, "photo", now, NULL, err);
    if (rc == 0)
        rc = event_attachment_put(app, db, NULL, data, len, sha, err);
    if (rc == 0) {
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2hex(token, EVENT_PHOTO_TOKEN_SIZE, raw, sizeof(raw));
        rc = event_store_public_photo_put(db, token, sha, key, now, err);
    }
    if (rc == 0)
        rc = event_store_public_record(db, key, "photo", now, now - app->cfg.public_report_window,
                                       err);
    return tx_close(db, own, rc, err);
}

int event_public_create(struct app *app, struct db *db, const struct event_input *in,
                        const char *request_id, int64_t now, struct event *out,
                        struct app_error *err)
{
    char key[96], shas[EVENT_PUBLIC_PHOTOS][EVENT_SHA_SIZE];
    struct event_input copy = *in;
    struct event e = {0};
    bool own;
    /* Residents attach photos only through their own tokens, never by naming a stored file. */
    if (in->nattachments)
        return app_fail(err, APP_ERR_INVALID, "not_allowed", "attachments",
                        "匿名上报请使用 photos 上传照片");
    if (in->nphotos < 0 || in->nphotos > EVENT_PUBLIC_PHOTOS)
        return app_fail(err, APP_ERR_INVALID, "too_many_photos", "photos", "最多上传 %d 张照片",
                        EVENT_PUBLIC_PHOTOS);
    for (int i = 0; i < in->nphotos; i++)
        for (int j = 0; j < i; j++)
            if (in->photos[i] && in->photos[j] && strcmp(in->photos[i], in->photos[j]) == 0)
                return app_fail(err, APP_ERR_INVALID, "duplicate_photo", "photos",
                                "同一张照片只能提交一次");
    event_rate_client_key(in->client, key, sizeof(key));
    if (tx_open(db, &own, err))
        return -1;
    int rc = in->client ? rate_check(app, db, key, "report", now, NULL, err) : 0;
    for (int i = 0; rc == 0 && i < in->nphotos; i++) {
        int found =
            in->photos[i] && strlen(in->photos[i]) < EVENT_PHOTO_TOKEN_SIZE
                ? event_store_public_photo_find(db, in->photos[i], now - EVENT_PUBLIC_PHOTO_TTL,
                                                shas[i], sizeof(shas[i]), err)
                : 0;
        if (found < 0)
            rc = -1;
        else if (found == 0)
            rc = app_fail(err, APP_ERR_INVALID, "unknown_photo", "photos",
                          "照片已失效或已被使用，请重新上传");
        else
            copy.attachments[i] = shas[i];
    }
    copy.nattachments = rc == 0 ? in->nphotos : 0;
    if (rc == 0)
        rc = event_create_at(app, db, NULL, &copy, request_id, now, NULL, &e, err);
    for (int i = 0; rc == 0 && i < in->nphotos; i++) {
        int used = event_store_public_photo_use(db, in->photos[i], e.id, err);
        if (used == 0)
            rc = app_fail(err, APP_ERR_INVALID, "unknown_photo", "photos",
                          "照片已失效或已被使用，请重新上传");
        else if (used < 0)
            rc = -1;
    }
    if (rc == 0 && in->client)
        rc = event_store_public_record(db, key, "report", now, now - app->cfg.public_report_window,
                                       err);
    if (tx_close(db, own, rc, err)) {
        event_release(&e);
        return -1;
    }
    if (out)
        *out = e;
    else
        event_release(&e);
    return 0;
}

int event_public_photo_purge(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    enum { BATCH = 200 };
    char(*tokens)[40] = xcalloc(BATCH, sizeof(*tokens));
    char(*shas)[EVENT_SHA_SIZE] = xcalloc(BATCH, sizeof(*shas));
    bool *gone = xcalloc(BATCH, sizeof(*gone));
    size_t n = 0;
    int removed = -1;
    bool own;
    if (tx_open(db, &own, err))
        goto out;
    int rc = event_store_public_photo_expired(db, now - EVENT_PUBLIC_PHOTO_TTL, tokens, shas, BATCH,
                                              &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int r = event_store_public_photo_drop(db, tokens[i], shas[i], err);
        if (r < 0)
            rc = -1;
        gone[i] = r == 1;
    }
    if (tx_close(db, own, rc, err))
        goto out;
    /* Files go after the commit: a failed commit leaves rows and files as they were. */
    removed = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4300];
        if (!gone[i])
            continue;
        snprintf(path, sizeof(path), "%s/attachments/%s", app->cfg.data_dir, shas[i]);
        if (unlink(path) == 0)
            removed++;
        else if (errno != ENOENT)
            log_warn("event: cannot remove unused photo %s", shas[i]);
    }
out:
    free(tokens);
    free(shas);
    free(gone);
    return removed;
}
