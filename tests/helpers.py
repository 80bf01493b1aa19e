"""Helpers shared by the tests (fixtures are in conftest.py)."""

from pathlib import Path

import yaml


def edit_yaml(path: Path, change) -> None:
    """Load a data file, let `change` edit the data in place, and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
