"""The questionnaire catalogue: reading and validating questionnaire files (loader), the versions
bundled with the tool (bundled), the cache of parsed questionnaires (cache), and the one rule for
which questionnaire version an input is scored against (versions). Imports the model and the
foundation only."""
