/* Live screens at scale: hold N concurrent subscribers of GET /api/v1/stream on 127.0.0.1, a
 * share of them stalled (they never read after the headers), then file events one by one over a
 * separate connection and time, for every reading subscriber, from the moment the creation was
 * sent to the moment its `event: event` frame arrived (the 201's own time is printed beside).
 * Prints the connected count, the delivery percentiles, how many readers missed an event, and the
 * server's resident memory per subscriber (VmRSS of the server's pid before and after connecting).
 *
 * Bounded: every phase has a deadline; the program stops by itself.
 * Usage: sse_bench PORT SUB_TOKEN N STALLED_PERCENT EVENTS CREATE_TOKEN LON LAT SERVER_PID */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CONNECT_S = 120, DELIVER_S = 30 };

struct sub {
    int fd;
    int connected; /* the ": connected" greeting arrived */
    int stalled;   /* never reads after the greeting */
    int got;       /* events received */
    char tail[32]; /* the last bytes seen, for a marker split across reads */
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long rss_kib(int pid)
{
    char path[64], line[256];
    long kib = -1;
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int dial(int port, int nonblocking)
{
    int fd = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Count occurrences of marker in what arrived, including one split across two reads. */
static int count_marker(struct sub *s, const char *data, size_t n, const char *marker)
{
    size_t ml = strlen(marker), tl = strlen(s->tail);
    char joined[32 + 4096];
    if (n > 4096)
        n = 4096;
    memcpy(joined, s->tail, tl);
    memcpy(joined + tl, data, n);
    size_t len = tl + n;
    int hits = 0;
    for (size_t i = 0; i + ml <= len; i++)
        if (memcmp(joined + i, marker, ml) == 0)
            hits++, i += ml - 1;
    size_t keep = len < ml - 1 ? len : ml - 1;
    memcpy(s->tail, joined + len - keep, keep);
    s->tail[keep] = 0;
    return hits;
}

/* POST one event over a blocking connection; 0 once the server answered 201. */
static int create_event(int port, const char *token, const char *lon, const char *lat, int seq)
{
    char body[512], req[2048], resp[4096];
    snprintf(body, sizeof body,
             "{\"category\":\"1101\",\"title\":\"大屏压测 %d\",\"description\":\"bench: sse\","
             "\"lon\":%s,\"lat\":%s}",
             seq, lon, lat);
    int n = snprintf(req, sizeof req,
                     "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                     "%s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s",
                     token, strlen(body), body);
    int fd = dial(port, 0);
    if (fd < 0 || write(fd, req, (size_t)n) != n) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    ssize_t got = read(fd, resp, sizeof resp - 1);
    close(fd);
    if (got <= 0)
        return -1;
    resp[got] = 0;
    return strncmp(resp, "HTTP/1.1 201", 12) == 0 ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 10) {
        fprintf(stderr,
                "usage: %s PORT SUB_TOKEN N STALLED_PERCENT EVENTS CREATE_TOKEN LON LAT "
                "SERVER_PID\n",
                argv[0]);
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[3]), stalled_pct = atoi(argv[4]);
    int events = atoi(argv[5]), pid = atoi(argv[9]);
    const char *sub_token = argv[2], *create_token = argv[6], *lon = argv[7], *lat = argv[8];
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)n + 64) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct sub *subs = calloc((size_t)n, sizeof *subs);
    int ep = epoll_create1(0);
    char request[1024];
    int reqlen = snprintf(request, sizeof request,
                          "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
                          "text/event-stream\r\nAuthorization: Bearer %s\r\n\r\n",
                          sub_token);
    long rss0 = rss_kib(pid);

    /* Connect in waves of 256 so the listen backlog never overflows. */
    int opened = 0, connected = 0, refused = 0;
    double t0 = now_s();
    struct epoll_event evs[512];
    while ((connected + refused < n) && now_s() - t0 < CONNECT_S) {
        while (opened < n && opened - connected - refused < 256) {
            struct sub *s = &subs[opened];
            s->fd = dial(port, 1);
            s->stalled = (opened * 100 / (n ? n : 1)) % 100 < stalled_pct;
            if (s->fd < 0) {
                refused++;
                opened++;
                continue;
            }
            struct epoll_event e = {.events = EPOLLOUT | EPOLLIN, .data.u32 = (uint32_t)opened};
            epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &e);
            opened++;
        }
        int k = epoll_wait(ep, evs, 512, 100);
        for (int i = 0; i < k; i++) {
            struct sub *s = &subs[evs[i].data.u32];
            if (evs[i].events & EPOLLOUT) {
                if (write(s->fd, request, (size_t)reqlen) != reqlen) {
                    refused++;
                    epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                    close(s->fd);
                    s->fd = -1;
                    continue;
                }
                struct epoll_event e = {.events = EPOLLIN, .data.u32 = evs[i].data.u32};
                epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &e);
            }
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                char buf[4096];
                ssize_t r = read(s->fd, buf, sizeof buf);
                if (r <= 0) {
                    if (r < 0 && errno == EAGAIN)
                        continue;
                    refused += !s->connected;
                    epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                    close(s->fd);
                    s->fd = -1;
                    continue;
                }
                if (!s->connected && count_marker(s, buf, (size_t)r, ": connected")) {
                    s->connected = 1;
                    connected++;
                    if (s->stalled) /* stop reading: its socket buffers fill up */
                        epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                }
            }
        }
    }
    double connect_s = now_s() - t0;
    long rss1 = rss_kib(pid);
    int readers = 0;
    for (int i = 0; i < n; i++)
        readers += subs[i].connected && !subs[i].stalled;
    printf("subscribers %d connected %d refused %d stalled %d connect_s %.1f\n", n, connected,
           refused, connected - readers, connect_s);
    printf("server_rss_kib before %ld after %ld per_subscriber_kib %.1f\n", rss0, rss1,
           connected ? (double)(rss1 - rss0) / connected : 0.0);

    /* Deliveries: one event at a time, every reader timed from the 201. */
    double *ack_ms = calloc((size_t)(events ? events : 1), sizeof(double));
    double *lat_ms = malloc(sizeof(double) * (size_t)(readers ? readers : 1) * (size_t)events);
    size_t nlat = 0;
    int missed = 0, created = 0;
    for (int e = 0; e < events; e++) {
        for (int i = 0; i < n; i++)
            subs[i].got = 0;
        double sent = now_s();
        if (create_event(port, create_token, lon, lat, e)) {
            fprintf(stderr, "sse_bench: event %d was not created\n", e);
            continue;
        }
        created++;
        double ack = now_s();
        ack_ms[created - 1] = (ack - sent) * 1000.0;
        int waiting = readers;
        while (waiting > 0 && now_s() - ack < DELIVER_S) {
            int k = epoll_wait(ep, evs, 512, 100);
            for (int i = 0; i < k; i++) {
                struct sub *s = &subs[evs[i].data.u32];
                char buf[4096];
                ssize_t r = read(s->fd, buf, sizeof buf);
                if (r <= 0)
                    continue;
                if (!s->got && count_marker(s, buf, (size_t)r, "event: event")) {
                    s->got = 1;
                    waiting--;
                    lat_ms[nlat++] = (now_s() - sent) * 1000.0;
                }
            }
        }
        missed += waiting;
    }
    qsort(lat_ms, nlat, sizeof *lat_ms, cmp_double);
#define PCT(p) (nlat ? lat_ms[(size_t)((double)(nlat - 1) * (p))] : 0.0)
    qsort(ack_ms, (size_t)created, sizeof *ack_ms, cmp_double);
    printf("created_ms median %.1f\n", created ? ack_ms[(created - 1) / 2] : 0.0);
    printf("events %d deliveries %zu missed %d p50_ms %.1f p99_ms %.1f max_ms %.1f\n", created,
           nlat, missed, PCT(0.50), PCT(0.99), PCT(1.0));
    for (int i = 0; i < n; i++)
        if (subs[i].fd > 0)
            close(subs[i].fd);
    free(lat_ms);
    free(ack_ms);
    free(subs);
    close(ep);
    return 0;
}
