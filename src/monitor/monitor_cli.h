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

/* Run `zhizhi import readings FILE.csv` (argv[0] "import", then setting flags and the two
 * positional arguments): CSV rows station,parameter,time,value[,flag] ingested as by
 * POST /api/v1/readings, committed in chunks of 5,000 with a progress bar on stderr when it is
 * a terminal. Prints {accepted, duplicates, rejected, alerts_opened, alerts_cleared} on stdout
 * and each rejected line on stderr. Returns 0 when every row was stored or already there, 1
 * when some rows were rejected (the good ones are kept) or the file could not be read or
 * stored, 2 on bad usage. */
int monitor_cli_import_readings(int argc, char **argv);

/* Run `zhizhi station key STATION` (print a new device key for the station on stdout; only its
 * SHA-256 is stored), `zhizhi station key rotate STATION` (the same, revoking its earlier keys)
 * and `zhizhi station key revoke STATION|KEY_ID`. Returns 0, 1 on failure (unknown station),
 * 2 on bad usage. */
int monitor_cli_station(int argc, char **argv);

#endif
