#!/usr/bin/env bash
# Set-up on a fresh machine (run as `sh scripts/setup.sh` from anywhere):
#  1. Debian's chromium and a CJK font, used by the HTML report's browser test and screenshot,
#     installed with apt-get when missing and we are root (otherwise that test skips);
#  2. the package in editable mode with its CLI `minsheng` and the test tools (".[dev]").
# Debian's sh (dash) has no pipefail: re-run under bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    packages+=(fonts-noto-cjk)   # without it Chinese renders as boxes in screenshots
fi

if [ "${#packages[@]}" -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing ${packages[*]} (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${packages[@]}"
    else
        echo "setup: ${packages[*]} missing and cannot be installed here (needs apt-get as root);" \
             "the browser test of the HTML report will be skipped" >&2
    fi
fi

python -m pip install -e ".[dev]"
