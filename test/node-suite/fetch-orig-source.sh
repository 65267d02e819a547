#!/usr/bin/env bash
# Fallback for shared/tools/node-source.sh when a mirror lacks one of the source package's extra
# tarballs (Node 22's orig-types-node.tar.xz gives 404 on Debian's mirror, so `apt-get source` fails):
# fetches only the main orig tarball, checks its SHA-256 against apt's index, and extracts what
# node-source.sh extracts, into the same cache, so the suite finds it the same way.
# Usage: fetch-orig-source.sh MAJOR   Needs the deb-src entries node-source.sh adds (run that first).
# Prints the tree's path on stdout; logs go to stderr.
set -euo pipefail
major=${1:?usage: fetch-orig-source.sh MAJOR}
cache=${FASTNET_CACHE:-$HOME/.cache/fastnet}/node-src
log() { printf 'fetch-orig-source: %s\n' "$*" >&2; }

for dir in "$cache"/node-v"$major".*; do
  if [ -f "$dir/.complete" ]; then echo "$dir"; exit 0; fi
done

versions=$(apt-cache showsrc nodejs 2>/dev/null | sed -n 's/^Version: //p' | { grep "^$major\." || true; } | sort -Vr | uniq)
[ -n "$versions" ] || { log "no nodejs $major.x source package is known to apt"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for version in $versions; do
  # Lines: 'URL' FILE SIZE SHA256:HEX; the main tarball is the .orig.tar.* without a component name.
  line=$(apt-get source --print-uris -qq --tar-only "nodejs=$version" 2>/dev/null |
         awk '$2 ~ /^nodejs_.*\.orig\.tar\./ { print; exit }') || true
  [ -n "$line" ] || continue
  read -r url file _size sum <<<"$line"
  url=${url//\'/}
  log "downloading $file"
  if curl -fsS -o "$work/$file" "$url" && echo "${sum#SHA256:}  $work/$file" | sha256sum -c --quiet; then
    upstream=${version%%+*}; upstream=${upstream%%-*}
    dest="$cache/node-v$upstream"
    rm -rf "$dest"; mkdir -p "$dest"
    log "extracting test/ and benchmark/ into $dest"
    top=$( (tar -tf "$work/$file" || true) | head -n 1); top=${top%%/*}
    tar -xf "$work/$file" -C "$dest" --strip-components=1 "$top/test" "$top/benchmark" "$top/lib/net.js" "$top/doc/api/net.md"
    touch "$dest/.complete"
    echo "$dest"
    exit 0
  fi
  rm -f "$work"/*
done
log "no nodejs $major.x source tarball could be downloaded"
exit 1
