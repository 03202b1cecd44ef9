#!/usr/bin/env python3
"""Validate the corpus with Python `jsonschema` (draft 2020-12) and write the verdicts.

Usage: check_python.py --schemas DIR --corpus DIR --out FILE

1. Each committed schema must pass `Draft202012Validator.check_schema` (meta-validation).
2. Each payload is parsed as strict JSON (UTF-8, no BOM, no NaN/Infinity) and validated by a
   `Draft202012Validator` with `format_checker=Draft202012Validator.FORMAT_CHECKER`.

Output: {"tool": "python-jsonschema X.Y.Z", "results": {"<id>": {"valid": bool,
"errors": [...]}}}; a payload that does not parse gets {"parsed": false, "error": "..."}.
Exit 0 when every schema compiles (verdicts are judged by compare.py), 1 when one does not,
2 when the checker itself fails.
"""

import argparse
import json
import os
import sys
from importlib.metadata import version as pkg_version

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

def schema_files(kinds_file):
    """{kind: schema file name}, from the linter's `--list kinds` (never a copied list)."""
    with open(kinds_file, encoding="utf-8") as f:
        return {k["kind"]: k["schema"] for k in json.load(f)}


def reject_constant(name):
    # Python's json accepts NaN, Infinity and -Infinity; JSON (RFC 8259) does not.
    raise ValueError(f"not JSON: {name}")


def load_payload(path):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")  # strict: invalid UTF-8 is a parse failure
    if text.startswith("\ufeff"):
        raise ValueError("starts with a byte-order mark")
    return json.loads(text, parse_constant=reject_constant)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--kinds", required=True, help="the output of `cce-release-lint --list kinds`")
    args = ap.parse_args()

    validators = {}
    ok = True
    for kind, name in schema_files(args.kinds).items():
        with open(os.path.join(args.schemas, name), encoding="utf-8") as f:
            schema = json.load(f)
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as e:
            print(f"python-jsonschema: {name} is not a valid draft 2020-12 schema: {e.message}",
                  file=sys.stderr)
            ok = False
            continue
        validators[kind] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    if not ok:
        return 1

    with open(os.path.join(args.corpus, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)["payloads"]

    results = {}
    for item in manifest:
        try:
            instance = load_payload(os.path.join(args.corpus, item["file"]))
        except (ValueError, UnicodeDecodeError, RecursionError) as e:
            results[str(item["id"])] = {"parsed": False, "error": str(e)[:200]}
            continue
        errors = [
            f"{e.json_path}: {e.message[:160]}"
            for e in validators[item["kind"]].iter_errors(instance)
        ]
        results[str(item["id"])] = {"parsed": True, "valid": not errors, "errors": errors[:10]}

    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"tool": f"python-jsonschema {pkg_version('jsonschema')}", "results": results},
                  f, ensure_ascii=False)
    print(f"python-jsonschema {pkg_version('jsonschema')}: every schema compiles; "
          f"{len(results)} payloads checked", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # a crash is "could not run" (2), not "a schema does not compile" (1)
        import traceback
        traceback.print_exc()
        sys.exit(2)
