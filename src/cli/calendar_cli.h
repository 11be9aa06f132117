/* The `zhizhi calendar` subcommands for operators checking a deadline by hand. */
#ifndef CLI_CALENDAR_CLI_H
#define CLI_CALENDAR_CLI_H

/* Run `zhizhi calendar add-workdays DATE N` (prints the date of the N-th working day after the
 * end of DATE) or `zhizhi calendar is-workday DATE` (prints yes or no). The calendar is the
 * embedded one plus <data_dir>/cn-holidays.csv when present. Returns 0, or 2 with one line on
 * stderr for bad input or a year missing from the calendar. */
int calendar_cli_main(int argc, char **argv);

#endif
