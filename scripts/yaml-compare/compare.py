#!/usr/bin/env python3
"""Checks the linter's `yaml_ambiguous_scalar` findings, and its own reading of YAML scalars,
against what real readers make of them, on a corpus of plain scalars.

For every scalar of the corpus:
  - PyYAML (YAML 1.1) and ruamel.yaml in YAML 1.2 mode read it;
  - it is *read differently* when their values differ (type or value), when it is `y`, `Y`, `n`
    or `N` and ruamel.yaml in YAML 1.1 mode (the 1.1 specification's booleans, as Go's yaml.v2
    reads them) differs from YAML 1.2, or when either reads a date (which JSON cannot carry);
  - the linter must warn (`yaml_ambiguous_scalar`) exactly on the scalars read differently;
  - the linter's own reading (seen through the `type_mismatch` it reports for the scalar as a
    release `name`) must be ruamel.yaml's 1.2 reading, except for dates, which it reads as
    strings (YAML 1.2's core schema, Go's readers) and warns about.

Usage: compare.py LINTER [--corpus-size N]. Exit status 0 when every scalar agrees, 1 when
one does not (each disagreement is printed), 2 when something could not run.
"""

import argparse
import datetime
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import warnings

import yaml
from ruamel.yaml import YAML

warnings.simplefilter("ignore")

CLASSIC = """
yes Yes YES no No NO on On ON off Off OFF y Y n N true True TRUE false False FALSE tRue
null Null NULL nULL ~
0 00 -0 +0 07 0777 08 09 0o17 0o1_0 0x1F 0x1f 0x_1 +0x1 -0b1 0b101 0b 0o 0x 1_000 1__0 0_7 _1
+1 -1 123 1:20 60:30 1:60 01:30 190:20:30 -1:20 1:20:30.5
1.0 1. .5 -.5 +.5 1.10 0.1_0 1_000.5 1e3 1E3 1e+3 1e-3 1.5e3 1.5e+3 1.5E-3 12e03 .5e+3 -1.5e3
.inf -.inf +.inf .Inf -.Inf .INF .nan .NaN .NAN
2021-05-12 2021-5-12 2021-05-12T07:11:42Z 2021-05-12t07:11:42.5+08:00
3.0.1 v3.0.1 1.2.3 0.0.0.0 koi-neo4j 4.0.3-enterprise latest IfNotPresent Always
""".split() + ["2001-12-14 21:59:43.10 -5", "2021-05-12 07:11:42"]

ALPHABET = "0123456789._:+-eEoxbBnNyYtTfF"


def corpus(size, seed=11):
    """The classic hazards, then random short scalars over the characters that matter."""
    rng = random.Random(seed)
    seen = []
    for s in CLASSIC:
        if s not in seen:
            seen.append(s)
    while len(seen) < size:
        s = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))
        if s not in seen:
            seen.append(s)
    return seen


def reading(load, text):
    try:
        value = load("name: " + text + "\n")["name"]
    except Exception as e:  # noqa: BLE001 - any failure is a reading of its own
        return ("error", type(e).__name__)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return ("date", value.isoformat())
    if value is None:
        return ("null", None)
    if isinstance(value, str):
        return ("str", value)
    return (type(value).__name__, repr(value))


def plain_scalar(text):
    """Whether `text` is read back as one plain scalar (PyYAML's parser agrees it is one)."""
    try:
        node = yaml.compose("name: " + text + "\n")
    except Exception:  # noqa: BLE001
        return False
    value = node.value[0][1] if node and node.value else None
    return value is not None and isinstance(value, yaml.ScalarNode) and value.value == text and value.style is None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("linter")
    parser.add_argument("--corpus-size", type=int, default=3000)
    args = parser.parse_args()

    ruamel12 = YAML(typ="safe", pure=True)
    ruamel11 = YAML(typ="safe", pure=True)
    ruamel11.version = (1, 1)
    scalars = [s for s in corpus(args.corpus_size) if plain_scalar(s)]
    rows = []
    for s in scalars:
        py = reading(yaml.safe_load, s)
        r12 = reading(ruamel12.load, s)
        r11 = reading(ruamel11.load, s)
        differ = (py != r12
                  or (s in ("y", "Y", "n", "N") and r11 != r12)
                  or "date" in (py[0], r12[0]))
        rows.append((s, py, r12, differ))

    # One stream, one document per scalar, the scalar as a release name (a string member): the
    # linter's reading shows in its `type_mismatch`.
    docs = []
    for s, _, _, _ in rows:
        docs.append(
            "chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\n"
            "name: %s\nnamespace: default\nversion: 1.0.0\nvalues: {}\n" % s
        )
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write("---\n".join(docs))
        path = f.name
    run = subprocess.run(
        [args.linter, "--no-config", "--format", "json", "--kind", "create-request",
         "--select", "yaml_ambiguous_scalar,type_mismatch,invalid_yaml",
         "--max-findings", "1000000", path],
        capture_output=True, text=True)
    if run.returncode == 2:
        print(run.stderr, file=sys.stderr)
        return 2
    report = json.loads(run.stdout)
    diagnostics = report["files"][0]["diagnostics"]
    if any(d["code"] == "invalid_yaml" for d in diagnostics):
        print("the linter could not read the corpus:", diagnostics[:3], file=sys.stderr)
        return 2
    warned, ours = set(), {}
    for d in diagnostics:
        if d["pointer"] != "/name":
            continue
        index = d.get("document", 1) - 1
        if d["code"] == "yaml_ambiguous_scalar":
            warned.add(index)
        elif d["code"] == "type_mismatch":
            ours[index] = d["message"]

    failures = []
    differing = 0
    readings_checked = 0
    for i, (s, py, r12, differ) in enumerate(rows):
        differing += differ
        if differ and i not in warned:
            failures.append("%r: read differently (PyYAML %r, ruamel.yaml 1.2 %r) but not warned" % (s, py, r12))
        if not differ and i in warned:
            failures.append("%r: warned, but read alike (%r)" % (s, py))
        if r12[0] in ("error", "date"):
            continue
        readings_checked += 1
        message = ours.get(i)
        mine = linter_reading(message)
        if not same(mine, r12):
            failures.append("%r: the linter reads %r (%s), ruamel.yaml 1.2 reads %r" % (s, mine, message, r12))

    print("%d plain scalars: %d read differently by YAML 1.1 and 1.2 readers (or dates), %d warned; "
          "the linter's own reading checked against ruamel.yaml 1.2 on %d"
          % (len(rows), differing, len(warned), readings_checked))
    for failure in failures:
        print("DISAGREES:", failure)
    if failures:
        print("%d disagreements" % len(failures))
        return 1
    print("every scalar agrees")
    return 0


NUMBER = re.compile(r"found the (fractional )?number (\S+)$")


def linter_reading(message):
    """The linter's reading of a release name, from its `type_mismatch` (none: a string)."""
    if message is None:
        return ("str", None)
    if message.endswith("found null"):
        return ("null", None)
    if message.endswith("found the boolean `true`"):
        return ("bool", True)
    if message.endswith("found the boolean `false`"):
        return ("bool", False)
    m = NUMBER.search(message)
    if m:
        text = m.group(2)
        value = float(text)
        if m.group(1) or "." in text or "e" in text.lower():
            return ("float", value)
        return ("int", value)
    return ("?", message)


def same(mine, theirs):
    kind, value = theirs
    if kind == "str":
        return mine[0] == "str"
    if kind == "float" and value == "nan":
        # NaN has no JSON number: the linter reads it as no number (and says so).
        return mine[0] in ("null", "str")
    if kind == "float" and isinstance(value, float) and math.isinf(value):
        return mine[0] in ("null", "str")
    if kind == "float":
        # serde_json writes an integral float as `1000.0`; the comparison is by value.
        return mine[0] in ("float", "int") and float(mine[1]) == value
    if kind == "int":
        return mine[0] in ("int", "float") and float(mine[1]) == float(value)
    return mine == theirs


if __name__ == "__main__":
    sys.exit(main())
