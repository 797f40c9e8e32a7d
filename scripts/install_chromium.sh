#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing (never a downloaded browser build).
set -u
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "chromium is missing and could not be installed (needs root and apt-get); browser tests will be skipped." >&2
