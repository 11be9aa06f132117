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

/* 0 when key may submit one more of kind at now (limit per window); APP_ERR_TOO_MANY with the
 * wait in the message otherwise. who: "本设备" or "同一网络". */
static int rate_check_one(struct app *app, struct db *db, const char *key, const char *kind,
                          long limit, const char *who, int64_t now, int64_t *retry_after,
                          struct app_error *err)
{
    long window = app->cfg.public_report_window;
    int64_t *times = xcalloc((size_t)limit, sizeof(*times));
    int64_t wait = 0;
    size_t n = 0;
    int ret = -1;
    if (event_store_public_times(db, key, kind, now - window, times, (size_t)limit, &n, err))
        goto out;
    if (!event_rate_allow(times, n, now, limit, window, &wait)) {
        app_fail(err, APP_ERR_TOO_MANY, "rate_limited", NULL,
                 "提交过于频繁：%s每 %ld 分钟最多 %ld 次，请约 %lld 分钟后再试", who,
                 (window + 59) / 60, limit, (long long)((wait + 59) / 60));
        if (retry_after)
            *retry_after = wait;
        goto out;
    }
    ret = 0;
out:
    free(times);
    return ret;
}

/* The device's own limit and its address's ceiling, or the address's limit without a device. */
static int rate_check(struct app *app, struct db *db, const char *key, const char *dev_key,
                      const char *kind, int64_t now, int64_t *retry_after, struct app_error *err)
{
    long l = kind_limit(app, kind);
    if (!dev_key || !dev_key[0])
        return rate_check_one(app, db, key, kind, l, "同一网络", now, retry_after, err);
    long ceiling = l * EVENT_PUBLIC_ADDRESS_FACTOR;
    if (ceiling > MAX_LIMIT)
        ceiling = MAX_LIMIT;
    if (rate_check_one(app, db, dev_key, kind, l, "本设备", now, retry_after, err))
        return -1;
    return rate_check_one(app, db, key, kind, ceiling, "同一网络", now, retry_after, err);
}

static int rate_record(struct app *app, struct db *db, const char *key, const char *dev_key,
                       const char *kind, int64_t now, struct app_error *err)
{
    int64_t forget = now - app->cfg.public_report_window;
    if (event_store_public_record(db, key, kind, now, forget, err))
        return -1;
    return dev_key && dev_key[0] ? event_store_public_record(db, dev_key, kind, now, forget, err)
                                 : 0;
}

void event_device_key(const char *device, char *out, size_t n)
{
    size_t len = device ? strlen(device) : 0;
    bool ok = len >= 16 && len <= 64;
    for (size_t i = 0; ok && i < len; i++) {
        char c = device[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '_';
    }
    snprintf(out, n, "%s%s", ok ? "device:" : "", ok ? device : "");
}

int event_public_wait(struct app *app, struct db *db, const char *client, const char *device,
                      const char *kind, int64_t *out, struct app_error *err)
{
    char key[96], dev[96];
    struct app_error ignored = {0};
    event_rate_client_key(client, key, sizeof(key));
    event_device_key(device, dev, sizeof(dev));
    *out = 0;
    if (rate_check(app, db, key, dev, kind, clock_now(), out, &ignored) == 0)
        return 0;
    if (ignored.code != APP_ERR_TOO_MANY) {
        if (err)
            *err = ignored;
        return -1;
    }
    return 0;
}

int event_public_retry_after(struct app *app, struct db *db, const char *client, const char *kind,
                             int64_t *out, struct app_error *err)
{
    return event_public_wait(app, db, client, NULL, kind, out, err);
}

int event_public_admit(struct app *app, struct db *db, const char *client, const char *device,
                       const char *kind, struct app_error *err)
{
    char key[96], dev[96];
    int64_t now = clock_now();
    event_rate_client_key(client, key, sizeof(key));
    event_device_key(device, dev, sizeof(dev));
    if (rate_check(app, db, key, dev, kind, now, NULL, err))
        return -1;
    return rate_record(app, db, key, dev, kind, now, err);
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

int event_public_photo_put(struct app *app, struct db *db, const char *client, const char *device,
                           const void *data, size_t len, char *token, struct app_error *err)
{
    char key[96], dev[96], sha[EVENT_SHA_SIZE];
    unsigned char raw[16];
    bool own;
    int64_t now = clock_now();
    if (len > (size_t)EVENT_PUBLIC_PHOTO_MAX)
        return app_fail(err, APP_ERR_TOO_LARGE, "too_large", "body", "照片不能超过 %ld MB",
                        EVENT_PUBLIC_PHOTO_MAX / (1024 * 1024));
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "crypto", NULL, "sodium_init failed");
    event_rate_client_key(client, key, sizeof(key));
    event_device_key(device, dev, sizeof(dev));
    if (tx_open(db, &own, err))
        return -1;
    int rc = rate_check(app, db, key, dev, "photo", now, NULL, err);
    if (rc == 0)
        rc = event_attachment_put(app, db, NULL, data, len, sha, err);
    if (rc == 0) {
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2hex(token, EVENT_PHOTO_TOKEN_SIZE, raw, sizeof(raw));
        rc = event_store_public_photo_put(db, token, sha, key, now, err);
    }
    if (rc == 0)
        rc = rate_record(app, db, key, dev, "photo", now, err);
    return tx_close(db, own, rc, err);
}

int event_public_create(struct app *app, struct db *db, const struct event_input *in,
                        const char *request_id, int64_t now, struct event *out,
                        struct app_error *err)
{
    char key[96], dev[96], shas[EVENT_PUBLIC_PHOTOS][EVENT_SHA_SIZE];
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
    /* 燃气泄漏, 火情…: the resident is told to call, nothing is filed (issue 10 #5). */
    const struct event_public_emergency *em = event_public_emergency_of(in->category);
    if (em)
        return app_fail(err, APP_ERR_INVALID, "emergency", "category", "%s", em->notice);
    event_rate_client_key(in->client, key, sizeof(key));
    event_device_key(in->device, dev, sizeof(dev));
    if (tx_open(db, &own, err))
        return -1;
    int rc = in->client ? rate_check(app, db, key, dev, "report", now, NULL, err) : 0;
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
        rc = rate_record(app, db, key, dev, "report", now, err);
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

/* ---- the residents' form (issue 10 #5) ---------------------------------------------------- */

/* About ten everyday groups over the classes of category.c, each with its default class first;
 * 其他问题 is offered beside them. */
static const struct event_public_group groups[] = {
    {"facility",
     "井盖、路灯等设施损坏",
     "井盖缺失、路灯不亮、消火栓、公交站亭",
     {"0102", "0101", "0103", "0104", "0105", "0106", "0109", "0110", "0108", "0601", "0602"}},
    {"road",
     "道路与停车",
     "路面塌陷、护栏标志损坏、乱停车",
     {"1401", "0203", "0202", "0201", "0204", "0205", "1503", "1504", "1303"}},
    {"garbage",
     "垃圾与环境卫生",
     "垃圾堆放、道路脏、公厕垃圾箱",
     {"1101", "1102", "1103", "0302", "0301", "1106"}},
    {"ads", "小广告与乱张贴", "小广告、乱涂写、违规招牌", {"1201", "1105", "1202", "0303"}},
    {"street", "占道经营与游商", "占道摆摊、店外经营、流动摊贩", {"1501", "1502", "1505"}},
    {"nuisance",
     "噪声、油烟、扬尘",
     "施工扰民、油烟、扬尘、噪声",
     {"9102", "1301", "9105", "9101", "1302"}},
    {"water",
     "供水排水与河道",
     "水管破裂、下水道堵塞、污水外溢、河道脏",
     {"1404", "1402", "9103", "1104", "9104"}},
    {"green", "绿化树木", "树木倒伏、绿地损坏", {"0401", "0402"}},
    {"housing",
     "房屋与违法建设",
     "危房、违建、群租、山体滑坡隐患",
     {"0501", "1601", "1602", "9402"}},
    {"safety", "安全隐患", "消防通道堵塞、治安隐患、安全生产隐患", {"9003", "9004", "9401"}},
    {"living",
     "邻里与民生",
     "邻里纠纷、物业、欠薪、食品安全、救助",
     {"9001", "9201", "9002", "9303", "9202", "9203"}},
};

static const struct event_public_emergency emergencies[] = {
    {"fire", "1405", "火情、冒烟", "119",
     "发现火情请立即拨打 119 报警，并远离现场；本页面不受理紧急警情。"},
    {"gas", "1403", "闻到燃气味、燃气泄漏", "119",
     "燃气泄漏请立即离开现场，勿开关电器、勿用明火，到安全处拨打 119 或燃气公司抢修电话；"
     "本页面不受理紧急警情。"},
    {"police", NULL, "打架斗殴、盗抢等正在发生的警情", "110",
     "正在发生的违法犯罪请立即拨打 110 报警；本页面不受理紧急警情。"},
    {"medical", NULL, "有人受伤或突发疾病", "120",
     "有人受伤或突发疾病请立即拨打 120；本页面不受理紧急警情。"},
};

const struct event_public_group *event_public_groups(size_t *n)
{
    *n = sizeof(groups) / sizeof(groups[0]);
    return groups;
}

const struct event_public_emergency *event_public_emergencies(size_t *n)
{
    *n = sizeof(emergencies) / sizeof(emergencies[0]);
    return emergencies;
}

const struct event_public_emergency *event_public_emergency_of(const char *category)
{
    for (size_t i = 0; category && i < sizeof(emergencies) / sizeof(emergencies[0]); i++)
        if (emergencies[i].category && strcmp(emergencies[i].category, category) == 0)
            return &emergencies[i];
    return NULL;
}
