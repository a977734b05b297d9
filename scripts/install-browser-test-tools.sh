#!/usr/bin/env bash
# Installs what e2e's DashboardIT needs to drive the dashboard in a real browser:
# Debian's chromium (/usr/bin/chromium) and the playwright-core npm package, pinned by
# e2e/src/test/browser/package-lock.json, into e2e/src/test/browser/node_modules.
# playwright-core never downloads a browser of its own: it drives /usr/bin/chromium.
# Idempotent and silent when both are already there (as .ci/run calls it on every run);
# never reads standard input. Needs: apt-get (as root) when chromium is missing, node and npm.
set -euo pipefail
exec </dev/null

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BROWSER_DIR=e2e/src/test/browser

if [[ ! -x /usr/bin/chromium ]]; then
    command -v apt-get >/dev/null || { echo "install-browser-test-tools: /usr/bin/chromium is missing and there is no apt-get to install it" >&2; exit 1; }
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "install-browser-test-tools: installing chromium needs root (or sudo)" >&2; exit 1; }
        SUDO="sudo -n"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends chromium
    echo "installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
fi

if [[ ! -f "$BROWSER_DIR/node_modules/playwright-core/package.json" ]]; then
    for tool in node npm; do
        command -v "$tool" >/dev/null || { echo "install-browser-test-tools: $tool is required (apt-get install -y nodejs npm)" >&2; exit 1; }
    done
    # Only the package, never a browser download.
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    (cd "$BROWSER_DIR" && npm ci --silent --no-fund --no-audit)
    echo "installed playwright-core $(node -p "require('./$BROWSER_DIR/node_modules/playwright-core/package.json').version")"
fi
