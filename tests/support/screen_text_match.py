"""Compare a result's texts with the locale texts they were rendered from: terms named in full
or short go back to their ``{term:<name>}`` marker, and an answer slot matches any label."""

import re
from collections.abc import Mapping

from app.engine.screen_texts import ANSWER, terms_of


def as_template(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each term's full and short form put back as its marker, longest first
    (a short form can be part of another term's full form)."""
    forms = [(form, name) for name, term in terms_of(values).items() for form in (term.full, term.short)]
    for form, name in sorted(forms, key=lambda pair: -len(pair[0])):
        text = text.replace(form, "{term:" + name + "}")
    return text


def rendered_from(template: str, text: str, values: Mapping[str, object]) -> bool:
    """Whether ``text`` is ``template`` with its terms named and its answer slots filled."""
    pattern = "".join(".+?" if index % 2 else re.escape(part) for index, part in enumerate(ANSWER.split(template)))
    return re.fullmatch(pattern, as_template(text, values), flags=re.DOTALL) is not None
