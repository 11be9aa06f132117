#!/usr/bin/env bash
# Enforce the layer rules of STYLE.md:
#  - <sqlite3.h> only in *_store.c, src/core/db.c and src/core/db_row.c (the store helper layer);
#  - <microhttpd.h> only in src/http/ and *_api.c;
#  - <jansson.h> only in src/http/, *_api.c, *_api.h and *_cli.c (command-line JSON output);
#  - no banned functions (strcpy strcat sprintf vsprintf strtok gmtime localtime);
#  - the include rules of tools/check-includes.sh (no *_api.h in a domain or store file, no
#    include circle between the files of a module).
set -u
cd "$(dirname "$0")/.."
fail=0
bad() { echo "check-layers: $1"; fail=1; }

while IFS= read -r f; do
    base=$(basename "$f")
    case "$f" in src/http/*) in_http=1 ;; *) in_http=0 ;; esac
    if grep -q '#include <sqlite3.h>' "$f"; then
        case "$base" in *_store.c) ;; *) [ "$f" = src/core/db.c ] || [ "$f" = src/core/db_row.c ] || bad "$f includes <sqlite3.h>" ;; esac
    fi
    if grep -q '#include <microhttpd.h>' "$f"; then
        case "$base" in *_api.c) ;; *) [ $in_http = 1 ] || bad "$f includes <microhttpd.h>" ;; esac
    fi
    if grep -q '#include <jansson.h>' "$f"; then
        case "$base" in *_api.c|*_api.h|*_cli.c) ;; *) [ $in_http = 1 ] || bad "$f includes <jansson.h>" ;; esac
    fi
    # Domain and store files must not pull the HTTP layer in through its headers either.
    case "$base" in
        *_api.c|*_api.h|*_cli.c) ;;
        *) if [ $in_http = 0 ] && grep -q '#include "http/' "$f"; then
               case "$f" in src/modules.c|src/cli/*) ;; *) bad "$f includes an http/ header" ;; esac
           fi ;;
    esac
    if grep -nE '(^|[^_a-zA-Z0-9])(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime)[[:space:]]*\(' "$f" \
        | grep -v '^\s*/[*/]' >/dev/null; then
        bad "$f uses a banned function: $(grep -nE '(^|[^_a-zA-Z0-9])(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime)[[:space:]]*\(' "$f" | head -1)"
    fi
done < <(find src -name '*.[ch]' | sort)

tools/check-includes.sh >/dev/null || { tools/check-includes.sh | sed 's/^/check-layers: /'; fail=1; }

[ $fail = 0 ] && echo "check-layers: ok"
exit $fail
