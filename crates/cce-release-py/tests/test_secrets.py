"""Secrets stay masked and hostile characters stay escaped in everything the package shows:
``repr``/``str`` of reports, findings and exceptions, ``to_json``, ``to_dict``, pickles and the
errors of the conversion of parsed values."""

from __future__ import annotations

import json
import pickle

import pytest

import cce_release
from cce_release import ValidationError, Validator, validate
from conftest import CLUSTER, valid_body

SECRET = "hunter2-SECRET-4f9a"
KEY_SECRET = "hunter2-KEYNAME-77b1"

# A chart schema that makes the validator quote values under secret-looking keys, and keys
# below them.
CHART = {
    "type": "object",
    "properties": {
        "password": {"type": "integer"},
        "auth": {"type": "object", "properties": {"token": {"enum": ["a", "b"]}}},
        "credentials": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}


def planted() -> dict:
    body = valid_body()
    body["values"] = {
        "password": SECRET,
        "auth": {"token": SECRET},
        "credentials": {KEY_SECRET: SECRET},
    }
    body["parameters"] = {"apiKey": SECRET}
    return body


def every_text(report) -> list:
    texts = [repr(report), str(report), report.to_json(), report.to_json(indent=2),
             json.dumps(report.to_dict()), pickle.dumps(report).decode("latin-1")]
    for d in report:
        texts += [repr(d), str(d), d.message, d.pointer, json.dumps(d.to_dict())]
    try:
        report.raise_for_errors()
    except ValidationError as e:
        texts += [str(e), repr(e), repr(e.args)]
    return texts


@pytest.mark.parametrize("form", ["bytes", "dict"])
def test_values_and_keys_under_secret_keys_never_show(form):
    body = planted()
    payload = json.dumps(body).encode() if form == "bytes" else body
    report = validate(payload, values_schema=CHART)
    codes = [(d.code, d.pointer) for d in report]
    assert ("values_schema", "/values/password") in codes
    assert ("values_schema", "/values/credentials/***") in codes
    assert ("unknown_field", "/parameters/apiKey") in codes
    for text in every_text(report):
        assert SECRET not in text and KEY_SECRET not in text, text


def test_sdk_bodies_mask_the_same(sdk):
    body = sdk.CreateReleaseReqBody(chart_id=planted()["chart_id"], name="koi", namespace="default",
                                    version="3.0.1", values=planted()["values"])
    request = sdk.CreateReleaseRequest(cluster_id=CLUSTER, body=body)
    report = validate(request, values_schema=CHART)
    assert not report
    for text in every_text(report):
        assert SECRET not in text and KEY_SECRET not in text, text


def test_header_values_never_show():
    token = "MIIT-" + SECRET
    report = cce_release.validate_request(
        "POST", f"/autopilot/cam/v3/clusters/{CLUSTER}/releases",
        {"Content-Type": "text/plain", "X-Auth-Token": token, "Authorization": "Basic " + SECRET},
        json.dumps(valid_body()),
    )
    assert [(d.location, d.code) for d in report] == [("header", "unsupported_media_type")]
    report = cce_release.validate_request(
        "GET", f"/cce/cam/v3/clusters/{CLUSTER}/releases",
        [("Authorization", "SDK-HMAC-SHA256 Access=" + SECRET), ("X-Sdk-Date", "yesterday")],
    )
    assert report.has("malformed_auth")
    for text in every_text(report):
        assert SECRET not in text


def test_conversion_errors_mask_keys_below_a_secret_key():
    body = valid_body()
    body["values"] = {"secrets": {KEY_SECRET: object()}}
    with pytest.raises(TypeError) as caught:
        validate(body)
    assert "`/values/secrets/***`" in str(caught.value)
    assert KEY_SECRET not in str(caught.value)
    loop: dict = {}
    body["values"] = {"token": {KEY_SECRET: loop}}
    loop["again"] = body["values"]
    with pytest.raises(ValueError) as caught:
        validate(body)
    assert KEY_SECRET not in str(caught.value) and "/values/token/***" in str(caught.value)


HOSTILE = ["\x1b[2J", "\x07", "\r\n::error::forged", "\u202e", "\x85", "\x7f", "\u2028", "\u2066"]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[repr(h) for h in HOSTILE])
def test_hostile_characters_in_keys_are_escaped_where_they_are_shown(hostile):
    body = valid_body()
    body["parameters"] = {f"x{hostile}y": True}
    for payload in (body, json.dumps(body, ensure_ascii=False).encode()):
        report = validate(payload)
        assert [d.code for d in report] == ["unknown_field"]
        d = report[0]
        assert hostile in d.pointer  # the data itself is unchanged
        for text in (str(d), str(report)):
            assert hostile not in text and "\n" not in text, text
        assert hostile not in repr(d) and hostile not in repr(report)
        assert hostile not in report.to_json() and json.loads(report.to_json())["diagnostics"][0]["pointer"] == d.pointer
        with pytest.raises(TypeError) as caught:
            broken = dict(body)
            broken["parameters"] = {f"x{hostile}y": object()}
            validate(broken)
        assert hostile not in str(caught.value)


def test_a_validation_error_lists_one_line_per_finding_whatever_the_keys():
    body = valid_body()
    body["parameters"] = {f"k{i}\n::error file=x::forged{i}": True for i in range(5)}
    report = Validator(strict=True).validate(body)
    with pytest.raises(ValidationError) as caught:
        report.raise_for_errors()
    assert len(str(caught.value).splitlines()) == 1 + len(report)
