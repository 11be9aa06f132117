/* Fuzz the region import end to end on a :memory: database seeded with the Yuzhong region
 * tree: the first byte picks CSV or GeoJSON, the rest is the file. The import is applied or
 * refused as a whole: a refusal names a field and leaves the regions exactly as they were. */
#include <assert.h>

#include "core/db.h"
#include "fuzz.h"
#include "org/org.h"
#include "org/org_api.h"

static struct db *db;
static size_t regions_before;

static size_t count_regions(void)
{
    struct org_region_list list = {0};
    struct app_error err;
    struct org_region_query q = {0};
    bool more = false;
    q.limit = 100000;
    assert(org_region_list(db, &q, &list, &more, &err) == 0);
    size_t n = list.len;
    org_region_list_release(&list);
    return n;
}

static void fresh_db(void)
{
    struct app_error err;
    db_close(db);
    assert(db_open(":memory:", 0, &db, &err) == 0);
    assert(db_migrate(db, NULL, &err) == 0);
    assert(org_seed(db, false, &err) == 0);
    regions_before = count_regions();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        fresh_db();
    if (size < 1)
        return 0;
    bool csv = data[0] & 1;
    char *text = fuzz_cstr(data + 1, size - 1);
    struct org_import imp;
    struct org_import_result res;
    struct app_error err = {0};
    org_import_init(&imp);
    int rc = csv ? org_import_parse_csv(text, size - 1, &imp, &err)
                 : org_api_read_geojson(text, size - 1, &imp, &err);
    if (rc == 0)
        rc = org_import_run(NULL, db, &imp, &res, &err);
    org_import_release(&imp);
    if (rc) {
        assert(err.code == APP_ERR_INVALID || err.code == APP_ERR_CONFLICT);
        assert(err.code_name[0]);
        assert(count_regions() == regions_before);
    } else {
        fresh_db(); /* keep runs independent of each other */
    }
    free(text);
    return 0;
}
