#!/usr/bin/env bash
# Refresh the vendored Vega, Vega-Lite and vega-embed (book/_static/vendor/vega/), which draw the
# explorables on the website, and the Vega-Lite JSON schema the tests validate their specs with.
#
# Usage, from anywhere:   tools/vendor_vega.sh
#
# The versions are pinned here, and only here. Each package's npm tarball is fetched with
# `npm pack` (no install, no dependencies: the minified builds are self-contained) and only its
# minified browser build is kept, without source maps, beside its package.json and its licence
# file. Vega's tarball ships no LICENSE file: its licence (BSD-3-Clause) is named in its
# package.json, kept with it. After a refresh, rebuild the site and run tests/test_explorables.py.
set -euo pipefail
VEGA=5.33.1
VEGA_LITE=5.23.0
VEGA_EMBED=6.29.0

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/book/_static/vendor/vega"
schema="$root/tests/data/vega-lite-schema.json.gz"
work=$(mktemp -d "${TMPDIR:-/tmp}/vega.XXXXXX")
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED" >/dev/null
rm -rf "$out"
mkdir -p "$out" "$(dirname "$schema")"
for spec in "vega:$VEGA" "vega-lite:$VEGA_LITE" "vega-embed:$VEGA_EMBED"; do
  name=${spec%%:*} version=${spec#*:}
  mkdir -p "$name"
  tar -xzf "$name-$version.tgz" -C "$name"
  mkdir -p "$out/$name"
  cp "$name/package/build/$name.min.js" "$out/$name/"
  cp "$name/package/package.json" "$out/$name/"
  for licence in LICENSE LICENSE.md LICENSE.txt; do
    if [ -f "$name/package/$licence" ]; then cp "$name/package/$licence" "$out/$name/"; fi
  done
  # the build keeps a comment pointing at its source map, which is not shipped: drop it
  sed -i -e 's|//# sourceMappingURL=[^ ]*\.map$||' "$out/$name/$name.min.js"
done
gzip -9 -n -c vega-lite/package/build/vega-lite-schema.json > "$schema"
{
  echo "Vendored by tools/vendor_vega.sh from npm; do not edit by hand."
  echo
  for name in vega vega-lite vega-embed; do
    python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); print(p["name"], p["version"] + ":", "licence", p["license"])' "$out/$name/package.json"
  done
} > "$out/VERSIONS.txt"
du -sh "$out"
