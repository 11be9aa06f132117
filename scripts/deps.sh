#!/usr/bin/env bash
# Install what building, testing and running zhizhi need, and only what is missing:
# Debian packages through apt-get (with sudo when not root) and the npm packages of the
# lockfile. Safe to run again; quiet when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    build-essential pkg-config
    libmicrohttpd-dev libjansson-dev libsqlite3-dev libgeos-dev libinih-dev
    libsodium-dev libqrencode-dev zlib1g-dev
    sqlite3 chromium chromium-driver
    fonts-wqy-microhei chromium-l10n
    faketime libsystemd-dev nginx-light openssl
    libreadosm-dev
    liblinear-dev
    libexpat1-dev
)
# Benchmarks compare against peers measured in the same run.
if [ "${ZHIZHI_BENCH_DEPS:-0}" = 1 ]; then
    packages+=(wrk nginx-light postgresql postgis postgresql-15-postgis-3 hyperfine)
    # lifecircle: the graph peers
    packages+=(python3-igraph python3-networkx)
    # dispatch: liblinear's own train/predict CLI on the same features
    packages+=(liblinear-tools)
fi

# make fuzz: clang with libFuzzer and the sanitizer runtimes (not needed by make test).
if [ "${ZHIZHI_FUZZ_DEPS:-0}" = 1 ]; then
    packages+=(clang libclang-rt-14-dev llvm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f package.json ]; then
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "deps: npm ci"
        npm ci --no-audit --no-fund --loglevel=error
    fi
fi
