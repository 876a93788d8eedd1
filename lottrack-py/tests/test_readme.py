"""The READMEs' Python blocks run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent
READMES = [HERE / "README.md", HERE.parent / "README.md"]


@pytest.mark.parametrize("readme", READMES, ids=["lottrack-py", "main"])
def test_readme_tour_runs(readme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(), flags=re.S)
    assert blocks, f"{readme} has no ```python block"
    for block in blocks:  # each block stands alone
        exec(compile(block, str(readme), "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert "store-12" in out
