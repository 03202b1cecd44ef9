//! The findings collector: bounded by construction.
//!
//! A report holds at most `limit` findings, errors before warnings, the first in the text of
//! each. The collector keeps at most `limit` errors and `limit` warnings as it goes, each class
//! in a max-heap by place in the document, and only *counts* the rest; a finding is offered as a
//! closure, and only a finding that is kept is ever built (its pointer string, its quoted
//! values). Positions, messages and sorting happen after, for the kept ones only. So the work
//! and memory of a report do not grow with the number of findings a payload could produce.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::{Anchor, Finding};
use crate::diagnostic::{Code, Severity};

/// A finding's place in the document, comparable without positions: the member and item
/// indices on the way to it (in the order of the text), then key before value, then the order
/// in which the finding was offered.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Place {
    path: Box<[u32]>,
    /// 0: at the key of the member the path names, or before the document (a byte-order mark);
    /// 1: at its value.
    sub: u8,
    seq: u64,
}

/// A place before it is stored: borrowed, so rejecting a finding allocates nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'p> {
    pub path: &'p [u32],
    pub sub: u8,
}

impl At<'_> {
    /// Where a finding with this anchor sits, given the path of what its pointer names (for
    /// a missing member: of the object that lacks it).
    pub(crate) fn of(path: &[u32], anchor: Anchor) -> At<'_> {
        At {
            path,
            sub: match anchor {
                Anchor::Key | Anchor::KeyAt(_) | Anchor::Offset(0) => 0,
                _ => 1,
            },
        }
    }

    fn cmp_place(&self, place: &Place, seq: u64) -> Ordering {
        (self.path, self.sub, seq).cmp(&(&place.path[..], place.sub, place.seq))
    }
}

#[derive(Clone)]
struct Kept {
    place: Place,
    finding: Finding,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.place == other.place
    }
}

impl Eq for Kept {}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        self.place.cmp(&other.place)
    }
}

#[derive(Default, Clone)]
struct Class {
    /// The kept findings, the one furthest in the document on top.
    heap: BinaryHeap<Kept>,
    /// Findings offered, kept or not.
    offered: usize,
    /// Of them, those a later repeat of a key can take back (all but `duplicate_key`).
    retractable: usize,
    /// The sequence numbers of the kept findings still alive. A retraction of a few findings
    /// (a member that comes again) takes them out of this set and leaves them in the heap,
    /// dead, instead of passing over the heap: a body of a million repeats costs a million
    /// lookups. Dead entries are dropped when they reach the top, and all at once when there
    /// are more of them than the limit.
    /// (With whether a retraction takes it: all but `duplicate_key`.)
    kept: std::collections::HashMap<u64, bool>,
    /// Entries of `heap` no longer in `kept`.
    dead: usize,
}

impl Class {
    /// The kept entry furthest in the document, dead ones dropped on the way.
    fn top(&mut self) -> Option<&Kept> {
        while let Some(top) = self.heap.peek() {
            if self.kept.contains_key(&top.place.seq) {
                break;
            }
            self.heap.pop();
            self.dead -= 1;
        }
        self.heap.peek()
    }

    /// Drops the dead entries once there are more of them than `limit`.
    fn compact(&mut self, limit: usize) {
        if self.dead > limit {
            let kept = &self.kept;
            self.heap.retain(|k| kept.contains_key(&k.place.seq));
            self.dead = 0;
        }
    }
}

/// A point in the sequence of offered findings (see [`Collector::mark`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    seq: u64,
    errors: usize,
    warnings: usize,
}

/// Collects findings up to a limit per severity; counts the rest.
#[derive(Clone)]
pub(crate) struct Collector {
    limit: usize,
    strict: bool,
    /// The codes reported (see [`crate::Options::ignore`]): others are neither kept nor counted.
    reported: crate::diagnostic::CodeSet,
    seq: u64,
    errors: Class,
    warnings: Class,
}

impl Collector {
    pub(crate) fn new(limit: usize, strict: bool) -> Self {
        Collector {
            limit: limit.max(1),
            strict,
            reported: crate::diagnostic::CodeSet::ALL,
            seq: 0,
            errors: Class::default(),
            warnings: Class::default(),
        }
    }

    /// Offers the finding `make` builds, of code `code`, at `at`: `make` runs only when the
    /// finding is kept.
    pub(crate) fn offer(&mut self, code: Code, at: At<'_>, make: impl FnOnce() -> Finding) {
        if !self.reported.contains(code) {
            return;
        }
        let severity = code.default_severity();
        let seq = self.seq;
        self.seq += 1;
        let class = if self.strict || severity == Severity::Error {
            &mut self.errors
        } else {
            &mut self.warnings
        };
        class.offered += 1;
        if code != Code::DuplicateKey {
            class.retractable += 1;
        }
        if class.kept.len() >= self.limit {
            let Some(top) = class.top() else {
                return;
            };
            if at.cmp_place(&top.place, seq) != Ordering::Less {
                return;
            }
            if let Some(out) = class.heap.pop() {
                class.kept.remove(&out.place.seq);
            }
        }
        let finding = make();
        debug_assert_eq!(finding.problem.code(), code);
        class.kept.insert(seq, code != Code::DuplicateKey);
        class.heap.push(Kept {
            place: Place {
                path: at.path.into(),
                sub: at.sub,
                seq,
            },
            finding,
        });
    }

    /// Only the codes of `reported` are kept and counted.
    pub(crate) fn reporting(mut self, reported: crate::diagnostic::CodeSet) -> Self {
        self.reported = reported;
        self
    }

    /// Offers a finding already built (for the few findings that are cheap to build anyway).
    pub(crate) fn push(&mut self, at: At<'_>, finding: Finding) {
        self.offer(finding.problem.code(), at, || finding);
    }

    /// Where the collector is now: what [`retract`](Self::retract) takes back between two marks.
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            seq: self.seq,
            errors: self.errors.retractable,
            warnings: self.warnings.retractable,
        }
    }

    /// Takes back the findings offered between `from` and `to`, repeated keys excepted: those
    /// of a member whose key came again (the value that counts is the last one, as for the
    /// parsers the payload goes to). Findings the collector had already let go of for them are
    /// not brought back.
    pub(crate) fn retract(&mut self, from: Mark, to: Mark) {
        if from.seq == to.seq {
            return;
        }
        let range = from.seq..to.seq;
        for (class, taken) in [
            (&mut self.errors, to.errors - from.errors),
            (&mut self.warnings, to.warnings - from.warnings),
        ] {
            if taken == 0 {
                continue;
            }
            class.offered -= taken;
            class.retractable -= taken;
            // Few offered since `from` (a member's value): those kept die where they are.
            if to.seq - from.seq <= 64 {
                for seq in range.clone() {
                    if class.kept.get(&seq) == Some(&true) {
                        class.kept.remove(&seq);
                        class.dead += 1;
                    }
                }
                class.compact(self.limit);
                continue;
            }
            let kept = &mut class.kept;
            class.heap.retain(|k| {
                let alive = kept.contains_key(&k.place.seq);
                let stays = alive
                    && (!range.contains(&k.place.seq)
                        || k.finding.problem.code() == Code::DuplicateKey);
                if alive && !stays {
                    kept.remove(&k.place.seq);
                }
                stays
            });
            class.dead = 0;
        }
    }

    /// Offers a finding that has no place in a body (a path, query or header finding): it
    /// comes before the body's findings, in the order offered.
    pub(crate) fn push_unplaced(&mut self, finding: Finding) {
        self.push(At::of(&[], Anchor::Nowhere), finding);
    }

    /// The findings of the report, in the order they were offered (which orders findings at
    /// the same position), and how many were left out: every error kept first, then the
    /// warnings that fit under the limit, the first in the document of each.
    pub(crate) fn finish(self) -> (Vec<Finding>, usize) {
        let alive = |class: Class| -> Vec<Kept> {
            let kept = class.kept;
            let mut sorted = class.heap.into_sorted_vec();
            sorted.retain(|k| kept.contains_key(&k.place.seq));
            sorted
        };
        let offered = self.errors.offered + self.warnings.offered;
        let mut errors = alive(self.errors);
        let mut warnings = alive(self.warnings);
        let room = self.limit.saturating_sub(errors.len());
        warnings.truncate(room);
        let kept = errors.len() + warnings.len();
        let omitted = offered - kept;
        errors.append(&mut warnings);
        errors.sort_by_key(|k| k.place.seq);
        (errors.into_iter().map(|k| k.finding).collect(), omitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::message::Problem;

    fn finding(pointer: &str, problem: Problem) -> Finding {
        Finding::body(problem, pointer, Anchor::Value)
    }

    #[test]
    fn keeps_the_first_in_the_document_errors_first_and_counts_the_rest() {
        let mut c = Collector::new(3, false);
        let mut built = 0;
        // Offered last-to-first: the kept ones are still the first in the document.
        for i in (0..100u32).rev() {
            c.offer(Code::ByteOrderMark, At::of(&[i], Anchor::Value), || {
                built += 1;
                finding(&format!("/w{i}"), Problem::ByteOrderMark)
            });
        }
        c.offer(Code::MissingField, At::of(&[50], Anchor::Value), || {
            finding("/e", Problem::MissingField)
        });
        let (kept, omitted) = c.finish();
        let pointers: Vec<&str> = kept.iter().map(|f| f.pointer.as_str()).collect();
        // Offer order: w2 was offered before w1 and w0 (reverse), the error last.
        assert_eq!(pointers, ["/w1", "/w0", "/e"]);
        assert_eq!(omitted, 98);
        // Only findings that made it into the heap at some point were built; a reversed
        // offer order is the worst case, a document-ordered one builds `limit` only.
        assert!(built <= 100);
        let mut c = Collector::new(3, false);
        let mut built = 0;
        for i in 0..1000u32 {
            c.offer(Code::ByteOrderMark, At::of(&[i], Anchor::Value), || {
                built += 1;
                finding("/w", Problem::ByteOrderMark)
            });
        }
        assert_eq!(built, 3);
        assert_eq!(c.finish().1, 997);
    }

    #[test]
    fn findings_of_a_repeated_member_are_taken_back() {
        let mut c = Collector::new(30, false);
        c.offer(Code::ByteOrderMark, At::of(&[0], Anchor::Value), || {
            finding("/a", Problem::ByteOrderMark)
        });
        let from = c.mark();
        for i in 0..20u32 {
            c.offer(Code::MissingField, At::of(&[1, i], Anchor::Value), || {
                finding("/b/x", Problem::MissingField)
            });
        }
        c.offer(Code::DuplicateKey, At::of(&[1, 99], Anchor::Key), || {
            finding("/b/k", Problem::DuplicateKey)
        });
        let to = c.mark();
        c.retract(from, to);
        let (kept, omitted) = c.finish();
        let pointers: Vec<&str> = kept.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, ["/a", "/b/k"]);
        assert_eq!(omitted, 0);
    }

    #[test]
    fn short_retractions_leave_dead_entries_that_are_dropped_in_time() {
        // A member said again and again, each occurrence with one finding (kept, since the
        // previous one's slot was freed), and a repeated key inside the first few (never
        // taken back).
        let limit = 10;
        let mut c = Collector::new(limit, false);
        for i in 0..5u32 {
            c.offer(Code::ByteOrderMark, At::of(&[i], Anchor::Value), || {
                finding(&format!("/w{i}"), Problem::ByteOrderMark)
            });
        }
        let mut span = None;
        for i in 5..100_005u32 {
            if let Some((from, to)) = span.take() {
                c.retract(from, to);
            }
            let from = c.mark();
            c.offer(Code::ByteOrderMark, At::of(&[i], Anchor::Value), || {
                finding("/u", Problem::ByteOrderMark)
            });
            if i < 8 {
                c.offer(Code::DuplicateKey, At::of(&[i, 0], Anchor::Key), || {
                    finding("/u/k", Problem::DuplicateKey)
                });
            }
            span = Some((from, c.mark()));
            // Dead entries never pile up past the limit.
            assert!(c.warnings.heap.len() <= 2 * limit + 1);
        }
        let (kept, omitted) = c.finish();
        let warnings: Vec<&str> = kept
            .iter()
            .filter(|f| f.problem.code() == Code::ByteOrderMark)
            .map(|f| f.pointer.as_str())
            .collect();
        // The five first, and the last occurrence only.
        assert_eq!(warnings, ["/w0", "/w1", "/w2", "/w3", "/w4", "/u"]);
        // The repeated keys inside the occurrences taken back stay; nothing is left out.
        let errors = kept.len() - warnings.len();
        assert_eq!((errors, omitted), (3, 0));
    }

    #[test]
    fn strict_mode_is_one_class() {
        let mut c = Collector::new(2, true);
        for i in 0..5u32 {
            c.offer(Code::ByteOrderMark, At::of(&[i], Anchor::Value), || {
                finding("/w", Problem::ByteOrderMark)
            });
        }
        let (kept, omitted) = c.finish();
        assert_eq!((kept.len(), omitted), (2, 3));
    }
}
