/* The renewal module's commands: `zhizhi finance npv|irr|pmt` and `zhizhi vote tally`. */
#ifndef RENEWAL_RENEWAL_CLI_H
#define RENEWAL_RENEWAL_CLI_H

/* `zhizhi finance npv --rate R FLOW0 ...`, `irr FLOW0 ...`, `pmt --rate R --periods N
 * --principal P`, each with [--json] (an object with the figure under its name). Flows and
 * money in yuan. Returns 0; 1 when IRR has no sign change or no root (the reason on stderr);
 * 2 on bad usage or input. */
int renewal_cli_finance(int argc, char **argv);

/* `zhizhi vote tally --matter major|ordinary FILE.csv [--json]`: the 民法典 278 tally of a CSV
 * with header unit,owner,area,vote. Prints passed or not and the four ratios. Returns 0 (passed
 * or not), 2 on bad usage or a bad file (every bad row reported by line on stderr). */
int renewal_cli_vote(int argc, char **argv);

#endif
