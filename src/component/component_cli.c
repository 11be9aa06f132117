/* `zhizhi component check-code CODE [--json]`: the GB/T 30428.2 code rule of rules.c on the
 * command line, without a database. */
#include "component/component_cli.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component/component.h"

static const char usage[] =
    "usage: zhizhi component check-code CODE [--json]\n"
    "\n"
    "Check a 16-digit component code (部件标识码): district code (6, this "
    "district " COMPONENT_DISTRICT ") + major class (2, 01-06) + minor class (2) + serial (6).\n"
    "Exit status: 0 well-formed, 1 not (the reason on stderr, or as JSON with --json), 2 bad "
    "usage.\n";

int component_cli_main(int argc, char **argv)
{
    const char *code = NULL;
    bool as_json = false, sub = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--json") == 0)
            as_json = true;
        else if (!sub && strcmp(argv[i], "check-code") == 0)
            sub = true;
        else if (sub && !code)
            code = argv[i];
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!sub || !code) {
        fputs(usage, stderr);
        return 2;
    }
    struct component_code c;
    struct app_error err = {0};
    int rc = component_code_check(code, COMPONENT_DISTRICT, &c, &err);
    if (as_json) {
        json_t *j =
            rc == 0 ? json_pack("{s:b,s:s,s:s,s:s,s:s,s:s,s:s}", "valid", 1, "code", code,
                                "district", c.district, "major", c.major, "major_name",
                                component_major_name(c.major), "minor", c.minor, "serial", c.serial)
                    : json_pack("{s:b,s:s,s:s,s:s}", "valid", 0, "code", code, "reason",
                                err.code_name, "detail", err.message);
        char *s = json_dumps(j, JSON_COMPACT);
        puts(s ? s : "{}");
        free(s);
        json_decref(j);
    } else if (rc == 0) {
        printf("%s: district %s, major %s %s, minor %s, serial %s\n", code, c.district, c.major,
               component_major_name(c.major), c.minor, c.serial);
    } else {
        fprintf(stderr, "zhizhi component: %s: %s (%s)\n", code, err.message, err.code_name);
    }
    return rc == 0 ? 0 : 1;
}
