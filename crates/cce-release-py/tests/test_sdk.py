"""The provider's SDK (huaweicloudsdkcce): its real model classes, valid and with every kind of
mistake the SDK lets through, validated as the SDK would send them.

Besides the verdicts, codes and pointers, two tests pin the adapter to the SDK itself: every
request class maps to the method and path the SDK's own ``CceClient`` uses, and what the adapter
validates is byte for byte what the SDK's client builds and signs (offline: nothing is sent),
with the same report when that signed request goes through the HTTP layer.
"""

from __future__ import annotations

import datetime
import decimal
import re

import pytest

import cce_release
from cce_release import _sdk, validate
from conftest import CLUSTER, UUID

ANOTHER_UUID = "11111111-2222-3333-4444-555555555555"


def found(report) -> list:
    return [(d.location, d.code, d.pointer) for d in report]


@pytest.fixture
def make(sdk):
    """Builders of valid bodies and requests from the SDK's classes; keyword arguments override."""

    class Make:
        @staticmethod
        def values(**kw):
            args = dict(image_pull_policy="IfNotPresent", image_tag="4.0.3-enterprise")
            args.update(kw)
            return sdk.CreateReleaseReqBodyValues(**args)

        @staticmethod
        def params(**kw):
            return sdk.ReleaseReqBodyParams(**kw)

        @staticmethod
        def create_body(**kw):
            args = dict(chart_id=UUID, name="koi-neo4j", namespace="default", version="3.0.1",
                        values=Make.values())
            args.update(kw)
            return sdk.CreateReleaseReqBody(**args)

        @staticmethod
        def update_body(**kw):
            args = dict(chart_id=UUID, action="upgrade", parameters=Make.params(), values=Make.values())
            args.update(kw)
            return sdk.UpdateReleaseReqBody(**args)

    return Make


# --- bodies -------------------------------------------------------------------------------------


def test_a_valid_body_as_the_sdk_serializes_it_passes(make):
    body = make.create_body(description="graph database", parameters=make.params(dry_run=True))
    report = validate(body)
    assert report and len(report) == 0
    assert validate(make.update_body())


def test_to_dict_is_not_the_wire_format_and_is_caught(make):
    body = make.create_body()
    as_dict = body.to_dict()
    assert as_dict["values"] == {"image_pull_policy": "IfNotPresent", "image_tag": "4.0.3-enterprise"}
    report = validate(as_dict)
    assert found(report) == [
        ("body", "sdk_attribute_name", "/values/image_pull_policy"),
        ("body", "sdk_attribute_name", "/values/image_tag"),
    ]
    assert "`values.image_pull_policy` is the SDK model's attribute name for `imagePullPolicy`" in report[0].message
    assert not validate(as_dict, strict=True)
    # What the SDK sends instead:
    from huaweicloudsdkcore.utils.http_utils import sanitize_for_serialization

    wire = sanitize_for_serialization(body)
    assert wire["values"] == {"imagePullPolicy": "IfNotPresent", "imageTag": "4.0.3-enterprise"}
    assert len(validate(wire)) == 0


MISTAKES = [
    # (what, overrides of the create body, expected findings)
    ("missing name", dict(name=None), [("missing_field", "/name")]),
    ("every mandatory member missing", dict(chart_id=None, name=None, namespace=None, version=None, values=None),
     [("missing_field", "/chart_id"), ("missing_field", "/name"), ("missing_field", "/namespace"),
      ("missing_field", "/version"), ("missing_field", "/values")]),
    ("a list as values", dict(values=[1, 2]), [("type_mismatch", "/values")]),
    ("values as a JSON string", dict(values='{"imageTag": "4.0"}'), [("type_mismatch", "/values")]),
    ("dry_run as a string", ("params", "dry_run", "yes"), [("type_mismatch", "/parameters/dry_run")]),
    ("release_version as a string", ("params", "release_version", "2"),
     [("type_mismatch", "/parameters/release_version"), ("ineffective_parameter", "/parameters/release_version")]),
    ("name with capitals and an underscore", dict(name="Koi_Neo4j"), [("pattern_mismatch", "/name")]),
    ("name too long", dict(name="a" * 54), [("too_long", "/name")]),
    ("namespace not a label", dict(namespace="team.a"), [("pattern_mismatch", "/namespace")]),
    ("chart id not a UUID", dict(chart_id="neo4j-3.0.1"), [("invalid_format", "/chart_id")]),
    ("chart version Helm cannot read", dict(version="latest"), [("invalid_format", "/version")]),
    ("chart version as a number", dict(version=3), [("type_mismatch", "/version")]),
    ("pull policy in lower case", ("values", "image_pull_policy", "always"), [("not_allowed", "/values/imagePullPolicy")]),
    ("image tag with a colon", ("values", "image_tag", "neo4j:4.0"), [("pattern_mismatch", "/values/imageTag")]),
    ("description as a number", dict(description=7), [("type_mismatch", "/description")]),
]


@pytest.mark.parametrize("what,change,expected", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistakes_the_sdk_lets_through(make, what, change, expected):
    if isinstance(change, tuple):
        part, key, value = change
        if part == "params":
            body = make.create_body(parameters=make.params(**{key: value}))
        else:
            body = make.create_body(values=make.values(**{key: value}))
    else:
        body = make.create_body(**change)
    report = validate(body)
    assert not report
    assert [(d.code, d.pointer) for d in report] == expected
    assert all(d.location == "body" for d in report)


def test_warnings_the_sdk_lets_through(make):
    report = validate(make.create_body(version="v3.0.1", parameters=make.params(recreate=True)))
    assert report and found(report) == [
        ("body", "loose_version", "/version"),
        ("body", "ineffective_parameter", "/parameters/recreate"),
    ]
    update = make.update_body(parameters=make.params(release_version=3))
    assert found(validate(update)) == [("body", "ineffective_parameter", "/parameters/release_version")]


def test_update_body_mistakes(make):
    report = validate(make.update_body(action="Upgrade", parameters=None, chart_id=None))
    assert [(d.code, d.pointer) for d in report] == [
        ("missing_field", "/chart_id"),
        ("missing_field", "/parameters"),
        ("not_allowed", "/action"),
    ]


def test_values_the_sdk_serializes_its_own_way(make):
    # Decimal and datetime are written by the SDK (use_decimal, isoformat).
    body = make.create_body(values={"imageTag": "4.0", "ratio": decimal.Decimal("0.25"),
                                    "since": datetime.date(2024, 5, 1)})
    assert len(validate(body)) == 0
    # A string body goes out as it is.
    request_class = type(make.create_body())
    assert request_class.__name__ == "CreateReleaseReqBody"


def test_a_str_body_goes_out_as_it_is(sdk):
    request = sdk.CreateReleaseRequest(cluster_id=CLUSTER, body='{"name": "koi-neo4j",}')
    assert found(validate(request)) == [("body", "invalid_json", "")]


def test_what_the_sdk_cannot_serialize_is_a_clear_error(make):
    with pytest.raises(ValueError, match="a NaN or infinite float"):
        validate(make.create_body(values={"ratio": float("nan")}))
    with pytest.raises(TypeError, match="the SDK cannot serialize this CreateReleaseReqBody"):
        validate(make.create_body(values={"tags": {"a", "b"}}))
    loop: dict = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match="circular reference"):
        validate(make.create_body(values=loop))


def test_other_sdk_objects_are_type_errors(sdk, make):
    with pytest.raises(TypeError, match="a CreateReleaseReqBodyValues is not a request or a body"):
        validate(make.values())
    with pytest.raises(TypeError, match="is not a request or a body"):
        validate(sdk.ListClustersRequest())


def test_the_kind_comes_from_the_object(make):
    assert len(validate(make.update_body())) == 0  # not checked as a create body
    assert len(validate(make.update_body(), "update-request")) == 0
    with pytest.raises(ValueError, match="sends a `update-request` body, not `release`"):
        validate(make.update_body(), "release")
    with pytest.raises(ValueError, match="not `create-request`"):
        cce_release.Validator().validate(make.update_body())


def test_a_subclass_of_an_sdk_class_is_recognized(sdk, make):
    class MyBody(sdk.CreateReleaseReqBody):
        pass

    body = MyBody(chart_id=UUID, name="Koi", namespace="default", version="3.0.1", values=make.values())
    assert [(d.code, d.pointer) for d in validate(body)] == [("pattern_mismatch", "/name")]


# --- requests -----------------------------------------------------------------------------------


def test_valid_requests_of_every_operation_pass(sdk, make):
    release = dict(cluster_id=CLUSTER, namespace="default", name="koi-neo4j")
    requests = [
        sdk.CreateReleaseRequest(cluster_id=CLUSTER, body=make.create_body()),
        sdk.CreateAutopilotReleaseRequest(cluster_id=CLUSTER, body=make.create_body()),
        sdk.ListReleasesRequest(cluster_id=CLUSTER, chart_id=UUID, namespace="default"),
        sdk.ListAutopilotReleasesRequest(cluster_id=CLUSTER),
        sdk.ShowReleaseRequest(show_resources="true", **release),
        sdk.ShowAutopilotReleaseRequest(**release),
        sdk.UpdateReleaseRequest(body=make.update_body(), **release),
        sdk.UpdateAutopilotReleaseRequest(body=make.update_body(), **release),
        sdk.DeleteReleaseRequest(**release),
        sdk.DeleteAutopilotReleaseRequest(**release),
        sdk.ShowReleaseHistoryRequest(**release),
        sdk.ShowAutopilotReleaseHistoryRequest(**release),
    ]
    for request in requests:
        report = validate(request)
        assert report and len(report) == 0, (type(request).__name__, str(report))


def test_path_parameters_by_the_http_rules(sdk, make):
    # The SDK leaves an unset path parameter as its `{placeholder}` in the URL.
    report = validate(sdk.CreateAutopilotReleaseRequest(body=make.create_body()))
    assert found(report) == [("path", "invalid_format", "/cluster_id")]
    assert "unfilled placeholder `{cluster_id}`" in report[0].message
    report = validate(sdk.ShowReleaseRequest(cluster_id="my-cluster", namespace="Team_A", name="a/b"))
    assert found(report) == [
        ("path", "invalid_format", "/cluster_id"),
        ("path", "pattern_mismatch", "/namespace"),
        ("path", "pattern_mismatch", "/name"),
    ]
    # An empty one leaves an empty segment: no route at all.
    report = validate(sdk.DeleteAutopilotReleaseRequest(cluster_id=CLUSTER, namespace="", name="koi"))
    assert found(report) == [("path", "unknown_route", "")]


def test_query_parameters_by_the_http_rules(sdk):
    show = sdk.ShowAutopilotReleaseRequest(cluster_id=CLUSTER, namespace="default", name="koi",
                                          show_resources="yes")
    assert found(validate(show)) == [("query", "not_allowed", "/show_resources")]
    show.show_resources = True  # the SDK writes booleans as `true`
    assert len(validate(show)) == 0
    listing = sdk.ListReleasesRequest(cluster_id=CLUSTER, chart_id="neo4j")
    assert found(validate(listing)) == [("query", "invalid_format", "/chart_id")]


def test_request_and_body_findings_together(sdk, make):
    request = sdk.UpdateReleaseRequest(
        cluster_id=CLUSTER, namespace="default", name="Koi",
        body=make.update_body(values=[1], parameters=make.params(dry_run="yes")),
    )
    report = validate(request)
    assert found(report) == [
        ("path", "pattern_mismatch", "/name"),
        ("body", "type_mismatch", "/parameters/dry_run"),
        ("body", "type_mismatch", "/values"),
    ]
    # The SDK writes the body on one line nobody wrote: findings keep their pointers only.
    assert all(d.line is None and d.column is None for d in report)
    # A str body goes out as the caller wrote it, and its findings have their positions.
    request.body = '{\n  "chart_id": "x"\n}'
    report = validate(request)
    body_findings = [(d.code, d.pointer, d.line, d.column) for d in report if d.location == "body"]
    assert ("invalid_format", "/chart_id", 2, 15) in body_findings


def test_the_path_cluster_id_reaches_the_body_rules(sdk, make):
    body = make.create_body()
    body_dict = _sdk._sanitize(body)
    body_dict["cluster_id"] = ANOTHER_UUID
    request = sdk.CreateReleaseRequest(cluster_id=CLUSTER, body=body_dict)
    assert ("body", "cluster_id_mismatch", "/cluster_id") in found(validate(request))
    with pytest.raises(TypeError, match="carries its own cluster id"):
        validate(request, cluster_id=CLUSTER)


def test_a_request_without_its_body_is_an_empty_body(sdk):
    report = validate(sdk.CreateReleaseRequest(cluster_id=CLUSTER))
    assert found(report) == [("body", "invalid_json", "")]
    assert report[0].message == "invalid JSON: the input is empty"


def test_update_request_query_the_route_table_does_not_document(sdk, make):
    # The SDK's update and delete requests carry `show_resources`, which the API documents for
    # show only; the HTTP layer warns.
    request = sdk.UpdateReleaseRequest(cluster_id=CLUSTER, namespace="default", name="koi",
                                       show_resources="true", body=make.update_body())
    report = validate(request)
    assert report and found(report) == [("query", "unknown_field", "/show_resources")]


def test_strict_and_values_schema_apply_to_requests(sdk, make):
    chart = {"type": "object", "properties": {"imageTag": {"const": "4.0.3-enterprise"}}}
    ok = sdk.CreateReleaseRequest(cluster_id=CLUSTER, body=make.create_body())
    assert len(validate(ok, values_schema=chart)) == 0
    bad = sdk.CreateReleaseRequest(cluster_id=CLUSTER, body=make.create_body(values=make.values(image_tag="5")))
    assert found(validate(bad, values_schema=chart)) == [("body", "values_schema", "/values/imageTag")]
    loose = sdk.CreateReleaseRequest(cluster_id=CLUSTER, body=make.create_body(version="3.0"))
    assert validate(loose) and not validate(loose, strict=True)


# --- the adapter against the SDK itself ---------------------------------------------------------


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_each_request_class_has_the_method_and_path_of_the_sdk(sdk):
    client = sdk.CceClient
    operations = {name: (method, template) for name, method, template in cce_release._native._operations()}
    prefixes = dict(cce_release._native._prefixes())
    for name, (operation, prefix) in _sdk.REQUESTS.items():
        request_class = getattr(sdk, name)
        info = getattr(client, "_%s_http_info" % snake(name)[: -len("_request")])(request_class())
        method, template = operations[operation]
        assert (info["method"], info["resource_path"]) == (method, prefixes[prefix] + template), name


@pytest.fixture(scope="module")
def client(sdk):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials

    return (sdk.CceClient.new_builder()
            .with_credentials(BasicCredentials("AK-EXAMPLE", "SK-SECRET-EXAMPLE", "0abdd2dce980d4162f8ac006608ee02d"))
            .with_endpoints(["https://cce.example.invalid"])
            .build())


def signed(client, request):
    """The request the SDK's client builds and signs for ``request`` (nothing is sent)."""
    info = getattr(client, "_%s_http_info" % snake(type(request).__name__)[: -len("_request")])(request)
    future = client.build_future_request(
        info["method"], info["resource_path"], info["path_params"], info["query_params"],
        info["header_params"], info["body"], info["post_params"], info["cname"],
        info["response_type"], info["collection_formats"], None)
    return future.result()


def test_the_adapter_validates_what_the_sdk_client_sends(sdk, make, client):
    weird = dict(cluster_id="c a/b?%", namespace="Team_A", name="koi neo4j")
    requests = [
        sdk.CreateAutopilotReleaseRequest(cluster_id=CLUSTER, body=make.create_body()),
        sdk.CreateReleaseRequest(cluster_id="x y", body=make.create_body(
            name="Koi", values={"imageTag": "é ü", "ratio": decimal.Decimal("0.1")},
            parameters=make.params(dry_run="yes", release_version=2))),
        sdk.CreateReleaseRequest(cluster_id=CLUSTER),
        sdk.UpdateAutopilotReleaseRequest(show_resources=True, body=make.update_body(), **weird),
        sdk.ShowReleaseRequest(cluster_id=CLUSTER, namespace=None, name="koi", show_resources="yes"),
        sdk.ListAutopilotReleasesRequest(cluster_id=CLUSTER, namespace="default", chart_id="a b&c=d"),
        sdk.DeleteReleaseRequest(**weird),
        sdk.ShowAutopilotReleaseHistoryRequest(cluster_id=CLUSTER, namespace="default", name="koi"),
    ]
    for request in requests:
        wire = signed(client, request)
        tag, operation, path_and_query, headers, body, written = _sdk.describe(request)
        assert path_and_query == wire.uri, type(request).__name__
        assert body == (wire.body or b""), type(request).__name__
        # The signed request through the HTTP layer, credentials and all: the same report.
        assert "SDK-HMAC-SHA256" in wire.header_params["Authorization"]
        http = cce_release.validate_request(wire.method, wire.uri, wire.header_params, wire.body)
        ours = validate(request)

        def unplaced(report):
            return [{k: v for k, v in d.to_dict().items() if k not in ("line", "column")} for d in report]

        assert unplaced(http) == unplaced(ours), (type(request).__name__, str(http), str(ours))
        assert all(d.line is None for d in ours)


def test_the_sdk_is_imported_only_for_its_objects():
    import subprocess
    import sys

    code = ("import sys, cce_release; cce_release.validate(b'{}'); cce_release.validate({'a': 1}); "
            "print(any(m.startswith('huaweicloudsdk') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
