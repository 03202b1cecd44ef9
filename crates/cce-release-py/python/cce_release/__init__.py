"""Validate payloads of the CCE Helm release API before the API (or Helm) does.

``cce_release`` is the Python face of the ``cce-release`` Rust library: the same rules, codes,
messages and masking as the ``cce-release-lint`` linter, every finding with its code, JSON
Pointer, line and column.

>>> import cce_release
>>> report = cce_release.validate(b'{"name": "koi-neo4j", "values": []}')
>>> bool(report)
False
>>> [(d.code, d.pointer) for d in report][:2]
[('missing_field', '/chart_id'), ('missing_field', '/namespace')]

Payloads are JSON text (``bytes`` or ``str``: findings have lines and columns), parsed JSON
(``dict``, ``list``: pointers only), or objects of the provider's SDK (``huaweicloudsdkcce``
request and body objects, validated as the SDK would send them). A ``Validator`` is built once
(a chart's values schema compiled once) and shared across threads; it validates with the
interpreter released.
"""

from __future__ import annotations

import json as _json
from typing import Any, Dict, Literal

from ._native import (
    CODES,
    KINDS,
    Diagnostic,
    Explanation,
    Report,
    SchemaError,
    ValidationError,
    Validator,
    __version__,
    explain,
    schema_text,
    validate,
    validate_request,
)

#: The kinds of payload (``cce_release.KINDS`` at run time).
Kind = Literal[
    "create-request",
    "create-response",
    "update-request",
    "release",
    "release-list",
    "delete-response",
    "error",
]
#: A finding's severity.
Severity = Literal["error", "warning"]
#: The part of a request a finding is about.
Location = Literal["body", "path", "query", "header"]

__all__ = [
    "CODES",
    "KINDS",
    "Diagnostic",
    "Explanation",
    "Kind",
    "Location",
    "Report",
    "SchemaError",
    "Severity",
    "ValidationError",
    "Validator",
    "__version__",
    "explain",
    "schema",
    "schema_text",
    "validate",
    "validate_request",
]


def schema(kind: Kind = "create-request") -> Dict[str, Any]:
    """The committed JSON Schema (draft 2020-12) of a kind, as a new ``dict`` each call.

    >>> schema("create-request")["required"]
    ['chart_id', 'name', 'namespace', 'version', 'values']
    """
    return _json.loads(schema_text(kind))
