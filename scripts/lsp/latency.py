"""Diagnostics latency of `cce-release-lint server` on a 1 MB payload: the time from sending
`textDocument/didOpen` (linted at once) or `didChange` (linted after the 150 ms debounce, which
is subtracted) to receiving its `publishDiagnostics`. No dependencies.

    python3 scripts/lsp/latency.py path/to/cce-release-lint [size-in-bytes] [runs]
"""

import json
import statistics
import subprocess
import sys
import time

lint = sys.argv[1]
size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
DEBOUNCE = 0.150


def payload(size):
    head = (
        '{\n  "project_id": "0abdd2dce980d4162f8ac006608ee02d",\n'
        '  "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",\n  "name": "koi-neo4j",\n'
        '  "namespace": "default",\n  "version": "v3.0",\n  "values": {\n'
    )
    rows, i = [], 0
    total = len(head)
    while total < size - 64:
        row = f'    "key{i}": {{"image": "repo/app", "tag": "1.{i}.0", "replicas": {i % 7}}}'
        rows.append(row)
        total += len(row) + 2
        i += 1
    return head + ",\n".join(rows) + "\n  }\n}\n"


proc = subprocess.Popen([lint, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive():
    length = None
    while True:
        line = proc.stdout.readline()
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def wait_for_diagnostics():
    while True:
        m = receive()
        if m.get("method") == "textDocument/publishDiagnostics":
            return m


text = payload(size)
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
receive()
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
uri = "file:///tmp/latency/release.json"
opens, changes = [], []
for run in range(runs):
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "json", "version": 1, "text": text}}})
    m = wait_for_diagnostics()
    opens.append(time.perf_counter() - start)
    count = len(m["params"]["diagnostics"])
    changed = text.replace('"v3.0"', '"v3.%d"' % (run + 1), 1)
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]}})
    wait_for_diagnostics()
    changes.append(time.perf_counter() - start - DEBOUNCE)
    send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    wait_for_diagnostics()
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
receive()
send({"jsonrpc": "2.0", "method": "exit"})
proc.wait(timeout=10)
ms = lambda xs: "%.1f ms" % (1000 * statistics.median(xs))
print(f"payload {len(text.encode())} bytes, {count} findings, {runs} runs")
print(f"didOpen  -> publishDiagnostics: median {ms(opens)} (min {1000*min(opens):.1f}, max {1000*max(opens):.1f})")
print(f"didChange -> publishDiagnostics, debounce excluded: median {ms(changes)} (min {1000*min(changes):.1f}, max {1000*max(changes):.1f})")
