/* zhizhi serve: open the database, start the modules and the HTTP server, and stop cleanly on
 * SIGTERM or SIGINT (stop accepting, finish in-flight requests, close the database). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/module.h"
#include "http/server.h"

int cli_serve(int argc, char **argv);

int cli_serve(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    char *rest[64];
    int nrest;
    bool print_config = false;
    for (int i = 1; i < argc; i++)
        print_config |= strcmp(argv[i], "--print-config") == 0;
    if (print_config) {
        struct config cfg;
        int rc = cli_load_config(argc, argv, &cfg, rest, &nrest);
        if (rc == CLI_OK)
            config_print(&cfg, stdout);
        config_release(&cfg);
        return rc;
    }
    /* Block the stop signals before any thread starts, so only sigwait below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    if (nrest > 0) {
        fprintf(stderr, "zhizhi serve: unexpected argument \"%s\"\n", rest[0]);
        cli_close_app(&app);
        return CLI_USAGE;
    }
    struct server *srv = NULL;
    if (modules_start(&app, &err)) {
        fprintf(stderr, "zhizhi: %s\n", err.message);
        cli_close_app(&app);
        return CLI_FAIL;
    }
    if (server_start(&app, &srv, &err)) {
        fprintf(stderr, "zhizhi: %s\n", err.message);
        modules_stop(&app);
        cli_close_app(&app);
        return CLI_FAIL;
    }
    char host[256];
    snprintf(host, sizeof(host), "%.*s", (int)(strrchr(app.cfg.listen, ':') - app.cfg.listen),
             app.cfg.listen);
    log_info("listening on http://%s:%u (data %s)", host, server_port(srv), app.cfg.data_dir);
    /* systemd Type=notify: ready once the port is open (a no-op outside systemd). */
    sd_notifyf(0, "READY=1\nSTATUS=listening on %s:%u\nMAINPID=%lu", host, server_port(srv),
               (unsigned long)getpid());
    int sig = 0;
    sigwait(&stop, &sig);
    sd_notify(0, "STOPPING=1");
    log_info("signal %d: stopping; finishing requests in flight", sig);
    atomic_store(&app.stopping, true);
    server_stop(srv, 10000);
    modules_stop(&app);
    cli_close_app(&app);
    log_info("stopped cleanly");
    return CLI_OK;
}
