/* libmicrohttpd glue: one access handler that gathers the body, runs the gate and the router,
 * and turns struct http_response into an MHD response; plus streaming, logging and shutdown. */
#include "http/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/accept.h"
#include "http/internal.h"
#include "http/proxy.h"
#include "http/router.h"

struct server {
    struct MHD_Daemon *d;
    struct app *app;
    unsigned port;
    pthread_t ticker;
    bool ticker_running;
    atomic_bool ticker_stop;
    struct proxy_list proxies;      /* the trusted_proxies setting, parsed at start */
    struct http_acceptor *acceptor; /* accepts and judges request lines (accept.h) */
};

/* State of one request, from the first callback to completion. */
struct exchange {
    struct server *srv;
    struct MHD_Connection *conn;
    struct buf body;
    bool too_large;
    uint64_t received; /* body bytes received so far, kept or not */
    double t0;
    char request_id[24];
    char method[16];
    char *path;
    int status;
    uint64_t bytes;
    struct http_stream stream; /* owned here once the response is queued */
    struct buf pending;        /* stream bytes not yet handed to MHD */
    size_t pending_off;
    bool stream_done;
};

static atomic_int in_flight;
static atomic_uint_fast64_t request_counter;
static uint32_t request_salt;

/* Streams with nothing to send wait suspended in this list until a publish wakes them. Every
 * wake bumps wake_gen (under waiting_lock), so a stream that found nothing can tell whether a
 * message arrived between its look and its suspension, and look again instead of sleeping. */
static pthread_mutex_t waiting_lock = PTHREAD_MUTEX_INITIALIZER;
static struct MHD_Connection **waiting;
static size_t nwaiting, capwaiting;
static atomic_uint wake_gen;

void http_streams_wake(void)
{
    pthread_mutex_lock(&waiting_lock);
    atomic_fetch_add(&wake_gen, 1);
    for (size_t i = 0; i < nwaiting; i++)
        MHD_resume_connection(waiting[i]);
    nwaiting = 0;
    pthread_mutex_unlock(&waiting_lock);
}

static void *ticker(void *arg)
{
    struct server *s = arg;
    /* Wake waiting streams once a second so they can send keep-alives and notice shutdown;
     * look at the stop flag every 50 ms so server_stop joins without delay. */
    for (int tick = 1; !atomic_load(&s->ticker_stop); tick++) {
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
        if (tick % 20 == 0)
            http_streams_wake();
    }
    return NULL;
}

static ssize_t stream_reader(void *cls, uint64_t pos, char *out, size_t max)
{
    struct exchange *x = cls;
    (void)pos;
    if (x->pending_off >= x->pending.len) {
        buf_reset(&x->pending);
        x->pending_off = 0;
        for (;;) {
            if (x->stream_done || atomic_load(&x->srv->app->stopping))
                return MHD_CONTENT_READER_END_OF_STREAM;
            unsigned gen = atomic_load(&wake_gen);
            if (x->stream.next(x->stream.state, &x->pending) == 1)
                x->stream_done = true;
            if (x->pending.len > 0)
                break;
            if (x->stream_done)
                return MHD_CONTENT_READER_END_OF_STREAM;
            pthread_mutex_lock(&waiting_lock);
            /* A wake since our look (a publish, or shutdown) means: look again. Checking
             * stopping under the lock guarantees that nothing suspends after server_stop's
             * last wake, so MHD_stop_daemon never meets a suspended connection. */
            if (gen != atomic_load(&wake_gen) || atomic_load(&x->srv->app->stopping)) {
                pthread_mutex_unlock(&waiting_lock);
                continue;
            }
            if (nwaiting == capwaiting) {
                capwaiting = capwaiting ? capwaiting * 2 : 16;
                waiting = xrealloc(waiting, capwaiting * sizeof(*waiting));
            }
            waiting[nwaiting++] = x->conn;
            MHD_suspend_connection(x->conn);
            pthread_mutex_unlock(&waiting_lock);
            return 0;
        }
    }
    size_t n = x->pending.len - x->pending_off;
    if (n > max)
        n = max;
    memcpy(out, x->pending.data + x->pending_off, n);
    x->pending_off += n;
    x->bytes += n;
    return (ssize_t)n;
}

static void exchange_free(struct exchange *x)
{
    if (!x)
        return;
    if (x->stream.free)
        x->stream.free(x->stream.state);
    buf_release(&x->body);
    buf_release(&x->pending);
    free(x->path);
    free(x);
}

static void add_security_headers(struct MHD_Response *r, const char *content_type)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    if (strncmp(content_type, "text/html", 9) == 0)
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; "
                                "style-src 'self' 'unsafe-inline'; connect-src 'self'; "
                                "object-src 'none'; base-uri 'self'; frame-ancestors 'none'");
    else
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
}

static enum MHD_Result queue(struct exchange *x, struct http_request *req,
                             struct http_response *resp)
{
    struct MHD_Response *r;
    if (resp->stream.next) {
        x->stream = resp->stream;
        memset(&resp->stream, 0, sizeof(resp->stream));
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_reader, x, NULL);
    } else {
        x->bytes = resp->body.len;
        r = MHD_create_response_from_buffer(resp->body.len, (void *)buf_cstr(&resp->body),
                                            MHD_RESPMEM_MUST_COPY);
    }
    if (!r)
        return MHD_NO;
    if (req)
        http_add_common_headers(req, resp);
    if (!resp->content_type[0])
        snprintf(resp->content_type, sizeof(resp->content_type), "application/json");
    MHD_add_response_header(r, "Content-Type", resp->content_type);
    MHD_add_response_header(r, "X-Request-Id", x->request_id);
    add_security_headers(r, resp->content_type);
    /* RFC 9112 9.3 leaves idle closing to either side; telling the client when we close lets it
     * stop reusing a connection before we drop it, instead of racing the close. */
    char keep[32];
    snprintf(keep, sizeof(keep), "timeout=%u", (unsigned)x->srv->app->cfg.idle_timeout);
    MHD_add_response_header(r, "Keep-Alive", keep);
    bool has_cache = false;
    for (int i = 0; i < resp->nheaders; i++) {
        MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
        has_cache |= strcasecmp(resp->headers[i].name, "Cache-Control") == 0;
    }
    if (!has_cache)
        MHD_add_response_header(r, "Cache-Control", "no-store");
    x->status = resp->status ? resp->status : 200;
    enum MHD_Result ret = MHD_queue_response(x->conn, (unsigned)x->status, r);
    MHD_destroy_response(r);
    return ret;
}

static void response_release(struct http_response *resp)
{
    buf_release(&resp->body);
    for (int i = 0; i < resp->nheaders; i++) {
        free(resp->headers[i].name);
        free(resp->headers[i].value);
    }
    if (resp->stream.free)
        resp->stream.free(resp->stream.state);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr ||
        getnameinfo(ci->client_addr,
                    ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in),
                    out, (socklen_t)n, NULL, 0, NI_NUMERICHOST))
        snprintf(out, n, "unknown");
}

/* Query arguments must be UTF-8 text: the first one that is not is reported. */
struct bad_arg {
    char field[64];
    bool found;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct bad_arg *b = cls;
    (void)kind;
    if (b->found)
        return MHD_NO;
    bool key_ok = utf8_valid(key, strlen(key));
    if (key_ok && (!value || utf8_valid(value, strlen(value))))
        return MHD_YES;
    b->found = true;
    snprintf(b->field, sizeof(b->field), "%s",
             key_ok && strlen(key) < sizeof(b->field) ? key : "query");
    return MHD_NO;
}

/* A path is UTF-8 without control characters (a decoded %00 arrives as 0xFF, see unescape). */
static bool path_ok(const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return utf8_valid(path, strlen(path));
}

static enum MHD_Result dispatch(struct exchange *x)
{
    struct app *app = x->srv->app;
    struct http_request req = {0};
    struct http_response resp = {0};
    char peer[64], addr[64], allow[64];
    client_address(x->conn, peer, sizeof(peer));
    /* Behind a trusted reverse proxy the client is the one it names, and TLS is what it says. */
    proxy_client(&x->srv->proxies, peer,
                 MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "X-Forwarded-For"), addr,
                 sizeof(addr));
    req.tls = proxy_tls(&x->srv->proxies, peer,
                        MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "X-Forwarded-Proto"));
    req.app = app;
    req.method = x->method;
    req.path = x->path;
    req.request_id = x->request_id;
    req.client_addr = addr;
    req.body = buf_cstr(&x->body);
    req.body_len = x->body.len;
    req.conn = x->conn;
    req.db = app_db(app);

    struct bad_arg bad = {{0}, false};
    bool path_good = path_ok(x->path);
    if (path_good)
        MHD_get_connection_values(x->conn, MHD_GET_ARGUMENT_KIND, check_arg, &bad);
    enum router_result rr =
        path_good && !bad.found
            ? router_match(http_route_tables, x->method, x->path, &req, allow, sizeof(allow))
            : ROUTER_NOT_FOUND;
    if (!path_good)
        http_reply_problem(&resp, APP_ERR_INVALID, "invalid_path", "path",
                           "the path is not UTF-8 text");
    else if (bad.found)
        http_reply_problem(&resp, APP_ERR_INVALID, "invalid_utf8", bad.field,
                           "query argument %s is not UTF-8 text", bad.field);
    else if (!req.db)
        http_reply_problem(&resp, APP_ERR_UNAVAILABLE, "database", NULL, "database unavailable");
    else if (rr == ROUTER_NOT_FOUND)
        http_reply_problem(&resp, APP_ERR_NOT_FOUND, "no_route", NULL, "no such resource: %s",
                           x->path);
    else if (rr == ROUTER_BAD_METHOD) {
        http_reply_problem(&resp, APP_ERR_METHOD, "method_not_allowed", NULL,
                           "%s is not allowed here; use %s", x->method, allow);
        http_set_header(&resp, "Allow", allow);
    } else if (x->too_large)
        http_reply_problem(&resp, APP_ERR_TOO_LARGE, "body_too_large", "body",
                           "request body exceeds %ld bytes", app->cfg.body_limit);
    else if (http_gate(&req, &resp) == 0)
        req.route->fn(&req, &resp);
    if (!resp.status)
        http_reply_problem(&resp, APP_ERR_INTERNAL, "no_reply", NULL, "handler gave no reply");
    enum MHD_Result ret = queue(x, rr == ROUTER_FOUND ? &req : NULL, &resp);
    response_release(&resp);
    router_release(&req);
    return ret;
}

/* Is a Content-Length value over limit? Digits only (RFC 9110 8.6); anything else or an
 * overflowing number counts as over, so it is refused rather than trusted. */
static bool content_length_over(const char *cl, uint64_t limit)
{
    uint64_t v = 0;
    if (!*cl)
        return true;
    for (const char *p = cl; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return true;
        if (v > (UINT64_MAX - 9) / 10)
            return true;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    return v > limit;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct exchange *x = *con_cls;
    (void)version;
    if (!x) {
        x = xcalloc(1, sizeof(*x));
        x->srv = srv;
        x->conn = conn;
        x->t0 = clock_mono_ms();
        snprintf(x->request_id, sizeof(x->request_id), "%08x%08llx", request_salt,
                 (unsigned long long)atomic_fetch_add(&request_counter, 1));
        snprintf(x->method, sizeof(x->method), "%s", method);
        x->path = xstrdup(url);
        atomic_fetch_add(&in_flight, 1);
        *con_cls = x;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        /* Refuse an announced oversize body now, before reading it: the answer goes out at
         * once and MHD closes the connection instead of reading the rest. */
        if (cl && content_length_over(cl, (uint64_t)srv->app->cfg.body_limit)) {
            x->too_large = true;
            return dispatch(x);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t limit = (size_t)srv->app->cfg.body_limit;
        x->received += *upload_size;
        if (!x->too_large && *upload_size > limit - x->body.len) {
            x->too_large = true;
            buf_release(&x->body);
        }
        if (!x->too_large) {
            buf_append(&x->body, upload_data, *upload_size);
        } else {
            /* A chunked body has no length to refuse up front, and libmicrohttpd 0.9.75 cannot
             * queue an answer in mid-body: drain it, keeping nothing, and answer 413 at its end.
             * A body that goes on past twice the limit gets the connection closed instead. */
            if (x->received > 2 * (uint64_t)limit)
                return MHD_NO;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return dispatch(x);
}

/* Copy s for the access log with control bytes, backslashes and (in text that is not UTF-8)
 * bytes over 0x7f written as \xHH, so a request cannot forge or break log lines. */
static void log_escape(const char *s, char *out, size_t n)
{
    bool utf8 = utf8_valid(s, strlen(s));
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < n; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\' || (*p >= 0x80 && !utf8))
            o += (size_t)snprintf(out + o, n - o, "\\x%02x", *p);
        else
            out[o++] = (char)*p;
    }
    out[o] = '\0';
}

/* Percent-decoding of the path and query (RFC 3986 2.1), as libmicrohttpd's own, except that
 * %00 decodes to the byte 0xFF: a NUL would silently cut the string short ("/healthz%00x"
 * reaching /healthz), while 0xFF is never UTF-8, so the request is refused with 400. */
static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    char *w = s;
    (void)cls;
    (void)c;
    for (const char *r = s; *r;) {
        if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
            int v = hexval(r[1]) * 16 + hexval(r[2]);
            *w++ = (char)(v ? v : 0xff);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct exchange *x = *con_cls;
    (void)cls;
    (void)conn;
    if (!x)
        return;
    char method[64], path[512];
    log_escape(x->method, method, sizeof(method));
    log_escape(x->path, path, sizeof(path));
    log_info("%s %s %d %llu %.1fms %s%s", method, path, x->status, (unsigned long long)x->bytes,
             clock_mono_ms() - x->t0, x->request_id,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    exchange_free(x);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, struct app_error *err)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
    char *h = host;
    size_t hl = strlen(h);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h[hl - 1] = '\0';
        h++;
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(strcmp(h, "*") == 0 ? NULL : h, colon + 1, &hints, &res) || !res)
        return app_fail(err, APP_ERR_INVALID, "invalid_setting", "listen",
                        "setting listen: cannot resolve \"%s\"", listen);
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}

/* Each connection holds a file descriptor, each worker's SQLite connection about four: raise the
 * soft limit toward the hard one (the service unit's LimitNOFILE) so max_connections can be met,
 * and say so when it cannot. */
static void fit_fd_limit(const struct config *cfg)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)cfg->max_connections + 64 + 4 * (rlim_t)cfg->threads;
    if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need)
        return;
    rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
    if (want > rl.rlim_cur) {
        rl.rlim_cur = want;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (want < need)
        log_warn("max_connections %ld needs %lu file descriptors, the limit is %lu: raise "
                 "LimitNOFILE (docs/deployment.md)",
                 (long)cfg->max_connections, (unsigned long)need, (unsigned long)want);
}

int server_start(struct app *app, struct server **out, struct app_error *err)
{
    fit_fd_limit(&app->cfg);
    struct sockaddr_storage ss;
    if (parse_listen(app->cfg.listen, &ss, err))
        return -1;
    struct server *s = xcalloc(1, sizeof(*s));
    s->app = app;
    if (proxy_parse(app->cfg.trusted_proxies, &s->proxies, err)) {
        free(s);
        return -1;
    }
    request_salt = (uint32_t)clock_now_real() ^ ((uint32_t)getpid() << 16);
    /* We listen and accept ourselves, so that a garbage request line gets its 400 (accept.h). */
    if (http_acceptor_bind((struct sockaddr *)&ss,
                           ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                    : sizeof(struct sockaddr_in),
                           &s->acceptor, &s->port, err)) {
        free(s);
        return app_fail(err, APP_ERR_UNAVAILABLE, "listen_failed", "listen",
                        "cannot listen on %s (address in use or not allowed)", app->cfg.listen);
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d =
        MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_THREAD_POOL_SIZE,
                         (unsigned)app->cfg.threads, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)app->cfg.max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)app->cfg.idle_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                         (size_t)app->cfg.header_limit, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
                         s, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!s->d || http_acceptor_run(s->acceptor, s->d, app->cfg.idle_timeout)) {
        http_acceptor_stop(s->acceptor);
        if (s->d)
            MHD_stop_daemon(s->d);
        free(s);
        return app_fail(err, APP_ERR_UNAVAILABLE, "listen_failed", "listen",
                        "cannot serve on %s (the HTTP server did not start)", app->cfg.listen);
    }
    s->ticker_running = pthread_create(&s->ticker, NULL, ticker, s) == 0;
    *out = s;
    return 0;
}

unsigned server_port(const struct server *s)
{
    return s->port;
}

void server_stop(struct server *s, int grace_ms)
{
    if (!s)
        return;
    /* Streams end once stopping is set and they are woken; plain requests run to the end. */
    atomic_store(&s->app->stopping, true);
    http_acceptor_stop(s->acceptor); /* no new connections */
    s->acceptor = NULL;
    double until = clock_mono_ms() + grace_ms;
    while (atomic_load(&in_flight) > 0 && clock_mono_ms() < until) {
        http_streams_wake();
        usleep(10000);
    }
    atomic_store(&s->ticker_stop, true);
    if (s->ticker_running)
        pthread_join(s->ticker, NULL);
    /* The last wake: with stopping set, no stream suspends after it (see stream_reader). */
    http_streams_wake();
    MHD_stop_daemon(s->d);
    free(s);
}
