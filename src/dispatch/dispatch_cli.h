/* The `zhizhi dispatch` commands: train and evaluate on any labelled CSV file, or train the
 * district's model from its closed events. */
#ifndef DISPATCH_DISPATCH_CLI_H
#define DISPATCH_DISPATCH_CLI_H

/* `zhizhi dispatch train FILE.csv --model OUT [--bits N] [--cost C] [--folds K]`,
 * `zhizhi dispatch eval FILE.csv --model M [--json]` and `zhizhi dispatch train` (no file: from
 * the database's closed events). argv[0] is "dispatch". Returns 0, 1 on failure (a file that
 * cannot be read or written), 2 on bad usage or input (one line on stderr naming it). A failed
 * train never touches OUT. */
int dispatch_cli_main(int argc, char **argv);

#endif
