/* Settings: one table (name, env var, flag, type, default, range, help) from which defaults,
 * the INI file, the environment, command-line flags, validation, --help and --print-config all
 * come. Precedence: default < config file < environment < flag. */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

struct config {
    char *data_dir;             /* where zhizhi.db and attachments live */
    char *listen;               /* host:port for the HTTP server */
    long threads;               /* HTTP worker threads, each with its own SQLite connection */
    long body_limit;            /* largest accepted request body in bytes */
    long header_limit;          /* per-connection memory for headers, bytes */
    long idle_timeout;          /* seconds before an idle connection is closed */
    long max_connections;       /* concurrent connections */
    long busy_timeout_ms;       /* SQLite busy timeout */
    bool demo;                  /* seed the Yuzhong demo data when the database is created */
    char *log_level;            /* debug, info, warn, error */
    char *cors_origin;          /* an origin allowed to call the API from a browser; empty = none */
    long session_idle;          /* seconds a session lives without use */
    long session_max;           /* seconds a session lives at most */
    double warn_share;          /* share of a time limit at which an event turns yellow */
    long duplicate_m;           /* radius in metres for likely-duplicate events */
    long timer_interval;        /* seconds between deadline and stale-station sweeps */
    char *open311_api_key;      /* required for Open311 POST when set */
    bool live_demo;             /* generate live demo readings while serving */
    char *pwhash_cost;          /* argon2id cost: moderate, interactive or min (tests) */
    char *admin_password_file;  /* file holding the first admin's password at seeding */
    long login_slow_after;      /* failed logins after which each try must wait */
    long login_lock_after;      /* failed logins that lock an account for login_lock_seconds */
    long login_lock_seconds;    /* how long a login lock lasts */
    long public_report_limit;   /* anonymous public reports per client address per window */
    long public_report_window;  /* seconds of that window */
    bool cookie_secure;         /* session cookie always Secure */
    char *trusted_proxies;      /* peers whose X-Forwarded-For/-Proto are believed */
    long open311_client_limit;  /* Open311 POSTs per window of a client with the valid key */
    long open311_client_window; /* seconds of that window */
    long test_clock_offset;     /* tests only: seconds added to clock_now() (0 in production) */
    /* Where each value came from, for --print-config: "default", "file", "env", "flag". */
    const char *source[64];
};

enum setting_type { SETTING_STRING, SETTING_INT, SETTING_BOOL, SETTING_DOUBLE };

struct setting {
    const char *name; /* INI key and --print-config name, e.g. "data_dir" */
    const char *env;  /* environment variable, e.g. "ZHIZHI_DATA_DIR" */
    const char *flag; /* long option without dashes, e.g. "data-dir" */
    enum setting_type type;
    const char *def;
    double min, max; /* range for numbers */
    const char *help;
};

/* The settings table, terminated by an entry with name NULL. */
extern const struct setting config_settings[];

/* Fill cfg with defaults. Release with config_release. */
void config_init(struct config *cfg);
void config_release(struct config *cfg);

/* Set one setting by name from text, validating type and range. source is a static string.
 * Returns 0, or -1 with APP_ERR_INVALID naming the setting in err->field. */
int config_set(struct config *cfg, const char *name, const char *value, const char *source,
               struct app_error *err);

/* Apply an INI file: keys at top level or under [zhizhi]. An unknown key is an error. */
int config_load_file(struct config *cfg, const char *path, struct app_error *err);

/* Apply ZHIZHI_* environment variables. */
int config_load_env(struct config *cfg, struct app_error *err);

/* The setting whose flag is `flag` (without dashes), or NULL. */
const struct setting *config_find_flag(const char *flag);

/* Print every setting as "name = value  # source" to out. */
void config_print(const struct config *cfg, FILE *out);

/* Print the flag help (one line per setting) to out. */
void config_print_help(FILE *out);

#endif
