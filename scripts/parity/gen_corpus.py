#!/usr/bin/env python3
"""Generate the parity corpus: valid payloads and thousands of deterministic mutations of them.

Usage: gen_corpus.py --out DIR [--seed N] [--combos N]

Writes DIR/<kind>/NNNNN.json (one payload per file, exactly the bytes the three validators
read) and DIR/manifest.json, a list of {"id", "kind", "file", "label"}. No verdict is
written here on purpose: the point of the suite is that three independent implementations
(the linter, Ajv, Python jsonschema) agree, not that they match a table someone typed.

Everything is a pure function of --seed, so a disagreement found once can be found again.
Stdlib only: this runs before any dependency is installed.
"""

import argparse
import copy
import json
import os
import random
import re
import sys

CREATE = "create-request"
RESPONSE = "create-response"
UPDATE = "update-request"
RELEASE = "release"
LIST = "release-list"
DELETE = "delete-response"
ERROR = "error"
KINDS = (CREATE, RESPONSE, UPDATE, RELEASE, LIST, DELETE, ERROR)

UUID = "e99a7e86-afdd-11eb-aca3-0255ac100b0e"


class Raw:
    """A JSON number written exactly as given (`1e3`, `-0`, `2147483647.00000001`)."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


class Missing:
    """Marker: remove the member instead of setting it."""


MISSING = Missing()

# ---------------------------------------------------------------------------------------------
# Valid starting points. Each is a payload that a careful client would send (or a server return);
# the mutations below are applied to deep copies.
# ---------------------------------------------------------------------------------------------

CREATE_BASES = [
    # The provider's sample, minus the `project_id`/`cluster_id` that are not body members.
    {
        "chart_id": UUID,
        "name": "koi-neo4j",
        "namespace": "default",
        "version": "3.0.1",
        "description": "neo4j for the koi team",
        "parameters": {"dry_run": False, "name_template": "{{ .Release.Name }}", "no_hooks": True,
                       "replace": False},
        "values": {"imagePullPolicy": "IfNotPresent", "imageTag": "4.0.3-enterprise",
                   "replicas": 3, "resources": {"limits": {"cpu": "500m"}}, "tags": ["a", "b"]},
    },
    # The minimum: mandatory members only.
    {"chart_id": UUID.upper(), "name": "a", "namespace": "0", "version": "0.0.0", "values": {}},
    # Every optional member present as null (null means absent), and the update-only booleans
    # present but false (so they raise no `ineffective_parameter`).
    {
        "chart_id": UUID,
        "name": "r-1",
        "namespace": "kube-system",
        "version": "1.2.3-rc.1+build.5",
        "description": None,
        "parameters": {"dry_run": None, "name_template": None, "no_hooks": None, "replace": None,
                       "recreate": False, "reset_values": False, "release_version": None,
                       "include_hooks": False},
        "values": {"imagePullPolicy": None, "imageTag": None},
    },
]

RELEASE_BASES = [
    {
        "chart_name": "neo4j",
        "chart_public": True,
        "chart_version": "3.0.1",
        "cluster_id": "b4a2b5d4-8ed9-11eb-9b26-0255ac100b0c",
        "cluster_name": "koi-cluster",
        "create_at": "2021-05-12T07:11:42Z",
        "description": "neo4j for the koi team",
        "name": "koi-neo4j",
        "namespace": "default",
        "parameters": "{\"dry_run\":false,\"no_hooks\":true}",
        "resources": "",
        "status": "DEPLOYED",
        "status_description": "Install complete",
        "update_at": "2021-05-12T07:12:01Z",
        "values": "{\"imageTag\":\"4.0.3-enterprise\"}",
        "version": 1,
    },
    {},
    {k: None for k in ["chart_name", "chart_public", "chart_version", "cluster_id", "cluster_name",
                       "create_at", "description", "name", "namespace", "parameters", "resources",
                       "status", "status_description", "update_at", "values", "version"]},
]

CREATE_MEMBERS = [
    ("chart_id",), ("name",), ("namespace",), ("version",), ("description",), ("parameters",),
    ("values",),
    ("parameters", "dry_run"), ("parameters", "name_template"), ("parameters", "no_hooks"),
    ("parameters", "replace"), ("parameters", "recreate"), ("parameters", "reset_values"),
    ("parameters", "release_version"), ("parameters", "include_hooks"),
    ("values", "imagePullPolicy"), ("values", "imageTag"),
]
RELEASE_MEMBERS = [(k,) for k in RELEASE_BASES[2]]

# One sample of every JSON type (several for numbers), null included.
TYPE_SAMPLES = [None, True, False, 0, 1, -1, 1.5, Raw("1.0"), Raw("-0"), "", "x", "3.0.1",
                [], ["a"], [None], {}, {"a": 1}]

# Strings for the pattern-constrained members: case, edges, separators, whitespace and the
# newline that Python's `$` lets through, Unicode digits and letters, look-alikes, controls.
EDGE_STRINGS = [
    "abc", "ABC", "Abc", "aBc", "a-b", "a--b", "-abc", "abc-", "-", "a_b", "_abc", "abc_", "_",
    "a.b", ".abc", "abc.", "a..b", "abc\n", "\nabc", "abc\r", "abc\r\n", "abc\n\n", " abc",
    "abc ", "a b", "\tabc", "a\u0000", "a\u000b", "abc\u2028", "abc\u0085", "١٢٣", "a١٢٣",
    "۱۲۳", "１２３", "ａｂｃ", "é", "abé", "ñame", "ß", "ǅ", "Ⅻ", "ı", "İ", "\u212a", "a\u0301",
    "😀", "a😀", "١", "٣a", "a٣", "𝟘", "0abc", "9", "0", "00", "a0", "z", "1.0", "v1", "latest", "sha256-abc",
    "a" * 10 + "\u200b", "\ufeffabc", "",
]

# chart_id: text UUIDs and near misses.
UUID_CASES = [
    UUID, UUID.upper(), "E99a7e86-AFDD-11eb-aca3-0255AC100b0e",
    "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "{" + UUID + "}", UUID.replace("-", ""), "urn:uuid:" + UUID, UUID[:-1], UUID + "0",
    UUID + "\n", UUID + "\r", " " + UUID, UUID + " ", "g" + UUID[1:], UUID[:8] + "_" + UUID[9:],
    "e99a7e8-6afdd-11eb-aca3-0255ac100b0e", "e99a7e86-afdd-11eb-aca3-0255ac100b0e-",
    UUID.replace("9", "٩"), UUID.replace("e", "ｅ"), "e99a7e86-afdd-11eb-aca3_0255ac100b0e",
    "e99a7e86afdd-11eb-aca3-0255ac100b0e-", UUID.replace("-", "\u2010"), "",
]

# Chart versions: strict SemVer, Helm-accepted loose forms (these raise `loose_version` and
# leave the primary comparison), pre-release / build edge cases, u64 bounds, Unicode digits,
# and long inputs that make a backtracking regex engine work.
VERSIONS = [
    "3.0.1", "0.0.0", "1.2.3-rc.1", "1.2.3+build.1", "1.2.3-rc.1+build.5", "1.0.0-alpha-beta",
    "1.0.0--", "1.0.0-x.7.z.92", "1.0.0-0a.1-x+b", "1.2.3-0", "1.2.3-0a", "1.2.3-1a.2",
    "1.2.3-0.0", "1.2.3+001", "1.2.3+-", "1.2.3-rc.1-",
    "v3.0.1", "3.0", "3", "01.2.3", "1.02.3", "1.2.03", "v3", "v3.0", "v0.0.0",
    "000000000000000000000018446744073709551615.0.0",
    "1.2.3-01", "1.2.3-rc.01", "1.2.3-00", "1.2.3.4", "latest", "1.2.3-", "1.2.3+", "1.2.3-+",
    "1.2.3++", "1.2.3+build..1", "1.2.3-rc..1", "1.2.3-a_b", "1.2.3-αβ", "1.2.3+ü", "V1.2.3",
    "vv1.2.3", "v", "", ".", "1.", ".1", "1..2", "1.2.", "1.2.3 ", " 1.2.3", "1.2.3\n",
    "1.2.3\r", "\n1.2.3", "١.٢.٣", "１.２.３", "1.2.3-١",
    "18446744073709551616.0.0", "18446744073709551615.0.0", "0.18446744073709551615.0",
    "0.0.18446744073709551616", "99999999999999999999.0.0", "18446744073709551615.18446744073709551615.18446744073709551615",
    "18446744073709551620.0.0", "28446744073709551615.0.0", "1844674407370955161.0.0",
    "0" * 2000 + "x", "1." + "0" * 5000 + "!", "1.2.3-" + "a" * 3000, "1.2.3-" + "1." * 1500,
    "1.2.3+" + "a." * 1500 + "!", "9" * 200,
]

IMAGE_PULL_POLICIES = ["Always", "IfNotPresent", "Never", "always", "ALWAYS", "ifnotpresent",
                       "IfNotPresent ", " Never", "Never\n", "", "Sometimes", "null", "None"]

STATUSES = ["DEPLOYED", "DELETED", "FAILED", "DELETING", "PENDING_INSTALL", "PENDING_UPGRADE",
            "PENDING_ROLLBACK", "UNKNOWN", "deployed", "Deployed", "DEPLOYED ", "DEPLOYED\n", "",
            "PENDING-INSTALL", "SUPERSEDED", "UNINSTALLED", "pending_install", "DEPLOYEḌ"]

# Numbers written verbatim: int32 bounds, integral floats (which JSON Schema counts as
# integers), exponents, negative zero, precision that rounds to an integer, huge values.
INT_TEXTS = [
    "-1", "0", "1", "2147483647", "2147483648", "-2147483648", "-2147483649", "1.5", "1.0",
    "1e3", "1E3", "1e+3", "0.1e1", "10e-1", "1.5e1", "-0", "-0.0", "0.0", "2147483647.0",
    "2147483648.0", "-2147483648.0", "2.147483647e9", "2.147483648e9", "2147483647.00000001",
    "2147483647.5", "2147483646.9999999999", "9007199254740993", "18446744073709551615",
    "18446744073709551616", "-9223372036854775809", "1e20", "1e-400", "1e308", "5e-324",
]

VALUES_CONTENT = [
    {"a": {"b": [1, 2, {"c": None}]}},
    {"": 1, " ": None, "$ref": "http://example.com/x", "$schema": 5, "type": "nope",
     "additionalProperties": False},
    {"image": {"imageTag": "NOT A TAG!", "imagePullPolicy": 7}},
    {"big": 18446744073709551616, "neg": -1e300, "frac": 0.1, "exp": Raw("1E-7")},
    {"unicodé": "名前", "emoji": "😀", "esc": "\u0000\u001f\n", "long": "x" * 5000},
    {"list": [[[[[]]]]], "mixed": [1, "a", None, True, {"k": []}]},
    {"deep": "nest:100"},   # replaced below by 100 levels of arrays
    {"deep": "nest:30o"},   # replaced below by 30 levels of objects
    {"imagepullpolicy": "whatever", "ImageTag": "??", "image_tag": 1},
    {"dry_run": True, "release_version": -1, "chart_id": "x"},
    {"__proto__": {"imageTag": "NOT A TAG!", "imagePullPolicy": "bad"}, "constructor": 1},
]


def nest(spec):
    """`nest:100` → 100 nested arrays; `nest:30o` → 30 nested objects."""
    m = re.fullmatch(r"nest:(\d+)(o?)", spec)
    n, objects = int(m.group(1)), bool(m.group(2))
    v = 0
    for _ in range(n):
        v = {"k": v} if objects else [v]
    return v


for vc in VALUES_CONTENT:
    if isinstance(vc.get("deep"), str):
        vc["deep"] = nest(vc["deep"])


# ---------------------------------------------------------------------------------------------
# Mutations: (label, function taking a deep copy of a payload and returning the new payload).
# ---------------------------------------------------------------------------------------------

def show(v):
    """A short, readable rendering of a value for labels: long strings are cut and give their
    length in characters (code points), what the schemas' length bounds count."""
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, str) and len(v) > 24:
        head = json.dumps(v[:12], ensure_ascii=False)[:-1]
        return f'{head}…" ({len(v)} chars)'
    text = json.dumps(v, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:50] + f"…({len(text)} chars)"


def set_at(path, value):
    """Set (or, with MISSING, remove) the member at `path`, creating parent objects as needed.
    A parent that is not an object (an earlier mutation in a combination may have made it one)
    is replaced by an object."""

    def apply(doc):
        if not isinstance(doc, dict):
            doc = {}
        node = doc
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        if value is MISSING:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = copy.deepcopy(value)
        return doc

    label = "/".join(path) + (" missing" if value is MISSING else " = " + show(value))
    return label, apply


def replace_root(value):
    return "root = " + show(value), lambda _doc: copy.deepcopy(value)


def fuzz_strings(rng, alphabet, n, max_len):
    out = []
    for _ in range(n):
        length = rng.randint(0, max_len)
        out.append("".join(rng.choice(alphabet) for _ in range(length)))
    return out


def create_mutations(rng):
    """Single mutations of a create body, grouped: `typed` apply to every base, `other` to the
    first (full) base only, to keep the corpus at a few thousand files."""
    typed, other = [], []
    for path in CREATE_MEMBERS:
        typed.append(set_at(path, MISSING))
        for sample in TYPE_SAMPLES:
            typed.append(set_at(path, sample))
    # Lengths: name 53/54, namespace 63/64, imageTag 128/129, plus multibyte at the bounds.
    for n in (1, 2, 52, 53, 54, 100):
        other.append(set_at(("name",), "a" * n))
        other.append(set_at(("name",), "a" + "-" * max(n - 2, 0) + ("b" if n > 1 else "")))
        other.append(set_at(("name",), "a" + "é" * (n - 1)))
    other.append(set_at(("name",), "a" * 53 + "\n"))
    for n in (1, 62, 63, 64):
        other.append(set_at(("namespace",), "a" * n))
        other.append(set_at(("namespace",), "0" * n))
        other.append(set_at(("namespace",), "a" + "ü" * (n - 1)))
    other.append(set_at(("namespace",), "a" * 63 + "\n"))
    for n in (1, 127, 128, 129, 300):
        other.append(set_at(("values", "imageTag"), "a" * n))
        other.append(set_at(("values", "imageTag"), "_" + "." * (n - 1)))
        other.append(set_at(("values", "imageTag"), "A" + "é" * (n - 1)))
    other.append(set_at(("values", "imageTag"), "A" * 128 + "\n"))
    # Pattern edge cases on every constrained string, and free text where anything goes.
    for s in EDGE_STRINGS:
        for path in [("name",), ("namespace",), ("values", "imageTag"), ("chart_id",),
                     ("description",), ("parameters", "name_template")]:
            other.append(set_at(path, s))
    for s in UUID_CASES:
        other.append(set_at(("chart_id",), s))
    for s in VERSIONS:
        other.append(set_at(("version",), s))
    for s in IMAGE_PULL_POLICIES:
        other.append(set_at(("values", "imagePullPolicy"), s))
    for t in INT_TEXTS:
        other.append(set_at(("parameters", "release_version"), Raw(t)))
    for s in ["3", "0", "1.0", "-1"]:
        other.append(set_at(("parameters", "release_version"), s))
    # Update-only booleans set to true (→ ineffective_parameter, out of the primary comparison).
    for p in ["recreate", "reset_values", "include_hooks", "dry_run", "no_hooks", "replace"]:
        other.append(set_at(("parameters", p), True))
    # Unknown members: rejected at the root and in `parameters`, never inside `values`.
    for k, v in [("project_id", "0605767e3d00d5762f98c0005f1d5b2d"), ("cluster_id", UUID),
                 ("Name", "x"), ("chart_name", "neo4j"), ("action", "upgrade"), ("", 1),
                 ("extra", None), ("values ", {}), ("name\u0000", "x"), ("ｎａｍｅ", "x"),
                 # Names that are special to JavaScript objects.
                 ("__proto__", {"name": "x"}), ("constructor", "x"), ("toString", None),
                 ("hasOwnProperty", 1)]:
        other.append(set_at((k,), v))
    for k in ["foo", "dryRun", "dry-run", "DRY_RUN", "release_Version", "", "values", "name",
              "__proto__", "constructor"]:
        other.append(set_at(("parameters", k), True))
        other.append(set_at(("parameters", k), None))
    for k in ["foo", "", "dry_run", "imagepullpolicy", "image_tag", "$ref", "name", "__proto__",
              "constructor"]:
        other.append(set_at(("values", k), "x"))
        other.append(set_at(("values", k), None))
    for vc in VALUES_CONTENT:
        other.append(set_at(("values",), vc))
        other.append(set_at(("values", "extra"), vc))
    # Seeded fuzz of the patterned members over a small, edge-heavy alphabet.
    for s in fuzz_strings(rng, "az09AZ-_.\n é١", 120, 8):
        for path in [("name",), ("namespace",), ("values", "imageTag")]:
            other.append(set_at(path, s))
    for s in fuzz_strings(rng, "0129.-+vVarc_", 250, 14):
        other.append(set_at(("version",), s))
    for s in fuzz_strings(rng, "0a9fFg-{}", 40, 40):
        other.append(set_at(("chart_id",), s))
    roots = [replace_root(v) for v in [[], [{}], "x", 1, None, True, 1.5, {}]]
    return typed, other, roots


def release_mutations(rng):
    typed, other = [], []
    for path in RELEASE_MEMBERS:
        typed.append(set_at(path, MISSING))
        for sample in TYPE_SAMPLES:
            typed.append(set_at(path, sample))
    # chart_name / chart_version: at most 64 characters (code points, not bytes or UTF-16 units).
    for path in [("chart_name",), ("chart_version",)]:
        for n in (0, 1, 63, 64, 65, 200):
            other.append(set_at(path, "x" * n))
            other.append(set_at(path, "é" * n))        # 2 bytes in UTF-8
            other.append(set_at(path, "名" * n))       # 3 bytes in UTF-8
            other.append(set_at(path, "😀" * n))       # 4 bytes, 2 UTF-16 units
        other.append(set_at(path, "e\u0301" * 32))     # 64 code points, 32 graphemes
        other.append(set_at(path, "e\u0301" * 32 + "x"))
        other.append(set_at(path, "x" * 63 + "\n"))
        other.append(set_at(path, "x" * 64 + "\n"))
    for s in STATUSES:
        other.append(set_at(("status",), s))
    for t in INT_TEXTS:
        other.append(set_at(("version",), Raw(t)))
    for s in ["1", "DEPLOYED", "3.0.1"]:
        other.append(set_at(("version",), s))
    for path in [("parameters",), ("values",), ("resources",)]:
        for v in ["{}", "not json", "{\"a\":", {"dry_run": True}, ["x"]]:
            other.append(set_at(path, v))
    for s in EDGE_STRINGS:
        for path in [("name",), ("namespace",), ("cluster_id",), ("create_at",)]:
            other.append(set_at(path, s))
    for k, v in [("chart_id", UUID), ("extra", None), ("Status", "DEPLOYED"), ("", 0),
                 ("release_version", 1), ("resource", ""), ("__proto__", {"status": "bad"}),
                 ("constructor", None), ("valueOf", "x")]:
        other.append(set_at((k,), v))
    for s in fuzz_strings(rng, "xé😀\u0301", 60, 70):
        other.append(set_at(("chart_name",), s))
    roots = [replace_root(v) for v in [[], [{}], "x", 1, None, True, 1.5]]
    return typed, other, roots


UPDATE_BASES = [
    {
        "chart_id": UUID,
        "action": "upgrade",
        "parameters": {"dry_run": False, "no_hooks": True, "replace": False, "recreate": True,
                       "reset_values": False, "include_hooks": True},
        "values": {"imagePullPolicy": "IfNotPresent", "imageTag": "4.0.4-enterprise",
                   "replicas": 3, "resources": {"limits": {"cpu": "500m"}}},
    },
    # A rollback: `release_version` takes effect here.
    {"chart_id": UUID.upper(), "action": "rollback", "parameters": {"release_version": 1},
     "values": {}},
    {
        "chart_id": UUID,
        "action": "rollback",
        "parameters": {"dry_run": None, "name_template": None, "no_hooks": None, "replace": None,
                       "recreate": None, "reset_values": None, "release_version": None,
                       "include_hooks": None},
        "values": {"imagePullPolicy": None, "imageTag": None},
    },
]

UPDATE_MEMBERS = [
    ("chart_id",), ("action",), ("parameters",), ("values",),
    ("parameters", "dry_run"), ("parameters", "name_template"), ("parameters", "no_hooks"),
    ("parameters", "replace"), ("parameters", "recreate"), ("parameters", "reset_values"),
    ("parameters", "release_version"), ("parameters", "include_hooks"),
    ("values", "imagePullPolicy"), ("values", "imageTag"),
]

ACTIONS = ["upgrade", "rollback", "Upgrade", "ROLLBACK", "", "install", "delete", "upgrade ",
           " rollback", "rollback\n", "up-grade", "ｕｐｇｒａｄｅ"]


def update_mutations(rng):
    typed, other = [], []
    for path in UPDATE_MEMBERS:
        typed.append(set_at(path, MISSING))
        for sample in TYPE_SAMPLES:
            typed.append(set_at(path, sample))
    for a in ACTIONS:
        other.append(set_at(("action",), a))
    for s in UUID_CASES:
        other.append(set_at(("chart_id",), s))
    for t in INT_TEXTS:
        other.append(set_at(("parameters", "release_version"), Raw(t)))
    for s in IMAGE_PULL_POLICIES:
        other.append(set_at(("values", "imagePullPolicy"), s))
    for n in (1, 128, 129):
        other.append(set_at(("values", "imageTag"), "a" * n))
    for s in EDGE_STRINGS[:30]:
        other.append(set_at(("values", "imageTag"), s))
    # The create body's members are not update members (unknown_field).
    for k, v in [("name", "koi-neo4j"), ("namespace", "default"), ("version", "3.0.1"),
                 ("description", "x"), ("cluster_id", UUID), ("project_id", "x"), ("", 1),
                 ("__proto__", {"action": "upgrade"})]:
        other.append(set_at((k,), v))
    for k in ["foo", "dryRun", "releaseVersion"]:
        other.append(set_at(("parameters", k), True))
    for vc in VALUES_CONTENT:
        other.append(set_at(("values",), vc))
    roots = [replace_root(v) for v in [[], [{}], "x", 1, None, True, 1.5, {}]]
    return typed, other, roots


def in_list(mutation):
    """A single-release mutation applied to the first item of a list."""
    label, fn = mutation

    def apply(doc):
        if not isinstance(doc, list) or not doc:
            doc = [{}]
        doc[0] = fn(doc[0])
        return doc

    return "[0]/" + label, apply


RELEASE_LIST_BASES = [
    [RELEASE_BASES[0], dict(RELEASE_BASES[0], version=0, status="SUPERSEDED")],
    [],
    [{}, RELEASE_BASES[2]],
]


def release_list_mutations(rng):
    typed, other, _ = release_mutations(rng)
    typed = [in_list(m) for m in typed]
    other = [in_list(m) for m in other]
    roots = [replace_root(v) for v in [{}, {"releases": []}, "x", 1, None, True, [[]], ["x"],
                                       [None], [1], [{}] * 3]]
    return typed, other, roots


DELETE_BASES = ["release koi-neo4j deleted", "", "删除成功"]


def delete_mutations(rng):
    roots = [replace_root(v) for v in TYPE_SAMPLES + [{"message": "deleted"}, ["deleted"]]]
    return [], [], roots


ERROR_BASES = [
    {"errorCode": "CCE.01400001", "errorMessage": "Invalid request."},
    {"error_code": "CCE.01400006", "error_msg": "Content type not supported."},
    {"errorCode": "CCE.01400001", "errorMessage": "", "error_code": "CCE.01400001",
     "error_msg": ""},
]
ERROR_MEMBERS = [("errorCode",), ("errorMessage",), ("error_code",), ("error_msg",)]


def error_mutations(rng):
    typed, other = [], []
    for path in ERROR_MEMBERS:
        typed.append(set_at(path, MISSING))
        for sample in TYPE_SAMPLES:
            typed.append(set_at(path, sample))
    for k, v in [("message", "x"), ("code", 400), ("ErrorCode", "x"), ("error", {}), ("", None),
                 ("__proto__", {"errorCode": "x"}), ("encoded_authorization_message", "x")]:
        other.append(set_at((k,), v))
    roots = [replace_root(v) for v in [[], "x", 1, None, True, {}, {"error_code": "x"},
                                       {"errorMessage": "x"}]]
    return typed, other, roots


# ---------------------------------------------------------------------------------------------
# Serialization: several spellings of the same value (compact, spaced, indented; non-ASCII as
# UTF-8 or as \u escapes, astral characters then becoming surrogate pairs), chosen by the seed.
# ---------------------------------------------------------------------------------------------

RAW_TOKEN = re.compile(r'"@@RAW@@([^"@]*)@@"')


def dump(doc, rng):
    style = rng.choice([{"separators": (",", ":")}, {}, {"indent": 2}, {"indent": "\t"}])
    ascii_only = rng.random() < 0.35
    text = json.dumps(doc, ensure_ascii=ascii_only,
                      default=lambda o: f"@@RAW@@{o.text}@@", **style)
    return RAW_TOKEN.sub(lambda m: m.group(1), text).encode("utf-8")


def raw_payloads():
    """Hand-spelled texts that no serializer writes: duplicate keys, BOM, broken JSON, numbers
    out of every range. Most are excluded from the comparison by the linter's own findings
    (that is what the exclusion rule is for); they are here to show the exclusion works and to
    feed the filtered comparison (see compare.py)."""
    body = ('"chart_id":"%s","namespace":"default","version":"3.0.1","values":{}' % UUID)
    rel = '"chart_name":"neo4j","status":"DEPLOYED"'
    c = [
        ("duplicate name, last valid", '{"name":"BAD NAME",%s,"name":"ok"}' % body),
        ("duplicate name, last invalid", '{"name":"ok",%s,"name":"BAD NAME"}' % body),
        ("duplicate key inside values", '{"name":"ok",%s}' % body.replace(
            '"values":{}', '"values":{"a":1,"a":2}')),
        ("BOM then valid body", '\ufeff{"name":"ok",%s}' % body),
        ("trailing comma", '{"name":"ok",%s,}' % body),
        ("trailing data", '{"name":"ok",%s} {}' % body),
        ("empty input", ""),
        ("NaN release_version", '{"name":"ok",%s,"parameters":{"release_version":NaN}}' % body),
        ("lone surrogate in description", '{"name":"ok",%s,"description":"\\ud800"}' % body),
        ("surrogate pair escape in description",
         '{"name":"ok",%s,"description":"\\ud83d\\ude00"}' % body),
        ("1e400 in values", '{"name":"ok",%s}' % body.replace('"values":{}', '"values":{"n":1e400}')),
        ("nesting beyond 128", '{"name":"ok",%s}' % body.replace(
            '"values":{}', '"values":{"d":%s0%s}' % ("[" * 200, "]" * 200))),
        ("escaped name", '{"name":"\\u006b\\u006f\\u0069",%s}' % body),
        ("escaped newline in name", '{"name":"koi\\n",%s}' % body),
        ("escaped key: \\u006eame", '{"\\u006eame":"ok",%s}' % body),
        ("escaped key: values.\\u0069mageTag invalid", '{"name":"ok",%s}' % body.replace(
            '"values":{}', '"values":{"\\u0069mageTag":"BAD TAG!"}')),
        ("__proto__ carrying name, name missing", '{"__proto__":{"name":"ok"},%s}' % body),
        ("escaped solidus in imageTag", '{"name":"ok",%s}' % body.replace(
            '"values":{}', '"values":{"imageTag":"a\\/b"}')),
    ]
    r = [
        ("duplicate status, last valid", '{"status":"bad",%s}' % rel),
        ("duplicate status, last invalid", '{%s,"status":"bad"}' % rel),
        ("version 1e400", '{%s,"version":1e400}' % rel),
        ("version -1e400", '{%s,"version":-1e400}' % rel),
        ("BOM then valid release", '\ufeff{%s}' % rel),
        ("chart_name with 64 escaped astral chars",
         '{"chart_name":"%s"}' % ("\\ud83d\\ude00" * 64)),
        ("chart_name with 65 escaped astral chars",
         '{"chart_name":"%s"}' % ("\\ud83d\\ude00" * 65)),
    ]
    return ([(CREATE, label, text.encode("utf-8")) for label, text in c]
            + [(RESPONSE, label, text.encode("utf-8")) for label, text in r]
            + [(CREATE, "invalid UTF-8 in description",
                ('{"name":"ok",%s,"description":"' % body).encode() + b'\xff\xfe"}')])


def generate(seed, combos):
    rng = random.Random(seed)
    items = []  # (kind, label, bytes)

    for kind, bases, mutations in [(CREATE, CREATE_BASES, create_mutations),
                                   (RESPONSE, RELEASE_BASES, release_mutations),
                                   (UPDATE, UPDATE_BASES, update_mutations),
                                   (RELEASE, RELEASE_BASES[:2], lambda _rng: ([], [], [])),
                                   (LIST, RELEASE_LIST_BASES, release_list_mutations),
                                   (DELETE, DELETE_BASES, delete_mutations),
                                   (ERROR, ERROR_BASES, error_mutations)]:
        typed, other, roots = mutations(rng)
        for i, base in enumerate(bases):
            items.append((kind, f"base {i}", dump(base, rng)))
            for label, fn in typed + (other if i == 0 else []):
                items.append((kind, f"base {i}: {label}", dump(fn(copy.deepcopy(base)), rng)))
        for label, fn in roots:
            items.append((kind, label, dump(fn(None), rng)))
        # Random combinations of 2 or 3 single mutations on a random base.
        pool = typed + other
        if len(pool) < 3:
            continue
        n = combos if kind == CREATE else combos // 2
        for _ in range(n):
            i = rng.randrange(len(bases))
            picked = rng.sample(pool, rng.choice([2, 3]))
            doc = copy.deepcopy(bases[i])
            for _, fn in picked:
                doc = fn(doc)
            label = f"base {i}: " + " & ".join(lbl for lbl, _ in picked)
            items.append((kind, label, dump(doc, rng)))

    items.extend(raw_payloads())
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--combos", type=int, default=600,
                    help="random 2-3 mutation combinations for create-request (half as many "
                         "for each other kind)")
    args = ap.parse_args()

    items = generate(args.seed, args.combos)
    manifest = []
    for kind in KINDS:
        os.makedirs(os.path.join(args.out, kind), exist_ok=True)
    for n, (kind, label, data) in enumerate(items):
        rel = os.path.join(kind, f"{n:05d}.json")
        with open(os.path.join(args.out, rel), "wb") as f:
            f.write(data)
        manifest.append({"id": n, "kind": kind, "file": rel, "label": label})
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "payloads": manifest}, f, ensure_ascii=False)
    counts = {k: sum(1 for m in manifest if m["kind"] == k) for k in KINDS}
    print(f"corpus: {len(manifest)} payloads (seed {args.seed}): "
          + ", ".join(f"{v} {k}" for k, v in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
