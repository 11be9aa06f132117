/* Community certificates (证明事项): issue one of the types still issued, sign it with the
 * district's Ed25519 key (libsodium crypto_sign_detached), revoke it, and verify it publicly:
 * valid, revoked, or forged (the stored record or the QR code's signature does not match). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_store.h"
#include "org/org.h"

/* The district's signing key: the newest of cert_keys, made on first use. */
static int signing_key(struct db *db, struct cert_key *k, struct app_error *err)
{
    bool found = false;
    if (enterprise_store_cert_key(db, 0, k, &found, err))
        return -1;
    if (found)
        return 0;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    memset(k, 0, sizeof(*k));
    sodium_bin2hex(k->public_key, sizeof(k->public_key), pk, sizeof(pk));
    sodium_bin2hex(k->secret_key, sizeof(k->secret_key), sk, sizeof(sk));
    sodium_memzero(sk, sizeof(sk));
    return enterprise_store_cert_key_insert(db, k, clock_now(), &k->id, err);
}

int cert_type_list(struct db *db, struct cert_type_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    return enterprise_store_cert_types(db, out, err);
}

int cert_issue(struct db *db, const struct auth_principal *who, const struct cert_request *in,
               const char *request_id, struct certificate *out, struct app_error *err)
{
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "crypto", NULL, "libsodium 初始化失败");
    struct cert_type t;
    bool found = false;
    if (!in->type_code || !*in->type_code)
        return app_fail(err, APP_ERR_INVALID, "required", "type_code", "缺少证明类型");
    if (enterprise_store_cert_type(db, in->type_code, &t, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_INVALID, "unknown_type", "type_code", "未知证明类型");
    if (!t.issued)
        return app_fail(err, APP_ERR_INVALID, "abolished", "type_code",
                        "“%s”已取消，不再由社区开具：%s", t.name, t.replacement);
    if (!in->holder_name || !*in->holder_name || strlen(in->holder_name) > 60)
        return app_fail(err, APP_ERR_INVALID, "required", "holder_name", "缺少申请人姓名");
    struct org_region r = {0};
    struct app_error rerr = {0};
    if (!in->community || org_region_get(db, in->community, &r, &rerr) ||
        strcmp(r.level, "community") != 0) {
        org_region_release(&r);
        return app_fail(err, APP_ERR_INVALID, "bad_community", "community", "未知社区编码");
    }
    org_region_release(&r);
    if (who && !auth_region_in_scope(who, in->community))
        return app_fail(err, APP_ERR_NOT_FOUND, "outside_scope", "community",
                        "该社区不在您的辖区内");
    if (in->purpose && strlen(in->purpose) > 120)
        return app_fail(err, APP_ERR_INVALID, "too_long", "purpose", "用途过长");

    struct certificate c = {0};
    int64_t now = clock_now();
    c.requested_at = in->requested_at ? in->requested_at : now;
    c.issued_at = in->issued_at                                       ? in->issued_at
                  : in->requested_at && in->requested_at < now - 7200 ? in->requested_at + 7200
                                                                      : now;
    char date[16], prefix[16];
    clock_format_date(c.issued_at, date, sizeof(date));
    /* ZM + YYYYMMDD of issue + 5-digit sequence of the day */
    snprintf(prefix, sizeof(prefix), "ZM%.4s%.2s%.2s", date, date + 5, date + 8);
    struct cert_key k;
    long n = 0;
    bool own = !db_in_transaction(db); /* inside cert_request_issue's transaction, or its own */
    if (own && db_begin(db, err))
        return -1;
    if (signing_key(db, &k, err) || enterprise_store_cert_count_day(db, prefix, &n, err))
        goto fail;
    snprintf(c.serial, sizeof(c.serial), "%.10s%05ld", prefix, (n + 1) % 100000);
    snprintf(c.type_code, sizeof(c.type_code), "%s", t.code);
    snprintf(c.type_name, sizeof(c.type_name), "%s", t.name);
    snprintf(c.community, sizeof(c.community), "%s", in->community);
    cert_mask_name(in->holder_name, c.holder_masked, sizeof(c.holder_masked));
    snprintf(c.purpose, sizeof(c.purpose), "%s", in->purpose ? in->purpose : "");
    c.key_id = k.id;
    c.synthetic = in->synthetic;
    char text[512];
    cert_text(&c, text, sizeof(text));
    unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
    if (sodium_hex2bin(sk, sizeof(sk), k.secret_key, strlen(k.secret_key), NULL, NULL, NULL)) {
        app_fail(err, APP_ERR_INTERNAL, "bad_key", NULL, "签名密钥损坏");
        goto fail;
    }
    crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), sk);
    sodium_memzero(sk, sizeof(sk));
    sodium_bin2hex(c.signature, sizeof(c.signature), sig, sizeof(sig));
    struct audit_entry e = {.actor = who,
                            .action = "enterprise.cert_issue",
                            .object_type = "certificate",
                            .object_id = c.serial,
                            .request_id = request_id,
                            .after = text,
                            .region = c.community};
    if (enterprise_store_cert_insert(db, &c, err) || audit_append(db, &e, err) ||
        (own && db_commit(db, err)))
        goto fail;
    if (out)
        *out = c;
    return 0;
fail:
    if (own)
        db_rollback(db);
    return -1;
}

int cert_revoke(struct db *db, const struct auth_principal *who, const char *serial,
                const char *reason, const char *request_id, struct app_error *err)
{
    if (!reason || !*reason || strlen(reason) > 120)
        return app_fail(err, APP_ERR_INVALID, "required", "reason", "请填写撤销原因 (至多120字节)");
    struct certificate c;
    bool found = false;
    if (db_begin(db, err))
        return -1;
    if (enterprise_store_cert_get(db, serial ? serial : "", &c, &found, err))
        goto fail;
    if (!found || (who && !auth_region_in_scope(who, c.community))) {
        app_fail(err, APP_ERR_NOT_FOUND, "not_found", "serial", "未找到该证明");
        goto fail;
    }
    if (c.revoked_at) {
        app_fail(err, APP_ERR_CONFLICT, "already_revoked", "serial", "该证明已撤销");
        goto fail;
    }
    char after[200];
    snprintf(after, sizeof(after), "revoked;reason=%s", reason);
    struct audit_entry e = {.actor = who,
                            .action = "enterprise.cert_revoke",
                            .object_type = "certificate",
                            .object_id = c.serial,
                            .request_id = request_id,
                            .after = after,
                            .region = c.community};
    if (enterprise_store_cert_revoke(db, c.serial, clock_now(), reason, err) ||
        audit_append(db, &e, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int cert_list(struct db *db, const struct auth_principal *who, struct certificate_list *out,
              struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (enterprise_store_cert_list(db, out, err))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (!who || auth_region_in_scope(who, out->items[i].community))
            out->items[k++] = out->items[i];
    out->len = k;
    return 0;
}

int cert_verify(struct db *db, const char *serial, const char *sig_hex, struct certificate *out,
                int *status, struct app_error *err)
{
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "crypto", NULL, "libsodium 初始化失败");
    bool found = false;
    memset(out, 0, sizeof(*out));
    *status = CERT_UNKNOWN;
    if (!serial || !*serial || strlen(serial) > 23)
        return 0;
    if (enterprise_store_cert_get(db, serial, out, &found, err))
        return -1;
    if (!found) {
        memset(out, 0, sizeof(*out));
        return 0;
    }
    struct cert_key k;
    bool kfound = false;
    if (enterprise_store_cert_key(db, out->key_id, &k, &kfound, err))
        return -1;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    char text[512];
    cert_text(out, text, sizeof(text));
    bool good =
        kfound &&
        !sodium_hex2bin(pk, sizeof(pk), k.public_key, strlen(k.public_key), NULL, NULL, NULL) &&
        !sodium_hex2bin(sig, sizeof(sig), out->signature, strlen(out->signature), NULL, NULL,
                        NULL) &&
        crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), pk) == 0;
    /* the QR code carries the signature: a paper whose code differs from the record is forged */
    if (good && sig_hex && *sig_hex &&
        (strlen(sig_hex) != strlen(out->signature) ||
         sodium_memcmp(sig_hex, out->signature, strlen(out->signature)) != 0))
        good = false;
    *status = !good ? CERT_FORGED : out->revoked_at ? CERT_REVOKED : CERT_VALID;
    return 0;
}

int cert_figures(struct db *db, struct cert_figures *out, struct app_error *err)
{
    if (enterprise_store_cert_figures(db, out, err))
        return -1;
    out->reduction_permille = cert_reduction_permille(out->types_total, out->types_issued);
    return 0;
}

/* ---- a resident's online request ------------------------------------------------------------ */

static bool phone_ok(const char *p)
{
    if (!p || strlen(p) != 11 || p[0] != '1')
        return false;
    for (int i = 0; i < 11; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

int cert_request_create(struct db *db, const struct cert_request_input *in, int64_t *id,
                        struct app_error *err)
{
    struct cert_type t;
    bool found = false;
    if (!in->type_code || !*in->type_code)
        return app_fail(err, APP_ERR_INVALID, "required", "type_code", "请选择证明类型");
    if (enterprise_store_cert_type(db, in->type_code, &t, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_INVALID, "unknown_type", "type_code", "未知证明类型");
    if (!t.issued)
        return app_fail(err, APP_ERR_INVALID, "abolished", "type_code",
                        "“%s”已取消，无需到社区开具：%s", t.name, t.replacement);
    struct org_region r = {0};
    struct app_error rerr = {0};
    bool community = in->community && org_region_get(db, in->community, &r, &rerr) == 0 &&
                     strcmp(r.level, "community") == 0;
    org_region_release(&r);
    if (!community)
        return app_fail(err, APP_ERR_INVALID, "bad_community", "community", "请选择所在社区");
    if (!in->holder_name || !*in->holder_name || strlen(in->holder_name) > 60)
        return app_fail(err, APP_ERR_INVALID, "required", "holder_name", "请填写申请人姓名");
    if (!phone_ok(in->phone))
        return app_fail(err, APP_ERR_INVALID, "bad_phone", "phone", "请填写 11 位手机号码");
    if (in->purpose && strlen(in->purpose) > 120)
        return app_fail(err, APP_ERR_INVALID, "too_long", "purpose", "用途过长");
    if (db_begin(db, err))
        return -1;
    char sid[24], after[160];
    if (enterprise_store_request_insert(db, in, clock_now(), id, err))
        goto fail;
    snprintf(sid, sizeof(sid), "%lld", (long long)*id);
    snprintf(after, sizeof(after), "type=%s;community=%s", in->type_code, in->community);
    struct audit_entry e = {.action = "enterprise.cert_request",
                            .object_type = "cert_request",
                            .object_id = sid,
                            .after = after,
                            .region = in->community};
    if (audit_append(db, &e, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int cert_request_list(struct db *db, const struct auth_principal *who,
                      struct cert_request_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (enterprise_store_request_list(db, out, err))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (!who || auth_region_in_scope(who, out->items[i].community))
            out->items[k++] = out->items[i];
    out->len = k;
    return 0;
}

int cert_request_issue(struct db *db, const struct auth_principal *who, int64_t id,
                       const char *request_id, struct certificate *out, struct app_error *err)
{
    struct cert_request_row q;
    bool found = false;
    if (enterprise_store_request_get(db, id, &q, &found, err))
        return -1;
    if (!found || (who && !auth_region_in_scope(who, q.community)))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "id", "未找到该申请");
    if (q.serial[0])
        return app_fail(err, APP_ERR_CONFLICT, "already_issued", "id", "该申请已开具：%s",
                        q.serial);
    struct cert_request in = {.type_code = q.type_code,
                              .community = q.community,
                              .holder_name = q.holder_name,
                              .purpose = q.purpose,
                              .requested_at = q.requested_at,
                              .issued_at = clock_now()};
    struct certificate c;
    if (db_begin(db, err))
        return -1;
    if (cert_issue(db, who, &in, request_id, &c, err) ||
        enterprise_store_request_done(db, id, c.serial, err) || db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    if (out)
        *out = c;
    return 0;
}
