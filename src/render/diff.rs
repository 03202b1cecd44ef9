//! A unified diff of a payload and its fixed text (`--diff`), masked as source lines are: every
//! line shown, old or new, goes through the one masking path (values under secret-looking keys
//! hidden), then through the terminal's escaping function.

use std::fmt::Write as _;

use super::escape;

/// The most edit steps the line diff looks for; past them the changed region is shown as one
/// hunk that removes its old lines and adds its new ones.
const MAX_STEPS: usize = 2000;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A unified diff (`--- a/PATH`, `+++ b/PATH`, `@@` hunks with three lines of context) from
/// `old` to `new`, every line masked (JSON secrets, or YAML's when `yaml`) and escaped for a
/// terminal; empty when the texts are the same.
///
/// ```
/// let old = "{\n  \"password\": \"hunter2\",\n  \"project_id\": \"x\"\n}\n";
/// let new = "{\n  \"password\": \"hunter2\"\n}\n";
/// let diff = cce_release::render::diff("a.json", old, new, false);
/// assert!(diff.starts_with("--- a/a.json\n+++ b/a.json\n@@ -1,4 +1,3 @@\n"));
/// assert!(diff.contains("-  \"project_id\": \"x\"\n"));
/// assert!(!diff.contains("hunter2"));
/// ```
pub fn diff(path: &str, old: &str, new: &str, yaml: bool) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = line_ops(&a, &b);
    // Hunks: runs of changes with their context, merged when the context would touch.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    for &i in &changed {
        let start = i.saturating_sub(CONTEXT);
        let end = (i + CONTEXT + 1).min(ops.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    // The lines shown, masked, by side.
    let mut old_lines = Vec::new();
    let mut new_lines = Vec::new();
    for &(start, end) in &hunks {
        for op in &ops[start..end] {
            match *op {
                Op::Same(i, _) | Op::Delete(i) => old_lines.push(i + 1),
                Op::Insert(j) => new_lines.push(j + 1),
            }
        }
    }
    old_lines.dedup();
    let old_shown = masked(old, &old_lines, yaml);
    let new_shown = masked(new, &new_lines, yaml);
    let shown = |lines: &std::collections::HashMap<usize, String>, n: usize| {
        escape::terminal(lines.get(&n).map_or("", String::as_str)).into_owned()
    };
    let path = escape::terminal(path);
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for (start, end) in hunks {
        let part = &ops[start..end];
        let old_start = part.iter().find_map(|op| match op {
            Op::Same(i, _) | Op::Delete(i) => Some(*i),
            Op::Insert(_) => None,
        });
        let new_start = part.iter().find_map(|op| match op {
            Op::Same(_, j) | Op::Insert(j) => Some(*j),
            Op::Delete(_) => None,
        });
        let old_count = part
            .iter()
            .filter(|op| !matches!(op, Op::Insert(_)))
            .count();
        let new_count = part
            .iter()
            .filter(|op| !matches!(op, Op::Delete(_)))
            .count();
        let at = |start: Option<usize>, count: usize| match (start, count) {
            (_, 0) => format!("{},0", start.map_or(0, |s| s)),
            (Some(s), 1) => format!("{}", s + 1),
            (Some(s), n) => format!("{},{n}", s + 1),
            (None, n) => format!("0,{n}"),
        };
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            at(old_start, old_count),
            at(new_start, new_count)
        );
        for op in part {
            let (sign, line, last) = match *op {
                Op::Same(i, _) => (' ', shown(&old_shown, i + 1), a.get(i)),
                Op::Delete(i) => ('-', shown(&old_shown, i + 1), a.get(i)),
                Op::Insert(j) => ('+', shown(&new_shown, j + 1), b.get(j)),
            };
            let _ = writeln!(out, "{sign}{line}");
            if last.is_some_and(|l| !l.ends_with('\n')) {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// The wanted lines of `text` (1-based), masked, without their line ends.
fn masked(text: &str, lines: &[usize], yaml: bool) -> std::collections::HashMap<usize, String> {
    let mut lines = lines.to_vec();
    lines.sort_unstable();
    lines.dedup();
    #[cfg(feature = "yaml")]
    let shown = if yaml {
        crate::redact::masked_lines_with(text, &lines, crate::yaml::secret_ranges)
    } else {
        crate::redact::masked_lines(text, &lines)
    };
    #[cfg(not(feature = "yaml"))]
    let shown = {
        let _ = yaml;
        crate::redact::masked_lines(text, &lines)
    };
    shown
        .into_iter()
        .map(|(n, line)| (n, line.trim_end_matches('\r').to_owned()))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Line `i` of the old text is line `j` of the new.
    Same(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The line edits from `a` to `b`: the common start and end, and between them the shortest
/// edit script (Myers' greedy algorithm, keeping only each step's diagonals), or, past
/// [`MAX_STEPS`], all old lines removed and all new ones added.
fn line_ops(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    let middle = myers(ma, mb).unwrap_or_else(|| {
        (0..ma.len())
            .map(Op::Delete)
            .chain((0..mb.len()).map(Op::Insert))
            .collect()
    });
    ops.extend(middle.into_iter().map(|op| match op {
        Op::Same(i, j) => Op::Same(i + prefix, j + prefix),
        Op::Delete(i) => Op::Delete(i + prefix),
        Op::Insert(j) => Op::Insert(j + prefix),
    }));
    let (sa, sb) = (a.len() - suffix, b.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Same(sa + k, sb + k)));
    ops
}

fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_STEPS) as isize;
    // trace[d][k + d]: the furthest x on diagonal k after d steps.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut v: Vec<isize> = vec![0; 1];
    for d in 0..=max {
        let mut next = vec![0isize; (2 * d + 1) as usize];
        for k in (-d..=d).step_by(2) {
            let get = |k: isize| -> isize {
                let i = k + (d - 1);
                if d == 0 || i < 0 || i as usize >= v.len() {
                    -1
                } else {
                    v[i as usize]
                }
            };
            let mut x = if d == 0 {
                0
            } else if k == -d || (k != d && get(k - 1) < get(k + 1)) {
                get(k + 1)
            } else {
                get(k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            next[(k + d) as usize] = x;
            if x >= n && y >= m {
                trace.push(next);
                return Some(backtrack(&trace, n, m));
            }
        }
        trace.push(next.clone());
        v = next;
    }
    None
}

fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Op> {
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..trace.len() as isize).rev() {
        let prev = &trace[(d - 1) as usize];
        let get = |k: isize| -> isize {
            let i = k + (d - 1);
            if i < 0 || i as usize >= prev.len() {
                -1
            } else {
                prev[i as usize]
            }
        };
        let k = x - y;
        let prev_k = if k == -d || (k != d && get(k - 1) < get(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = get(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            ops.push(Op::Same(x as usize, y as usize));
        }
        if x == prev_x {
            ops.push(Op::Insert(prev_y as usize));
        } else {
            ops.push(Op::Delete(prev_x as usize));
        }
        (x, y) = (prev_x, prev_y);
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        ops.push(Op::Same(x as usize, y as usize));
    }
    ops.reverse();
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(a: &[&str], b: &[&str], ops: &[Op]) -> Vec<String> {
        let mut out = Vec::new();
        for op in ops {
            match *op {
                Op::Same(i, j) => {
                    assert_eq!(a[i], b[j]);
                    out.push(a[i].to_owned());
                }
                Op::Insert(j) => out.push(b[j].to_owned()),
                Op::Delete(_) => {}
            }
        }
        out
    }

    #[test]
    fn line_ops_rebuild_the_new_text() {
        let cases: [(&str, &str); 6] = [
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nb\nc\n", "x\na\nb\nc\ny\n"),
            ("a\nb\nc\nd\ne\n", "a\nB\nc\nD\ne\n"),
            ("", "a\n"),
            ("a\n", ""),
            ("a\nb\na\nb\n", "b\na\nb\na\n"),
        ];
        for (old, new) in cases {
            let a: Vec<&str> = old.split_inclusive('\n').collect();
            let b: Vec<&str> = new.split_inclusive('\n').collect();
            let ops = line_ops(&a, &b);
            assert_eq!(apply(&a, &b, &ops).concat(), new, "{old:?} -> {new:?}");
            let deletions = ops.iter().filter(|o| matches!(o, Op::Delete(_))).count();
            assert_eq!(
                a.len() - deletions,
                ops.iter().filter(|o| matches!(o, Op::Same(..))).count()
            );
        }
    }

    #[test]
    fn hunks_are_masked_and_escaped() {
        let old = "{\n  \"token\": \"abc\",\n  \"x\": \"\u{1b}[31m\",\n  \"project_id\": 1\n}\n";
        let new = "{\n  \"token\": \"abc\",\n  \"x\": \"\u{1b}[31m\"\n}\n";
        let d = diff("p.json", old, new, false);
        assert!(!d.contains("abc"), "{d}");
        assert!(!d.contains('\u{1b}'), "{d}");
        assert!(d.contains("-  \"project_id\": 1\n"), "{d}");
    }
}
