"""A realistic mix of answer sets (the golden cases the engine accepts) and the wrk Lua scripts.

Every script ends with a ``done`` hook printing one machine-readable BENCH_RESULT line.
"""

import json
from pathlib import Path

from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.engine.golden import load_cases
from app.engine.ruleset import RuleSet

RESULT_TAG = "BENCH_RESULT"

_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "%s requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d mean_us=%.1f max_us=%d "
    .. "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\\n",
    "RESULT_TAG", summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
""".replace("RESULT_TAG", RESULT_TAG)


def load_mix(ruleset: RuleSet) -> tuple[list[dict[str, object]], int]:
    """Full answer sets of every golden case that ``screen`` accepts, in file order, and how
    many cases it rejected (cases that expect a rejection are not a screening's workload)."""
    mix, rejected = [], 0
    for _file, _case, answers in load_cases(ruleset):
        try:
            screen(ruleset, answers)
        except AnswersError:
            rejected += 1
            continue
        mix.append(answers)
    return mix, rejected


def partial_answers(ruleset: RuleSet, mix: list[dict[str, object]]) -> list[dict[str, object]]:
    """What the widget sends to ``/progress`` while a person answers: each answer set of the mix
    as it stands after a quarter, a half and three quarters of the questionnaire."""
    position = {qid: index for index, qid in enumerate(ruleset.questions)}
    cuts = [len(position) * quarter // 4 for quarter in (1, 2, 3)]
    return [{qid: value for qid, value in answers.items() if position[qid] < cut} for answers in mix for cut in cuts]


def request_body(answers: dict[str, object]) -> bytes:
    """The JSON a browser would send (compact, like ``JSON.stringify``)."""
    return json.dumps({"answers": answers}, separators=(",", ":")).encode()


def _lua_long_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def write_post_script(path: Path, bodies: list[bytes]) -> Path:
    """A wrk script POSTing the bodies in turn (per thread), as application/json."""
    items = ",\n".join("  " + _lua_long_string(body.decode()) for body in bodies)
    path.write_text(
        f"""local bodies = {{
{items}
}}
local prepared = {{}}
local next_index = 0

init = function(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  for i, body in ipairs(bodies) do
    prepared[i] = wrk.format(nil, nil, nil, body)
  end
end

request = function()
  next_index = next_index % #prepared + 1
  return prepared[next_index]
end
{_DONE}"""
    )
    return path


def write_get_script(path: Path) -> Path:
    """A wrk script for a static GET (headers come from ``-H``): only the ``done`` hook."""
    path.write_text(_DONE)
    return path
