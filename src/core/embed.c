/* Lookup over the embedded data files. */
#include "core/embed.h"

#include <string.h>

const struct embed_file *embed_find_data(const char *suffix)
{
    size_t sl = strlen(suffix);
    for (const struct embed_file *f = embed_data; f->name; f++) {
        size_t nl = strlen(f->name);
        if (nl >= sl && strcmp(f->name + nl - sl, suffix) == 0)
            return f;
    }
    return NULL;
}
