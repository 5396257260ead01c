#!/usr/bin/env bash
# Prints the Debian packages that provide the shared libraries the binaries
# under PREFIX/bin link (our own libraries under PREFIX/lib excluded), one
# per line: the runtime image installs exactly these.
set -euo pipefail
prefix=${1:?usage: runtime-packages.sh PREFIX}
export LD_LIBRARY_PATH="$prefix/lib"
for b in "$prefix"/bin/*; do ldd "$b"; done \
  | awk '/=> \// {print $3}' | sort -u \
  | grep -v "^$prefix/" \
  | while read -r lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib"; done \
  | cut -d: -f1 | sort -u
