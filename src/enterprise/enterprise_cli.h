/* `zhizhi policy run POLICY_FILE [--json]` (enterprise_cli.c). */
#ifndef ENTERPRISE_ENTERPRISE_CLI_H
#define ENTERPRISE_ENTERPRISE_CLI_H

int enterprise_cli_policy(int argc, char **argv);

#endif
