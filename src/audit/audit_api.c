/* Thin handler for reading the audit log, newest first, with filters and cursor paging. Each
 * caller reads only the rows audit_visible to them: auditors those of their region. */
#include "audit/audit_api.h"

#include <stdio.h>
#include <stdlib.h>

#include "audit/audit.h"
#include "core/clock.h"

static json_t *record_json(const struct audit_record *r)
{
    char at[32];
    clock_format_local(r->at, at, sizeof(at));
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)r->id, "at",
                          at, "action", r->action, "object_type", r->object_type, "object_id",
                          r->object_id, "request_id", r->request_id, "before_digest",
                          r->before_digest, "after_digest", r->after_digest, "hash", r->hash);
    json_object_set_new(o, "actor", r->actor_name[0] ? json_string(r->actor_name) : json_null());
    json_object_set_new(o, "actor_role",
                        r->actor_role[0] ? json_string(r->actor_role) : json_null());
    json_object_set_new(o, "region", r->region[0] ? json_string(r->region) : json_null());
    return o;
}

static int parse_time(const struct http_request *req, const char *name, int64_t *out,
                      struct app_error *err)
{
    const char *s = http_query(req, name);
    *out = 0;
    return s ? clock_parse(s, out, name, err) : 0;
}

static int list_audit(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct audit_query q = {.object_type = http_query(req, "object_type"),
                            .object_id = http_query(req, "object_id"),
                            .actor = http_query(req, "actor"),
                            .viewer = req->who};
    const char *cursor;
    struct audit_list list = {0};
    bool more;
    if (http_list_params(req, &q.limit, &cursor, &err) || parse_time(req, "from", &q.from, &err) ||
        parse_time(req, "to", &q.to, &err))
        return http_reply_error(resp, &err);
    if (cursor) {
        char *end;
        q.before_id = strtoll(cursor, &end, 10);
        if (*end || q.before_id <= 0)
            return http_reply_problem(resp, APP_ERR_INVALID, "invalid_cursor", "cursor",
                                      "游标无效");
    }
    if (audit_query(req->db, &q, &list, &more, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < list.len; i++)
        json_array_append_new(items, record_json(&list.items[i]));
    char next[24] = "";
    if (more && list.len)
        snprintf(next, sizeof(next), "%lld", (long long)list.items[list.len - 1].id);
    audit_list_release(&list);
    return http_reply_json(resp, 200, http_list_body(items, next[0] ? next : NULL));
}

const struct http_route audit_routes[] = {
    {"GET", "/api/v1/audit", list_audit, 0, "audit.read"},
    {NULL, NULL, NULL, 0, NULL},
};
