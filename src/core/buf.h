/* The one growable string type. Always NUL-terminated; data may hold NUL bytes too. */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* NULL until the first append; buf_cstr never returns NULL */
    size_t len;
    size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* length 0, keeps the memory */
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s with CSV quoting (RFC 4180) when it holds a comma, quote or newline. */
void buf_put_csv(struct buf *b, const char *s);
const char *buf_cstr(const struct buf *b);
/* Hand the bytes to the caller, who frees them; b is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
