/* The lifecircle commands: `zhizhi import osm FILE [--elevation FILE.csv]` and
 * `zhizhi route [--profile walk|elderly] FROM_LON FROM_LAT TO_LON TO_LAT [--json]`. */
#ifndef LIFECIRCLE_LIFECIRCLE_CLI_H
#define LIFECIRCLE_LIFECIRCLE_CLI_H

/* argv[0] is "import", the object "osm" follows. Exit 0, 1 failure, 2 usage. */
int lifecircle_cli_import_osm(int argc, char **argv);
/* argv[0] is "route". Prints minutes, metres and metres climbed. */
int lifecircle_cli_route(int argc, char **argv);

#endif
