"""Drive the <hip-pelvic-screener> widget like a person would: with the pointer, or with the
keyboard only. ``scope`` is a Playwright Page or Frame holding one widget."""

from collections.abc import Callable
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
  };
}"""

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


def set_answer(scope: Any, qid: str, value: Any, item: dict[str, Any]) -> None:
    """Answer with the pointer (click radios and checkboxes, type numbers)."""
    if item["type"] == "integer":
        scope.locator(f'hip-pelvic-screener input[name="{qid}"]').fill(str(value))
        return
    for option in _input_values(value):
        scope.locator(f'hip-pelvic-screener input[name="{qid}"][value="{option}"]').check()


def answer_step(scope: Any, answers: dict[str, Any], questions: dict[str, dict[str, Any]], answer: Any) -> list[str]:
    """Answer every question the step shows (including ones that appear on the way)."""
    done: list[str] = []
    while True:
        todo = [qid for qid in state(scope)["questions"] if qid not in done]
        if not todo:
            return done
        for qid in todo:
            done.append(qid)
            assert qid in answers, f"the widget shows {qid}, which the server's skip logic does not ask"
            answer(scope, qid, answers[qid], questions[qid])


# After Next the widget checks the answers so far (POST .../progress): "checking" until then.
AFTER_NEXT = ("step", "review", "emergency", "check-error")


def press(scope: Any, selector: str, keyboard: bool) -> None:
    """Activate a button: Tab to it and press Enter, or click it."""
    if keyboard:
        element_id = selector.removeprefix("#")
        tab_to(scope, lambda a: a["id"] == element_id)
        _keyboard(scope).press("Enter")
    else:
        scope.locator(f"hip-pelvic-screener {selector}").click()


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
        if current["state"] == "step":
            if keyboard:
                answer_step(scope, answers, questions, lambda s, q, v, i: key_answer(s, q, v, i))
            else:
                answer_step(scope, answers, questions, set_answer)
            if on_step:
                on_step(state(scope))
            heading = current["heading"]
            if keyboard:
                tab_to(scope, lambda a: a["tag"] == "BUTTON" and a["type"] == "submit")
                _keyboard(scope).press("Enter")
            else:
                scope.locator('hip-pelvic-screener button[type="submit"]').click()
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
                _keyboard(scope).press("Enter")
            else:
                scope.locator("hip-pelvic-screener #hps-submit").click()
            current = wait_for(scope, "result", "submit-error")
            assert current["state"] == "result", current
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
        _keyboard(scope).press("Tab")
        now = active(scope)
        if now and wanted(now):
            return now
    raise AssertionError("Tab never reached the wanted control")


def key_answer(scope: Any, qid: str, value: Any, item: dict[str, Any]) -> None:
    """Answer with the keyboard only: Tab to the control, then arrows, Space or typing."""
    keyboard = _keyboard(scope)
    now = tab_to(scope, lambda a: a["name"] == qid)
    if item["type"] == "integer":
        keyboard.type(str(value))
        return
    wanted = _input_values(value)
    if now["type"] == "checkbox":
        names = [str(o["value"]) for o in item["options"]]
        while True:
            if now["value"] in wanted and not now["checked"]:
                keyboard.press("Space")
            if now["value"] == names[-1]:
                return
            keyboard.press("Tab")
            now = active(scope)
    # A radio group is one Tab stop; arrows move and select.
    if item["type"] == "boolean":
        order = ["true", "false"]
    elif item["type"] == "scale":
        order = [str(n) for n in range(item["min"], item["max"] + 1)]
    else:
        order = [str(o["value"]) for o in item["options"]]
    steps = order.index(wanted[0]) - order.index(now["value"])
    if steps == 0:
        keyboard.press("Space")
    for _ in range(abs(steps)):
        keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    assert active(scope)["value"] == wanted[0] and active(scope)["checked"], (qid, active(scope))
