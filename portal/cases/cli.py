"""`flask cases import FILE`, and the demo cases loaded by `flask demo load`."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import click
from flask.cli import AppGroup

from ..db import get_session
from .importer import ImportFailed, ImportReport, import_cases, record_failed_import

cases_cli = AppGroup("cases", help="Case data exported from the internal case system.")

# The demo party of content/cases/sample-cases.jsonl (fictional).
DEMO_PARTY = ("示检刑诉〔2026〕1247号", "陈晓峰", "11010519880512027X")


def _actor() -> str:
    from ..cli import _cli_actor  # the CLI module imports this one

    return _cli_actor()


def run_import(path: Path, actor: str) -> ImportReport:
    """Import one file with a progress bar; on problems, print them all and change nothing."""
    db = get_session()
    data = path.read_bytes()
    bars: list = []
    with ExitStack() as stack:

        def progress(done: int, total: int) -> None:
            if not bars:
                bar = click.progressbar(length=total, label="Importing", show_pos=True)
                bars.append(stack.enter_context(bar))
            bars[0].update(done - bars[0].pos)

        try:
            report = import_cases(db, data, filename=path.name, actor=actor, progress=progress)
        except ImportFailed as failed:
            failure = failed
        else:
            failure = None
    if failure is not None:
        db.rollback()
        record_failed_import(db, filename=path.name, actor=actor, problems=len(failure.problems))
        db.commit()
        for problem in failure.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(
            f"{len(failure.problems)} problems in {path.name}: nothing was imported."
        )
    db.commit()
    click.echo(
        f"{report.rows} cases read: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged."
    )
    return report


@cases_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import cases from a JSON Lines or CSV export (UTF-8 or GBK); safe to run again."""
    run_import(file, _actor())


def load_demo_cases(content_dir: Path, actor: str) -> None:
    """Import the sample cases and say how to try the party inquiry."""
    path = content_dir / "cases" / "sample-cases.jsonl"
    if not path.exists():
        return
    click.echo("Cases:")
    run_import(path, actor)
    number, name, id_number = DEMO_PARTY
    click.echo(
        f"Try the case inquiry (/cases/inquiry) as a party: case number {number}, "
        f"name {name}, identity number {id_number} (all fictional)."
    )
