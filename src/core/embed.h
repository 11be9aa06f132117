/* Files compiled into the binary by tools/embed.c: migrations and the district's reference data. */
#ifndef CORE_EMBED_H
#define CORE_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *name; /* path as given at build time, e.g. "data/cn-holidays.csv" */
    const char *data; /* NUL-terminated */
    size_t len;
};

/* The migrations (sql/migrations/NNNN_*.sql) in file-name order, terminated by {NULL}. */
extern const struct embed_file embed_migrations[];
/* The files of data/, terminated by {NULL}. */
extern const struct embed_file embed_data[];

/* The data file whose name ends with `suffix` (e.g. "cn-holidays.csv"), or NULL. */
const struct embed_file *embed_find_data(const char *suffix);

#endif
