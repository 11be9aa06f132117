/* The `zhizhi component` commands. */
#ifndef COMPONENT_COMPONENT_CLI_H
#define COMPONENT_COMPONENT_CLI_H

/* Run `zhizhi component check-code CODE [--json]`: exit 0 when CODE is a well-formed 16-digit
 * component code of this district (printing its parts), 1 with the reason on stderr (or as
 * JSON on stdout with --json), 2 on bad usage. argv[0] is "component". */
int component_cli_main(int argc, char **argv);

#endif
