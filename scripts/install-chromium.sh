#!/usr/bin/env bash
# Installs Chromium from Debian's packages for the web console's browser tests
# (internal/console), unless it is there already. Idempotent: a second run does nothing.
#
#   scripts/install-chromium.sh
#
# The tests find Chromium at $DXLOCAL_CHROMIUM, /usr/bin/chromium, or on PATH; without it they
# skip and say so.
set -euo pipefail

if [ -n "${DXLOCAL_CHROMIUM:-}" ] && [ -x "${DXLOCAL_CHROMIUM}" ]; then
	echo "chromium: using ${DXLOCAL_CHROMIUM}"
	exit 0
fi
if [ -x /usr/bin/chromium ]; then
	echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium) already installed"
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "chromium: not installed, and installing it needs root (apt-get install chromium)" >&2
		exit 1
	fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "chromium: not installed, and this is not a Debian-like system: install Chromium and set DXLOCAL_CHROMIUM to its path" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null) installed"
