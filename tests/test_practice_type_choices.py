"""`sitegen init --type` offers exactly the practice types site.yaml accepts (the CLI keeps its own copy of
the list so that `--help` imports no model)."""

from __future__ import annotations

from typing import get_args

from click.testing import CliRunner

from sitegen.cli import main
from sitegen.models.practicetypes import PracticeType


def test_init_offers_every_practice_type_site_yaml_accepts_and_no_other() -> None:
    result = CliRunner().invoke(main, ["init", "--help"], terminal_width=400)
    assert result.exit_code == 0
    offered = result.output.split("--type [", 1)[1].split("]", 1)[0].split("|")
    assert sorted(offered) == sorted(get_args(PracticeType))
