"""The ``polyocr`` command line. Each command is a thin shell over a library function."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from polyocr.errors import PolyocrError


def _warn_problems(problems: list) -> None:
    for problem in problems:
        click.echo(f"polyocr: warning: {problem} (skipped)", err=True)


def _languages():
    from polyocr.lang.registry import load_languages

    langs = load_languages()
    _warn_problems(langs.problems)
    return langs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="polyocr")
def cli() -> None:
    """Fast multilingual OCR whose languages are plugin packages."""


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (fonts, coverage, text sources).")
def languages(as_json: bool) -> None:
    """List the installed language packs."""
    from polyocr.lang.summary import summarize

    summaries = [summarize(pack) for pack in _languages().packs.values()]
    if as_json:
        click.echo(json.dumps([s.model_dump() for s in summaries], ensure_ascii=False, indent=2))
        return
    if not summaries:
        click.echo("no language packs installed (pip install polyocr-lang-en, or see `polyocr lang new`)")
        return
    header = f"{'code':<8} {'name':<22} {'package':<22} {'families':>8} {'faces':>6} {'charset':>8} {'coverage':>9} {'lines':>8}"
    click.echo(header)
    for s in summaries:
        click.echo(
            f"{s.code:<8} {s.name:<22} {s.package + ' ' + (s.version or ''):<22} {len(s.families):>8} "
            f"{len(s.fonts):>6} {s.charset_size:>8} {s.coverage:>9.4f} {s.text_lines:>8}"
        )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins(as_json: bool) -> None:
    """List the loaded plugins and the ones that failed."""
    from polyocr.plugins import get_plugin_manager

    manager = get_plugin_manager()
    rows = [
        {"name": p.name, "module": p.module, "distribution": p.distribution, "version": p.version, "builtin": p.builtin,
         "hooks": sorted(c.name for c in manager.pm.get_hookcallers(manager.pm.get_plugin(p.name)) or [])}
        for p in manager.plugins()
    ]
    problems = [str(p) for p in manager.problems]
    if as_json:
        click.echo(json.dumps({"plugins": rows, "problems": problems}, indent=2))
        return
    for row in rows:
        origin = "built-in" if row["builtin"] else f"{row['distribution']} {row['version']}"
        click.echo(f"{row['name']:<20} {origin:<28} {', '.join(row['hooks'])}")
    for problem in problems:
        click.echo(f"FAILED {problem}")


@cli.group()
def lang() -> None:
    """Create and check language packs."""


@lang.command("check")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def lang_check(code: str, as_json: bool) -> None:
    """Check a language pack: fonts, charset coverage, text sources. Exit 1 on any error."""
    from polyocr.lang.check import check_pack

    pack = _languages().get(code)
    findings = check_pack(pack)
    errors = [f for f in findings if f.level == "error"]
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        fonts = pack.fonts()
        click.echo(
            f"{code}: {len(pack.charset)} characters, {len(fonts.families)} font families "
            f"({len(fonts.faces)} faces), {len(errors)} error(s)"
        )
    if errors:
        sys.exit(1)


@lang.command("new")
@click.argument("code")
@click.option("--name", required=True, help="English name of the language, e.g. 'Thai'.")
@click.option("--native-name", help="The language's name for itself.")
@click.option("--script", "scripts", multiple=True, default=("Latn",), show_default=True,
              help="ISO 15924 script code; repeat for several.")
@click.option("--locale", help="POSIX locale for generated fields, e.g. th_TH.")
@click.option("--bcp47", help="BCP 47 tag for the shaper, e.g. th.")
@click.option("--unspaced", is_flag=True, help="The script is written without spaces between words.")
@click.option("--dir", "root", type=click.Path(file_okay=False, path_type=Path), default=Path("languages"),
              show_default=True, help="Folder to create the pack in.")
def lang_new(code: str, name: str, native_name: str | None, scripts: tuple[str, ...], locale: str | None,
             bcp47: str | None, unspaced: bool, root: Path) -> None:
    """Scaffold languages/CODE as an installable language pack."""
    from pydantic import ValidationError

    from polyocr.lang.scaffold import ScaffoldOptions, scaffold_pack

    try:
        target = scaffold_pack(root, ScaffoldOptions(code, name, native_name, tuple(scripts), locale, bcp47, unspaced))
    except ValidationError as exc:
        raise PolyocrError(f"invalid language options: {exc.errors()[0]['msg']}") from None
    click.echo(f"created {target}; next: fill in charset, fonts and text, then `pip install -e {target}` "
               f"and `polyocr lang check {code}`")


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the vocabulary JSON here.")
@click.option("--extend", "base", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Start from a saved vocabulary and append the installed packs' new characters.")
def vocab(out: Path | None, base: Path | None) -> None:
    """Build the model vocabulary from the installed packs (stable ids; extending only appends)."""
    from polyocr.lang.vocabulary import Vocabulary

    packs = list(_languages().packs.values())
    vocabulary = Vocabulary.load(base).extended(packs) if base else Vocabulary.from_packs(packs)
    click.echo(f"{len(vocabulary)} classes (blank, space, {len(vocabulary) - 2} characters) from "
               f"{', '.join(vocabulary.languages) or 'no packs'}")
    if out:
        vocabulary.save(out)
        click.echo(f"wrote {out}")


def _register_subcommands() -> None:
    """Command groups that live beside the code they drive (datasets, training, OCR)."""
    from polyocr.data.cli import dataset, generate
    from polyocr.eval.cli import evaluate_cmd
    from polyocr.infer.cli import read
    from polyocr.train.cli import train

    for command in (read, generate, dataset, train, evaluate_cmd):
        cli.add_command(command)


def main() -> None:
    """Entry point: library errors become one-line messages and a non-zero exit status."""
    try:
        _register_subcommands()
        status = cli.main(standalone_mode=False)
        if isinstance(status, int) and status:
            sys.exit(status)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except PolyocrError as exc:
        click.echo(f"polyocr: error: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(141)


if __name__ == "__main__":
    main()
