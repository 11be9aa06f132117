/* The dispatch model: TF-IDF weighting of hashed n-grams, liblinear's L2-regularised logistic
 * regression with C chosen by its own cross-validation, prediction, evaluation and the
 * versioned byte format. */
#include <linear.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "dispatch/dispatch.h"

#define MAGIC "ZZDISPATCH"
#define MAGIC_LEN 10
#define BIAS 1.0

struct dispatch_model {
    unsigned bits;
    size_t ncls;
    char (*cls)[DISPATCH_CLASS_MAX];
    /* slot[h] for hashed index h in 1..2^bits: the feature's liblinear index 1..nfeat in
     * ascending order of h, 0 for a gram never seen in training (so liblinear's weights cover
     * the seen features only) */
    uint32_t *slot;
    uint32_t *hashed; /* [1..nfeat]: the hashed index of each slot */
    float *idf;       /* [1..nfeat] */
    size_t nfeat;
    double cost;
    long trained_on;
    struct model *lin; /* liblinear's: w is (2^bits + 1) x nr_w, the last row the bias */
};

static void quiet(const char *s)
{
    (void)s;
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
static void make_quiet(void)
{
    set_print_string_function(quiet);
}

size_t dispatch_model_nclasses(const struct dispatch_model *m)
{
    return m->ncls;
}
const char *dispatch_model_class(const struct dispatch_model *m, size_t i)
{
    return i < m->ncls ? m->cls[i] : NULL;
}
unsigned dispatch_model_bits(const struct dispatch_model *m)
{
    return m->bits;
}
double dispatch_model_cost(const struct dispatch_model *m)
{
    return m->cost;
}
long dispatch_model_trained_on(const struct dispatch_model *m)
{
    return m->trained_on;
}

void dispatch_model_free(struct dispatch_model *m)
{
    if (!m)
        return;
    if (m->lin)
        free_and_destroy_model(&m->lin);
    free(m->cls);
    free(m->idf);
    free(m->slot);
    free(m->hashed);
    free(m);
}

static int nr_w(const struct dispatch_model *m)
{
    return m->ncls == 2 ? 1 : (int)m->ncls;
}

/* Weighted, L2-normalised features of text, ending with the bias node and index -1. */
static struct feature_node *vectorise(const struct dispatch_model *m, const char *text, size_t len,
                                      struct dispatch_vec *v)
{
    dispatch_count(text, len, m->bits, v);
    struct feature_node *x = xmalloc(sizeof(*x) * (v->len + 2));
    size_t k = 0;
    double norm = 0;
    for (size_t i = 0; i < v->len; i++) {
        uint32_t f = m->slot[v->idx[i]];
        if (!f)
            continue;
        double w = (1.0 + log(v->val[i])) * m->idf[f];
        x[k].index = (int)f;
        x[k].value = w;
        norm += w * w;
        k++;
    }
    norm = norm > 0 ? sqrt(norm) : 1;
    for (size_t i = 0; i < k; i++)
        x[i].value /= norm;
    x[k].index = (int)m->nfeat + 1;
    x[k].value = BIAS;
    x[k + 1].index = -1;
    x[k + 1].value = 0;
    return x;
}

static int class_index(const struct dispatch_model *m, const char *label)
{
    for (size_t i = 0; i < m->ncls; i++)
        if (strcmp(m->cls[i], label) == 0)
            return (int)i;
    return -1;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int dispatch_train(const struct dispatch_example *ex, size_t n,
                   const struct dispatch_train_opts *opts, struct dispatch_model **out,
                   struct app_error *err)
{
    *out = NULL;
    pthread_once(&quiet_once, make_quiet);
    unsigned bits = opts && opts->bits ? opts->bits : DISPATCH_BITS_DEFAULT;
    if (bits < DISPATCH_BITS_MIN || bits > DISPATCH_BITS_MAX)
        return app_fail(err, APP_ERR_INVALID, "bad_bits", "bits", "hash bits must be %d..%d",
                        DISPATCH_BITS_MIN, DISPATCH_BITS_MAX);
    if (n > (size_t)0x7fffffff)
        return app_fail(err, APP_ERR_INVALID, "too_many", "text", "too many examples");
    struct dispatch_model *m = xcalloc(1, sizeof(*m));
    m->bits = bits;
    m->cls = xcalloc(DISPATCH_MAX_CLASSES, sizeof(*m->cls));
    for (size_t i = 0; i < n; i++) {
        const char *l = ex[i].label;
        if (!l || !*l || strlen(l) >= DISPATCH_CLASS_MAX) {
            dispatch_model_free(m);
            return app_fail(err, APP_ERR_INVALID, "bad_label", "label",
                            "example %zu: the label is empty or too long", i + 1);
        }
        if (class_index(m, l) >= 0)
            continue;
        if (m->ncls == DISPATCH_MAX_CLASSES) {
            dispatch_model_free(m);
            return app_fail(err, APP_ERR_INVALID, "too_many_classes", "label",
                            "more than %d classes", DISPATCH_MAX_CLASSES);
        }
        snprintf(m->cls[m->ncls++], DISPATCH_CLASS_MAX, "%s", l);
    }
    if (m->ncls < 2) {
        size_t found = m->ncls;
        dispatch_model_free(m);
        return app_fail(err, APP_ERR_INVALID, "too_few_classes", "label",
                        "training needs examples of at least two classes (found %zu)", found);
    }
    qsort(m->cls, m->ncls, sizeof(*m->cls), cmp_name);

    /* document frequencies → idf */
    size_t dim = (size_t)1 << bits;
    uint32_t *df = xcalloc(dim + 1, sizeof(*df));
    struct dispatch_vec v = {0};
    struct dispatch_vec *counts = xcalloc(n ? n : 1, sizeof(*counts));
    for (size_t i = 0; i < n; i++) {
        dispatch_count(ex[i].text, ex[i].text ? strlen(ex[i].text) : 0, bits, &counts[i]);
        for (size_t k = 0; k < counts[i].len; k++)
            df[counts[i].idx[k]]++;
    }
    m->slot = xcalloc(dim + 1, sizeof(*m->slot));
    for (size_t h = 1; h <= dim; h++)
        if (df[h])
            m->slot[h] = (uint32_t)++m->nfeat;
    m->idf = xcalloc(m->nfeat + 1, sizeof(*m->idf));
    m->hashed = xcalloc(m->nfeat + 1, sizeof(*m->hashed));
    for (size_t h = 1; h <= dim; h++)
        if (df[h]) {
            m->idf[m->slot[h]] = (float)(log((1.0 + (double)n) / (1.0 + df[h])) + 1.0);
            m->hashed[m->slot[h]] = (uint32_t)h;
        }
    free(df);

    /* the problem: one feature_node block for all examples */
    size_t nodes = 0;
    for (size_t i = 0; i < n; i++)
        nodes += counts[i].len + 2;
    struct feature_node *space = xmalloc(sizeof(*space) * (nodes ? nodes : 1));
    struct feature_node **xs = xmalloc(sizeof(*xs) * (n ? n : 1));
    double *y = xmalloc(sizeof(*y) * (n ? n : 1));
    struct feature_node *p = space;
    for (size_t i = 0; i < n; i++) {
        xs[i] = p;
        double norm = 0;
        for (size_t k = 0; k < counts[i].len; k++) {
            uint32_t f = m->slot[counts[i].idx[k]];
            double w = (1.0 + log(counts[i].val[k])) * m->idf[f];
            p->index = (int)f;
            p->value = w;
            norm += w * w;
            p++;
        }
        norm = norm > 0 ? sqrt(norm) : 1;
        for (struct feature_node *q = xs[i]; q < p; q++)
            q->value /= norm;
        p->index = (int)m->nfeat + 1;
        p->value = BIAS;
        p++;
        p->index = -1;
        p++;
        y[i] = class_index(m, ex[i].label);
        dispatch_vec_release(&counts[i]);
    }
    free(counts);
    dispatch_vec_release(&v);
    struct problem prob = {.l = (int)n, .n = (int)m->nfeat + 1, .y = y, .x = xs, .bias = BIAS};
    struct parameter param = {.solver_type = L2R_LR, .eps = 0.01, .C = 1, .p = 0.1};
    m->cost = opts && opts->cost > 0 ? opts->cost : 0;
    if (m->cost <= 0) {
        int folds = opts && opts->folds >= 2 ? opts->folds : 3;
        if ((size_t)folds > n)
            folds = (int)n;
        double best_c = 1, best_p = 0, best_score = 0;
        if (folds >= 2)
            find_parameters(&prob, &param, folds, 1, -1, &best_c, &best_p, &best_score);
        m->cost = best_c > 0 ? best_c : 1;
    }
    param.C = m->cost;
    const char *bad = check_parameter(&prob, &param);
    if (bad) {
        free(space), free(xs), free(y);
        dispatch_model_free(m);
        return app_fail(err, APP_ERR_INVALID, "bad_parameter", "cost", "liblinear: %s", bad);
    }
    m->lin = train(&prob, &param);
    free(space), free(xs), free(y);
    /* weights are kept as the file keeps them (float), so a loaded model is the same model */
    size_t nw = (size_t)nr_w(m) * (m->nfeat + 1);
    for (size_t i = 0; i < nw; i++)
        m->lin->w[i] = (double)(float)m->lin->w[i];
    m->trained_on = (long)n;
    *out = m;
    return 0;
}

void dispatch_predict(const struct dispatch_model *m, const char *text, size_t len,
                      double threshold, struct dispatch_suggestion *out)
{
    memset(out, 0, sizeof(*out));
    struct dispatch_vec v = {0};
    struct feature_node *x = vectorise(m, text ? text : "", text ? len : 0, &v);
    double prob[DISPATCH_MAX_CLASSES];
    predict_probability(m->lin, x, prob);
    free(x);
    dispatch_vec_release(&v);
    int order[DISPATCH_MAX_CLASSES];
    int nc = (int)m->ncls;
    for (int i = 0; i < nc; i++)
        order[i] = i;
    /* by probability, then by class name for ties */
    for (int i = 1; i < nc; i++)
        for (int j = i; j > 0; j--) {
            int a = order[j - 1], b = order[j];
            if (prob[b] > prob[a] || (prob[b] == prob[a] && m->lin->label[b] < m->lin->label[a])) {
                order[j - 1] = b;
                order[j] = a;
            } else {
                break;
            }
        }
    out->ntop = nc < DISPATCH_TOPK ? nc : DISPATCH_TOPK;
    for (int i = 0; i < out->ntop; i++) {
        snprintf(out->top[i].cls, sizeof(out->top[i].cls), "%s", m->cls[m->lin->label[order[i]]]);
        out->top[i].p = prob[order[i]];
    }
    out->unsure = out->top[0].p < threshold;
}

/* ---- the byte format, version 1 (little-endian; docs/dispatch.md) ----
 * "ZZDISPATCH" u32 version u32 bits u32 ngram_min u32 ngram_max u32 nclasses u32 nr_w
 * f64 cost i64 trained_on f64 bias; nclasses × (u16 length, bytes); nclasses × i32 liblinear
 * label order; u32 nfeatures; nfeatures × (u32 index, f32 idf, nr_w × f32 weight); nr_w × f32
 * bias weight; u32 FNV-1a of every byte before it. */

static void put(struct buf *b, const void *p, size_t n)
{
    buf_append(b, p, n);
}
static void put_u32(struct buf *b, uint32_t v)
{
    put(b, &v, 4);
}

static uint32_t fnv(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 16777619u;
    }
    return h;
}

int dispatch_model_save(const struct dispatch_model *m, char **data, size_t *len,
                        struct app_error *err)
{
    (void)err;
    struct buf b = BUF_INIT;
    put(&b, MAGIC, MAGIC_LEN);
    put_u32(&b, DISPATCH_FORMAT_VERSION);
    put_u32(&b, m->bits);
    put_u32(&b, DISPATCH_NGRAM_MIN);
    put_u32(&b, DISPATCH_NGRAM_MAX);
    put_u32(&b, (uint32_t)m->ncls);
    int nw = nr_w(m);
    put_u32(&b, (uint32_t)nw);
    put(&b, &m->cost, 8);
    int64_t t = m->trained_on;
    put(&b, &t, 8);
    double bias = m->lin->bias;
    put(&b, &bias, 8);
    for (size_t i = 0; i < m->ncls; i++) {
        uint16_t l = (uint16_t)strlen(m->cls[i]);
        put(&b, &l, 2);
        put(&b, m->cls[i], l);
    }
    for (size_t i = 0; i < m->ncls; i++) {
        int32_t l = m->lin->label[i];
        put(&b, &l, 4);
    }
    put_u32(&b, (uint32_t)m->nfeat);
    for (size_t f = 1; f <= m->nfeat; f++) {
        put_u32(&b, m->hashed[f]);
        put(&b, &m->idf[f], 4);
        for (int k = 0; k < nw; k++) {
            float w = (float)m->lin->w[(f - 1) * (size_t)nw + (size_t)k];
            put(&b, &w, 4);
        }
    }
    for (int k = 0; k < nw; k++) {
        float w = (float)m->lin->w[m->nfeat * (size_t)nw + (size_t)k];
        put(&b, &w, 4);
    }
    put_u32(&b, fnv(b.data, b.len));
    *data = buf_detach(&b, len);
    return 0;
}

struct reader {
    const char *p, *end;
    int bad;
};

static void get(struct reader *r, void *out, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
}
static uint32_t get_u32(struct reader *r)
{
    uint32_t v;
    get(r, &v, 4);
    return v;
}

static int corrupt(struct app_error *err, const char *what)
{
    return app_fail(err, APP_ERR_INVALID, "model_corrupt", "model",
                    "the model file is damaged (%s)", what);
}

int dispatch_model_load(const char *data, size_t len, struct dispatch_model **out,
                        struct app_error *err)
{
    *out = NULL;
    if (len < MAGIC_LEN + 8 || memcmp(data, MAGIC, MAGIC_LEN) != 0)
        return app_fail(err, APP_ERR_INVALID, "model_format", "model",
                        "not a zhizhi dispatch model");
    struct reader r = {data + MAGIC_LEN, data + len - 4, 0};
    uint32_t version = get_u32(&r);
    if (version != DISPATCH_FORMAT_VERSION)
        return app_fail(err, APP_ERR_INVALID, "model_version", "model",
                        "the model has format version %u; this zhizhi reads version %d only: "
                        "train it again",
                        version, DISPATCH_FORMAT_VERSION);
    uint32_t sum;
    memcpy(&sum, data + len - 4, 4);
    if (sum != fnv(data, len - 4))
        return corrupt(err, "checksum");
    uint32_t bits = get_u32(&r), gmin = get_u32(&r), gmax = get_u32(&r);
    uint32_t ncls = get_u32(&r), nw = get_u32(&r);
    if (bits < DISPATCH_BITS_MIN || bits > DISPATCH_BITS_MAX || gmin != DISPATCH_NGRAM_MIN ||
        gmax != DISPATCH_NGRAM_MAX || ncls < 2 || ncls > DISPATCH_MAX_CLASSES ||
        nw != (ncls == 2 ? 1 : ncls))
        return corrupt(err, "header");
    struct dispatch_model *m = xcalloc(1, sizeof(*m));
    m->bits = bits;
    m->ncls = ncls;
    get(&r, &m->cost, 8);
    int64_t t;
    get(&r, &t, 8);
    m->trained_on = (long)t;
    double bias;
    get(&r, &bias, 8);
    m->cls = xcalloc(ncls, sizeof(*m->cls));
    int *label = xcalloc(ncls, sizeof(int));
    for (uint32_t i = 0; i < ncls; i++) {
        uint16_t l;
        get(&r, &l, 2);
        if (l >= DISPATCH_CLASS_MAX)
            r.bad = 1;
        if (!r.bad)
            get(&r, m->cls[i], l);
    }
    size_t dim = (size_t)1 << bits;
    uint32_t nf = 0;
    for (uint32_t i = 0; i < ncls; i++) {
        int32_t l;
        get(&r, &l, 4);
        if (l < 0 || (uint32_t)l >= ncls)
            r.bad = 1;
        label[i] = l;
    }
    nf = get_u32(&r);
    if (nf > dim)
        r.bad = 1;
    if (r.bad) {
        free(label);
        dispatch_model_free(m);
        return corrupt(err, "header");
    }
    m->nfeat = nf;
    m->slot = xcalloc(dim + 1, sizeof(*m->slot));
    m->hashed = xcalloc(nf + 1, sizeof(*m->hashed));
    m->idf = xcalloc(nf + 1, sizeof(*m->idf));
    m->lin = xcalloc(1, sizeof(*m->lin));
    m->lin->label = label;
    m->lin->w = xcalloc(((size_t)nf + 1) * nw, sizeof(double));
    m->lin->nr_class = (int)ncls;
    m->lin->nr_feature = (int)nf;
    m->lin->bias = bias;
    m->lin->param.solver_type = L2R_LR;
    m->lin->param.C = m->cost;
    m->lin->param.eps = 0.01;
    uint32_t prev = 0;
    for (uint32_t f = 1; f <= nf && !r.bad; f++) {
        uint32_t h = get_u32(&r);
        if (h <= prev || h > dim) { /* ascending, in range */
            r.bad = 1;
            break;
        }
        prev = h;
        m->slot[h] = f;
        m->hashed[f] = h;
        get(&r, &m->idf[f], 4);
        for (uint32_t k = 0; k < nw; k++) {
            float w;
            get(&r, &w, 4);
            m->lin->w[(size_t)(f - 1) * nw + k] = w;
        }
    }
    for (uint32_t k = 0; k < nw; k++) {
        float w;
        get(&r, &w, 4);
        m->lin->w[(size_t)nf * nw + k] = w;
    }
    if (r.bad || r.p != r.end) {
        dispatch_model_free(m);
        return corrupt(err, "body");
    }
    *out = m;
    return 0;
}
