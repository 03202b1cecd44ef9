"""cce_release against the Python validators of its field, on the same payloads, machine and run.

    bash crates/cce-release-py/bench/run.sh            # a venv with everything, a release build
    python crates/cce-release-py/bench/compare.py      # in an environment that has it all

Contenders, each given the committed schema (``schemas/create-release-request.schema.json``):

- ``cce_release`` on ``bytes`` (a ``Validator`` built once): parses and validates in one pass,
  every finding with its line and column;
- ``cce_release`` on the ``dict`` (conversion included), every finding with its pointer;
- ``jsonschema-rs``: ``iter_errors`` (every error), on the ``dict`` and on the bytes
  (``json.loads`` first: what a caller holding bytes pays);
- ``fastjsonschema`` (compiled once; stops at the first error: ``JsonSchemaValueException``),
  ``json.loads`` first;
- ``jsonschema`` (``Draft202012Validator``, ``iter_errors``), ``json.loads`` first;
- a pydantic v2 model of the body (the schema's constraints; ``extra="forbid"``):
  ``model_validate_json`` on the bytes (pydantic-core parses them) and ``model_validate`` on the dict.

Payloads: the provider's example request (1.2 KiB; two members the schema does not define), a
minimal valid body, the seven-findings body of the Rust benchmark, and a valid body with about
1 MiB of realistic Helm values (as ``benches/support``'s ``large_values``).

Each cell is the median of ``--repeats`` timings of a loop sized to take about ``--target``
seconds, per call. The ratios divide by ``cce_release`` on bytes.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import re
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import cce_release

ROOT = pathlib.Path(__file__).resolve().parents[3]
SCHEMA_FILE = ROOT / "schemas" / "create-release-request.schema.json"


# --- payloads -----------------------------------------------------------------------------------


def large_values(target: int) -> dict:
    values: Dict[str, Any] = {"global": {"imageRegistry": "swr.example.com", "storageClass": "csi-disk"}}
    size, i = 0, 0
    while size < target:
        block = {
            "enabled": i % 7 != 0,
            "replicaCount": (i % 5) + 1,
            "image": {"repository": f"team/service-{i}", "tag": f"1.{i % 20}.{i % 9}", "pullPolicy": "IfNotPresent"},
            "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 10, "periodSeconds": 15},
            "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "apps", "effect": "NoSchedule"}],
            "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                                    "labelSelector": {"matchLabels": {"app": f"service-{i}"}}}}]}},
            "extraEnv": [{"name": f"SETTING_{k}", "value": f"value-{i}-{k}"} for k in range(12)],
            "config": {"app.conf": "".join(f'key{k}.subkey = "some configuration value {i} {k}"\n' for k in range(40))},
            "service": {"type": "ClusterIP", "ports": [{"name": "http", "port": 80, "targetPort": 8080}]},
            "autoscaling": {"enabled": False, "minReplicas": 1, "maxReplicas": 10, "targetCPU": 80.5},
        }
        size += len(json.dumps(block, separators=(",", ":")))
        values[f"service{i}"] = block
        i += 1
    return values


def payloads() -> List[Tuple[str, bytes]]:
    minimal = {"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
               "namespace": "default", "version": "3.0.1", "values": {"imageTag": "4.0.3"}}
    large = {"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "platform",
             "namespace": "platform", "version": "12.4.0", "values": large_values(1 << 20)}
    return [
        ("provider example, 1.2 KiB, 2 findings", (ROOT / "examples" / "create-release.json").read_bytes()),
        ("minimal valid body, 0.2 KiB", json.dumps(minimal, indent=2).encode()),
        ("7 findings of 7 codes, 0.3 KiB", (ROOT / "benches" / "data" / "seven-findings.json").read_bytes()),
        ("1 MiB of Helm values, valid", json.dumps(large, indent=2).encode()),
    ]


# --- contenders ---------------------------------------------------------------------------------

# Each contender: name -> (text of what it is, function of the payload bytes returning the number
# of findings it reports, and whether it takes the bytes or the parsed dict).
Contender = Tuple[str, Callable[[Any], int], str]


def contenders(schema: dict) -> Dict[str, Contender]:
    out: Dict[str, Contender] = {}
    strict = cce_release.Validator(strict=True)
    out["cce_release (bytes)"] = ("Validator(strict=True).validate(bytes)", lambda b: len(strict.validate(b)), "bytes")
    out["cce_release (dict)"] = ("Validator(strict=True).validate(dict)", lambda d: len(strict.validate(d)), "dict")

    try:
        import jsonschema_rs

        rs = jsonschema_rs.validator_for(schema)
        out["jsonschema-rs (dict)"] = ("iter_errors(dict)", lambda d: sum(1 for _ in rs.iter_errors(d)), "dict")
        out["jsonschema-rs (bytes)"] = ("iter_errors(json.loads(bytes))",
                                        lambda b: sum(1 for _ in rs.iter_errors(json.loads(b))), "bytes")
    except ImportError:
        print("jsonschema-rs is not installed", file=sys.stderr)

    try:
        import fastjsonschema

        fast = fastjsonschema.compile(schema)

        def run_fast(b: bytes) -> int:
            try:
                fast(json.loads(b))
                return 0
            except fastjsonschema.JsonSchemaValueException:
                return 1

        out["fastjsonschema (bytes)"] = ("compile(schema)(json.loads(bytes)), first error only", run_fast, "bytes")
    except ImportError:
        print("fastjsonschema is not installed", file=sys.stderr)

    try:
        import jsonschema

        py = jsonschema.Draft202012Validator(schema)
        out["jsonschema (bytes)"] = ("Draft202012Validator.iter_errors(json.loads(bytes))",
                                     lambda b: sum(1 for _ in py.iter_errors(json.loads(b))), "bytes")
    except ImportError:
        print("jsonschema is not installed", file=sys.stderr)

    try:
        model = pydantic_model(schema)
        import pydantic

        def run_json(b: bytes) -> int:
            try:
                model.model_validate_json(b)
                return 0
            except pydantic.ValidationError as e:
                return e.error_count()

        def run_dict(d: dict) -> int:
            try:
                model.model_validate(d)
                return 0
            except pydantic.ValidationError as e:
                return e.error_count()

        out["pydantic v2 (bytes)"] = ("Model.model_validate_json(bytes)", run_json, "bytes")
        out["pydantic v2 (dict)"] = ("Model.model_validate(dict)", run_dict, "dict")
    except ImportError:
        print("pydantic is not installed", file=sys.stderr)
    return out


def pydantic_model(schema: dict):
    """A pydantic v2 model of the create body with the committed schema's constraints."""
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field
    from typing_extensions import Annotated

    def pattern(member: dict) -> str:
        # The committed patterns end in `$(?!\n)` for Python's `re`; pydantic-core's Rust regex
        # has no look-ahead and its `$` already means the very end.
        return re.sub(r"\$\(\?!\\n\)$", "$", member["pattern"])

    p = schema["properties"]
    values_p = p["values"]["properties"]
    params_p = p["parameters"]["properties"]
    rv = params_p["release_version"]

    class Parameters(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)
        dry_run: Optional[bool] = None
        name_template: Optional[str] = None
        no_hooks: Optional[bool] = None
        replace: Optional[bool] = None
        recreate: Optional[bool] = None
        reset_values: Optional[bool] = None
        release_version: Optional[Annotated[int, Field(ge=rv.get("minimum", 0), le=rv.get("maximum", 2**31 - 1))]] = None
        include_hooks: Optional[bool] = None

    class Values(BaseModel):
        model_config = ConfigDict(extra="allow", strict=True)
        imagePullPolicy: Optional[Literal["Always", "IfNotPresent", "Never"]] = None
        imageTag: Optional[Annotated[str, Field(max_length=values_p["imageTag"]["maxLength"],
                                                pattern=pattern(values_p["imageTag"]))]] = None

    class CreateReleaseBody(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)
        chart_id: Annotated[str, Field(pattern=pattern(p["chart_id"]))]
        name: Annotated[str, Field(min_length=1, max_length=p["name"]["maxLength"], pattern=pattern(p["name"]))]
        namespace: Annotated[str, Field(min_length=1, max_length=p["namespace"]["maxLength"],
                                        pattern=pattern(p["namespace"]))]
        version: Annotated[str, Field(pattern=pattern(p["version"]))]
        description: Optional[str] = None
        parameters: Optional[Parameters] = None
        values: Values

    return CreateReleaseBody


# --- timing -------------------------------------------------------------------------------------


def median_per_call(fn: Callable[[Any], int], arg: Any, repeats: int, target: float) -> float:
    fn(arg)
    number, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn(arg)
        elapsed = time.perf_counter() - start
        if elapsed >= target / 4 or number >= 1 << 20:
            break
        number *= 2
    number = max(1, int(number * target / max(elapsed, 1e-9)))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn(arg)
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def shown(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("cce-release", "jsonschema-rs", "fastjsonschema", "jsonschema", "pydantic", "pydantic-core"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    return ", ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--target", type=float, default=0.2, help="seconds per timed loop")
    args = parser.parse_args()

    schema = json.loads(SCHEMA_FILE.read_text())
    cases = payloads()
    runners = contenders(schema)
    print(f"Python {platform.python_version()} on {platform.machine()}, {versions()}")
    print(f"medians of {args.repeats} loops of about {args.target} s each, per call\n")

    results: Dict[str, Dict[str, Tuple[float, int]]] = {}
    for label, data in cases:
        parsed = json.loads(data)
        for name, (_, fn, takes) in runners.items():
            arg = data if takes == "bytes" else parsed
            count = fn(arg)
            results.setdefault(name, {})[label] = (median_per_call(fn, arg, args.repeats, args.target), count)

    header = "| contender | " + " | ".join(label for label, _ in cases) + " |"
    print(header)
    print("|" + "---|" * (len(cases) + 1))
    base = results["cce_release (bytes)"]
    for name, row in results.items():
        cells = []
        for label, _ in cases:
            t, count = row[label]
            ratio = t / base[label][0]
            cells.append(f"{shown(t)} ({ratio:.2f}×, {count})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n(time per call (ratio to cce_release on bytes, findings reported); what each runs:")
    for name, (what, _, _) in runners.items():
        print(f"  {name}: {what}")


if __name__ == "__main__":
    main()
