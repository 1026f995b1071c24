"""The workflows, one module per command family: assess (with fail_on, the --fail-on rule shared
with batch), batch, importing, portfolio and questionnaires (list, validate, template). A workflow
holds the order of the steps: read (readers), choose the questionnaire (catalogue.versions), check
and score (model), write (writers), and returns a result whose exit code errors.exit_code decides.
It reports problems as it goes through an output.console.Console; the CLI prints its result in
the format chosen (output.formats)."""

from typing import Optional

from risk_cli.errors import RiskCliError


def english_only(lang: Optional[str]) -> None:
    """A format-1 questionnaire (the 5x5 register) is in English only: --lang en, or nothing."""
    if lang and lang != "en":
        raise RiskCliError(f"--lang {lang}: format-1 questionnaires offer en; not {lang}")
