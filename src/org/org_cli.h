/* Command-line face of the org module: zhizhi import regions FILE. */
#ifndef ORG_ORG_CLI_H
#define ORG_ORG_CLI_H

/* zhizhi import regions FILE [--crs wgs84|gcj02]: a .geojson FeatureCollection or a .csv
 * (level,code,name,parent_code[,geometry]) validated and applied as a whole. Prints a summary,
 * or one line "zhizhi import: FIELD: reason". Returns 0, 1 (refused or failed) or 2 (usage). */
int org_cli_import(int argc, char **argv);

#endif
