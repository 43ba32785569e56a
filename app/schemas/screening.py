"""Screening request and result models, and how a result is rendered in one language."""

from typing import Literal

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
        texts = ruleset.texts_for(language, country)
        text = texts.text
        level = evaluation.level.value
        findings = {
            domain: FindingView(
                status=evaluation.findings[domain],
                label=text(f"domain.{domain}"),
                text=text(f"finding.{domain}.{evaluation.findings[domain]}"),
            )
            for domain in DOMAINS
        }
        return cls(
            questionnaire=ruleset.id,
            level=level,
            headline=text(f"level.{level}.headline"),
            reasons=[
                ReasonView(
                    rule_id=rule.id,
                    level=rule.level.value,
                    text=text(f"rule.{rule.id}"),
                    why=texts.optional(f"why.{rule.id}"),
                    questions=list(rule.questions),
                    sources=[SourceView(id=s.id, title=s.title, url=s.url) for s in rule.sources],
                )
                for rule in evaluation.fired
            ],
            findings=Findings(**findings),
            advice=[AdviceView(id=advice_id, text=text(f"advice.{advice_id}")) for advice_id in evaluation.advice],
            next_steps=[*texts.text_list(f"level.{level}.next_steps"), text("safety_net")],
            disclaimer=text("disclaimer"),
            ruleset=RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256),
            language=language,
            country=texts.country,
            ignored_answers=list(evaluation.ignored_answers),
        )
