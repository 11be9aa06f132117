/* Masking of phone and ID-card numbers. */
#include "core/privacy.h"

#include <stdio.h>
#include <string.h>

static void mask(const char *s, size_t keep_head, size_t keep_tail, char *out, size_t n)
{
    size_t len = s ? strlen(s) : 0;
    if (n == 0)
        return;
    if (len == 0) {
        out[0] = '\0';
        return;
    }
    if (len <= keep_tail) {
        snprintf(out, n, "%.*s", (int)len, "****************");
        return;
    }
    if (len < keep_head + keep_tail + 1)
        keep_head = 0;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < n; i++)
        out[o++] = (i < keep_head || i >= len - keep_tail) ? s[i] : '*';
    out[o] = '\0';
}

void privacy_mask_phone(const char *phone, char *out, size_t n)
{
    size_t len = phone ? strlen(phone) : 0;
    mask(phone, len == 11 ? 3 : 0, 4, out, n);
}

void privacy_mask_id_card(const char *id, char *out, size_t n)
{
    mask(id, 4, 4, out, n);
}
