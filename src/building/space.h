/* The building economy's public side (issue 16): office space for enterprises looking for it
 * (找写字楼: the buildings with vacant leasable area, their grade and zone and the industries of
 * their tenants, "上下楼即是上下游") and the 入驻意向 an enterprise leaves for one building,
 * which the district's building service staff follow up. No tax figure of a building or an
 * enterprise is shown to the public. */
#ifndef BUILDING_SPACE_H
#define BUILDING_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "building/building.h"
#include "core/db.h"
#include "core/error.h"

/* ---- 找写字楼 --------------------------------------------------------------------------- */

struct building_space_filter {
    const char *zone;     /* NULL/"": every zone; else a zone code (APP_ERR_INVALID "zone") */
    const char *grade;    /* NULL/"": every grade; else 超甲级/甲级/乙级/丙级 ("grade") */
    const char *industry; /* NULL/"": any; else a GB/T 4754 门类 letter or code ("industry"):
                             buildings with tenants of that 门类, by its share */
    double min_m2;        /* vacant area at least this (≥ 0; "min_m2") */
};

#define BUILDING_SPACE_TOP 3

struct building_space_item {
    size_t building;  /* index into the report's buildings */
    double vacant_m2; /* leasable − leased at the year's end */
    double occupancy; /* leased / leasable */
    int tenants;      /* enterprises operating there */
    struct {
        char section[4];
        double share; /* of the leased area */
    } top[BUILDING_SPACE_TOP];
    size_t ntop;
    double industry_share; /* the filter's 门类 share (0 without the filter) */
};
BUILDING_LIST(struct building_space_item, building_space_list);

/* The buildings of the report (every building: the public sees them all) that match f, most
 * vacant area first (with an industry, the largest share of it first). Checks f
 * (APP_ERR_INVALID naming "zone", "grade", "industry" or "min_m2"). The caller frees
 * out->items. Pure over the report. 0 or -1 with err. */
int building_space_find(const struct building_report *r, const struct building_space_filter *f,
                        struct building_space_list *out, struct app_error *err);

/* ---- 入驻意向 ----------------------------------------------------------------------------- */

enum building_inquiry_status {
    BUILDING_INQUIRY_NEW,
    BUILDING_INQUIRY_CONTACTED,
    BUILDING_INQUIRY_SIGNED,
    BUILDING_INQUIRY_LOST,
    BUILDING_INQUIRY_STATUS_COUNT,
};

/* "new", "contacted", "signed", "lost" / 待联系, 已联系, 已签约, 未成交; parse: -1 unknown. */
const char *building_inquiry_status_code(enum building_inquiry_status s);
const char *building_inquiry_status_name(enum building_inquiry_status s);
int building_inquiry_status_parse(const char *s);
/* May an inquiry go from → to? new → contacted | signed | lost, contacted → signed | lost;
 * signed and lost are final. Pure. */
bool building_inquiry_next_ok(enum building_inquiry_status from, enum building_inquiry_status to);

struct building_inquiry_input {
    const char *building; /* building code */
    const char *enterprise_name;
    const char *uscc;     /* may be NULL/"": not yet registered */
    const char *industry; /* may be NULL/"" */
    double area_m2;
    const char *contact;
    const char *phone;
    const char *note; /* may be NULL */
};

struct building_inquiry {
    int64_t id;
    int64_t building_id;
    char building_code[32];
    char building_name[128];
    char grid[24], street[24];
    char enterprise_name[128];
    char uscc[20];
    char industry[8];
    double area_m2;
    char contact[64];
    char phone[16];
    char note[256];
    char status[12];
    int64_t created_at, updated_at;
};
BUILDING_LIST(struct building_inquiry, building_inquiry_list);

/* Record an enterprise's 入驻意向 (anyone may; audited as building.inquiry). Checks every field:
 * building (unknown_building), enterprise_name (1..60 characters), uscc (GB 32100-2015: the
 * reason as code bad_uscc), industry (GB/T 4754-2017), area_m2 (0 < a ≤ 100,000), contact,
 * phone (11-digit mobile), note (≤ 200 bytes): APP_ERR_INVALID naming the field. *id gets the
 * new inquiry's id. 0 or -1 with err. */
int building_inquiry_create(struct db *db, const char *request_id,
                            const struct building_inquiry_input *in, int64_t *id,
                            struct app_error *err);
/* The inquiries for buildings in who's jurisdiction, newest first, of status (NULL: all;
 * unknown → APP_ERR_INVALID "status"). The caller frees out->items. 0 or -1 with err. */
int building_inquiry_list(struct db *db, const struct auth_principal *who, const char *status,
                          struct building_inquiry_list *out, struct app_error *err);
/* Move inquiry id to status (audited as building.inquiry_status). APP_ERR_NOT_FOUND when missing
 * or outside who's jurisdiction, APP_ERR_INVALID "status" when unknown, APP_ERR_CONFLICT
 * "status" when the step is not allowed. out (may be NULL) gets the inquiry after. */
int building_inquiry_set_status(struct db *db, const struct auth_principal *who,
                                const char *request_id, int64_t id, const char *status,
                                struct building_inquiry *out, struct app_error *err);

#endif
