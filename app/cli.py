"""The `qiskills` command: serve, migrate, check content, and manage users."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from app.catalog import ContentErrors
from app.catalog.loader import check
from app.config import ConfigError, get_settings


def default_workers(production: bool) -> int:
    """One process in development (quick restarts, readable logs); every core in production."""
    return (os.cpu_count() or 1) if production else 1


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.catalog import load_catalog

    settings = get_settings()
    workers = args.workers or default_workers(settings.is_production)
    reload_content = args.reload_content and not settings.is_production
    if args.reload_content and settings.is_production:
        print("--reload-content is ignored in production: the content loads once", flush=True)
    if reload_content and workers != 1:
        print("--reload-content needs one worker (--workers 1)", file=sys.stderr)
        return 2
    try:
        # Broken content stops here, before any worker starts. The parent of several workers
        # only checks it: each worker builds its own app, so the parent stays small.
        if reload_content:  # later errors show in the page; at start-up they still stop it
            load_catalog(settings.content_dir)
        if workers == 1:
            from app.main import create_app

            app = create_app(settings, preview=reload_content)
        else:  # the app's modules are not even imported here: the parent stays small
            load_catalog(settings.content_dir)
    except ContentErrors as exc:
        print(f"Refusing to start: the content has {len(exc.errors)} error(s):", file=sys.stderr)
        for error in exc.errors:
            print(error, file=sys.stderr)
        return 1
    from app.services.mail import describe

    print(describe(settings), flush=True)
    if settings.development_signing_key:
        print(
            "Certificates: signed with a development key (QI_CERTIFICATE_KEY is not set); "
            "they say DEVELOPMENT and are not real",
            flush=True,
        )
    if workers == 1:
        from app.preview.web import SHUTDOWN_SECONDS

        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            proxy_headers=True,
            log_level=args.log_level,
            # Open pages hold a reload stream: on Ctrl+C, close them after a moment.
            timeout_graceful_shutdown=SHUTDOWN_SECONDS if reload_content else None,
        )
    else:
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=workers,
            proxy_headers=True,
            log_level=args.log_level,
        )
    return 0


def cmd_content_preview(args: argparse.Namespace) -> int:
    """Serve the app on the content in PATH, reloading it as it changes (app/preview/)."""
    import uvicorn

    from app.main import create_app
    from app.migrate import upgrade
    from app.preview.web import SHUTDOWN_SECONDS

    settings = get_settings()
    if settings.is_production:
        print("content preview is for development, not QI_ENVIRONMENT=production", file=sys.stderr)
        return 2
    path = Path(args.path).resolve() if args.path else settings.content_dir
    settings = settings.model_copy(update={"content_dir": path})
    upgrade(settings.database_url)
    app = create_app(settings, preview=True)
    live = app.state.live_content
    if not live.snapshot.ok:
        print(f"The content has {len(live.snapshot.errors)} error(s); the pages show them:")
        print(live.describe(live.snapshot))
    print(f"Previewing {path} on http://{args.host}:{args.port} (Ctrl+C stops it)", flush=True)
    # Open pages hold a reload stream: on Ctrl+C, close them after a moment.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    upgrade(get_settings().database_url, args.revision)
    return 0


def cmd_import_gift(args: argparse.Namespace) -> int:
    from app.gift.lessons import import_gift

    lesson = Path(args.into)
    if not lesson.is_file():
        print(f"{lesson}: no such lesson file", file=sys.stderr)
        return 1
    notes: list[str] = []
    problems = import_gift(Path(args.file), lesson, notes)
    for note in notes if not problems else []:
        print(f"{args.file}: {note}", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"Nothing imported: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"imported into {lesson}; run `qiskills content check` and review the new blocks")
    return 0


def cmd_export_gift(args: argparse.Namespace) -> int:
    from app.gift.lessons import export_gift

    exported = export_gift(Path(args.path))
    for skipped in exported.skipped:
        print(f"{skipped} (skipped)", file=sys.stderr)
    if args.output:
        Path(args.output).write_text(exported.text, encoding="utf-8")
    else:
        sys.stdout.write(exported.text)
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    """Print every error and warning as `path:line: reason` (or JSON); fail on errors, and on
    warnings too with --strict."""
    path = Path(args.path) if args.path else get_settings().content_dir
    report = check(path)
    modules, errors, warnings = report.modules, report.errors, report.warnings
    findings = sorted([*errors, *warnings], key=lambda f: (str(f.path), f.line))
    if args.json:
        print(json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            print(finding)
    summary = sys.stderr if args.json else sys.stdout
    if errors:
        print(f"{len(errors)} error(s) in {path}", file=sys.stderr)
        return 1
    if warnings and args.strict:
        print(f"{len(warnings)} warning(s) in {path}, and --strict fails on them", file=sys.stderr)
        return 1
    lessons = sum(len(m.lessons) for m in modules)
    questions = sum(len(lesson.questions) for m in modules for lesson in m.lessons)
    warned = f", {len(warnings)} warning(s)" if warnings else ""
    print(
        f"ok: {len(modules)} module(s), {lessons} lesson(s), {questions} question(s){warned}",
        file=summary,
    )
    return 0


def cmd_users_create(args: argparse.Namespace) -> int:
    """Create a user. The password is typed (or piped); there is no default password anywhere."""
    import getpass

    from sqlmodel import Session

    from app.db import make_engine
    from app.models import Role
    from app.services.accounts import register

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != password:
            print("The passwords do not match", file=sys.stderr)
            return 1
    settings = get_settings()
    engine = make_engine(settings.database_url)
    with Session(engine) as db:
        result = register(
            db,
            settings,
            name=args.name or args.email.split("@")[0],
            email=args.email,
            password=password,
            profession="",
            grade="other",
            organisation="",
            role=Role(args.role),
        )
    engine.dispose()
    if result.user is None:
        for field, message in result.errors.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 1
    print(f"created {result.user.role} {result.user.email}")
    return 0


def cmd_users_reset_password(args: argparse.Namespace) -> int:
    """Print a single-use reset link (1 hour) for an admin to pass on; audited as "cli"."""
    from sqlmodel import Session

    from app.db import make_engine
    from app.services import password_reset
    from app.services.accounts import find_by_email

    settings = get_settings()
    engine = make_engine(settings.database_url)
    with Session(engine) as db:
        user = find_by_email(db, args.email)
        token = password_reset.issue(db, user, via="cli") if user else None
    engine.dispose()
    if token is None:
        print(f"No account has the email address {args.email}", file=sys.stderr)
        return 1
    link = password_reset.reset_link(settings, token)
    print(link)
    if not link.startswith("http"):
        print("Put the site's address in front (set QI_BASE_URL to print it).", file=sys.stderr)
    print("It works once, for 1 hour. Give it to the person yourself.", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qiskills", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the app with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=0,
        help="processes to run (default: 1 in development, the number of cores in production)",
    )
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.add_argument(
        "--reload-content",
        action="store_true",
        help="development: reload the content when a file changes, as `content preview` does",
    )
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="upgrade the database to the newest migration")
    migrate.add_argument("revision", nargs="?", default="head")
    migrate.set_defaults(func=cmd_migrate)

    content = sub.add_parser("content", help="work with the Markdown content")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser(
        "check", help="validate content; print every error and warning as path:line: reason"
    )
    check.add_argument("path", nargs="?", help="content dir, module folder or lesson file")
    check.add_argument(
        "--json", action="store_true", help="print the findings as a JSON list, nothing else"
    )
    check.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    check.set_defaults(func=cmd_content_check)
    preview = content_sub.add_parser(
        "preview", help="serve the content, reloading pages when a file changes (development)"
    )
    preview.add_argument("path", nargs="?", help="content dir (default: QI_CONTENT_DIR)")
    preview.add_argument("--host", default="127.0.0.1")
    preview.add_argument("--port", type=int, default=8001)
    preview.add_argument("--log-level", default="warning", choices=["debug", "info", "warning"])
    preview.set_defaults(func=cmd_content_preview)
    gift_in = content_sub.add_parser(
        "import-gift", help="append a Moodle GIFT file's questions to a lesson (all or nothing)"
    )
    gift_in.add_argument("file", help="the .gift file")
    gift_in.add_argument(
        "--into", required=True, help="the lesson file, e.g. 01-three-questions.md"
    )
    gift_in.set_defaults(func=cmd_import_gift)
    gift_out = content_sub.add_parser(
        "export-gift", help="write the questions of a lesson, module or content dir as GIFT"
    )
    gift_out.add_argument("path", help="content dir, module folder or lesson file")
    gift_out.add_argument("--output", "-o", help="write here instead of standard output")
    gift_out.set_defaults(func=cmd_export_gift)

    users = sub.add_parser("users", help="manage users")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    create = users_sub.add_parser("create", help="create a user, e.g. the first admin")
    create.add_argument("--email", required=True)
    create.add_argument("--name")
    create.add_argument(
        "--role", default="trainee", choices=["trainee", "educator", "supervisor", "admin"]
    )
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.set_defaults(func=cmd_users_create)
    reset = users_sub.add_parser(
        "reset-password", help="print a single-use password reset link for someone"
    )
    reset.add_argument("--email", required=True)
    reset.set_defaults(func=cmd_users_reset_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
