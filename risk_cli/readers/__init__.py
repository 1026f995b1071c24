"""Readers, one module per kind of input: any input by its kind (inputs), the fill-in template
(template), a register risk-cli wrote and the edits people made to it (register), a person at a
terminal (terminal, the only module that uses questionary), and the guard every workbook passes
before it is opened (xlsx_guard). A reader returns answers or problems; it never scores or writes."""
