/* The helpers the files of src/parking/ share (parking_internal.h): Shanghai days and the
 * holiday calendar, secrets and their digests, scope, and a booking's audit text. */
#include "parking/parking_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/calendar.h"
#include "core/clock.h"

int64_t parking_day_of(int64_t t)
{
    int64_t x = t + CLOCK_CN_OFFSET;
    return x >= 0 ? x / 86400 : (x - 86399) / 86400;
}

/* Working-day flags for the days from parking_day_of(from) - 1 to parking_day_of(to). */
int parking_workdays(int64_t from, int64_t to, int64_t *first, bool *flags, size_t *n,
                     struct app_error *err)
{
    const struct calendar *cal = calendar_default();
    *first = parking_day_of(from) - 1;
    int64_t last = parking_day_of(to);
    *n = 0;
    for (int64_t d = *first; d <= last && *n < PARKING_MAX_DAYS; d++) {
        bool w;
        if (calendar_is_workday(cal, d, &w, err))
            return -1;
        flags[(*n)++] = w;
    }
    return 0;
}

void parking_sha256_hex(const char *s, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

void parking_new_secret(const char *prefix, char *out, size_t size)
{
    unsigned char raw[32];
    size_t p = strlen(prefix);
    randombytes_buf(raw, sizeof(raw));
    snprintf(out, size, "%s", prefix);
    sodium_bin2base64(out + p, size - p, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

bool parking_in_scope(const struct auth_principal *who, const char *action, const char *grid)
{
    return who && auth_may(who, action) && auth_region_in_scope(who, grid);
}

const char *parking_scope_of(const struct auth_principal *who)
{
    const char *s = auth_scope_region(who);
    return s ? s : "";
}

void parking_booking_text(const struct parking_booking *b, char *out, size_t n)
{
    snprintf(out, n, "lot=%s;plan=%lld;plate=%s;from=%lld;to=%lld;status=%s;in=%lld;out=%lld",
             b->lot_code, (long long)b->plan_id, b->plate, (long long)b->start, (long long)b->end,
             parking_status_name(b->status), (long long)b->in_at, (long long)b->out_at);
}

int parking_audit_booking(struct db *db, const struct auth_principal *who, const char *action,
                          const struct parking_booking *b, const char *before,
                          const char *request_id, struct app_error *err)
{
    char id[24], after[512];
    snprintf(id, sizeof(id), "%lld", (long long)b->id);
    parking_booking_text(b, after, sizeof(after));
    struct audit_entry e = {.actor = who,
                            .action = action,
                            .object_type = "parking_booking",
                            .object_id = id,
                            .request_id = request_id,
                            .before = before,
                            .after = after,
                            .region = b->grid};
    return audit_append(db, &e, err);
}

/* A booked booking whose car did not come within the grace period reads as no-show. */
void parking_effective_status(struct parking_booking *b, int64_t now)
{
    if (b->status == PARKING_BOOKED && now > b->start + PARKING_GRACE_S)
        b->status = PARKING_NO_SHOW;
}
