"""`cce-release-lint server` driven by pytest-lsp's client: diagnostics with exact ranges (a
line with multibyte characters included, in UTF-16 and UTF-8), hover with the explanation,
a quick fix applied, the diagnostics cleared, malformed messages answered, not fatal."""

import json
import os
import subprocess
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

LINT = os.environ["CCE_RELEASE_LINT"]

# Line 2 holds multibyte characters before the finding: `é` (1 UTF-16 unit, 2 bytes) and
# `😀` (2 UTF-16 units, 4 bytes).
PAYLOAD = (
    '{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",\n'
    '  "description": "é😀", "project_id": "0abdd2dce980d4162f8ac006608ee02d",\n'
    '  "namespace": "default", "version": "v3.0", "values": {}}\n'
)
URI = "file:///tmp/cce-release-lsp-test/release.json"


def start(encodings):
    @pytest_lsp.fixture(config=ClientServerConfig(server_command=[LINT, "server"]))
    async def client(lsp_client: LanguageClient):
        params = types.InitializeParams(
            capabilities=types.ClientCapabilities(
                general=types.GeneralClientCapabilities(position_encodings=encodings)
            ),
            initialization_options={"args": ["--kind", "create-request"]},
        )
        result = await lsp_client.initialize_session(params)
        lsp_client.negotiated = result.capabilities.position_encoding
        yield
        await lsp_client.shutdown_session()

    return client


client = start([types.PositionEncodingKind.Utf16])
client8 = start([types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16])


async def open_and_wait(client, text=PAYLOAD, uri=URI, language="json"):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def by_code(diagnostics):
    return {d.code: d for d in diagnostics}


def span(d):
    r = d.range
    return (r.start.line, r.start.character, r.end.line, r.end.character)


async def test_diagnostics_with_exact_utf16_ranges(client: LanguageClient):
    assert client.negotiated == types.PositionEncodingKind.Utf16
    found = by_code(await open_and_wait(client))
    assert set(found) == {"unknown_field", "loose_version"}
    # `"project_id"` after `  "description": "é😀", `: 2 + 13 + 2 + 5 (é is 1 unit, 😀 is 2) + 2
    assert span(found["unknown_field"]) == (1, 24, 1, 36)
    assert span(found["loose_version"]) == (2, 37, 2, 43)
    assert found["loose_version"].severity == types.DiagnosticSeverity.Warning
    assert found["loose_version"].code_description.href.endswith("#variant.LooseVersion")


async def test_utf8_is_used_when_offered(client8: LanguageClient):
    assert client8.negotiated == types.PositionEncodingKind.Utf8
    found = by_code(await open_and_wait(client8))
    # The same place in bytes: é is 2 bytes, 😀 is 4.
    assert span(found["unknown_field"]) == (1, 27, 1, 39)


async def test_hover_explains_the_code(client: LanguageClient):
    await open_and_wait(client)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=2, character=39),
        )
    )
    assert hover is not None
    assert "loose_version" in hover.contents.value
    assert "Why it matters" in hover.contents.value


async def test_quick_fix_clears_the_finding(client: LanguageClient):
    diagnostics = await open_and_wait(client)
    loose = by_code(diagnostics)["loose_version"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=loose.range,
            context=types.CodeActionContext(diagnostics=[loose]),
        )
    )
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in quick] == ["write `3.0.0` (loose_version)"]
    edits = quick[0].edit.changes[URI]
    lines = PAYLOAD.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        assert e.range.start.line == e.range.end.line
        line = lines[e.range.start.line]
        # UTF-16 columns: the line before the finding is ASCII.
        lines[e.range.start.line] = line[: e.range.start.character] + e.new_text + line[e.range.end.character :]
    fixed = "\n".join(lines)
    assert '"version": "3.0.0"' in fixed
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert set(by_code(client.diagnostics[URI])) == {"unknown_field"}
    # And the fix-all action removes the rest.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=3, character=0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert any("remove the member" in a.title for a in actions)


async def test_yaml_documents(client: LanguageClient):
    uri = "file:///tmp/cce-release-lsp-test/release.yaml"
    text = "chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nname: koi-neo4j\nnamespace: default\nversion: v3.0.1\nvalues: {}\n"
    found = by_code(await open_and_wait(client, text, uri, "yaml"))
    assert span(found["loose_version"]) == (3, 9, 3, 15)


def test_malformed_messages_get_errors_and_the_server_carries_on():
    def frame(body: bytes) -> bytes:
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    init = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}).encode()
    messages = (
        frame(b"{not json")
        + frame(b"[1, 2]")
        + frame(init)
        + frame(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "no/such"}).encode())
        + frame(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}).encode())
        + frame(json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode())
    )
    done = subprocess.run([LINT, "server"], input=messages, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    replies = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        length = int(head.split(b":")[1])
        replies.append(json.loads(rest[:length]))
        out = rest[length:]
    codes = [r.get("error", {}).get("code") for r in replies]
    assert codes == [-32700, -32600, None, -32601, None]
