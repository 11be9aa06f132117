/* The settings table and its loaders (INI through libinih, environment, flags). */
#include "core/config.h"

#include <assert.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

#define S(name, env, flag, type, def, min, max, help)                                              \
    {                                                                                              \
        name, env, flag, type, def, min, max, help                                                 \
    }

const struct setting config_settings[] = {
    S("data_dir", "ZHIZHI_DATA_DIR", "data-dir", SETTING_STRING, "./var", 0, 0,
      "directory for zhizhi.db and attachments"),
    S("listen", "ZHIZHI_LISTEN", "listen", SETTING_STRING, "127.0.0.1:8080", 0, 0,
      "HTTP address host:port (port 0 picks a free one)"),
    S("threads", "ZHIZHI_THREADS", "threads", SETTING_INT, "4", 1, 256,
      "HTTP worker threads, one SQLite connection each"),
    S("body_limit", "ZHIZHI_BODY_LIMIT", "body-limit", SETTING_INT, "16777216", 1024, 1073741824,
      "largest request body in bytes (413 above)"),
    S("header_limit", "ZHIZHI_HEADER_LIMIT", "header-limit", SETTING_INT, "12288", 4096, 1048576,
      "memory pool of one connection (its request headers; a live stream's send buffer), bytes"),
    S("idle_timeout", "ZHIZHI_IDLE_TIMEOUT", "idle-timeout", SETTING_INT, "30", 1, 3600,
      "seconds before an idle connection is closed"),
    S("max_connections", "ZHIZHI_MAX_CONNECTIONS", "max-connections", SETTING_INT, "1024", 4, 65536,
      "concurrent HTTP connections"),
    S("busy_timeout_ms", "ZHIZHI_BUSY_TIMEOUT_MS", "busy-timeout-ms", SETTING_INT, "5000", 0,
      600000, "SQLite busy timeout in milliseconds"),
    S("demo", "ZHIZHI_DEMO", "demo", SETTING_BOOL, "true", 0, 0,
      "seed the Yuzhong demo (synthetic grids, events, readings) when creating the database"),
    S("log_level", "ZHIZHI_LOG_LEVEL", "log-level", SETTING_STRING, "info", 0, 0,
      "debug, info, warn or error"),
    S("cors_origin", "ZHIZHI_CORS_ORIGIN", "cors-origin", SETTING_STRING, "", 0, 0,
      "one origin allowed to call the API cross-site; empty allows none"),
    S("session_idle", "ZHIZHI_SESSION_IDLE", "session-idle", SETTING_INT, "7200", 1, 604800,
      "seconds a session survives without use"),
    S("session_max", "ZHIZHI_SESSION_MAX", "session-max", SETTING_INT, "43200", 1, 2592000,
      "seconds a session lives at most"),
    S("warn_share", "ZHIZHI_WARN_SHARE", "warn-share", SETTING_DOUBLE, "0.8", 0.05, 0.99,
      "share of a time limit after which an event turns yellow"),
    S("duplicate_m", "ZHIZHI_DUPLICATE_M", "duplicate-m", SETTING_INT, "50", 1, 5000,
      "radius in metres within which an open event of the same class is a likely duplicate"),
    S("timer_interval", "ZHIZHI_TIMER_INTERVAL", "timer-interval", SETTING_INT, "30", 1, 3600,
      "seconds between deadline and stale-station sweeps"),
    S("open311_api_key", "ZHIZHI_OPEN311_API_KEY", "open311-api-key", SETTING_STRING, "", 0, 0,
      "api_key required by Open311 POST requests; empty accepts any"),
    S("live_demo", "ZHIZHI_LIVE_DEMO", "live-demo", SETTING_BOOL, "false", 0, 0,
      "generate live demo readings while serving"),
    S("pwhash_cost", "ZHIZHI_PWHASH_COST", "pwhash-cost", SETTING_STRING, "moderate", 0, 0,
      "argon2id cost of password hashes: moderate (256 MiB), interactive (64 MiB), min (tests)"),
    S("admin_password_file", "ZHIZHI_ADMIN_PASSWORD_FILE", "admin-password-file", SETTING_STRING,
      "", 0, 0, "file with the password of the first admin (else a random one is printed once)"),
    S("login_slow_after", "ZHIZHI_LOGIN_SLOW_AFTER", "login-slow-after", SETTING_INT, "5", 1, 1000,
      "failed logins of an account after which each try must wait (5 times more per address)"),
    S("login_lock_after", "ZHIZHI_LOGIN_LOCK_AFTER", "login-lock-after", SETTING_INT, "10", 1, 1000,
      "failed logins that lock an account (5 times more lock a client address)"),
    S("login_lock_seconds", "ZHIZHI_LOGIN_LOCK_SECONDS", "login-lock-seconds", SETTING_INT, "900",
      1, 86400, "seconds a login lock lasts"),
    S("public_report_limit", "ZHIZHI_PUBLIC_REPORT_LIMIT", "public-report-limit", SETTING_INT, "5",
      1, 100000, "anonymous public reports (web and Open311) per client address per window"),
    S("public_report_window", "ZHIZHI_PUBLIC_REPORT_WINDOW", "public-report-window", SETTING_INT,
      "600", 1, 86400, "seconds of the public report rate window (429 with Retry-After beyond)"),
    S("cookie_secure", "ZHIZHI_COOKIE_SECURE", "cookie-secure", SETTING_BOOL, "false", 0, 0,
      "mark the session cookie Secure always (it is anyway when a trusted proxy says https)"),
    S("trusted_proxies", "ZHIZHI_TRUSTED_PROXIES", "trusted-proxies", SETTING_STRING, "", 0, 0,
      "addresses or networks (a, b/bits) whose X-Forwarded-For/-Proto are believed; empty: none"),
    S("open311_client_limit", "ZHIZHI_OPEN311_CLIENT_LIMIT", "open311-client-limit", SETTING_INT,
      "1000", 1, 100000, "Open311 POSTs a client with the valid api_key may make per window"),
    S("open311_client_window", "ZHIZHI_OPEN311_CLIENT_WINDOW", "open311-client-window", SETTING_INT,
      "3600", 1, 86400, "seconds of the keyed Open311 clients' quota window"),
    S("test_clock_offset", "ZHIZHI_TEST_CLOCK_OFFSET", "test-clock-offset", SETTING_INT, "0",
      -31622400, 31622400,
      "tests only: seconds added to the program's clock, to replay a later hour or day (a "
      "restart with another value moves time on); keep 0 in production"),
    {NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
};

/* Where each setting lives inside struct config, in table order. */
static const size_t offsets[] = {
    offsetof(struct config, data_dir),
    offsetof(struct config, listen),
    offsetof(struct config, threads),
    offsetof(struct config, body_limit),
    offsetof(struct config, header_limit),
    offsetof(struct config, idle_timeout),
    offsetof(struct config, max_connections),
    offsetof(struct config, busy_timeout_ms),
    offsetof(struct config, demo),
    offsetof(struct config, log_level),
    offsetof(struct config, cors_origin),
    offsetof(struct config, session_idle),
    offsetof(struct config, session_max),
    offsetof(struct config, warn_share),
    offsetof(struct config, duplicate_m),
    offsetof(struct config, timer_interval),
    offsetof(struct config, open311_api_key),
    offsetof(struct config, live_demo),
    offsetof(struct config, pwhash_cost),
    offsetof(struct config, admin_password_file),
    offsetof(struct config, login_slow_after),
    offsetof(struct config, login_lock_after),
    offsetof(struct config, login_lock_seconds),
    offsetof(struct config, public_report_limit),
    offsetof(struct config, public_report_window),
    offsetof(struct config, cookie_secure),
    offsetof(struct config, trusted_proxies),
    offsetof(struct config, open311_client_limit),
    offsetof(struct config, open311_client_window),
    offsetof(struct config, test_clock_offset),
};

_Static_assert(sizeof(offsets) / sizeof(offsets[0]) ==
                   sizeof(config_settings) / sizeof(config_settings[0]) - 1,
               "every setting needs its offset");

static int find(const char *name)
{
    for (int i = 0; config_settings[i].name; i++)
        if (strcmp(config_settings[i].name, name) == 0)
            return i;
    return -1;
}

const struct setting *config_find_flag(const char *flag)
{
    for (int i = 0; config_settings[i].name; i++)
        if (strcmp(config_settings[i].flag, flag) == 0)
            return &config_settings[i];
    return NULL;
}

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = true, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = false, 0;
    }
    return -1;
}

int config_set(struct config *cfg, const char *name, const char *value, const char *source,
               struct app_error *err)
{
    int i = find(name);
    if (i < 0)
        return app_fail(err, APP_ERR_INVALID, "unknown_setting", name, "unknown setting %s", name);
    const struct setting *s = &config_settings[i];
    char *slot = (char *)cfg + offsets[i];
    char *end;
    switch (s->type) {
    case SETTING_STRING: {
        if (strcmp(name, "log_level") == 0 && strcmp(value, "debug") && strcmp(value, "info") &&
            strcmp(value, "warn") && strcmp(value, "error"))
            return app_fail(err, APP_ERR_INVALID, "invalid_setting", name,
                            "setting %s: \"%s\" is not one of debug, info, warn, error", name,
                            value);
        if (strcmp(name, "listen") == 0) {
            const char *colon = strrchr(value, ':');
            long port = colon ? strtol(colon + 1, &end, 10) : -1;
            if (!colon || colon == value || !colon[1] || *end || port < 0 || port > 65535)
                return app_fail(err, APP_ERR_INVALID, "invalid_setting", name,
                                "setting %s: \"%s\" is not host:port with a port 0-65535", name,
                                value);
        }
        if (strcmp(name, "data_dir") == 0 && !*value)
            return app_fail(err, APP_ERR_INVALID, "invalid_setting", name,
                            "setting %s must not be empty", name);
        char **p = (char **)(void *)slot;
        free(*p);
        *p = xstrdup(value);
        break;
    }
    case SETTING_INT: {
        errno = 0;
        long v = strtol(value, &end, 10);
        if (!*value || *end || errno || v < s->min || v > s->max)
            return app_fail(err, APP_ERR_INVALID, "invalid_setting", name,
                            "setting %s: \"%s\" is not an integer in %.0f..%.0f", name, value,
                            s->min, s->max);
        *(long *)(void *)slot = v;
        break;
    }
    case SETTING_DOUBLE: {
        errno = 0;
        double v = strtod(value, &end);
        if (!*value || *end || errno || !isfinite(v) || v < s->min || v > s->max)
            return app_fail(err, APP_ERR_INVALID, "invalid_setting", name,
                            "setting %s: \"%s\" is not a number in %g..%g", name, value, s->min,
                            s->max);
        *(double *)(void *)slot = v;
        break;
    }
    case SETTING_BOOL:
        if (parse_bool(value, (bool *)(void *)slot))
            return app_fail(err, APP_ERR_INVALID, "invalid_setting", name,
                            "setting %s: \"%s\" is not true or false", name, value);
        break;
    }
    cfg->source[i] = source;
    return 0;
}

void config_init(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    struct app_error err;
    for (int i = 0; config_settings[i].name; i++) {
        if (config_set(cfg, config_settings[i].name, config_settings[i].def, "default", &err)) {
            fprintf(stderr, "zhizhi: bad default for %s\n", config_settings[i].name);
            abort();
        }
    }
}

void config_release(struct config *cfg)
{
    if (!cfg)
        return;
    for (int i = 0; config_settings[i].name; i++)
        if (config_settings[i].type == SETTING_STRING) {
            char **p = (char **)(void *)((char *)cfg + offsets[i]);
            free(*p);
            *p = NULL;
        }
}

struct ini_ctx {
    struct config *cfg;
    struct app_error *err;
    int failed;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    struct ini_ctx *c = user;
    if (c->failed)
        return 0;
    if (section[0] && strcmp(section, "zhizhi") != 0) {
        app_fail(c->err, APP_ERR_INVALID, "unknown_setting", name,
                 "config file: unknown section [%s]", section);
        c->failed = 1;
        return 0;
    }
    if (config_set(c->cfg, name, value, "file", c->err)) {
        c->failed = 1;
        return 0;
    }
    return 1;
}

int config_load_file(struct config *cfg, const char *path, struct app_error *err)
{
    struct ini_ctx c = {cfg, err, 0};
    int rc = ini_parse(path, on_ini, &c);
    if (c.failed)
        return -1;
    if (rc == -1)
        return app_fail(err, APP_ERR_INVALID, "config_unreadable", "config",
                        "cannot read config file %s", path);
    if (rc != 0)
        return app_fail(err, APP_ERR_INVALID, "config_syntax", "config",
                        "config file %s: syntax error on line %d", path, rc);
    return 0;
}

int config_load_env(struct config *cfg, struct app_error *err)
{
    for (int i = 0; config_settings[i].name; i++) {
        const char *v = getenv(config_settings[i].env);
        if (v && config_set(cfg, config_settings[i].name, v, "env", err)) {
            snprintf(err->field, sizeof(err->field), "%s", config_settings[i].env);
            return -1;
        }
    }
    return 0;
}

void config_print(const struct config *cfg, FILE *out)
{
    for (int i = 0; config_settings[i].name; i++) {
        const char *slot = (const char *)cfg + offsets[i];
        fprintf(out, "%s = ", config_settings[i].name);
        switch (config_settings[i].type) {
        case SETTING_STRING:
            fprintf(out, "%s", *(char *const *)(const void *)slot);
            break;
        case SETTING_INT:
            fprintf(out, "%ld", *(const long *)(const void *)slot);
            break;
        case SETTING_DOUBLE:
            fprintf(out, "%g", *(const double *)(const void *)slot);
            break;
        case SETTING_BOOL:
            fprintf(out, "%s", *(const bool *)(const void *)slot ? "true" : "false");
            break;
        }
        fprintf(out, "  # %s\n", cfg->source[i] ? cfg->source[i] : "default");
    }
}

void config_print_help(FILE *out)
{
    for (int i = 0; config_settings[i].name; i++) {
        const struct setting *s = &config_settings[i];
        fprintf(out, "  --%-18s %s [%s; env %s; default \"%s\"]\n", s->flag, s->help,
                s->type == SETTING_BOOL     ? "bool"
                : s->type == SETTING_STRING ? "text"
                                            : "number",
                s->env, s->def);
    }
}
