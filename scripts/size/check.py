#!/usr/bin/env python3
"""The size check against an independent reference computation of Helm's encoding.

Helm stores a revision as base64(gzip(json.Marshal(release))), gzip at BestCompression, in one
Kubernetes Secret of at most 1 MiB (pkg/storage/driver/util.go encodeRelease; secrets.go).
This script writes a corpus of create-request payloads (compressible, incompressible, near
the limit from both sides, HTML-escaped characters, floats), computes the stored size of each
with Python's json, gzip (zlib, level 9) and base64, and runs the linter over the corpus:

- every payload the reference puts over 75% of the limit has a `values_too_large` finding, and
  none below (payloads within 2% of a threshold may go either way: the deflate of the linter is
  not zlib's, nor Go's);
- the JSON sizes in the messages are the reference's exactly (Go's encoding: sorted keys,
  `<`, `>`, `&` escaped, float64 numbers);
- the stored sizes agree within 2%, and the verdict (the install will fail beyond 103% of the
  limit, at risk beyond 75%) is the reference's. The linter stops compressing once a revision
  is certainly over and says "more than N bytes": then N is over 103% of the limit and at most
  the reference's size (plus 2%).

    CCE_RELEASE_LINT=target/debug/cce-release-lint python3 scripts/size/check.py
"""
import base64
import decimal
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile

LIMIT = 1 << 20
AT_RISK = LIMIT // 100 * 75
CERTAIN = LIMIT + LIMIT // 100 * 3
TOLERANCE = 0.02

# The release record as Go's encoding/json writes release.Release, less what only rendering
# gives (the manifests); `config` holds the values.
HEAD = ('{"name":"release-name","info":{"first_deployed":"2006-01-02T15:04:05.999999999Z",'
        '"last_deployed":"2006-01-02T15:04:05.999999999Z","deleted":"0001-01-01T00:00:00Z",'
        '"description":"Install complete","status":"deployed"}')
TAIL = ',"version":1,"namespace":"default"}'


def go_float(x):
    """A float64 as Go's encoding/json writes it."""
    if x == 0:
        return "0" if str(x)[0] != "-" else "-0"
    d = decimal.Decimal(repr(float(x)))
    if 1e-6 <= abs(x) < 1e21:
        text = format(d, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    mantissa, exp = "{:e}".format(d).split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    sign = "-" if exp.startswith("-") else "+"
    return f"{mantissa}e{sign}{int(exp.lstrip('+-'))}"


def go_json(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return go_float(float(value))
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                             ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
            text = text.replace(raw, escaped)
        return text
    if isinstance(value, list):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    items = sorted(value.items(), key=lambda kv: kv[0].encode())
    return "{" + ",".join(go_json(k) + ":" + go_json(v) for k, v in items) + "}"


def reference(values):
    record = HEAD + (',"config":' + go_json(values) if values else "") + TAIL
    raw = record.encode()
    stored = len(base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)))
    return len(raw), stored


def corpus(rng):
    def noise(n):
        return base64.b64encode(rng.randbytes(n * 3 // 4 + 3)).decode()[:n]

    cases = {
        "small": {"imageTag": "4.0.3", "replicaCount": 3},
        "compressible-3MiB": {"notes": "x" * (3 << 20)},
        "compressible-lines": {"config": "\n".join(f"key{i % 50} = value {i % 7}" for i in range(120_000))},
        "incompressible-2MiB": {"bundle": noise(2 << 20)},
        "incompressible-500KiB": {"bundle": noise(500 << 10)},
        "html-escaped": {"page": "<a href='x'>&amp;</a>" * 30_000, "n": 1.5e-7, "m": 1e21, "k": 0.1},
        "numbers": {"list": [rng.random() * 10 ** rng.randint(-8, 25) for _ in range(40_000)]},
    }
    # Near the thresholds, from both sides: incompressible text sized by the reference.
    for name, target in (("near-limit", LIMIT), ("near-certain", CERTAIN), ("near-risk", AT_RISK)):
        for side, factor in (("below", 0.985), ("above", 1.015)):
            want = int(target * factor)
            size = int(want * 3 / 4)
            for _ in range(30):
                values = {"bundle": noise(size)}
                _, stored = reference(values)
                if abs(stored - want) < 200:
                    break
                size = int(size * want / stored)
            cases[f"{name}-{side}"] = values
    return cases


def main():
    lint = os.environ.get("CCE_RELEASE_LINT", "target/debug/cce-release-lint")
    rng = random.Random(20261205)
    cases = corpus(rng)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, values in cases.items():
            body = {"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi",
                    "namespace": "default", "version": "3.0.1", "values": values}
            path = os.path.join(tmp, f"{name}.json")
            with open(path, "w") as f:
                json.dump(body, f)
            paths[path] = name
        out = subprocess.run([lint, "--format", "json", "--max-findings", "10", *paths],
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit(f"the linter could not run: {out.stderr}")
        report = json.loads(out.stdout)
    pattern = re.compile(r"revision of (more than )?(\d+) bytes .*\((\d+) bytes of JSON")
    for file in report["files"]:
        name = paths[file["path"]]
        json_len, stored = reference(cases[name])
        found = [d for d in file["diagnostics"] if d["code"] == "values_too_large"]
        near = lambda t: abs(stored - t) <= t * TOLERANCE
        line = f"{name:26} reference: json {json_len:>9} stored {stored:>9} ({stored * 100 / LIMIT:5.1f}%)"
        if not found:
            ok = stored <= AT_RISK or near(AT_RISK)
            print(f"{line}  linter: no finding  {'ok' if ok else 'MISMATCH'}")
            if not ok:
                failures.append(name)
            continue
        m = pattern.search(found[0]["message"])
        if m is None:
            print(f"{line}  linter: unexpected message {found[0]['message']!r}  MISMATCH")
            failures.append(name)
            continue
        at_least = m.group(1) is not None
        ours_stored, ours_json = int(m.group(2)), int(m.group(3))
        certain = "will fail" in found[0]["message"]
        if at_least:
            close = CERTAIN < ours_stored <= stored * (1 + TOLERANCE)
        else:
            close = abs(ours_stored - stored) <= stored * TOLERANCE
        checks = [
            ours_json == json_len,
            close,
            stored > AT_RISK or near(AT_RISK),
            certain == (stored > CERTAIN) or near(CERTAIN),
        ]
        verdict = "fails" if certain else "at risk"
        shown = f"> {ours_stored:>7}" if at_least else f"{ours_stored:>9}"
        print(f"{line}  linter: json {ours_json:>9} stored {shown} ({(ours_stored - stored) * 100 / stored:+.2f}%), {verdict}  {'ok' if all(checks) else 'MISMATCH'}")
        if not all(checks):
            failures.append(name)
    if failures:
        sys.exit(f"size check disagrees with the reference on: {', '.join(failures)}")
    print(f"{len(cases)} payloads: the linter agrees with the reference")


if __name__ == "__main__":
    main()
