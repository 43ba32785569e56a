"""Screening request and result models, and how a result is rendered in one language."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, TypeVar

import pydantic_core
from pydantic import Field

from app.engine.evaluator import Evaluation
from app.engine.levels import ACT_FIRST, LEVEL_IDS, Level
from app.engine.locale_keys import FINDING_STATUSES
from app.engine.ruleset import DOMAINS, Rule, RuleSet
from app.engine.screen_texts import Variants, render_variants, terms_of
from app.schemas.base import APIModel
from app.schemas.questionnaire import RuleSetRef

LevelId = Literal[LEVEL_IDS]  # type: ignore[valid-type]
FindingStatus = Literal["none", "some", "marked"]
AnswerValue = bool | int | str | list[str]
V = TypeVar("V")


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
    receipt: str | None = Field(
        default=None,
        description="A signed receipt of this result (a compact JWS: the answers, the rule set, the level, "
        "language, country and times), for the person to show a clinician, who checks it with POST "
        "/v1/receipts/verify; the keys are at /.well-known/jwks.json. Anyone holding it can read the answers "
        "in it. Null in a result that is itself a verified receipt's.",
    )

    @classmethod
    def build(
        cls,
        ruleset: RuleSet,
        evaluation: Evaluation,
        answers: Mapping[str, object],
        language: str,
        country: str | None = None,
    ) -> "ScreeningResult":
        """Render one evaluation of ``answers`` (renders every text of the language first;
        servers cache the parts with ResultParts and call ``assemble``)."""
        return ResultParts.render(ruleset, language, country).assemble(evaluation, answers)


_COMPLETE = b',"complete":true,"unanswered_required":'
_INCOMPLETE = b',"complete":false,"unanswered_required":'


class _Screen(NamedTuple):
    """The pieces of one result, each rendered for its answers and its place on the screen."""

    json_head: bytes  # the JSON up to the headline
    headline: tuple[str, bytes]
    next_steps: tuple[list[str], bytes]
    reasons: list[tuple[ReasonView, bytes]]
    findings: list[tuple[FindingView, bytes]]
    advice: list[tuple[AdviceView, bytes]]


@dataclass(frozen=True)
class ResultParts:
    """Every piece of a result for one rule set, language and country, rendered and validated
    once (every variant of a text that names an answer or a term), so a request only picks
    pieces and joins them."""

    questionnaire: str
    language: str
    country: str
    ruleset: RuleSetRef
    disclaimer: str
    headlines: dict[Level, Variants[str]]
    next_steps: dict[Level, Variants[list[str]]]
    reasons: dict[str, Variants[ReasonView]]  # full texts: for reasons at the result's level
    told_reasons: dict[str, Variants[ReasonView]]  # texts without an action: for reasons below it
    also_worth_mentioning_heading: str
    incomplete_note: str  # for results screened before the end (FHIR notes it)
    findings: dict[tuple[str, str], Variants[FindingView]]
    advice: dict[str, Variants[AdviceView]]
    _by_level: dict[Level, tuple[Variants[str], Variants[list[str]], bytes, bool]] = field(
        init=False, repr=False, compare=False
    )
    _json_after_reasons: bytes = field(init=False, repr=False, compare=False)
    _json_tail: bytes = field(init=False, repr=False, compare=False)

    @classmethod
    def render(cls, ruleset: RuleSet, language: str, country: str | None = None) -> "ResultParts":
        texts = ruleset.texts_for(language, country)
        text = texts.text
        terms = terms_of(texts.values)
        labels = {
            qid: {value: text(question.option_label_key(value)) for value in question.options}
            for qid, question in ruleset.questions.items()
            if question.type == "single_choice"
        }

        def variants(
            texts: list[str], build: Callable[[list[str]], V], dump: Callable[[V], bytes] = _dump
        ) -> Variants[V]:
            return render_variants(texts, build, dump, terms, labels)

        def reason(rule: Rule, key: str) -> Variants[ReasonView]:
            sources = [SourceView(id=s.id, title=s.title, url=s.url) for s in rule.sources]
            why = texts.optional(f"why.{rule.id}")
            return variants(
                [text(key)],
                lambda filled: ReasonView(
                    rule_id=rule.id,
                    level=rule.level.value,
                    text=filled[0],
                    why=why,
                    questions=list(rule.questions),
                    sources=sources,
                ),
            )

        def finding(domain: str, status: str) -> Variants[FindingView]:
            label = text(f"domain.{domain}")
            # Its JSON carries its key in the findings object, so a request joins it as it is.
            key = pydantic_core.to_json(domain) + b":"
            return variants(
                [text(f"finding.{domain}.{status}")],
                lambda filled: FindingView(status=status, label=label, text=filled[0]),
                lambda view: key + _dump(view),
            )

        def advice(entry_id: str) -> Variants[AdviceView]:
            return variants([text(f"advice.{entry_id}")], lambda filled: AdviceView(id=entry_id, text=filled[0]))

        return cls(
            questionnaire=ruleset.id,
            language=language,
            country=texts.country,
            ruleset=RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256),
            disclaimer=text("disclaimer"),
            headlines={level: variants([text(f"level.{level.value}.headline")], _first) for level in Level},
            next_steps={
                level: variants([*texts.text_list(f"level.{level.value}.next_steps"), text("safety_net")], list)
                for level in Level
            },
            reasons={rule.id: reason(rule, f"rule.{rule.id}") for rule in ruleset.rules},
            told_reasons={rule.id: reason(rule, f"told.{rule.id}") for rule in ruleset.rules},
            also_worth_mentioning_heading=text("also_worth_mentioning"),
            incomplete_note=text("incomplete_emergency"),
            findings={(domain, status): finding(domain, status) for domain in DOMAINS for status in FINDING_STATUSES},
            advice={entry.id: advice(entry.id) for entry in ruleset.advice},
        )

    def __post_init__(self) -> None:
        # Serialised once: a response is then joined from these bytes (see ``to_json``).
        dump = pydantic_core.to_json
        head = b'{"questionnaire":' + dump(self.questionnaire)
        object.__setattr__(
            self,
            "_by_level",
            {
                level: (
                    self.headlines[level],
                    self.next_steps[level],
                    head + b',"level":' + dump(level.value) + b',"headline":',
                    level in ACT_FIRST,
                )
                for level in Level
            },
        )
        object.__setattr__(
            self,
            "_json_after_reasons",
            b'],"also_worth_mentioning_heading":' + dump(self.also_worth_mentioning_heading) + b',"findings":{',
        )
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

    def _screen(self, evaluation: Evaluation, answers: Mapping[str, object]) -> _Screen:
        """The pieces in the order the widget's result screen shows them, so that a term is
        named in full where a reader first meets it: headline, the next steps first when the
        level asks to act now, reasons (most urgent first), findings with something to note,
        advice, then the next steps of the other levels. One definition for JSON and models."""
        named: set[str] = set()
        level = evaluation.level
        headlines, steps, json_head, act_first = self._by_level[level]  # one hash of the enum, not four
        headline = headlines.pick(answers, named)
        first_steps = steps.pick(answers, named) if act_first else None
        full, told = self.reasons, self.told_reasons
        reasons = [(full if rule.level is level else told)[rule.id].pick(answers, named) for rule in evaluation.fired]
        found, table = evaluation.findings, self.findings
        findings = [
            # Findings with nothing to note are in the JSON, not on the screen: they name no term first.
            piece.only or piece.pick(answers, named if found[domain] != "none" else set(named))
            for domain, piece in [(domain, table[(domain, found[domain])]) for domain in DOMAINS]
        ]
        advice = [self.advice[advice_id].pick(answers, named) for advice_id in evaluation.advice]
        next_steps = first_steps if first_steps is not None else steps.pick(answers, named)
        return _Screen(json_head, headline, next_steps, reasons, findings, advice)

    def to_json(self, evaluation: Evaluation, answers: Mapping[str, object], receipt: str | None = None) -> bytes:
        """The result as JSON, joined from pieces serialised once; byte for byte what
        ``assemble(evaluation, answers).model_dump_json()`` gives (a test holds them equal)."""
        screen = self._screen(evaluation, answers)
        return b"".join(
            (
                screen.json_head,
                screen.headline[1],
                b',"reasons":[',
                b",".join([piece[1] for piece in screen.reasons]),
                self._json_after_reasons,
                b",".join([piece[1] for piece in screen.findings]),
                b'},"advice":[',
                b",".join([piece[1] for piece in screen.advice]),
                b'],"next_steps":',
                screen.next_steps[1],
                self._json_tail,
                pydantic_core.to_json(list(evaluation.ignored_answers)),
                _COMPLETE if evaluation.complete else _INCOMPLETE,
                pydantic_core.to_json(list(evaluation.unanswered_required)),
                # A receipt is base64url parts joined by dots: nothing in it needs escaping.
                b',"receipt":"' + receipt.encode() + b'"}' if receipt else b',"receipt":null}',
            )
        )

    def assemble(
        self, evaluation: Evaluation, answers: Mapping[str, object], receipt: str | None = None
    ) -> ScreeningResult:
        """The result for one evaluation of these answers; no validation, every piece was
        validated in ``render``."""
        screen = self._screen(evaluation, answers)
        return ScreeningResult.model_construct(
            questionnaire=self.questionnaire,
            level=evaluation.level.value,
            headline=screen.headline[0],
            reasons=[piece[0] for piece in screen.reasons],
            also_worth_mentioning_heading=self.also_worth_mentioning_heading,
            findings=Findings.model_construct(
                None, **{domain: piece[0] for domain, piece in zip(DOMAINS, screen.findings, strict=True)}
            ),
            advice=[piece[0] for piece in screen.advice],
            next_steps=screen.next_steps[0],
            disclaimer=self.disclaimer,
            ruleset=self.ruleset,
            language=self.language,
            country=self.country,
            ignored_answers=list(evaluation.ignored_answers),
            complete=evaluation.complete,
            unanswered_required=list(evaluation.unanswered_required),
            receipt=receipt,
        )


def _first(filled: list[str]) -> str:
    return filled[0]


def _dump(view: object) -> bytes:
    if isinstance(view, APIModel):
        return view.model_dump_json().encode()
    return pydantic_core.to_json(view)
