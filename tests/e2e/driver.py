"""Drive the <hip-pelvic-screener> widget like a person would: with the pointer, or with the
keyboard only. ``scope`` is a Playwright Page or Frame holding one widget."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.answers import complete

STATE_JS = """() => {
  const el = document.querySelector('hip-pelvic-screener');
  const root = el && el.shadowRoot;
  if (!root) return null;
  const heading = root.querySelector('h2');
  const result = root.querySelector('[data-level]');
  const summary = root.querySelector('#hps-error-summary');
  const safety = root.querySelector('#hps-safety a[href^="tel:"]');
  const notice = root.querySelector('#hps-notice');
  return {
    state: el.getAttribute('data-state'),
    heading: heading ? heading.textContent : null,
    questions: [...root.querySelectorAll('[data-question], .field input')].map(
      (node) => node.getAttribute('data-question') || node.name),
    level: result ? result.getAttribute('data-level') : null,
    errors: summary ? summary.textContent : null,
    focused: root.activeElement ? (root.activeElement.id || root.activeElement.tagName) : null,
    safety: safety ? safety.getAttribute('href') : null,
    notice: notice ? notice.getAttribute('data-notice') : null,
    progress: root.querySelector('#hps-progress') ?
      Number(root.querySelector('#hps-progress').getAttribute('data-progress')) : null,
  };
}"""


@dataclass
class Tally:
    """What a journey costs the person: screens seen, pointer clicks and key presses."""

    screens: int = 0
    clicks: int = 0
    keys: int = 0
    progress: list[int] = field(default_factory=list)

    def line(self, name: str) -> str:
        return f"{name}: {self.screens} screens, {self.clicks} clicks, {self.keys} key presses"


TALLY = Tally()
"""Counts of the journey under way (``reset_tally`` starts a new one)."""


def reset_tally() -> Tally:
    global TALLY
    TALLY = Tally()
    return TALLY


def _click(locator: Any, check: bool = False) -> None:
    TALLY.clicks += 1
    if check:
        locator.check()
    else:
        locator.click()


def _press(scope: Any, key: str) -> None:
    TALLY.keys += 1
    _keyboard(scope).press(key)


def _type(scope: Any, text: str) -> None:
    TALLY.keys += len(text)
    _keyboard(scope).type(text)


ACTIVE_JS = """() => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  if (!active) return null;
  return {tag: active.tagName, name: active.name || null, value: active.value ?? null, type: active.type || null,
          id: active.id || null, checked: !!active.checked, text: (active.textContent || '').trim().slice(0, 60)};
}"""

# The three personas of the issue, built from the questionnaire so they follow content changes.
PERSONAS: dict[str, tuple[dict[str, Any], str]] = {
    "emergency": (
        complete({"rf_back_or_leg_pain": "back_and_leg", "rf_new_urine_leak_or_pads": "yes_new_or_worsening"}),
        "emergency",
    ),
    "physio": (
        complete(
            {
                "bl_symptoms_present": True,
                "bl_onset": "longer_and_unchanged",
                "bl_urgency": "daily",
                "core_symptoms_present": True,
                "core_leak_cough_sneeze_laugh": "weekly",
            }
        ),
        "recommend_pelvic_floor_physio",
    ),
    "nothing_of_note": (complete({}), "general_advice"),
}


def questions_of(api_base: str, lang: str = "en") -> dict[str, dict[str, Any]]:
    document = httpx.get(f"{api_base}/v1/questionnaires/hip-pelvic-floor", params={"lang": lang}).json()
    return {item["id"]: item for section in document["sections"] for item in section["items"]}


def state(scope: Any) -> dict[str, Any]:
    current: dict[str, Any] = scope.evaluate(STATE_JS)
    return current


def wait_for(scope: Any, *states: str, timeout: float = 15_000) -> dict[str, Any]:
    scope.wait_for_function(
        "(states) => { const el = document.querySelector('hip-pelvic-screener');"
        " return !!(el && el.shadowRoot && states.includes(el.getAttribute('data-state'))); }",
        arg=list(states),
        timeout=timeout,
    )
    return state(scope)


def _input_values(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def is_statement(item: dict[str, Any]) -> bool:
    """A statement of a checklist (it has the answer "None of these" gives it)."""
    return item.get("negative") is not None


def is_negative(item: dict[str, Any], value: Any) -> bool:
    negative = item["negative"]
    if isinstance(negative, list):
        return isinstance(value, list) and sorted(value) == sorted(negative)
    return bool(value == negative and type(value) is type(negative))


def is_other(item: dict[str, Any], value: Any) -> bool:
    """An answer offered beside a statement's tick (e.g. "Prefer not to say" on the bowel gate):
    neither its ticked answer nor its negative."""
    ticked = item.get("ticked")
    return ticked is not None and value != ticked and not is_negative(item, value)


def _other_selector(qid: str, value: Any) -> str:
    return f'hip-pelvic-screener input[data-other="{qid}"][value="{value}"]'


def _follow_up_values(item: dict[str, Any], value: Any) -> list[str]:
    """What a ticked statement still asks: the options to choose (none for a plain tick)."""
    if item.get("ticked") is not None or item["type"] == "boolean":
        return []
    return _input_values(value)


def set_answer(scope: Any, qid: str, value: Any, item: dict[str, Any]) -> None:
    """Answer with the pointer (click radios and checkboxes, choose a number, type numbers).
    A checklist statement with its negative answer is left for "None of these" (or unticked)."""
    if is_statement(item):
        if is_negative(item, value):
            return
        if is_other(item, value):
            _click(scope.locator(_other_selector(qid, value)), check=True)
            return
        _click(scope.locator(f'hip-pelvic-screener input[data-statement="{qid}"]'), check=True)
        for option in _follow_up_values(item, value):
            kind = "checkbox" if item["type"] == "multi_choice" else "radio"
            _click(
                scope.locator(f'hip-pelvic-screener input[type="{kind}"][name="{qid}"][value="{option}"]'), check=True
            )
        return
    if item["type"] == "integer":
        TALLY.clicks += 1
        TALLY.keys += len(str(value))
        scope.locator(f'hip-pelvic-screener input[name="{qid}"]').fill(str(value))
        return
    if item["type"] == "scale":
        _set_slider(scope, qid, int(value), item)
        return
    for option in _input_values(value):
        _click(scope.locator(f'hip-pelvic-screener input[name="{qid}"][value="{option}"]'), check=True)


def _set_slider(scope: Any, qid: str, value: int, item: dict[str, Any]) -> None:
    """One tap on the slider's line where ``value`` sits (the 44-pixel thumb's centre runs from
    22 pixels in at the start to 22 pixels in at the end)."""
    slider = scope.locator(f'hip-pelvic-screener input[name="{qid}"]')
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    low, high = item["min"], item["max"]
    x = box["x"] + 22 + (value - low) / (high - low) * (box["width"] - 44)
    TALLY.clicks += 1
    page = scope.page if hasattr(scope, "page") else scope
    page.mouse.click(x, box["y"] + box["height"] / 2)
    assert slider.input_value() == str(value), (qid, value, slider.input_value())


def answer_step(scope: Any, answers: dict[str, Any], questions: dict[str, dict[str, Any]], answer: Any) -> list[str]:
    """Answer every question the step shows, in page order (including ones that appear on the
    way); on leaving a checklist where nothing was ticked, "None of these apply to me"."""
    done: list[str] = []
    keyboard = answer is key_answer
    while True:
        shown = scope.evaluate(QUESTIONS_IN_ORDER_JS)
        todo = [entry for entry in shown if entry["qid"] not in done]
        if not todo:
            break
        entry = todo[0]
        left = {e["checklist"] for e in shown[: shown.index(entry)] if e["checklist"]} - {entry["checklist"]}
        for section_id in left:
            _choose_none_if_untouched(scope, section_id, keyboard)
        qid = entry["qid"]
        done.append(qid)
        assert qid in answers, f"the widget shows {qid}, which the server's skip logic does not ask"
        answer(scope, qid, answers[qid], questions[qid])
    for section_id in scope.evaluate(NONE_TO_CHOOSE_JS):
        _choose_none_if_untouched(scope, section_id, keyboard)
    return done


# The questions on the screen in page order, each with the checklist holding it (or null).
QUESTIONS_IN_ORDER_JS = """() => {
  const root = document.querySelector('hip-pelvic-screener').shadowRoot;
  return [...root.querySelectorAll('[data-question], .field input')].map((node) => {
    const list = node.closest('[data-checklist]');
    return { qid: node.getAttribute('data-question') || node.name,
             checklist: list ? list.getAttribute('data-checklist') : null };
  });
}"""


def _choose_none_if_untouched(scope: Any, section_id: str, keyboard: bool) -> None:
    if section_id not in scope.evaluate(NONE_TO_CHOOSE_JS):
        return
    if keyboard:
        wanted = f"hps-none-{section_id}"
        tab_to(scope, lambda a: bool(a["id"] == wanted))
        _press(scope, "Space")
    else:
        _click(scope.locator(f'hip-pelvic-screener input[data-none="{section_id}"]'), check=True)


# Checklists on the screen with no statement ticked, no answer beside a statement chosen (the
# others then get their negative at Next) and "None of these" not chosen yet.
NONE_TO_CHOOSE_JS = """() => {
  const root = document.querySelector('hip-pelvic-screener').shadowRoot;
  return [...root.querySelectorAll('[data-checklist]')].filter((list) =>
    !list.querySelector('input[data-statement]:checked') && !list.querySelector('input[data-none]:checked')
    && !list.querySelector('input[data-other]:checked'))
    .map((list) => list.getAttribute('data-checklist'));
}"""


def shows_answer(scope: Any, qid: str, value: Any, item: dict[str, Any]) -> bool:
    """The step shows ``value`` as the answer to ``qid``."""
    root = "hip-pelvic-screener"
    if is_statement(item):
        ticked = scope.locator(f'{root} input[data-statement="{qid}"]').is_checked()
        if is_negative(item, value):
            return not ticked
        if is_other(item, value):
            return not ticked and bool(scope.locator(_other_selector(qid, value)).is_checked())
        kind = "checkbox" if item["type"] == "multi_choice" else "radio"
        return ticked and all(
            scope.locator(f'{root} input[type="{kind}"][name="{qid}"][value="{option}"]').is_checked()
            for option in _follow_up_values(item, value)
        )
    if item["type"] == "integer":
        return bool(scope.locator(f'{root} input[name="{qid}"]').input_value() == str(value))
    if item["type"] == "scale":
        slider = scope.locator(f'{root} input[name="{qid}"]')
        return bool(slider.input_value() == str(value) and "unset" not in (slider.get_attribute("class") or ""))
    return all(
        scope.locator(f'{root} input[name="{qid}"][value="{option}"]').is_checked() for option in _input_values(value)
    )


# After Next the widget checks the answers so far (POST .../progress): "checking" until then.
AFTER_NEXT = ("step", "review", "emergency", "check-error")


def press(scope: Any, selector: str, keyboard: bool) -> None:
    """Activate a button: Tab to it and press Enter, or click it."""
    if keyboard:
        element_id = selector.removeprefix("#")
        tab_to(scope, lambda a: a["id"] == element_id)
        _press(scope, "Enter")
    else:
        _click(scope.locator(f"hip-pelvic-screener {selector}"))


def run_flow(
    scope: Any,
    answers: dict[str, Any],
    questions: dict[str, dict[str, Any]],
    on_step: Callable[[dict[str, Any]], None] | None = None,
    keyboard: bool = False,
) -> dict[str, Any]:
    """Complete the whole flow and return the result state. On an early emergency screen it
    chooses "Continue the questions" (``on_step`` sees that screen first)."""
    current = wait_for(scope, "step")
    for _ in range(80):
        current = state(scope)
        TALLY.screens += 1
        if current["progress"] is not None:
            TALLY.progress.append(current["progress"])
        if current["state"] == "step":
            if keyboard:
                answer_step(scope, answers, questions, key_answer)
            else:
                answer_step(scope, answers, questions, set_answer)
            if on_step:
                on_step(state(scope))
            heading = current["heading"]
            if keyboard:
                now = active(scope)
                if not (now and now["tag"] == "INPUT" and now["type"] in ("text", "radio", "checkbox")):
                    tab_to(scope, lambda a: a["tag"] == "BUTTON" and a["type"] == "submit")
                _press(scope, "Enter")  # submits the form, from a field as from the Next button
            else:
                _click(scope.locator('hip-pelvic-screener button[type="submit"]'))
            after = wait_for(scope, *AFTER_NEXT)
            assert after["errors"] is None, f"{heading}: {after['errors']}"
            assert after["heading"] != heading or after["state"] != "step"
            # Focus moves to the new step's heading (or the check-your-answers or emergency heading).
            assert after["focused"] in ("hps-step-heading", "hps-emergency-heading", "H2"), after
        elif current["state"] == "emergency":
            if on_step:
                on_step(current)
            press(scope, "#hps-continue", keyboard)
            after = wait_for(scope, "step", "review")
            assert after["focused"] in ("hps-step-heading", "H2"), after
        elif current["state"] == "review":
            if on_step:
                on_step(current)
            if keyboard:
                tab_to(scope, lambda a: a["id"] == "hps-submit")
                _press(scope, "Enter")
            else:
                _click(scope.locator("hip-pelvic-screener #hps-submit"))
            current = wait_for(scope, "result", "submit-error")
            assert current["state"] == "result", current
            TALLY.screens += 1
            if on_step:
                on_step(current)
            return current
        else:
            raise AssertionError(f"unexpected state {current}")
    raise AssertionError("the flow did not end")


def _keyboard(scope: Any) -> Any:
    page = scope.page if hasattr(scope, "page") else scope
    return page.keyboard


def active(scope: Any) -> dict[str, Any]:
    found: dict[str, Any] = scope.evaluate(ACTIVE_JS)
    return found


def tab_to(scope: Any, wanted: Callable[[dict[str, Any]], bool], limit: int = 120) -> dict[str, Any]:
    for _ in range(limit):
        _press(scope, "Tab")
        now = active(scope)
        if now and wanted(now):
            return now
    raise AssertionError("Tab never reached the wanted control")


def key_answer(scope: Any, qid: str, value: Any, item: dict[str, Any]) -> None:
    """Answer with the keyboard only: Tab to the control, then arrows, Space or typing. A
    checklist statement with its negative answer is left for "None of these" (or unticked)."""
    if is_statement(item):
        if is_negative(item, value):
            return
        if is_other(item, value):
            tab_to(scope, lambda a: a["name"] == f"hps-other-{qid}" and a["value"] == str(value))
            _press(scope, "Space")
            return
        tab_to(scope, lambda a: a["id"] == f"hps-s-{qid}")
        _press(scope, "Space")
        follow = _follow_up_values(item, value)
        if follow:
            shown = [str(o["value"]) for o in item["options"] if not is_negative(item, _as_answer(item, o["value"]))]
            _key_choose(scope, qid, item, follow, shown)
        return
    now = tab_to(scope, lambda a: a["name"] == qid)
    if item["type"] == "integer":
        _type(scope, str(value))
        return
    if item["type"] == "scale":
        _press(scope, "Home")
        for _ in range(int(value) - item["min"]):
            _press(scope, "ArrowRight")
        return
    _key_choose(scope, qid, item, _input_values(value), [str(o["value"]) for o in item.get("options", [])], now)


def _as_answer(item: dict[str, Any], option: str) -> Any:
    return [option] if item["type"] == "multi_choice" else option


def _key_choose(
    scope: Any, qid: str, item: dict[str, Any], wanted: list[str], names: list[str], now: Any = None
) -> None:
    """Radios: one Tab stop, arrows move and select; checkboxes: Tab through, Space to tick."""
    if now is None:
        now = tab_to(scope, lambda a: a["name"] == qid)
    if now["type"] == "checkbox":
        while True:
            if now["value"] in wanted and not now["checked"]:
                _press(scope, "Space")
            if now["value"] == names[-1]:
                return
            _press(scope, "Tab")
            now = active(scope)
    order = ["true", "false"] if item["type"] == "boolean" else names
    steps = order.index(wanted[0]) - order.index(now["value"])
    if steps == 0:
        _press(scope, "Space")
    for _ in range(abs(steps)):
        _press(scope, "ArrowDown" if steps > 0 else "ArrowUp")
    assert active(scope)["value"] == wanted[0] and active(scope)["checked"], (qid, active(scope))
