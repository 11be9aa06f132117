/* The `zhizhi patrol` commands. */
#ifndef PATROL_PATROL_CLI_H
#define PATROL_PATROL_CLI_H

/* Run `zhizhi patrol coverage --buffer METRES SEGMENT.geojson TRACK.geojson [--json]` (argv[0]
 * "patrol"): the share of the segment (one WGS84 LineString) lying within METRES of the track
 * (LineString or MultiLineString), by geo_line_coverage. Prints `{"coverage": S, "covered_m",
 * "length_m", "buffer_m"}` with --json, else one line of text. Returns 0, 1 when a file cannot
 * be read, 2 on bad usage or input (one line on stderr naming the argument). */
int patrol_cli_main(int argc, char **argv);

#endif
