"""A verified receipt as a one-document PDF summary for a clinician (fpdf2, built-in fonts)."""

from typing import cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.clinics import Clinic
from app.receipts.labels import labels_for
from app.schemas.receipt import VerifiedReceipt

# The built-in PDF fonts cover Windows-1252 (English and French); a few other characters the
# texts use get their nearest equivalent there, anything else a "?".
_PLAIN = str.maketrans({"\u2011": "-", "\u2010": "-", "\u202f": " ", "\u2265": ">=", "\u2264": "<=", "\u2212": "-"})


def _plain(text: str) -> str:
    return text.translate(_PLAIN).encode("cp1252", "replace").decode("cp1252")


class _Document(FPDF):
    """Text blocks wrapped here, word by word, then written a line per cell: fpdf2's own
    multi_cell measures each line again for every character added (about 200 ms a summary)."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = "windows-1252"
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 16, 18)
        self.add_page()

    def _width(self, text: str) -> float:
        # The built-in font's widths (1/1000 of the font size), as get_string_width sums them.
        widths = cast(dict[str, float], getattr(self.current_font, "cw", {}))
        return sum(widths.get(char, 500.0) for char in text) * self.font_size / 1000

    def _lines(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        space = self._width(" ")
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split():
                size = self._width(word)
                while size > width and len(word) > 1:  # a word longer than the line: cut it
                    cut = max(1, int(len(word) * width / size) - 1)
                    if line:
                        lines.append(line)
                        line, used = "", 0.0
                    lines.append(word[:cut])
                    word = word[cut:]
                    size = self._width(word)
                if line and used + space + size > width:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = (f"{line} {word}", used + space + size) if line else (word, size)
            lines.append(line)
        return lines

    def para(self, text: str, size: float = 10, style: str = "", gap: float = 1.5, indent: float = 0) -> None:
        self.set_font("helvetica", style, size)
        width = self.w - self.l_margin - self.r_margin - indent
        for line in self._lines(_plain(text), width):
            self.set_x(self.l_margin + indent)
            self.cell(width, size * 0.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.para(text, size=12, style="B")

    def bullet(self, text: str, indent: float = 4) -> None:
        self.para(f"- {text}", gap=0.5, indent=indent)


def render_pdf(summary: VerifiedReceipt, clinic: Clinic | None = None) -> bytes:
    """The summary: date and time, the level and what to do, each reason with the answers it
    read, the findings per domain, every answer by section, the rule set, the disclaimer and,
    when a clinic is named, its contact details."""
    signed = summary.signed
    labels = labels_for(summary.result.language if summary.result else signed.language)
    answers = {a.question: a for section in summary.answers for a in section.answers}
    doc = _Document()
    doc.set_title(labels.title)
    doc.para(labels.title, size=16, style="B", gap=3)
    doc.para(f"{labels.issued}: {summary.issued_at.replace('T', ' ').replace('Z', ' UTC')}")
    doc.para(f"{labels.valid_until}: {summary.expires_at.replace('T', ' ').replace('Z', ' UTC')}")
    result = summary.result
    doc.ln(2)
    doc.para(result.headline if result else signed.level, size=13, style="B")
    doc.para(f"({signed.level})", size=9)
    for note in summary.notes:
        doc.para(note, size=9, style="I")
    if result is not None:
        doc.heading(labels.what_to_do)
        for step in result.next_steps:
            doc.bullet(step)
        if result.reasons:
            doc.heading(labels.why)
        for reason in result.reasons:
            doc.para(reason.text, gap=0.5)
            for qid in reason.questions:
                if qid in answers:
                    doc.bullet(f"{labels.answered}: {answers[qid].text} {answers[qid].answer}", indent=6)
            doc.ln(1.5)
        doc.heading(labels.findings)
        for finding in result.findings.model_dump().values():
            doc.para(f"{finding['label']}: {finding['text']}", gap=0.8)
        for advice in result.advice:
            doc.para(advice.text, gap=0.8)
    doc.heading(labels.answers)
    for section in summary.answers:
        doc.para(section.title, size=10.5, style="B", gap=0.5)
        for answered in section.answers:
            doc.bullet(f"{answered.text} {answered.answer}")
        doc.ln(1)
    if summary.skipped:
        doc.para(f"{labels.skipped}: {', '.join(summary.skipped)}", size=9)
    doc.heading(labels.ruleset)
    version = f"{signed.ruleset.id} {signed.ruleset.version} (sha256 {signed.ruleset.sha256[:12]}...)"
    if summary.served_ruleset and not summary.same_ruleset:
        version += f"; {labels.served_now}: {summary.served_ruleset.version}"
    doc.para(version, size=9)
    doc.para(f"{labels.verified_by} {summary.key_id} ({summary.issuer})", size=9)
    if result is not None:
        doc.ln(2)
        doc.para(result.disclaimer, size=9, style="I")
    if clinic is not None:
        doc.heading(f"{labels.clinic}: {clinic.name}")
        if clinic.phone:
            doc.para(f"{labels.phone}: {clinic.phone}")
        if clinic.booking_url:
            doc.para(f"{labels.booking}: {clinic.booking_url}")
    return bytes(doc.output())
