"""The same payloads give the same reports from Python and from the Rust linter.

Every fixture under ``tests/fixtures/{valid,invalid}`` is validated with its ``.args`` (the
linter's options) by ``cce-release-lint --format json`` and by ``cce_release``, as bytes, as
``str`` and through a reused ``Validator``: the reports must be identical, finding for finding
(severity, code, location, pointer, line, column, message) and in the same order. Fixtures that
``json.loads`` reads as the API would (no repeated key, no syntax error) are also validated as a
``dict``: the same findings, without positions.
"""

from __future__ import annotations

import collections
import json
import pathlib
import subprocess

import pytest

import cce_release
from conftest import FIXTURES, ROOT

CASES = sorted((FIXTURES / "valid").glob("*.json")) + sorted((FIXTURES / "invalid").glob("*.json"))


def args_of(path: pathlib.Path) -> list:
    args = path.with_suffix(".args")
    return args.read_text().split() if args.exists() else []


def options(args: list) -> dict:
    """The linter's options as keyword arguments of ``cce_release.Validator``."""
    out: dict = {"kind": "create-request"}
    i = 0
    while i < len(args):
        flag = args[i]
        if flag == "--strict":
            out["strict"] = True
            i += 1
            continue
        value = args[i + 1]
        if flag == "--kind":
            out["kind"] = value
        elif flag == "--cluster-id":
            out["cluster_id"] = value
        elif flag == "--values-schema":
            out["values_schema"] = (ROOT / value).read_bytes()
        else:
            raise AssertionError(f"unknown fixture argument {flag}")
        i += 2
    return out


@pytest.fixture(scope="module")
def linted(linter) -> dict:
    """The linter's JSON report of every fixture: one run per distinct set of arguments."""
    groups = collections.defaultdict(list)
    for path in CASES:
        groups[tuple(args_of(path))].append(path)
    # The linter tells the kind from the members when none is named; the Python default is a
    # create request: name it.
    groups = {
        (args if "--kind" in args else ("--kind", "create-request", *args)): paths
        for args, paths in groups.items()
    }
    reports = {}
    for args, paths in groups.items():
        run = subprocess.run([linter, "--format", "json", *args, *map(str, paths)],
                             cwd=ROOT, capture_output=True, check=False)
        assert run.returncode in (0, 1), run.stderr.decode(errors="replace")
        document = json.loads(run.stdout)
        assert len(document["files"]) == len(paths)
        for path, entry in zip(paths, document["files"]):
            assert pathlib.Path(entry["path"]).resolve() == path.resolve()
            reports[path.name] = {"valid": entry["valid"], "diagnostics": entry["diagnostics"]}
    return reports


def test_the_corpus_is_all_there():
    assert len(CASES) >= 100
    assert any(p.parent.name == "invalid" for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_python_reports_equal_the_linters(linted, path):
    with_fixes = linted[path.name]
    # `to_json` writes a finding's fix as the linter does; `to_dict` leaves it out (the Python
    # API has no fixes yet).
    expected = {
        "valid": with_fixes["valid"],
        "diagnostics": [{k: v for k, v in d.items() if k != "fix"} for d in with_fixes["diagnostics"]],
    }
    kwargs = options(args_of(path))
    data = path.read_bytes()
    cluster_id = kwargs.pop("cluster_id", None)
    kind = kwargs.pop("kind")
    # The module function, on bytes.
    report = cce_release.validate(data, kind, cluster_id=cluster_id, **kwargs)
    assert report.to_dict() == expected
    assert json.loads(report.to_json()) == with_fixes
    assert bool(report) == expected["valid"]
    # A reused validator, on bytes and on str (where the text is UTF-8).
    validator = cce_release.Validator(kind, cluster_id=cluster_id, **kwargs)
    assert validator.validate(data).to_dict() == expected
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        assert validator.validate(text).to_dict() == expected


def json_loads_strict(data: bytes):
    """What ``json.loads`` reads, or ``None`` where the API's reading differs (repeated keys, a
    byte-order mark, text that is not JSON)."""

    def no_repeats(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("repeated key")
        return dict(pairs)

    def no_constants(name):
        raise ValueError(name)

    if data.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=no_repeats, parse_constant=no_constants)
    except (ValueError, RecursionError):
        return None


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_parsed_payload_gives_the_same_findings_without_positions(linted, path):
    value = json_loads_strict(path.read_bytes())
    expected = linted[path.name]
    codes = {d["code"] for d in expected["diagnostics"]}
    if value is None or codes & {"invalid_json", "byte_order_mark", "duplicate_key", "input_too_large"}:
        pytest.skip("the text is not what json.loads reads")
    if isinstance(value, str):
        pytest.skip("a str payload is JSON text, not a parsed string")
    kwargs = options(args_of(path))
    report = cce_release.Validator(**kwargs).validate(value)

    def without_positions(diagnostics):
        return sorted(
            (d["severity"], d["code"], d["location"], d["pointer"], d["message"]) for d in diagnostics
        )

    assert all("line" not in d for d in report.to_dict()["diagnostics"])
    assert without_positions(report.to_dict()["diagnostics"]) == without_positions(expected["diagnostics"])
    assert bool(report) == expected["valid"]
