/* CSV reading and UTF-8 validation for imports. */
#include "core/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

bool utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int n;
        uint32_t cp;
        if ((c & 0xe0) == 0xc0)
            n = 1, cp = c & 0x1f;
        else if ((c & 0xf0) == 0xe0)
            n = 2, cp = c & 0x0f;
        else if ((c & 0xf8) == 0xf0)
            n = 3, cp = c & 0x07;
        else
            return false;
        if (i + (size_t)n >= len)
            return false;
        for (int k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += (size_t)n + 1;
    }
    return true;
}

void csv_init(struct csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->p = data;
    r->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->next_line = 1;
}

void csv_release(struct csv_reader *r)
{
    free(r->storage);
    r->storage = NULL;
}

int csv_next(struct csv_reader *r, struct app_error *err)
{
    /* Skip blank lines. */
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
        if (*r->p == '\n')
            r->next_line++;
        r->p++;
    }
    if (r->p >= r->end)
        return 0;
    r->line = r->next_line;
    size_t need = (size_t)(r->end - r->p) + CSV_MAX_FIELDS + 1;
    /* A record never needs more bytes than remain in the input plus terminators. */
    if (need > r->storage_cap) {
        r->storage = xrealloc(r->storage, need);
        r->storage_cap = need;
    }
    char *out = r->storage;
    r->nfields = 0;
    for (;;) {
        if (r->nfields == CSV_MAX_FIELDS)
            return app_fail(err, APP_ERR_INVALID, "csv_too_many_fields", "line",
                            "line %d: more than %d fields", r->line, CSV_MAX_FIELDS);
        r->fields[r->nfields++] = out;
        char *start = out;
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            for (;;) {
                if (r->p >= r->end)
                    return app_fail(err, APP_ERR_INVALID, "csv_unterminated_quote", "line",
                                    "line %d: a quoted field is not closed", r->line);
                if (*r->p == '"') {
                    if (r->p + 1 < r->end && r->p[1] == '"') {
                        *out++ = '"';
                        r->p += 2;
                        continue;
                    }
                    r->p++;
                    break;
                }
                if (*r->p == '\n')
                    r->next_line++;
                *out++ = *r->p++;
            }
        }
        while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
            *out++ = *r->p++;
        *out++ = '\0';
        if (!utf8_valid(start, strlen(start)))
            return app_fail(err, APP_ERR_INVALID, "invalid_utf8", "line",
                            "line %d: field %d is not valid UTF-8", r->line, r->nfields);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == '\r')
            r->p++;
        if (r->p < r->end && *r->p == '\n') {
            r->p++;
            r->next_line++;
        }
        return 1;
    }
}

int csv_column(const struct csv_reader *r, const char *name)
{
    for (int i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i], name) == 0)
            return i;
    return -1;
}
