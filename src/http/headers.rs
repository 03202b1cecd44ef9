//! Headers: the media type of a body, and the shape of the credentials.
//!
//! Names are compared case-insensitively (RFC 9110). Values are never put in a message: tokens
//! and signatures are secrets, and the others are not worth the risk of a rule that gets it wrong.
//!
//! - `Content-Type`, on the operations that send a body: `application/json`, optionally with
//!   `charset=utf-8`; the media type and the charset are case-insensitive, spaces around `;` and
//!   `=` are allowed, and no other parameter is.
//! - Credentials: a non-empty `X-Auth-Token`; or, without one, `Authorization:
//!   SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` (scheme and names case-insensitive)
//!   with `X-Sdk-Date: YYYYMMDDTHHMMSSZ`. Only their shape is checked: whether a token or a
//!   signature is genuine is for the API to say.

use super::route::Operation;
use crate::diagnostic::Location;
use crate::diagnostic::message::{AuthFault, Problem};
use crate::validate::collect::Collector;
use crate::validate::{Anchor, Finding};

pub(crate) const CONTENT_TYPE: &str = "Content-Type";
pub(crate) const AUTH_TOKEN: &str = "X-Auth-Token";
pub(crate) const AUTHORIZATION: &str = "Authorization";
pub(crate) const SDK_DATE: &str = "X-Sdk-Date";

/// The signature's parts, in the order the SDKs write them.
const SIGNATURE_PARTS: [&str; 3] = ["Access", "SignedHeaders", "Signature"];

fn finding(problem: Problem, header: &str) -> Finding {
    Finding {
        problem,
        location: Location::Header,
        pointer: format!("/{header}"),
        anchor: Anchor::Nowhere,
    }
}

pub(crate) fn check(operation: Operation, headers: &[(String, Vec<u8>)], out: &mut Collector) {
    let first = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    };
    if operation.request_kind().is_some() {
        let mut content_types = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(CONTENT_TYPE))
            .peekable();
        if content_types.peek().is_none() {
            out.push_unplaced(finding(
                Problem::ContentType { missing: true },
                CONTENT_TYPE,
            ));
        }
        if content_types.any(|(_, v)| !is_json(v)) {
            out.push_unplaced(finding(
                Problem::ContentType { missing: false },
                CONTENT_TYPE,
            ));
        }
    }
    // `X-Sdk-Date` has one documented meaning and format, whatever the credentials: its shape is
    // checked whenever it is sent (as the OpenAPI document's parameter says), not only with a
    // signature.
    let date = first(SDK_DATE);
    let date_fault = match date {
        None => None,
        Some(date) if !is_sdk_date(date) => Some(AuthFault::BadDate),
        Some(_) => None,
    };
    let token = first(AUTH_TOKEN);
    if let Some(token) = token
        && token.iter().all(u8::is_ascii_whitespace)
    {
        out.push_unplaced(finding(
            Problem::MalformedAuth {
                fault: AuthFault::EmptyToken,
            },
            AUTH_TOKEN,
        ));
    }
    if token.is_none() {
        // What the API makes of an `Authorization` beside a token is not documented.
        match first(AUTHORIZATION) {
            None => out.push_unplaced(finding(Problem::MissingAuth, AUTH_TOKEN)),
            Some(authorization) => {
                for fault in signature_faults(authorization) {
                    out.push_unplaced(finding(Problem::MalformedAuth { fault }, AUTHORIZATION));
                }
                if date.is_none() {
                    out.push_unplaced(finding(
                        Problem::MalformedAuth {
                            fault: AuthFault::NoDate,
                        },
                        SDK_DATE,
                    ));
                }
            }
        }
    }
    if let Some(fault) = date_fault {
        out.push_unplaced(finding(Problem::MalformedAuth { fault }, SDK_DATE));
    }
}

/// `application/json`, optionally with `charset=utf-8`.
fn is_json(value: &[u8]) -> bool {
    let Ok(value) = std::str::from_utf8(value) else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|p| {
        let p = p.trim();
        p.is_empty()
            || p.split_once('=').is_some_and(|(name, v)| {
                name.trim().eq_ignore_ascii_case("charset")
                    && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            })
    })
}

/// What is missing from an `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` value.
fn signature_faults(value: &[u8]) -> Vec<AuthFault> {
    let Ok(value) = std::str::from_utf8(value) else {
        return vec![AuthFault::NotSigned];
    };
    let Some((scheme, params)) = value.trim().split_once(' ') else {
        return vec![AuthFault::NotSigned];
    };
    if !scheme.eq_ignore_ascii_case("SDK-HMAC-SHA256") {
        return vec![AuthFault::NotSigned];
    }
    let present: Vec<&str> = params
        .split(',')
        .filter_map(|p| p.split_once('='))
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(name, _)| name.trim())
        .collect();
    SIGNATURE_PARTS
        .iter()
        .filter(|part| !present.iter().any(|p| p.eq_ignore_ascii_case(part)))
        .map(|part| AuthFault::MissingPart(part))
        .collect()
}

/// `YYYYMMDDTHHMMSSZ`, a real UTC date and time: the day exists in its month (29 February only
/// in a leap year of the Gregorian calendar), hours 00 to 23, minutes and seconds 00 to 59. The
/// provider's Go SDK signer (`core/auth/signer/signer.go`) writes the clock with the layout
/// `20060102T150405Z` and reads a caller's `X-Sdk-Date` back with `time.Parse` of that layout,
/// replacing any value it refuses; Go's `time.Parse` refuses a second 60 and a 30 February, and
/// so do Java's `DateTimeFormatter` and Python's `datetime.strptime`.
/// `openapi::SDK_DATE_PATTERN` says the same as a regular expression (a test compares them).
pub(crate) fn is_sdk_date(value: &[u8]) -> bool {
    let [
        y0,
        y1,
        y2,
        y3,
        mo0,
        mo1,
        d0,
        d1,
        b'T',
        h0,
        h1,
        mi0,
        mi1,
        s0,
        s1,
        b'Z',
    ] = *value
    else {
        return false;
    };
    let digits = [y0, y1, y2, y3, mo0, mo1, d0, d1, h0, h1, mi0, mi1, s0, s1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
    let year = n(y0, y1) * 100 + n(y2, y3);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match n(mo0, mo1) {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&n(d0, d1)) && n(h0, h1) <= 23 && n(mi0, mi1) <= 59 && n(s0, s1) <= 59
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        for v in [
            "application/json",
            "Application/JSON",
            "application/json;charset=utf-8",
            "application/json; charset=UTF-8",
            "application/json ; charset = \"utf-8\"",
            "application/json;",
        ] {
            assert!(is_json(v.as_bytes()), "{v}");
        }
        for v in [
            "",
            "text/json",
            "application/json-patch+json",
            "application/x-www-form-urlencoded",
            "application/json;charset=latin1",
            "application/json;boundary=x",
            "application/jsonx",
        ] {
            assert!(!is_json(v.as_bytes()), "{v}");
        }
        assert!(!is_json(b"application/json\xff"));
    }

    #[test]
    fn signatures() {
        let good =
            b"SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature=abc";
        assert_eq!(signature_faults(good), []);
        assert_eq!(
            signature_faults(b"sdk-hmac-sha256 access=AK,signedheaders=host,signature=x"),
            []
        );
        assert_eq!(signature_faults(b"Bearer eyJ"), [AuthFault::NotSigned]);
        assert_eq!(signature_faults(b"SDK-HMAC-SHA256"), [AuthFault::NotSigned]);
        assert_eq!(
            signature_faults(b"SDK-HMAC-SHA256 Access=AK, Signature="),
            [
                AuthFault::MissingPart("SignedHeaders"),
                AuthFault::MissingPart("Signature")
            ]
        );
    }

    #[test]
    fn sdk_dates() {
        for v in [
            "20210512T071142Z",
            "20001231T235959Z",
            "20000229T000000Z",
            "20240229T120000Z",
            "00000101T000000Z",
        ] {
            assert!(is_sdk_date(v.as_bytes()), "{v}");
        }
        for v in [
            "",
            "20210512T071142",
            "2021-05-12T07:11:42Z",
            "20211312T071142Z",
            "20210500T071142Z",
            "20210512T241142Z",
            "20210512t071142z",
            "2021051xT071142Z",
            "00000000T000000Z",
            "20001231T235960Z",
            "20210230T000000Z",
            "20210229T000000Z",
            "21000229T000000Z",
            "20210431T000000Z",
            "20210512T076000Z",
        ] {
            assert!(!is_sdk_date(v.as_bytes()), "{v}");
        }
    }
}
