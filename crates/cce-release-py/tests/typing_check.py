"""Type-checked by mypy --strict in the test suite (never run): the stubs describe the API."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import cce_release


def codes(payload: bytes) -> List[str]:
    report: cce_release.Report = cce_release.validate(payload, "create-request", strict=True)
    first: cce_release.Diagnostic = report[0]
    line: Optional[int] = first.line
    del line
    return [d.code for d in report if d.severity == "error"]


def reuse(validator: cce_release.Validator, body: Dict[str, Any]) -> bool:
    kind: cce_release.Kind = validator.kind
    del kind
    try:
        validator.validate(body, cluster_id="7378a198-a3fe-11eb-ad37-0255ac100b07").raise_for_errors()
    except cce_release.ValidationError as error:
        return len(error.diagnostics) == len(error.report)
    return bool(cce_release.schema("update-request")["type"] == "object")
