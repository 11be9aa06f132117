#!/usr/bin/env bash
# Build the Debian package of zhizhi with dpkg-deb from the binary in build/: `make install`
# into a staging root (PREFIX=/usr), control files, and the runtime dependencies found from the
# libraries the binary links (dpkg -S of each). Usage: scripts/mkdeb.sh OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/deb}
version=$(build/zhizhi version | awk '{print $2}')
arch=$(dpkg --print-architecture)
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN"
make --no-print-directory install DESTDIR="$stage" PREFIX=/usr >/dev/null

# Runtime dependencies: the Debian package of every shared library the binary names (NEEDED).
deps=$(readelf -d build/zhizhi | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | while read -r so; do
    lib=$(ldd build/zhizhi | awk -v so="$so" '$1 == so {print $3}')
    [ -n "$lib" ] && { dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true; }
done | cut -d: -f1 | sort -u | grep -v '^libc6$' | paste -sd, | sed 's/,/, /g')

cat > "$stage/DEBIAN/control" <<CONTROL
Package: zhizhi
Version: ${version}
Architecture: ${arch}
Maintainer: zhizhi developers <zhizhi@localhost>
Depends: libc6, ${deps}, adduser
Section: web
Priority: optional
Description: grassroots-governance platform (网格化基层治理平台)
 One binary with an embedded SQLite database: the event closed loop, grids,
 monitoring, the command center and the residents' apps. Runs as the zhizhi
 system user under systemd, state in /var/lib/zhizhi.
CONTROL
echo /etc/zhizhi/zhizhi.conf > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    if command -v systemd-sysusers >/dev/null 2>&1; then
        systemd-sysusers zhizhi.conf
    elif ! getent passwd zhizhi >/dev/null; then
        adduser --system --group --home /var/lib/zhizhi --no-create-home zhizhi
    fi
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        systemctl enable --now zhizhi.service || true
    fi
fi
POSTINST
cat > "$stage/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
    systemctl disable --now zhizhi.service || true
fi
PRERM
cat > "$stage/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
POSTRM
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
deb="$out/zhizhi_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
