#!/usr/bin/env python3
"""Hostile payloads by shape and size, for measuring the linter's bounds (see measure.sh).

    python3 scripts/hostile/gen.py SHAPE SIZE OUT_DIR

writes OUT_DIR/SHAPE-SIZE.json (plus, for some shapes, a chart schema beside it) and prints
the linter arguments to lint it with, one per line. SIZE is a byte count with an optional K/M
suffix; the payload is about that large. Nothing here is committed data: every file is made
again from this script.
"""

import json
import sys

HEAD = ('{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", '
        '"namespace": "default", "version": "1.0.0", ')


def size_of(text):
    text = text.upper()
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    return int(text.rstrip("KMG")) * mult


def list_of_ones(n):
    """`[1,1,1,...]` as a release list: every item is a type_mismatch."""
    count = max(1, (n - 2) // 2)
    return "[" + ",".join(["1"] * count) + "]", ["--kind", "release-list"]


def unknown_members(n):
    """A create body with as many unknown members as fit."""
    parts = [HEAD + '"values": {}']
    size, i = len(parts[0]), 0
    while size < n:
        member = f', "u{i}": {i}'
        parts.append(member)
        size += len(member)
        i += 1
    return "".join(parts) + "}", []


def unknown_then_repeated(n):
    """Half the body unknown members, each with its finding; the other half the first of them
    again and again (each repeat takes back the findings of the member it overrides)."""
    parts = [HEAD + '"values": {}']
    size, i = len(parts[0]), 0
    while size < n // 2:
        member = f', "u{i}": {i}'
        parts.append(member)
        size += len(member)
        i += 1
    while size < n:
        parts.append(', "u0": 0')
        size += 9
    return "".join(parts) + "}", []


def repeated_keys_deep(n):
    """`"k":1` repeated inside an object nested 100 levels deep in values."""
    depth = 100
    opening = '{"level": ' * depth
    closing = "}" * depth
    repeats = max(1, (n - len(HEAD) - len(opening) - 32) // 6)
    inner = "{" + ",".join(['"k":1'] * repeats) + "}"
    return HEAD + '"values": ' + opening + inner + closing + "}", []


def one_line_findings(n):
    """One line, many findings: unknown members on a single minified line (human output shows
    the line under every finding it keeps)."""
    return unknown_members(n)


def unknown_in_parameters(n):
    """A create body whose `parameters` hold every unknown member."""
    parts = [HEAD + '"values": {}, "parameters": {']
    size, i = len(parts[0]), 0
    while size < n:
        member = ('' if i == 0 else ', ') + f'"p{i}": true'
        parts.append(member)
        size += len(member)
        i += 1
    return "".join(parts) + "}}", ["--strict"]


def list_of_unknowns(n):
    """A release list whose items each carry unknown members and a wrong status."""
    item = '{"name": "koi", "status": "SUPERSEDED", "x1": 1, "x2": 2, "version": "1"}'
    count = max(1, n // (len(item) + 1))
    return "[" + ",".join([item] * count) + "]", ["--kind", "release-list"]


def long_keys_deep(n):
    """Keys of a kilobyte each, nested deep, then repeated keys at the bottom: findings whose
    pointers are long."""
    key = "k" * 1024
    depth = 100
    opening = ('{"' + key + '": ') * depth
    closing = "}" * depth
    repeats = max(1, (n - depth * (len(key) + 6)) // 6)
    inner = "{" + ",".join(['"d":1'] * repeats) + "}"
    return HEAD + '"values": ' + opening + inner + closing + "}", []


def huge_string_name(n):
    """A release name as long as the payload: too_long and pattern_mismatch quote it."""
    body = {"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "N" * n,
            "namespace": "default", "version": "1.0.0", "values": {}}
    return json.dumps(body), []


def chart_items(n):
    """A chart schema whose `items` reject every item of a long list in values."""
    count = max(1, (n - 200) // 2)
    return HEAD + '"values": {"xs": [' + ",".join(["1"] * count) + "]}}", [
        "--values-schema", "{schema}"], {"properties": {"xs": {"items": {"type": "string"}}}}


def escape_expansion(n):
    """A string in values of characters Go's JSON escapes in six bytes (`<`, `>`, `&`) among
    others, in an order gzip cannot predict: the size check's Go form is 3.5 times the text."""
    x, out = 0x9E3779B97F4A7C15, []
    alphabet = "<>&abcdefghijklm"
    for _ in range(max(1, n - len(HEAD) - 32)):
        x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 7
        x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
        out.append(alphabet[x % 16])
    return HEAD + '"values": {"s": "' + "".join(out) + '"}}', []


def float_expansion(n):
    """`1e20` over and over in values: 21 digits each in Go's JSON."""
    count = max(1, (n - len(HEAD) - 32) // 5)
    return HEAD + '"values": {"x": [' + ",".join(["1e20"] * count) + "]}}", []


def unsorted_small_objects(n):
    """Many two-member objects in values whose keys Go must reorder."""
    item = '{"b":1,"a":1}'
    count = max(1, (n - len(HEAD) - 32) // (len(item) + 1))
    return HEAD + '"values": {"x": [' + ",".join([item] * count) + "]}}", []


def values_text_in_release(n):
    """A release answer whose `values` are JSON text in a string, as the API returns them, with
    a finding on the same (only) line: the human excerpt masks the JSON inside the string."""
    members, size, i = [], 0, 0
    while size < n - 300:
        member = f'\\"k{i}\\": {i}'
        members.append(member)
        size += len(member) + 2
        i += 1
    inner = "{" + ", ".join(members) + "}"
    return ('{"id": "x", "chart_name": "koi", "chart_version": "1.0.0", "name": "koi", '
            '"namespace": "default", "status": "DEPLOYED", "version": 1, "parameters": "{}", '
            '"values": "' + inner + '"}'), ["--kind", "release"]


SHAPES = {
    "list-of-ones": list_of_ones,
    "unknown-members": unknown_members,
    "unknown-then-repeated": unknown_then_repeated,
    "repeated-keys-deep": repeated_keys_deep,
    "one-line-findings": one_line_findings,
    "unknown-in-parameters": unknown_in_parameters,
    "list-of-unknowns": list_of_unknowns,
    "long-keys-deep": long_keys_deep,
    "huge-string-name": huge_string_name,
    "chart-items": chart_items,
    "escape-expansion": escape_expansion,
    "float-expansion": float_expansion,
    "unsorted-small-objects": unsorted_small_objects,
    "values-text-in-release": values_text_in_release,
}


def main():
    shape, size, out = sys.argv[1], sys.argv[2], sys.argv[3]
    made = SHAPES[shape](size_of(size))
    text, args = made[0], made[1]
    path = f"{out}/{shape}-{size}.json"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if len(made) > 2:
        schema_path = f"{out}/{shape}-{size}.schema.json"
        with open(schema_path, "w", encoding="utf-8") as f:
            json.dump(made[2], f)
        args = [a.replace("{schema}", schema_path) for a in args]
    for a in args + [path]:
        print(a)


if __name__ == "__main__":
    main()
