//! Suggested fixes: text edits on the original input that a finding may carry.
//!
//! A [`Fix`] is a list of [`Edit`]s (byte ranges of the input as it was given, a byte-order mark
//! included, and their replacements) with an [`Applicability`], as ruff marks them: `safe`
//! fixes keep what the API reads of the payload (a member it ignores removed, a loose version
//! written as Helm resolves it, the earlier of two repeated keys removed), `unsafe` ones guess
//! what the author meant (a near-miss member name or enum value).
//!
//! Fixes are worked out after collection, for the kept findings only, from the same positions
//! the findings are located with (a finding that is not kept computes no fix). An edit copies or
//! deletes: a replacement is a member name or an enum value of the API's own schemas, or a
//! chart version rewritten from the text's own, never text from elsewhere in the payload.
//!
//! [`apply`] applies the fixes whose edits do not overlap; [`fix`] applies fixes round after
//! round, validating again after each, until nothing is left to fix.
//!
//! ```
//! use cce_release::fix::{self, Applicability};
//! use cce_release::{Code, Kind, Validator};
//!
//! let validator = Validator::new(Kind::CreateRequest);
//! let input = br#"{"project_id": "0abdd2dce980d4162f8ac006608ee02d",
//!   "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
//!   "namespace": "default", "version": "v3.0", "values": {}}"#;
//! let fixed = fix::fix(input, Applicability::Safe, |bytes| validator.validate_bytes(bytes));
//! assert_eq!(
//!     String::from_utf8(fixed.output).unwrap(),
//!     r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
//!   "namespace": "default", "version": "3.0.0", "values": {}}"#
//! );
//! assert!(fixed.report.is_empty());
//! assert_eq!(fixed.applied, 2);
//! ```

pub(crate) mod json;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::diagnostic::message::{Allowed, FixTitle, Hint, Problem};
use crate::validate::{Anchor, Finding};
use crate::{Code, Location, Report};

/// Whether a fix keeps the payload's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Applicability {
    /// What the API reads of the payload stays the same (applied by `--fix`).
    Safe,
    /// A guess at what the author meant (applied with `--unsafe-fixes` only).
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One text edit: replace the bytes `range` of the original input with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Edit {
    /// Byte offsets in the input as given (a byte-order mark included).
    pub range: Range<usize>,
    /// What goes in its place (empty: a deletion).
    pub replacement: String,
}

impl Edit {
    /// An edit.
    pub fn new(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }
}

/// A suggested fix: edits that are applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Fix {
    /// `safe` or `unsafe`.
    pub applicability: Applicability,
    /// What the fix does, in a few words (a code action's title).
    pub title: String,
    /// The edits, sorted, none overlapping another.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix of these edits.
    pub fn new(applicability: Applicability, title: impl Into<String>, edits: Vec<Edit>) -> Self {
        let mut edits = edits;
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix {
            applicability,
            title: title.into(),
            edits,
        }
    }

    /// Whether the fix may be applied when fixes up to `allowed` are asked for.
    pub fn allowed(&self, allowed: Applicability) -> bool {
        self.applicability <= allowed
    }
}

/// What [`apply`] made of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Applied {
    /// The input with the fixes applied.
    pub output: Vec<u8>,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes left out because an edit overlapped one of a fix applied before it, or fell
    /// outside the input (apply again after validating the output again).
    pub skipped: usize,
}

/// Applies the fixes to `input`, in the order of their first edit; a fix one of whose edits
/// overlaps an edit already taken (or lies outside the input) is skipped whole. Edits that only
/// touch (one ends where the next starts) do not overlap, unless both insert at one place.
pub fn apply<'f>(input: &[u8], fixes: impl IntoIterator<Item = &'f Fix>) -> Applied {
    let mut fixes: Vec<&Fix> = fixes.into_iter().filter(|f| !f.edits.is_empty()).collect();
    fixes.sort_by_key(|f| f.edits.first().map(|e| (e.range.start, e.range.end)));
    let mut taken: Vec<&Edit> = Vec::new();
    let (mut applied, mut skipped) = (0, 0);
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= input.len()
                && !taken.iter().any(|t| overlap(&t.range, &e.range))
        });
        if fits {
            taken.extend(fix.edits.iter());
            applied += 1;
        } else {
            skipped += 1;
        }
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut output = Vec::with_capacity(input.len());
    let mut at = 0;
    for edit in taken {
        output.extend_from_slice(input.get(at..edit.range.start).unwrap_or_default());
        output.extend_from_slice(edit.replacement.as_bytes());
        at = edit.range.end;
    }
    output.extend_from_slice(input.get(at..).unwrap_or_default());
    Applied {
        output,
        applied,
        skipped,
    }
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// What [`fix`] made of the input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Fixed {
    /// The input with every fix applied (the input itself when none applied).
    pub output: Vec<u8>,
    /// The report of the output: the findings that remain.
    pub report: Report,
    /// Fixes applied, over all rounds.
    pub applied: usize,
}

/// The most rounds [`fix`] runs: each round applies every fix that does not overlap another,
/// so a round is needed only for fixes next to each other (two last members of an object).
pub const MAX_ROUNDS: usize = 16;

/// Applies every fix up to `allowed` round after round, validating the output with `validate`
/// after each, until no fix is left (at most [`MAX_ROUNDS`] rounds). A round whose output no
/// longer parses (`invalid_json`, `invalid_yaml`), or gains findings it did not have, is undone
/// and stops the loop; an input that does not parse is never changed. Fixing the output again
/// changes nothing.
pub fn fix(
    input: &[u8],
    allowed: Applicability,
    mut validate: impl FnMut(&[u8]) -> Report,
) -> Fixed {
    let mut output = input.to_vec();
    let mut report = validate(&output);
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        if unparsed(&report) {
            break;
        }
        let fixes: Vec<&Fix> = report
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.allowed(allowed))
            .collect();
        if fixes.is_empty() {
            break;
        }
        let round = apply(&output, fixes);
        if round.applied == 0 || round.output == output {
            break;
        }
        let next = validate(&round.output);
        if unparsed(&next) || next.len() > report.len() {
            break;
        }
        applied += round.applied;
        output = round.output;
        report = next;
    }
    Fixed {
        output,
        report,
        applied,
    }
}

/// The input did not parse: nothing is fixed in it.
fn unparsed(report: &Report) -> bool {
    report.iter().any(|d| {
        matches!(
            d.code,
            Code::InvalidJson | Code::InvalidYaml | Code::InputTooLarge
        )
    })
}

/// What a finding's fix does, before it is worked out in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Intent {
    /// Remove the member the pointer names (the last of its key).
    RemoveMember,
    /// Remove the occurrence of the pointer's key before the one whose key is at this offset
    /// (JSON: in the text; YAML: in the document's key arena).
    RemoveEarlier(usize),
    /// Rewrite the string value as Helm resolves the chart version.
    Version,
    /// Write the string value as the one allowed word it differs from only in case, `_` and `-`.
    Word(Vec<&'static str>),
    /// Rename the member's key.
    Rename(&'static str),
    /// Remove a leading byte-order mark.
    StripBom,
}

impl Intent {
    /// The fix a finding offers, if any, and how safe it is.
    pub(crate) fn of(f: &Finding) -> Option<(Intent, Applicability)> {
        if f.location != Location::Body {
            return None;
        }
        let safe = Applicability::Safe;
        Some(match &f.problem {
            Problem::ByteOrderMark => (Intent::StripBom, safe),
            Problem::UnknownField {
                hint: Hint::ClusterInPath | Hint::ProjectFromToken,
                ..
            } => (Intent::RemoveMember, safe),
            Problem::UnknownField {
                hint: Hint::DidYouMean(name),
                ..
            } => (Intent::Rename(name), Applicability::Unsafe),
            Problem::LooseVersion { .. } => (Intent::Version, safe),
            Problem::IneffectiveParameter { doing, .. } => (
                Intent::RemoveMember,
                // On an upgrade the author may have meant a rollback.
                match doing {
                    crate::diagnostic::message::Doing::CreatingRelease => safe,
                    crate::diagnostic::message::Doing::UpgradingRelease => Applicability::Unsafe,
                },
            ),
            Problem::DuplicateKey => match f.anchor {
                Anchor::KeyAt(at) => (Intent::RemoveEarlier(at), safe),
                _ => return None,
            },
            Problem::NotAllowed {
                allowed: Allowed::Words(words),
                ..
            } => (Intent::Word(words.clone()), Applicability::Unsafe),
            _ => return None,
        })
    }

    /// The replacement of a string value `found`, if the intent has one.
    pub(crate) fn new_string(&self, found: &str) -> Option<String> {
        match self {
            Intent::Version => crate::model::constraints::parse_chart_version(found)
                .map(|v| v.canonical)
                .filter(|c| c != found),
            Intent::Word(words) => {
                let wanted = squash(found);
                let mut near = words.iter().filter(|w| squash(w) == wanted);
                match (near.next(), near.next()) {
                    (Some(w), None) if *w != found => Some((*w).to_owned()),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The fix's title.
    pub(crate) fn title(&self, replacement: &str) -> String {
        let title = match self {
            Intent::RemoveMember => FixTitle::RemoveMember,
            Intent::RemoveEarlier(_) => FixTitle::RemoveEarlier,
            Intent::Version | Intent::Word(_) => FixTitle::Write(replacement),
            Intent::Rename(name) => FixTitle::Rename(name),
            Intent::StripBom => FixTitle::StripBom,
        };
        title.to_string()
    }
}

/// Lowercase, without `_` and `-`: how near-miss names and words are compared.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The removal of member `index` of an object or mapping written with commas (JSON, a YAML flow
/// mapping): `keys[i]` is where member `i` starts, `ends[i]` where its value ends, `open` is
/// just past the opening brace. A member before the last goes with its comma and the space up
/// to the next one; the last goes with the comma before it; the only one leaves `{}` (with the
/// space before the closing brace).
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
pub(crate) fn comma_removal(
    open: usize,
    keys: &[usize],
    ends: &[usize],
    index: usize,
) -> Option<Range<usize>> {
    let n = keys.len().min(ends.len());
    if index >= n {
        return None;
    }
    Some(if n == 1 {
        open..ends[0]
    } else if index + 1 < n {
        keys[index]..keys[index + 1]
    } else {
        ends[index - 1]..ends[index]
    })
}

/// The fix of an intent from its edits, shifted by the length of a byte-order mark.
pub(crate) fn make(
    intent: &Intent,
    applicability: Applicability,
    shift: usize,
    edits: Vec<(Range<usize>, String)>,
) -> Fix {
    let title = match intent {
        Intent::Version | Intent::Word(_) => edits
            .first()
            .map(|(_, r)| r.trim_matches(['"', '\'']).to_owned())
            .unwrap_or_default(),
        _ => String::new(),
    };
    Fix::new(
        applicability,
        intent.title(&title),
        edits
            .into_iter()
            .map(|(r, s)| Edit::new(r.start + shift..r.end + shift, s))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix_of(edits: &[(Range<usize>, &str)]) -> Fix {
        Fix::new(
            Applicability::Safe,
            "t",
            edits
                .iter()
                .map(|(r, s)| Edit::new(r.clone(), *s))
                .collect(),
        )
    }

    #[test]
    fn apply_skips_overlaps_and_keeps_order() {
        let input = b"abcdef";
        let a = fix_of(&[(1..3, "X")]);
        let b = fix_of(&[(2..4, "Y")]);
        let c = fix_of(&[(3..3, "+"), (5..6, "")]);
        let out = apply(input, [&b, &a, &c]);
        assert_eq!(out.output, b"aX+de".to_vec());
        assert_eq!((out.applied, out.skipped), (2, 1));
        // Two insertions at one place are ambiguous: one is left for the next round.
        let d = fix_of(&[(0..0, "1")]);
        let e = fix_of(&[(0..0, "2")]);
        assert_eq!(apply(input, [&d, &e]).skipped, 1);
        // Outside the input: skipped, never a panic.
        let f = fix_of(&[(5..99, "")]);
        assert_eq!(apply(input, [&f]).output, input.to_vec());
    }

    #[test]
    fn removal_ranges() {
        //            0123456789012345678901
        let text = r#"{"a": 1, "b": 2, "c": 3}"#;
        let keys = [1, 9, 17];
        let ends = [7, 15, 23];
        let cut = |i| {
            let r = comma_removal(1, &keys, &ends, i).unwrap_or(0..0);
            format!("{}{}", &text[..r.start], &text[r.end..])
        };
        assert_eq!(cut(0), r#"{"b": 2, "c": 3}"#);
        assert_eq!(cut(1), r#"{"a": 1, "c": 3}"#);
        assert_eq!(cut(2), r#"{"a": 1, "b": 2}"#);
        assert_eq!(comma_removal(1, &[1], &[7], 0), Some(1..7));
        assert_eq!(comma_removal(1, &[1], &[7], 3), None);
    }

    #[test]
    fn words_and_versions() {
        let word = Intent::Word(vec!["Always", "IfNotPresent", "Never"]);
        assert_eq!(
            word.new_string("ifnotpresent").as_deref(),
            Some("IfNotPresent")
        );
        assert_eq!(
            word.new_string("if-not-present").as_deref(),
            Some("IfNotPresent")
        );
        assert_eq!(word.new_string("sometimes"), None);
        assert_eq!(word.new_string("Always"), None);
        assert_eq!(Intent::Version.new_string("v3.0").as_deref(), Some("3.0.0"));
        assert_eq!(Intent::Version.new_string("3.0.1"), None);
        assert_eq!(Intent::Version.new_string("latest"), None);
    }
}
