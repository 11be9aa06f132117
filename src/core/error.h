/* Error reporting shared by every layer: a code, a message and the input field at fault.
 * Domain functions fill a struct app_error; the http layer maps the code to a status. */
#ifndef CORE_ERROR_H
#define CORE_ERROR_H

enum app_error_code {
    APP_OK = 0,
    APP_ERR_INVALID,      /* 400: client input is wrong */
    APP_ERR_UNAUTHORIZED, /* 401: no valid session */
    APP_ERR_FORBIDDEN,    /* 403: the role may not do this */
    APP_ERR_NOT_FOUND,    /* 404: missing, or outside the caller's scope */
    APP_ERR_METHOD,       /* 405: the path exists, the method does not */
    APP_ERR_CONFLICT,     /* 409: state does not allow it */
    APP_ERR_TOO_LARGE,    /* 413: body over the limit */
    APP_ERR_UNSUPPORTED,  /* 415: media type */
    APP_ERR_TOO_MANY,     /* 429: slow down */
    APP_ERR_UNAVAILABLE,  /* 503: try again later */
    APP_ERR_INTERNAL,     /* 500: a bug or an I/O failure */
};

struct app_error {
    enum app_error_code code;
    char code_name[48]; /* stable machine-readable code, e.g. "invalid_number"; empty = default */
    char field[64];     /* the input field at fault, empty when none */
    char message[256];  /* human-readable detail */
};

/* Fill err (when non-NULL) and return -1, so callers can write `return app_fail(...)`.
 * code_name may be NULL (the generic name of code is used), field may be NULL. */
int app_fail(struct app_error *err, enum app_error_code code, const char *code_name,
             const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Reset err to APP_OK. */
void app_error_clear(struct app_error *err);

/* The generic lower-case name of a code: "invalid", "not_found", ... */
const char *app_error_name(enum app_error_code code);

#endif
