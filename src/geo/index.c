/* Point location over a fixed set of polygons (grids, communities): which region holds this
 * GPS point? A GEOS STRtree proposes candidates, an exact ray-crossing test decides, and ties on
 * shared borders go to the smallest code so every point maps to exactly one region. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "geo/geo_internal.h"

struct index_item {
    int64_t id;
    char *code;
    struct geo_rings rings;
    GEOSGeometry *envelope; /* the tree stores pointers to items; envelopes are kept alive */
};

struct geo_index {
    GEOSContextHandle_t ctx; /* used only under lock, and at build/free */
    GEOSSTRtree *tree;
    pthread_mutex_t lock;
    struct index_item *items;
    size_t n;
};

struct query_hits {
    size_t *idx;
    size_t n, cap;
    const struct geo_index *ix;
};

static void collect(void *item, void *userdata)
{
    struct query_hits *h = userdata;
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 8;
        h->idx = xrealloc(h->idx, h->cap * sizeof *h->idx);
    }
    h->idx[h->n++] = (size_t)((struct index_item *)item - h->ix->items);
}

struct geo_index *geo_index_new(const struct geo_index_entry *entries, size_t n)
{
    struct geo_index *ix = xcalloc(1, sizeof *ix);
    ix->ctx = GEOS_init_r();
    pthread_mutex_init(&ix->lock, NULL);
    ix->n = n;
    ix->items = xcalloc(n ? n : 1, sizeof *ix->items);
    ix->tree = GEOSSTRtree_create_r(ix->ctx, 10);
    for (size_t i = 0; i < n; i++) {
        struct index_item *it = &ix->items[i];
        it->id = entries[i].id;
        it->code = xstrdup(entries[i].code ? entries[i].code : "");
        geo_rings_init(&it->rings, ix->ctx, entries[i].shape->g);
        it->envelope = GEOSEnvelope_r(ix->ctx, entries[i].shape->g);
        GEOSSTRtree_insert_r(ix->ctx, ix->tree, it->envelope, it);
    }
    /* The tree builds itself on the first query; do it now, single-threaded. */
    GEOSGeometry *probe = GEOSGeom_createPointFromXY_r(ix->ctx, 0, 0);
    struct query_hits h = {NULL, 0, 0, ix};
    GEOSSTRtree_query_r(ix->ctx, ix->tree, probe, collect, &h);
    free(h.idx);
    GEOSGeom_destroy_r(ix->ctx, probe);
    return ix;
}

void geo_index_free(struct geo_index *ix)
{
    if (!ix)
        return;
    GEOSSTRtree_destroy_r(ix->ctx, ix->tree);
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->items[i].code);
        geo_rings_release(&ix->items[i].rings);
        GEOSGeom_destroy_r(ix->ctx, ix->items[i].envelope);
    }
    free(ix->items);
    pthread_mutex_destroy(&ix->lock);
    GEOS_finish_r(ix->ctx);
    free(ix);
}

size_t geo_index_size(const struct geo_index *ix)
{
    return ix->n;
}

int64_t geo_index_locate(const struct geo_index *ix, struct geo_point p)
{
    struct query_hits h = {NULL, 0, 0, ix};
    struct geo_index *mix = (struct geo_index *)ix; /* the lock is the only mutable part */
    pthread_mutex_lock(&mix->lock);
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ix->ctx, p.lon, p.lat);
    GEOSSTRtree_query_r(ix->ctx, ix->tree, pt, collect, &h);
    GEOSGeom_destroy_r(ix->ctx, pt);
    pthread_mutex_unlock(&mix->lock);

    const struct index_item *best = NULL;
    for (size_t i = 0; i < h.n; i++) {
        const struct index_item *it = &ix->items[h.idx[i]];
        if (!geo_rings_classify(&it->rings, p))
            continue;
        if (!best) {
            best = it;
            continue;
        }
        int c = strcmp(it->code, best->code);
        if (c < 0 || (c == 0 && it->id < best->id))
            best = it;
    }
    free(h.idx);
    return best ? best->id : -1;
}
