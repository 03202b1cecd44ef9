#!/usr/bin/env python3
"""Run the linter over the corpus and compare its verdicts with Ajv's and Python jsonschema's.

Usage: compare.py --linter BIN --corpus DIR --python FILE --ajv FILE [--report FILE]

The linter runs as `BIN --strict --format json --kind KIND FILE...`, many files per process.

Two comparisons, both must agree three ways:

* primary: payloads whose linter findings are all schema-level, i.e. none of NON_SCHEMA_CODES.
  The linter's own `valid` is compared with the two schema tools' verdicts.
* filtered: payloads that do have a rule-level finding (a loose chart version, an ineffective
  parameter, a duplicate key...). Those are not expected to match the schema as a whole, but
  the linter's *schema-level* findings alone must: the payload is schema-valid for the linter
  when it has no error finding outside NON_SCHEMA_CODES. (The linter runs its schema pass and
  its rule pass independently, so dropping the rule findings leaves exactly the schema verdict.)

Payloads the linter cannot parse (`invalid_json`, or a `byte_order_mark` that the schema tools'
JSON parsers reject) are skipped: there is no instance to give the schemas. A payload the
linter parses but a schema tool does not is a disagreement.

Exit status: 0 all agree, 1 some disagreement, 2 the linter could not run.
"""

import argparse
import collections
import json
import os
import subprocess
import sys

# Findings that come from the rule pass or the parser, not from the JSON Schema.
NON_SCHEMA_CODES = {
    "duplicate_key", "loose_version", "ineffective_parameter", "cluster_id_mismatch",
    "values_schema", "values_too_large", "byte_order_mark", "invalid_json", "unknown_status",
    "sdk_attribute_name",
}
# Findings that leave no JSON instance the schema tools could read.
UNPARSED_CODES = {"invalid_json", "byte_order_mark"}



def linter_list(linter, what):
    """`BIN --list WHAT`: the linter's own list of codes or kinds, never a copy."""
    proc = subprocess.run([linter, "--list", what], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    if proc.returncode != 0:
        die(f"{linter} --list {what} failed: {proc.stderr.decode(errors='replace')[:2000]}")
    return json.loads(proc.stdout)

BATCH = 500          # files per linter process
SHOW_PER_GROUP = 3   # detailed examples printed per group of alike disagreements
PAYLOAD_CHARS = 700  # payload text shown per example


def die(message):
    """Stop with exit status 2: the comparison could not be made."""
    print(message, file=sys.stderr)
    sys.exit(2)


def run_linter(linter, corpus, kind, files):
    """{relative path: file report} for `files` (relative to `corpus`), in batches."""
    reports = {}
    for start in range(0, len(files), BATCH):
        batch = files[start:start + BATCH]
        proc = subprocess.run(
            [linter, "--strict", "--format", "json", "--kind", kind, *batch],
            cwd=corpus, capture_output=True, check=False)
        if proc.returncode not in (0, 1):
            die(f"compare: the linter could not run (exit {proc.returncode}):\n"
                     f"{proc.stderr.decode(errors='replace')[:2000]}")
        try:
            out = json.loads(proc.stdout)
        except ValueError as e:
            die(f"compare: the linter's --format json output is not JSON: {e}")
        for report in out["files"]:
            reports[report["path"]] = report
        expect_rc = 0 if all(r["valid"] for r in out["files"]) else 1
        if proc.returncode != expect_rc:
            die(f"compare: linter exit status {proc.returncode} contradicts its report "
                     f"(expected {expect_rc})")
    missing = [f for f in files if f not in reports]
    if missing:
        die(f"compare: the linter's report lacks {len(missing)} files, e.g. {missing[:3]}")
    return reports


def show_payload(data):
    text = data.decode("utf-8", errors="backslashreplace")
    # Escape what a terminal would hide or act on; keep other non-ASCII visible.
    shown = "".join(
        ch if (ch.isprintable() or ch == " ") else ch.encode("unicode_escape").decode()
        for ch in (text if len(text) <= PAYLOAD_CHARS else text[:PAYLOAD_CHARS])
    )
    if len(text) > PAYLOAD_CHARS:
        shown += f" …[{len(text)} chars in all]"
    return shown


def verdict_word(v):
    return {True: "valid", False: "INVALID", None: "unparsed"}[v]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--linter", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--ajv", required=True)
    ap.add_argument("--report", help="write every disagreement here as JSON")
    args = ap.parse_args()

    # Every kind, in the order the summary lists them; the code classification above must name
    # codes the linter has (a renamed or removed code would silently change the comparison).
    kinds = [k["kind"] for k in linter_list(args.linter, "kinds")]
    codes = {c["code"] for c in linter_list(args.linter, "codes")}
    unknown = (NON_SCHEMA_CODES | UNPARSED_CODES) - codes
    if unknown:
        die(f"compare.py names codes the linter does not have: {sorted(unknown)}")

    with open(os.path.join(args.corpus, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    payloads = manifest["payloads"]
    with open(args.python, encoding="utf-8") as f:
        py = json.load(f)
    with open(args.ajv, encoding="utf-8") as f:
        ajv = json.load(f)

    linter = {}
    for kind in sorted({p["kind"] for p in payloads}):
        files = [p["file"] for p in payloads if p["kind"] == kind]
        linter.update(run_linter(args.linter, args.corpus, kind, files))

    stats = collections.Counter()
    excluded_by = collections.Counter()
    skipped_by = collections.Counter()
    disagreements = []
    for item in payloads:
        report = linter[item["file"]]
        p = py["results"][str(item["id"])]
        a = ajv["results"][str(item["id"])]
        diags = report["diagnostics"]
        codes = {d["code"] for d in diags}

        if codes & UNPARSED_CODES:
            skipped_by[" + ".join(sorted(codes & UNPARSED_CODES))] += 1
            continue
        rule_codes = codes & NON_SCHEMA_CODES
        if rule_codes:
            bucket = "filtered"
            lint = not any(d["severity"] == "error" and d["code"] not in NON_SCHEMA_CODES
                           for d in diags)
            for c in rule_codes:
                excluded_by[c] += 1
        else:
            bucket = "primary"
            lint = report["valid"]
        pv = p["valid"] if p["parsed"] else None
        av = a["valid"] if a["parsed"] else None
        stats[(bucket, item["kind"], "compared")] += 1
        if lint == pv == av:
            stats[(bucket, item["kind"], "agree")] += 1
            stats[(bucket, item["kind"], "valid" if lint else "invalid")] += 1
            continue
        with open(os.path.join(args.corpus, item["file"]), "rb") as f:
            data = f.read()
        disagreements.append({
            "id": item["id"], "kind": item["kind"], "label": item["label"], "bucket": bucket,
            "file": item["file"], "payload": data.decode("utf-8", errors="backslashreplace"),
            "linter": lint, "python": pv, "ajv": av,
            "linter_findings": [{k: d[k] for k in ("severity", "code", "pointer", "message")}
                                for d in diags],
            "python_errors": p["errors"] if p["parsed"] else ["could not parse: " + p["error"]],
            "ajv_errors": a["errors"] if a["parsed"] else ["could not parse: " + a["error"]],
            "_bytes": data,
        })

    # ---- summary -------------------------------------------------------------------------
    total = len(payloads)
    print(f"\nparity: {total} payloads (seed {manifest['seed']}); "
          f"tools: cce-release-lint --strict, {ajv['tool']} (strict), {py['tool']}")
    for bucket, title in [("primary", "compared, all findings schema-level"),
                          ("filtered", "compared on schema-level findings only "
                                       "(a rule-level finding excluded them from the above)")]:
        print(f"  {title}:")
        for kind in kinds:
            n = stats[(bucket, kind, "compared")]
            if n:
                print(f"    {kind:16} {n:5} compared, {stats[(bucket, kind, 'agree')]:5} agree "
                      f"({stats[(bucket, kind, 'valid')]} valid, "
                      f"{stats[(bucket, kind, 'invalid')]} invalid by all three)")
    if excluded_by:
        print("  rule-level codes that moved payloads to the filtered comparison: "
              + ", ".join(f"{c} {n}" for c, n in excluded_by.most_common()))
    skipped = sum(skipped_by.values())
    print(f"  skipped, no instance to compare (the linter could not parse): {skipped}"
          + (" (" + ", ".join(f"{c} {n}" for c, n in skipped_by.most_common()) + ")"
             if skipped else ""))
    compared = sum(v for (b, k, s), v in stats.items() if s == "compared")
    agreed = sum(v for (b, k, s), v in stats.items() if s == "agree")
    print(f"  total: {compared} compared, {agreed} agree, {len(disagreements)} disagree")

    if disagreements:
        groups = collections.defaultdict(list)
        for d in disagreements:
            sig = (d["bucket"], d["kind"], verdict_word(d["linter"]), verdict_word(d["python"]),
                   verdict_word(d["ajv"]),
                   ",".join(sorted({f["code"] for f in d["linter_findings"]})) or "-")
            groups[sig].append(d)
        print(f"\nDISAGREEMENTS: {len(disagreements)} payloads in {len(groups)} groups "
              "(bucket, kind, linter / python / ajv, linter codes)")
        for sig, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            bucket, kind, lv, pv, av, codes = sig
            print(f"\n== {len(members)} × [{bucket}] {kind}: linter {lv}, python {pv}, "
                  f"ajv {av}; linter codes: {codes}")
            for d in members[:SHOW_PER_GROUP]:
                print(f"  -- #{d['id']} {d['file']}: {d['label']}")
                print(f"     payload: {show_payload(d['_bytes'])}")
                print(f"     linter {verdict_word(d['linter'])}:")
                for f in d["linter_findings"] or [{"code": "-", "pointer": "", "message":
                                                   "no findings", "severity": ""}]:
                    print(f"       {f['severity']}[{f['code']}] {f['pointer'] or '/'}: "
                          f"{f['message']}")
                print(f"     python {verdict_word(d['python'])}: "
                      + ("; ".join(d["python_errors"]) or "no errors"))
                print(f"     ajv    {verdict_word(d['ajv'])}: "
                      + ("; ".join(d["ajv_errors"]) or "no errors"))
            if len(members) > SHOW_PER_GROUP:
                print(f"  … and {len(members) - SHOW_PER_GROUP} more alike: "
                      + ", ".join(f"#{d['id']}" for d in members[SHOW_PER_GROUP:][:30]))
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump([{k: v for k, v in d.items() if k != "_bytes"} for d in disagreements],
                      f, ensure_ascii=False, indent=1)
    print("\nparity: " + ("OK, the three agree" if not disagreements
                          else f"FAILED, {len(disagreements)} disagreements"))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
