#!/usr/bin/env python3
"""The OpenAPI document agrees with the committed schemas (see check.sh).

Usage: agree.py --doc schemas/openapi.json --schemas schemas/

Exit 0 when it agrees, 1 when it does not, 2 when the check itself fails.
"""

import argparse
import json
import os
import re
import sys

# Component name -> committed schema file (the kinds `create-response` and `release` share one).
COMPONENTS = {
    "CreateReleaseBody": "create-release-request.schema.json",
    "UpdateReleaseBody": "update-release-request.schema.json",
    "Release": "release.schema.json",
    "ReleaseList": "release-list.schema.json",
    "DeleteResponse": "delete-response.schema.json",
    "ApiError": "error.schema.json",
}

# The API's endpoints table: (method, path after the prefix, request body, success status, body).
OPERATIONS = [
    ("post", "/clusters/{cluster_id}/releases", "CreateReleaseBody", "201", "Release"),
    ("get", "/clusters/{cluster_id}/releases", None, "200", "ReleaseList"),
    ("get", "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}", None, "200", "Release"),
    ("put", "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}", "UpdateReleaseBody",
     "200", "Release"),
    ("delete", "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}", None, "200",
     "DeleteResponse"),
    ("get", "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}/history", None, "200",
     "ReleaseList"),
]
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from patterns(item)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", required=True)
    ap.add_argument("--schemas", required=True)
    args = ap.parse_args()
    with open(args.doc, encoding="utf-8") as f:
        doc = json.load(f)
    problems = []

    components = doc.get("components", {}).get("schemas", {})
    if set(components) != set(COMPONENTS):
        problems.append(f"component schemas {sorted(components)} != {sorted(COMPONENTS)}")
    for name, file in COMPONENTS.items():
        with open(os.path.join(args.schemas, file), encoding="utf-8") as f:
            committed = json.load(f)
        committed.pop("$schema", None)
        if components.get(name) != committed:
            problems.append(f"components/schemas/{name} differs from schemas/{file}")

    want = {(m, p) for m, p, *_ in OPERATIONS}
    have = {(m, p) for p, item in doc.get("paths", {}).items() for m in item if m in METHODS}
    if have != want:
        problems.append(f"operations: missing {sorted(want - have)}, extra {sorted(have - want)}")
    for method, path, request, status, response in OPERATIONS:
        op = doc.get("paths", {}).get(path, {}).get(method, {})
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        got = body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1] or None
        if got != request:
            problems.append(f"{method} {path}: request body {got}, expected {request}")
        ok = op.get("responses", {}).get(status, {}).get("content", {}).get("application/json", {})
        got = ok.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1] or None
        if got != response:
            problems.append(f"{method} {path}: {status} body {got}, expected {response}")
        for error in ("4XX", "5XX"):
            if op.get("responses", {}).get(error, {}).get("$ref") != "#/components/responses/Error":
                problems.append(f"{method} {path}: no {error} error body")
    error = doc.get("components", {}).get("responses", {}).get("Error", {})
    if error.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref") \
            != "#/components/schemas/ApiError":
        problems.append("components/responses/Error is not the ApiError body")

    count = 0
    for pattern in patterns(doc):
        count += 1
        try:
            re.compile(pattern)
        except re.error as e:
            problems.append(f"pattern {pattern!r} does not compile in Python: {e}")

    for p in problems:
        print(f"openapi: {p}", file=sys.stderr)
    if problems:
        print(f"openapi: FAILED, {len(problems)} disagreements with the committed schemas",
              file=sys.stderr)
        return 1
    print(f"openapi: {len(COMPONENTS)} component schemas equal the committed files, "
          f"{len(OPERATIONS)} operations with their bodies and error answers, "
          f"{count} patterns compile", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:  # a crash is "could not run" (2)
        import traceback
        traceback.print_exc()
        sys.exit(2)
