#!/usr/bin/env python3
"""Side-by-side timing of cce-release-lint, check-jsonschema and ajv-cli on the same files.

    python3 benches/compare.py [--files 10000] [--runs 5] [--peer-runs 3] [--keep] [--yaml]

With --yaml the payloads are written as block-style YAML (`release-NNNNN.yaml`, strings
double-quoted so that every YAML reader types them alike) and the peers are check-jsonschema
(which reads YAML with ruamel.yaml) and the linter with `--kind auto`; ajv-cli reads no YAML.

Installs the peers into a temporary directory (check-jsonschema from PyPI into a venv, ajv-cli 5
and ajv-formats from npm), generates payload files (valid ones and invalid ones made by one
schema-visible mutation each), builds the release binary, then runs every tool on all files
several times and prints the median wall time and the ratios, as a Markdown table. Every tool
gets the same committed schema (schemas/create-release-request.schema.json) and the linter runs
with --strict, so that the three must agree on which files are valid: the script checks that
they do, file by file, and exits non-zero when they do not.

This is a benchmark, not a test: nothing here runs in CI. Needs python3 (with venv), node + npm,
cargo, and network access to PyPI and npm the first time.
"""

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "schemas" / "create-release-request.schema.json"


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def must(cmd, **kwargs):
    result = run(cmd, **kwargs)
    if result.returncode != 0:
        log(f"failed: {' '.join(map(str, cmd))}\n{result.stdout}\n{result.stderr}")
        sys.exit(2)
    return result


# ---------------------------------------------------------------------------------------------
# Payloads


def valid_payload(rng):
    name = rng.choice("abcdefghijklmnopqrstuvwxyz") + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(rng.randint(2, 30))
    ) + rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
    values = {
        "imagePullPolicy": rng.choice(["Always", "IfNotPresent", "Never"]),
        "imageTag": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}-enterprise",
        "replicaCount": rng.randint(1, 5),
        "authEnabled": rng.random() < 0.5,
        "resources": {"limits": {"cpu": f"{rng.randint(1, 8)}", "memory": f"{rng.randint(1, 16)}Gi"}},
        "persistence": {"enabled": True, "size": f"{rng.randint(1, 100)}Gi", "mountPath": "/data"},
        "tolerations": [],
        "nodeSelector": {},
        "extraEnv": [{"name": f"VAR_{i}", "value": str(rng.random())} for i in range(rng.randint(0, 6))],
    }
    payload = {
        "chart_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "name": name[:53],
        "namespace": rng.choice(["default", "prod", "staging", "team-a", "kube-apps"]),
        "version": f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}",
        "values": values,
    }
    if rng.random() < 0.5:
        payload["description"] = f"release {name} for the bench"
    if rng.random() < 0.3:
        payload["parameters"] = {"dry_run": rng.random() < 0.5, "no_hooks": False}
    return payload


def mutate(payload, rng):
    """One mistake that both JSON Schema and the linter (in --strict) reject."""
    kind = rng.choice(
        [
            "bad_name",
            "missing",
            "pull_policy",
            "chart_id",
            "unknown_field",
            "dry_run_type",
            "long_name",
            "version",
            "values_array",
            "negative_release_version",
        ]
    )
    if kind == "bad_name":
        payload["name"] = "Koi_" + payload["name"]
    elif kind == "missing":
        del payload[rng.choice(["chart_id", "name", "namespace", "version", "values"])]
    elif kind == "pull_policy":
        payload["values"]["imagePullPolicy"] = "always"
    elif kind == "chart_id":
        payload["chart_id"] = "neo4j"
    elif kind == "unknown_field":
        payload["project_id"] = "0abdd2dce980d4162f8ac006608ee02d"
    elif kind == "dry_run_type":
        payload["parameters"] = {"dry_run": "yes"}
    elif kind == "long_name":
        payload["name"] = "a" * 60
    elif kind == "version":
        payload["version"] = "latest"
    elif kind == "values_array":
        payload["values"] = ["imageTag=4.0.3"]
    else:
        payload["parameters"] = {"release_version": -1}
    return payload


def to_yaml(value, indent=0):
    """Block-style YAML of a JSON value; strings double-quoted (JSON's escapes are YAML's)."""
    pad = "  " * indent
    if isinstance(value, dict) and value:
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{json.dumps(key)}:\n{to_yaml(item, indent + 1)}")
            else:
                lines.append(f"{pad}{json.dumps(key)}: {to_yaml(item)}")
        return "\n".join(lines)
    if isinstance(value, list) and value:
        lines = []
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = to_yaml(item, indent + 1).lstrip()
                lines.append(f"{pad}- {inner}")
            else:
                lines.append(f"{pad}- {to_yaml(item)}")
        return "\n".join(lines)
    return json.dumps(value)


def generate(directory, count, invalid_share, seed, yaml=False):
    rng = random.Random(seed)
    directory.mkdir(parents=True)
    expected = {}
    for i in range(count):
        payload = valid_payload(rng)
        valid = rng.random() >= invalid_share
        if not valid:
            payload = mutate(payload, rng)
        if yaml:
            name = f"release-{i:05d}.yaml"
            (directory / name).write_text(to_yaml(payload) + "\n")
        else:
            name = f"release-{i:05d}.json"
            (directory / name).write_text(json.dumps(payload, indent=2) + "\n")
        expected[name] = valid
    return expected


# ---------------------------------------------------------------------------------------------
# Tools: each returns the command and a parser from its output to {file name: valid}


def install_peers(work):
    log("installing check-jsonschema into a venv ...")
    venv = work / "venv"
    must([sys.executable, "-m", "venv", str(venv)])
    must([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", "check-jsonschema"])
    log("installing ajv-cli@5 and ajv-formats from npm ...")
    node = work / "node"
    node.mkdir()
    must(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(node), "ajv-cli@5", "ajv-formats"])
    return venv / "bin" / "check-jsonschema", node / "node_modules" / ".bin" / "ajv"


def lint_verdicts(result):
    doc = json.loads(result.stdout)
    return {Path(f["path"]).name: f["valid"] for f in doc["files"]}


def check_jsonschema_verdicts(result, names):
    doc = json.loads(result.stdout)
    invalid = {Path(e["filename"]).name for e in doc.get("errors", [])}
    invalid |= {Path(e["filename"]).name for e in doc.get("parse_errors", [])}
    return {name: name not in invalid for name in names}


def ajv_verdicts(result):
    """ajv prints `<file> valid` or `<file> invalid` (then the errors) for each file."""
    verdicts = {}
    for line in (result.stdout + "\n" + result.stderr).splitlines():
        path, _, word = line.strip().rpartition(" ")
        if word in ("valid", "invalid") and path.endswith(".json"):
            verdicts[Path(path).name] = word == "valid"
    return verdicts


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd, runs, ok_codes, cwd=None):
    """Median wall time, all wall times, median CPU time (user + system), the last result."""
    times, cpu, last = [], [], None
    for _ in range(runs):
        cpu_before = children_cpu()
        start = time.perf_counter()
        last = run(cmd, cwd=cwd)
        times.append(time.perf_counter() - start)
        cpu.append(children_cpu() - cpu_before)
        if last.returncode not in ok_codes:
            log(f"unexpected exit {last.returncode}: {' '.join(map(str, cmd))}\n{last.stderr[-2000:]}")
            sys.exit(2)
    return statistics.median(times), times, statistics.median(cpu), last


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc {run(['nproc']).stdout.strip()}), {model}, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000, help="payload files to generate (10000)")
    parser.add_argument("--invalid-share", type=float, default=0.3, help="share of invalid files (0.3)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the linter and ajv-cli (5)")
    parser.add_argument("--peer-runs", type=int, default=3, help="timed runs of check-jsonschema (3)")
    parser.add_argument("--single-runs", type=int, default=20, help="timed runs on one file (20)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--yaml", action="store_true", help="YAML payloads (see above)")
    args = parser.parse_args()

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="cce-release-bench-"))
    try:
        check_jsonschema, ajv = install_peers(work)
        log("building the release binary ...")
        must(["cargo", "build", "--release", "--quiet", "--bin", "cce-release-lint"], cwd=REPO)
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        lint = target / "release" / "cce-release-lint"

        log(f"generating {args.files} payload files ...")
        payloads = work / "payloads"
        expected = generate(payloads, args.files, args.invalid_share, args.seed, args.yaml)
        names = sorted(expected)
        files = [str(payloads / n) for n in names]
        schema = work / "create-release-request.schema.json"
        shutil.copy(SCHEMA, schema)

        linter = [str(lint), "--no-config", "--kind", "create-request", "--strict", "--format", "json"]
        tools = {
            "cce-release-lint": (linter + [str(payloads)], args.runs, lint_verdicts),
        }
        if args.yaml:
            auto = [str(lint), "--no-config", "--strict", "--format", "json", str(payloads)]
            tools["cce-release-lint --kind auto"] = (auto, args.runs, lint_verdicts)
        else:
            tools["ajv-cli"] = (
                [str(ajv), "validate", "--spec=draft2020", "--strict=true", "-c", "ajv-formats",
                 "-s", str(schema), "-d", f"{payloads}/*.json"],
                args.runs,
                ajv_verdicts,
            )
        tools["check-jsonschema"] = (
            [str(check_jsonschema), "--schemafile", str(schema), "-o", "json", *files],
            args.peer_runs,
            lambda result: check_jsonschema_verdicts(result, names),
        )

        medians, all_times, cpu_medians, disagreements = {}, {}, {}, []
        for tool, (cmd, runs, verdicts_of) in tools.items():
            log(f"{tool}: warm-up run, then {runs} timed runs ...")
            run(cmd)  # warm the page cache and the interpreters' caches
            median, times, cpu, last = timed(cmd, runs, ok_codes=(0, 1))
            medians[tool], all_times[tool], cpu_medians[tool] = median, times, cpu
            verdicts = verdicts_of(last)
            if set(verdicts) != set(expected):
                disagreements.append(f"{tool}: reported {len(verdicts)} of {len(expected)} files")
            wrong = sorted(n for n in names if n in verdicts and verdicts[n] != expected[n])
            if wrong:
                disagreements.append(f"{tool}: {len(wrong)} verdicts differ from the generator's, e.g. {wrong[:5]}")

        log("one file ...")
        one = files[0]
        single = {"cce-release-lint": [str(lint), "--no-config", "--kind", "create-request", "--strict", one]}
        if args.yaml:
            single["cce-release-lint --kind auto"] = [str(lint), "--no-config", "--strict", one]
        else:
            single["ajv-cli"] = [str(ajv), "validate", "--spec=draft2020", "--strict=true", "-c", "ajv-formats",
                                 "-s", str(schema), "-d", one]
        single["check-jsonschema"] = [str(check_jsonschema), "--schemafile", str(schema), one]
        single_medians = {}
        for tool, cmd in single.items():
            runs = args.single_runs if tool.startswith("cce-release-lint") else max(3, args.single_runs // 4)
            run(cmd)
            single_medians[tool], _, _, _ = timed(cmd, runs, ok_codes=(0, 1))

        load_after = os.getloadavg()
        valid_count = sum(expected.values())
        ours = medians["cce-release-lint"]
        print(f"Machine: {machine()}")
        print(f"Load average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
              f"after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
        print(f"Files: {args.files} {'YAML' if args.yaml else 'JSON'} payloads ({valid_count} valid, "
              f"{args.files - valid_count} invalid), schema {SCHEMA.relative_to(REPO)}, linter with --strict")
        print(f"Versions: {run([str(lint), '--version']).stdout.strip()}, "
              f"check-jsonschema {run([str(check_jsonschema), '--version']).stdout.strip().split()[-1]}, "
              f"ajv-cli {json.loads((ajv.parent.parent / 'ajv-cli' / 'package.json').read_text())['version']}")
        print()
        print(f"| tool | median wall, {args.files} files | runs | wall ratio | median CPU (user+sys) | CPU ratio "
              f"| median wall, 1 file |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for tool in tools:
            print(f"| {tool} | {medians[tool]:.3f} s | {len(all_times[tool])} | {medians[tool] / ours:.1f}× "
                  f"| {cpu_medians[tool]:.3f} s | {cpu_medians[tool] / cpu_medians['cce-release-lint']:.1f}× "
                  f"| {single_medians[tool] * 1000:.1f} ms |")
        print()
        if disagreements:
            print("Verdicts DISAGREE:")
            for d in disagreements:
                print(f"  {d}")
            return 1
        print(f"Verdicts agree: every tool and the generator, file by file ({args.files} files).")
        return 0
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
