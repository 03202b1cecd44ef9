//! `cce-release-lint server`: a language server over standard input and output.
//!
//! Synchronous and small: one thread reads framed messages (a `Content-Length` header, at most
//! [`MAX_MESSAGE`] bytes), the main thread answers them and lints documents once typing pauses
//! ([`DEBOUNCE`]). Messages are JSON values (`serde_json`): the handful of LSP messages served
//! here do not earn a protocol crate (see the README's editor section). A message that is not
//! JSON, or not a request or notification, gets an error response (`-32700`, `-32600`) and the
//! server carries on; a document is linted under the same limits as a file (`max_input_size`,
//! `max_findings`), so a huge or hostile one is a finding, never a hang.
//!
//! Settings: each document's from the nearest `cce-release.toml`, as for files; for the rest,
//! `initializationOptions.args` (or `workspace/didChangeConfiguration`'s
//! `settings.cce-release.args`): the linter's own options, such as `["--kind", "create-request"]`.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

use cce_release::fix::Fix;
use cce_release::{Diagnostic, Report, Severity};

use crate::config::Lookup;
use crate::{Cli, Planner, is_yaml, validate_with};

/// The largest message read: a document at the default input limit, escaped, with room.
const MAX_MESSAGE: usize = 256 << 20;
/// How long typing must pause before a changed document is linted.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// Where each code's explanation is published (the `Code` enum's documentation).
const DOCS: &str = "https://docs.rs/cce-release/latest/cce_release/enum.Code.html#variant.";

enum Incoming {
    Message(Value),
    /// A message that could not be read: the error code and why.
    Bad(i64, String),
}

/// Runs the server until `exit` or the end of input; the process's exit status.
pub(crate) fn run() -> std::process::ExitCode {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || read_messages(io::stdin().lock(), &tx));
    let mut server = Server::new();
    let out = io::stdout();
    let mut out = out.lock();
    loop {
        let timeout = server
            .next_due()
            .map(|due| due.saturating_duration_since(Instant::now()));
        let incoming = match timeout {
            Some(t) => match rx.recv_timeout(t) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
            None => match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => break,
            },
        };
        let mut replies = Vec::new();
        match incoming {
            Some(Incoming::Message(message)) => {
                if let Some(status) = server.handle(&message, &mut replies) {
                    let _ = send_all(&mut out, &replies);
                    return status;
                }
            }
            Some(Incoming::Bad(code, why)) => replies.push(error(&Value::Null, code, &why)),
            None => {}
        }
        server.lint_due(&mut replies);
        if send_all(&mut out, &replies).is_err() {
            break;
        }
    }
    std::process::ExitCode::from(1)
}

fn send_all(out: &mut impl Write, messages: &[Value]) -> io::Result<()> {
    for m in messages {
        let body = serde_json::to_string(m).unwrap_or_default();
        write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    }
    out.flush()
}

/// Reads framed messages until the end of input.
fn read_messages(input: impl Read, tx: &mpsc::Sender<Incoming>) {
    let mut input = BufReader::new(input);
    loop {
        let mut length: Option<usize> = None;
        let mut header_error = None;
        let mut any = false;
        loop {
            let mut line = String::new();
            // A header line longer than 8 KiB is not a header.
            match (&mut input).take(8192).read_line(&mut line) {
                Ok(0) => return,
                Ok(_) => {}
                Err(_) => return,
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if any {
                    break;
                }
                continue;
            }
            any = true;
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    match value.trim().parse::<usize>() {
                        Ok(n) => length = Some(n),
                        Err(_) => header_error = Some("the Content-Length is not a number"),
                    }
                }
            } else {
                header_error = Some("a header line has no `:`");
            }
        }
        let Some(length) = length.filter(|_| header_error.is_none()) else {
            let why = header_error.unwrap_or("the message has no Content-Length");
            if tx.send(Incoming::Bad(-32600, why.to_owned())).is_err() {
                return;
            }
            continue;
        };
        if length > MAX_MESSAGE {
            // Read past it, keeping nothing.
            if io::copy(&mut (&mut input).take(length as u64), &mut io::sink()).is_err() {
                return;
            }
            let why = format!("the message is larger than {MAX_MESSAGE} bytes");
            if tx.send(Incoming::Bad(-32600, why)).is_err() {
                return;
            }
            continue;
        }
        let mut body = vec![0; length];
        if input.read_exact(&mut body).is_err() {
            return;
        }
        let incoming = match serde_json::from_slice::<Value>(&body) {
            Ok(v) if v.is_object() => Incoming::Message(v),
            Ok(_) => Incoming::Bad(-32600, "a message is a JSON object".to_owned()),
            Err(_) => Incoming::Bad(-32700, "the message is not JSON".to_owned()),
        };
        if tx.send(incoming).is_err() {
            return;
        }
    }
}

fn error(id: &Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn result(id: &Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An open document.
struct Document {
    text: String,
    version: Value,
    /// When it is to be linted (after a change).
    due: Option<Instant>,
    /// Its findings at the last lint, with their byte ranges.
    findings: Vec<(Diagnostic, std::ops::Range<usize>)>,
}

struct Server {
    utf8: bool,
    args: Vec<String>,
    documents: HashMap<String, Document>,
    lookup: Lookup,
    shutdown: bool,
}

impl Server {
    fn new() -> Self {
        Server {
            utf8: false,
            args: Vec::new(),
            documents: HashMap::new(),
            lookup: Lookup::discover(),
            shutdown: false,
        }
    }

    fn next_due(&self) -> Option<Instant> {
        self.documents.values().filter_map(|d| d.due).min()
    }

    /// Answers one message; `Some(status)` when the server is to stop.
    fn handle(&mut self, m: &Value, out: &mut Vec<Value>) -> Option<std::process::ExitCode> {
        let id = m.get("id");
        let Some(method) = m.get("method").and_then(Value::as_str) else {
            // A response to a request of ours (none are sent), or nothing valid.
            if m.get("result").is_none() && m.get("error").is_none() {
                out.push(error(id.unwrap_or(&Value::Null), -32600, "no method"));
            }
            return None;
        };
        let params = m.get("params").cloned().unwrap_or(Value::Null);
        match (method, id) {
            ("initialize", Some(id)) => {
                let offered = params
                    .pointer("/capabilities/general/positionEncodings")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.iter().any(|x| x == "utf-8"));
                self.utf8 = offered;
                self.set_args(params.pointer("/initializationOptions/args"));
                if let Some(root) = params
                    .get("rootUri")
                    .and_then(Value::as_str)
                    .and_then(path_of)
                {
                    let _ = std::env::set_current_dir(root);
                }
                out.push(result(
                    id,
                    json!({
                        "capabilities": {
                            "positionEncoding": if self.utf8 { "utf-8" } else { "utf-16" },
                            "textDocumentSync": {"openClose": true, "change": 1},
                            "hoverProvider": true,
                            "codeActionProvider": {"codeActionKinds": ["quickfix", "source.fixAll"]},
                        },
                        "serverInfo": {"name": "cce-release-lint", "version": env!("CARGO_PKG_VERSION")},
                    }),
                ));
            }
            ("shutdown", Some(id)) => {
                self.shutdown = true;
                out.push(result(id, Value::Null));
            }
            ("exit", _) => {
                return Some(if self.shutdown {
                    std::process::ExitCode::SUCCESS
                } else {
                    std::process::ExitCode::from(1)
                });
            }
            ("textDocument/didOpen", None) => {
                let doc = &params["textDocument"];
                if let (Some(uri), Some(text)) = (
                    doc.get("uri").and_then(Value::as_str),
                    doc.get("text").and_then(Value::as_str),
                ) {
                    self.documents.insert(
                        uri.to_owned(),
                        Document {
                            text: text.to_owned(),
                            version: doc.get("version").cloned().unwrap_or(Value::Null),
                            due: Some(Instant::now()),
                            findings: Vec::new(),
                        },
                    );
                }
            }
            ("textDocument/didChange", None) => {
                let uri = params.pointer("/textDocument/uri").and_then(Value::as_str);
                // Full synchronization: the last change is the whole text.
                let text = params
                    .get("contentChanges")
                    .and_then(Value::as_array)
                    .and_then(|c| c.last())
                    .and_then(|c| c.get("text"))
                    .and_then(Value::as_str);
                if let (Some(uri), Some(text)) = (uri, text)
                    && let Some(doc) = self.documents.get_mut(uri)
                {
                    doc.text = text.to_owned();
                    doc.version = params
                        .pointer("/textDocument/version")
                        .cloned()
                        .unwrap_or(Value::Null);
                    doc.due = Some(Instant::now() + DEBOUNCE);
                }
            }
            ("textDocument/didClose", None) => {
                if let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str) {
                    self.documents.remove(uri);
                    out.push(publish(uri, &Value::Null, Vec::new()));
                }
            }
            ("workspace/didChangeConfiguration", None) => {
                self.set_args(params.pointer("/settings/cce-release/args"));
                self.lookup = Lookup::discover();
                for doc in self.documents.values_mut() {
                    doc.due = Some(Instant::now());
                }
            }
            ("textDocument/hover", Some(id)) => {
                let answer = self.hover(&params).unwrap_or(Value::Null);
                out.push(result(id, answer));
            }
            ("textDocument/codeAction", Some(id)) => {
                let answer = self
                    .code_actions(&params)
                    .unwrap_or(Value::Array(Vec::new()));
                out.push(result(id, answer));
            }
            (_, Some(id)) => out.push(error(id, -32601, "method not found")),
            // Other notifications ($/cancelRequest, initialized, ...) need nothing.
            (_, None) => {}
        }
        None
    }

    fn set_args(&mut self, args: Option<&Value>) {
        if let Some(args) = args.and_then(Value::as_array) {
            self.args = args
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
    }

    /// Lints the documents whose time has come.
    fn lint_due(&mut self, out: &mut Vec<Value>) {
        let now = Instant::now();
        let due: Vec<String> = self
            .documents
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            let report = self.lint(&uri);
            let utf8 = self.utf8;
            let Some(doc) = self.documents.get_mut(&uri) else {
                continue;
            };
            doc.due = None;
            let lines = LineIndex::new(&doc.text);
            doc.findings = report
                .into_diagnostics()
                .into_iter()
                .map(|d| {
                    let range = extent(&doc.text, &lines, &d);
                    (d, range)
                })
                .collect();
            let diagnostics = doc
                .findings
                .iter()
                .map(|(d, range)| lsp_diagnostic(d, &lines.range(&doc.text, range.clone(), utf8)))
                .collect();
            out.push(publish(&uri, &doc.version, diagnostics));
        }
    }

    /// The report of a document under its settings (nothing for a file the configuration
    /// leaves out).
    fn lint(&mut self, uri: &str) -> Report {
        let Some(doc) = self.documents.get(uri) else {
            return Report::default();
        };
        let path =
            path_of(uri).unwrap_or_else(|| PathBuf::from(uri.rsplit('/').next().unwrap_or("-")));
        let args = std::iter::once("cce-release-lint".to_owned())
            .chain(self.args.iter().cloned())
            .chain(std::iter::once("-".to_owned()));
        let cli =
            Cli::try_parse_from(args).or_else(|_| Cli::try_parse_from(["cce-release-lint", "-"]));
        let Ok(cli) = cli else {
            return Report::default();
        };
        let settings = match self.lookup.settings(&path) {
            Ok(s) if !s.included => return Report::default(),
            Ok(s) => s,
            Err(_) => match Lookup::none().settings(&path) {
                Ok(s) => s,
                Err(_) => return Report::default(),
            },
        };
        let mut planner = Planner::default();
        match planner.plan(&cli, &settings, is_yaml(&path)) {
            Ok(plan) => validate_with(&plan, doc.text.as_bytes()),
            Err(_) => Report::default(),
        }
    }

    fn position(&self, params: &Value) -> Option<(&Document, usize)> {
        let uri = params.pointer("/textDocument/uri")?.as_str()?;
        let doc = self.documents.get(uri)?;
        let line = params.pointer("/position/line")?.as_u64()? as usize;
        let character = params.pointer("/position/character")?.as_u64()? as usize;
        let lines = LineIndex::new(&doc.text);
        Some((doc, lines.offset(&doc.text, line, character, self.utf8)))
    }

    fn hover(&self, params: &Value) -> Option<Value> {
        let (doc, offset) = self.position(params)?;
        let lines = LineIndex::new(&doc.text);
        let mut parts = Vec::new();
        let mut range = None;
        for (d, r) in &doc.findings {
            if r.start <= offset && offset <= r.end.max(r.start + 1) {
                parts.push(format!(
                    "**{}[{}]** {}\n\n```text\n{}```",
                    d.severity,
                    d.code,
                    escape_markdown(&d.message),
                    crate::explain(d.code)
                ));
                range.get_or_insert_with(|| lines.range(&doc.text, r.clone(), self.utf8));
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(json!({
            "contents": {"kind": "markdown", "value": parts.join("\n\n---\n\n")},
            "range": range,
        }))
    }

    fn code_actions(&self, params: &Value) -> Option<Value> {
        let uri = params.pointer("/textDocument/uri")?.as_str()?;
        let doc = self.documents.get(uri)?;
        let lines = LineIndex::new(&doc.text);
        let start = params.pointer("/range/start")?;
        let end = params.pointer("/range/end")?;
        let at = |p: &Value| -> Option<usize> {
            Some(lines.offset(
                &doc.text,
                p.get("line")?.as_u64()? as usize,
                p.get("character")?.as_u64()? as usize,
                self.utf8,
            ))
        };
        let (from, to) = (at(start)?, at(end)?);
        let mut actions = Vec::new();
        for (d, r) in &doc.findings {
            let Some(fix) = &d.fix else { continue };
            if r.start > to || r.end.max(r.start + 1) < from {
                continue;
            }
            actions.push(json!({
                "title": format!("{} ({})", fix.title, d.code),
                "kind": "quickfix",
                "diagnostics": [lsp_diagnostic(d, &lines.range(&doc.text, r.clone(), self.utf8))],
                "isPreferred": fix.applicability == cce_release::fix::Applicability::Safe,
                "edit": {"changes": {uri: text_edits(&doc.text, &lines, fix, self.utf8)}},
            }));
        }
        // Every safe fix at once, as `--fix` would (one round: edits that do not overlap).
        let safe: Vec<&Fix> = doc
            .findings
            .iter()
            .filter_map(|(d, _)| d.fix.as_ref())
            .filter(|f| f.applicability == cce_release::fix::Applicability::Safe)
            .collect();
        if safe.len() > 1 {
            let mut edits = Vec::new();
            let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
            for fix in safe {
                if fix.edits.iter().all(|e| {
                    !taken
                        .iter()
                        .any(|t| t.start < e.range.end && e.range.start < t.end)
                }) {
                    taken.extend(fix.edits.iter().map(|e| e.range.clone()));
                    edits.extend(text_edits(&doc.text, &lines, fix, self.utf8));
                }
            }
            actions.push(json!({
                "title": "Apply every safe fix (cce-release)",
                "kind": "source.fixAll",
                "edit": {"changes": {uri: edits}},
            }));
        }
        Some(Value::Array(actions))
    }
}

fn text_edits(text: &str, lines: &LineIndex, fix: &Fix, utf8: bool) -> Vec<Value> {
    fix.edits
        .iter()
        .map(|e| {
            json!({
                "range": lines.range(text, e.range.clone(), utf8),
                "newText": e.replacement,
            })
        })
        .collect()
}

fn publish(uri: &str, version: &Value, diagnostics: Vec<Value>) -> Value {
    let mut params = json!({"uri": uri, "diagnostics": diagnostics});
    if version.is_i64() {
        params["version"] = version.clone();
    }
    json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params})
}

fn lsp_diagnostic(d: &Diagnostic, range: &Value) -> Value {
    json!({
        "range": range,
        "severity": if d.severity == Severity::Error { 1 } else { 2 },
        "code": d.code.as_str(),
        "codeDescription": {"href": format!("{DOCS}{:?}", d.code)},
        "source": "cce-release",
        "message": d.message,
    })
}

/// Markdown's own characters in a message, escaped (messages quote payload text).
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The path of a `file:` URI (percent-decoded).
fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let mut bytes = Vec::with_capacity(rest.len());
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%'
            && let Some(hex) = rest.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            bytes.push(b);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// Where each line starts.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The byte offset of a 0-based line and a character offset in UTF-16 units or bytes.
    fn offset(&self, text: &str, line: usize, character: usize, utf8: bool) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.starts.get(line + 1).map_or(text.len(), |&e| e);
        let line_text = text.get(start..end).unwrap_or_default();
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= character || c == '\n' {
                return start + i;
            }
            units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        }
        end
    }

    /// An LSP position of a byte offset.
    fn position(&self, text: &str, offset: usize, utf8: bool) -> Value {
        let offset = offset.min(text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let prefix = text.get(start..offset).unwrap_or_default();
        let character: usize = if utf8 {
            prefix.len()
        } else {
            prefix.chars().map(char::len_utf16).sum()
        };
        json!({"line": line, "character": character})
    }

    fn range(&self, text: &str, range: std::ops::Range<usize>, utf8: bool) -> Value {
        json!({
            "start": self.position(text, range.start, utf8),
            "end": self.position(text, range.end, utf8),
        })
    }
}

/// The byte range a finding covers: the key, string or word at its line and column (a bracket
/// for an object or array); the start of the text for a finding without a position.
fn extent(text: &str, lines: &LineIndex, d: &Diagnostic) -> std::ops::Range<usize> {
    let (Some(line), Some(column)) = (d.line, d.column) else {
        return 0..0;
    };
    let line = (line as usize).saturating_sub(1);
    let Some(&start) = lines.starts.get(line) else {
        return text.len()..text.len();
    };
    // Columns count characters.
    let rest = text.get(start..).unwrap_or_default();
    let at = start
        + rest
            .char_indices()
            .nth((column as usize).saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
    let tail = text.get(at..).unwrap_or_default();
    let bytes = tail.as_bytes();
    let len = match bytes.first() {
        None => 0,
        Some(b'{' | b'[') => 1,
        Some(&q @ (b'"' | b'\'')) => {
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    None | Some(b'\n') => break i,
                    Some(b'\\') if q == b'"' => i += 2,
                    Some(&b) if b == q => break i + 1,
                    Some(_) => i += 1,
                }
            }
        }
        Some(_) => {
            let mut end = 0;
            for (i, c) in tail.char_indices() {
                let next = tail.get(i + c.len_utf8()..).unwrap_or_default();
                if matches!(c, '\n' | '\r' | ',' | ']' | '}')
                    || (c == ':' && (next.is_empty() || next.starts_with([' ', '\t', '\n', '\r'])))
                    || (c == ' ' && next.starts_with('#'))
                {
                    break;
                }
                end = i + c.len_utf8();
            }
            tail.get(..end).map_or(0, |t| t.trim_end().len())
        }
    };
    at..(at + len).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_utf16_and_utf8() {
        let text = "{\"é😀\": 1,\n \"x\": 2}";
        let lines = LineIndex::new(text);
        let x = text.find('1').unwrap_or(0);
        assert_eq!(
            lines.position(text, x, false),
            json!({"line": 0, "character": 8})
        );
        assert_eq!(
            lines.position(text, x, true),
            json!({"line": 0, "character": 11})
        );
        assert_eq!(lines.offset(text, 0, 8, false), x);
        assert_eq!(lines.offset(text, 0, 11, true), x);
        assert_eq!(lines.offset(text, 9, 0, true), text.len());
    }

    #[test]
    fn uris_are_decoded() {
        assert_eq!(
            path_of("file:///tmp/a%20b.json"),
            Some(PathBuf::from("/tmp/a b.json"))
        );
        assert_eq!(path_of("untitled:1"), None);
    }

    #[test]
    fn malformed_frames_are_errors_not_the_end() {
        let input =
            b"Content-Length: 5\r\n\r\nnope!Content-Length: x\r\n\r\nContent-Length: 2\r\n\r\n{}";
        let (tx, rx) = mpsc::channel();
        read_messages(&input[..], &tx);
        drop(tx);
        let got: Vec<String> = rx
            .iter()
            .map(|m| match m {
                Incoming::Message(v) => v.to_string(),
                Incoming::Bad(code, _) => code.to_string(),
            })
            .collect();
        assert_eq!(got, ["-32700", "-32600", "{}"]);
    }
}
