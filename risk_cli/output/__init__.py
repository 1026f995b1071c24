"""What commands print: the output formats (formats: one enum, one way to offer and render them),
the terminal's error, warning and progress lines (console), and one view module per result
(register, batch, importing, portfolio, questionnaires) turning it into text or data. Views are
pure: they take model objects and workflow results and return strings; they never read or write
files."""
