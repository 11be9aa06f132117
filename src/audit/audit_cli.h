/* zhizhi audit: command-line access to the audit log (verify). */
#ifndef AUDIT_AUDIT_CLI_H
#define AUDIT_AUDIT_CLI_H

/* zhizhi audit verify: exit 0 when the chain is intact, 1 naming the first broken row. */
int audit_cli_main(int argc, char **argv);

#endif
