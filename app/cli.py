"""The ``screener`` command: check and test rule sets, evaluate a file, print the spec, serve."""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.config import Settings
from app.engine.errors import AnswersError, RuleSetError
from app.engine.evaluator import screen
from app.engine.golden import rules_never_fired, run_cases
from app.engine.loader import load_rulesets
from app.engine.ruleset import RuleSet


def _load(rules_dir: Path) -> dict[str, RuleSet] | None:
    try:
        return load_rulesets(rules_dir)
    except RuleSetError as exc:
        _report(exc)
        return None


def _report(exc: RuleSetError) -> None:
    print(exc, file=sys.stderr)
    for issue in exc.issues:
        print(f"  {issue}", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    rulesets = _load(args.rules_dir)
    if rulesets is None:
        return 1
    for ruleset in rulesets.values():
        print(f"ok  {ruleset.id} {ruleset.version}: {len(ruleset.questions)} questions, {len(ruleset.rules)} rules")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    rulesets = _load(args.rules_dir)
    if rulesets is None:
        return 1
    failed = 0
    for ruleset in rulesets.values():
        try:
            results = run_cases(ruleset)
        except ValueError as exc:
            print(f"error {exc}", file=sys.stderr)
            return 1
        for result in results:
            print(f"{'pass' if result.passed else 'FAIL'}  {ruleset.id}::{result.label}")
            for failure in result.failures:
                print(f"        {failure}")
        unfired = rules_never_fired(ruleset, results)
        failed += sum(not r.passed for r in results) + len(unfired)
        print(f"{ruleset.id}: {sum(r.passed for r in results)} passed, {sum(not r.passed for r in results)} failed")
        if unfired:
            print(f"{ruleset.id}: rules no case fires: {', '.join(unfired)}")
    return 1 if failed else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from app.schemas.screening import ScreeningResult

    rulesets = _load(args.rules_dir)
    if rulesets is None:
        return 1
    ruleset = rulesets.get(args.questionnaire)
    if ruleset is None:
        print(f"no questionnaire '{args.questionnaire}'; known: {', '.join(rulesets)}", file=sys.stderr)
        return 1
    try:
        document = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    answers = document.get("answers", document) if isinstance(document, dict) else None
    if not isinstance(answers, dict):
        print(f'{args.file}: expected an object of answers (or {{"answers": {{...}}}})', file=sys.stderr)
        return 1
    try:
        evaluation = screen(ruleset, answers)
    except AnswersError as exc:
        for issue in exc.issues:
            print(f"{issue.pointer}: {issue.detail} [{issue.code}]", file=sys.stderr)
        return 1
    language = args.lang if args.lang in ruleset.languages else ruleset.default_language
    print(ScreeningResult.build(ruleset, evaluation, answers, language).model_dump_json(indent=2))
    return 0


def cmd_source(args: argparse.Namespace) -> int:
    rulesets = _load(args.rules_dir)
    if rulesets is None:
        return 1
    for ruleset in rulesets.values():
        if args.ruleset in (None, ruleset.id):
            # The function the service runs for valid, complete answers (check, skip logic and rules in one).
            print(f"# {ruleset.id} {ruleset.version}: generated from its rules.yaml and questions.yaml")
            print(getattr(ruleset.fast_screen, "__source__", "# (no source kept)"))
    return 0


def cmd_review_pack(args: argparse.Namespace) -> int:
    from app.review_pack import write_review_pack

    rulesets = _load(args.rules_dir)
    if rulesets is None:
        return 1
    for ruleset in rulesets.values():
        for path in write_review_pack(ruleset, args.out):
            print(f"wrote {path}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from app.engine.loader import load_ruleset
    from app.ruleset_diff import diff_outcomes

    try:
        old, new = load_ruleset(args.old), load_ruleset(args.new)
    except RuleSetError as exc:
        print(exc, file=sys.stderr)
        return 1
    changes, total = diff_outcomes(old, new)
    print(f"{old.id} {old.version} -> {new.id} {new.version}: {len(changes)} of {total} golden-case outcomes change")
    kinds = ("raised", "lowered", "rules", "not comparable")
    print("  " + ", ".join(f"{kind}: {sum(change.kind == kind for change in changes)}" for kind in kinds))
    for kind in kinds:
        for change in changes:
            if change.kind == kind:
                print(f"  {change.case}  ({kind})\n      old: {change.old}\n      new: {change.new}")
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    from app.main import create_app

    print(json.dumps(create_app().openapi(), indent=2, sort_keys=True))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.api.catalog import Catalog

    target: Any = "app.main:app"  # with --reload, each server process loads its own
    if not args.reload:
        # Loaded and checked once, here: a broken rule set stops with its reason before uvicorn
        # starts, and the app serves this very catalog.
        try:
            catalog = Catalog.load(args.rules_dir)
        except RuleSetError as exc:
            _report(exc)
            return 2
        from app.main import app

        app.state.catalog = catalog
        target = app
    settings = Settings()
    uvicorn.run(
        target,
        host=args.host,
        port=args.port,
        reload=args.reload,
        server_header=False,
        # uvloop kept new connections waiting seconds to be accepted during a burst of others
        # (probes included; make hostile): asyncio's own loop does not.
        loop="asyncio",
        log_level="info",
        # The app writes its own JSON access line (route template, no query string).
        access_log=False,
        # In-flight requests get 10 s after SIGTERM (readiness is 503 from the signal on).
        timeout_graceful_shutdown=args.graceful_timeout,
        # A backstop above the app's own cap (SCREENER_MAX_IN_FLIGHT), which answers first
        # with a problem document; this one also counts idle keep-alive connections.
        limit_concurrency=settings.limit_concurrency or None,
        # X-Forwarded-For/-Proto rewrite the client address (the rate-limit key) and scheme,
        # but only when the connection comes from one of these proxies.
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="screener", description=__doc__)
    parser.add_argument("--rules-dir", type=Path, default=None, help="rule sets folder (default: SCREENER_RULES_DIR)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate every rule set").set_defaults(run=cmd_check)
    commands.add_parser("test", help="run the golden cases").set_defaults(run=cmd_test)
    evaluate = commands.add_parser("evaluate", help="screen the answers in a JSON file")
    evaluate.add_argument("file")
    evaluate.add_argument("--questionnaire", default="hip-pelvic-floor")
    evaluate.add_argument("--lang", default="en")
    evaluate.set_defaults(run=cmd_evaluate)
    commands.add_parser("openapi", help="print the OpenAPI document").set_defaults(run=cmd_openapi)
    source = commands.add_parser("source", help="print the Python the rules compile to (what the service runs)")
    source.add_argument("ruleset", nargs="?", help="a rule-set id (default: every rule set)")
    source.set_defaults(run=cmd_source)
    review = commands.add_parser("review-pack", help="write the clinical review pack (Markdown and HTML)")
    review.add_argument("--out", type=Path, default=Path("review-pack"))
    review.set_defaults(run=cmd_review_pack)
    diff = commands.add_parser("diff", help="golden-case outcomes that change between two rule-set folders")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.set_defaults(run=cmd_diff)
    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development only)")
    serve.add_argument(
        "--graceful-timeout", type=int, default=10, help="seconds in-flight requests get after SIGTERM (default 10)"
    )
    serve.set_defaults(run=cmd_serve)
    args = parser.parse_args(argv)
    if args.rules_dir is None:
        args.rules_dir = Settings().rules_dir
    elif args.command == "serve":
        import os

        os.environ["SCREENER_RULES_DIR"] = str(args.rules_dir)  # the served app reads its settings
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
