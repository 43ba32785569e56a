"""Checklist sections (``display: checklist`` in questions.yaml): each statement's answer for
"None of these apply to me" and for a tick, checked against the item's type and options; every
other item of a checklist follows up one of its statements."""

from collections.abc import Iterator
from dataclasses import dataclass, replace

from app.engine import conditions as cond
from app.engine.model import Item, QuestionsFile
from app.engine.questionnaire import AnswerValue, Question
from app.engine.yaml_files import Location


@dataclass(frozen=True)
class ChecklistProblem:
    subject: str
    location: Location
    message: str


def apply_checklists(data: QuestionsFile, questions: dict[str, Question]) -> list[ChecklistProblem]:
    """Give each statement its ``negative`` and ``ticked`` answers (in ``questions``, in place);
    return what is wrong with the checklists' data."""
    problems: list[ChecklistProblem] = []
    for s_index, section in enumerate(data.sections):
        located = [(item, ("sections", s_index, "items", i)) for i, item in enumerate(section.items)]
        if section.display != "checklist":
            for item, location in located:
                if item.negative is not None or item.ticked is not None:
                    where = "negative" if item.negative is not None else "ticked"
                    problems.append(
                        ChecklistProblem(
                            item.id,
                            (*location, where),
                            f"'{where}' is only for the statements of a section with display: checklist",
                        )
                    )
            continue
        statements = {item.id for item in section.items if item.negative is not None}
        if not statements:
            problems.append(
                ChecklistProblem(
                    section.id,
                    ("sections", s_index, "display"),
                    "a checklist needs at least one statement (an item with 'negative')",
                )
            )
            continue
        for item, location in located:
            question = questions.get(item.id)
            if question is None:
                continue
            if item.negative is None:
                problems.extend(_follow_up_problems(item, question, statements, location))
                continue
            found = list(_statement_problems(item, question, location))
            problems.extend(found)
            if not found:
                ticked = _answer(item.ticked) if item.ticked is not None else None
                questions[item.id] = replace(question, negative=_answer(item.negative), ticked=ticked)
    return problems


def _answer(value: bool | str | list[str]) -> AnswerValue:
    return frozenset(value) if isinstance(value, list) else value


def _follow_up_problems(
    item: Item, question: Question, statements: set[str], location: Location
) -> Iterator[ChecklistProblem]:
    if item.ticked is not None:
        yield ChecklistProblem(item.id, (*location, "ticked"), "'ticked' needs 'negative' (only statements have it)")
    read = {leaf.question for leaf in cond.leaves(question.enable_when)} if question.enable_when else set()
    if not read & statements:
        yield ChecklistProblem(
            item.id,
            (*location, "enable_when" if question.enable_when else "id"),
            "an item of a checklist without 'negative' follows up a statement: its enable_when must read "
            "a statement of the same section",
        )


def _statement_problems(item: Item, question: Question, location: Location) -> Iterator[ChecklistProblem]:
    def problem(message: str, where: str = "negative") -> ChecklistProblem:
        return ChecklistProblem(item.id, (*location, where), message)

    negative, ticked = item.negative, item.ticked
    if question.type == "boolean":
        if negative is not False:
            yield problem("the 'negative' of a boolean statement is false")
        if ticked is not None and ticked is not True:
            yield problem("the 'ticked' answer of a boolean statement is true", "ticked")
    elif question.type == "single_choice":
        if not isinstance(negative, str) or negative not in question.options:
            yield problem(f"'negative' must be one of the options {list(question.options)}")
        if ticked is not None and (not isinstance(ticked, str) or ticked not in question.options or ticked == negative):
            yield problem("'ticked' must be another option than 'negative'", "ticked")
    elif question.type == "multi_choice":
        if not (isinstance(negative, list) and len(negative) == 1 and negative[0] in question.exclusive):
            yield problem("'negative' must be a list of one exclusive option, such as [none]")
        if ticked is not None:
            yield problem("a multi_choice statement has no 'ticked' (ticking asks which options apply)", "ticked")
    else:
        yield problem(f"a {question.type} item cannot be a checklist statement (boolean or choice items only)", "type")
