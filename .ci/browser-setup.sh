#!/usr/bin/env bash
# What tests/browser needs on a fresh machine, each step only when it is missing:
#   Debian's chromium (Playwright's own browser download cannot be used here),
#   Playwright's Python package in .venv (the driver; it launches /usr/bin/chromium),
#   axe-core from npm into tests/browser/node_modules (the version in tests/browser/package-lock.json).
# Without them the browser tests skip with the reason; .ci/run calls this before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "browser-setup: need root (or sudo) to run: $*" >&2; return 1; fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "browser-setup: installing chromium (Debian)"
  apt_install chromium
fi

if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
if ! .venv/bin/python -c "import playwright.sync_api" >/dev/null 2>&1; then
  echo "browser-setup: installing playwright into .venv"
  .venv/bin/pip install -q "playwright>=1.45"
fi

if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "browser-setup: installing nodejs and npm (Debian)"
    apt_install nodejs npm
  fi
  echo "browser-setup: installing axe-core into tests/browser/node_modules"
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

echo "browser-setup: $(chromium --version 2>/dev/null | head -1);" \
  "playwright $(.venv/bin/python -c 'from importlib.metadata import version; print(version("playwright"))');" \
  "axe-core $(node -p 'require("./tests/browser/node_modules/axe-core/package.json").version' 2>/dev/null || echo '?')"
