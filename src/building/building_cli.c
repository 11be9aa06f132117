/* `zhizhi uscc check CODE [--json]`: checks a 统一社会信用代码 without a database. */
#include "building/building_cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "building/building.h"

static int usage(void)
{
    fprintf(stderr, "usage: zhizhi uscc check CODE [--json]\n");
    return 2;
}

int building_cli_uscc(int argc, char **argv)
{
    const char *code = NULL;
    bool as_json = false;
    if (argc < 2 || strcmp(argv[1], "check") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            printf("usage: zhizhi uscc check CODE [--json]\n"
                   "check a 统一社会信用代码 (GB 32100-2015): length 18, the 31-character set, "
                   "the check character\n");
            return 0;
        }
        return usage();
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = true;
        else if (!code)
            code = argv[i];
        else
            return usage();
    }
    if (!code)
        return usage();
    struct building_uscc_result r;
    bool ok = building_uscc_check(code, &r);
    if (as_json) {
        char exp[2] = {r.expected, 0}, fnd[2] = {r.found, 0};
        json_t *j = json_pack("{s:b,s:s,s:s,s:I}", "valid", ok, "code", code, "reason",
                              building_uscc_reason_name(r.reason), "length", (json_int_t)r.length);
        if (!j) /* the code is not UTF-8: report it without echoing it */
            j = json_pack("{s:b,s:n,s:s,s:I}", "valid", ok, "code", "reason", "charset", "length",
                          (json_int_t)r.length);
        json_object_set_new(j, "expected", r.expected ? json_string(exp) : json_null());
        json_object_set_new(j, "found", r.found ? json_string(fnd) : json_null());
        json_object_set_new(j, "position",
                            r.bad_position ? json_integer(r.bad_position) : json_null());
        if (r.reason == BUILDING_USCC_OK || r.reason == BUILDING_USCC_CHECK)
            json_object_set_new(j, "org_code_ok", json_boolean(r.org_code_ok));
        char *s = json_dumps(j, JSON_COMPACT);
        puts(s ? s : "{}");
        free(s);
        json_decref(j);
        return ok ? 0 : 1;
    }
    switch (r.reason) {
    case BUILDING_USCC_OK:
        printf("valid\n");
        break;
    case BUILDING_USCC_LENGTH:
        printf("invalid: length %zu, expected 18\n", r.length);
        break;
    case BUILDING_USCC_CHARSET:
        printf("invalid: character set (position %d is not one of "
               "0123456789ABCDEFGHJKLMNPQRTUWXY)\n",
               r.bad_position);
        break;
    case BUILDING_USCC_CHECK:
        printf("invalid: check character expected %c, found %c\n", r.expected, r.found);
        break;
    }
    return ok ? 0 : 1;
}
