""" "Did you mean" hints for unknown names, in rule files and in submitted answers."""

import difflib
from collections.abc import Iterable

_CUTOFF = 0.6


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name, or None when nothing is close: the same answer as
    ``difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)``, for less work. Each
    candidate's quick ratio bounds its exact one, so exact ratios are computed best bound
    first, and only while a bound can still beat (or, for the same tie-break, equal) the best."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)
    bounds = []
    for candidate in candidates:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= _CUTOFF and (bound := matcher.quick_ratio()) >= _CUTOFF:
            bounds.append((bound, candidate))
    best: tuple[float, str] | None = None
    for bound, candidate in sorted(bounds, reverse=True):
        if best is not None and bound < best[0]:
            break
        matcher.set_seq1(candidate)
        score = matcher.ratio()
        if score >= _CUTOFF and (best is None or (score, candidate) > best):
            best = (score, candidate)
    return best[1] if best is not None else None
