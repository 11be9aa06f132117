/* Who may send readings: a person for the stations of their scope and department, a device
 * by its station's key (only its hash is stored; issued, rotated and revoked). */
#include "monitor/monitor.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "monitor/monitor_store.h"
#include "org/org.h"

/* ---- who may send readings ------------------------------------------------------------ */

bool monitor_may_write_station(const struct auth_principal *who, const struct monitor_station *st)
{
    if (!who || !st)
        return false;
    switch (who->role) {
    case AUTH_ROLE_ADMIN:
        return true;
    case AUTH_ROLE_CENTER:
        return auth_region_in_scope(who, st->grid);
    case AUTH_ROLE_DEPARTMENT:
        return strcmp(who->department, st->department) == 0 && auth_region_in_scope(who, st->grid);
    default:
        return false;
    }
}

static void key_hash(const char *key, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

int monitor_key_issue(struct db *db, const char *station, bool rotate, char *key, int64_t *key_id,
                      struct app_error *err)
{
    struct monitor_station st;
    bool found;
    char hex[65], id[24];
    unsigned char raw[32];
    int n = 0;
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    if (!station || monitor_store_station_get(db, station, 0, &st, &found, err))
        return station ? -1
                       : app_fail(err, APP_ERR_INVALID, "missing_field", "station", "缺少站点");
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_station", "station", "未知站点 %.60s",
                        station);
    randombytes_buf(raw, sizeof(raw));
    memcpy(key, MONITOR_KEY_PREFIX, 4);
    sodium_bin2base64(key + 4, MONITOR_KEY_LEN - 3, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    key_hash(key, hex);
    if (db_begin(db, err))
        return -1;
    int64_t now = clock_now();
    if ((rotate && monitor_store_key_revoke(db, st.id, 0, now, &n, err)) ||
        monitor_store_key_insert(db, st.id, hex, now, key_id, err))
        goto fail;
    snprintf(id, sizeof(id), "%lld", (long long)*key_id);
    struct audit_entry e = {.action = rotate ? "station.key_rotate" : "station.key_issue",
                            .object_type = "device_key",
                            .object_id = id,
                            .after = st.code,
                            .region = st.grid};
    if (audit_append(db, &e, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    sodium_memzero(key, MONITOR_KEY_LEN + 1);
    return -1;
}

int monitor_key_revoke(struct db *db, const char *station, int64_t key_id, int *n,
                       struct app_error *err)
{
    struct monitor_station st = {0};
    bool found = true;
    char id[48];
    if (station && monitor_store_station_get(db, station, 0, &st, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_station", "station", "未知站点 %.60s",
                        station);
    if (station)
        snprintf(id, sizeof(id), "station:%s", st.code);
    else
        snprintf(id, sizeof(id), "%lld", (long long)key_id);
    struct audit_entry e = {.action = "station.key_revoke",
                            .object_type = "device_key",
                            .object_id = id,
                            .region = station ? st.grid : NULL};
    if (db_begin(db, err))
        return -1;
    if (monitor_store_key_revoke(db, station ? st.id : 0, station ? 0 : key_id, clock_now(), n,
                                 err) ||
        audit_append(db, &e, err)) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

int monitor_key_identify(struct db *db, const char *key, struct monitor_sender *out,
                         struct app_error *err)
{
    char hex[65];
    bool found = false;
    memset(out, 0, sizeof(*out));
    if (!key || strlen(key) != MONITOR_KEY_LEN || strncmp(key, MONITOR_KEY_PREFIX, 4) ||
        sodium_init() < 0)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "invalid_device_key", NULL, "设备密钥无效");
    key_hash(key, hex);
    if (monitor_store_key_find(db, hex, &found, &out->key_id, out->key_station, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "invalid_device_key", NULL,
                        "设备密钥无效或已吊销");
    return 0;
}
