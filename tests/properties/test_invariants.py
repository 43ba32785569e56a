"""Safety invariants over generated answer sets (Hypothesis; 1,000 examples each in CI)."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.engine.answers import assess
from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.engine.levels import Level
from app.engine.questionnaire import Question
from app.engine.ruleset import DOMAINS
from app.engine.semantics import Knowledge, evaluate_known, minimum
from app.schemas.screening import ResultParts
from tests.support.rulesets import shipped_ruleset

RULESET = shipped_ruleset()
# Rendered once, as the service renders them, so each example only assembles its result.
PARTS = {language: ResultParts.render(RULESET, language) for language in RULESET.languages}

# Red-flag answers that on their own call for an emergency, whatever else was answered: the
# first item of each is asked of everybody (a test below checks that), the others are its
# companions (spec 9.2: no red flag hides behind an "and" inside one question).
EMERGENCY_ANSWERS: list[dict[str, object]] = [
    {"rf_cannot_pass_urine": True},
    {"rf_leg_shape_change": True},
    {"rf_hip_hot_swollen_red": True},
    {"rf_unwell_signs": ["very_unwell"]},
    {"rf_unwell_signs": ["fever_or_shivers", "confused_or_drowsy"]},
    {"rf_breathless_chest_pain": True},
    {"rf_cold_pale_leg": True},
    {"rf_rectal_bleeding": "heavy_or_feeling_faint"},
    {"rf_visible_blood_urine": "yes_with_clots_or_difficulty_peeing"},
    {"rf_sudden_severe_tummy_back_pain": True, "rf_sudden_tummy_back_pain_with": ["feeling_faint_sweaty_or_clammy"]},
    {"rf_sudden_one_sided_pelvic_pain": True, "rf_sudden_pelvic_pain_with": ["vomiting"]},
    {"rf_back_or_leg_pain": "back_and_both_legs", "rf_back_or_leg_pain_onset": "new_in_last_2_weeks"},
    {"rf_back_or_leg_pain": "both_legs", "rf_back_or_leg_pain_onset": "not_sure"},
    {"rf_leg_numbness": "both_legs", "rf_leg_numbness_course": "new_or_worse_in_last_2_weeks"},
    {"rf_leg_weakness": "both_legs", "rf_leg_weakness_course": "not_sure"},
    {"rf_leg_weakness": "one_leg", "rf_leg_weakness_course": "changing_over_hours"},
]
CES_ITEMS = [
    "rf_saddle_numbness",
    "rf_urine_start_or_control_difficulty",
    "rf_bladder_sensation_loss",
    "rf_new_urine_leak_or_pads",
    "rf_bowel_control_or_sensation_loss",
    "rf_sexual_sensation_change",
]
_QUIET = ("no", "none", "never", "not_at_all", "not_currently")


def _value(question: Question) -> st.SearchStrategy[Any]:
    if question.type == "boolean":
        return st.booleans()
    if question.type in ("scale", "integer"):
        return st.integers(question.min or 0, question.max if question.max is not None else 10)
    if question.type == "single_choice":
        return st.sampled_from(question.options)
    plain = [o for o in question.options if o not in question.exclusive]
    return st.one_of(
        st.lists(st.sampled_from(plain), min_size=1, unique=True),
        *(st.just([option]) for option in sorted(question.exclusive)),
    )


def _quiet(question: Question) -> object | None:
    if question.type == "boolean":
        return False
    for option in _QUIET:
        if option in question.options:
            return [option] if question.type == "multi_choice" else option
    return None


# What to do with each question, drawn once per question: leave it out (optional questions,
# half the time), give its quiet answer (70 % of the rest), or draw an answer of its type.
_ABSENT, _DRAW = "(absent)", "(draw)"


def _choices(question: Question) -> st.SearchStrategy[Any] | None:
    """Weights out of 20 (or 10), absent first so that examples shrink towards leaving questions
    out, then towards quiet answers: the distribution of drawing each step apart, in about half
    the draws (which cost more than most of the tests). None: always draw an answer."""
    quiet = _quiet(question)
    if quiet is None and question.required:
        return None
    absent = [] if question.required else [_ABSENT] * 10
    answered = [_DRAW] * 10 if quiet is None else [quiet] * 7 + [_DRAW] * 3
    return st.sampled_from(absent + answered)


# Built once: making a strategy anew for every draw cost more than the tests themselves.
_PLAN = [(question.id, _choices(question), _value(question)) for question in RULESET.questions.values()]
_COIN = st.booleans()
_QUARTERS = st.integers(0, 3)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, object]:
    """Valid answer sets: every required question answered, optional ones sometimes left out,
    mostly quiet answers so that results spread over all levels rather than piling up at
    emergency. Answers to questions that do not apply are allowed (they are ignored)."""
    answers: dict[str, object] = {}
    for question_id, choices, value in _PLAN:
        choice = _DRAW if choices is None else draw(choices)
        if choice is _DRAW:
            answers[question_id] = draw(value)
        elif choice is not _ABSENT:
            answers[question_id] = list(choice) if isinstance(choice, list) else choice  # never shared
    return answers


def test_emergency_answers_are_asked_of_everybody() -> None:
    for flag in EMERGENCY_ANSWERS:
        question = next(iter(flag))
        assert RULESET.questions[question].enable_when is None, question
        assert RULESET.questions[question].required, question


@given(answer_sets(), st.sampled_from(EMERGENCY_ANSWERS))
def test_adding_an_emergency_answer_always_gives_emergency(answers: dict[str, object], flag: dict[str, object]) -> None:
    assert screen(RULESET, {**answers, **flag}).level is Level.EMERGENCY


PAINS = ["back_only", "leg_only", "back_and_leg", "back_and_both_legs", "both_legs"]


@given(answer_sets(), st.sampled_from(CES_ITEMS), st.sampled_from(PAINS))
def test_not_sure_on_a_ces_item_with_back_or_leg_pain_is_at_least_same_day(
    answers: dict[str, object], item: str, pain: str
) -> None:
    answers = {**answers, "rf_back_or_leg_pain": pain, item: "not_sure", "ctx_age_years": 40}
    assert screen(RULESET, answers).level >= Level.URGENT_SAME_DAY


@given(answer_sets(), st.one_of(st.just("answering for a child"), st.integers(0, 15)))
def test_the_child_pathway_never_gives_a_physio_only_or_general_result(
    answers: dict[str, object], child: object
) -> None:
    if isinstance(child, int):
        answers = {**answers, "ctx_age_years": child}
    else:
        answers = {**answers, "ctx_answering_for": "a_child_under_16"}
    # The child pathway asks questions of its own (the limp): answer them quietly.
    while missing := assess(RULESET, answers).missing_required:
        for qid in missing:
            quiet = _quiet(RULESET.questions[qid])
            answers[qid] = quiet if quiet is not None else RULESET.questions[qid].options[0]
    assert screen(RULESET, answers).level >= Level.PROMPT_MEDICAL_REVIEW


@given(answer_sets(), st.data())
def test_not_sure_never_lowers_the_level(answers: dict[str, object], data: st.DataObject) -> None:
    unsure_capable = [q.id for q in RULESET.questions.values() if q.type == "single_choice" and "not_sure" in q.options]
    question = data.draw(st.sampled_from(unsure_capable))
    for known in ("no", "none"):
        if known in RULESET.questions[question].options:
            before = screen(RULESET, {**answers, question: known}).level
            after = screen(RULESET, {**answers, question: "not_sure"}).level
            assert after >= before, f"{question}: not_sure gave {after.value}, {known} gave {before.value}"


@given(answer_sets())
def test_same_answers_same_result(answers: dict[str, object]) -> None:
    first = PARTS["en"].assemble(screen(RULESET, answers), answers).model_dump_json()
    reordered = dict(reversed(list(answers.items())))
    second = PARTS["en"].assemble(screen(RULESET, reordered), reordered).model_dump_json()
    assert first == second


@given(answer_sets(), st.sampled_from(RULESET.languages))
def test_every_result_carries_the_disclaimer_and_rule_set_version(answers: dict[str, object], language: str) -> None:
    result = PARTS[language].assemble(screen(RULESET, answers), answers)
    assert result.disclaimer == RULESET.text(language, "disclaimer")
    assert result.ruleset.version == RULESET.version
    assert result.ruleset.sha256 == RULESET.sha256
    assert result.reasons, "every result gives at least one reason"
    assert result.reasons[0].level == result.level


@given(answer_sets())
def test_generated_code_agrees_with_the_definition_on_complete_answers(answers: dict[str, object]) -> None:
    """The served result (the generated function's) against the interpreter that defines it."""
    full = assess(RULESET, answers)  # skip logic by the interpreter (stand)
    assert RULESET.fast_screen(answers) is not None, "complete, valid answers take the fast path"
    assert evaluate_known(RULESET, Knowledge(full.answers), full.ignored) == screen(RULESET, answers)


@st.composite
def partial_answers(draw: st.DrawFn) -> tuple[dict[str, object], dict[str, object], dict[str, object], set[str]]:
    """A complete answer set, two partial ones on the way to it (the first inside the
    second), and questions skipped for good (left unanswered in the complete set too)."""
    complete = draw(answer_sets())
    keys = sorted(complete)
    later = {key: complete[key] for key in keys if draw(_QUARTERS) > 0}
    earlier = {key: value for key, value in later.items() if draw(_COIN)}
    skipped = {qid for qid in RULESET.questions if qid not in complete and draw(_QUARTERS) == 0}
    return earlier, later, complete, skipped


def _minimum(answers: dict[str, object], skipped: set[str]) -> Level:
    assessment = assess(RULESET, answers)
    assert not assessment.issues
    return minimum(RULESET, assessment.typed, skipped).level


@given(partial_answers())
def test_the_minimum_level_never_exceeds_a_completion_and_never_drops_as_answers_come(
    drawn: tuple[dict[str, object], dict[str, object], dict[str, object], set[str]],
) -> None:
    earlier, later, complete, skipped = drawn
    final = screen(RULESET, complete).level
    at_earlier, at_later = _minimum(earlier, skipped), _minimum(later, skipped)
    assert at_earlier <= at_later <= final, (at_earlier, at_later, final)
    # With nothing left open (every unanswered question skipped) it is the final level.
    rest = {qid for qid in RULESET.questions if qid not in complete}
    assert _minimum(complete, rest) is final


@given(partial_answers())
def test_an_incomplete_screening_never_gets_less_than_its_minimum(
    drawn: tuple[dict[str, object], dict[str, object], dict[str, object], set[str]],
) -> None:
    earlier, _, _, _ = drawn
    least = _minimum(earlier, set())
    try:
        evaluation = screen(RULESET, earlier)
    except AnswersError as exc:
        codes = {issue.code for issue in exc.issues}
    else:
        codes = set()
    if codes:
        assert least is not Level.EMERGENCY
        assert codes == {"missing_required"}
        return
    assert evaluation.level >= least
    assert evaluation.complete is not (least is Level.EMERGENCY and bool(assess(RULESET, earlier).missing_required))


def _sometimes_broken(answers: dict[str, object], data: st.DataObject) -> dict[str, object]:
    """Now and then a wrong type, an unknown key, or a required answer removed."""
    if data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(answers)))
        broken = data.draw(st.sampled_from(["wrong type", "unknown key", "removed"]))
        if broken == "wrong type":
            answers[key] = "not-an-option" if not isinstance(answers[key], str) else 12345
        elif broken == "unknown key":
            answers["no_such_question"] = True
        else:
            del answers[key]
    return answers


@given(answer_sets(), st.data())
def test_fast_paths_agree_with_the_full_check(answers: dict[str, object], data: st.DataObject) -> None:
    """The generated function either defers (None) exactly when the full check finds a problem
    or a missing answer, or gives what the interpreter gives for the answers that apply."""
    answers = _sometimes_broken(answers, data)
    full = assess(RULESET, answers)
    fast_screen = RULESET.fast_screen(answers)
    if full.issues or full.missing_required:
        assert fast_screen is None
        return
    assert fast_screen is not None
    reported, statuses, advice, ignored = fast_screen
    defined = evaluate_known(RULESET, Knowledge(full.answers), full.ignored)
    assert [RULESET.ranked[index] for index in reported] == list(defined.fired)
    assert dict(zip(DOMAINS, statuses, strict=True)) == defined.findings
    assert tuple(advice) == defined.advice
    assert tuple(ignored) == full.ignored
