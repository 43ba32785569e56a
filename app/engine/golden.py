"""Golden cases: answer sets with the level, fired rules and findings they must produce."""

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from app.engine.answers import assess
from app.engine.errors import AnswersError
from app.engine.evaluator import Evaluation, screen
from app.engine.model import CasesFile, GoldenCase
from app.engine.ruleset import RuleSet
from app.engine.semantics import Knowledge, evaluate_known
from app.engine.yaml_files import YamlReadError, parse_yaml


@dataclass(frozen=True)
class CaseResult:
    file: str
    case: GoldenCase
    evaluation: Evaluation | None
    failures: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def label(self) -> str:
        return f"{self.file}::{self.case.name}"


def case_files(ruleset: RuleSet) -> list[Path]:
    return sorted((ruleset.directory / "cases").glob("*.yaml"))


def load_cases(ruleset: RuleSet) -> list[tuple[str, GoldenCase, dict[str, object]]]:
    """Every case of the rule set as (file name, case, full answers); raises ValueError on bad files."""
    return [case for path in case_files(ruleset) for case in cases_in(path, path.read_bytes())]


def cases_in(path: Path, content: bytes) -> list[tuple[str, GoldenCase, dict[str, object]]]:
    """The cases of one file, from its bytes as read earlier; raises ValueError on a bad file."""
    try:
        data = CasesFile.model_validate(parse_yaml(path, content, lines=False).data)
    except (YamlReadError, ValidationError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    cases = []
    for case in data.cases:
        answers = {k: v for k, v in data.base_answers.items() if k not in case.omit}
        answers.update(case.answers)
        cases.append((path.name, case, answers))
    return cases


def run_case(
    ruleset: RuleSet, file: str, case: GoldenCase, answers: dict[str, object], cross_check: bool = True
) -> CaseResult:
    """Screen the case's answers and compare with what it expects; with ``cross_check``, the
    interpreter that defines the rule semantics must also agree with the generated code that
    served it (``screener test`` and the suite check that; a reload's gate needs only levels)."""
    try:
        evaluation = screen(ruleset, answers)
    except AnswersError as exc:
        problems = tuple(f"answers rejected: {issue.code} at {issue.pointer}" for issue in exc.issues)
        return CaseResult(file, case, None, problems)
    expect, failures = case.expect, []
    if cross_check:
        full = assess(ruleset, answers)  # skip logic by the interpreter
        if evaluate_known(ruleset, Knowledge(full.answers), full.ignored) != evaluation:
            failures.append("the generated rules and the interpreter that defines them disagree")
    if evaluation.level.value != expect.level:
        failures.append(f"level: expected {expect.level}, got {evaluation.level.value}")
    fired = [rule.id for rule in evaluation.fired]
    if expect.fired is not None and sorted(fired) != sorted(expect.fired):
        failures.append(f"fired: expected {sorted(expect.fired)}, got {sorted(fired)}")
    for domain, status in expect.findings.items():
        if evaluation.findings.get(domain) != status:
            failures.append(f"finding {domain}: expected {status}, got {evaluation.findings.get(domain)}")
    if expect.ignored_answers is not None and sorted(expect.ignored_answers) != sorted(evaluation.ignored_answers):
        failures.append(
            f"ignored_answers: expected {sorted(expect.ignored_answers)}, got {sorted(evaluation.ignored_answers)}"
        )
    if expect.advice is not None and sorted(expect.advice) != sorted(evaluation.advice):
        failures.append(f"advice: expected {sorted(expect.advice)}, got {sorted(evaluation.advice)}")
    return CaseResult(file, case, evaluation, tuple(failures))


def run_cases(ruleset: RuleSet) -> list[CaseResult]:
    return [run_case(ruleset, file, case, answers) for file, case, answers in load_cases(ruleset)]


def rules_never_fired(ruleset: RuleSet, results: list[CaseResult]) -> list[str]:
    """Rule ids that no golden case reports (every rule must be exercised)."""
    fired = {rule.id for result in results if result.evaluation for rule in result.evaluation.fired}
    return [rule.id for rule in ruleset.rules if rule.id not in fired]
