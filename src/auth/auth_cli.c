/* zhizhi user add|passwd|disable|list: account management for operators at the console. Changes
 * are audited with no actor (the system). Passwords come from a file or are generated and
 * printed once. */
#include "auth/auth_cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"

#define USAGE                                                                                      \
    "usage: zhizhi user add USERNAME --role ROLE [--display-name NAME] [--level L] [--region C]\n" \
    "                     [--grid G] [--team-role T] [--department D] [--post P]\n"                \
    "                     [--password-file FILE]\n"                                                \
    "       zhizhi user passwd USERNAME [--password-file FILE]\n"                                  \
    "       zhizhi user disable USERNAME\n"                                                        \
    "       zhizhi user list\n"

/* Value of option --name in rest, or NULL. */
static const char *opt(char **rest, int nrest, const char *name)
{
    for (int i = 0; i + 1 < nrest; i++)
        if (strncmp(rest[i], "--", 2) == 0 && strcmp(rest[i] + 2, name) == 0)
            return rest[i + 1];
    return NULL;
}

static int positional(char **rest, int nrest, char **pos, int max)
{
    int n = 0;
    for (int i = 0; i < nrest; i++) {
        if (strncmp(rest[i], "--", 2) == 0) {
            i++;
            continue;
        }
        if (n < max)
            pos[n] = rest[i];
        n++;
    }
    return n;
}

/* The password from --password-file, or a random one (printed by the caller). */
static int get_password(char **rest, int nrest, char *out, size_t n, bool *generated)
{
    const char *file = opt(rest, nrest, "password-file");
    *generated = false;
    if (!file) {
        unsigned char raw[12];
        if (sodium_init() < 0)
            return -1;
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2base64(out, n, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        *generated = true;
        return 0;
    }
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "zhizhi user: cannot read %s\n", file);
        return -1;
    }
    size_t len = fread(out, 1, n - 1, f);
    fclose(f);
    out[len] = '\0';
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return 0;
}

static int fail(const struct app_error *err)
{
    fprintf(stderr, "zhizhi user: %s%s%s%s\n", err->message, err->field[0] ? " (field " : "",
            err->field, err->field[0] ? ")" : "");
    return CLI_FAIL;
}

static int user_add(struct app *app, char **rest, int nrest, const char *username)
{
    struct app_error err = {0};
    char pw[160];
    bool generated;
    int64_t id;
    if (get_password(rest, nrest, pw, sizeof(pw), &generated))
        return CLI_FAIL;
    struct auth_user_input in = {
        .username = username,
        .display_name = opt(rest, nrest, "display-name"),
        .role = opt(rest, nrest, "role"),
        .level = opt(rest, nrest, "level"),
        .region = opt(rest, nrest, "region"),
        .grid = opt(rest, nrest, "grid"),
        .team_role = opt(rest, nrest, "team-role"),
        .department = opt(rest, nrest, "department"),
        .board = opt(rest, nrest, "board"),
        .post = opt(rest, nrest, "post"),
        .password = pw,
    };
    if (auth_user_add(app, app->db, NULL, "cli", &in, &id, &err))
        return fail(&err);
    printf("user %s created (id %lld)\n", username, (long long)id);
    if (generated)
        printf("password (shown once): %s\n", pw);
    sodium_memzero(pw, sizeof(pw));
    return CLI_OK;
}

static int user_passwd(struct app *app, char **rest, int nrest, const char *username)
{
    struct app_error err = {0};
    char pw[160];
    bool generated;
    if (get_password(rest, nrest, pw, sizeof(pw), &generated))
        return CLI_FAIL;
    struct auth_user_patch patch = {.password = pw, .disabled = -1};
    if (auth_user_update(app, app->db, NULL, "cli", username, &patch, &err))
        return fail(&err);
    printf("password of %s changed; its sessions ended\n", username);
    if (generated)
        printf("password (shown once): %s\n", pw);
    sodium_memzero(pw, sizeof(pw));
    return CLI_OK;
}

static int user_disable(struct app *app, const char *username)
{
    struct app_error err = {0};
    struct auth_user_patch patch = {.disabled = 1};
    if (auth_user_update(app, app->db, NULL, "cli", username, &patch, &err))
        return fail(&err);
    printf("user %s disabled; its sessions ended\n", username);
    return CLI_OK;
}

static int user_list(struct app *app)
{
    struct app_error err = {0};
    struct auth_user_list list = {0};
    bool more = true;
    const char *after = NULL;
    char last[64] = "";
    printf("%-20s %-12s %-28s %-8s %s\n", "USERNAME", "ROLE", "SCOPE", "STATE", "NAME");
    while (more) {
        list.len = 0;
        if (auth_user_list(app->db, after, 500, &list, &more, &err)) {
            auth_user_list_release(&list);
            return fail(&err);
        }
        for (size_t i = 0; i < list.len; i++) {
            const struct auth_principal *p = &list.items[i].p;
            const char *scope = p->post[0]         ? p->post
                                : p->grid[0]       ? p->grid
                                : p->department[0] ? p->department
                                                   : p->region;
            printf("%-20s %-12s %-28s %-8s %s\n", p->username, auth_role_name(p->role), scope,
                   list.items[i].disabled ? "disabled" : "active", p->display_name);
        }
        if (list.len) {
            snprintf(last, sizeof(last), "%s", list.items[list.len - 1].p.username);
            after = last;
        }
    }
    auth_user_list_release(&list);
    return CLI_OK;
}

int auth_cli_main(int argc, char **argv)
{
    struct app app;
    char *rest[64], *pos[3];
    int nrest;
    if (argc > 64)
        return CLI_USAGE;
    int rc = cli_open_app(argc, argv, &app, rest, &nrest);
    if (rc)
        return rc;
    int npos = positional(rest, nrest, pos, 3);
    rc = CLI_USAGE;
    if (npos == 2 && strcmp(pos[0], "add") == 0)
        rc = user_add(&app, rest, nrest, pos[1]);
    else if (npos == 2 && strcmp(pos[0], "passwd") == 0)
        rc = user_passwd(&app, rest, nrest, pos[1]);
    else if (npos == 2 && strcmp(pos[0], "disable") == 0)
        rc = user_disable(&app, pos[1]);
    else if (npos == 1 && strcmp(pos[0], "list") == 0)
        rc = user_list(&app);
    else
        fputs(USAGE, stderr);
    cli_close_app(&app);
    return rc;
}
