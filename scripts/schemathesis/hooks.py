"""Schemathesis hooks for scripts/schemathesis/run.sh (loaded through SCHEMATHESIS_HOOKS).

One check of our own, `rejected_at_changed_field`: a negative case that the mock refuses must
be refused *at the field Schemathesis changed*, i.e. the error body's `findings` must hold a
finding at that place (location and pointer), not merely some finding elsewhere. Whether a
negative case is refused at all is Schemathesis's own `negative_data_rejection` (with its rules
for changes that do not reach the request, such as a number sent as a query string that reads as
a valid value); this check looks at the cases that were refused.

It also counts the cases per generation mode and outcome, and writes them as JSON to the file
named by CCE_ST_COUNTS when the run ends.
"""

import atexit
import json
import os
from collections import Counter

import schemathesis

COUNTS = Counter()

# Findings that refuse a request as a whole route: any change to the path may end up here (a
# value with `/` in it, an empty segment).
ROUTE_CODES = {"unknown_route", "method_not_allowed"}


def _write_counts():
    path = os.environ.get("CCE_ST_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dict(COUNTS), f, sort_keys=True)


atexit.register(_write_counts)


def _escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def _pointer(steps):
    return "".join("/" + _escape(s) for s in steps)


def _schema_path_to_pointer(location):
    """`/properties/values/properties/imageTag/pattern` -> `/values/imageTag`."""
    parts = [p for p in (location or "").split("/") if p]
    steps = []
    i = 0
    while i < len(parts):
        if parts[i] == "properties" and i + 1 < len(parts):
            steps.append(parts[i + 1])
            i += 2
        elif parts[i] == "items":
            # An array element: any index; the pointer up to the array is what can be compared.
            break
        else:
            i += 1
    return _pointer(steps)


def _location_name(location):
    # ParameterLocation.BODY -> "body"
    return getattr(location, "value", str(location)).lower()


# Operations without a body: their `Content-Type` is not looked at. The API page says of
# `Content-Type` "The GET method is not verified", and a DELETE has no body either
# (docs/api.md, "Content-Type"), so a Content-Type probe on them changes nothing the API checks.
NO_BODY = {"GET", "DELETE"}


def _reaches(body, steps):
    """Whether a change at `steps` inside the body is in the body sent: every object on the
    way exists (a change below a member that was sent as `null`, or left out, is not)."""
    node = body
    for step in steps[:-1]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return False
    return isinstance(node, (dict, list)) or not steps


def _expected(case, skipped):
    """(location, pointer, prefix) for every field the case changed that the mock checks; a
    pointer of None means "any finding in that location". Changes that reach nothing the API
    checks are added to `skipped`, with their reason."""
    meta = case.meta
    data = meta.phase.data
    mutations = getattr(data, "mutations", ()) or ()
    scenario = str(getattr(data, "scenario", "") or "")
    if "unspecified_http_method" in scenario:
        yield ("route", None, False)
        return
    if mutations:
        for m in mutations:
            where = _location_name(m.parameter_location)
            steps = tuple(m.path)
            if where == "body":
                if _reaches(case.body, steps):
                    yield ("body", _pointer(steps), True)
                else:
                    skipped.append("below_a_member_not_sent")
            elif where == "header" and not steps:
                skipped.append("extra_headers")  # the API ignores headers it does not know
            elif not steps:
                yield (where, None, False)
            else:
                yield (where, "/" + str(steps[0]), False)
        return
    where = _location_name(getattr(data, "parameter_location", None) or "")
    parameter = getattr(data, "parameter", None)
    if where == "body":
        if "missing_parameter" in scenario:
            yield ("body", "", True)
        else:
            yield ("body", _schema_path_to_pointer(getattr(data, "location", None)), True)
    elif where == "header":
        if parameter == "Content-Type" and case.method.upper() in NO_BODY:
            skipped.append("content_type_without_body")
        elif parameter:  # `Content-Type`, `X-Sdk-Date`, ...
            yield ("header", "/" + parameter, False)
        else:
            skipped.append("extra_headers")  # the API ignores headers it does not know
    elif where in ("path", "query"):
        yield (where, "/" + parameter if parameter else None, False)


def _matches(finding, where, pointer, prefix):
    if where == "route":
        return finding.get("code") in ROUTE_CODES
    if where == "path" and finding.get("code") in ROUTE_CODES:
        return True
    if finding.get("location") != where:
        return False
    if pointer is None:
        return True
    got = finding.get("pointer", "")
    if prefix:
        return got == pointer or got.startswith(pointer + "/") or pointer.startswith(got + "/") \
            or (pointer != "" and got == "")
    return got.lower() == pointer.lower()


@schemathesis.check
def rejected_at_changed_field(ctx, response, case):
    meta = case.meta
    if meta is None:
        return None
    mode = "negative" if meta.generation.mode.is_negative else "positive"
    COUNTS[f"{mode}:cases"] += 1
    COUNTS[f"{mode}:status:{response.status_code}"] += 1
    if mode != "negative":
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        body = None
    findings = body.get("findings", []) if isinstance(body, dict) else []
    if not findings:
        # Not refused for its shape (accepted, or a release that does not exist):
        # `negative_data_rejection` judges whether the change reached the request.
        COUNTS["negative:not_refused"] += 1
        return None
    skipped = []
    expected = list(_expected(case, skipped))
    for reason in skipped:
        COUNTS[f"negative:change_reaches_nothing_checked:{reason}"] += 1
    if not expected:
        # Refused for another change of the same case (Schemathesis's coverage phase changes
        # several components at once), which `negative_data_rejection` already holds to its
        # status.
        COUNTS["negative:refused_for_another_change"] += 1
        return None
    missed = [
        (where, pointer)
        for where, pointer, prefix in expected
        if not any(_matches(f, where, pointer, prefix) for f in findings)
    ]
    if missed:
        got = [(f.get("location"), f.get("pointer"), f.get("code")) for f in findings]
        raise AssertionError(
            f"refused, but not at the changed field: expected a finding at {missed}, got {got}"
        )
    COUNTS["negative:refused_at_changed_field"] += 1
    return None
