"""Every CLI command has help text and is documented in the README; the README's first lines
are the two commands a newcomer types; .ci/run runs the README's test command."""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = ""):
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        yield full, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, full + " ")


def test_every_command_has_help_and_is_in_the_readme():
    for name, cmd in _commands(cli):
        assert (cmd.help or "").strip(), f"graphkit {name} has no help text"
        assert f"graphkit {name}" in README, f"graphkit {name} is not documented in README.md"


def test_readme_starts_with_install_build_and_test_commands():
    block = README.split("```bash", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert len(lines) == 2
    assert "pip install" in lines[0] and "graphkit build seeds/" in lines[0]
    assert lines[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci and 'pip install -q -e ".[test]"' in ci
