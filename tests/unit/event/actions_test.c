/* What the server offers a caller is exactly what it accepts (issue 10): every state × role ×
 * class kind × channel × extension flag × level, each offered action filled as its form
 * declares is accepted by the transition table, each other action is refused; the forms carry
 * the reasons, limits, defaults and photos the workflow needs; no refusal names an internal
 * state or action. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "event/event_internal.h"
#include "test.h"

static const char *const photos[EVENT_MAX_ATTACH] = {"a1", "a2", "a3", "a4",
                                                     "a5", "a6", "a7", "a8"};

static const struct event_choice depts[] = {{"urban", "区城市管理局"}, {"eco", "区生态环境局"}};

/* Fill as a client reading only the form would (independent of event_offer_fill). */
static void client_fill(const struct event_offer *o, struct event_action_input *in)
{
    memset(in, 0, sizeof(*in));
    for (int i = 0; i < o->nfields; i++) {
        const struct event_field *f = &o->fields[i];
        if (!f->required)
            continue;
        switch (f->type) {
        case EVENT_FIELD_TEXT:
        case EVENT_FIELD_STRING:
            if (!strcmp(f->name, "reason"))
                in->reason = "现场情况说明";
            else if (!strcmp(f->name, "result"))
                in->result = "已清理完毕";
            else if (!strcmp(f->name, "into"))
                in->into = "500103-20260302-00009";
            else if (!strcmp(f->name, "comment"))
                in->comment = "说明";
            else
                CHECK(!"unknown text field");
            break;
        case EVENT_FIELD_INTEGER:
            CHECK(f->limited && f->min >= 1 && f->max >= f->min);
            CHECK_STR(f->name, "hours");
            in->hours = (int)f->max;
            break;
        case EVENT_FIELD_CHOICE:
            CHECK(f->nchoices > 0);
            if (!strcmp(f->name, "satisfaction"))
                in->satisfaction = event_satisfaction_parse(f->choices[f->nchoices - 1].value);
            else
                in->department = f->def[0] ? f->def : f->choices[0].value;
            break;
        case EVENT_FIELD_PHOTOS:
            CHECK(f->min >= 1 && f->max <= EVENT_PHOTOS_MAX);
            for (long k = 0; k < f->max; k++)
                in->attachments[in->nattachments++] = photos[k];
            break;
        default:
            CHECK(!"unexpected field type");
        }
    }
}

static void max_fill(struct event_action_input *in)
{
    memset(in, 0, sizeof(*in));
    in->reason = in->comment = in->result = "全部填写";
    in->into = "500103-20260302-00009";
    in->department = "urban";
    in->satisfaction = EVENT_SAT_SATISFIED;
    in->hours = 8;
    for (int k = 0; k < EVENT_PHOTOS_MAX; k++)
        in->attachments[in->nattachments++] = photos[k];
}

static bool mentions_ascii_name(const char *msg)
{
    /* Any run of 4+ lower-case letters/underscores would be an internal name. */
    int run = 0;
    for (const char *p = msg; *p; p++) {
        run = (islower((unsigned char)*p) || *p == '_') ? run + 1 : 0;
        if (run >= 4)
            return true;
    }
    return false;
}

static const char *const GRID = "500103003001001";

static void roles(struct auth_principal *who, size_t *n)
{
    memset(who, 0, 8 * sizeof(*who));
    who[0].role = AUTH_ROLE_CENTER;
    snprintf(who[0].region, 24, "500103003");
    snprintf(who[0].level, 12, "street");
    who[1].role = AUTH_ROLE_CENTER;
    snprintf(who[1].region, 24, "500103");
    snprintf(who[1].level, 12, "district");
    who[2].role = AUTH_ROLE_DEPARTMENT;
    snprintf(who[2].department, 24, "urban");
    who[3].role = AUTH_ROLE_BOARD_POST;
    snprintf(who[3].post, 48, "500103003-cg");
    snprintf(who[3].street, 24, "500103003");
    who[4].role = AUTH_ROLE_GRID_WORKER;
    snprintf(who[4].grid, 24, "%s", GRID);
    who[5].role = AUTH_ROLE_VOLUNTEER;
    snprintf(who[5].grid, 24, "%s", GRID);
    who[6].role = AUTH_ROLE_AUDITOR;
    snprintf(who[6].region, 24, "500103");
    who[7].role = AUTH_ROLE_ADMIN;
    for (int i = 0; i < 8; i++)
        snprintf(who[i].username, 64, "user%d", i);
    *n = 8;
}

TEST(offered_is_accepted)
{
    size_t nrules, nroles;
    const struct event_rule *rules = event_rules(&nrules);
    struct auth_principal who[8];
    roles(who, &nroles);
    int offered_total = 0, refused_total = 0;
    for (int s = 0; s < EVENT_STATE_COUNT; s++)
        for (int kind = 0; kind < 4; kind++) /* self-handle allowed × component/event */
            for (int trusted = 0; trusted < 2; trusted++)
                for (int ext = 0; ext < 2; ext++)
                    for (int lvl = 0; lvl < EVENT_LEVEL_COUNT; lvl++)
                        for (int assignee = 0; assignee < 2; assignee++)
                            for (size_t w = 0; w < nroles; w++) {
                                struct event_category cat = {.unit = EVENT_LIMIT_WORK_HOURS,
                                                             .self_handle = kind & 1};
                                snprintf(cat.code, sizeof(cat.code), "1101");
                                snprintf(cat.kind, sizeof(cat.kind), "%s",
                                         kind & 2 ? "component" : "event");
                                struct event e = {0};
                                snprintf(e.code, sizeof(e.code), "500103-20260302-00001");
                                snprintf(e.grid, sizeof(e.grid), "%s", GRID);
                                e.state = (enum event_state)s;
                                e.prev_state = EVENT_STATE_REGISTERED;
                                e.level = (enum event_level)lvl;
                                e.channel =
                                    trusted ? EVENT_CHANNEL_GRID_PATROL : EVENT_CHANNEL_CITIZEN_QR;
                                e.extension_pending = ext;
                                if (assignee == 0) {
                                    snprintf(e.department, sizeof(e.department), "urban");
                                    snprintf(e.handler, sizeof(e.handler), "user2");
                                } else {
                                    snprintf(e.post, sizeof(e.post), "500103003-cg");
                                    snprintf(e.handler, sizeof(e.handler),
                                             "user4"); /* the grid worker handled it */
                                }
                                struct event_offers of = {0};
                                event_offers_compute(&e, &who[w], &cat, depts, 2, "urban", &of);
                                unsigned parties = event_parties(&who[w], &e);
                                for (size_t i = 0; i < nrules; i++) {
                                    const char *a = rules[i].action;
                                    bool dup = false;
                                    for (size_t k = 0; k < i; k++)
                                        dup = dup || !strcmp(rules[k].action, a);
                                    if (dup)
                                        continue;
                                    const struct event_offer *o = NULL;
                                    for (size_t k = 0; k < of.len; k++)
                                        if (!strcmp(of.items[k].name, a))
                                            o = &of.items[k];
                                    char perm[48];
                                    snprintf(perm, sizeof(perm), "event.%s", a);
                                    const struct event_rule *r;
                                    struct app_error err = {0};
                                    struct event_action_input in;
                                    if (o) {
                                        offered_total++;
                                        CHECK(auth_may(&who[w], perm));
                                        client_fill(o, &in);
                                        int rc = event_rule_pick(&e, a, parties, who[w].username,
                                                                 &in, &cat, &r, &err);
                                        if (rc)
                                            fprintf(stderr,
                                                    "    offered %s in %s to role %d refused: %s\n",
                                                    a, event_state_name(e.state), (int)who[w].role,
                                                    err.message);
                                        CHECK_INT(rc, 0);
                                        CHECK(o->label && o->label[0] &&
                                              !mentions_ascii_name(o->label));
                                        for (int f = 0; f < o->nfields; f++)
                                            CHECK(o->fields[f].label &&
                                                  !mentions_ascii_name(o->fields[f].label));
                                    } else {
                                        refused_total++;
                                        max_fill(&in);
                                        bool refused =
                                            !auth_may(&who[w], perm) ||
                                            event_rule_pick(&e, a, parties, who[w].username, &in,
                                                            &cat, &r, &err) != 0;
                                        if (!refused)
                                            fprintf(stderr,
                                                    "    %s in %s for role %d accepted but not "
                                                    "offered\n",
                                                    a, event_state_name(e.state), (int)who[w].role);
                                        CHECK(refused);
                                        if (err.message[0])
                                            CHECK(!mentions_ascii_name(err.message));
                                    }
                                }
                            }
    CHECK(offered_total > 1000);
    CHECK(refused_total > offered_total);
}

static const struct event_offer *find(const struct event_offers *of, const char *name)
{
    for (size_t k = 0; k < of->len; k++)
        if (!strcmp(of->items[k].name, name))
            return &of->items[k];
    return NULL;
}

static const struct event_field *field(const struct event_offer *o, const char *name)
{
    for (int i = 0; o && i < o->nfields; i++)
        if (!strcmp(o->fields[i].name, name))
            return &o->fields[i];
    return NULL;
}

TEST(the_rules_the_issue_names)
{
    struct auth_principal who[8];
    size_t n;
    roles(who, &n);
    struct event_category cat = {.unit = EVENT_LIMIT_WORK_HOURS, .self_handle = false};
    struct event e = {0};
    snprintf(e.code, sizeof(e.code), "500103-20260302-00001");
    snprintf(e.grid, sizeof(e.grid), "%s", GRID);
    struct event_offers of;

    /* 码上举报: 受理 is offered, 立案 is not (须先受理核实再立案). */
    e.state = EVENT_STATE_REPORTED;
    e.channel = EVENT_CHANNEL_CITIZEN_QR;
    event_offers_compute(&e, &who[0], &cat, depts, 2, "urban", &of);
    CHECK(find(&of, "accept") != NULL);
    CHECK(find(&of, "register") == NULL);
    /* 井盖-like class: the grid worker is not offered 自处理; where allowed it needs photos. */
    event_offers_compute(&e, &who[4], &cat, depts, 2, "urban", &of);
    CHECK(find(&of, "self_handle") == NULL);
    cat.self_handle = true;
    event_offers_compute(&e, &who[4], &cat, depts, 2, "urban", &of);
    const struct event_field *ph = field(find(&of, "self_handle"), "attachments");
    CHECK(ph && ph->type == EVENT_FIELD_PHOTOS && ph->required && ph->min == 1 && ph->max == 3);

    /* 派遣 defaults to the routing table's department; 改派 after 退回 needs a reason. */
    e.state = EVENT_STATE_REGISTERED;
    e.channel = EVENT_CHANNEL_GRID_PATROL;
    event_offers_compute(&e, &who[0], &cat, depts, 2, "eco", &of);
    const struct event_field *d = field(find(&of, "dispatch"), "department");
    CHECK(d && d->type == EVENT_FIELD_CHOICE && d->nchoices == 2);
    CHECK_STR(d ? d->def : NULL, "eco");
    CHECK(!field(find(&of, "dispatch"), "reason")->required);
    e.state = EVENT_STATE_RETURNED;
    event_offers_compute(&e, &who[0], &cat, depts, 2, "eco", &of);
    CHECK(field(find(&of, "dispatch"), "reason")->required);

    /* 申请延期: hours in the class's unit, 1..2160; not again while one is pending. */
    e.state = EVENT_STATE_HANDLING;
    snprintf(e.department, sizeof(e.department), "urban");
    event_offers_compute(&e, &who[2], &cat, depts, 2, "", &of);
    const struct event_field *h = field(find(&of, "request_extension"), "hours");
    CHECK(h && h->type == EVENT_FIELD_INTEGER && h->required && h->min == 1 && h->max == 2160);
    CHECK_STR(h ? h->unit : NULL, "工作小时");
    CHECK(field(find(&of, "feedback"), "result")->required);
    CHECK(find(&of, "approve_extension") == NULL);
    e.extension_pending = true;
    event_offers_compute(&e, &who[2], &cat, depts, 2, "", &of);
    CHECK(find(&of, "request_extension") == NULL);
    event_offers_compute(&e, &who[0], &cat, depts, 2, "", &of);
    CHECK(find(&of, "approve_extension") != NULL && find(&of, "reject_extension") != NULL);

    /* 核查: not by the handler; 不通过 needs a reason, photos optional. */
    e.state = EVENT_STATE_CHECKING;
    snprintf(e.handler, sizeof(e.handler), "user4");
    event_offers_compute(&e, &who[4], &cat, depts, 2, "", &of);
    CHECK(find(&of, "check_pass") == NULL);
    snprintf(e.handler, sizeof(e.handler), "user2");
    event_offers_compute(&e, &who[4], &cat, depts, 2, "", &of);
    CHECK(field(find(&of, "check_fail"), "reason")->required);
    CHECK(!field(find(&of, "check_pass"), "attachments")->required);

    /* 回访: one 回访 button with the three satisfaction choices. */
    e.state = EVENT_STATE_CLOSED;
    event_offers_compute(&e, &who[0], &cat, depts, 2, "", &of);
    const struct event_field *sat = field(find(&of, "revisit"), "satisfaction");
    CHECK(sat && sat->nchoices == 3 && sat->required);
    CHECK_STR(find(&of, "revisit")->label, "回访");

    /* Volunteers and auditors are offered nothing. */
    event_offers_compute(&e, &who[5], &cat, depts, 2, "", &of);
    CHECK_INT(of.len, 0);
    event_offers_compute(&e, &who[6], &cat, depts, 2, "", &of);
    CHECK_INT(of.len, 0);
}

TEST(refusals_name_no_internal_names)
{
    struct event_category cat = {.unit = EVENT_LIMIT_WORK_HOURS};
    struct event e = {0};
    e.state = EVENT_STATE_REGISTERED;
    const struct event_rule *r;
    struct app_error err = {0};
    CHECK_INT(
        event_rule_pick(&e, "approve_extension", EVENT_PARTY_CENTER, "c", NULL, &cat, &r, &err),
        -1);
    CHECK_INT(err.code, APP_ERR_CONFLICT);
    CHECK(strstr(err.message, "立案") && strstr(err.message, "批准延期"));
    CHECK(!strstr(err.message, "registered") && !strstr(err.message, "approve_extension"));
}

TEST_SUITE({"offered_is_accepted", offered_is_accepted},
           {"the_rules_the_issue_names", the_rules_the_issue_names},
           {"refusals_name_no_internal_names", refusals_name_no_internal_names});
