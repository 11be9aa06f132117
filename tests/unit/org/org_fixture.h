/* Shared set-up for the org tests: a migrated :memory: database seeded with the Yuzhong
 * region tree (with or without the synthetic demo), and a text snapshot of every region and
 * team member to prove that a refused import changed nothing. */
#ifndef TESTS_UNIT_ORG_FIXTURE_H
#define TESTS_UNIT_ORG_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "org/org.h"
#include "org/org_api.h"

static inline struct db *fixture_db(bool demo)
{
    struct db *db = NULL;
    struct app_error err = {0};
    if (db_open(":memory:", 1000, &db, &err) || db_migrate(db, NULL, &err) ||
        org_seed(db, demo, &err)) {
        fprintf(stderr, "    fixture: %s\n", err.message);
        abort();
    }
    return db;
}

/* Every region (with geometry) as CSV, plus the number of team members of each grid. */
static inline char *fixture_snapshot(struct db *db)
{
    struct org_region_query q = {.limit = 1000000, .with_geometry = true};
    struct org_region_list l = {0};
    struct app_error err = {0};
    struct buf b = BUF_INIT;
    bool more;
    if (org_region_list(db, &q, &l, &more, &err))
        abort();
    org_api_write_csv(&l, &b);
    for (size_t i = 0; i < l.len; i++) {
        if (strcmp(l.items[i].level, "grid") != 0)
            continue;
        struct org_person_list team = {0};
        if (org_team(db, l.items[i].code, &team, &err))
            abort();
        buf_printf(&b, "%s:%zu\n", l.items[i].code, team.len);
        org_person_list_release(&team);
    }
    org_region_list_release(&l);
    char *s = strdup(buf_cstr(&b));
    buf_release(&b);
    return s;
}

#endif
