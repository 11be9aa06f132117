/* `zhizhi policy run POLICY_FILE [--json]`: run a 免申即享 policy document over the registry of
 * the data directory and list every eligible enterprise with the result of each rule. */
#include "enterprise/enterprise_cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_api.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    size_t n;
    while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                s = NULL;
            } else {
                s = t;
            }
        }
    }
    fclose(f);
    if (s)
        s[len] = 0;
    return s;
}

int enterprise_cli_policy(int argc, char **argv)
{
    struct app app;
    struct app_error err = {0};
    char *rest[64];
    int nrest;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    const char *file = NULL;
    bool as_json = false;
    for (int i = 0; i < nrest; i++) {
        if (strcmp(rest[i], "--json") == 0)
            as_json = true;
        else if (i == 0 && strcmp(rest[i], "run") == 0)
            continue;
        else if (!file && i == 1)
            file = rest[i];
        else
            file = NULL, i = nrest;
    }
    if (nrest < 2 || strcmp(rest[0], "run") != 0 || !file) {
        fprintf(stderr, "usage: zhizhi policy run POLICY_FILE [--json]\n");
        cli_close_app(&app);
        return CLI_USAGE;
    }
    char *text = slurp(file);
    struct policy p;
    struct enterprise_list l = {0};
    struct policy_result *r = NULL;
    rc = CLI_FAIL;
    if (!text) {
        fprintf(stderr, "zhizhi policy: %s: 无法读取\n", file);
        rc = CLI_USAGE;
        goto out;
    }
    if (enterprise_policy_parse(text, &p, &err)) {
        fprintf(stderr, "zhizhi policy: %s: %s (%s)\n", err.field, err.message, err.code_name);
        rc = CLI_USAGE;
        goto out;
    }
    if (enterprise_list(app.db, NULL, &l, &err)) {
        fprintf(stderr, "zhizhi policy: %s\n", err.message);
        goto out;
    }
    r = calloc(l.len + 1, sizeof(*r));
    size_t n = policy_run(&p, l.items, l.len, r);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        if (!r[i].eligible)
            continue;
        json_t *why = json_array();
        if (!as_json)
            printf("%s\t%s\t%lld.%02lld 元", l.items[i].uscc, l.items[i].name,
                   (long long)(r[i].benefit_fen / 100), (long long)(r[i].benefit_fen % 100));
        for (int k = 0; k < p.nrules; k++) {
            char reason[192];
            bool ok = policy_rule_eval(&p.rules[k], &l.items[i], reason, sizeof(reason));
            if (as_json)
                json_array_append_new(why, json_pack("{s:s,s:b,s:s}", "field",
                                                     policy_field_name(p.rules[k].field), "passed",
                                                     ok, "reason", reason));
            else
                printf("\t%s", reason);
        }
        if (as_json)
            json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:o}", "uscc", l.items[i].uscc,
                                                   "name", l.items[i].name, "benefit_fen",
                                                   (json_int_t)r[i].benefit_fen, "rules", why));
        else {
            json_decref(why);
            printf("\n");
        }
    }
    if (as_json) {
        json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:o}", "code", p.code, "name", p.name, "evaluated",
                              (json_int_t)l.len, "eligible", (json_int_t)n, "items", items);
        char *s = json_dumps(j, JSON_COMPACT);
        puts(s ? s : "{}");
        free(s);
        json_decref(j);
    } else {
        json_decref(items);
        printf("# %s %s：%zu / %zu 家企业符合\n", p.code, p.name, n, l.len);
    }
    rc = CLI_OK;
out:
    free(text);
    free(l.items);
    free(r);
    cli_close_app(&app);
    return rc;
}
