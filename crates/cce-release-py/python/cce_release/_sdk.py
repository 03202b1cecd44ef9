"""Objects of the provider's SDK (``huaweicloudsdkcce``): what they would send.

The SDK checks nothing and sends what it is given. ``cce_release.validate`` takes its request
objects (``CreateReleaseRequest``, ``CreateAutopilotReleaseRequest``, ``UpdateReleaseRequest``, …)
and body objects (``CreateReleaseReqBody``, ``UpdateReleaseReqBody``) and validates what the SDK
would put on the wire, as ``huaweicloudsdkcore`` writes it:

- the body through ``sanitize_for_serialization`` (wire names: ``values.imagePullPolicy``, not
  the attribute ``image_pull_policy``; unset members left out) and ``simplejson`` with
  ``use_decimal`` (``Client._parse_body``); a ``str`` body goes as it is, no body as none;
- the path: the operation's template with each path parameter that is set replaced by
  ``quote(str(value), safe="")`` (``Client._parse_path_params``); one that is ``None`` stays an
  unfilled ``{placeholder}``, as the SDK leaves it;
- the query: the parameters that are set, sorted, ``quote(str(value), safe="~")``, booleans in
  lower case (``Signer.process_request_uri``);
- the headers: the ``Content-Type`` the SDK sets. Credentials are added by the client's signer
  when it sends, so a request object has none: a stand-in token says so to the HTTP layer,
  which then checks the route, the path and query parameters and the body by its own rules.

The SDK is optional: this module imports nothing from it until it meets one of its objects, and
recognizes them by class (name and module), so a subclass works too. The operation and prefix
of each request class are checked against the SDK's own ``CceClient`` by the test suite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from . import _native

#: Request classes: the operation of the route table and the path prefix they are sent under.
REQUESTS: Dict[str, Tuple[str, str]] = {
    "CreateReleaseRequest": ("create", "classic"),
    "CreateAutopilotReleaseRequest": ("create", "autopilot"),
    "ListReleasesRequest": ("list", "classic"),
    "ListAutopilotReleasesRequest": ("list", "autopilot"),
    "ShowReleaseRequest": ("show", "classic"),
    "ShowAutopilotReleaseRequest": ("show", "autopilot"),
    "UpdateReleaseRequest": ("update", "classic"),
    "UpdateAutopilotReleaseRequest": ("update", "autopilot"),
    "DeleteReleaseRequest": ("delete", "classic"),
    "DeleteAutopilotReleaseRequest": ("delete", "autopilot"),
    "ShowReleaseHistoryRequest": ("history", "classic"),
    "ShowAutopilotReleaseHistoryRequest": ("history", "autopilot"),
}

#: Body classes and the kind of payload they are.
BODIES: Dict[str, str] = {
    "CreateReleaseReqBody": "create-request",
    "UpdateReleaseReqBody": "update-request",
}

#: The header the SDK sets on every release call (``select_header_content_type``).
CONTENT_TYPE = "application/json"

#: Stands for the credentials the client's signer adds when it sends (an AK/SK signature or a
#: token). Never shown: the HTTP layer puts no header value in a message.
CREDENTIALS_STAND_IN = ("X-Auth-Token", "added-by-the-sdk-client-when-it-sends")

_OPERATIONS = {name: (method, template) for name, method, template in _native._operations()}
_PREFIXES = dict(_native._prefixes())
_PARAMETER = re.compile(r"\{(\w+)\}")

# The SDK class of each type met so far (None: not an SDK object).
_classes: Dict[type, Optional[type]] = {}


def sdk_class(cls: type) -> Optional[type]:
    """The class of ``huaweicloudsdkcce`` that ``cls`` is or derives from, if any."""
    try:
        return _classes[cls]
    except KeyError:
        pass
    found = None
    for base in getattr(cls, "__mro__", ()):
        module = getattr(base, "__module__", "") or ""
        if module == "huaweicloudsdkcce" or module.startswith("huaweicloudsdkcce."):
            found = base
            break
    if len(_classes) < 1024:
        _classes[cls] = found
    return found


def describe(obj: Any) -> Optional[tuple]:
    """What ``obj`` sends, for the native module: ``None`` when it is no SDK object,
    ``("body", kind, body, written)`` for a body object, and
    ``("request", operation, path_and_query, headers, body, written)`` for a request object.
    ``written`` is true when the body is text the caller wrote (a ``str`` body goes out as it
    is), whose lines and columns mean something to them; the SDK's own serialization is one line
    nobody wrote, so its findings keep their pointers only. Raises ``TypeError`` for an SDK
    object that is neither."""
    cls = sdk_class(type(obj))
    if cls is None:
        return None
    name = cls.__name__
    if name in BODIES:
        return ("body", BODIES[name], wire_body(obj, name), False)
    if name in REQUESTS:
        operation, prefix = REQUESTS[name]
        method, template = _OPERATIONS[operation]
        path = wire_path(obj, _PREFIXES[prefix] + template)
        query = wire_query(obj, template)
        body, written = b"", False
        if method in ("POST", "PUT"):
            payload = getattr(obj, "body", None)
            body, written = wire_body(payload, name), isinstance(payload, (str, bytes, bytearray, memoryview))
        headers = [("Content-Type", CONTENT_TYPE), CREDENTIALS_STAND_IN]
        return ("request", operation, path + ("?" + query if query else ""), headers, body, written)
    known = ", ".join(sorted(REQUESTS) + sorted(BODIES))
    raise TypeError(
        f"a {name} is not a request or a body of the release API; cce_release validates {known}"
    )


def _sanitize(value: Any) -> Any:
    from huaweicloudsdkcore.utils.http_utils import sanitize_for_serialization

    return sanitize_for_serialization(value)


def wire_body(body: Any, name: str) -> bytes:
    """The body as the SDK sends it (``Client._parse_body``): empty for none."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    if isinstance(body, Iterable) and not isinstance(body, (str, bytes, list, tuple, Mapping)):
        # The SDK streams such a body as it is; only bytes-like ones can be read without
        # consuming them.
        if isinstance(body, (bytearray, memoryview)):
            return bytes(body)
        raise TypeError(f"the body of this {name} is a stream, which cannot be validated")
    import simplejson

    try:
        sanitized = _sanitize(body)
        text = simplejson.dumps(sanitized, use_decimal=True) if body else simplejson.dumps(body)
    except RecursionError as e:
        raise ValueError(
            f"the SDK cannot serialize this {name}: RecursionError "
            "(a circular reference, or nesting beyond Python's recursion limit)"
        ) from e
    except ValueError as e:
        # simplejson's own: a circular reference, or a NaN or infinite float (its message
        # quotes the value, so it is not repeated here).
        raise ValueError(
            f"the SDK cannot serialize this {name}: ValueError "
            "(a circular reference, or a NaN or infinite float)"
        ) from e
    except (TypeError, AttributeError) as e:
        raise TypeError(
            f"the SDK cannot serialize this {name}: {type(e).__name__} "
            "(a value that is not a model, a dict, a list or a JSON scalar)"
        ) from e
    return text.encode("utf-8", "surrogatepass")


def wire_path(request: Any, template: str) -> str:
    """The path as the SDK writes it (``Client._parse_path_params``)."""
    path = template
    for parameter in _PARAMETER.findall(template):
        value = getattr(request, parameter, None)
        if value is not None:
            value = _sanitize(value)
            path = path.replace("{%s}" % parameter, quote(str(value), safe=""))
    return path


def wire_query(request: Any, template: str) -> str:
    """The query as the SDK sends it (``Signer.process_request_uri``)."""
    in_path = set(_PARAMETER.findall(template))
    attribute_map = getattr(request, "attribute_map", {})
    params: List[Tuple[str, Any]] = []
    for attribute in getattr(request, "openapi_types", {}):
        if attribute in in_path or attribute == "body":
            continue
        value = getattr(request, attribute, None)
        if value is None:
            continue
        params.append((attribute_map.get(attribute, attribute), _sanitize(value)))
    params.sort(key=lambda p: p[0])
    parts = []
    for key, value in params:
        key = quote(key, safe="~")
        if isinstance(value, list):
            for item in sorted(value, key=str):
                parts.append("%s=%s" % (key, quote(str(item), safe="~")))
        elif isinstance(value, bool):
            parts.append("%s=%s" % (key, quote(str(value).lower(), safe="~")))
        else:
            parts.append("%s=%s" % (key, quote(str(value), safe="~")))
    return "&".join(parts)
