/* Reading a pedestrian network from OpenStreetMap (.osm XML or .osm.pbf, through Debian's
 * readosm) and applying a per-node elevation CSV. Which ways people walk, how steps and
 * elevators are marked, which tagged places are facilities (lifecircle_classify_osm). */
#include <math.h>
#include <readosm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/xalloc.h"
#include "lifecircle/lifecircle.h"

struct raw_node {
    int64_t id;
    double lon, lat, ele;
    bool elevator; /* highway=elevator on the node */
};

/* The copy of an elevator node for one way (the first way keeps the node itself). */
struct lift_copy {
    size_t raw, way;
    uint32_t idx;
};

struct raw_way {
    size_t first, count; /* into refs */
    uint8_t kind;
    int8_t incline;
    uint8_t oneway;
    float grade;
    uint16_t step_count;
    bool facility; /* a facility drawn as an area: its centroid */
    struct lifecircle_facility poi;
};

struct reader {
    struct raw_node *nodes;
    size_t n_nodes, cap_nodes;
    int64_t *refs;
    size_t n_refs, cap_refs;
    struct raw_way *ways;
    size_t n_ways, cap_ways;
    struct lifecircle_osm *out;
    void (*progress)(void *, size_t, size_t);
    void *ctx;
    size_t seen;
};

static const char *tag(const readosm_tag *tags, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(tags[i].key, key) == 0)
            return tags[i].value;
    return NULL;
}

static void tick(struct reader *r)
{
    if (r->progress && ++r->seen % 50000 == 0)
        r->progress(r->ctx, r->n_nodes, r->n_ways);
}

static bool poi_of(const readosm_tag *tags, int n, struct lifecircle_facility *f)
{
    struct lifecircle_osm_tags t = {
        tag(tags, n, "amenity"),
        tag(tags, n, "social_facility"),
        tag(tags, n, "social_facility:for"),
        tag(tags, n, "healthcare"),
        tag(tags, n, "office"),
        tag(tags, n, "isced:level"),
        tag(tags, n, "name"),
    };
    memset(f, 0, sizeof(*f));
    if (!lifecircle_classify_osm(&t, f->category, sizeof(f->category), &f->level, f->kind,
                                 sizeof(f->kind)))
        return false;
    const char *name = tag(tags, n, "name:zh");
    if (!name)
        name = t.name;
    snprintf(f->name, sizeof(f->name), "%s", name ? name : f->kind);
    snprintf(f->source, sizeof(f->source), "osm");
    return true;
}

static int on_node(const void *ud, const readosm_node *nd)
{
    struct reader *r = (struct reader *)ud;
    if (r->n_nodes == r->cap_nodes) {
        r->cap_nodes = r->cap_nodes ? 2 * r->cap_nodes : 65536;
        r->nodes = xrealloc(r->nodes, r->cap_nodes * sizeof(*r->nodes));
    }
    const char *ele = tag(nd->tags, nd->tag_count, "ele");
    char *end = NULL;
    double e = ele ? strtod(ele, &end) : NAN;
    if (ele && (end == ele || !isfinite(e)))
        e = NAN;
    const char *hw = tag(nd->tags, nd->tag_count, "highway");
    r->nodes[r->n_nodes++] =
        (struct raw_node){nd->id, nd->longitude, nd->latitude, e, hw && !strcmp(hw, "elevator")};
    struct lifecircle_facility f;
    if (nd->tag_count && poi_of(nd->tags, nd->tag_count, &f)) {
        f.lon = nd->longitude;
        f.lat = nd->latitude;
        snprintf(f.ref, sizeof(f.ref), "node/%lld", nd->id);
        struct lifecircle_facility_list *l = &r->out->pois;
        if (l->len == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 64;
            l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
        }
        l->items[l->len++] = f;
    }
    tick(r);
    return READOSM_OK;
}

/* Highways people walk on; motorways and trunk roads only when foot is allowed. */
static bool walkable(const char *hw, const char *foot, const char *access)
{
    static const char *const ok[] = {
        "footway",
        "path",
        "pedestrian",
        "steps",
        "elevator",
        "living_street",
        "residential",
        "service",
        "unclassified",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "track",
        "cycleway",
        "corridor",
        "bridleway",
        "road",
        "crossing",
        "platform",
        NULL,
    };
    if (foot && (strcmp(foot, "no") == 0 || strcmp(foot, "use_sidepath") == 0))
        return false;
    bool foot_yes = foot && (strcmp(foot, "yes") == 0 || strcmp(foot, "designated") == 0 ||
                             strcmp(foot, "permissive") == 0);
    if (access && (strcmp(access, "no") == 0 || strcmp(access, "private") == 0) && !foot_yes)
        return false;
    if (!hw)
        return false;
    for (size_t i = 0; ok[i]; i++)
        if (strcmp(hw, ok[i]) == 0)
            return true;
    return foot_yes && (strcmp(hw, "trunk") == 0 || strcmp(hw, "trunk_link") == 0);
}

/* incline=up|down, or a number with % (or °) whose sign is the direction. */
static void parse_incline(const char *s, int8_t *dir, float *grade)
{
    *dir = 0;
    *grade = NAN;
    if (!s)
        return;
    if (strcmp(s, "up") == 0) {
        *dir = 1;
        return;
    }
    if (strcmp(s, "down") == 0) {
        *dir = -1;
        return;
    }
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v))
        return;
    while (*end == ' ')
        end++;
    if (*end == '%')
        v /= 100.0;
    else if (strncmp(end, "°", strlen("°")) == 0)
        v = tan(v * M_PI / 180.0);
    else if (*end)
        return;
    if (fabs(v) > 1.0)
        return;
    *grade = (float)v;
    *dir = v > 0 ? 1 : v < 0 ? -1 : 0;
}

static int on_way(const void *ud, const readosm_way *w)
{
    struct reader *r = (struct reader *)ud;
    const readosm_tag *t = w->tags;
    int n = w->tag_count;
    const char *hw = tag(t, n, "highway");
    struct raw_way rw = {0};
    bool walk = walkable(hw, tag(t, n, "foot"), tag(t, n, "access"));
    rw.facility = !walk && poi_of(t, n, &rw.poi);
    if ((!walk && !rw.facility) || w->node_ref_count < 2) {
        tick(r);
        return READOSM_OK;
    }
    if (walk) {
        rw.kind = strcmp(hw, "steps") == 0      ? LC_KIND_STEPS
                  : strcmp(hw, "elevator") == 0 ? LC_KIND_ELEVATOR
                                                : LC_KIND_FOOT;
        parse_incline(tag(t, n, "incline"), &rw.incline, &rw.grade);
        if (rw.kind != LC_KIND_STEPS)
            rw.incline = 0;
        const char *sc = tag(t, n, "step_count");
        long c = sc ? strtol(sc, NULL, 10) : 0;
        rw.step_count = (uint16_t)(c > 0 && c < 65535 ? c : 0);
        const char *ow = tag(t, n, "oneway:foot");
        rw.oneway = ow && strcmp(ow, "yes") == 0;
        if (rw.kind == LC_KIND_STEPS)
            r->out->steps++;
        if (rw.kind == LC_KIND_ELEVATOR)
            r->out->elevators++;
        r->out->ways++;
    } else {
        snprintf(rw.poi.ref, sizeof(rw.poi.ref), "way/%lld", w->id);
    }
    if (r->n_refs + (size_t)w->node_ref_count > r->cap_refs) {
        while (r->n_refs + (size_t)w->node_ref_count > r->cap_refs)
            r->cap_refs = r->cap_refs ? 2 * r->cap_refs : 262144;
        r->refs = xrealloc(r->refs, r->cap_refs * sizeof(*r->refs));
    }
    rw.first = r->n_refs;
    rw.count = (size_t)w->node_ref_count;
    for (int i = 0; i < w->node_ref_count; i++)
        r->refs[r->n_refs++] = w->node_refs[i];
    if (r->n_ways == r->cap_ways) {
        r->cap_ways = r->cap_ways ? 2 * r->cap_ways : 16384;
        r->ways = xrealloc(r->ways, r->cap_ways * sizeof(*r->ways));
    }
    r->ways[r->n_ways++] = rw;
    tick(r);
    return READOSM_OK;
}

static int cmp_node(const void *a, const void *b)
{
    int64_t x = ((const struct raw_node *)a)->id, y = ((const struct raw_node *)b)->id;
    return x < y ? -1 : x > y;
}

static int64_t find_node(const struct raw_node *nodes, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nodes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && nodes[lo].id == id ? (int64_t)lo : -1;
}

void lifecircle_osm_release(struct lifecircle_osm *o)
{
    if (!o)
        return;
    free(o->nodes);
    free(o->segs);
    free(o->pois.items);
    memset(o, 0, sizeof(*o));
}

int lifecircle_osm_read(const char *path, void (*progress)(void *ctx, size_t nodes, size_t ways),
                        void *ctx, struct lifecircle_osm *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    struct reader r = {.out = out, .progress = progress, .ctx = ctx};
    const void *h = NULL;
    int ret = -1;
    int rc = readosm_open(path, &h);
    if (rc != READOSM_OK) {
        app_fail(err, APP_ERR_INVALID, rc == READOSM_INVALID_SUFFIX ? "bad_suffix" : "unreadable",
                 "file", "%s: %s", path,
                 rc == READOSM_INVALID_SUFFIX ? "expected FILE.osm or FILE.osm.pbf"
                                              : "cannot open");
        goto out;
    }
    rc = readosm_parse(h, &r, on_node, on_way, NULL);
    if (rc != READOSM_OK) {
        app_fail(err, APP_ERR_INVALID, "malformed", "file", "%s: not a valid OSM file (%d)", path,
                 rc);
        goto out;
    }
    if (progress)
        progress(ctx, r.n_nodes, r.n_ways);
    out->read_nodes = r.n_nodes;
    qsort(r.nodes, r.n_nodes, sizeof(*r.nodes), cmp_node);
    /* Keep the nodes walkable ways use, numbered in id order. */
    int64_t *index = xmalloc((r.n_nodes ? r.n_nodes : 1) * sizeof(*index));
    for (size_t i = 0; i < r.n_nodes; i++)
        index[i] = -1;
    for (size_t w = 0; w < r.n_ways; w++)
        if (!r.ways[w].facility)
            for (size_t k = 0; k < r.ways[w].count; k++) {
                int64_t at = find_node(r.nodes, r.n_nodes, r.refs[r.ways[w].first + k]);
                if (at >= 0)
                    index[at] = 0;
            }
    out->nodes = xmalloc((r.n_nodes ? r.n_nodes : 1) * sizeof(*out->nodes));
    for (size_t i = 0; i < r.n_nodes; i++)
        if (index[i] == 0) {
            index[i] = (int64_t)out->n_nodes;
            out->nodes[out->n_nodes++] =
                (struct lc_node){r.nodes[i].id, r.nodes[i].lon, r.nodes[i].lat, r.nodes[i].ele};
        }
    size_t cap = 0;
    for (size_t w = 0; w < r.n_ways; w++)
        if (!r.ways[w].facility)
            cap += r.ways[w].count - 1;
    out->segs = xmalloc((cap ? cap : 1) * sizeof(*out->segs));
    /* Elevator nodes: the first way through one keeps it, every other way gets its own copy,
     * so that changing from one way to another there is a ride, not a free step. */
    size_t *owner = xmalloc((r.n_nodes ? r.n_nodes : 1) * sizeof(*owner));
    for (size_t i = 0; i < r.n_nodes; i++)
        owner[i] = SIZE_MAX;
    struct lift_copy *copies = NULL;
    size_t n_copies = 0, cap_copies = 0;
    for (size_t w = 0; w < r.n_ways; w++) {
        struct raw_way *rw = &r.ways[w];
        if (rw->facility) {
            /* An area facility sits at the mean of its outline's nodes. */
            double sx = 0, sy = 0;
            size_t c = 0;
            for (size_t k = 0; k < rw->count; k++) {
                int64_t at = find_node(r.nodes, r.n_nodes, r.refs[rw->first + k]);
                if (at >= 0) {
                    sx += r.nodes[at].lon;
                    sy += r.nodes[at].lat;
                    c++;
                }
            }
            if (!c)
                continue;
            rw->poi.lon = sx / (double)c;
            rw->poi.lat = sy / (double)c;
            struct lifecircle_facility_list *l = &out->pois;
            if (l->len == l->cap) {
                l->cap = l->cap ? 2 * l->cap : 64;
                l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
            }
            l->items[l->len++] = rw->poi;
            continue;
        }
        /* A flight drawn over several segments shares its step count by length. */
        size_t nseg = rw->count - 1;
        for (size_t k = 0; k + 1 < rw->count; k++) {
            int64_t a = find_node(r.nodes, r.n_nodes, r.refs[rw->first + k]);
            int64_t b = find_node(r.nodes, r.n_nodes, r.refs[rw->first + k + 1]);
            if (a < 0 || b < 0 || a == b)
                continue;
            uint32_t ia = (uint32_t)index[a], ib = (uint32_t)index[b];
            for (int end = 0; end < 2; end++) {
                size_t at = (size_t)(end ? b : a);
                uint32_t *dst = end ? &ib : &ia;
                if (!r.nodes[at].elevator)
                    continue;
                if (owner[at] == SIZE_MAX)
                    owner[at] = w;
                if (owner[at] == w)
                    continue;
                size_t c = 0;
                while (c < n_copies && (copies[c].raw != at || copies[c].way != w))
                    c++;
                if (c == n_copies) {
                    if (n_copies == cap_copies) {
                        cap_copies = cap_copies ? 2 * cap_copies : 16;
                        copies = xrealloc(copies, cap_copies * sizeof(*copies));
                    }
                    copies[n_copies++] = (struct lift_copy){at, w, 0};
                }
                *dst = (uint32_t)(r.n_nodes + c); /* numbered after the nodes below */
            }
            out->segs[out->n_segs++] = (struct lc_segment){
                .a = ia,
                .b = ib,
                .kind = rw->kind,
                .incline = rw->incline,
                .oneway = rw->oneway,
                .grade = rw->grade,
                .step_count = (uint16_t)(rw->step_count ? (rw->step_count + nseg - 1) / nseg : 0),
            };
        }
    }
    /* The copies take the numbers after the nodes, then each elevator's copies are joined. */
    size_t base = out->n_nodes, seg_cap = out->n_segs;
    if (n_copies) {
        out->nodes = xrealloc(out->nodes, (base + n_copies) * sizeof(*out->nodes));
        for (size_t k = 0; k < out->n_segs; k++) {
            if (out->segs[k].a >= r.n_nodes)
                out->segs[k].a = (uint32_t)(out->segs[k].a - r.n_nodes + base);
            if (out->segs[k].b >= r.n_nodes)
                out->segs[k].b = (uint32_t)(out->segs[k].b - r.n_nodes + base);
        }
    }
    for (size_t c = 0; c < n_copies; c++) {
        const struct raw_node *rn = &r.nodes[copies[c].raw];
        out->nodes[base + c] = (struct lc_node){rn->id, rn->lon, rn->lat, rn->ele};
        copies[c].idx = (uint32_t)(base + c);
    }
    out->n_nodes += n_copies;
    out->elevator_copies = n_copies;
    for (size_t i = 0; n_copies && i < r.n_nodes; i++) {
        if (!r.nodes[i].elevator || owner[i] == SIZE_MAX)
            continue;
        uint32_t group[64];
        size_t ng = 0;
        group[ng++] = (uint32_t)index[i];
        for (size_t c = 0; c < n_copies && ng < 64; c++)
            if (copies[c].raw == i)
                group[ng++] = copies[c].idx;
        if (ng < 2)
            continue; /* one way ends at the lift: nothing to change to */
        out->elevator_nodes++;
        out->elevators++;
        size_t need = out->n_segs + ng * (ng - 1) / 2;
        if (need > seg_cap) {
            seg_cap = need > 2 * seg_cap ? need : 2 * seg_cap;
            out->segs = xrealloc(out->segs, seg_cap * sizeof(*out->segs));
        }
        for (size_t x = 0; x < ng; x++)
            for (size_t y = x + 1; y < ng; y++)
                out->segs[out->n_segs++] = (struct lc_segment){
                    .a = group[x], .b = group[y], .kind = LC_KIND_ELEVATOR, .grade = NAN};
    }
    free(owner);
    free(copies);
    free(index);
    ret = 0;
out:
    if (h)
        readosm_close(h);
    free(r.nodes);
    free(r.refs);
    free(r.ways);
    if (ret)
        lifecircle_osm_release(out);
    return ret;
}

static void row_error(struct lifecircle_import_result *res, int line, const char *field,
                      const char *code, const char *reason)
{
    if (res->len == res->cap) {
        res->cap = res->cap ? 2 * res->cap : 16;
        res->items = xrealloc(res->items, res->cap * sizeof(*res->items));
    }
    struct lifecircle_row_error *e = &res->items[res->len++];
    e->line = line;
    snprintf(e->field, sizeof(e->field), "%s", field);
    snprintf(e->code, sizeof(e->code), "%s", code);
    snprintf(e->reason, sizeof(e->reason), "%s", reason);
}

void lifecircle_import_result_release(struct lifecircle_import_result *r)
{
    if (!r)
        return;
    free(r->items);
    memset(r, 0, sizeof(*r));
}

static bool number(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    if (!s || !*s)
        return false;
    double v = strtod(s, &end);
    if (*end || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int64_t find_osm(const struct lc_node *nodes, size_t n, int64_t id)
{
    size_t lo = 0, hi = n; /* nodes are in id order (an elevator's copies after them) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nodes[mid].osm_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && nodes[lo].osm_id == id ? (int64_t)lo : -1;
}

int lifecircle_osm_elevation(struct lifecircle_osm *o, const char *csv, size_t len,
                             struct lifecircle_import_result *res, struct app_error *err)
{
    struct csv_reader r;
    csv_init(&r, csv, len);
    int ret = -1, rc;
    double *ele = xmalloc((o->n_nodes ? o->n_nodes : 1) * sizeof(*ele));
    double *pts = NULL; /* lon, lat, ele triples */
    size_t npts = 0, cap = 0;
    for (size_t i = 0; i < o->n_nodes; i++)
        ele[i] = o->nodes[i].ele;
    if ((rc = csv_next(&r, err)) <= 0) {
        if (rc == 0)
            app_fail(err, APP_ERR_INVALID, "empty", "elevation", "the elevation file is empty");
        goto out;
    }
    int c_id = csv_column(&r, "node_id"), c_lon = csv_column(&r, "lon"),
        c_lat = csv_column(&r, "lat"), c_ele = csv_column(&r, "ele_m");
    if (c_ele < 0 || (c_id < 0 && (c_lon < 0 || c_lat < 0))) {
        app_fail(err, APP_ERR_INVALID, "bad_header", "elevation",
                 "expected the header node_id,ele_m or lon,lat,ele_m");
        goto out;
    }
    while ((rc = csv_next(&r, err)) == 1) {
        double e, lon, lat;
        const char *fe = c_ele < r.nfields ? r.fields[c_ele] : NULL;
        if (!number(fe, -500, 9000, &e)) {
            row_error(res, r.line, "ele_m", "bad_number", "ele_m must be metres (−500..9000)");
            continue;
        }
        if (c_id >= 0) {
            const char *fi = c_id < r.nfields ? r.fields[c_id] : NULL;
            char *end = NULL;
            long long id = fi ? strtoll(fi, &end, 10) : 0;
            if (!fi || !*fi || *end) {
                row_error(res, r.line, "node_id", "bad_id", "node_id must be an OSM node id");
                continue;
            }
            int64_t at = find_osm(o->nodes, o->n_nodes - o->elevator_copies, id);
            if (at < 0) {
                row_error(res, r.line, "node_id", "unknown_node", "no walkable node has this id");
                continue;
            }
            ele[at] = e;
        } else {
            const char *fx = c_lon < r.nfields ? r.fields[c_lon] : NULL;
            const char *fy = c_lat < r.nfields ? r.fields[c_lat] : NULL;
            if (!number(fx, -180, 180, &lon)) {
                row_error(res, r.line, "lon", "bad_number", "lon must be −180..180");
                continue;
            }
            if (!number(fy, -90, 90, &lat)) {
                row_error(res, r.line, "lat", "bad_number", "lat must be −90..90");
                continue;
            }
            if (npts == cap) {
                cap = cap ? 2 * cap : 256;
                pts = xrealloc(pts, 3 * cap * sizeof(*pts));
            }
            pts[3 * npts] = lon, pts[3 * npts + 1] = lat, pts[3 * npts + 2] = e;
            npts++;
        }
        res->accepted++;
    }
    if (rc < 0)
        goto out;
    if (res->len) {
        app_fail(err, APP_ERR_INVALID, "bad_rows", "elevation", "%zu rows refused", res->len);
        goto out;
    }
    /* Points → nodes: inverse-distance weighting over the points within 300 m; a point within
     * 1 m gives its height outright. */
    for (size_t i = 0; npts && i < o->n_nodes; i++) {
        double sw = 0, se = 0;
        for (size_t p = 0; p < npts; p++) {
            double d = lc_distance_m(o->nodes[i].lon, o->nodes[i].lat, pts[3 * p], pts[3 * p + 1]);
            if (d > 300)
                continue;
            if (d < 1) {
                sw = 1, se = pts[3 * p + 2];
                break;
            }
            sw += 1 / (d * d);
            se += pts[3 * p + 2] / (d * d);
        }
        if (sw > 0)
            ele[i] = se / sw;
    }
    /* An elevator's copies stand where it stands: the height given for its OSM id. */
    for (size_t i = o->n_nodes - o->elevator_copies; c_id >= 0 && i < o->n_nodes; i++) {
        int64_t at = find_osm(o->nodes, o->n_nodes - o->elevator_copies, o->nodes[i].osm_id);
        if (at >= 0)
            ele[i] = ele[at];
    }
    for (size_t i = 0; i < o->n_nodes; i++)
        o->nodes[i].ele = ele[i];
    ret = 0;
out:
    free(ele);
    free(pts);
    csv_release(&r);
    return ret;
}
