"""Texts that depend on their screen and on the answers: a term named in full the first time a
screen shows it and in a short form after (``{term:<name>}``), and an answer named in a text
by its option label (``{answer:<question id>}``), so the text says what the person told us."""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations, product
from typing import Generic, TypeVar

from app.engine import conditions as cond

TERM = re.compile(r"\{term:([a-z_]+)\}")
ANSWER = re.compile(r"\{answer:([a-z0-9_]+)\}")
_SENTENCE_END = re.compile(r"(?:^|[.!?]\s+)$")

V = TypeVar("V")
VariantKey = tuple[tuple[object, ...], frozenset[str]]


@dataclass(frozen=True)
class Term:
    """How a language names one thing: in full the first time on a screen, short after."""

    full: str
    short: str


def terms_of(values: Mapping[str, object]) -> dict[str, Term]:
    """The terms a locale defines, as ``term.<name>.full`` and ``term.<name>.short``."""
    names = {key.split(".")[1] for key in values if key.startswith("term.") and key.count(".") == 2}
    return {
        name: Term(str(values[f"term.{name}.full"]), str(values[f"term.{name}.short"]))
        for name in sorted(names)
        if f"term.{name}.full" in values and f"term.{name}.short" in values
    }


def _items(value: str | Sequence[str]) -> Sequence[str]:
    return [value] if isinstance(value, str) else value


def term_names(value: str | Sequence[str]) -> list[str]:
    """The terms a text names, in order of first use."""
    return list(dict.fromkeys(name for item in _items(value) for name in TERM.findall(item)))


def answer_slots(value: str | Sequence[str]) -> list[str]:
    """The question ids whose answers a text names, in order of first use."""
    return list(dict.fromkeys(qid for item in _items(value) for qid in ANSWER.findall(item)))


class ScreenWriter:
    """Fills texts in the order a screen shows them: each term in full the first time, then
    short; each answer slot with the label of the answer given (lower-case inside a sentence)."""

    def __init__(
        self, terms: Mapping[str, Term], labels: Mapping[str, str] | None = None, named: Iterable[str] = ()
    ) -> None:
        self.terms = terms
        self.labels = labels or {}
        self.named = set(named)

    def __call__(self, text: str) -> str:
        return TERM.sub(self._term, ANSWER.sub(self._answer, text))

    def _term(self, match: re.Match[str]) -> str:
        name = match.group(1)
        term = self.terms[name]
        if name in self.named:
            return term.short
        self.named.add(name)
        return term.full

    def _answer(self, match: re.Match[str]) -> str:
        label = self.labels[match.group(1)]
        starts_sentence = _SENTENCE_END.search(match.string, 0, match.start()) is not None
        # "More than 12 months" reads "for more than 12 months" inside a sentence; a label that
        # starts with an acronym or a capitalised word keeps its case.
        if starts_sentence or len(label) < 2 or label[1].isupper():
            return label
        return label[0].lower() + label[1:]


def _subsets(names: Sequence[str]) -> list[frozenset[str]]:
    return [frozenset(chosen) for chosen in chain.from_iterable(combinations(names, n) for n in range(len(names) + 1))]


@dataclass(frozen=True)
class Variants(Generic[V]):
    """Every rendering of one piece of a result, made once: by the answers its texts name and
    by which of its terms the screen has already named in full. ``pick`` chooses per result."""

    slots: tuple[str, ...]
    terms: frozenset[str]
    table: Mapping[VariantKey, tuple[V, bytes]]
    only: tuple[V, bytes] | None = field(init=False, compare=False)
    """The one rendering of a piece that depends on neither answers nor terms (most pieces):
    requests take it without building a key."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "only", None if self.slots or self.terms else self.table[((), frozenset())])

    def pick(self, answers: Mapping[str, object], named: set[str]) -> tuple[V, bytes]:
        """The rendering for these answers; records the terms it names in ``named``."""
        if self.only is not None:
            return self.only
        key = (tuple([answers.get(qid) for qid in self.slots]), self.terms.intersection(named))
        named.update(self.terms)
        return self.table[key]


def render_variants(
    texts: Sequence[str],
    build: Callable[[list[str]], V],
    dump: Callable[[V], bytes],
    terms: Mapping[str, Term],
    labels: Mapping[str, Mapping[str, str]],
) -> Variants[V]:
    """Render ``texts`` (shown together, in order) for every answer their slots can hold and
    every set of terms already named; ``labels`` gives each slot question's option labels."""
    slots = tuple(answer_slots(texts))
    used = term_names(texts)
    table: dict[VariantKey, tuple[V, bytes]] = {}
    for values in product(*(tuple(labels[qid]) for qid in slots)):
        chosen = {qid: labels[qid][value] for qid, value in zip(slots, values, strict=True)}
        for named in _subsets(used):
            writer = ScreenWriter(terms, chosen, named)
            view = build([writer(text) for text in texts])
            table[(values, named)] = (view, dump(view))
    return Variants(slots, frozenset(used), table)


def requires_answer(condition: cond.Condition, qid: str, predicates: Mapping[str, cond.Condition]) -> bool:
    """Whether ``condition`` can only hold when question ``qid`` is answered: then a text shown
    when it holds may name that answer. Every comparison with an unanswered question is false
    except ``not_answered`` (app.engine.semantics), so a leaf that must hold settles it."""
    match condition:
        case cond.Leaf(question=question, op=op):
            return question == qid and op != "not_answered"
        case cond.AllOf(items=items):
            return any(requires_answer(item, qid, predicates) for item in items)
        case cond.AnyOf(items=items):
            return bool(items) and all(requires_answer(item, qid, predicates) for item in items)
        case cond.NotOf(item=cond.Leaf(question=question, op="not_answered")):
            return question == qid
        case cond.PredicateRef(name=name):
            return name in predicates and requires_answer(predicates[name], qid, predicates)
    return False


RESULT_PREFIXES = ("rule.", "told.", "advice.", "finding.", "level.")
"""Keys of result texts: rendered per result (app.schemas.screening), in the order of its screen."""


def fill_screens(
    values: Mapping[str, str | list[str]], sections: Iterable[tuple[str, Sequence[str]]]
) -> dict[str, str | list[str]]:
    """Terms filled in every text but a result's: a section's title, intro and questions share
    a screen; any other text stands alone. Result texts keep their placeholders."""
    terms = terms_of(values)
    if not terms:
        return dict(values)
    filled = dict(values)
    by_owner: dict[str, list[str]] = {}
    for key in values:
        by_owner.setdefault(".".join(key.split(".")[:2]), []).append(key)
    in_sections: set[str] = set()
    for section_id, question_ids in sections:
        owners = (f"section.{section_id}", *(f"question.{qid}" for qid in question_ids))
        keys = [key for owner in owners for key in by_owner.get(owner, ())]
        writer = ScreenWriter(terms)
        for key in keys:
            filled[key] = _fill(values[key], writer)
        in_sections.update(keys)
    for key, value in values.items():
        if key not in in_sections and not key.startswith(RESULT_PREFIXES):
            filled[key] = _fill(value, ScreenWriter(terms))
    return filled


def _fill(value: str | list[str], writer: ScreenWriter) -> str | list[str]:
    return writer(value) if isinstance(value, str) else [writer(item) for item in value]
