/* Fuzz clock_parse: any text is a time or an "invalid_time" error naming the field, and a time
 * it accepts formats back (Asia/Shanghai) to text that parses to the same instant. */
#include <assert.h>

#include "core/clock.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct app_error err;
    int64_t t = 0, back = 0, days = 0;
    if (clock_parse(s, &t, "due_at", &err) == 0) {
        char text[64], date[16];
        clock_format_local(t, text, sizeof(text));
        clock_format_date(t, date, sizeof(date));
        /* Years 0000 and 9999 can leave the four-digit range once shifted to +08:00. */
        if (text[0] != '-' && strlen(text) == 25) {
            assert(clock_parse(text, &back, "x", &err) == 0);
            assert(back == t);
            assert(clock_parse_date(date, &days) == 0);
        }
    } else {
        assert(err.code == APP_ERR_INVALID);
        assert(strcmp(err.code_name, "invalid_time") == 0);
        assert(strcmp(err.field, "due_at") == 0);
    }
    clock_parse_date(s, &days);
    free(s);
    return 0;
}
