"""The baseline for target 1: the smallest useful click application (one group, one command).

    python benchmarks/minimal_click.py --help
"""

import click


@click.group()
@click.version_option("1.0", prog_name="minimal")
def cli() -> None:
    """A minimal click application."""


@cli.command()
@click.argument("name")
def hello(name: str) -> None:
    """Say hello."""
    click.echo(f"hello {name}")


if __name__ == "__main__":
    cli()
