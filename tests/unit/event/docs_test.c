/* docs/events.md copies the workflow transition table from the code: every row of rules[] in
 * src/event/event.c must appear there as "| from | `action` | to |" with its roles, and the
 * document may hold no row the code does not have. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "event/event_internal.h"
#include "test.h"

static char *read_doc(void)
{
    FILE *f = fopen("docs/events.md", "rb");
    if (!f) {
        fprintf(stderr, "    docs/events.md not found (run from the repository root)\n");
        return NULL;
    }
    struct buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    size_t len;
    return buf_detach(&b, &len);
}

TEST(every_rule_is_documented)
{
    char *doc = read_doc();
    CHECK(doc != NULL);
    if (!doc)
        return;
    size_t n;
    const struct event_rule *rules = event_rules(&n);
    for (size_t i = 0; i < n; i++) {
        char row[160];
        const char *to = rules[i].to == EVENT_TO_PREV
                             ? "(previous state)"
                             : event_state_name((enum event_state)rules[i].to);
        snprintf(row, sizeof(row), "| %s | `%s` | %s |", event_state_name(rules[i].from),
                 rules[i].action, to);
        const char *at = strstr(doc, row);
        if (!at)
            fprintf(stderr, "    missing in docs/events.md: %s\n", row);
        CHECK(at != NULL);
        /* The roles column names every role holding event.<action>. */
        char perm[48];
        snprintf(perm, sizeof(perm), "event.%s", rules[i].action);
        const char *eol = at ? strchr(at, '\n') : NULL;
        for (int r = AUTH_ROLE_NONE + 1; at && eol && r < AUTH_ROLE_COUNT; r++) {
            struct auth_principal p = {.role = (enum auth_role)r};
            if (!auth_may(&p, perm))
                continue;
            const char *name = auth_role_name((enum auth_role)r);
            const char *hit = strstr(at, name);
            if (!hit || hit > eol)
                fprintf(stderr, "    %s: role %s missing\n", row, name);
            CHECK(hit && hit < eol);
        }
    }
    /* No stale rows: as many rows "| <state> | `<action>` |" as rules. */
    size_t rows = 0;
    for (const char *p = doc; (p = strstr(p, "\n| ")) != NULL; p++) {
        char state[32];
        const char *bar = strstr(p + 3, " | `");
        size_t len = bar ? (size_t)(bar - (p + 3)) : 0;
        if (!bar || len == 0 || len >= sizeof(state) || memchr(p + 3, '\n', len))
            continue;
        memcpy(state, p + 3, len);
        state[len] = 0;
        if (event_state_parse(state) >= 0)
            rows++;
    }
    CHECK_INT((int)rows, (int)n);
    free(doc);
}

TEST_SUITE({"every_rule_is_documented", every_rule_is_documented});
