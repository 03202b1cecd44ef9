//! How plain scalars are typed: the reading this crate validates (YAML 1.2, as ruamel.yaml's
//! resolver reads it) and the reading of YAML 1.1 readers (PyYAML's resolver, and for `y`/`n`
//! the 1.1 specification's full list of booleans, which Go's yaml.v2 and ruamel.yaml in 1.1
//! mode follow). A plain scalar read differently by the two is a `yaml_ambiguous_scalar`; so is a
//! timestamp, which both Python readers turn into a date that JSON cannot carry.
//!
//! Both resolvers, as their libraries do, try the patterns of a scalar's first character only,
//! in the order bool, float, int, null, timestamp; a scalar no pattern takes is a string.
//! `scripts/yaml-compare/` checks these readings against the libraries on a corpus.

use once_cell::sync::Lazy;
use regex::Regex;

/// What a plain scalar is read as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reading {
    Null,
    Bool(bool),
    /// An integer (Python's are unbounded; beyond `i128` it is kept as a float, as serde_json
    /// keeps a JSON integer beyond 64 bits).
    Int(i128),
    Float(f64),
    /// The text itself.
    Str,
    /// A date or a date and time (a timestamp).
    Date,
    /// A number by its pattern that the library then fails to read (`+_`, `0b_`: nothing is
    /// left once underscores are dropped); the walk reads the text.
    Unreadable,
}

impl Reading {
    /// Whether two readings are the same value (NaN is NaN; 1 is not 1.0).
    pub(crate) fn same(self, other: Reading) -> bool {
        match (self, other) {
            (Reading::Float(a), Reading::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (a, b) => a == b,
        }
    }
}

/// The patterns are constants of this file, and the tests below run every one of them.
#[allow(clippy::expect_used)]
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a constant pattern compiles")
}

static NULL: Lazy<Regex> = Lazy::new(|| re(r"^(?:~|null|Null|NULL|)$"));
static TIMESTAMP: Lazy<Regex> = Lazy::new(|| {
    re(concat!(
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]",
        r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?",
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?",
        r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"
    ))
});

static BOOL_12: Lazy<Regex> = Lazy::new(|| re(r"^(?:true|True|TRUE|false|False|FALSE)$"));
static FLOAT_12: Lazy<Regex> = Lazy::new(|| {
    re(concat!(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?",
        r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)",
        r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?",
        r"|[-+]?\.(?:inf|Inf|INF)",
        r"|\.(?:nan|NaN|NAN))$"
    ))
});
static INT_12: Lazy<Regex> =
    Lazy::new(|| re(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$"));

static BOOL_11: Lazy<Regex> = Lazy::new(|| {
    re(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
});
static FLOAT_11: Lazy<Regex> = Lazy::new(|| {
    re(concat!(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?",
        r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?",
        r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*",
        r"|[-+]?\.(?:inf|Inf|INF)",
        r"|\.(?:nan|NaN|NAN))$"
    ))
});
static INT_11: Lazy<Regex> = Lazy::new(|| {
    re(concat!(
        r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)",
        r"|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
    ))
});

/// `y`, `Y`, `n`, `N`: booleans in the YAML 1.1 specification (Go's yaml.v2, ruamel.yaml in 1.1
/// mode), but not to PyYAML.
pub(crate) fn is_short_bool(text: &str) -> bool {
    matches!(text, "y" | "Y" | "n" | "N")
}

/// Which YAML a reading follows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    V11,
    V12,
}

/// The reading of a plain, untagged scalar by YAML 1.2 (the one this crate validates).
pub(crate) fn yaml12(text: &str) -> Reading {
    read(text, Version::V12)
}

/// The reading of a plain, untagged scalar by YAML 1.1 readers.
pub(crate) fn yaml11(text: &str) -> Reading {
    if is_short_bool(text) {
        return Reading::Bool(matches!(text, "y" | "Y"));
    }
    read(text, Version::V11)
}

fn read(text: &str, version: Version) -> Reading {
    let first = text.chars().next();
    let (bool_re, float_re, int_re) = match version {
        Version::V11 => (&*BOOL_11, &*FLOAT_11, &*INT_11),
        Version::V12 => (&*BOOL_12, &*FLOAT_12, &*INT_12),
    };
    let bool_first = match version {
        Version::V11 => "yYnNtTfFoO",
        Version::V12 => "tTfF",
    };
    match first {
        None => return Reading::Null,
        Some(c) => {
            if bool_first.contains(c) && bool_re.is_match(text) {
                let lower = text.to_ascii_lowercase();
                return Reading::Bool(matches!(lower.as_str(), "true" | "yes" | "on"));
            }
            if "-+0123456789.".contains(c) && float_re.is_match(text) {
                return float(text, version);
            }
            if "-+0123456789".contains(c) && int_re.is_match(text) {
                return int(text, version);
            }
            if "~nN".contains(c) && NULL.is_match(text) {
                return Reading::Null;
            }
            if c.is_ascii_digit() && TIMESTAMP.is_match(text) {
                return Reading::Date;
            }
        }
    }
    Reading::Str
}

/// Python's `construct_yaml_int`: underscores dropped, a sign, then `0b`, `0x`, `0o` (1.2),
/// a leading `0` as octal and `:` as base 60 (1.1), else decimal. A text the libraries would
/// fail on (nothing left after the underscores) is a string here.
fn int(text: &str, version: Version) -> Reading {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    let parsed = if digits == "0" {
        Some(Big::Int(0))
    } else if let Some(rest) = digits.strip_prefix("0b") {
        radix(rest, 2)
    } else if let Some(rest) = digits.strip_prefix("0x") {
        radix(rest, 16)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .filter(|_| version == Version::V12)
    {
        radix(rest, 8)
    } else if version == Version::V11 && digits.starts_with('0') {
        radix(digits, 8)
    } else if version == Version::V11 && digits.contains(':') {
        sexagesimal_int(digits)
    } else {
        radix(digits, 10)
    };
    match parsed {
        Some(Big::Int(n)) => Reading::Int(if negative { -n } else { n }),
        Some(Big::Float(f)) => Reading::Float(if negative { -f } else { f }),
        None => Reading::Unreadable,
    }
}

/// An integer, or one beyond `i128` as a float.
enum Big {
    Int(i128),
    Float(f64),
}

fn radix(digits: &str, radix: u32) -> Option<Big> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    match i128::from_str_radix(digits, radix) {
        Ok(n) => Some(Big::Int(n)),
        Err(_) => {
            let mut f = 0.0f64;
            for c in digits.chars() {
                f = f * f64::from(radix) + f64::from(c.to_digit(radix)?);
            }
            Some(Big::Float(f))
        }
    }
}

fn sexagesimal_int(digits: &str) -> Option<Big> {
    let mut value: i128 = 0;
    for part in digits.split(':') {
        let Some(Big::Int(n)) = radix(part, 10) else {
            return None;
        };
        value = value.checked_mul(60)?.checked_add(n)?;
    }
    Some(Big::Int(value))
}

/// Python's `construct_yaml_float`: underscores dropped, lowercased, `.inf` and `.nan`, `:` as
/// base 60 (1.1), else Python's `float()`.
fn float(text: &str, version: Version) -> Reading {
    let cleaned: String = text
        .chars()
        .filter(|&c| c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let (negative, rest) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    if rest == ".inf" {
        return Reading::Float(sign * f64::INFINITY);
    }
    if rest == ".nan" {
        return Reading::Float(f64::NAN);
    }
    if version == Version::V11 && rest.contains(':') {
        let mut value = 0.0f64;
        for part in rest.split(':') {
            match python_float(part) {
                Some(f) => value = value * 60.0 + f,
                None => return Reading::Unreadable,
            }
        }
        return Reading::Float(sign * value);
    }
    match python_float(rest) {
        Some(f) => Reading::Float(sign * f),
        None => Reading::Unreadable,
    }
}

/// Python's `float()` of what the patterns let through (`1.`, `.5`, `1e3`).
fn python_float(text: &str) -> Option<f64> {
    let (mantissa, exponent) = match text.find('e') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mantissa = if mantissa.ends_with('.') {
        format!("{mantissa}0")
    } else {
        mantissa.to_owned()
    };
    let mantissa = if mantissa.starts_with('.') {
        format!("0{mantissa}")
    } else {
        mantissa
    };
    let text = match exponent {
        Some(e) => format!("{mantissa}e{e}"),
        None => mantissa,
    };
    text.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_of_the_classic_hazards() {
        let cases: &[(&str, Reading, Reading)] = &[
            ("yes", Reading::Str, Reading::Bool(true)),
            ("Off", Reading::Str, Reading::Bool(false)),
            ("on", Reading::Str, Reading::Bool(true)),
            ("y", Reading::Str, Reading::Bool(true)),
            ("N", Reading::Str, Reading::Bool(false)),
            ("true", Reading::Bool(true), Reading::Bool(true)),
            ("FALSE", Reading::Bool(false), Reading::Bool(false)),
            ("0777", Reading::Int(777), Reading::Int(511)),
            ("0o17", Reading::Int(15), Reading::Str),
            ("09", Reading::Int(9), Reading::Str),
            ("1_000", Reading::Int(1000), Reading::Int(1000)),
            ("0x1F", Reading::Int(31), Reading::Int(31)),
            ("-0b1", Reading::Int(-1), Reading::Int(-1)),
            ("1.10", Reading::Float(1.1), Reading::Float(1.1)),
            ("1e3", Reading::Float(1000.0), Reading::Str),
            ("1.5e+3", Reading::Float(1500.0), Reading::Float(1500.0)),
            ("-.5", Reading::Float(-0.5), Reading::Str),
            (".5", Reading::Float(0.5), Reading::Float(0.5)),
            ("1.", Reading::Float(1.0), Reading::Float(1.0)),
            ("1:20", Reading::Str, Reading::Int(80)),
            ("1:20.5", Reading::Str, Reading::Float(80.5)),
            ("190:20:30", Reading::Str, Reading::Int(685_230)),
            ("2021-05-12", Reading::Date, Reading::Date),
            ("2001-12-14 21:59:43.10 -5", Reading::Date, Reading::Date),
            ("~", Reading::Null, Reading::Null),
            ("", Reading::Null, Reading::Null),
            ("nULL", Reading::Str, Reading::Str),
            ("_1", Reading::Str, Reading::Str),
            ("._412", Reading::Float(0.412), Reading::Str),
            ("+_", Reading::Unreadable, Reading::Str),
            ("0b_", Reading::Unreadable, Reading::Unreadable),
            ("koi-neo4j", Reading::Str, Reading::Str),
            ("3.0.1", Reading::Str, Reading::Str),
        ];
        for &(text, v12, v11) in cases {
            assert!(yaml12(text).same(v12), "1.2 {text}: {:?}", yaml12(text));
            assert!(yaml11(text).same(v11), "1.1 {text}: {:?}", yaml11(text));
        }
        assert!(matches!(yaml12(".inf"), Reading::Float(f) if f.is_infinite()));
        assert!(matches!(yaml11(".NaN"), Reading::Float(f) if f.is_nan()));
        assert!(matches!(
            yaml12("123456789012345678901234567890123456789012"),
            Reading::Float(_)
        ));
    }
}
