"""Hostile parsed values: whatever a dict holds, the result is a report or a clear exception, within
the validator's limits; never a crash, a hang, or Python code of the caller's objects run."""

from __future__ import annotations

import json
import time

import pytest

import cce_release
from cce_release import Validator, validate

from conftest import valid_body


def found(report) -> list:
    return [(d.code, d.pointer) for d in report]


def deep(levels: int, make) -> object:
    inner: object = {}
    for _ in range(levels):
        inner = make(inner)
    return inner


@pytest.mark.parametrize("make", [lambda x: {"a": x}, lambda x: [x], lambda x: (x,)], ids=["dict", "list", "tuple"])
def test_nesting_far_past_the_limit_is_one_finding_not_a_crash(make):
    body = valid_body()
    body["values"] = {"x": deep(200_000, make)}
    started = time.perf_counter()
    report = validate(body)
    assert found(report) == [("invalid_json", "")]
    assert "nest" in report[0].message
    # The conversion stops at the limit: it does not walk the 200,000 levels below.
    assert time.perf_counter() - started < 1.0
    # A raised max_depth is clamped to the library's own limit, so the stack stays bounded.
    assert found(Validator(max_depth=10**9).validate(body)) == [("invalid_json", "")]


def test_a_dict_that_contains_itself_is_a_value_error_at_any_depth():
    body = valid_body()
    body["values"] = {"a": {"b": [1, {"c": None}]}}
    body["values"]["a"]["b"][1]["c"] = body
    with pytest.raises(ValueError, match=r"circular reference at `/values/a/b/1/c`"):
        validate(body)
    body["values"]["a"]["b"][1]["c"] = body["values"]["a"]
    with pytest.raises(ValueError, match=r"circular reference at `/values/a/b/1/c`"):
        validate(body)


@pytest.mark.parametrize(
    "key, name",
    [(None, "NoneType"), (1, "int"), (True, "bool"), (1.5, "float"), (("a",), "tuple"), (b"k", "bytes"),
     (frozenset(), "frozenset")],
)
def test_keys_that_are_not_strings_are_type_errors(key, name):
    body = valid_body()
    body["values"] = {"ok": 1, key: 2}
    with pytest.raises(TypeError, match=rf"a key of type `{name}` in the object at `/values`"):
        validate(body)


def test_str_subclass_keys_and_values_are_read_as_their_text_without_running_their_methods():
    class Trap(str):
        def __hash__(self):  # noqa: D105 - must keep the dict usable
            return str.__hash__(self)

        def __str__(self):
            raise AssertionError("__str__ ran")

        def __eq__(self, other):
            return str.__eq__(self, other)

        def encode(self, *args, **kwargs):
            raise AssertionError("encode ran")

    body = valid_body()
    body["values"] = {Trap("image_tag"): Trap("1.0")}
    assert found(validate(body)) == [("sdk_attribute_name", "/values/image_tag")]


def test_a_dict_subclass_is_read_from_its_storage_not_its_methods():
    class Liar(dict):
        def items(self):
            raise AssertionError("items ran")

        def __iter__(self):
            raise AssertionError("__iter__ ran")

        def __getitem__(self, key):
            raise AssertionError("__getitem__ ran")

        def keys(self):
            raise AssertionError("keys ran")

    body = Liar(valid_body())
    assert found(validate(body)) == []
    body2 = valid_body()
    body2["values"] = Liar({"imageTag": 5})
    assert found(validate(body2)) == [("type_mismatch", "/values/imageTag")]


@pytest.mark.parametrize("number", [10**5000, -(10**400), 2**1024], ids=["1e5000", "-1e400", "2^1024"])
def test_integers_too_large_for_json_numbers_are_value_errors(number):
    body = valid_body()
    body["values"] = {"n": number}
    with pytest.raises(ValueError, match=r"too large for a JSON number.*|the integer at `/values/n`"):
        validate(body)


def test_float_subclasses_of_nan_and_infinity_are_value_errors():
    class F(float):
        pass

    for bad in (F("nan"), F("inf"), F("-inf")):
        with pytest.raises(ValueError, match=r"the float at `/values/n` is NaN or infinite"):
            validate({"values": {"n": bad}})


def test_objects_of_other_types_are_type_errors_even_when_they_look_like_containers():
    class Mapping:
        def keys(self):
            return ["a"]

        def __getitem__(self, key):
            return 1

    class Sequence:
        def __len__(self):
            return 1

        def __getitem__(self, i):
            if i:
                raise IndexError
            return 1

    for odd, name in ((Mapping(), "Mapping"), (Sequence(), "Sequence"), (iter([1]), "list_iterator"),
                      (range(3), "range"), (bytearray(b"x"), "bytearray"), (len, "builtin_function_or_method")):
        body = valid_body()
        body["values"] = {"x": odd}
        with pytest.raises(TypeError, match=rf"an object of type `{name}` at `/values/x`"):
            validate(body)


def test_a_dict_with_many_findings_is_capped():
    body = valid_body()
    for i in range(50_000):
        body[f"extra{i}"] = i
    report = Validator(max_findings=10).validate(body)
    assert len(report) == 11
    assert report[-1].code == "too_many_findings"
    assert {d.code for d in report[:-1]} == {"unknown_field"}


def test_a_dict_larger_than_the_input_limit_stops_the_conversion():
    body = valid_body()
    body["values"] = {f"k{i}": "v" * 100 for i in range(100)}
    with pytest.raises(ValueError, match=r"larger than the maximum input size \(4096 bytes\)"):
        Validator(max_input_size=4096).validate(body)
    # One long key or string counts as well as many.
    with pytest.raises(ValueError, match="larger than the maximum input size"):
        Validator(max_input_size=4096).validate({"values": {"k" * 5000: 1}})
    with pytest.raises(ValueError, match="larger than the maximum input size"):
        Validator(max_input_size=4096).validate({"values": {"k": "v" * 5000}})


def test_text_larger_than_the_input_limit_is_one_finding():
    validator = Validator(max_input_size=1 << 16)
    big = json.dumps({"values": {"k": "v" * (1 << 17)}})
    assert found(validator.validate(big)) == [("input_too_large", "")]
    assert found(validator.validate(big.encode())) == [("input_too_large", "")]


def test_control_and_bidi_characters_in_keys_never_reach_an_error_message_raw():
    body = valid_body()
    body["values"] = {"a\x1b[31m\u202e\nb": {1: 2}}
    with pytest.raises(TypeError) as caught:
        validate(body)
    message = str(caught.value)
    assert "\x1b" not in message and "\u202e" not in message and "\n" not in message


def test_errors_leave_the_validator_usable():
    validator = Validator()
    loop: list = []
    loop.append(loop)
    for bad in ({"values": {"x": loop}}, {"values": {1: 2}}, {"values": {"x": float("nan")}}):
        with pytest.raises((TypeError, ValueError)):
            validator.validate(bad)
    assert validator.validate(valid_body())
    assert isinstance(cce_release.validate(json.dumps(valid_body())), cce_release.Report)
