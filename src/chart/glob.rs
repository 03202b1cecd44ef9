//! `.helmignore`, as Helm 3 reads it (`pkg/ignore/rules.go`) for a chart loaded from a
//! directory: one pattern a line (blank lines and `#` comments skipped), Go's `filepath.Match`
//! syntax (`*`, `?`, `[...]`, `\` escapes; `**` is refused, as Helm refuses it), a trailing `/`
//! for directories only, a leading `/` for the chart's root, a pattern without `/` matched
//! against the base name only, `!` to negate (with Helm's own reading of negation: a path a
//! negated pattern does *not* match is ignored). Helm always adds `templates/.?*`.

/// One rule of a `.helmignore`.
#[derive(Debug, Clone)]
struct Rule {
    pattern: String,
    negate: bool,
    dir_only: bool,
    /// Matched against the whole path (the pattern has a `/`), else against the base name.
    whole: bool,
}

/// The rules of a `.helmignore`, with Helm's default.
#[derive(Debug, Clone, Default)]
pub(super) struct Ignore {
    rules: Vec<Rule>,
}

impl Ignore {
    /// Parses a `.helmignore`; Helm's default rule comes last.
    pub(super) fn parse(text: &str) -> Result<Self, String> {
        let mut ignore = Ignore::default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            ignore.add(line)?;
        }
        ignore.add("templates/.?*")?;
        Ok(ignore)
    }

    fn add(&mut self, line: &str) -> Result<(), String> {
        if line.contains("**") {
            return Err(format!(
                ".helmignore: double-star (**) syntax is not supported: `{line}`"
            ));
        }
        let (negate, rest) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (dir_only, rest) = match rest.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let (whole, pattern) = match rest.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (rest.contains('/'), rest),
        };
        // Helm refuses a pattern `filepath.Match` cannot read.
        if matches("", pattern).is_none() {
            return Err(format!(".helmignore: bad pattern `{line}`"));
        }
        self.rules.push(Rule {
            pattern: pattern.to_owned(),
            negate,
            dir_only,
            whole,
        });
        Ok(())
    }

    /// Whether `path` (relative, `/`-separated) is ignored; `dir` when it is a directory.
    pub(super) fn ignores(&self, path: &str, dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for rule in &self.rules {
            let subject = if rule.whole {
                path
            } else {
                path.rsplit('/').next().unwrap_or(path)
            };
            let hit = matches(subject, &rule.pattern).unwrap_or(false);
            if rule.negate {
                if rule.dir_only && !dir {
                    return true;
                }
                if !hit {
                    return true;
                }
                continue;
            }
            if rule.dir_only && !dir {
                continue;
            }
            if hit {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.Match` on `/`-separated names: `None` for a malformed pattern.
pub(super) fn matches(name: &str, pattern: &str) -> Option<bool> {
    let name: Vec<char> = name.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    // Check the whole pattern is well formed, whatever the name.
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            '\\' => {
                pattern.get(i + 1)?;
                i += 2;
            }
            '[' => i = class(&pattern, i, None)?.1,
            _ => i += 1,
        }
    }
    Some(match_here(&name, &pattern))
}

/// Matches with `*` backtracking (iterative: a star's position is remembered).
fn match_here(name: &[char], pattern: &[char]) -> bool {
    let (mut n, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            match pattern[p] {
                '*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                '?' if name[n] != '/' => {
                    n += 1;
                    p += 1;
                    continue;
                }
                '[' => {
                    if let Some((true, next)) = class(pattern, p, Some(name[n])) {
                        n += 1;
                        p = next;
                        continue;
                    }
                }
                '\\' if pattern.get(p + 1) == Some(&name[n]) => {
                    n += 1;
                    p += 2;
                    continue;
                }
                c if c != '\\' && c != '?' && c == name[n] => {
                    n += 1;
                    p += 1;
                    continue;
                }
                _ => {}
            }
        }
        // Backtrack: the last star takes one more character (never a separator).
        match star {
            Some((sp, sn)) if name[sn] != '/' => {
                star = Some((sp, sn + 1));
                p = sp + 1;
                n = sn + 1;
            }
            _ => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// A `[...]` class at `pattern[start]`: whether `c` is in it (when given) and the index after it;
/// `None` when malformed.
fn class(pattern: &[char], start: usize, c: Option<char>) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = pattern.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let ch = *pattern.get(i)?;
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if ch == '\\' {
            i += 1;
            *pattern.get(i)?
        } else {
            ch
        };
        i += 1;
        let hi = if pattern.get(i) == Some(&'-') && pattern.get(i + 1) != Some(&']') {
            i += 1;
            let h = *pattern.get(i)?;
            let h = if h == '\\' {
                i += 1;
                *pattern.get(i)?
            } else {
                h
            };
            i += 1;
            h
        } else {
            lo
        };
        if lo > hi {
            return None;
        }
        if let Some(c) = c
            && (lo..=hi).contains(&c)
        {
            hit = true;
        }
    }
    let hit = c.is_some_and(|c| c != '/') && hit != negated;
    Some((hit, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filepath_match() {
        for (name, pattern, expected) in [
            ("abc", "abc", Some(true)),
            ("abc", "*", Some(true)),
            ("abc", "*c", Some(true)),
            ("abc", "a*", Some(true)),
            ("a/c", "a*", Some(false)),
            ("a/c", "a/*", Some(true)),
            ("abc", "a?c", Some(true)),
            ("abc", "[a-c]bc", Some(true)),
            ("dbc", "[^a-c]bc", Some(true)),
            ("abc", "[^a-c]bc", Some(false)),
            ("a*c", "a\\*c", Some(true)),
            ("abc", "[", None),
            ("x.tgz", "*.tgz", Some(true)),
            (".git", ".*", Some(true)),
        ] {
            assert_eq!(matches(name, pattern), expected, "{name} {pattern}");
        }
    }

    #[test]
    fn helmignore_rules() {
        let ignore =
            Ignore::parse("# comment\n*.tgz\n.git/\n/secret.txt\ndocs/*.md\n").unwrap_or_default();
        assert!(ignore.ignores("x.tgz", false));
        assert!(ignore.ignores("charts/x.tgz", false));
        assert!(ignore.ignores(".git", true));
        assert!(!ignore.ignores(".git", false));
        assert!(ignore.ignores("secret.txt", false));
        assert!(ignore.ignores("docs/a.md", false));
        assert!(!ignore.ignores("values.yaml", false));
        assert!(ignore.ignores("templates/.hidden", false));
        assert!(Ignore::parse("**/x\n").is_err());
    }
}
