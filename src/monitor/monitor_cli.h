/* The `zhizhi aqi` command-line calculator (HJ 633-2012 / HJ 633-2026). */
#ifndef MONITOR_MONITOR_CLI_H
#define MONITOR_MONITOR_CLI_H

/* Run `zhizhi aqi --edition 2012|2026 (--daily | --hourly [--hourly-method published|table4]
 * | --iaqi) NAME=VALUE ...`. argv[0] is the command name ("aqi"); options and NAME=VALUE
 * pairs follow. Prints one JSON object on stdout: edition, aqi (null in --iaqi mode), level,
 * category, color, primary, over_range, iaqi. Returns the process exit code: 0 done (also for
 * --help, which prints the usage on stdout), 2 bad usage or input (one line on stderr naming
 * the argument). */
int monitor_cli_aqi(int argc, char **argv);

#endif
