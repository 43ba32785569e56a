"""Screening request and result models, and how a result is rendered in one language."""

from dataclasses import dataclass, field
from typing import Literal

import pydantic_core
from pydantic import Field

from app.engine.evaluator import Evaluation
from app.engine.levels import LEVEL_IDS
from app.engine.ruleset import DOMAINS, Rule, RuleSet
from app.schemas.base import APIModel
from app.schemas.questionnaire import RuleSetRef

LevelId = Literal[LEVEL_IDS]  # type: ignore[valid-type]
FindingStatus = Literal["none", "some", "marked"]
AnswerValue = bool | int | str | list[str]


class ScreeningRequest(APIModel):
    """A screening request: every answer given, keyed by question id. Leave out what was not
    answered: a missing optional answer is unknown, never "no". Booleans must be JSON booleans."""

    answers: dict[str, AnswerValue] = Field(
        description="Answers keyed by question id.",
        max_length=500,
        examples=[{"ctx_answering_for": "myself", "ctx_age_years": 42, "rf_cannot_pass_urine": False}],
    )
    skipped: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="Question ids the person chose not to answer. They matter only for answers stopped early: "
        "a question neither answered nor skipped may still be answered, so it cannot count as unanswered.",
    )


class SourceView(APIModel):
    """A published source a rule is based on."""

    id: str = Field(description="Source id within the rule set.", examples=["S3"])
    title: str = Field(description="Title of the guideline, leaflet or paper.")
    url: str = Field(description="Where to read it.")


class ReasonView(APIModel):
    """One rule that fired: why this result, in plain words."""

    rule_id: str = Field(description="Stable rule id.", examples=["E01_CES_SADDLE_NEW"])
    level: LevelId = Field(
        description="The level this rule asks for. Reasons whose level is the result's level explain it; show "
        "the others after them, under the result's also_worth_mentioning_heading."
    )
    text: str = Field(
        description="In the response language. A reason at the result's level: what the answers showed and what "
        "to do. A reason below the result's level: only what the answers showed and why it matters, with no "
        "action of its own, since a result gives the actions of its level only (in next_steps and in the "
        "reasons at its level)."
    )
    why: str | None = Field(default=None, description="Optional: what doctors would check for, and why.")
    questions: list[str] = Field(description="The question ids this rule reads.")
    sources: list[SourceView] = Field(description="Published sources the rule is based on.")


class AdviceView(APIModel):
    """Extra guidance that does not change the level (e.g. also see a doctor)."""

    id: str = Field(description="Stable advice id.", examples=["also_see_doctor"])
    text: str = Field(description="The advice, in the response language.")


class FindingView(APIModel):
    """What the answers show for one symptom domain."""

    status: FindingStatus = Field(description="none, some or marked: how much the answers show in this domain.")
    label: str = Field(description="The domain's name, in the response language.")
    text: str = Field(description="What the answers show, in the response language.")


class Findings(APIModel):
    """One finding per symptom domain, independent of the triage level."""

    hip: FindingView = Field(description="Hip, groin and buttock pain.")
    postural_load: FindingView = Field(description="Positions and loads that make symptoms worse.")
    core_stability: FindingView = Field(description="Leaks with effort and core muscle symptoms.")
    nerve_related: FindingView = Field(description="Nerve-like pain, burning, tingling or numbness.")
    pf_bladder: FindingView = Field(description="Bladder symptoms.")
    pf_bowel: FindingView = Field(description="Bowel symptoms.")
    pf_prolapse: FindingView = Field(description="Heaviness, dragging or a bulge.")
    pf_sexual_pain: FindingView = Field(description="Pain or other problems with sex.")
    pf_pelvic_pain: FindingView = Field(description="Pelvic pain.")


class ScreeningResult(APIModel):
    """A non-diagnostic suggestion of what to do next."""

    questionnaire: str = Field(description="Questionnaire id.", examples=["hip-pelvic-floor"])
    level: LevelId = Field(
        description="The most urgent level among the rules that fired, from emergency (get emergency help now) "
        "to general_advice."
    )
    headline: str = Field(description="The level in one sentence, in the response language.")
    reasons: list[ReasonView] = Field(
        description="Every rule that fired, most urgent first: first those at the result's level, whose texts "
        "say what to do, then those below it, whose texts say only what the answers showed."
    )
    also_worth_mentioning_heading: str = Field(
        description="The heading to show, in the response language, above the reasons whose level is below the "
        "result's level (reason.level != level), when there are any. The same for every result in a language.",
        examples=["Also worth mentioning"],
    )
    findings: Findings = Field(description="One finding per symptom domain, independent of the level.")
    advice: list[AdviceView] = Field(description="Extra guidance that does not change the level.")
    next_steps: list[str] = Field(description="What to do now, in order, in the response language.")
    disclaimer: str = Field(description="Not a diagnosis: show it with the result.")
    ruleset: RuleSetRef = Field(description="The rule set that produced this result.")
    language: str = Field(description="The language of the texts (also in Content-Language).", examples=["en"])
    country: str = Field(description="Whose emergency numbers and service names the texts use.")
    ignored_answers: list[str] = Field(
        description="Answers to questions that did not apply under enable_when; they were ignored."
    )
    complete: bool = Field(
        description="True when every required question that applies was answered. False only for an emergency "
        "found before the end: answers that are already sure to need emergency help are screened at once."
    )
    unanswered_required: list[str] = Field(
        description="Required questions that apply and were not answered (empty when complete). Answering them "
        "cannot lower the level; the emergency advice stands."
    )

    @classmethod
    def build(
        cls, ruleset: RuleSet, evaluation: Evaluation, language: str, country: str | None = None
    ) -> "ScreeningResult":
        """Render one evaluation (renders every text of the language first; servers cache
        the parts with ResultParts and call ``assemble``)."""
        return ResultParts.render(ruleset, language, country).assemble(evaluation)


_COMPLETE = b',"complete":true,"unanswered_required":'
_INCOMPLETE = b',"complete":false,"unanswered_required":'


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
    reasons: dict[str, ReasonView]  # full texts: for reasons at the result's level
    told_reasons: dict[str, ReasonView]  # texts without an action: for reasons below the result's level
    also_worth_mentioning_heading: str
    incomplete_note: str  # for results screened before the end (FHIR notes it)
    findings: dict[tuple[str, str], FindingView]
    advice: dict[str, AdviceView]
    _json_heads: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_reasons: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_told_reasons: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_after_reasons: bytes = field(init=False, repr=False, compare=False)
    _json_findings: dict[tuple[str, str], bytes] = field(init=False, repr=False, compare=False)
    _json_advice: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_next_steps: dict[str, bytes] = field(init=False, repr=False, compare=False)
    _json_tail: bytes = field(init=False, repr=False, compare=False)

    @classmethod
    def render(cls, ruleset: RuleSet, language: str, country: str | None = None) -> "ResultParts":
        texts = ruleset.texts_for(language, country)
        text = texts.text

        def reason(rule: Rule, reason_text: str) -> ReasonView:
            return ReasonView(
                rule_id=rule.id,
                level=rule.level.value,
                text=reason_text,
                why=texts.optional(f"why.{rule.id}"),
                questions=list(rule.questions),
                sources=[SourceView(id=s.id, title=s.title, url=s.url) for s in rule.sources],
            )

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
            reasons={rule.id: reason(rule, text(f"rule.{rule.id}")) for rule in ruleset.rules},
            told_reasons={rule.id: reason(rule, text(f"told.{rule.id}")) for rule in ruleset.rules},
            also_worth_mentioning_heading=text("also_worth_mentioning"),
            incomplete_note=text("incomplete_emergency"),
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
            "_json_told_reasons",
            {key: view.model_dump_json().encode() for key, view in self.told_reasons.items()},
        )
        object.__setattr__(
            self,
            "_json_after_reasons",
            b'],"also_worth_mentioning_heading":' + dump(self.also_worth_mentioning_heading) + b',"findings":{',
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
        full, told = self._json_reasons, self._json_told_reasons
        at = evaluation.level
        advice = self._json_advice
        return b"".join(
            (
                self._json_heads[level],
                b',"reasons":[',
                b",".join([full[rule.id] if rule.level is at else told[rule.id] for rule in evaluation.fired]),
                self._json_after_reasons,
                b",".join([findings[(domain, found[domain])] for domain in DOMAINS]),
                b'},"advice":[',
                b",".join([advice[advice_id] for advice_id in evaluation.advice]),
                b'],"next_steps":',
                self._json_next_steps[level],
                self._json_tail,
                pydantic_core.to_json(list(evaluation.ignored_answers)),
                _COMPLETE if evaluation.complete else _INCOMPLETE,
                pydantic_core.to_json(list(evaluation.unanswered_required)),
                b"}",
            )
        )

    def reason_views(self, evaluation: Evaluation) -> list[ReasonView]:
        """The reasons of one result, most urgent first: those at the result's level with their
        full text (the action), those below it with the text that gives no action."""
        at = evaluation.level
        return [self.reasons[rule.id] if rule.level is at else self.told_reasons[rule.id] for rule in evaluation.fired]

    def assemble(self, evaluation: Evaluation) -> ScreeningResult:
        """The result for one evaluation; no validation, every piece was validated in ``render``."""
        level = evaluation.level.value
        found = evaluation.findings
        return ScreeningResult.model_construct(
            questionnaire=self.questionnaire,
            level=level,
            headline=self.headlines[level],
            reasons=self.reason_views(evaluation),
            also_worth_mentioning_heading=self.also_worth_mentioning_heading,
            findings=Findings.model_construct(None, **{d: self.findings[(d, found[d])] for d in DOMAINS}),
            advice=[self.advice[advice_id] for advice_id in evaluation.advice],
            next_steps=self.next_steps[level],
            disclaimer=self.disclaimer,
            ruleset=self.ruleset,
            language=self.language,
            country=self.country,
            ignored_answers=list(evaluation.ignored_answers),
            complete=evaluation.complete,
            unanswered_required=list(evaluation.unanswered_required),
        )
