/* Allocators that never return NULL: on exhaustion they log one line and abort. */
#ifndef CORE_XALLOC_H
#define CORE_XALLOC_H

#include <stddef.h>

/* Report that n bytes cannot be allocated, then abort. */
_Noreturn void xalloc_die(size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Duplicate s (NULL gives NULL). The caller frees the result. */
char *xstrdup(const char *s);
/* Duplicate at most n bytes of s and terminate. The caller frees the result. */
char *xstrndup(const char *s, size_t n);

/* Make room for one more item in a list struct with members items, len and cap (doubling). */
#define XGROW(list)                                                                                \
    do {                                                                                           \
        if ((list)->len == (list)->cap) {                                                          \
            (list)->cap = (list)->cap ? (list)->cap * 2 : 16;                                      \
            (list)->items = xrealloc((list)->items, (list)->cap * sizeof(*(list)->items));         \
        }                                                                                          \
    } while (0)

#endif
