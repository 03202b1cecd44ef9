"""Stubs of the extension module ``cce_release._native`` (re-exported by ``cce_release``)."""

from typing import (
    Any,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Tuple,
    Union,
    final,
    overload,
)

from typing_extensions import Self, TypeAlias

_Kind: TypeAlias = Literal[
    "create-request",
    "create-response",
    "update-request",
    "release",
    "release-list",
    "delete-response",
    "error",
]
_Severity: TypeAlias = Literal["error", "warning"]
_Location: TypeAlias = Literal["body", "path", "query", "header"]

#: JSON text (``bytes``, ``bytearray``, ``memoryview``, ``str``), a parsed JSON value (``dict``,
#: ``list``, …) or an object of the provider's SDK (``huaweicloudsdkcce``), which has no types.
_Payload: TypeAlias = object
#: A chart's ``values.schema.json``: parsed, or as JSON text.
_ValuesSchema: TypeAlias = Union[Mapping[str, Any], bool, str, bytes]
_Headers: TypeAlias = Union[Mapping[str, Union[str, bytes]], Iterable[Tuple[str, Union[str, bytes]]]]
_Body: TypeAlias = Union[bytes, bytearray, memoryview, str, None]

__all__ = [
    "CODES",
    "Diagnostic",
    "Explanation",
    "KINDS",
    "Report",
    "SchemaError",
    "ValidationError",
    "Validator",
    "__version__",
    "_diagnostic_from_json",
    "_operations",
    "_prefixes",
    "_report_from_json",
    "explain",
    "schema_text",
    "validate",
    "validate_request",
]

KINDS: Tuple[str, ...]
CODES: Tuple[str, ...]
__version__: str

@final
class Diagnostic:
    """One finding: what is wrong, where, and how serious it is."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> _Severity: ...
    @property
    def location(self) -> _Location: ...
    @property
    def pointer(self) -> str: ...
    @property
    def line(self) -> Optional[int]: ...
    @property
    def column(self) -> Optional[int]: ...
    @property
    def message(self) -> str: ...
    @property
    def is_error(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Report:
    """Every finding of one payload, sorted by position; true when valid (no error)."""

    @property
    def valid(self) -> bool: ...
    @property
    def error_count(self) -> int: ...
    @property
    def warning_count(self) -> int: ...
    @property
    def diagnostics(self) -> List[Diagnostic]: ...
    @property
    def errors(self) -> List[Diagnostic]: ...
    @property
    def warnings(self) -> List[Diagnostic]: ...
    def has(self, code: str) -> bool: ...
    def to_json(self, indent: Optional[int] = None) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def raise_for_errors(self) -> Self: ...
    def __bool__(self) -> bool: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Diagnostic]: ...
    @overload
    def __getitem__(self, index: int, /) -> Diagnostic: ...
    @overload
    def __getitem__(self, index: slice, /) -> Tuple[Diagnostic, ...]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Explanation:
    """What a code means, why it matters, an example and the fix."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> _Severity: ...
    @property
    def summary(self) -> str: ...
    @property
    def what(self) -> str: ...
    @property
    def why(self) -> str: ...
    @property
    def example(self) -> str: ...
    @property
    def fix(self) -> str: ...

@final
class Validator:
    """A validator of one kind, built once (a chart schema compiled once), shared across threads."""

    def __new__(
        cls,
        kind: _Kind = "create-request",
        *,
        strict: bool = False,
        cluster_id: Optional[str] = None,
        values_schema: Optional[_ValuesSchema] = None,
        max_findings: Optional[int] = None,
        max_depth: Optional[int] = None,
        max_input_size: Optional[int] = None,
    ) -> Self: ...
    def validate(self, payload: _Payload, *, cluster_id: Optional[str] = None) -> Report: ...
    def validate_request(
        self,
        method: str,
        path: str,
        headers: Optional[_Headers] = None,
        body: _Body = None,
    ) -> Report: ...
    @property
    def kind(self) -> _Kind: ...
    @property
    def strict(self) -> bool: ...
    @property
    def cluster_id(self) -> Optional[str]: ...
    @property
    def max_findings(self) -> int: ...
    @property
    def max_depth(self) -> int: ...
    @property
    def max_input_size(self) -> int: ...

class ValidationError(ValueError):
    """The payload has errors: ``report`` is the whole report, ``diagnostics`` its findings."""

    report: Report
    diagnostics: List[Diagnostic]

class SchemaError(ValueError):
    """A chart's values schema that cannot be used."""

def validate(
    payload: _Payload,
    kind: _Kind = "create-request",
    *,
    strict: bool = False,
    cluster_id: Optional[str] = None,
    values_schema: Optional[_ValuesSchema] = None,
) -> Report: ...
def validate_request(
    method: str,
    path: str,
    headers: Optional[_Headers] = None,
    body: _Body = None,
    *,
    strict: bool = False,
    values_schema: Optional[_ValuesSchema] = None,
) -> Report: ...
def explain(code: str) -> Explanation: ...
def schema_text(kind: _Kind) -> str: ...
def _report_from_json(json: str) -> Report: ...
def _diagnostic_from_json(json: str) -> Diagnostic: ...
def _operations() -> List[Tuple[str, str, str]]: ...
def _prefixes() -> List[Tuple[str, str]]: ...
