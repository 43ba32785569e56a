"""The clinical review pack: every question, rule, text, source and golden case of a rule set,
written as Markdown and HTML for sign-off by clinicians."""

from dataclasses import dataclass
from html import escape
from pathlib import Path

from app.engine.describe import describe
from app.engine.golden import CaseResult, run_cases
from app.engine.ruleset import RuleSet
from app.engine.screen_texts import terms_of


@dataclass(frozen=True)
class Block:
    kind: str  # h1, h2, h3, p, pre, table, ul
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def build_blocks(ruleset: RuleSet) -> list[Block]:
    """The pack's content, independent of output format."""
    results = run_cases(ruleset)
    fired_in: dict[str, list[CaseResult]] = {}
    for result in results:
        for rule in result.evaluation.fired if result.evaluation else ():
            fired_in.setdefault(rule.id, []).append(result)
    languages = ruleset.languages
    raw = ruleset.locales
    blocks = [
        Block("h1", f"Review pack: {ruleset.id} {ruleset.version}"),
        Block(
            "p",
            f"SHA-256 of the rule files: {ruleset.sha256}. Languages: {', '.join(languages)}. "
            f"{len(ruleset.questions)} questions, {len(ruleset.rules)} rules, {len(results)} golden cases "
            f"({sum(r.passed for r in results)} passing).",
        ),
        Block(
            "p",
            "Every rule and text below needs sign-off by qualified clinicians before clinical use. "
            "Texts are shown as written; {placeholders} are filled from the country table, {term:name} "
            "by the term table below (in full the first time a screen shows it, short after), and "
            "{answer:question} by the label of the answer given.",
        ),
    ]
    term_rows = [
        (f"{name} [{lang}]", term.full, term.short) for lang in languages for name, term in terms_of(raw[lang]).items()
    ]
    if term_rows:
        blocks += [Block("h2", "Terms"), Block("table", rows=(("term", "in full", "short"), *term_rows))]
    blocks.append(Block("h2", "Questions"))
    for section in ruleset.sections:
        blocks.append(
            Block("h3", f"Section {section.id}: {raw[ruleset.default_language][f'section.{section.id}.title']}")
        )
        intro = [raw[lang].get(f"section.{section.id}.intro") for lang in languages]
        if any(intro):
            blocks.append(
                Block("p", " / ".join(f"[{lang}] {text}" for lang, text in zip(languages, intro, strict=True) if text))
            )
        rows = []
        for qid in section.question_ids:
            question = ruleset.questions[qid]
            texts = "<br>".join(f"[{lang}] {raw[lang][f'question.{qid}.text']}" for lang in languages)
            options = "<br>".join(
                f"{value}: " + " / ".join(str(raw[lang][question.option_label_key(value)]) for lang in languages)
                for value in question.options
            )
            if question.min is not None:
                options = f"{question.min} to {question.max}"
            shown = "<br>".join(describe(question.enable_when, ruleset)) if question.enable_when else "always"
            rows.append((qid, question.type + (" (required)" if question.required else ""), texts, options, shown))
        blocks.append(Block("table", rows=(("id", "type", "text", "options", "shown when"), *rows)))
    blocks.append(Block("h2", "Predicates"))
    for name, condition in ruleset.predicates.items():
        blocks.append(Block("h3", name))
        blocks.append(Block("pre", "\n".join(describe(condition, ruleset))))
    blocks.append(Block("h2", "Rules"))
    for rule in ruleset.rules:
        blocks.append(Block("h3", f"{rule.id} → {rule.level.value}"))
        blocks.append(Block("pre", "\n".join(describe(rule.condition, ruleset))))
        blocks.append(Block("ul", rows=tuple((f"[{lang}] {raw[lang][f'rule.{rule.id}']}",) for lang in languages)))
        # Shown instead of the text above when a more urgent rule sets the result's level.
        blocks.append(
            Block(
                "ul",
                rows=tuple(
                    (f"[{lang}] below the result's level: {raw[lang][f'told.{rule.id}']}",) for lang in languages
                ),
            )
        )
        whys = [raw[lang].get(f"why.{rule.id}") for lang in languages]
        if any(whys):
            blocks.append(
                Block("ul", rows=tuple((f"[{lang}] why: {w}",) for lang, w in zip(languages, whys, strict=True) if w))
            )
        sources = tuple((f"{s.id}: {s.title} — {s.url}",) for s in rule.sources) or (("no source (design choice)",),)
        blocks.append(Block("p", "Sources:"))
        blocks.append(Block("ul", rows=sources))
        cases = fired_in.get(rule.id, [])
        blocks.append(Block("p", f"Fires in {len(cases)} golden case(s):"))
        blocks.append(Block("ul", rows=tuple((case.label,) for case in cases) or (("NONE: add a golden case",),)))
    if ruleset.advice:
        blocks.append(Block("h2", "Advice flags (never change the level)"))
        for advice in ruleset.advice:
            blocks.append(Block("h3", advice.id))
            blocks.append(Block("pre", "\n".join(describe(advice.condition, ruleset))))
            blocks.append(
                Block("ul", rows=tuple((f"[{lang}] {raw[lang][f'advice.{advice.id}']}",) for lang in languages))
            )
    blocks.append(Block("h2", "Findings per domain"))
    for finding in ruleset.findings:
        blocks.append(Block("h3", finding.domain))
        for status, condition in (("some", finding.some_condition), ("marked", finding.marked_condition)):
            blocks.append(Block("p", f"{status} when:"))
            blocks.append(Block("pre", "\n".join(describe(condition, ruleset))))
    blocks.append(Block("h2", "Golden cases"))
    case_rows = tuple(
        (
            r.label,
            r.evaluation.level.value if r.evaluation else "rejected",
            ", ".join(rule.id for rule in r.evaluation.fired) if r.evaluation else "",
            "pass" if r.passed else "FAIL",
        )
        for r in results
    )
    blocks.append(Block("table", rows=(("case", "level", "reported rules", "status"), *case_rows)))
    return blocks


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            out.append("#" * int(block.kind[1]) + " " + block.text)
        elif block.kind == "p":
            out.append(block.text)
        elif block.kind == "pre":
            out.append("```text\n" + block.text + "\n```")
        elif block.kind == "ul":
            out.append("\n".join(f"- {row[0]}" for row in block.rows))
        elif block.kind == "table":
            header, *body = block.rows
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
            out.append("\n".join(lines))
        out.append("")
    return "\n".join(out)


def to_html(blocks: list[Block], title: str) -> str:
    def cell(text: str) -> str:
        return "<br>".join(escape(part) for part in text.split("<br>"))

    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:80rem;margin:auto;padding:1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem;vertical-align:top}"
        "pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap}</style></head><body>",
    ]
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            out.append(f"<{block.kind}>{escape(block.text)}</{block.kind}>")
        elif block.kind == "p":
            out.append(f"<p>{escape(block.text)}</p>")
        elif block.kind == "pre":
            out.append(f"<pre>{escape(block.text)}</pre>")
        elif block.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{escape(row[0])}</li>" for row in block.rows) + "</ul>")
        elif block.kind == "table":
            header, *body = block.rows
            out.append("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead><tbody>")
            out.extend("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in body)
            out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out)


def write_review_pack(ruleset: RuleSet, out_dir: Path) -> tuple[Path, Path]:
    """Write ``<id>-<version>-review.md`` and ``.html`` into ``out_dir``."""
    blocks = build_blocks(ruleset)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{ruleset.id}-{ruleset.version}-review"
    markdown, html = out_dir / f"{stem}.md", out_dir / f"{stem}.html"
    markdown.write_text(to_markdown(blocks), encoding="utf-8")
    html.write_text(to_html(blocks, f"Review pack {ruleset.id} {ruleset.version}"), encoding="utf-8")
    return markdown, html
