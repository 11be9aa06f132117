/* The SSE hub: a ring of recent messages with increasing ids, and per-client cursors. */
#include "http/sse.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "http/internal.h"

#define RING 512
#define KEEPALIVE_S 15

struct message {
    uint64_t id;
    char *type, *scope, *data;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct message ring[RING];
static uint64_t last_id;

struct client {
    struct app *app;
    uint64_t seen;
    int64_t last_write;
    bool greeted;
    sse_filter filter;
    void *filter_state;
    void (*free_state)(void *);
};

void sse_publish(const char *type, const char *scope, const char *json_data)
{
    pthread_mutex_lock(&lock);
    struct message *m = &ring[++last_id % RING];
    free(m->type);
    free(m->scope);
    free(m->data);
    m->id = last_id;
    m->type = xstrdup(type);
    m->scope = xstrdup(scope ? scope : "");
    m->data = xstrdup(json_data);
    pthread_mutex_unlock(&lock);
    http_streams_wake();
}

static int client_next(void *state, struct buf *out)
{
    struct client *c = state;
    if (!c->greeted) {
        /* Tell the browser how soon to reconnect, and flush the headers at once. */
        buf_puts(out, "retry: 3000\n: connected\n\n");
        c->greeted = true;
    }
    if (atomic_load(&c->app->stopping))
        return 1;
    pthread_mutex_lock(&lock);
    if (c->seen + RING < last_id)
        c->seen = last_id - RING; /* fell behind: skip what the ring no longer holds */
    for (uint64_t id = c->seen + 1; id <= last_id; id++) {
        struct message *m = &ring[id % RING];
        if (!c->filter || c->filter(c->filter_state, m->type, m->scope))
            buf_printf(out, "id: %llu\nevent: %s\ndata: %s\n\n", (unsigned long long)m->id,
                       m->type, m->data);
    }
    c->seen = last_id;
    pthread_mutex_unlock(&lock);
    int64_t now = clock_now_real();
    if (out->len == 0 && now - c->last_write >= KEEPALIVE_S)
        buf_puts(out, ": keep-alive\n\n");
    if (out->len)
        c->last_write = now;
    return 0;
}

static void client_free(void *state)
{
    struct client *c = state;
    if (c && c->free_state)
        c->free_state(c->filter_state);
    free(c);
}

void sse_reply(struct http_response *resp, struct app *app, uint64_t from_id, sse_filter filter,
               void *filter_state, void (*free_state)(void *))
{
    struct client *c = xcalloc(1, sizeof(*c));
    c->app = app;
    pthread_mutex_lock(&lock);
    c->seen = from_id && from_id <= last_id ? from_id : last_id;
    pthread_mutex_unlock(&lock);
    c->last_write = clock_now_real();
    c->filter = filter;
    c->filter_state = filter_state;
    c->free_state = free_state;
    resp->status = 200;
    snprintf(resp->content_type, sizeof(resp->content_type), "text/event-stream; charset=utf-8");
    http_set_header(resp, "X-Accel-Buffering", "no");
    resp->stream = (struct http_stream){client_next, client_free, c};
}
