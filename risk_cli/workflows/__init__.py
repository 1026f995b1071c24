"""The workflows, one module per command family: assess (with fail_on, the --fail-on rule shared
with batch), batch, importing, portfolio and questionnaires (list, validate, template). A workflow
holds the order of the steps: read (readers), choose the questionnaire (catalogue.versions), check
and score (model), write (writers), and returns a result whose exit code errors.exit_code decides.
It reports problems as it goes through an output.console.Console; the CLI prints its result in
the format chosen (output.formats)."""
