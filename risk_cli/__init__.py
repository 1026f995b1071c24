"""risk-cli: self-assess the risks of a public-sector AI use case and write a risk register."""

__version__ = "0.1.0"
