"""Writers, one module per file format risk-cli writes: the register (register, with its sheet and
column names in register_layout), the fill-in questionnaire template (template), the portfolio
(portfolio) and the batch summary (batch_summary) workbooks, on the shared safe cell writing of
xlsx. A writer takes model objects and a path; it never reads an input or decides a workflow."""
