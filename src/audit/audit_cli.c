/* zhizhi audit verify: walk the hash chain of the audit log and name the first broken row. */
#include "audit/audit_cli.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"

int audit_cli_main(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    char *rest[64];
    int nrest;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    if (nrest != 1 || strcmp(rest[0], "verify") != 0) {
        fprintf(stderr, "usage: zhizhi audit verify --data-dir DIR\n");
        cli_close_app(&app);
        return CLI_USAGE;
    }
    int64_t rows = 0, broken = 0;
    char why[160];
    int v = audit_verify(app.db, &rows, &broken, why, sizeof(why), &err);
    if (v < 0) {
        fprintf(stderr, "zhizhi audit: %s\n", err.message);
        rc = CLI_FAIL;
    } else if (v == 1) {
        printf("audit log BROKEN at row %lld: %s\n", (long long)broken, why);
        rc = CLI_FAIL;
    } else {
        printf("audit log intact: %lld rows\n", (long long)rows);
        rc = CLI_OK;
    }
    cli_close_app(&app);
    return rc;
}
