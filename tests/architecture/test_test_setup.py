"""The test suite's own conventions: the shipped rule set is loaded once per session, the
markers that `make test-fast` leaves out are registered, and one-time set-up is made by one
worker at a time."""

import multiprocessing
import re
import time
import tomllib
from pathlib import Path

from tests.support.rulesets import ROOT
from tests.support.setup_lock import made_by_one_worker

SUPPORT = ROOT / "tests" / "support" / "rulesets.py"
# A load of the shipped files: their folder by any of the names the tests give it.
_SHIPPED_LOAD = re.compile(
    r"(?:load_rulesets?|Catalog\.load|checked_catalog)\(\s*"
    r"(?:RULESET_DIR\b(?!\s*/)|RULES_DIR\b|RULESET_DIR\.parent|settings\.rules_dir|Settings\(\)\.rules_dir"
    r'|(?:ROOT|Path\(__file__\)[^/\n]*)\s*/\s*"app"\s*/\s*"rules")'
)


def test_the_shipped_rule_set_is_loaded_only_by_the_session_cache() -> None:
    loads = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path not in (SUPPORT, Path(__file__)) and "node_modules" not in path.parts
        for match in _SHIPPED_LOAD.finditer(path.read_text(encoding="utf-8"))
    ]
    assert loads == [], "use tests.support.rulesets (shipped_ruleset, shipped_rulesets, shipped_catalog)"


def test_the_pattern_finds_the_loads_it_is_meant_to() -> None:
    found = [
        "load_ruleset(RULESET_DIR)",
        'load_rulesets(ROOT / "app" / "rules")',
        "Catalog.load(settings.rules_dir)",
        'load_ruleset(Path(__file__).resolve().parents[2] / "app" / "rules" / "hip-pelvic-floor")',
    ]
    kept = ["load_ruleset(rules_dir / RULESET_DIR.name)", "Catalog.load(rules_dir)", "load_ruleset(MINIMAL)"]
    assert all(_SHIPPED_LOAD.search(text) for text in found)
    assert not any(_SHIPPED_LOAD.search(text) for text in kept)


def test_the_markers_test_fast_leaves_out_are_registered() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    registered = {marker.split(":")[0] for marker in config["markers"]}
    assert {"server", "browser", "slow"} <= registered
    assert "--strict-markers" in config["addopts"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m 'not server and not browser and not slow'" in makefile


def _make_slowly(target: Path, log: Path) -> None:
    with made_by_one_worker(target):
        with log.open("a") as out:
            out.write("in\n")
        time.sleep(0.3)
        with log.open("a") as out:
            out.write("out\n")


def test_one_time_set_up_is_made_by_one_worker_at_a_time(tmp_path: Path) -> None:
    # Processes, as pytest-xdist's workers are.
    log = tmp_path / "log"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_make_slowly, args=(tmp_path / "made", log)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert log.read_text().split() == ["in", "out"] * 3
