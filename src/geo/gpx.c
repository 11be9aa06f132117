/* GPX 1.0/1.1 tracks (what GPS loggers and hiking apps export) read with expat: every <trkseg>
 * and every <rte> becomes one line of its trkpt/rtept points (lat/lon attributes, WGS84 as GPX
 * defines them), with the earliest and latest <time> of the points. A document type declaration
 * is refused (GPX has none; it is how entity expansion attacks start). */
#include "geo/geo.h"

#include <expat.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/xalloc.h"

struct gpx_state {
    XML_Parser p;
    const char *field;
    struct geo_lines *out;
    struct geo_point *pts; /* the line being read */
    size_t n, cap;
    bool in_line;  /* inside trkseg or rte */
    bool in_point; /* inside trkpt or rtept */
    bool in_time;  /* inside the point's time */
    char time[64];
    size_t tlen;
    int64_t first, last;
    struct app_error *err;
    bool failed;
    /* bad points and times: the file is refused whole, naming every line (the first ten) */
    unsigned long bad_lines[10];
    size_t nbad;
    bool bad_point, bad_time;
};

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static void fail(struct gpx_state *s, const char *code, const char *message)
{
    if (s->failed)
        return;
    s->failed = true;
    app_fail(s->err, APP_ERR_INVALID, code, s->field, "GPX 第 %lu 行：%s",
             (unsigned long)XML_GetCurrentLineNumber(s->p), message);
    XML_StopParser(s->p, XML_FALSE);
}

/* A bad point or time: note its line and read on, so every bad line is named. */
static void bad(struct gpx_state *s, bool point)
{
    unsigned long line = (unsigned long)XML_GetCurrentLineNumber(s->p);
    if (s->nbad < sizeof(s->bad_lines) / sizeof(s->bad_lines[0]) &&
        (!s->nbad || s->bad_lines[s->nbad - 1] != line))
        s->bad_lines[s->nbad++] = line;
    else if (s->nbad >= sizeof(s->bad_lines) / sizeof(s->bad_lines[0]))
        s->nbad++;
    if (point)
        s->bad_point = true;
    else
        s->bad_time = true;
}

static void fail_bad(struct gpx_state *s)
{
    char lines[160] = "";
    size_t shown = s->nbad < 10 ? s->nbad : 10, at = 0;
    for (size_t i = 0; i < shown && at < sizeof(lines); i++)
        at += (size_t)snprintf(lines + at, sizeof(lines) - at, "%s%lu", i ? "、" : "",
                               s->bad_lines[i]);
    const char *what = s->bad_point && s->bad_time ? "轨迹点的 lat/lon 或时间无效"
                       : s->bad_point              ? "轨迹点的 lat/lon 无效"
                                                   : "轨迹点的时间无效";
    s->failed = true;
    app_fail(s->err, APP_ERR_INVALID, s->bad_point ? "invalid_point" : "invalid_time", s->field,
             "GPX 第 %s 行%s：%s", lines, s->nbad > shown ? "等" : "", what);
}

static bool number(const char *v, double lo, double hi, double *out)
{
    char *end;
    double d = v ? strtod(v, &end) : NAN;
    if (!v || end == v || *end || !isfinite(d) || d < lo || d > hi)
        return false;
    *out = d;
    return true;
}

static void end_line(struct gpx_state *s)
{
    if (s->n) {
        s->out->items = xrealloc(s->out->items, (s->out->len + 1) * sizeof(*s->out->items));
        s->out->items[s->out->len++] = (struct geo_line){s->pts, s->n};
    } else {
        free(s->pts);
    }
    s->pts = NULL;
    s->n = s->cap = 0;
    s->in_line = false;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct gpx_state *s = ud;
    const char *el = local_name(name);
    if (strcmp(el, "trkseg") == 0 || strcmp(el, "rte") == 0) {
        s->in_line = true;
    } else if (s->in_line && (strcmp(el, "trkpt") == 0 || strcmp(el, "rtept") == 0)) {
        const char *lat = NULL, *lon = NULL;
        for (int i = 0; atts[i]; i += 2) {
            if (strcmp(atts[i], "lat") == 0)
                lat = atts[i + 1];
            else if (strcmp(atts[i], "lon") == 0)
                lon = atts[i + 1];
        }
        struct geo_point pt;
        if (!number(lon, -180, 180, &pt.lon) || !number(lat, -90, 90, &pt.lat)) {
            bad(s, true);
            pt = (struct geo_point){0, 0}; /* kept in place; the file is refused at the end */
        }
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 256;
            s->pts = xrealloc(s->pts, s->cap * sizeof(*s->pts));
        }
        s->pts[s->n++] = pt;
        s->in_point = true;
    } else if (s->in_point && strcmp(el, "time") == 0) {
        s->in_time = true;
        s->tlen = 0;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct gpx_state *s = ud;
    const char *el = local_name(name);
    if (strcmp(el, "trkseg") == 0 || strcmp(el, "rte") == 0) {
        end_line(s);
    } else if (strcmp(el, "trkpt") == 0 || strcmp(el, "rtept") == 0) {
        s->in_point = false;
    } else if (s->in_time && strcmp(el, "time") == 0) {
        s->in_time = false;
        s->time[s->tlen] = '\0';
        int64_t t;
        struct app_error terr = {0};
        if (clock_parse(s->time, &t, s->field, &terr)) {
            bad(s, false);
            return;
        }
        if (!s->first || t < s->first)
            s->first = t;
        if (t > s->last)
            s->last = t;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *text, int len)
{
    struct gpx_state *s = ud;
    if (!s->in_time)
        return;
    for (int i = 0; i < len; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (s->tlen + 1 >= sizeof(s->time)) {
            /* too long to be a time: keep a text clock_parse refuses */
            s->time[0] = 'x';
            s->tlen = 1;
            return;
        }
        s->time[s->tlen++] = c;
    }
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    fail(ud, "invalid_gpx", "不接受 DOCTYPE 声明");
}

int geo_gpx_parse(const char *text, size_t len, const char *field, struct geo_lines *out,
                  int64_t *first, int64_t *last, struct app_error *err)
{
    struct gpx_state s = {.field = field, .out = out, .err = err};
    memset(out, 0, sizeof(*out));
    *first = *last = 0;
    bool root_ok = len >= 4 && strstr(text, "<gpx") != NULL;
    if (!root_ok)
        return app_fail(err, APP_ERR_INVALID, "invalid_gpx", field, "不是 GPX 文件");
    s.p = XML_ParserCreate("UTF-8");
    XML_SetUserData(s.p, &s);
    XML_SetElementHandler(s.p, on_start, on_end);
    XML_SetCharacterDataHandler(s.p, on_text);
    XML_SetStartDoctypeDeclHandler(s.p, on_doctype);
    if (len > (size_t)INT32_MAX) {
        fail(&s, "too_large", "文件过大");
    } else if (XML_Parse(s.p, text, (int)len, XML_TRUE) == XML_STATUS_ERROR && !s.failed) {
        char msg[160];
        snprintf(msg, sizeof(msg), "不是有效的 XML（%s）", XML_ErrorString(XML_GetErrorCode(s.p)));
        fail(&s, "invalid_gpx", msg);
    }
    if (!s.failed && s.nbad)
        fail_bad(&s);
    if (!s.failed && s.in_line)
        end_line(&s);
    if (!s.failed && out->len == 0)
        fail(&s, "empty_track", "没有轨迹点（trkseg/trkpt 或 rte/rtept）");
    XML_ParserFree(s.p);
    free(s.pts);
    if (s.failed) {
        geo_lines_release(out);
        return -1;
    }
    *first = s.first;
    *last = s.last;
    return 0;
}
