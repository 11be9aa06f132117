/* app_error helpers: one place that fills error records and names codes. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = {
    [APP_OK] = "ok",
    [APP_ERR_INVALID] = "invalid",
    [APP_ERR_UNAUTHORIZED] = "unauthorized",
    [APP_ERR_FORBIDDEN] = "forbidden",
    [APP_ERR_NOT_FOUND] = "not_found",
    [APP_ERR_METHOD] = "method_not_allowed",
    [APP_ERR_CONFLICT] = "conflict",
    [APP_ERR_TOO_LARGE] = "too_large",
    [APP_ERR_UNSUPPORTED] = "unsupported_media_type",
    [APP_ERR_TOO_MANY] = "too_many_requests",
    [APP_ERR_UNAVAILABLE] = "unavailable",
    [APP_ERR_INTERNAL] = "internal",
};

const char *app_error_name(enum app_error_code code)
{
    if ((unsigned)code >= sizeof(names) / sizeof(names[0]))
        return "internal";
    return names[code];
}

void app_error_clear(struct app_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

/* After a truncating snprintf into buf (cap bytes, `wanted` the untruncated length), drop a
 * UTF-8 sequence cut in half at the end, so the message stays valid text for JSON. */
static void trim_cut_utf8(char *buf, int wanted, size_t cap)
{
    if (wanted < 0 || (size_t)wanted < cap || cap == 0)
        return;
    size_t len = strlen(buf), start = len;
    while (start > 0 && len - start < 4 && ((unsigned char)buf[start - 1] & 0xc0) == 0x80)
        start--;
    if (start == 0)
        return;
    unsigned char lead = (unsigned char)buf[start - 1];
    size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (len - (start - 1) < need)
        buf[start - 1] = '\0';
}

int app_fail(struct app_error *err, enum app_error_code code, const char *code_name,
             const char *field, const char *fmt, ...)
{
    if (!err)
        return -1;
    err->code = code;
    snprintf(err->code_name, sizeof(err->code_name), "%s",
             code_name ? code_name : app_error_name(code));
    int n = snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    trim_cut_utf8(err->field, n, sizeof(err->field));
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    trim_cut_utf8(err->message, n, sizeof(err->message));
    return -1;
}
