/* zhizhi user: add, passwd, disable and list accounts from the command line. */
#ifndef AUTH_AUTH_CLI_H
#define AUTH_AUTH_CLI_H

/* zhizhi user add|passwd|disable|list ... ; exit 0, 1 on failure, 2 on bad usage. */
int auth_cli_main(int argc, char **argv);

#endif
