"""The sections and questions of questions.yaml, checked: unique and unreserved ids, options
and bounds that fit each type, and skip logic (enable_when) that reads only earlier items."""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.engine import conditions as cond
from app.engine.condition_checks import check_leaves, nodes_in_cycles, parse_condition
from app.engine.load_issues import IssueLog
from app.engine.model import Item, QuestionsFile
from app.engine.questionnaire import Question, Section
from app.engine.suggestions import suggest
from app.engine.yaml_files import Location


def check_questions(
    log: IssueLog, data: QuestionsFile
) -> tuple[tuple[Section, ...], dict[str, Question], dict[str, tuple[Any, Location]]]:
    """The sections and questions, and each question's enable_when as written (attached by
    ``attach_enable_when`` once the predicates it may name are built)."""
    file = "questions.yaml"
    questions: dict[str, Question] = {}
    sections: list[Section] = []
    seen_sections: set[str] = set()
    raw_enable_when: dict[str, tuple[Any, Location]] = {}
    for s_index, section in enumerate(data.sections):
        if section.id in seen_sections:
            log.report("duplicate_id", file, "section id used twice", section.id, ("sections", s_index, "id"))
        seen_sections.add(section.id)
        ids: list[str] = []
        for i_index, item in enumerate(section.items):
            location: Location = ("sections", s_index, "items", i_index)
            if item.id in questions:
                log.report("duplicate_id", file, "question id used twice", item.id, (*location, "id"))
                continue
            if item.id in ("result_level", "fired_rules") or item.id.startswith("finding_"):
                log.report(
                    "reserved_id",
                    file,
                    "this id is reserved for what advice conditions read about the result",
                    item.id,
                    (*location, "id"),
                )
                continue
            question = _check_question(log, item, section.id, data, location)
            if question is None:
                continue
            questions[item.id] = question
            ids.append(item.id)
            if item.enable_when is not None:
                raw_enable_when[item.id] = (item.enable_when, (*location, "enable_when"))
        sections.append(Section(section.id, tuple(ids), section.display))
    return tuple(sections), questions, raw_enable_when


def _check_question(
    log: IssueLog, item: Item, section: str, data: QuestionsFile, location: Location
) -> Question | None:
    file = "questions.yaml"

    def invalid(message: str, where: str = "type") -> None:
        log.report("invalid_item", file, message, item.id, (*location, where))

    options: tuple[str, ...] = ()
    ordered, exclusive, label_prefix = item.ordered, tuple(item.exclusive), f"option.{item.id}"
    if item.type in ("single_choice", "multi_choice"):
        if (item.options is None) == (item.option_set is None):
            invalid(f"a {item.type} item needs exactly one of 'options' or 'option_set'")
            return None
        if item.option_set is not None:
            option_set = data.option_sets.get(item.option_set)
            if option_set is None:
                log.report(
                    "unknown_option_set",
                    file,
                    f"option set '{item.option_set}' is not defined",
                    item.id,
                    (*location, "option_set"),
                    suggest(item.option_set, data.option_sets),
                )
                return None
            options, ordered = tuple(option_set.options), option_set.ordered
            exclusive = tuple(option_set.exclusive) + exclusive
            label_prefix = f"option_set.{item.option_set}"
        else:
            options = tuple(item.options or ())
            if len(options) < 2:
                invalid("a choice item needs at least two options", "options")
        duplicates = sorted({o for o in options if options.count(o) > 1})
        if duplicates:
            log.report("duplicate_id", file, f"option(s) listed twice: {duplicates}", item.id, (*location, "options"))
        for value in exclusive:
            if value not in options:
                log.report(
                    "unknown_option",
                    file,
                    f"exclusive option '{value}' is not an option",
                    item.id,
                    (*location, "exclusive"),
                    suggest(value, options),
                )
        if item.type == "single_choice" and exclusive:
            invalid("only multi_choice items have exclusive options", "exclusive")
        if item.min is not None or item.max is not None:
            invalid("only scale and integer items have min and max", "min")
    else:
        if item.options is not None or item.option_set is not None or item.exclusive or item.ordered:
            invalid(f"a {item.type} item has no options")
        if item.type == "boolean" and (item.min is not None or item.max is not None):
            invalid("only scale and integer items have min and max", "min")
    low, high = item.min, item.max
    if item.type == "scale":
        low = 0 if low is None else low
        high = 10 if high is None else high
    if item.type == "integer" and (low is None or high is None):
        invalid("an integer item needs both min and max", "min")
    if low is not None and high is not None and low > high:
        invalid(f"min {low} is greater than max {high}", "min")
    return Question(
        id=item.id,
        section=section,
        type=item.type,
        options=options,
        ordered=ordered,
        exclusive=frozenset(exclusive),
        min=low,
        max=high,
        required=item.required,
        option_label_prefix=label_prefix,
    )


def attach_enable_when(
    log: IssueLog,
    questions: dict[str, Question],
    raw: dict[str, tuple[Any, Location]],
    predicates: Mapping[str, cond.Condition],
) -> None:
    """Each enable_when, with the predicates it names written out: a predicate is the one
    definition of a condition that rules and skip logic share, and clients (the widget,
    FHIR renderers) evaluate the written-out form alone."""
    file = "questions.yaml"
    position = {qid: index for index, qid in enumerate(questions)}
    parsed: dict[str, cond.Condition] = {}
    for qid, (raw_condition, location) in raw.items():
        condition = parse_condition(log, raw_condition, file, qid, location)
        if condition is None:
            continue
        if not check_leaves(log, condition, questions, file, qid, location, predicates):
            continue
        expanded = cond.expand_predicates(condition, predicates)
        # A reference left after expanding names a predicate that did not build or that
        # refers back to itself: check_predicates reported it.
        if not any(True for _ in cond.predicate_refs(expanded)):
            parsed[qid] = expanded
    # A cycle is reported as such; otherwise a reference to a later item is an ordering error.
    graph = {qid: {leaf.question for leaf in cond.leaves(c)} for qid, c in parsed.items()}
    in_cycle = nodes_in_cycles(graph)
    for qid, condition in parsed.items():
        location = raw[qid][1]
        if qid in in_cycle:
            log.report("enable_when_cycle", file, "enable_when depends on itself through other items", qid, location)
            continue
        later = sorted(dep for dep in graph[qid] if position[dep] >= position[qid])
        if later:
            log.report(
                "enable_when_forward_reference",
                file,
                f"enable_when may only read earlier items; reads {later}",
                qid,
                location,
            )
            continue
        questions[qid] = replace(questions[qid], enable_when=condition)
