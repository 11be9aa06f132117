/* A small RFC 4180 CSV reader over a buffer in memory: quoted fields, doubled quotes, CRLF or
 * LF, a leading UTF-8 BOM skipped, and the line number of each record for error messages. */
#ifndef CORE_CSV_H
#define CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define CSV_MAX_FIELDS 64

struct csv_reader {
    const char *p, *end;
    int line;        /* line where the current record started (1-based) */
    int next_line;
    char *fields[CSV_MAX_FIELDS];
    int nfields;
    char *storage;
    size_t storage_cap;
};

/* Read from data[0..len). The reader borrows data. */
void csv_init(struct csv_reader *r, const char *data, size_t len);
void csv_release(struct csv_reader *r);

/* Read the next record into r->fields / r->nfields. Returns 1 for a record, 0 at the end, -1
 * on malformed input (unterminated quote, too many fields, invalid UTF-8) with err naming the
 * line. Blank lines are skipped. */
int csv_next(struct csv_reader *r, struct app_error *err);

/* Index of the column named `name` in the current record (a header), or -1. */
int csv_column(const struct csv_reader *r, const char *name);

/* Is s[0..len) valid UTF-8 (no overlongs, no surrogates)? */
bool utf8_valid(const char *s, size_t len);

#endif
