"""The words a receipt's summary adds around the rule set's own texts (PDF headings, yes and
no, notes), in the languages the rule set is written in; English for any other."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    yes: str
    no: str
    title: str
    issued: str
    valid_until: str
    what_to_do: str
    why: str
    answered: str
    findings: str
    answers: str
    skipped: str
    ruleset: str
    served_now: str
    clinic: str
    booking: str
    phone: str
    verified_by: str
    other_version: str  # {signed} {served}
    level_changed: str  # {signed} {served}
    not_screened: str
    gone: str


_LABELS = {
    "en": Labels(
        yes="Yes",
        no="No",
        title="Hip and pelvic floor check: summary",
        issued="Date and time",
        valid_until="Receipt valid until",
        what_to_do="What to do",
        why="Why",
        answered="Answered",
        findings="What the answers show",
        answers="All answers",
        skipped="Skipped",
        ruleset="Rule set",
        served_now="served now",
        clinic="Clinic",
        booking="Booking",
        phone="Phone",
        verified_by="Signature verified with key",
        other_version="The rule set served now ({served}) is not the one that issued this receipt ({signed}): "
        "the result below was screened again with {served}.",
        level_changed="Screened again, the answers give another level ({served}) than the receipt states ({signed}).",
        not_screened="The answers cannot be screened again by the rule set served now; the receipt's level stands.",
        gone="This questionnaire is no longer served; the receipt's level and answers stand as signed.",
    ),
    "fr": Labels(
        yes="Oui",
        no="Non",
        title="Bilan hanche et plancher pelvien : résumé",
        issued="Date et heure",
        valid_until="Reçu valable jusqu'au",
        what_to_do="Que faire",
        why="Pourquoi",
        answered="Réponse",
        findings="Ce que montrent les réponses",
        answers="Toutes les réponses",
        skipped="Sans réponse",
        ruleset="Jeu de règles",
        served_now="en service",
        clinic="Cabinet",
        booking="Rendez-vous",
        phone="Téléphone",
        verified_by="Signature vérifiée avec la clé",
        other_version="Le jeu de règles en service ({served}) n'est pas celui qui a émis ce reçu ({signed}) : "
        "le résultat ci-dessous a été recalculé avec {served}.",
        level_changed="Recalculées, les réponses donnent un autre niveau ({served}) que celui du reçu ({signed}).",
        not_screened="Les réponses ne peuvent pas être recalculées par le jeu de règles en service ; "
        "le niveau du reçu reste valable.",
        gone="Ce questionnaire n'est plus en service ; le niveau et les réponses du reçu restent tels que signés.",
    ),
}


def labels_for(language: str) -> Labels:
    return _LABELS.get(language, _LABELS["en"])
