"""Screening request and result models, and how a result is rendered in one language."""

from dataclasses import dataclass, field
from typing import Literal

import pydantic_core
from pydantic import Field

from app.engine.evaluator import Evaluation
from app.engine.levels import LEVEL_IDS
from app.engine.ruleset import DOMAINS, RuleSet
from app.schemas.base import APIModel
from app.schemas.questionnaire import RuleSetRef

LevelId = Literal[LEVEL_IDS]  # type: ignore[valid-type]
FindingStatus = Literal["none", "some", "marked"]
AnswerValue = bool | int | str | list[str]


class ScreeningRequest(APIModel):
    """Answers keyed by question id. Leave out what was not answered: a missing optional
    answer is unknown, never "no". Booleans must be JSON booleans."""

    answers: dict[str, AnswerValue] = Field(
        max_length=500,
        examples=[{"ctx_answering_for": "myself", "ctx_age_years": 42, "rf_cannot_pass_urine": False}],
    )


class SourceView(APIModel):
    id: str = Field(examples=["S3"])
    title: str
    url: str


class ReasonView(APIModel):
    rule_id: str = Field(examples=["E01_CES_SADDLE_NEW"])
    level: LevelId
    text: str
    why: str | None = Field(default=None, description="Optional: what doctors would check for, and why.")
    questions: list[str] = Field(description="The question ids this rule reads.")
    sources: list[SourceView]


class AdviceView(APIModel):
    """Extra guidance that does not change the level (e.g. also see a doctor)."""

    id: str = Field(examples=["also_see_doctor"])
    text: str


class FindingView(APIModel):
    status: FindingStatus
    label: str
    text: str


class Findings(APIModel):
    """One finding per symptom domain, independent of the triage level."""

    hip: FindingView
    postural_load: FindingView
    core_stability: FindingView
    nerve_related: FindingView
    pf_bladder: FindingView
    pf_bowel: FindingView
    pf_prolapse: FindingView
    pf_sexual_pain: FindingView
    pf_pelvic_pain: FindingView


class ScreeningResult(APIModel):
    """A non-diagnostic suggestion of what to do next."""

    questionnaire: str = Field(examples=["hip-pelvic-floor"])
    level: LevelId = Field(description="The most urgent level among the rules that fired.")
    headline: str
    reasons: list[ReasonView] = Field(description="Every rule that fired, most urgent first.")
    findings: Findings
    advice: list[AdviceView]
    next_steps: list[str]
    disclaimer: str
    ruleset: RuleSetRef
    language: str
    country: str = Field(description="Whose emergency numbers and service names the texts use.")
    ignored_answers: list[str] = Field(
        description="Answers to questions that did not apply under enable_when; they were ignored."
    )

    @classmethod
    def build(
        cls, ruleset: RuleSet, evaluation: Evaluation, language: str, country: str | None = None
    ) -> "ScreeningResult":
        """Render one evaluation (renders every text of the language first; servers cache
        the parts with ResultParts and call ``assemble``)."""
        return ResultParts.render(ruleset, language, country).assemble(evaluation)


@dataclass(frozen=True)
class ResultParts:
    """Every piece of a result for one rule set, language and country, validated once, so a
    request only picks pieces and serialises them."""

    questionnaire: str
    language: str
    country: str
    ruleset: RuleSetRef
    disclaimer: str
    headlines: dict[str, str]
    next_steps: dict[str, list[str]]
    reasons: dict[str, ReasonView]
    findings: dict[tuple[str, str], FindingView]
    advice: dict[str, AdviceView]
    _json_heads: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_reasons: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_findings: dict[tuple[str, str], bytes] = field(init=False, repr=False, compare=False)
    _json_advice: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_next_steps: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_tail: bytes = field(init=False, repr=False, compare=False)

    @classmethod
    def render(cls, ruleset: RuleSet, language: str, country: str | None = None) -> "ResultParts":
        texts = ruleset.texts_for(language, country)
        text = texts.text
        return cls(
            questionnaire=ruleset.id,
            language=language,
            country=texts.country,
            ruleset=RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256),
            disclaimer=text("disclaimer"),
            headlines={level: text(f"level.{level}.headline") for level in LEVEL_IDS},
            next_steps={
                level: [*texts.text_list(f"level.{level}.next_steps"), text("safety_net")] for level in LEVEL_IDS
            },
            reasons={
                rule.id: ReasonView(
                    rule_id=rule.id,
                    level=rule.level.value,
                    text=text(f"rule.{rule.id}"),
                    why=texts.optional(f"why.{rule.id}"),
                    questions=list(rule.questions),
                    sources=[SourceView(id=s.id, title=s.title, url=s.url) for s in rule.sources],
                )
                for rule in ruleset.rules
            },
            findings={
                (domain, status): FindingView(
                    status=status, label=text(f"domain.{domain}"), text=text(f"finding.{domain}.{status}")
                )
                for domain in DOMAINS
                for status in ("none", "some", "marked")
            },
            advice={entry.id: AdviceView(id=entry.id, text=text(f"advice.{entry.id}")) for entry in ruleset.advice},
        )

    def __post_init__(self) -> None:
        # Serialised once: a response is then joined from these bytes (see ``to_json``).
        dump = pydantic_core.to_json
        head = b'{"questionnaire":' + dump(self.questionnaire)
        object.__setattr__(
            self,
            "_json_heads",
            {
                level: head + b',"level":' + dump(level) + b',"headline":' + dump(self.headlines[level])
                for level in LEVEL_IDS
            },
        )
        object.__setattr__(
            self, "_json_reasons", {key: view.model_dump_json().encode() for key, view in self.reasons.items()}
        )
        object.__setattr__(
            self,
            "_json_findings",
            {key: dump(key[0]) + b":" + view.model_dump_json().encode() for key, view in self.findings.items()},
        )
        object.__setattr__(
            self, "_json_advice", {key: view.model_dump_json().encode() for key, view in self.advice.items()}
        )
        object.__setattr__(self, "_json_next_steps", {level: dump(steps) for level, steps in self.next_steps.items()})
        object.__setattr__(
            self,
            "_json_tail",
            b',"disclaimer":'
            + dump(self.disclaimer)
            + b',"ruleset":'
            + self.ruleset.model_dump_json().encode()
            + b',"language":'
            + dump(self.language)
            + b',"country":'
            + dump(self.country)
            + b',"ignored_answers":',
        )

    def to_json(self, evaluation: Evaluation) -> bytes:
        """The result as JSON, joined from pieces serialised once; byte for byte what
        ``assemble(evaluation).model_dump_json()`` gives (a test holds them equal)."""
        level = evaluation.level.value
        found = evaluation.findings
        findings = self._json_findings
        reasons = self._json_reasons
        advice = self._json_advice
        return b"".join(
            (
                self._json_heads[level],
                b',"reasons":[',
                b",".join([reasons[rule.id] for rule in evaluation.fired]),
                b'],"findings":{',
                b",".join([findings[(domain, found[domain])] for domain in DOMAINS]),
                b'},"advice":[',
                b",".join([advice[advice_id] for advice_id in evaluation.advice]),
                b'],"next_steps":',
                self._json_next_steps[level],
                self._json_tail,
                pydantic_core.to_json(list(evaluation.ignored_answers)),
                b"}",
            )
        )

    def assemble(self, evaluation: Evaluation) -> ScreeningResult:
        """The result for one evaluation; no validation, every piece was validated in ``render``."""
        level = evaluation.level.value
        found = evaluation.findings
        return ScreeningResult.model_construct(
            questionnaire=self.questionnaire,
            level=level,
            headline=self.headlines[level],
            reasons=[self.reasons[rule.id] for rule in evaluation.fired],
            findings=Findings.model_construct(None, **{d: self.findings[(d, found[d])] for d in DOMAINS}),
            advice=[self.advice[advice_id] for advice_id in evaluation.advice],
            next_steps=self.next_steps[level],
            disclaimer=self.disclaimer,
            ruleset=self.ruleset,
            language=self.language,
            country=self.country,
            ignored_answers=list(evaluation.ignored_answers),
        )
