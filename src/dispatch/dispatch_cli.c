/* `zhizhi dispatch train|eval`: the classifier on a labelled CSV file, without a database, and
 * `zhizhi dispatch train` without a file: the district's model from its closed events. */
#include "dispatch/dispatch_cli.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "dispatch/dispatch.h"

static const char usage[] =
    "usage: zhizhi dispatch train FILE.csv --model OUT [--bits N] [--cost C] [--folds K]\n"
    "       zhizhi dispatch eval FILE.csv --model M [--json]\n"
    "       zhizhi dispatch train [--data-dir DIR]   (from the closed events in the database)\n"
    "  FILE.csv: header label,text; UTF-8, optional BOM, RFC 4180 quoting\n";

static int read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(out, chunk, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

static int load_set(const char *path, struct dispatch_set *set)
{
    struct buf b = BUF_INIT;
    struct app_error err = {0};
    if (read_file(path, &b)) {
        fprintf(stderr, "zhizhi dispatch: cannot read %s\n", path);
        buf_release(&b);
        return 1;
    }
    int rc = dispatch_set_parse(b.data ? b.data : "", b.len, set, &err);
    buf_release(&b);
    if (rc) {
        fprintf(stderr, "zhizhi dispatch: %s: %s%s%s\n", path, err.field[0] ? err.field : "",
                err.field[0] ? ": " : "", err.message);
        return 2;
    }
    return 0;
}

struct opts {
    const char *file, *model;
    bool json;
    struct dispatch_train_opts train;
};

static int parse(int argc, char **argv, struct opts *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--model") == 0 && v) {
            o->model = v, i++;
        } else if (strcmp(a, "--bits") == 0 && v) {
            o->train.bits = (unsigned)atoi(v), i++;
            if (o->train.bits < DISPATCH_BITS_MIN || o->train.bits > DISPATCH_BITS_MAX) {
                fprintf(stderr, "zhizhi dispatch: --bits must be %d..%d\n", DISPATCH_BITS_MIN,
                        DISPATCH_BITS_MAX);
                return 2;
            }
        } else if (strcmp(a, "--cost") == 0 && v) {
            char *end;
            o->train.cost = strtod(v, &end), i++;
            if (*end || !(o->train.cost > 0 && o->train.cost < 1e6)) {
                fprintf(stderr, "zhizhi dispatch: --cost must be a positive number\n");
                return 2;
            }
        } else if (strcmp(a, "--folds") == 0 && v) {
            o->train.folds = atoi(v), i++;
            if (o->train.folds < 2 || o->train.folds > 20) {
                fprintf(stderr, "zhizhi dispatch: --folds must be 2..20\n");
                return 2;
            }
        } else if (a[0] == '-' && a[1] == '-') {
            /* setting flags (--data-dir ...) belong to the database form */
            if (o->file || !v) {
                fprintf(stderr, "zhizhi dispatch: unknown option %s\n%s", a, usage);
                return 2;
            }
            i++;
        } else if (!o->file) {
            o->file = a;
        } else {
            fprintf(stderr, "zhizhi dispatch: too many arguments\n%s", usage);
            return 2;
        }
    }
    return 0;
}

static int write_model(const struct dispatch_model *m, const char *path)
{
    char *data;
    size_t len;
    struct app_error err = {0};
    dispatch_model_save(m, &data, &len, &err);
    struct buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp", path);
    FILE *f = fopen(buf_cstr(&tmp), "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f))
        ok = 0;
    if (ok && rename(buf_cstr(&tmp), path))
        ok = 0;
    if (!ok) {
        remove(buf_cstr(&tmp));
        fprintf(stderr, "zhizhi dispatch: cannot write %s\n", path);
    }
    buf_release(&tmp);
    free(data);
    return ok ? 0 : 1;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int train_file(struct opts *o)
{
    if (!o->model) {
        fprintf(stderr, "zhizhi dispatch: train needs --model OUT\n%s", usage);
        return 2;
    }
    struct dispatch_set set;
    int rc = load_set(o->file, &set);
    if (rc)
        return rc;
    struct dispatch_model *m;
    struct app_error err = {0};
    double t0 = seconds();
    if (dispatch_train(set.items, set.len, &o->train, &m, &err)) {
        fprintf(stderr, "zhizhi dispatch: %s: %s: %s\n", o->file, err.field, err.message);
        dispatch_set_release(&set);
        return 2;
    }
    double t1 = seconds();
    rc = write_model(m, o->model);
    if (rc == 0)
        printf("trained on %zu messages, %zu classes, C=%g (cross-validated: %s), %.2f s -> %s\n",
               set.len, dispatch_model_nclasses(m), dispatch_model_cost(m),
               o->train.cost > 0 ? "no" : "yes", t1 - t0, o->model);
    dispatch_model_free(m);
    dispatch_set_release(&set);
    return rc;
}

static int load_model_file(const char *path, struct dispatch_model **m)
{
    struct buf b = BUF_INIT;
    struct app_error err = {0};
    if (read_file(path, &b)) {
        fprintf(stderr, "zhizhi dispatch: cannot read model %s\n", path);
        buf_release(&b);
        return 1;
    }
    int rc = dispatch_model_load(b.data ? b.data : "", b.len, m, &err);
    buf_release(&b);
    if (rc) {
        fprintf(stderr, "zhizhi dispatch: model %s: %s\n", path, err.message);
        return 2;
    }
    return 0;
}

static void print_text(const struct dispatch_model *m, const struct dispatch_scores *s)
{
    printf("n %ld  accuracy %.4f  top-3 %.4f  macro-F1 %.4f", s->n, s->accuracy, s->top3,
           s->macro_f1);
    if (s->n_unknown)
        printf("  (%ld with a label the model does not know)", s->n_unknown);
    printf("\nconfusion matrix (rows: true class, columns: predicted, in this order):\n");
    for (size_t i = 0; i < s->nclasses; i++) {
        printf("%2zu %-16s", i + 1, dispatch_model_class(m, i));
        for (size_t j = 0; j < s->nclasses; j++)
            printf(" %5ld", s->confusion[i * s->nclasses + j]);
        printf("\n");
    }
}

static int eval_file(struct opts *o)
{
    if (!o->model) {
        fprintf(stderr, "zhizhi dispatch: eval needs --model M\n%s", usage);
        return 2;
    }
    struct dispatch_model *m;
    int rc = load_model_file(o->model, &m);
    if (rc)
        return rc;
    struct dispatch_set set;
    rc = load_set(o->file, &set);
    if (rc) {
        dispatch_model_free(m);
        return rc;
    }
    struct dispatch_scores s;
    struct app_error err = {0};
    double t0 = seconds();
    rc = dispatch_evaluate(m, set.items, set.len, &s, &err);
    double dt = seconds() - t0;
    if (rc) {
        fprintf(stderr, "zhizhi dispatch: %s: %s\n", o->file, err.message);
        rc = 2;
    } else if (o->json) {
        json_t *j = json_pack("{s:I,s:f,s:f,s:f}", "n", (json_int_t)s.n, "accuracy", s.accuracy,
                              "top3", s.top3, "macro_f1", s.macro_f1);
        char *txt = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
        printf("%s\n", txt);
        free(txt);
        json_decref(j);
    } else {
        print_text(m, &s);
        printf("prediction: %.3f ms per message\n", dt * 1000 / (double)set.len);
    }
    dispatch_scores_release(&s);
    dispatch_set_release(&set);
    dispatch_model_free(m);
    return rc;
}

int dispatch_cli_main(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    struct opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    if (strcmp(argv[1], "train") == 0 && o.file)
        return train_file(&o);
    if (strcmp(argv[1], "eval") == 0 && o.file)
        return eval_file(&o);
    fprintf(stderr, "%s", usage);
    return 2;
}
