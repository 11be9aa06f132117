/* Photo attachments: JPEG or PNG recognised by their magic bytes, at most 8 MiB, stored once
 * under data_dir/attachments/<sha256> (content-addressed, written to a temporary file and
 * renamed), and served only to callers who may see an event they belong to. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "event/event_internal.h"

#define ATTACH_MAX (8L * 1024 * 1024)

static const char *sniff(const unsigned char *p, size_t n)
{
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return "image/jpeg";
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (n >= 8 && memcmp(p, png, 8) == 0)
        return "image/png";
    return NULL;
}

static bool sha_ok(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static void path_of(const struct app *app, const char *sha, char *out, size_t n)
{
    snprintf(out, n, "%s/attachments/%s", app->cfg.data_dir, sha);
}

int event_attachment_put(struct app *app, struct db *db, const struct auth_principal *who,
                         const void *data, size_t len, char sha_out[EVENT_SHA_SIZE],
                         struct app_error *err)
{
    if (len > (size_t)ATTACH_MAX)
        return app_fail(err, APP_ERR_TOO_LARGE, "too_large", "body", "图片不能超过 8 MB");
    const char *mime = sniff(data, len);
    if (!mime)
        return app_fail(err, APP_ERR_UNSUPPORTED, "unsupported_media", "body",
                        "只接受 JPEG 或 PNG 图片");
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "crypto", NULL, "sodium_init failed");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(sha_out, EVENT_SHA_SIZE, digest, sizeof(digest));

    char dir[4200], path[4300], tmp[4400];
    snprintf(dir, sizeof(dir), "%s/attachments", app->cfg.data_dir);
    if (mkdir(dir, 0750) && errno != EEXIST)
        return app_fail(err, APP_ERR_INTERNAL, "io", NULL, "cannot create %s", dir);
    path_of(app, sha_out, path, sizeof(path));
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
        FILE *f = fopen(tmp, "wb");
        if (!f)
            return app_fail(err, APP_ERR_INTERNAL, "io", NULL, "cannot write attachment");
        bool ok = fwrite(data, 1, len, f) == len;
        ok = (fflush(f) == 0) && ok;
        ok = (fsync(fileno(f)) == 0) && ok;
        ok = (fclose(f) == 0) && ok;
        if (!ok || rename(tmp, path) != 0) {
            unlink(tmp);
            return app_fail(err, APP_ERR_INTERNAL, "io", NULL, "cannot write attachment");
        }
    }
    return event_store_attachment_put(db, sha_out, mime, (long)len, who ? who->username : "",
                                      clock_now(), err);
}

int event_attachment_may_use(struct db *db, const struct auth_principal *who, const char *sha,
                             struct app_error *err)
{
    int64_t ids[64];
    size_t n = 0;
    if (!who || !who->username[0] || !sha_ok(sha))
        return 0;
    int rc = event_store_attachment_uploaded_by(db, sha, who->username, err);
    if (rc != 0)
        return rc;
    if (event_store_attachment_events(db, sha, ids, 64, &n, err))
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct event e;
        if (event_store_get_by_id(db, ids[i], &e, err))
            return -1;
        bool may = event_visible(who, &e);
        event_release(&e);
        if (may)
            return 1;
    }
    return 0;
}

int event_attachment_read(struct app *app, struct db *db, const char *sha, char **data, size_t *len,
                          const char **mime, struct app_error *err)
{
    char m[32], by[64], path[4300];
    *data = NULL;
    *len = 0;
    if (!sha_ok(sha))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "附件不存在");
    int rc = event_store_attachment_get(db, sha, m, sizeof(m), by, sizeof(by), err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "附件不存在");
    path_of(app, sha, path, sizeof(path));
    FILE *f = fopen(path, "rb");
    if (!f)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "附件文件缺失");
    struct buf b = BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, got);
    fclose(f);
    *data = buf_detach(&b, len);
    *mime = strcmp(m, "image/png") == 0 ? "image/png" : "image/jpeg";
    return 0;
}

int event_attachment_get(struct app *app, struct db *db, const struct auth_principal *who,
                         const char *sha, char **data, size_t *len, const char **mime,
                         struct app_error *err)
{
    *data = NULL;
    *len = 0;
    if (!who || !sha_ok(sha))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "附件不存在");
    int ok = event_attachment_may_use(db, who, sha, err);
    if (ok < 0)
        return -1;
    if (ok != 1)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "附件不存在");
    return event_attachment_read(app, db, sha, data, len, mime, err);
}
