"""The six triage levels, ordered from most to least urgent (content spec section 2)."""

from enum import Enum


class Level(Enum):
    """A triage level. Comparisons follow urgency, so ``max()`` picks the most urgent.

    Deliberately not a ``str`` subclass: str's own comparison operators would order the
    levels alphabetically and silently pick the wrong one.
    """

    EMERGENCY = "emergency"
    URGENT_SAME_DAY = "urgent_same_day"
    PROMPT_MEDICAL_REVIEW = "prompt_medical_review"
    RECOMMEND_PELVIC_FLOOR_PHYSIO = "recommend_pelvic_floor_physio"
    CONSIDER_PELVIC_FLOOR_PHYSIO = "consider_pelvic_floor_physio"
    GENERAL_ADVICE = "general_advice"

    @property
    def urgency(self) -> int:
        """Higher is more urgent: general_advice is 0, emergency is 5."""
        return _URGENCY[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.urgency < other.urgency

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.urgency <= other.urgency

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.urgency > other.urgency

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.urgency >= other.urgency


_URGENCY = {level: 5 - position for position, level in enumerate(Level)}

LEVEL_IDS: tuple[str, ...] = tuple(level.value for level in Level)

ACT_FIRST: frozenset[Level] = frozenset({Level.EMERGENCY, Level.URGENT_SAME_DAY})
"""Levels whose result screen shows what to do before why (the widget's URGENT mirrors it)."""
