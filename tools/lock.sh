#!/usr/bin/env bash
# Refresh the lock: every package that requirements-dev.txt installs (transitive ones too),
# pinned exactly, in requirements-lock.txt; and binder/requirements.txt, the readers' subset
# that Binder installs, with the very same pins.
#
# Usage, from anywhere:   tools/lock.sh              keep the current pins, add what is new
#                         tools/lock.sh --upgrade    move every package to its newest release
#                         tools/lock.sh --upgrade-package numpy    (any pip-compile option)
#
# pip-compile (pip-tools 7.6.2) resolves with this machine's pip configuration, so it sees
# the CPU build of torch from a local wheel (uv does not, and would lock PyPI's CUDA build).
# Machine-specific options (find-links, index URLs) stay out of the files; the checkout's own
# `-e .` line is dropped (a constraints file cannot hold it), and torch's local version label
# (`+cpu`) too, so the pin also matches the PyPI release on other machines.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools=$(mktemp -d "${TMPDIR:-/tmp}/lock.XXXXXX")
trap 'rm -rf "$tools"' EXIT
python3.11 -m venv "$tools/env"
"$tools/env/bin/pip" install --quiet pip-tools==7.6.2

compile() {  # compile SRC OUT [pip-compile options...]
  local src=$1 out=$2
  shift 2
  CUSTOM_COMPILE_COMMAND="tools/lock.sh" "$tools/env/bin/pip-compile" --quiet \
    --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url \
    --no-emit-trusted-host --resolver=backtracking --output-file "$out" "$@" "$src"
  # Drop the checkout's editable line (and its "# via" comment) and torch's local label.
  awk '/^-e / {skip=1; next} skip && /^ +#/ {next} {skip=0; print}' "$out" \
    | sed -E 's/^(torch==[^+ ]+)\+[a-z0-9.]+/\1/' >"$tools/out" && cp "$tools/out" "$out"
}

compile requirements-dev.txt requirements-lock.txt "$@"
compile binder/requirements.in binder/requirements.txt
echo "locked: $(grep -c '^[a-zA-Z]' requirements-lock.txt) packages in requirements-lock.txt," \
     "$(grep -c '^[a-zA-Z]' binder/requirements.txt) in binder/requirements.txt"
