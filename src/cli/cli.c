/* Subcommand dispatch and the setting flags shared by every subcommand. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/module.h"
#include "http/system_api.h"

/* The room in the rest[] arrays of every subcommand (char *rest[64]). */
#define CLI_MAX_REST 64

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

static const struct cli_command *find_command(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void cli_print_usage(const char *name, FILE *out)
{
    const struct cli_command *c = find_command(name);
    if (!c)
        return;
    fprintf(out, "usage: zhizhi %s %s\n%s\n\nsettings (flag, or env var, or config file key):\n",
            c->name, c->usage, c->summary);
    fprintf(out, "  --%-18s %s\n", "config FILE", "INI file with settings (top level or [zhizhi])");
    config_print_help(out);
}

static void print_main_usage(FILE *out)
{
    fprintf(out,
            "zhizhi %s — 渝中区基层智治平台 (grassroots smart governance)\n\n"
            "usage: zhizhi COMMAND [ARGS] [--setting VALUE ...]\n\ncommands:\n",
            ZHIZHI_VERSION);
    for (const struct cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\nzhizhi COMMAND --help shows a command's arguments and settings.\n");
}

int cli_load_config(int argc, char **argv, struct config *cfg, char **rest, int *nrest)
{
    struct app_error err = {0};
    const char *config_file = NULL;
    config_init(cfg);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config_file = argv[i + 1];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            config_file = argv[i] + 9;
    if (config_file && config_load_file(cfg, config_file, &err))
        goto bad;
    if (config_load_env(cfg, &err))
        goto bad;
    *nrest = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* Every caller's rest holds CLI_MAX_REST entries; more arguments are a usage error. */
        if (*nrest == CLI_MAX_REST) {
            fprintf(stderr, "zhizhi: too many arguments (at most %d)\n", CLI_MAX_REST);
            return CLI_USAGE;
        }
        if (strncmp(a, "--", 2) != 0) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        char flag[64];
        const char *eq = strchr(a, '=');
        snprintf(flag, sizeof(flag), "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a) - 2), a + 2);
        if (strcmp(flag, "config") == 0) {
            if (!eq)
                i++;
            continue;
        }
        const struct setting *s = config_find_flag(flag);
        if (!s) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value && s->type == SETTING_BOOL &&
            (i + 1 >= argc || strncmp(argv[i + 1], "--", 2) == 0))
            value = "true";
        if (!value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "zhizhi: --%s needs a value\n", flag);
                return CLI_USAGE;
            }
            value = argv[++i];
        }
        if (config_set(cfg, s->name, value, "flag", &err))
            goto bad;
    }
    clock_set_offset(cfg->test_clock_offset);
    if (cfg->test_clock_offset)
        log_warn("test_clock_offset: the clock runs %ld s off the real time (tests only)",
                 cfg->test_clock_offset);
    if (strcmp(cfg->log_level, "debug") == 0)
        log_set_level(LOG_DEBUG);
    else if (strcmp(cfg->log_level, "warn") == 0)
        log_set_level(LOG_WARN);
    else if (strcmp(cfg->log_level, "error") == 0)
        log_set_level(LOG_ERROR);
    return CLI_OK;
bad:
    fprintf(stderr, "zhizhi: invalid setting %s: %s\n", err.field, err.message);
    return CLI_USAGE;
}

int cli_open_app(int argc, char **argv, struct app *app, char **rest, int *nrest)
{
    struct app_error err = {0};
    bool created = false;
    memset(app, 0, sizeof(*app));
    int rc = cli_load_config(argc, argv, &app->cfg, rest, nrest);
    if (rc)
        return rc;
    if (app_open(app, &created, &err))
        goto fail;
    if (created) {
        log_info("new database: seeding Yuzhong%s", app->cfg.demo ? " with the demo" : "");
        if (modules_seed(app, app->cfg.demo, &err))
            goto fail;
    }
    return CLI_OK;
fail:
    fprintf(stderr, "zhizhi: %s\n", err.message);
    app_close(app);
    config_release(&app->cfg);
    return CLI_FAIL;
}

void cli_close_app(struct app *app)
{
    app_close(app);
    config_release(&app->cfg);
}

/* Commands whose arguments are not settings print their own --help. */
static bool prints_own_help(const char *name)
{
    static const char *const own[] = {"aqi", "calendar", "patrol"};
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        if (strcmp(name, own[i]) == 0)
            return true;
    return false;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_main_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        argv[1] = (char *)"version";
    const struct cli_command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "zhizhi: unknown command \"%s\" (see zhizhi --help)\n", argv[1]);
        return CLI_USAGE;
    }
    if (!prints_own_help(c->name) && cli_wants_help(argc - 1, argv + 1)) {
        cli_print_usage(c->name, stdout);
        return CLI_OK;
    }
    return c->run(argc - 1, argv + 1);
}
