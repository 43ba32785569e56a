"""A verified receipt as a summary: its answers screened again by the rule set served now,
and every answer with its question and the words the person saw."""

from collections.abc import Mapping
from datetime import UTC, datetime

from app.engine.errors import AnswersError
from app.engine.evaluator import Evaluation, screen
from app.engine.ruleset import RuleSet
from app.receipts.claims import ReceiptClaims
from app.receipts.labels import labels_for
from app.receipts.tokens import Verified
from app.schemas.questionnaire import QuestionnaireView, RuleSetRef
from app.schemas.receipt import AnsweredView, AnswerSectionView, SignedView, VerifiedReceipt
from app.schemas.screening import AnswerValue, ResultParts


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _shown(value: AnswerValue, item: dict[str, str], yes: str, no: str) -> str:
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, list):
        return "; ".join(item.get(v, v) for v in value)
    return item.get(value, value) if isinstance(value, str) else str(value)


def answer_sections(view: QuestionnaireView, claims: ReceiptClaims) -> list[AnswerSectionView]:
    """The answers in questionnaire order, with texts from ``view`` (answers to questions the
    served version no longer asks come last, under their ids)."""
    labels = labels_for(view.language)
    sections, seen = [], set()
    for section in view.sections:
        answered = []
        for item in section.items:
            if item.id in claims.answers:
                value = claims.answers[item.id]
                options = {option.value: option.label for option in item.options}
                answered.append(
                    AnsweredView(
                        question=item.id,
                        text=item.text,
                        answer=_shown(value, options, labels.yes, labels.no),
                        value=value,
                    )
                )
                seen.add(item.id)
        if answered:
            sections.append(AnswerSectionView(id=section.id, title=section.title, answers=answered))
    rest = [qid for qid in claims.answers if qid not in seen]
    if rest:
        sections.append(
            AnswerSectionView(
                id="other",
                title="—",
                answers=[
                    AnsweredView(
                        question=qid,
                        text=qid,
                        answer=_shown(claims.answers[qid], {}, labels.yes, labels.no),
                        value=claims.answers[qid],
                    )
                    for qid in rest
                ],
            )
        )
    return sections


class Summaries:
    """Builds summaries against the rule sets served (one catalog), keeping each rendered
    questionnaire (per rule set, language and country) for the next one."""

    def __init__(
        self, rulesets: Mapping[str, RuleSet], result_parts: Mapping[tuple[str, str, str], ResultParts]
    ) -> None:
        self.rulesets, self.result_parts = rulesets, result_parts
        self._views: dict[tuple[str, str, str], QuestionnaireView] = {}

    def view(self, ruleset: RuleSet, language: str, country: str) -> QuestionnaireView:
        key = (ruleset.id, language, country)
        if key not in self._views:
            self._views[key] = QuestionnaireView.build(ruleset, language, country)
        return self._views[key]

    def summarise(self, verified: Verified) -> tuple[VerifiedReceipt, Evaluation | None, ResultParts | None]:
        """The verified receipt's summary, with the evaluation and result parts behind its result
        (None when its answers cannot be screened again)."""
        claims = verified.claims
        labels = labels_for(claims.language)
        ruleset = self.rulesets.get(claims.questionnaire)
        signed = SignedView(
            questionnaire=claims.questionnaire,
            ruleset=claims.ruleset,
            level=claims.level,
            language=claims.language,
            country=claims.country,
        )
        common = {
            "valid": True,
            "key_id": verified.kid,
            "issuer": claims.iss,
            "issued_at": iso(claims.iat),
            "expires_at": iso(claims.exp),
            "signed": signed,
            "skipped": list(claims.skipped),
        }
        if ruleset is None:
            return (
                VerifiedReceipt(
                    **common, served_ruleset=None, same_ruleset=False, notes=[labels.gone], result=None, answers=[]
                ),
                None,
                None,
            )
        served = RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256)
        same = (served.version, served.sha256) == (claims.ruleset.version, claims.ruleset.sha256)
        language = claims.language if claims.language in ruleset.languages else ruleset.default_language
        country = claims.country if claims.country in ruleset.countries else ruleset.default_country
        parts = self.result_parts[(ruleset.id, language, ruleset.texts_for(language, country).country)]
        notes = [] if same else [labels.other_version.format(signed=claims.ruleset.version, served=served.version)]
        evaluation: Evaluation | None
        try:
            evaluation = screen(ruleset, dict(claims.answers), list(claims.skipped))
        except AnswersError:
            evaluation = None
            notes.append(labels.not_screened)
        if evaluation is not None and evaluation.level.value != claims.level:
            notes.append(labels.level_changed.format(signed=claims.level, served=evaluation.level.value))
        view = self.view(ruleset, language, parts.country)
        summary = VerifiedReceipt(
            **common,
            served_ruleset=served,
            same_ruleset=same,
            notes=notes,
            result=parts.assemble(evaluation, claims.answers) if evaluation is not None else None,
            answers=answer_sections(view, claims),
        )
        return summary, evaluation, parts if evaluation is not None else None
