/* Smart dispatch (智能分拨, issue 22): suggest a report's class from its Chinese text.
 *
 * Text is normalised (full-width ASCII → half-width, upper → lower case, whitespace runs → one
 * space), cut into character 1..3-grams hashed into 2^bits features, weighted TF-IDF
 * ((1 + ln tf) · idf, idf = ln((1 + N) / (1 + df)) + 1) and L2-normalised; liblinear trains an
 * L2-regularised logistic regression (solver L2R_LR) whose cost C is chosen by liblinear's own
 * cross-validation (find_parameters). A model saves to and loads from a versioned byte format
 * (docs/dispatch.md); a model of another format version is refused. */
#ifndef DISPATCH_DISPATCH_H
#define DISPATCH_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define DISPATCH_FORMAT_VERSION 1
#define DISPATCH_BITS_DEFAULT 18
#define DISPATCH_BITS_MIN 10
#define DISPATCH_BITS_MAX 22
#define DISPATCH_NGRAM_MIN 1
#define DISPATCH_NGRAM_MAX 3
/* Code points of a text that are read; the rest is ignored (a report is a few hundred). */
#define DISPATCH_MAX_CODEPOINTS 20000
#define DISPATCH_MAX_CLASSES 256
#define DISPATCH_CLASS_MAX 64 /* bytes of a class name, NUL included */
#define DISPATCH_TOPK 3

/* ---- text → features (text.c, pure) ---- */

/* Normalise UTF-8 text into code points: U+FF01..U+FF5E → U+0021..U+007E, U+3000 → space,
 * A-Z → a-z, any run of whitespace → one space, no leading or trailing space; invalid bytes
 * are skipped. Writes at most max code points; returns how many were written. */
size_t dispatch_normalise(const char *text, size_t len, uint32_t *out, size_t max);

/* One n-gram's feature index in 1..2^bits (liblinear's indices start at 1). */
uint32_t dispatch_hash(const uint32_t *cps, size_t n, unsigned bits);

/* A sparse vector: indices ascending and unique. */
struct dispatch_vec {
    uint32_t *idx;
    float *val;
    size_t len, cap;
};

/* The raw counts of the text's 1..3-grams (normalised first). Replaces out's contents. */
void dispatch_count(const char *text, size_t len, unsigned bits, struct dispatch_vec *out);
void dispatch_vec_release(struct dispatch_vec *v);

/* ---- the model (model.c) ---- */

struct dispatch_model; /* opaque: hashing parameters, class list, idf, liblinear's weights */

struct dispatch_example {
    const char *label;
    const char *text;
};

struct dispatch_train_opts {
    unsigned bits; /* 0: DISPATCH_BITS_DEFAULT */
    double cost;   /* > 0: use this C; 0: choose it by cross-validation */
    int folds;     /* cross-validation folds; 0: 3 (C searched from 1 up by doubling) */
};

/* Train on ex[0..n). Refuses (APP_ERR_INVALID, field "label") fewer than two classes, an empty
 * label, or more than DISPATCH_MAX_CLASSES. *out is a new model the caller frees. */
int dispatch_train(const struct dispatch_example *ex, size_t n,
                   const struct dispatch_train_opts *opts, struct dispatch_model **out,
                   struct app_error *err);
void dispatch_model_free(struct dispatch_model *m);

size_t dispatch_model_nclasses(const struct dispatch_model *m);
const char *dispatch_model_class(const struct dispatch_model *m, size_t i);
unsigned dispatch_model_bits(const struct dispatch_model *m);
double dispatch_model_cost(const struct dispatch_model *m);
/* Training-set size the model was built from. */
long dispatch_model_trained_on(const struct dispatch_model *m);

struct dispatch_guess {
    char cls[DISPATCH_CLASS_MAX];
    double p;
};

struct dispatch_suggestion {
    struct dispatch_guess top[DISPATCH_TOPK];
    int ntop;    /* min(3, classes) */
    bool unsure; /* top[0].p < threshold */
};

/* The top classes of text by probability (liblinear's predict_probability), best first, and
 * whether the best is below threshold (0..1). */
void dispatch_predict(const struct dispatch_model *m, const char *text, size_t len,
                      double threshold, struct dispatch_suggestion *out);

/* The model as bytes (the caller frees *data) and back. Loading refuses (APP_ERR_INVALID,
 * code "model_version") another format version and (code "model_corrupt") a damaged file. */
int dispatch_model_save(const struct dispatch_model *m, char **data, size_t *len,
                        struct app_error *err);
int dispatch_model_load(const char *data, size_t len, struct dispatch_model **out,
                        struct app_error *err);

/* ---- evaluation (model.c) ---- */

struct dispatch_scores {
    long n;
    double accuracy, top3, macro_f1;
    /* confusion[i * nclasses + j]: true class i (of the model's classes) predicted j; examples
     * whose true class the model does not know count as wrong and are in n_unknown */
    long *confusion;
    size_t nclasses;
    long n_unknown;
};

int dispatch_evaluate(const struct dispatch_model *m, const struct dispatch_example *ex, size_t n,
                      struct dispatch_scores *out, struct app_error *err);
void dispatch_scores_release(struct dispatch_scores *s);

/* ---- labelled CSV (text.c) ---- */

struct dispatch_set {
    struct dispatch_example *items; /* the set owns each label and text */
    size_t len, cap;
};

/* Parse a CSV whose header has columns `label` and `text` (UTF-8, optional BOM, RFC 4180).
 * Refuses the whole file: no label or text column (field "label"/"text"), a row with an empty
 * label or text (the line in the message), malformed CSV. */
int dispatch_set_parse(const char *data, size_t len, struct dispatch_set *out,
                       struct app_error *err);
void dispatch_set_release(struct dispatch_set *s);

#endif
