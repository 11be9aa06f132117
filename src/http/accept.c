/* Accepting connections and judging their request line before libmicrohttpd sees them (see
 * accept.h). One thread polls the listening socket and the connections still sending their
 * first line; a connection is peeked at (MSG_PEEK), never read, so libmicrohttpd reads the
 * request from its first byte. */
#include "http/accept.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

#define PEEK_MAX 2048 /* a valid prefix this long is handed over (MHD answers 414/431) */
#define PENDING_MAX 256

static bool tchar(unsigned char c)
{
    /* RFC 9110 5.6.2 token characters */
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

enum http_line_verdict http_request_line_check(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == '\r' || p[i] == '\n'))
        i++;
    size_t m = i;
    while (i < n && tchar((unsigned char)p[i]))
        i++;
    if (i == n)
        return i - m > 32 ? HTTP_LINE_BAD : HTTP_LINE_MORE;
    if (i == m || p[i] != ' ' || i - m > 32)
        return HTTP_LINE_BAD;
    size_t t = ++i;
    while (i < n && ((unsigned char)p[i] > 0x20 && (unsigned char)p[i] != 0x7f))
        i++;
    if (i == n)
        return n >= PEEK_MAX ? HTTP_LINE_GOOD : HTTP_LINE_MORE;
    if (i == t || p[i] != ' ')
        return HTTP_LINE_BAD;
    static const char version[] = "HTTP/1.";
    i++;
    for (size_t k = 0; k < sizeof(version) - 1; k++, i++) {
        if (i == n)
            return HTTP_LINE_MORE;
        if (p[i] != version[k])
            return HTTP_LINE_BAD;
    }
    if (i == n)
        return HTTP_LINE_MORE;
    if (p[i] < '0' || p[i] > '9')
        return HTTP_LINE_BAD;
    if (++i == n)
        return HTTP_LINE_MORE;
    if (p[i] == '\n')
        return HTTP_LINE_GOOD;
    if (p[i] != '\r')
        return HTTP_LINE_BAD;
    if (++i == n)
        return HTTP_LINE_MORE;
    return p[i] == '\n' ? HTTP_LINE_GOOD : HTTP_LINE_BAD;
}

struct pending {
    int fd;
    struct sockaddr_storage addr;
    socklen_t len;
    double deadline;
};

struct http_acceptor {
    int fd;
    struct MHD_Daemon *d;
    long idle_ms;
    pthread_t thread;
    bool running;
    atomic_bool stop;
    struct pending pend[PENDING_MAX];
    int npend;
    double resume_at, warned_at; /* clock_mono_ms: EMFILE back-off, and its last warning */
};

int http_acceptor_bind(const struct sockaddr *sa, socklen_t len, struct http_acceptor **out,
                       unsigned *port, struct app_error *err)
{
    int one = 1;
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, sa, len) || listen(fd, 511)) {
        if (fd >= 0)
            close(fd);
        return app_fail(err, APP_ERR_UNAVAILABLE, "listen_failed", "listen",
                        "cannot listen (address in use or not allowed): %s", strerror(errno));
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    *port = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port);
    struct http_acceptor *a = xcalloc(1, sizeof(*a));
    a->fd = fd;
    *out = a;
    return 0;
}

static void refuse(int fd)
{
    static const char body[] =
        "{\"type\":\"about:blank\",\"title\":\"请求无效 Bad Request\",\"status\":400,"
        "\"detail\":\"the request line is not HTTP/1.x\",\"code\":\"bad_request_line\"}";
    char msg[512];
    int n = snprintf(msg, sizeof(msg),
                     "HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     sizeof(body) - 1, body);
    ssize_t w = send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)w;
    shutdown(fd, SHUT_WR);
    close(fd);
}

static void drop(struct http_acceptor *a, int i)
{
    a->pend[i] = a->pend[--a->npend];
}

/* Look at pending connection i: 1 when it left the list (handed over or closed). */
static int look(struct http_acceptor *a, int i)
{
    char buf[PEEK_MAX];
    struct pending *p = &a->pend[i];
    ssize_t n = recv(p->fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    if (n <= 0) {
        close(p->fd);
        drop(a, i);
        return 1;
    }
    enum http_line_verdict v = http_request_line_check(buf, (size_t)n);
    if (v == HTTP_LINE_MORE)
        return 0;
    if (v == HTTP_LINE_BAD) {
        log_info("refused a connection whose first line is not HTTP/1.x (400)");
        refuse(p->fd);
    } else if (MHD_add_connection(a->d, p->fd, (struct sockaddr *)&p->addr, p->len) != MHD_YES) {
        log_warn("could not hand a connection to the HTTP server: %s", strerror(errno));
    }
    drop(a, i);
    return 1;
}

static void *run(void *arg)
{
    struct http_acceptor *a = arg;
    struct pollfd fds[PENDING_MAX + 1];
    while (!atomic_load(&a->stop)) {
        /* Out of file descriptors, the listen socket stays readable: stop looking at it for a
         * moment instead of spinning on accept's EMFILE (the kernel keeps the backlog). */
        bool listen_now = a->npend < PENDING_MAX && clock_mono_ms() >= a->resume_at;
        fds[0] = (struct pollfd){.fd = a->fd, .events = listen_now ? POLLIN : 0};
        for (int i = 0; i < a->npend; i++)
            fds[i + 1] = (struct pollfd){.fd = a->pend[i].fd, .events = POLLIN};
        int nfds = a->npend + 1;
        if (poll(fds, (nfds_t)nfds, 50) < 0 && errno != EINTR)
            break;
        double now = clock_mono_ms();
        /* back to front, so that drop() (which moves the last entry) skips nothing unseen */
        for (int i = nfds - 2; i >= 0; i--) {
            if (fds[i + 1].revents && look(a, i))
                continue;
            if (now >= a->pend[i].deadline) {
                close(a->pend[i].fd);
                drop(a, i);
            }
        }
        if (fds[0].revents & POLLIN) {
            while (a->npend < PENDING_MAX) {
                struct pending *p = &a->pend[a->npend];
                p->len = sizeof(p->addr);
                p->fd = accept4(a->fd, (struct sockaddr *)&p->addr, &p->len,
                                SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (p->fd < 0) {
                    if (errno == EMFILE || errno == ENFILE) {
                        if (now >= a->warned_at + 60000.0) {
                            log_warn("out of file descriptors: new connections wait (raise "
                                     "LimitNOFILE, or lower max_connections)");
                            a->warned_at = now;
                        }
                        a->resume_at = now + 100.0;
                    }
                    break;
                }
                p->deadline = now + (double)a->idle_ms;
                a->npend++;
                look(a, a->npend - 1); /* the request often came with the handshake */
            }
        }
    }
    return NULL;
}

int http_acceptor_run(struct http_acceptor *a, struct MHD_Daemon *d, long idle_seconds)
{
    a->d = d;
    a->idle_ms = idle_seconds * 1000;
    a->running = pthread_create(&a->thread, NULL, run, a) == 0;
    return a->running ? 0 : -1;
}

void http_acceptor_stop(struct http_acceptor *a)
{
    if (!a)
        return;
    atomic_store(&a->stop, true);
    if (a->running)
        pthread_join(a->thread, NULL);
    for (int i = 0; i < a->npend; i++)
        close(a->pend[i].fd);
    close(a->fd);
    free(a);
}
