/* The ceiling for zhizhi's own HTTP layer: a bare libmicrohttpd server with the same threading
 * (internal epoll thread pool of THREADS) answering every request with the bytes of one file,
 * as application/json, from memory. Runs until SIGTERM or SIGINT.
 * Usage: mhd_bare PORT THREADS FILE */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *body;
static size_t body_len;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload, (void)upload_len;
    if (!*state) { /* the first call only announces the request */
        *state = c;
        return MHD_YES;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(body_len, body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PORT THREADS FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[3], "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    body_len = (size_t)ftell(f);
    rewind(f);
    body = malloc(body_len ? body_len : 1);
    if (fread(body, 1, body_len, f) != body_len)
        return 1;
    fclose(f);
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
                                            (uint16_t)atoi(argv[1]), NULL, NULL, answer, NULL,
                                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[2]),
                                            MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_END);
    if (!d)
        return 1;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (!stop)
        pause();
    MHD_stop_daemon(d);
    free(body);
    return 0;
}
