/* Thin handlers for the district model: regions, GeoJSON, point location, boards,
 * departments and grid teams. */
#include "org/org_api.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "core/privacy.h"
#include "core/xalloc.h"
#include "geo/geo.h"
#include "http/encoding.h"

static json_t *region_json(const struct org_region *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(r->code));
    json_object_set_new(o, "name", json_string(r->name));
    json_object_set_new(o, "level", json_string(r->level));
    json_object_set_new(o, "parent", r->parent_code[0] ? json_string(r->parent_code) : json_null());
    if (r->has_geometry) {
        json_object_set_new(o, "area_m2", json_real(r->area_m2));
        json_object_set_new(o, "center", json_pack("[f,f]", r->center_lon, r->center_lat));
        json_object_set_new(o, "bbox",
                            json_pack("[f,f,f,f]", r->bbox[0], r->bbox[1], r->bbox[2], r->bbox[3]));
    }
    json_object_set_new(o, "synthetic", json_boolean(r->synthetic));
    return o;
}

static json_t *brief_json(const struct org_region *r)
{
    return json_pack("{s:s,s:s}", "code", r->code, "name", r->name);
}

static int list_regions(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_region_query q = {.level = http_query(req, "level"),
                                 .parent = http_query(req, "parent")};
    struct org_region_list list = {0};
    bool more;
    if (http_list_params(req, &q.limit, &q.after, &err) ||
        org_region_list(req->db, &q, &list, &more, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < list.len; i++)
        json_array_append_new(items, region_json(&list.items[i]));
    http_reply_json(resp, 200,
                    http_list_body(items, more && list.len ? list.items[list.len - 1].code : NULL));
    org_region_list_release(&list);
    return 0;
}

static int get_region(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_region r;
    if (org_region_get(req->db, http_param(req, "code"), &r, &err))
        return http_reply_error(resp, &err);
    json_t *o = region_json(&r);
    json_object_set_new(o, "geometry", r.geometry ? json_loads(r.geometry, 0, NULL) : json_null());
    org_region_release(&r);
    http_reply_json(resp, 200, o);
    return 0;
}

void org_api_write_geojson(const struct org_region_list *regions, struct buf *out)
{
    json_t *features = json_array();
    for (size_t i = 0; i < regions->len; i++) {
        const struct org_region *r = &regions->items[i];
        json_t *props = region_json(r);
        json_object_del(props, "bbox");
        json_t *geom = r->geometry ? json_loads(r->geometry, 0, NULL) : NULL;
        json_array_append_new(features, json_pack("{s:s,s:s,s:o,s:o}", "type", "Feature", "id",
                                                  r->code, "properties", props, "geometry",
                                                  geom ? geom : json_null()));
    }
    json_t *fc = json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features);
    /* 17 significant digits: coordinates survive an export and re-import bit for bit. */
    char *text = json_dumps(fc, JSON_COMPACT | JSON_REAL_PRECISION(17));
    buf_puts(out, text);
    free(text);
    json_decref(fc);
}

void org_api_write_csv(const struct org_region_list *regions, struct buf *out)
{
    buf_puts(out, "\xEF\xBB\xBFlevel,code,name,parent_code,area_m2,center_lon,center_lat,"
                  "synthetic,geometry\r\n");
    for (size_t i = 0; i < regions->len; i++) {
        const struct org_region *r = &regions->items[i];
        buf_printf(out, "%s,%s,", r->level, r->code);
        buf_put_csv(out, r->name);
        buf_printf(out, ",%s,", r->parent_code);
        if (r->has_geometry)
            buf_printf(out, "%.1f,%.7f,%.7f", r->area_m2, r->center_lon, r->center_lat);
        else
            buf_puts(out, ",,");
        buf_printf(out, ",%s,", r->synthetic ? "true" : "false");
        buf_put_csv(out, r->geometry ? r->geometry : "");
        buf_puts(out, "\r\n");
    }
}

static int children_geojson(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_region parent;
    if (org_region_get(req->db, http_param(req, "code"), &parent, &err))
        return http_reply_error(resp, &err);
    org_region_release(&parent);
    struct org_region_query q = {
        .parent = http_param(req, "code"), .limit = 100000, .with_geometry = true};
    struct org_region_list list = {0};
    bool more;
    if (org_region_list(req->db, &q, &list, &more, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    org_api_write_geojson(&list, &b);
    http_reply_bytes(resp, 200, "application/geo+json", b.data, b.len);
    buf_release(&b);
    org_region_list_release(&list);
    return 0;
}

static int export_regions(struct http_request *req, struct http_response *resp, bool csv)
{
    struct app_error err = {0};
    struct org_region_query q = {.level = http_query(req, "level"),
                                 .parent = http_query(req, "parent"),
                                 .limit = 1000000,
                                 .with_geometry = true};
    struct org_region_list list = {0};
    bool more;
    if (org_region_list(req->db, &q, &list, &more, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    if (csv) {
        org_api_write_csv(&list, &b);
        http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data, b.len);
        http_set_header(resp, "Content-Disposition", "attachment; filename=\"regions.csv\"");
    } else {
        org_api_write_geojson(&list, &b);
        http_reply_bytes(resp, 200, "application/geo+json", b.data, b.len);
    }
    buf_release(&b);
    org_region_list_release(&list);
    return 0;
}

static int export_csv(struct http_request *req, struct http_response *resp)
{
    return export_regions(req, resp, true);
}

static int export_geojson(struct http_request *req, struct http_response *resp)
{
    return export_regions(req, resp, false);
}

static int locate(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    double lon = 0, lat = 0;
    const char *crs = http_query(req, "crs");
    if (http_query_number(req, "lon", true, &lon, &err) ||
        http_query_number(req, "lat", true, &lat, &err))
        return http_reply_error(resp, &err);
    if (lon < -180 || lon > 180)
        return http_reply_problem(resp, APP_ERR_INVALID, "invalid_number", "lon",
                                  "lon must be within -180..180");
    if (lat < -90 || lat > 90)
        return http_reply_problem(resp, APP_ERR_INVALID, "invalid_number", "lat",
                                  "lat must be within -90..90");
    if (crs && strcmp(crs, "gcj02") == 0) {
        struct geo_point w = geo_gcj02_to_wgs84((struct geo_point){lon, lat});
        lon = w.lon;
        lat = w.lat;
    } else if (crs && strcmp(crs, "wgs84") != 0) {
        return http_reply_problem(resp, APP_ERR_INVALID, "invalid_crs", "crs",
                                  "crs must be wgs84 or gcj02");
    }
    struct org_location loc;
    if (org_locate(req->app, req->db, lon, lat, &loc, &err))
        return http_reply_error(resp, &err);
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:[f,f]}", "grid", brief_json(&loc.grid), "community",
                          brief_json(&loc.community), "street", brief_json(&loc.street), "district",
                          brief_json(&loc.district), "wgs84", lon, lat);
    org_location_release(&loc);
    http_reply_json(resp, 200, o);
    return 0;
}

/* A string member of a feature's properties: 0 with *out set (NULL when missing or null), -1
 * when it has another type. */
static int prop_string(json_t *props, const char *key, char **out)
{
    json_t *v = json_object_get(props, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return -1;
    *out = xstrdup(json_string_value(v));
    return 0;
}

static int feature_fail(struct app_error *err, const char *where, const char *member,
                        const char *what)
{
    char field[128];
    snprintf(field, sizeof(field), "%s%s%s", where, member[0] ? "." : "", member);
    return app_fail(err, APP_ERR_INVALID, "invalid_type", field, "%s：%s", where, what);
}

static int read_feature(json_t *f, const char *where, struct org_import *imp, struct app_error *err)
{
    static const char *const keys[] = {"level", "code", "name", "parent_code"};
    if (!json_is_object(f) || !json_is_string(json_object_get(f, "type")) ||
        strcmp(json_string_value(json_object_get(f, "type")), "Feature") != 0)
        return feature_fail(err, where, "", "应为 GeoJSON Feature 对象");
    json_t *props = json_object_get(f, "properties");
    if (!json_is_object(props))
        return feature_fail(err, where, "properties", "properties 应为对象");
    struct org_import_row *row = org_import_add(imp, where, false);
    char **slots[] = {&row->level, &row->code, &row->name, &row->parent_code};
    for (int k = 0; k < 4; k++) {
        char member[40];
        snprintf(member, sizeof(member), "properties.%s", keys[k]);
        if (prop_string(props, keys[k], slots[k]))
            return feature_fail(err, where, member, "应为字符串");
    }
    if (!row->parent_code && json_object_get(props, "parent") &&
        prop_string(props, "parent", &row->parent_code))
        return feature_fail(err, where, "properties.parent", "应为字符串");
    json_t *id = json_object_get(f, "id");
    if (!row->code && json_is_string(id))
        row->code = xstrdup(json_string_value(id));
    json_t *syn = json_object_get(props, "synthetic");
    if (syn && !json_is_null(syn) && !json_is_boolean(syn))
        return feature_fail(err, where, "properties.synthetic", "synthetic 应为 true 或 false");
    row->synthetic = json_is_true(syn);
    json_t *geom = json_object_get(f, "geometry");
    if (geom && !json_is_null(geom) && !json_is_object(geom))
        return feature_fail(err, where, "geometry", "geometry 应为 GeoJSON 几何对象或 null");
    if (json_is_object(geom))
        row->geometry = json_dumps(geom, JSON_COMPACT | JSON_REAL_PRECISION(17));
    return 0;
}

int org_api_read_geojson(const char *text, size_t len, struct org_import *imp,
                         struct app_error *err)
{
    json_error_t je;
    int ret = -1;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return app_fail(err, APP_ERR_INVALID, "malformed_json", "body",
                        "JSON 格式错误（malformed JSON at line %d, column %d）：%s", je.line,
                        je.column, je.text);
    json_t *type = json_object_get(root, "type");
    if (!json_is_object(root) || !json_is_string(type) ||
        strcmp(json_string_value(type), "FeatureCollection") != 0) {
        app_fail(err, APP_ERR_INVALID, "invalid_type", "type",
                 "应为 GeoJSON FeatureCollection（type 必须是 \"FeatureCollection\"）");
        goto out;
    }
    json_t *crs = json_object_get(root, "crs");
    if (crs && !json_is_null(crs)) {
        json_t *name =
            json_is_string(crs) ? crs : json_object_get(json_object_get(crs, "properties"), "name");
        if (!json_is_string(name)) {
            app_fail(err, APP_ERR_INVALID, "invalid_type", "crs",
                     "crs 应为 {\"type\":\"name\",\"properties\":{\"name\":...}}");
            goto out;
        }
        if (org_import_set_crs(imp, json_string_value(name), "crs", err))
            goto out;
    }
    json_t *features = json_object_get(root, "features");
    if (!json_is_array(features)) {
        app_fail(err, APP_ERR_INVALID, "invalid_type", "features", "features 应为数组");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(features); i++) {
        char where[32];
        snprintf(where, sizeof(where), "features[%zu]", i);
        if (read_feature(json_array_get(features, i), where, imp, err))
            goto out;
    }
    ret = 0;
out:
    json_decref(root);
    return ret;
}

static int import_regions(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_import imp;
    struct org_import_result res;
    const char *ct = http_header(req, "Content-Type");
    int rc = -1;
    org_import_init(&imp);
    if (org_import_set_crs(&imp, http_query(req, "crs"), "crs", &err))
        goto out;
    if (ct && strncasecmp(ct, "text/csv", 8) == 0)
        rc = org_import_parse_csv(req->body, req->body_len, &imp, &err);
    else if (ct && (strncasecmp(ct, "application/geo+json", 20) == 0 ||
                    strncasecmp(ct, "application/json", 16) == 0))
        rc = org_api_read_geojson(req->body, req->body_len, &imp, &err);
    else
        app_fail(&err, APP_ERR_UNSUPPORTED, "unsupported_media_type", "Content-Type",
                 "请以 application/geo+json 或 text/csv 上传区划文件");
    if (rc == 0)
        rc = org_import_run(req->app, req->db, &imp, &res, &err);
out:
    org_import_release(&imp);
    if (rc)
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200,
                           json_pack("{s:I,s:I,s:I,s:I}", "inserted", (json_int_t)res.inserted,
                                     "updated", (json_int_t)res.updated, "grids_removed",
                                     (json_int_t)res.grids_removed, "communities_checked",
                                     (json_int_t)res.communities_tiled));
}

static int list_boards(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_board_list boards = {0};
    struct org_post_list posts = {0};
    const char *street = http_query(req, "street");
    if (org_board_list(req->db, &boards, &err) ||
        org_post_list(req->db, street, NULL, &posts, &err)) {
        org_board_list_release(&boards);
        return http_reply_error(resp, &err);
    }
    json_t *items = json_array();
    for (size_t i = 0; i < boards.len; i++) {
        json_t *ps = json_array();
        for (size_t k = 0; k < posts.len; k++)
            if (strcmp(posts.items[k].board_code, boards.items[i].code) == 0)
                json_array_append_new(ps, json_pack("{s:s,s:s,s:s}", "code", posts.items[k].code,
                                                    "name", posts.items[k].name, "street",
                                                    posts.items[k].street_code));
        json_array_append_new(items, json_pack("{s:s,s:s,s:o}", "code", boards.items[i].code,
                                               "name", boards.items[i].name, "posts", ps));
    }
    http_reply_json(resp, 200, http_list_body(items, NULL));
    org_board_list_release(&boards);
    org_post_list_release(&posts);
    return 0;
}

static int list_departments(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_department_list list = {0};
    if (org_department_list(req->db, &list, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < list.len; i++)
        json_array_append_new(items,
                              json_pack("{s:s,s:s,s:s}", "code", list.items[i].code, "name",
                                        list.items[i].name, "region", list.items[i].region_code));
    http_reply_json(resp, 200, http_list_body(items, NULL));
    org_department_list_release(&list);
    return 0;
}

static int grid_team(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_person_list team = {0};
    /* Outside the caller's scope a grid answers exactly like a missing one. */
    if (!auth_region_in_scope(req->who, http_param(req, "code")))
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "region_not_found", NULL, "no region");
    if (org_team(req->db, http_param(req, "code"), &team, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < team.len; i++) {
        char phone[32];
        auth_show_phone(req->who, team.items[i].phone, phone, sizeof(phone));
        json_array_append_new(items,
                              json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)team.items[i].id,
                                        "name", team.items[i].name, "role", team.items[i].team_role,
                                        "phone", phone, "synthetic", team.items[i].synthetic));
    }
    http_reply_json(resp, 200, http_list_body(items, NULL));
    org_person_list_release(&team);
    return 0;
}

/* Public, rarely changing answers (regions, their GeoJSON and CSV, boards, departments) are
 * rendered once per data version and kept as prepared bytes, with their gzip form, a strong
 * ETag and the headers the handler set. Every request costs one read of the version. */
#define CACHE_SLOTS 256
#define CACHE_KEY 512

struct cached_reply {
    char key[CACHE_KEY];
    int64_t version;
    char content_type[96];
    char etag[48];
    char *body, *gz;
    size_t body_len, gz_len;
    struct http_header_kv headers[4];
    int nheaders;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached_reply *cache[CACHE_SLOTS];
static size_t cache_len;

static void cached_free(struct cached_reply *c)
{
    if (!c)
        return;
    free(c->body);
    free(c->gz);
    for (int i = 0; i < c->nheaders; i++) {
        free(c->headers[i].name);
        free(c->headers[i].value);
    }
    free(c);
}

/* The answer's key: the path and the query arguments the cached handlers read. */
static bool cache_key(const struct http_request *req, char *out, size_t n)
{
    static const char *const args[] = {"level", "parent", "limit", "cursor", "street"};
    size_t len = (size_t)snprintf(out, n, "%s", req->path);
    for (size_t i = 0; i < sizeof(args) / sizeof(args[0]) && len < n; i++) {
        const char *v = http_query(req, args[i]);
        if (v)
            len += (size_t)snprintf(out + len, n - len, "\n%s=%s", args[i], v);
    }
    return len < n;
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* Does If-None-Match name etag (or "*")? Weak comparison (RFC 9110 13.1.2). */
static bool etag_listed(const char *inm, const char *etag)
{
    if (!inm)
        return false;
    if (strchr(inm, '*'))
        return true;
    return strstr(inm, etag) != NULL;
}

static void serve_cached(struct http_request *req, struct http_response *resp,
                         const struct cached_reply *c)
{
    http_set_header(resp, "ETag", c->etag);
    http_set_header(resp, "Cache-Control", "public, no-cache");
    http_set_header(resp, "Vary", "Accept-Encoding");
    for (int i = 0; i < c->nheaders; i++)
        http_set_header(resp, c->headers[i].name, c->headers[i].value);
    if (etag_listed(http_header(req, "If-None-Match"), c->etag)) {
        http_reply_bytes(resp, 304, c->content_type, "", 0);
        return;
    }
    if (c->gz && http_accepts_gzip(http_header(req, "Accept-Encoding"))) {
        http_set_header(resp, "Content-Encoding", "gzip");
        http_reply_bytes(resp, 200, c->content_type, c->gz, c->gz_len);
    } else {
        http_reply_bytes(resp, 200, c->content_type, c->body, c->body_len);
    }
}

static struct cached_reply *cache_find(const char *key, int64_t version)
{
    for (size_t i = 0; i < cache_len; i++)
        if (cache[i]->version == version && strcmp(cache[i]->key, key) == 0)
            return cache[i];
    return NULL;
}

/* Keep fresh, dropping every entry of an older version first. Takes ownership of fresh. */
static void cache_put(struct cached_reply *fresh)
{
    size_t k = 0;
    for (size_t i = 0; i < cache_len; i++) {
        if (cache[i]->version < fresh->version)
            cached_free(cache[i]);
        else
            cache[k++] = cache[i];
    }
    cache_len = k;
    if (cache_len < CACHE_SLOTS && !cache_find(fresh->key, fresh->version))
        cache[cache_len++] = fresh;
    else
        cached_free(fresh);
}

static int cached(struct http_request *req, struct http_response *resp, http_handler fn)
{
    struct app_error err = {0};
    char key[CACHE_KEY];
    int64_t version;
    if (!cache_key(req, key, sizeof(key)) || org_data_version(req->db, &version, &err))
        return fn(req, resp);
    pthread_mutex_lock(&cache_lock);
    struct cached_reply *c = cache_find(key, version);
    if (c) {
        serve_cached(req, resp, c);
        pthread_mutex_unlock(&cache_lock);
        return 0;
    }
    pthread_mutex_unlock(&cache_lock);

    struct http_response fresh = {0};
    fn(req, &fresh);
    if (fresh.status != 200 || fresh.stream.next) {
        *resp = fresh; /* errors are answered as they are, never kept */
        return 0;
    }
    c = xcalloc(1, sizeof(*c));
    snprintf(c->key, sizeof(c->key), "%s", key);
    c->version = version;
    snprintf(c->content_type, sizeof(c->content_type), "%s", fresh.content_type);
    c->body_len = fresh.body.len;
    c->body = xmalloc(c->body_len + 1);
    memcpy(c->body, buf_cstr(&fresh.body), c->body_len);
    c->gz = http_gzip(c->body, c->body_len, &c->gz_len);
    snprintf(c->etag, sizeof(c->etag), "\"%lld-%016llx\"", (long long)version,
             (unsigned long long)fnv1a(c->body, c->body_len));
    for (int i = 0; i < fresh.nheaders && c->nheaders < 4; i++) {
        if (strcasecmp(fresh.headers[i].name, "Cache-Control") == 0)
            continue;
        c->headers[c->nheaders].name = xstrdup(fresh.headers[i].name);
        c->headers[c->nheaders].value = xstrdup(fresh.headers[i].value);
        c->nheaders++;
    }
    for (int i = 0; i < fresh.nheaders; i++) {
        free(fresh.headers[i].name);
        free(fresh.headers[i].value);
    }
    buf_release(&fresh.body);
    serve_cached(req, resp, c);
    pthread_mutex_lock(&cache_lock);
    cache_put(c);
    pthread_mutex_unlock(&cache_lock);
    return 0;
}

#define CACHED(name)                                                                               \
    static int cached_##name(struct http_request *req, struct http_response *resp)                 \
    {                                                                                              \
        return cached(req, resp, name);                                                            \
    }
CACHED(list_regions)
CACHED(export_csv)
CACHED(export_geojson)
CACHED(children_geojson)
CACHED(get_region)
CACHED(list_boards)
CACHED(list_departments)

const struct http_route org_routes[] = {
    {"GET", "/api/v1/regions", cached_list_regions, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/regions.csv", cached_export_csv, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/regions.geojson", cached_export_geojson, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/regions/{code}.geojson", cached_children_geojson, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/regions/{code}", cached_get_region, HTTP_PUBLIC, NULL},
    {"POST", "/api/v1/regions/import", import_regions, HTTP_RAW_BODY, "org.write"},
    {"GET", "/api/v1/locate", locate, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/boards", cached_list_boards, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/departments", cached_list_departments, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/grids/{code}/team", grid_team, 0, "org.team.read"},
    {NULL, NULL, NULL, 0, NULL},
};
