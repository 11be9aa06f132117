/* Scores of a model on a labelled set: accuracy, top-3 accuracy, macro-F1 (the unweighted mean
 * of each class's F1 over the classes that occur as truth or as prediction, as scikit-learn's
 * f1_score(average="macro") computes it) and the confusion matrix. */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "dispatch/dispatch.h"

static int find(const struct dispatch_model *m, const char *label)
{
    size_t n = dispatch_model_nclasses(m);
    for (size_t i = 0; i < n; i++)
        if (strcmp(dispatch_model_class(m, i), label) == 0)
            return (int)i;
    return -1;
}

void dispatch_scores_release(struct dispatch_scores *s)
{
    free(s->confusion);
    memset(s, 0, sizeof(*s));
}

int dispatch_evaluate(const struct dispatch_model *m, const struct dispatch_example *ex, size_t n,
                      struct dispatch_scores *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (n == 0)
        return app_fail(err, APP_ERR_INVALID, "no_rows", "text", "nothing to evaluate");
    size_t nc = dispatch_model_nclasses(m);
    out->nclasses = nc;
    out->confusion = xcalloc(nc * nc, sizeof(long));
    long right = 0, in3 = 0;
    /* distinct labels the model does not know: each is a class with F1 0 */
    const char **unknown = NULL;
    size_t nunknown = 0;
    long *fp = xcalloc(nc, sizeof(long));
    for (size_t i = 0; i < n; i++) {
        struct dispatch_suggestion s;
        const char *text = ex[i].text ? ex[i].text : "";
        dispatch_predict(m, text, strlen(text), 0, &s);
        int truth = find(m, ex[i].label), guess = find(m, s.top[0].cls);
        if (truth < 0) {
            out->n_unknown++;
            fp[guess]++;
            size_t k = 0;
            while (k < nunknown && strcmp(unknown[k], ex[i].label) != 0)
                k++;
            if (k == nunknown) {
                unknown = xrealloc(unknown, sizeof(*unknown) * (nunknown + 1));
                unknown[nunknown++] = ex[i].label;
            }
            continue;
        }
        out->confusion[(size_t)truth * nc + (size_t)guess]++;
        right += truth == guess;
        for (int k = 0; k < s.ntop; k++)
            if (strcmp(s.top[k].cls, ex[i].label) == 0) {
                in3++;
                break;
            }
    }
    out->n = (long)n;
    out->accuracy = (double)right / (double)n;
    out->top3 = (double)in3 / (double)n;
    double f1sum = 0;
    size_t classes = nunknown;
    for (size_t c = 0; c < nc; c++) {
        long tp = out->confusion[c * nc + c], support = 0, predicted = fp[c];
        for (size_t j = 0; j < nc; j++) {
            support += out->confusion[c * nc + j];
            predicted += out->confusion[j * nc + c];
        }
        if (support == 0 && predicted == 0)
            continue;
        classes++;
        if (tp > 0)
            f1sum += 2.0 * (double)tp / (double)(support + predicted);
    }
    out->macro_f1 = classes ? f1sum / (double)classes : 0;
    free(fp);
    free(unknown);
    return 0;
}
