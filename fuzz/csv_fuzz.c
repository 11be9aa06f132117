/* Fuzz the CSV reader and utf8_valid: any bytes give records or a line-numbered error, never a
 * crash; every field handed out is valid UTF-8, and utf8_valid agrees with a plain decoder. */
#include <assert.h>

#include "core/csv.h"
#include "fuzz.h"

/* A second, independent reading of RFC 3629 section 4 (the well-formed byte sequences table). */
static bool utf8_reference(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned lo = 0x80, hi = 0xbf;
        if (c <= 0x7f)
            len = 1;
        else if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c == 0xe0)
            len = 3, lo = 0xa0;
        else if (c >= 0xe1 && c <= 0xec)
            len = 3;
        else if (c == 0xed)
            len = 3, hi = 0x9f;
        else if (c >= 0xee && c <= 0xef)
            len = 3;
        else if (c == 0xf0)
            len = 4, lo = 0x90;
        else if (c >= 0xf1 && c <= 0xf3)
            len = 4;
        else if (c == 0xf4)
            len = 4, hi = 0x8f;
        else
            return false;
        if (len > n - i)
            return false;
        for (size_t k = 1; k < len; k++) {
            unsigned b = s[i + k];
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf))
                return false;
        }
        i += len;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    assert(utf8_valid((const char *)data, size) == utf8_reference(data, size));
    struct csv_reader r;
    struct app_error err;
    csv_init(&r, (const char *)data, size);
    int rc, records = 0;
    while ((rc = csv_next(&r, &err)) == 1) {
        assert(r.nfields >= 1 && r.nfields <= CSV_MAX_FIELDS);
        assert(r.line >= 1);
        for (int i = 0; i < r.nfields; i++)
            assert(utf8_valid(r.fields[i], strlen(r.fields[i])));
        csv_column(&r, "code");
        records++;
    }
    if (rc < 0) {
        assert(err.code == APP_ERR_INVALID);
        assert(strcmp(err.field, "line") == 0);
    }
    csv_release(&r);
    return 0;
}
