"""Every loader error code has a broken fixture that triggers it and names file, line and subject."""

import inspect
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from app.engine import (
    checks,
    condition_checks,
    conditions,
    loader,
    locale_checks,
    question_checks,
    rule_checks,
    rule_files,
    screen_text_check,
)
from app.engine.errors import RuleSetError, RuleSetIssue
from app.engine.loader import load_ruleset
from app.engine.ruleset import DOMAINS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal"
INVALID = FIXTURES / "invalid"
EXPECT_KEYS = {"code", "file", "subject", "line", "delete"}
INVALID_DIRS = sorted(p for p in INVALID.iterdir() if p.is_dir())


def emitted_codes() -> set[str]:
    """Codes the loader can emit, read from its phases' source (and from conditions.type_problem)."""
    phases = (loader, rule_files, checks, question_checks, condition_checks, rule_checks, locale_checks)
    source = "".join(inspect.getsource(module) for module in phases)
    codes = set(re.findall(r'report\(\s*"(\w+)"', source))
    codes |= set(re.findall(r'RuleSetIssue\(\s*"(\w+)"', source))
    # check_leaves reports whatever code type_problem returns: count those too.
    type_source = Path(conditions.__file__).read_text(encoding="utf-8")
    codes |= set(re.findall(r'return\s*\(\s*"(\w+)"', type_source))
    # The loader reports the screen-text checks' problems with their own codes.
    text_source = Path(screen_text_check.__file__).read_text(encoding="utf-8")
    codes |= set(re.findall(r'TextProblem\(\s*"(\w+)"', text_source))
    return codes


def read_expect(folder: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load((folder / "expect.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), folder
    return data


def build_ruleset_dir(tmp_path: Path, overlay: Path | None = None, delete: list[str] | None = None) -> Path:
    """A copy of ``minimal`` (folder name kept), with ``overlay``'s files copied over it."""
    target = tmp_path / "minimal"
    shutil.copytree(MINIMAL, target)
    if overlay is not None:
        for path in overlay.rglob("*"):
            if path.is_file() and path.name != "expect.yaml":
                dest = target / path.relative_to(overlay)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
    for relative in delete or ():
        (target / relative).unlink()
    return target


def load_issues(directory: Path) -> list[RuleSetIssue]:
    with pytest.raises(RuleSetError) as excinfo:
        load_ruleset(directory)
    assert excinfo.value.issues, "RuleSetError without issues"
    return excinfo.value.issues


def test_minimal_fixture_loads_cleanly(tmp_path: Path) -> None:
    ruleset = load_ruleset(build_ruleset_dir(tmp_path))
    assert ruleset.id == "minimal"
    assert ruleset.version == "1.0.0"
    assert ruleset.languages == ("en", "fr")
    assert [s.id for s in ruleset.sections] == ["basics", "symptoms"]
    assert {q.type for q in ruleset.questions.values()} == {
        "boolean",
        "single_choice",
        "multi_choice",
        "scale",
        "integer",
    }
    assert [rule.id for rule in ruleset.rules] == ["E01", "P01", "G01"]
    assert tuple(f.domain for f in ruleset.findings) == DOMAINS
    assert set(ruleset.predicates) == {"leaks_weekly"}
    assert {qid for qid, q in ruleset.questions.items() if q.enable_when is not None} == {"pain_level"}
    assert len(ruleset.sha256) == 64


def test_minimal_fixture_loads_from_the_repo_folder() -> None:
    # The fixture itself (not only its copy) is a valid rule set.
    assert load_ruleset(MINIMAL).id == "minimal"


def test_every_emitted_code_has_a_fixture() -> None:
    codes = emitted_codes()
    assert len(codes) >= 20, f"code regex found too few codes: {sorted(codes)}"
    fixtures = {p.name for p in INVALID_DIRS}
    assert sorted(codes - fixtures) == [], "add a tests/fixtures/invalid/<code>/ fixture"
    assert sorted(fixtures - codes) == [], "fixture for a code the loader no longer emits"


@pytest.mark.parametrize("folder", INVALID_DIRS, ids=[p.name for p in INVALID_DIRS])
def test_invalid_fixture_reports_its_code(folder: Path, tmp_path: Path) -> None:
    expect = read_expect(folder)
    assert set(expect) <= EXPECT_KEYS, f"unknown keys in expect.yaml: {set(expect) - EXPECT_KEYS}"
    assert expect["code"] == folder.name
    directory = build_ruleset_dir(tmp_path, folder, expect.get("delete"))
    issues = load_issues(directory)
    rendered = "\n".join(str(issue) for issue in issues)
    with_code = [issue for issue in issues if issue.code == expect["code"]]
    assert with_code, f"no [{expect['code']}] issue among:\n{rendered}"

    file, subject, line = expect["file"], expect["subject"], expect.get("line")

    def matches(issue: RuleSetIssue) -> bool:
        text = str(issue)
        where = f"minimal/{file}" + (f":{line}:" if line is not None else ":")
        if where not in text or not text.endswith(f"[{expect['code']}]"):
            return False
        if subject is None:
            return issue.subject is None
        return issue.subject == subject and f" {subject}:" in text

    assert any(matches(issue) for issue in with_code), (
        f"expected {file}:{line}: {subject} [{expect['code']}], got:\n{rendered}"
    )


def _rules_with(old: str, new: str) -> str:
    text = (MINIMAL / "rules.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_predicate_cycle_reached_by_a_rule_is_reported(tmp_path: Path) -> None:
    directory = build_ruleset_dir(tmp_path)
    (directory / "rules.yaml").write_text(
        _rules_with(
            "  leaks_weekly: {question: leak_frequency, op: gte, value: weekly}\n",
            "  leaks_weekly:\n"
            "    any: [{question: leak_frequency, op: gte, value: weekly}, {predicate: leaks_weekly}]\n",
        ),
        encoding="utf-8",
    )
    issues = load_issues(directory)
    assert any(i.code == "predicate_cycle" and i.subject == "leaks_weekly" for i in issues)


def test_unhashable_operator_is_a_condition_syntax_error(tmp_path: Path) -> None:
    directory = build_ruleset_dir(tmp_path)
    (directory / "rules.yaml").write_text(
        _rules_with("when: {predicate: leaks_weekly}", "when: {question: pain_side, op: [equals], value: left}"),
        encoding="utf-8",
    )
    issues = load_issues(directory)
    assert any(i.code == "condition_syntax" and i.subject == "P01" for i in issues)


def test_min_on_a_boolean_item_is_invalid(tmp_path: Path) -> None:
    directory = build_ruleset_dir(tmp_path)
    questions = (directory / "questions.yaml").read_text(encoding="utf-8")
    old = "      - id: pain_present\n        type: boolean\n"
    assert questions.count(old) == 1
    (directory / "questions.yaml").write_text(questions.replace(old, old + "        min: 3\n"), encoding="utf-8")
    issues = load_issues(directory)
    assert any(i.code == "invalid_item" and i.subject == "pain_present" for i in issues)


def test_optional_locale_text_must_exist_in_every_language(tmp_path: Path) -> None:
    directory = build_ruleset_dir(tmp_path)
    french = (directory / "locales" / "fr.yaml").read_text(encoding="utf-8")
    old = "    help: En années entières.\n"
    assert french.count(old) == 1
    (directory / "locales" / "fr.yaml").write_text(french.replace(old, ""), encoding="utf-8")
    issues = load_issues(directory)
    assert [(i.code, i.subject, i.file.name) for i in issues] == [
        ("missing_locale_key", "question.age_years.help", "fr.yaml")
    ]


def test_load_rulesets_keys_by_id_and_rejects_an_empty_folder(tmp_path: Path) -> None:
    build_ruleset_dir(tmp_path / "rules")
    (tmp_path / "rules" / "not-a-ruleset").mkdir()
    assert set(loader.load_rulesets(tmp_path / "rules")) == {"minimal"}
    with pytest.raises(RuleSetError) as excinfo:
        loader.load_rulesets(tmp_path / "empty")
    assert [i.code for i in excinfo.value.issues] == ["missing_file"]


def _questions_with(directory: Path, old: str, new: str) -> None:
    questions = (directory / "questions.yaml").read_text(encoding="utf-8")
    assert questions.count(old) == 1, old
    (directory / "questions.yaml").write_text(questions.replace(old, new), encoding="utf-8")


def test_enable_when_may_name_a_predicate_and_is_written_out(tmp_path: Path) -> None:
    """A predicate is the one definition a rule and skip logic share; clients get it written out."""
    directory = build_ruleset_dir(tmp_path)
    _questions_with(
        directory,
        "        exclusive: [none]\n",
        "        exclusive: [none]\n        enable_when: {predicate: leaks_weekly}\n",
    )
    ruleset = load_ruleset(directory)
    assert ruleset.questions["symptom_list"].enable_when == ruleset.predicates["leaks_weekly"]
    assert not list(conditions.predicate_refs(ruleset.questions["symptom_list"].enable_when))


@pytest.mark.parametrize(
    ("after", "predicate", "code", "subject"),
    [
        ("        exclusive: [none]\n", "leaks_weekley", "unknown_predicate", "symptom_list"),
        # leaks_weekly reads leak_frequency, which comes after pain_side.
        ("        options: [left, right, both]\n", "leaks_weekly", "enable_when_forward_reference", "pain_side"),
    ],
)
def test_enable_when_naming_a_wrong_predicate_is_reported(
    tmp_path: Path, after: str, predicate: str, code: str, subject: str
) -> None:
    directory = build_ruleset_dir(tmp_path)
    _questions_with(directory, after, after + f"        enable_when: {{predicate: {predicate}}}\n")
    issues = load_issues(directory)
    assert any(i.code == code and i.subject == subject for i in issues)
