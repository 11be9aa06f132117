/* Old-house safety: dangerous-building appraisals (危险房屋鉴定, JGJ 125-2016) on the record, and
 * a C or D grade handed to the event loop as a 危险房屋 event at the building's grid — D urgent,
 * 整幢危房, with the duty to evacuate — so it runs its deadlines and escalates like any other. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/log.h"
#include "event/event.h"
#include "org/org.h"
#include "renewal/renewal.h"
#include "renewal/renewal_store.h"

/* The 城市管理部件/事件 class of a dangerous house (房屋土地 › 危险房屋). */
#define APPRAISAL_EVENT_CATEGORY "0501"

const char *renewal_grade_label(const char *g)
{
    if (!g || !g[0] || g[1])
        return NULL;
    switch (g[0]) {
    case 'A':
        return "A级：结构能满足安全使用要求";
    case 'B':
        return "B级：个别构件为危险构件，不影响主体结构安全";
    case 'C':
        return "C级：部分承重结构不能满足安全使用要求，局部危房";
    case 'D':
        return "D级：承重结构已不能满足安全使用要求，整幢危房";
    default:
        return NULL;
    }
}

/* A C or D grade: the event, then its code on the appraisal (audited). Failures are logged:
 * the appraisal itself is on the record either way. */
static void open_event(struct app *app, struct db *db, struct renewal_appraisal *a)
{
    struct app_error err = {0};
    bool d = a->grade[0] == 'D';
    char title[256], desc[768], link[32];
    snprintf(title, sizeof title, "%s：%s（%s级）", d ? "整幢危房" : "局部危房", a->building,
             a->grade);
    snprintf(desc, sizeof desc, "%s 经 %s 鉴定为 %s（JGJ 125-2016，鉴定日期 %s）。%s", a->building,
             a->appraiser, renewal_grade_label(a->grade), a->appraised_on,
             d ? "须立即组织住户撤离、设置警示并停止使用，限期解危。"
               : "须采取措施处理危险部位，限期解危。");
    snprintf(link, sizeof link, "%lld", (long long)a->id);
    struct event_sensor_alert in = {.category = APPRAISAL_EVENT_CATEGORY,
                                    .title = title,
                                    .description = desc,
                                    .lon = a->lon,
                                    .lat = a->lat,
                                    .grid = a->grid,
                                    .urgency = d ? EVENT_URGENCY_URGENT : -1,
                                    .station = link,
                                    .link_type = "appraisal",
                                    .reporter = "危房鉴定"};
    char code[64] = "";
    if (event_open_sensor_alert(app, db, &in, code, &err)) {
        log_warn("renewal: appraisal %lld: event not opened: %s", (long long)a->id, err.message);
        return;
    }
    snprintf(a->event_code, sizeof a->event_code, "%s", code);
    struct audit_entry e = {.action = "renewal.appraisal_event",
                            .object_type = "renewal_appraisal",
                            .object_id = link,
                            .after = code,
                            .region = a->grid};
    if (db_begin(db, &err))
        return;
    if (renewal_store_appraisal_set_event(db, a->id, code, &err) || audit_append(db, &e, &err) ||
        db_commit(db, &err)) {
        db_rollback(db);
        log_warn("renewal: appraisal %lld not linked to %s: %s", (long long)a->id, code,
                 err.message);
    }
}

int renewal_appraisal_record(struct app *app, struct db *db, const struct auth_principal *who,
                             struct renewal_appraisal *a, const char *request_id,
                             struct app_error *err)
{
    int64_t day;
    char today[16];
    clock_format_date(clock_now(), today, sizeof today);
    if (!a->building[0])
        return app_fail(err, APP_ERR_INVALID, "required", "building", "缺少房屋名称");
    if (!renewal_grade_label(a->grade))
        return app_fail(err, APP_ERR_INVALID, "bad_grade", "grade",
                        "鉴定等级应为 A/B/C/D（JGJ 125-2016）");
    if (clock_parse_date(a->appraised_on, &day) || strcmp(a->appraised_on, today) > 0)
        return app_fail(err, APP_ERR_INVALID, "bad_date", "appraised_on",
                        "鉴定日期应为不晚于今天的 YYYY-MM-DD");
    if (!a->appraiser[0])
        return app_fail(err, APP_ERR_INVALID, "required", "appraiser", "缺少鉴定机构");
    struct org_location loc;
    if (org_locate(app, db, a->lon, a->lat, &loc, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "outside_district", "lon",
                            "该位置不在辖区网格内");
        return -1;
    }
    snprintf(a->grid, sizeof a->grid, "%s", loc.grid.code);
    org_location_release(&loc);
    if (who && !auth_region_in_scope(who, a->grid))
        return app_fail(err, APP_ERR_NOT_FOUND, "outside_scope", "lon", "该位置不在您的辖区内");
    char after[384], id[24];
    snprintf(after, sizeof after, "building=%s;grade=%s;on=%s;appraiser=%s;grid=%s", a->building,
             a->grade, a->appraised_on, a->appraiser, a->grid);
    if (db_begin(db, err))
        return -1;
    int rc = renewal_store_appraisal_insert(db, a, clock_now(), &a->id, err);
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    struct audit_entry e = {.actor = who,
                            .action = "renewal.appraisal_record",
                            .object_type = "renewal_appraisal",
                            .object_id = id,
                            .request_id = request_id,
                            .after = after,
                            .region = a->grid};
    rc = rc || audit_append(db, &e, err);
    if (rc || db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    if (a->grade[0] == 'C' || a->grade[0] == 'D')
        open_event(app, db, a);
    return 0;
}

int renewal_appraisal_list(struct db *db, const struct auth_principal *who,
                           struct renewal_appraisal_list *out, struct app_error *err)
{
    const char *s = who ? auth_scope_region(who) : "";
    return renewal_store_appraisal_list(db, s ? s : "", out, err);
}
