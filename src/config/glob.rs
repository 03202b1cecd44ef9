//! Gitignore-style patterns, relative to a configuration file's folder.
//!
//! - A pattern without a `/` (other than a trailing one) matches a name at any depth:
//!   `*.yaml`, `drafts`.
//! - A pattern with a `/` at the start or in the middle is anchored to the folder:
//!   `/releases`, `releases/prod/*.json`.
//! - A trailing `/` matches directories only (and so every file below them): `drafts/`.
//! - `*` matches within a name, `?` one character, `[a-z]` a class (`[!a-z]` its complement);
//!   `**/` at the start, `/**` at the end and `/**/` in the middle match any number of folders.
//! - `!pattern` takes back what an earlier pattern matched; the last pattern that matches a path
//!   decides.
//!
//! A pattern matches a file when it matches its path or the path of a folder it is in.

use regex::Regex;

/// One pattern, compiled.
#[derive(Debug, Clone)]
struct Pattern {
    regex: Regex,
    negated: bool,
    dir_only: bool,
}

/// An ordered list of patterns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Patterns {
    patterns: Vec<Pattern>,
}

/// Why a pattern is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadPattern(pub String);

impl Patterns {
    /// Compiles `patterns` (the first bad one is an error).
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<Self, BadPattern> {
        let patterns = patterns
            .into_iter()
            .map(compile)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Patterns { patterns })
    }

    /// True when no pattern was given.
    pub(crate) fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `path` (relative, `/`-separated, no `.` or `..`) is matched: the last pattern
    /// that matches it, or a folder it is in, decides.
    pub(crate) fn matches(&self, path: &str) -> bool {
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.negated == matched && pattern.hits(path) {
                matched = !pattern.negated;
            }
        }
        matched
    }
}

impl Pattern {
    fn hits(&self, path: &str) -> bool {
        // The folders the file is in, then the file itself.
        let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        for folder in folders {
            if self.regex.is_match(folder) {
                return true;
            }
        }
        !self.dir_only && self.regex.is_match(path)
    }
}

fn compile(text: &str) -> Result<Pattern, BadPattern> {
    let bad = |why: &str| BadPattern(format!("`{text}` is not a pattern: {why}"));
    let (negated, rest) = match text.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (dir_only, rest) = match rest.strip_suffix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    if rest.is_empty() || rest == "/" {
        return Err(bad("it is empty"));
    }
    let anchored = rest.contains('/');
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    if rest.split('/').any(|part| part == "." || part == "..") {
        return Err(bad(
            "`.` and `..` are not allowed (patterns are relative to the configuration's folder)",
        ));
    }
    let mut regex = String::from(if anchored { "^" } else { "^(?:.*/)?" });
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                let at_start = i == 0;
                let before_slash = i > 0 && chars.get(i - 1) == Some(&'/');
                let after = chars.get(i + 2);
                if (at_start || before_slash) && after == Some(&'/') {
                    // `**/`: any number of folders.
                    regex.push_str("(?:.*/)?");
                    i += 3;
                } else if before_slash && after.is_none() {
                    // `/**`: everything inside.
                    regex.push_str(".*");
                    i += 2;
                } else {
                    // `**` elsewhere is `*`, as in gitignore.
                    regex.push_str("[^/]*");
                    i += 2;
                }
                continue;
            }
            '*' => regex.push_str("[^/]*"),
            '?' => regex.push_str("[^/]"),
            '[' => {
                let Some(close) = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| p + i + 1)
                else {
                    return Err(bad("a `[` without its `]`"));
                };
                let mut class: String = chars[i + 1..close].iter().collect();
                if class.is_empty() {
                    return Err(bad("an empty `[]`"));
                }
                if let Some(rest) = class.strip_prefix('!') {
                    class = format!("^{rest}");
                }
                let class = class.replace('\\', "\\\\").replace('[', "\\[");
                regex.push('[');
                regex.push_str(&class);
                regex.push(']');
                i = close;
            }
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    regex.push_str(&regex::escape(&next.to_string()));
                    i += 1;
                }
            }
            c => regex.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    regex.push('$');
    let regex = Regex::new(&regex).map_err(|_| bad("it does not compile"))?;
    Ok(Pattern {
        regex,
        negated,
        dir_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(patterns: &[&str], path: &str) -> bool {
        Patterns::new(patterns.iter().copied())
            .unwrap()
            .matches(path)
    }

    #[test]
    fn gitignore_semantics() {
        assert!(m(&["*.yaml"], "a.yaml"));
        assert!(m(&["*.yaml"], "deep/down/a.yaml"));
        assert!(!m(&["*.yaml"], "a.yml"));
        assert!(m(&["drafts"], "releases/drafts/a.json"));
        assert!(m(&["drafts/"], "releases/drafts/a.json"));
        assert!(!m(&["drafts/"], "releases/drafts"));
        assert!(m(&["/releases"], "releases/a.json"));
        assert!(!m(&["/releases"], "x/releases/a.json"));
        assert!(m(&["releases/prod/*.json"], "releases/prod/a.json"));
        assert!(!m(&["releases/prod/*.json"], "releases/prod/x/a.json"));
        assert!(m(&["releases/**/*.json"], "releases/a.json"));
        assert!(m(&["releases/**/*.json"], "releases/x/y/a.json"));
        assert!(m(&["**/values.yaml"], "charts/koi/values.yaml"));
        assert!(m(&["charts/**"], "charts/koi/values.yaml"));
        assert!(m(&["*.json", "!package.json"], "a.json"));
        assert!(!m(&["*.json", "!package.json"], "sub/package.json"));
        assert!(m(
            &["*.json", "!package.json", "package.json"],
            "package.json"
        ));
        assert!(m(&["r[0-9].json"], "r1.json"));
        assert!(!m(&["r[!0-9].json"], "r1.json"));
        assert!(m(&["a?.json"], "ab.json"));
        assert!(!m(&["a?.json"], "a/b.json"));
        assert!(m(&["a\\*.json"], "a*.json"));
        assert!(!m(&["a\\*.json"], "ab.json"));
        assert!(!m(&[], "a.json"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        for bad in ["", "/", "!", "[a", "../x", "a/./b", "[]"] {
            assert!(Patterns::new([bad]).is_err(), "{bad}");
        }
    }
}
