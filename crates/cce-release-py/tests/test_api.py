"""The Python API: payload types, the report protocol, errors, options, limits and threads."""

from __future__ import annotations

import collections
import enum
import json
import pickle
import threading

import pytest

import cce_release
from cce_release import Diagnostic, Report, ValidationError, Validator, validate
from conftest import CLUSTER, FIXTURES, ROOT, UUID, valid_body

BROKEN = b'{"name": "koi-neo4j", "values": []}'


def found(report: Report) -> list:
    return [(d.code, d.pointer) for d in report]


# --- payload types ------------------------------------------------------------------------------


def test_bytes_get_every_finding_with_its_position():
    report = validate(BROKEN)
    assert not report and not report.valid
    assert found(report) == [
        ("missing_field", "/chart_id"),
        ("missing_field", "/namespace"),
        ("missing_field", "/version"),
        ("type_mismatch", "/values"),
    ]
    last = report[-1]
    assert (last.severity, last.location, last.line, last.column) == ("error", "body", 1, 33)
    assert last.message == "`values` must be an object, found an array"


def test_str_bytearray_and_memoryview_read_as_the_same_text():
    expected = validate(BROKEN)
    for payload in (BROKEN.decode(), bytearray(BROKEN), memoryview(BROKEN)):
        assert validate(payload) == expected


def test_a_valid_payload_is_truthy_and_empty():
    report = validate(json.dumps(valid_body()).encode())
    assert report and report.valid and len(report) == 0
    assert report.to_dict() == {"valid": True, "diagnostics": []}


def test_a_dict_gives_the_findings_of_its_text_without_positions():
    body = valid_body()
    body["name"] = "Koi_Neo4j"
    body["parameters"] = {"dry_run": "yes"}
    text = validate(json.dumps(body, indent=2))
    value = validate(body)
    assert found(text) == found(value) == [
        ("pattern_mismatch", "/name"),
        ("type_mismatch", "/parameters/dry_run"),
    ]
    assert all(d.line is not None for d in text)
    assert all(d.line is None and d.column is None for d in value)
    assert [d.message for d in text] == [d.message for d in value]


def test_lists_tuples_and_scalars_are_parsed_values():
    assert found(validate([], "release-list")) == []
    assert found(validate(({"name": "a", "version": "x"},), "release-list")) == [
        ("type_mismatch", "/0/version")
    ]
    assert found(validate(None, "delete-response")) == [("type_mismatch", "")]
    assert found(validate(3, "create-request")) == [("type_mismatch", "")]
    # A str is JSON text, so a JSON string payload is written as one.
    assert found(validate('"deleted"', "delete-response")) == []


def test_subclasses_and_enums_convert_as_their_base_types():
    class Policy(str, enum.Enum):
        ALWAYS = "Always"

    class Version(enum.IntEnum):
        PREVIOUS = 0

    body = collections.OrderedDict(valid_body())
    body["values"] = {"imagePullPolicy": Policy.ALWAYS}
    body["parameters"] = {"release_version": Version.PREVIOUS}
    assert found(validate(body)) == [("ineffective_parameter", "/parameters/release_version")]


def test_duplicate_keys_are_seen_in_text_only():
    text = b'{"name": "a", "name": "b"}'
    assert ("duplicate_key", "/name") in found(validate(text))


def test_a_lone_surrogate_in_text_is_invalid_utf8_as_the_api_would_read_it():
    report = validate('{"name": "\udc80"}')
    assert found(report) == [("invalid_json", "")]
    assert "not valid UTF-8" in report[0].message


# --- the report protocol ------------------------------------------------------------------------


def test_the_report_is_a_sequence_of_diagnostics():
    report = validate(BROKEN)
    assert len(report) == 4 and len(list(report)) == 4
    assert all(isinstance(d, Diagnostic) for d in report)
    assert report[0] == report.diagnostics[0] and report[0] is report[0]
    assert [d.code for d in report[1:3]] == ["missing_field", "missing_field"]
    with pytest.raises(IndexError):
        report[4]
    assert report.error_count == 4 and report.warning_count == 0
    assert report.errors == report.diagnostics and report.warnings == []
    assert report.has("type_mismatch") and not report.has("too_long")
    with pytest.raises(ValueError, match="unknown code"):
        report.has("typo")


def test_warnings_do_not_make_a_report_invalid_unless_strict():
    body = valid_body()
    body["version"] = "v3.0.1"
    report = validate(body)
    assert report and report.warning_count == 1 and report.warnings[0].code == "loose_version"
    strict = validate(body, strict=True)
    assert not strict and strict[0].severity == "error"


def test_to_json_and_to_dict_have_the_linter_shape():
    report = validate(BROKEN)
    data = json.loads(report.to_json())
    assert data == report.to_dict()
    assert data["valid"] is False
    assert data["diagnostics"][0] == {
        "severity": "error",
        "code": "missing_field",
        "location": "body",
        "pointer": "/chart_id",
        "line": 1,
        "column": 1,
        "message": "missing mandatory field `chart_id`",
    }
    assert json.loads(report.to_json(indent=2)) == data
    assert "\n  " in report.to_json(indent=2)
    # No position: the keys are left out, as in the linter's output.
    assert "line" not in validate({"name": 1}).diagnostics[0].to_dict()


def test_repr_and_str():
    report = validate(BROKEN)
    assert repr(report) == "<Report invalid: 4 errors, 0 warnings>"
    assert str(report).splitlines()[0] == "1:1: error[missing_field]: missing mandatory field `chart_id`"
    assert repr(report[0]).startswith("Diagnostic(code='missing_field', severity='error'")
    assert str(validate({"name": "Koi"})[0]).startswith("/name: error[pattern_mismatch]")


def test_reports_and_diagnostics_pickle():
    report = Validator(max_findings=2).validate(BROKEN)
    assert report[-1].code == "too_many_findings"
    copy = pickle.loads(pickle.dumps(report))
    assert copy == report and found(copy) == found(report)
    assert pickle.loads(pickle.dumps(report[0])) == report[0]
    assert len({report[0], copy[0]}) == 1


def test_raise_for_errors_raises_a_value_error_carrying_the_findings():
    report = validate(BROKEN)
    with pytest.raises(ValidationError) as caught:
        report.raise_for_errors()
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.report is report and error.diagnostics == report.diagnostics
    lines = str(error).splitlines()
    assert lines[0] == "invalid payload: 4 errors, 0 warnings"
    assert lines[1:] == str(report).splitlines()
    copy = pickle.loads(pickle.dumps(error))
    assert copy.report == report


def test_raise_for_errors_returns_a_report_with_only_warnings():
    body = valid_body()
    body["version"] = "v3.0.1"
    report = validate(body)
    assert report.raise_for_errors() is report


def test_a_long_error_lists_the_first_findings():
    report = validate([{"name": i} for i in range(30)], "release-list")
    with pytest.raises(ValidationError) as caught:
        report.raise_for_errors()
    lines = str(caught.value).splitlines()
    assert len(lines) == 22 and lines[-1] == "… and 10 more (see the error's `report`)"


# --- options ------------------------------------------------------------------------------------


def test_cluster_id_of_the_path():
    body = valid_body()
    body["cluster_id"] = "11111111-2222-3333-4444-555555555555"
    assert validate(body, cluster_id=CLUSTER).has("cluster_id_mismatch")
    assert not validate(body).has("cluster_id_mismatch")
    validator = Validator(cluster_id=CLUSTER)
    assert validator.validate(body).has("cluster_id_mismatch")
    # The call's own wins over the default.
    assert not validator.validate(body, cluster_id=body["cluster_id"]).has("cluster_id_mismatch")


def test_values_schema_as_dict_or_text():
    path = FIXTURES / "charts" / "values.schema.json"
    body = valid_body()
    body["values"] = {"replicaCount": 0, "persistence": {"size": "ten"}}
    expected = [("values_schema", "/values/replicaCount"), ("values_schema", "/values/persistence/size")]
    for schema in (json.loads(path.read_text()), path.read_text(), path.read_bytes()):
        assert sorted(found(validate(body, values_schema=schema))) == sorted(expected)


def test_an_unusable_values_schema_is_a_schema_error():
    with pytest.raises(cce_release.SchemaError, match="values schema"):
        Validator(values_schema={"$ref": "https://example.com/schema.json"})
    with pytest.raises(cce_release.SchemaError):
        Validator(values_schema="{not json")
    with pytest.raises(ValueError):
        Validator(values_schema={"type": "object", "properties": {"a": nested({}, 200)}})


def test_limits():
    validator = Validator(max_findings=1, max_depth=3, max_input_size=100)
    assert (validator.max_findings, validator.max_depth, validator.max_input_size) == (1, 3, 100)
    assert found(validator.validate(BROKEN)) == [("missing_field", "/chart_id"), ("too_many_findings", "")]
    assert found(validator.validate(b" " * 101)) == [("input_too_large", "")]
    deep = valid_body()
    deep["values"] = {"a": {"b": {}}}
    assert found(Validator(max_depth=3).validate(deep)) == [("invalid_json", "")]
    with pytest.raises(ValueError, match=r"larger than the maximum input size \(100 bytes\)"):
        validator.validate(deep)
    assert found(Validator(max_depth=4).validate(deep)) == []


def test_unknown_kinds_and_codes_are_value_errors():
    with pytest.raises(ValueError, match="unknown kind `nope`; the kinds are create-request"):
        validate(b"{}", "nope")
    with pytest.raises(ValueError, match="unknown code"):
        cce_release.explain("nope")


def test_the_validator_describes_itself():
    validator = Validator("update-request", strict=True, cluster_id=CLUSTER)
    assert (validator.kind, validator.strict, validator.cluster_id) == ("update-request", True, CLUSTER)
    assert repr(validator) == f'Validator("update-request", strict=True, cluster_id="{CLUSTER}")'


# --- schemas, codes, explanations ---------------------------------------------------------------


def test_schemas_are_the_committed_files():
    committed = {p.read_text() for p in (ROOT / "schemas").glob("*.schema.json")}
    for kind in cce_release.KINDS:
        text = cce_release.schema_text(kind)
        assert text in committed, kind
        assert cce_release.schema(kind) == json.loads(text)
    assert cce_release.schema()["required"] == ["chart_id", "name", "namespace", "version", "values"]


def test_every_code_is_explained():
    assert len(cce_release.CODES) == len(set(cce_release.CODES))
    for code in cce_release.CODES:
        e = cce_release.explain(code)
        assert e.code == code and e.severity in ("error", "warning")
        assert all([e.summary, e.what, e.why, e.example, e.fix])
        assert str(e).startswith(f"{code} ({e.severity} by default): {e.summary}")


# --- conversion of parsed values: bounded, never a crash ----------------------------------------


def nested(inner, levels):
    for _ in range(levels):
        inner = [inner]
    return inner


def test_nesting_past_the_limit_is_reported_like_text():
    body = valid_body()
    body["values"] = {"a": nested([], 130)}
    text = json.dumps(body).encode()
    assert found(validate(text)) == found(validate(body)) == [("invalid_json", "")]
    assert validate(text)[0].message == validate(body)[0].message
    body["values"] = {"a": nested([], 124)}  # 127 levels in all
    assert found(validate(body)) == found(validate(json.dumps(body))) == []


def test_circular_references_are_value_errors_naming_the_place():
    loop: list = []
    loop.append(loop)
    body = valid_body()
    body["values"] = {"x": loop}
    with pytest.raises(ValueError, match=r"circular reference at `/values/x/0`"):
        validate(body)
    selfish: dict = {}
    selfish["me"] = selfish
    with pytest.raises(ValueError, match="circular reference at `/me`"):
        validate(selfish)


def test_shared_lists_that_are_not_cycles_convert():
    shared = [1, 2]
    assert found(validate({"a": shared, "b": shared}, "error")) != []


def test_exponential_sharing_stops_at_the_size_limit():
    blowup: list = [0]
    for _ in range(60):
        blowup = [blowup, blowup]
    with pytest.raises(ValueError, match="larger than the maximum input size"):
        Validator(max_input_size=1 << 16).validate({"values": blowup})


def test_types_json_does_not_have_are_type_errors():
    import datetime
    import decimal

    for odd in (object(), {1, 2}, b"bytes", datetime.date(2024, 1, 1), decimal.Decimal("1.5"), 1j):
        body = valid_body()
        body["values"] = {"x": odd}
        with pytest.raises(TypeError, match=r"cannot validate an object of type `\w+` at `/values/x`"):
            validate(body)
    with pytest.raises(TypeError, match=r"a key of type `int` in the object at `/values`"):
        validate({"values": {1: "x"}})
    with pytest.raises(TypeError, match="cannot validate a `set`"):
        validate({1, 2})


def test_numbers_json_cannot_write_are_value_errors():
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="NaN or infinite"):
            validate({"values": {"x": bad}})
    with pytest.raises(ValueError, match="too large for a JSON number"):
        validate({"values": {"x": 10**400}})
    # Large integers read as JSON does: u64, then the nearest double.
    body = valid_body()
    body["values"] = {"x": 2**64 - 1, "y": 2**70, "z": -(2**63)}
    assert validate(body)
    with pytest.raises(ValueError, match="lone surrogate"):
        validate({"name": "\udc80"})


def test_a_dict_changed_while_converting_cannot_break_the_conversion():
    class Sneaky(int):
        # Read through float() (too large for 64 bits), so Python code runs mid-conversion.
        def __float__(self):
            body.clear()
            return 1.0

    body = valid_body()
    body["parameters"] = {"release_version": Sneaky(2**70)}
    report = validate(body)  # the snapshot of the items still holds them
    assert found(report) == [("ineffective_parameter", "/parameters/release_version")]
    assert body == {}


# --- threads ------------------------------------------------------------------------------------


def test_one_validator_shared_by_threads_gives_each_the_same_reports():
    validator = Validator()
    payloads = [BROKEN, json.dumps(valid_body()).encode(), {"name": "Koi"}] * 20
    expected = [validator.validate(p) for p in payloads]
    results: dict = {}

    def work(i: int) -> None:
        results[i] = [validator.validate(p) for p in payloads]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[i] == expected for i in range(4))


def test_the_interpreter_runs_other_threads_while_a_payload_is_validated():
    body = valid_body()
    body["values"] = {f"key{i}": {"nested": [i, str(i), {"x": None}]} for i in range(20_000)}
    big = json.dumps(body).encode()
    started = threading.Event()

    def work() -> None:
        started.set()
        validate(big)

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    progress = 0
    while worker.is_alive():
        progress += 1
    worker.join()
    # Holding the interpreter for the whole validation would leave this thread a handful of
    # iterations at most; released, it runs all along.
    assert progress > 1000, progress
