#!/usr/bin/env bash
# The include rules of the module shape (docs/architecture.md), read from #include lines:
#  1. no domain or store file includes an *_api.h (the HTTP layer sits on top: only *_api.c,
#     *_cli.c, src/cli/, src/http/ and src/modules.c may);
#  2. no circle between the files of a module. A file's unit is its name without .c/.h
#     (org_store.c and org_store.h are one unit); unit A depends on unit B of the same folder
#     when A.c or A.h includes B.h. One edge is the shape itself and is not counted: a store
#     (X_store) reads and writes the structs its domain header (X.h) declares.
#     Circles named in tools/include-circles.allow (one "unit -> unit -> ... -> unit" a line)
#     are known and to be broken; a new circle fails, and so does an allowed one that is gone
#     (so the list only shrinks).
# Prints "check-includes: ok" or each violation; exits 1 on any.
set -u
cd "$(dirname "$0")/.."
fail=0
bad() { echo "check-includes: $1"; fail=1; }

while IFS= read -r f; do
    base=$(basename "$f")
    case "$f" in src/http/* | src/cli/* | src/modules.c) continue ;; esac
    case "$base" in *_api.c | *_api.h | *_cli.c | *_cli.h) continue ;; esac
    if grep -qE '^#include "[a-z0-9_]+/[a-z0-9_]+_api\.h"' "$f"; then
        bad "$f (a domain or store file) includes $(grep -oE '"[a-z0-9_]+/[a-z0-9_]+_api\.h"' "$f" | head -1)"
    fi
done < <(find src -name '*.[ch]' | sort)

# Edges "module/unit module/unit" inside each module folder.
edges=$(find src -mindepth 2 -name '*.[ch]' | sort | while IFS= read -r f; do
    dir=${f#src/}
    mod=${dir%%/*}
    unit=$(basename "$f")
    unit=${unit%.[ch]}
    sed -nE 's/^#include "([a-z0-9_]+)\/([a-z0-9_]+)\.h".*/\1 \2/p' "$f" | while read -r m u; do
        [ "$m" = "$mod" ] || continue
        [ "$u" = "$unit" ] && continue
        [ "$unit" = "${u}_store" ] && continue # the store and its domain's structs
        echo "$mod/$unit $mod/$u"
    done
done | sort -u)

found=$(printf '%s\n' "$edges" | awk '
    NF == 2 { adj[$1] = adj[$1] " " $2; nodes[$1] = 1; nodes[$2] = 1 }
    function dfs(n,    i, k, parts, m, c, j) {
        state[n] = 1; stack[++depth] = n
        k = split(adj[n], parts, " ")
        for (i = 1; i <= k; i++) {
            m = parts[i]
            if (state[m] == 1) {
                # A circle: from m on the stack back to m; start it at its smallest unit.
                for (j = depth; stack[j] != m; j--) ;
                start = j; best = j
                for (c = j; c <= depth; c++) if (stack[c] < stack[best]) best = c
                line = ""
                for (c = 0; c <= depth - start; c++) {
                    idx = best + c; if (idx > depth) idx = idx - depth + start - 1
                    line = line stack[idx] " -> "
                }
                print line stack[best]
            } else if (!state[m]) dfs(m)
        }
        state[n] = 2; depth--
    }
    END { for (n in nodes) if (!state[n]) dfs(n) }' | sort -u)

allow=tools/include-circles.allow
while IFS= read -r c; do
    [ -n "$c" ] || continue
    grep -qxF "$c" "$allow" 2>/dev/null || bad "include circle: $c"
done <<<"$found"
if [ -f "$allow" ]; then
    while IFS= read -r c; do
        case "$c" in '' | '#'*) continue ;; esac
        grep -qxF "$c" <<<"$found" || bad "$allow lists a circle that is gone (remove the line): $c"
    done <"$allow"
fi

[ $fail = 0 ] && echo "check-includes: ok"
exit $fail
