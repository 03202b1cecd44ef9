"""The README's Python examples run as written, and print what the README shows.

Every ```python block of the README's "Python" section is executed; when a ```text block
follows it directly, the block's output must be exactly that text.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from conftest import ROOT


def examples() -> list:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, flags=re.S)
    out = []
    for i, (language, code) in enumerate(blocks):
        if language != "python":
            continue
        shown = None
        if i + 1 < len(blocks) and blocks[i + 1][0] == "text":
            shown = blocks[i + 1][1]
        out.append((code, shown))
    return out


EXAMPLES = examples()


def test_the_section_has_examples():
    assert len(EXAMPLES) >= 3
    assert any("huaweicloudsdkcce" in code for code, _ in EXAMPLES)


@pytest.mark.parametrize("code,shown", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_the_example_runs_and_prints_what_the_readme_shows(code, shown, request):
    if "huaweicloudsdkcce" in code:
        request.getfixturevalue("sdk")  # skipped, or failed in CI, without the SDK
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    if shown is not None:
        assert printed.getvalue() == shown
