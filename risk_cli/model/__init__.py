"""The model: questionnaires, conditions, answers, scoring and the portfolio, as plain data and
pure functions. Nothing here reads or writes a workbook, asks a question or knows a command;
the model imports only itself and the foundation modules (errors, fileio, safe_yaml)."""
