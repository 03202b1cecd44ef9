//! The part of a source line shown under a finding, cut when the file is linted so that a
//! [`FileReport`](super::FileReport) keeps a few hundred bytes per finding instead of the text.
//!
//! Cost is linear in the text and the findings: the wanted lines come from one pass of
//! [`masked_lines`](crate::redact::masked_lines) (which masks secrets), and each line is walked
//! once for all the findings on it, however long it is.

use crate::Diagnostic;
use crate::redact::masked_lines;

/// Characters of a line shown at most; a longer line is cut around the column, with `…` where
/// it was cut.
pub(crate) const WIDTH: usize = 120;
/// Characters kept before the column when a line is cut.
const BEFORE: usize = 40;

/// A window of one (masked) source line, and where the caret goes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Excerpt {
    /// 1-based line number.
    pub(crate) line: usize,
    /// The characters shown, as in the file (masked); at most [`WIDTH`].
    pub(crate) text: String,
    /// The index, in characters of `text`, of the character under the caret; the number of
    /// characters when the column is past the end of the line.
    pub(crate) caret: usize,
    /// Characters were left out before `text`.
    pub(crate) cut_before: bool,
    /// Characters were left out after `text`.
    pub(crate) cut_after: bool,
}

/// One excerpt per finding, in the order of `diagnostics`: `None` for a finding without a
/// position, or whose line is not in `source`.
pub(crate) fn excerpts(source: &str, diagnostics: &[Diagnostic]) -> Vec<Option<Excerpt>> {
    excerpts_with(source, diagnostics, masked_lines)
}

/// [`excerpts`] with the lines masked by `lines_of` (a YAML text's masking).
pub(crate) fn excerpts_with(
    source: &str,
    diagnostics: &[Diagnostic],
    lines_of: impl FnOnce(&str, &[usize]) -> Vec<(usize, String)>,
) -> Vec<Option<Excerpt>> {
    let mut out = vec![None; diagnostics.len()];
    // (line, character index of the column, finding), by line.
    let mut wanted: Vec<(usize, usize, usize)> = diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let line = usize::try_from(d.line?).ok()?;
            let column = usize::try_from(d.column?).ok()?;
            Some((line, column.saturating_sub(1), i))
        })
        .collect();
    if wanted.is_empty() {
        return out;
    }
    wanted.sort_unstable();
    let mut numbers: Vec<usize> = wanted.iter().map(|w| w.0).collect();
    numbers.dedup();
    let lines = lines_of(source, &numbers);

    let mut rest = &wanted[..];
    for (number, text) in &lines {
        // The findings on this line (both lists are sorted by line).
        let skip = rest.partition_point(|w| w.0 < *number);
        rest = &rest[skip..];
        let here = rest.partition_point(|w| w.0 == *number);
        let (on_line, after) = rest.split_at(here);
        rest = after;
        let text = text.strip_suffix('\r').unwrap_or(text);
        // Columns are counted after a byte-order mark, which is invisible anyway.
        let text = if *number == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        for (finding, excerpt) in cut(*number, text, on_line) {
            if let Some(slot) = out.get_mut(finding) {
                *slot = Some(excerpt);
            }
        }
    }
    out
}

/// The windows of `text` for each `(line, column index, finding)` on it: one walk over the line.
fn cut(number: usize, text: &str, on_line: &[(usize, usize, usize)]) -> Vec<(usize, Excerpt)> {
    let length = if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    };
    // Each finding's window, in characters: [start, end), and its caret.
    let windows: Vec<(usize, usize, usize, usize)> = on_line
        .iter()
        .map(|&(_, column, finding)| {
            let caret = column.min(length);
            let (start, end) = if length <= WIDTH {
                (0, length)
            } else {
                let start = caret.saturating_sub(BEFORE).min(length - WIDTH);
                (start, start + WIDTH)
            };
            (start, end, caret, finding)
        })
        .collect();
    // Byte offsets of every window boundary, found in one pass.
    let mut bounds: Vec<usize> = windows.iter().flat_map(|w| [w.0, w.1]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let offsets = byte_offsets(text, &bounds);
    let offset = |index: usize| {
        bounds
            .binary_search(&index)
            .ok()
            .and_then(|i| offsets.get(i).copied())
            .unwrap_or(text.len())
    };
    windows
        .into_iter()
        .map(|(start, end, caret, finding)| {
            let shown = text.get(offset(start)..offset(end)).unwrap_or_default();
            let excerpt = Excerpt {
                line: number,
                text: shown.to_owned(),
                caret: caret - start,
                cut_before: start > 0,
                cut_after: end < length,
            };
            (finding, excerpt)
        })
        .collect()
}

/// The byte offset of each character index in `indices` (ascending; an index at or past the
/// end of `text` is its length).
fn byte_offsets(text: &str, indices: &[usize]) -> Vec<usize> {
    if text.is_ascii() {
        return indices.iter().map(|&i| i.min(text.len())).collect();
    }
    let mut offsets = Vec::with_capacity(indices.len());
    let mut wanted = indices.iter().copied().peekable();
    for (index, (offset, _)) in text.char_indices().enumerate() {
        while wanted.next_if(|&w| w == index).is_some() {
            offsets.push(offset);
        }
        if wanted.peek().is_none() {
            break;
        }
    }
    offsets.resize(indices.len(), text.len());
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Diagnostic {
        let mut d: Diagnostic = serde_json::from_value(serde_json::json!({
            "severity": "error", "code": "invalid_json", "location": "body",
            "pointer": "", "message": "m"
        }))
        .unwrap();
        d.line = Some(line);
        d.column = Some(column);
        d
    }

    #[test]
    fn short_lines_are_whole_and_masked() {
        let source = "{\n  \"token\": \"abc\", \"x\": 1\r\n}";
        let got = excerpts(source, &[at(2, 3), at(2, 23), at(9, 1)]);
        let two = got[0].as_ref().unwrap();
        assert_eq!(two.text, "  \"token\": \"***\", \"x\": 1");
        assert_eq!(
            (two.caret, two.cut_before, two.cut_after),
            (2, false, false)
        );
        assert_eq!(got[1].as_ref().unwrap().caret, 22);
        assert_eq!(got[2], None, "a line past the end has no excerpt");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line: String = (0..1000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let got = excerpts(&line, &[at(1, 1), at(1, 500), at(1, 1000), at(1, 5000)]);
        let first = got[0].as_ref().unwrap();
        assert_eq!(
            (first.caret, first.cut_before, first.cut_after),
            (0, false, true)
        );
        assert_eq!(first.text, line[..WIDTH]);
        let middle = got[1].as_ref().unwrap();
        assert_eq!(middle.text.chars().count(), WIDTH);
        assert!(middle.cut_before && middle.cut_after);
        assert_eq!(middle.text.chars().nth(middle.caret), line.chars().nth(499));
        let last = got[2].as_ref().unwrap();
        assert!(last.cut_before && !last.cut_after);
        assert_eq!(last.text.chars().nth(last.caret), Some('l'));
        let past = got[3].as_ref().unwrap();
        assert_eq!(past.caret, past.text.chars().count());
    }

    #[test]
    fn what_is_kept_is_bounded_by_the_findings_not_the_text() {
        // A 1 MiB line with a finding every 1,000 characters: the excerpts keep at most a
        // window each, not the line.
        let line = "x".repeat(1 << 20);
        let findings: Vec<Diagnostic> = (0..1000).map(|i| at(1, 1 + i * 1000)).collect();
        let kept: usize = excerpts(&line, &findings)
            .iter()
            .map(|e| e.as_ref().map_or(0, |e| e.text.len()))
            .sum();
        assert_eq!(kept, 1000 * WIDTH);
    }

    #[test]
    fn windows_count_characters_not_bytes() {
        let line = format!("{}X{}", "é".repeat(300), "名".repeat(300));
        let got = excerpts(&line, &[at(1, 301)]);
        let e = got[0].as_ref().unwrap();
        assert_eq!(e.text.chars().count(), WIDTH);
        assert_eq!(e.text.chars().nth(e.caret), Some('X'));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let got = excerpts("\u{feff}{}", &[at(1, 2)]);
        assert_eq!(got[0].as_ref().unwrap().text, "{}");
        assert_eq!(got[0].as_ref().unwrap().caret, 1);
    }
}
