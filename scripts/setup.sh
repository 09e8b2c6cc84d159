#!/usr/bin/env bash
# Installs what Coach Hub needs from Debian, only when missing, so the README's two commands
# work on a fresh Debian machine: the speech stages of the self-hosted voice engine (a runtime
# feature, so for `npm start` too). `--test` adds what the tests need (Chromium for browser tests).
# Without root (and without sudo) it prints the apt command instead of failing the start.
set -euo pipefail

mode="${1:-}"
packages=()
need() { # need <command-or-path> <debian-package>
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -e "$1" ]; then packages+=("$2"); fi
}

# Voice: pocketsphinx STT (+ English model; streaming through Debian's python3 binding, the CLI as
# fallback), espeak-ng and festival TTS (+ HTS voice), sox.
need pocketsphinx_batch pocketsphinx
need /usr/share/pocketsphinx/model/en-us/en-us pocketsphinx-en-us
# Debian's own python3 by absolute path (a pyenv python3 first on PATH does not see apt packages).
if ! /usr/bin/python3 -c 'import pocketsphinx' >/dev/null 2>&1; then packages+=(python3-pocketsphinx); fi
need espeak-ng espeak-ng
need text2wave festival
need /usr/share/festival/voices/us/cmu_us_slt_arctic_hts festvox-us-slt-hts
need sox sox

if [ "$mode" = "--test" ]; then
  need /usr/bin/chromium chromium
fi

if [ ${#packages[@]} -eq 0 ]; then exit 0; fi

echo "Coach Hub setup: installing Debian packages: ${packages[*]}"
if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); elif command -v sudo >/dev/null 2>&1; then apt_get=(sudo apt-get); else
  echo "Not root and no sudo: please run  apt-get install -y ${packages[*]}" >&2
  [ "$mode" = "--test" ] && exit 1 || exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# An old package list can miss packages: refresh it first (once per setup run).
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${packages[@]}"
