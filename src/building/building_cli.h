/* The `zhizhi uscc check CODE [--json]` command: the 统一社会信用代码 check (GB 32100-2015). */
#ifndef BUILDING_BUILDING_CLI_H
#define BUILDING_BUILDING_CLI_H

/* Run `zhizhi uscc check CODE [--json]` (argv[0] "uscc"). Prints the verdict (with --json one
 * object: valid, code, reason, length, expected, found, position, org_code_ok). Returns 0 for a
 * valid code, 1 for an invalid one (the reason on stdout, and on stderr without --json), 2 on
 * bad usage. */
int building_cli_uscc(int argc, char **argv);

#endif
