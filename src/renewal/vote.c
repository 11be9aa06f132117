/* Owners' votes on a renewal project: opening a vote with the building's roster of units,
 * recording ballots (one owner, one decision over all their units) and the tally of 民法典
 * 第二百七十八条, recomputed from the stored ballots on every read so a result is always
 * reproducible from them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "renewal/renewal.h"
#include "renewal/renewal_store.h"

int renewal_vote_open(struct db *db, const struct auth_principal *who, const char *code,
                      struct renewal_vote_rec *v, const struct renewal_ballot *units, size_t n,
                      const char *request_id, struct app_error *err)
{
    struct renewal_project p;
    if (renewal_project_get(db, who, code, &p, err))
        return -1;
    if (!v->title[0])
        return app_fail(err, APP_ERR_INVALID, "required", "title", "缺少表决事项");
    if (v->matter != RENEWAL_MATTER_MAJOR && v->matter != RENEWAL_MATTER_ORDINARY)
        return app_fail(err, APP_ERR_INVALID, "bad_matter", "matter",
                        "事项应为 major（第二百七十八条第六至八项）或 ordinary");
    if (v->building_area <= 0)
        return app_fail(err, APP_ERR_INVALID, "bad_number", "building_area",
                        "缺少建筑物专有部分总面积");
    if (n > 20000)
        return app_fail(err, APP_ERR_INVALID, "too_many", "units", "至多 20000 个专有部分");
    struct renewal_tally t;
    if (renewal_tally(units, n, (enum renewal_matter)v->matter, v->building_area, &t, err))
        return -1;
    v->project_id = p.id;
    v->opened_at = clock_now();
    char after[256], id[24];
    if (db_begin(db, err))
        return -1;
    int rc = renewal_store_vote_insert(db, v, &v->id, err);
    for (size_t i = 0; !rc && i < n; i++) {
        struct renewal_ballot b = units[i];
        b.vote = RENEWAL_VOTE_ABSENT;
        rc = renewal_store_ballot_insert(db, v->id, &b, err);
    }
    snprintf(id, sizeof id, "%lld", (long long)v->id);
    snprintf(after, sizeof after, "project=%s;title=%s;matter=%s;units=%zu;owners=%d;area=%lld",
             p.code, v->title, renewal_matter_name((enum renewal_matter)v->matter), n,
             t.total_owners, (long long)v->building_area);
    struct audit_entry e = {.actor = who,
                            .action = "renewal.vote_open",
                            .object_type = "renewal_vote",
                            .object_id = id,
                            .request_id = request_id,
                            .after = after,
                            .region = p.grid};
    rc = rc || audit_append(db, &e, err);
    if (rc == 0 && db_commit(db, err) == 0)
        return 0;
    db_rollback(db);
    return -1;
}

int renewal_vote_get(struct db *db, const struct auth_principal *who, int64_t id,
                     struct renewal_vote_rec *v, struct renewal_ballot_list *ballots,
                     struct renewal_tally *t, struct app_error *err)
{
    bool found = false;
    if (renewal_store_vote_get(db, id, v, &found, err))
        return -1;
    if (!found || (who && !auth_region_in_scope(who, v->grid)))
        return app_fail(err, APP_ERR_NOT_FOUND, "no_vote", "id", "没有这次表决");
    if (renewal_store_ballot_list(db, id, ballots, err))
        return -1;
    return renewal_tally(ballots->items, ballots->len, (enum renewal_matter)v->matter,
                         v->building_area, t, err);
}

int renewal_vote_list(struct db *db, const struct auth_principal *who, int64_t project_id,
                      struct renewal_vote_list *out, struct app_error *err)
{
    const char *s = who ? auth_scope_region(who) : "";
    return renewal_store_vote_list(db, s ? s : "", project_id, out, err);
}

int renewal_ballot_cast(struct db *db, const struct auth_principal *who, int64_t vote_id,
                        const char *unit, enum renewal_vote vote, const char *request_id,
                        struct app_error *err)
{
    struct renewal_vote_rec v;
    struct renewal_ballot_list bl = {0};
    struct renewal_tally t;
    if (renewal_vote_get(db, who, vote_id, &v, &bl, &t, err)) {
        free(bl.items);
        return -1;
    }
    const struct renewal_ballot *b = NULL;
    for (size_t i = 0; unit && i < bl.len && !b; i++)
        if (strcmp(bl.items[i].unit, unit) == 0)
            b = &bl.items[i];
    if (!b) {
        free(bl.items);
        return app_fail(err, APP_ERR_INVALID, "unknown_unit", "unit", "本次表决没有这个房号");
    }
    if ((unsigned)vote > RENEWAL_VOTE_ABSENT) {
        free(bl.items);
        return app_fail(err, APP_ERR_INVALID, "bad_vote", "vote",
                        "表决意见应为 同意/反对/弃权/未参与");
    }
    char id[48], after[160];
    snprintf(id, sizeof id, "%lld/%s", (long long)vote_id, b->unit);
    snprintf(after, sizeof after, "unit=%s;owner=%s;vote=%s", b->unit, b->owner,
             renewal_vote_name(vote));
    struct audit_entry e = {.actor = who,
                            .action = "renewal.ballot_cast",
                            .object_type = "renewal_ballot",
                            .object_id = id,
                            .request_id = request_id,
                            .after = after,
                            .region = v.grid};
    int rc = db_begin(db, err);
    rc = rc || renewal_store_ballot_set(db, vote_id, b->owner, (int)vote, clock_now(), err) ||
         audit_append(db, &e, err);
    free(bl.items);
    if (rc == 0 && db_commit(db, err) == 0)
        return 0;
    db_rollback(db);
    return -1;
}
