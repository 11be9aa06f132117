/* The command line: a table of subcommands, each with its --help, and the shared handling of
 * setting flags (--config FILE, --data-dir DIR, ...). Exit codes: 0 ok, 1 failure, 2 usage. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>

#include "core/app.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_command {
    const char *name;    /* "serve", "import", ... */
    const char *usage;   /* arguments after the name */
    const char *summary; /* one line */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

extern const struct cli_command cli_commands[];

/* Run the program: argv[1] selects the command. Returns the exit code. */
int cli_main(int argc, char **argv);

/* Load settings: defaults, then --config FILE, the environment, then setting flags found in
 * argv. Arguments that are not setting flags are left in rest[0..*nrest) in order. Prints one
 * line naming a bad setting and returns CLI_USAGE, or CLI_OK. */
int cli_load_config(int argc, char **argv, struct config *cfg, char **rest, int *nrest);

/* Load settings from argv and open the application (migrating; seeding a new database
 * including the demo when cfg.demo). Prints errors. Returns CLI_OK or an exit code. */
int cli_open_app(int argc, char **argv, struct app *app, char **rest, int *nrest);
void cli_close_app(struct app *app);

/* True when argv holds -h or --help. */
bool cli_wants_help(int argc, char **argv);
/* Print "usage: zhizhi NAME USAGE" and the setting flags to out. */
void cli_print_usage(const char *name, FILE *out);

#endif
