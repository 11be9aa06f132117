/* Text → features for the dispatch classifier: normalisation, hashed character n-grams and the
 * labelled CSV reader. Pure functions, no I/O. */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/xalloc.h"
#include "dispatch/dispatch.h"

/* Decode one UTF-8 sequence at s[*i..len); invalid bytes give 0 and advance by one. */
static uint32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    int n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0)
        n = 1, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
        n = 2, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
        n = 3, cp = c & 0x07;
    else {
        (*i)++;
        return 0;
    }
    if (*i + (size_t)n >= len) {
        (*i)++;
        return 0;
    }
    for (int k = 1; k <= n; k++) {
        if ((s[*i + k] & 0xc0) != 0x80) {
            (*i)++;
            return 0;
        }
        cp = (cp << 6) | (s[*i + k] & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        (*i)++;
        return 0;
    }
    *i += (size_t)n + 1;
    return cp;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
           c == 0x3000 || c == 0xa0 || (c >= 0x2000 && c <= 0x200b) || c == 0xfeff;
}

size_t dispatch_normalise(const char *text, size_t len, uint32_t *out, size_t max)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, n = 0;
    int pending_space = 0;
    while (i < len && n < max) {
        uint32_t c = next_cp(s, len, &i);
        if (c == 0 || (c < 0x20 && !is_space(c)) || c == 0x7f)
            continue;
        if (is_space(c)) {
            pending_space = n > 0;
            continue;
        }
        if (c >= 0xff01 && c <= 0xff5e) /* full-width ASCII forms, as NFKC maps them */
            c -= 0xfee0;
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (pending_space) {
            out[n++] = ' ';
            pending_space = 0;
            if (n == max)
                break;
        }
        out[n++] = c;
    }
    return n;
}

uint32_t dispatch_hash(const uint32_t *cps, size_t n, unsigned bits)
{
    /* FNV-1a over the code points' four bytes, seeded by the gram's length */
    uint32_t h = 2166136261u ^ (uint32_t)n;
    h *= 16777619u;
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 4; b++) {
            h ^= (cps[i] >> (8 * b)) & 0xff;
            h *= 16777619u;
        }
    /* final avalanche so the low bits depend on every byte */
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    return (h & ((1u << bits) - 1)) + 1;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void dispatch_count(const char *text, size_t len, unsigned bits, struct dispatch_vec *out)
{
    out->len = 0;
    uint32_t *cps = xmalloc(sizeof(uint32_t) *
                            (len < DISPATCH_MAX_CODEPOINTS ? len + 1 : DISPATCH_MAX_CODEPOINTS));
    size_t ncp =
        dispatch_normalise(text ? text : "", text ? len : 0, cps,
                           len < DISPATCH_MAX_CODEPOINTS ? len + 1 : DISPATCH_MAX_CODEPOINTS);
    size_t total = 0;
    for (size_t n = DISPATCH_NGRAM_MIN; n <= DISPATCH_NGRAM_MAX; n++)
        if (ncp >= n)
            total += ncp - n + 1;
    uint32_t *h = xmalloc(sizeof(uint32_t) * (total + 1));
    size_t k = 0;
    for (size_t n = DISPATCH_NGRAM_MIN; n <= DISPATCH_NGRAM_MAX; n++)
        for (size_t i = 0; i + n <= ncp; i++) {
            /* a gram of spaces only carries nothing */
            if (n == 1 && cps[i] == ' ')
                continue;
            h[k++] = dispatch_hash(cps + i, n, bits);
        }
    qsort(h, k, sizeof(*h), cmp_u32);
    if (out->cap < k) {
        out->cap = k;
        out->idx = xrealloc(out->idx, sizeof(*out->idx) * (k ? k : 1));
        out->val = xrealloc(out->val, sizeof(*out->val) * (k ? k : 1));
    }
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && h[j] == h[i])
            j++;
        out->idx[out->len] = h[i];
        out->val[out->len] = (float)(j - i);
        out->len++;
        i = j;
    }
    free(h);
    free(cps);
}

void dispatch_vec_release(struct dispatch_vec *v)
{
    free(v->idx);
    free(v->val);
    memset(v, 0, sizeof(*v));
}

void dispatch_set_release(struct dispatch_set *s)
{
    for (size_t i = 0; i < s->len; i++) {
        free((char *)s->items[i].label);
        free((char *)s->items[i].text);
    }
    free(s->items);
    memset(s, 0, sizeof(*s));
}

int dispatch_set_parse(const char *data, size_t len, struct dispatch_set *out,
                       struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    struct csv_reader r;
    csv_init(&r, data, len);
    int rc = csv_next(&r, err);
    if (rc <= 0) {
        csv_release(&r);
        return rc < 0 ? -1
                      : app_fail(err, APP_ERR_INVALID, "no_header", "label",
                                 "the file is empty: a header label,text is needed");
    }
    int lc = csv_column(&r, "label"), tc = csv_column(&r, "text");
    if (lc < 0 || tc < 0) {
        csv_release(&r);
        return app_fail(err, APP_ERR_INVALID, "missing_column", lc < 0 ? "label" : "text",
                        "the header has no %s column (a header label,text is needed)",
                        lc < 0 ? "label" : "text");
    }
    while ((rc = csv_next(&r, err)) > 0) {
        const char *lab = lc < r.nfields ? r.fields[lc] : "";
        const char *txt = tc < r.nfields ? r.fields[tc] : "";
        while (*lab == ' ')
            lab++;
        if (!*lab || strlen(lab) >= DISPATCH_CLASS_MAX) {
            rc = app_fail(err, APP_ERR_INVALID, "bad_label", "label", "line %d: the label is %s",
                          r.line, *lab ? "too long" : "empty");
            break;
        }
        XGROW(out);
        out->items[out->len].label = xstrdup(lab);
        out->items[out->len].text = xstrdup(txt);
        out->len++;
    }
    csv_release(&r);
    if (rc < 0) {
        dispatch_set_release(out);
        return -1;
    }
    if (out->len == 0)
        return app_fail(err, APP_ERR_INVALID, "no_rows", "label", "the file has no rows");
    return 0;
}
