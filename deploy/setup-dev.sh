#!/usr/bin/env bash
# Installs what a fresh Debian 12 + Node 20 machine lacks to build, test and run
# Liaison: nats-server (Debian's 2.9.10), openssl, chromium (console tests), pnpm 12, and the workspace dependencies
# from the lockfile. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.4.2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
if ! command -v nats-server >/dev/null 2>&1 && [ -z "${NATS_SERVER_BIN:-}" ]; then missing+=(nats-server); fi
# openssl makes the development CA for the TLS tests and `pnpm start -- --tls`.
if ! command -v openssl >/dev/null 2>&1; then missing+=(openssl); fi
# The station's console tests drive Debian's Chromium (playwright-core, no browser download).
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
# better-sqlite3 (the station's store) compiles with node-gyp: a C++ compiler and make.
if ! command -v g++ >/dev/null 2>&1; then missing+=(g++); fi
if ! command -v make >/dev/null 2>&1; then missing+=(make); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} from Debian"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "setup: $(${NATS_SERVER_BIN:-nats-server} --version)"

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  $SUDO npm install -g --silent "pnpm@$PNPM_VERSION"
fi
echo "setup: pnpm $(pnpm --version), node $(node --version)"

# node-gyp builds against the installed Node's headers (no header download).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
pnpm install --frozen-lockfile
