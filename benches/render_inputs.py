#!/usr/bin/env python3
"""Inputs that stress the output channels, for `/usr/bin/time -v` runs of the release binary.

    python3 benches/render_inputs.py DIR

Writes into DIR:
  one-line-4m.json    a 4 MiB create body on a single line with 1,000 unknown members (1,000
                      findings, then `too_many_findings`), each value a long string
  one-line-64m.json   the same at 64 MiB (lint it with --max-input-size 128M)
  many/NNN.json       400 files of about 9 KB, each with 1,000 unknown members (3.5 MB in all)

Then, for example:
  /usr/bin/time -v target/release/cce-release-lint DIR/one-line-4m.json > /dev/null
  /usr/bin/time -v target/release/cce-release-lint --format sarif DIR/many > /dev/null
"""

import json
import os
import sys

BASE = {
    "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
    "name": "koi-neo4j",
    "namespace": "default",
    "version": "3.0.1",
    "values": {},
}


def one_line(size, members=1000):
    head = json.dumps(BASE)[:-1]
    filler = max(0, (size - len(head)) // members - 16)
    parts = [head]
    for i in range(members):
        parts.append(f', "extra{i:04d}": "{"x" * filler}"')
    text = "".join(parts) + "}"
    return text + " " * max(0, size - len(text) - 1) + "\n"


def main():
    out = sys.argv[1]
    os.makedirs(os.path.join(out, "many"), exist_ok=True)
    for name, size in [("one-line-4m.json", 4 << 20), ("one-line-64m.json", 64 << 20)]:
        with open(os.path.join(out, name), "w") as f:
            f.write(one_line(size))
    body = dict(BASE)
    for i in range(1000):
        body[f"u{i:03d}"] = 1
    text = json.dumps(body, indent=1) + "\n"
    for n in range(400):
        with open(os.path.join(out, "many", f"{n:03d}.json"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
