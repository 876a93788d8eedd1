//! Identifier normalization between EPCIS URIs and lottrack's native ids.
//!
//! EPCIS names things with URIs: EPC URNs (`urn:epc:id:sgtin:…`,
//! `urn:epc:class:lgtin:…`, `urn:epc:idpat:sgtin:…`, `urn:epc:id:sscc:…`,
//! `urn:epc:id:sgln:…`, `urn:epc:id:pgln:…`) and GS1 Digital Link URIs
//! (`https://id.gs1.org/01/…/10/…`, any host). Both forms of the same GS1 key
//! normalize to the same native id, so a lot reported by one partner as an LGTIN URN
//! and by another as a Digital Link is one lot. The full mapping is in the
//! [`crate::epcis`] module documentation; [`parse_identifier`] reads a URI and the
//! `*_uri` functions write one.
//!
//! ```
//! use lottrack_core::epcis::epc::{parse_identifier, Identifier};
//! let a = parse_identifier("urn:epc:class:lgtin:4012345.012345.998877").unwrap();
//! let b = parse_identifier("https://id.gs1.org/01/04012345123456/10/998877").unwrap();
//! assert_eq!(a, b);
//! assert_eq!(a, Identifier::Class { gtin: "04012345123456".into(), lot: Some("998877".into()) });
//! ```

/// What an EPCIS identifier denotes, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    /// A trade item class: GTIN-14 (with check digit) and lot; `None` when no lot is
    /// given (`urn:epc:idpat:sgtin:….*`, a Digital Link without `/10/`).
    Class {
        /// GTIN-14 with its check digit.
        gtin: String,
        /// Lot (batch) code, percent-decoded.
        lot: Option<String>,
    },
    /// A serialized trade item (SGTIN): GTIN-14 and serial number.
    Instance {
        /// GTIN-14 with its check digit.
        gtin: String,
        /// Serial number, percent-decoded.
        serial: String,
    },
    /// lottrack's private class form `urn:lottrack:class:<product>[:<lot>]`.
    PrivateClass {
        /// The native product id.
        product: String,
        /// The lot code (`None` when the URI names none).
        lot: Option<String>,
    },
    /// A logistic unit (pallet, case): the 18-digit SSCC, or lottrack's private
    /// `urn:lottrack:container:<id>`.
    Container(String),
    /// A location: a 13-digit GLN, `GLN.extension` for an SGLN with an extension, or
    /// lottrack's private `urn:lottrack:location:<id>`.
    Location(String),
    /// A party: a 13-digit GLN (PGLN) or lottrack's private `urn:lottrack:party:<id>`.
    Party(String),
    /// Any other URI (GIAI, GRAI, GSRN, GDTI, a web address …), kept verbatim.
    Other(String),
}

/// The GS1 mod-10 check digit of `digits` (a key without its check digit).
///
/// ```
/// use lottrack_core::epcis::epc::gs1_check_digit;
/// assert_eq!(gs1_check_digit("0401234512345"), Some(6));
/// assert_eq!(gs1_check_digit("12a"), None);
/// ```
pub fn gs1_check_digit(digits: &str) -> Option<u32> {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let d = c.to_digit(10)?;
        sum += if i % 2 == 0 { d * 3 } else { d };
    }
    Some((10 - sum % 10) % 10)
}

fn with_check(digits: &str) -> Option<String> {
    gs1_check_digit(digits).map(|c| format!("{digits}{c}"))
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True when `s` is a GTIN-14 with a valid check digit (the normalized product form).
///
/// ```
/// use lottrack_core::epcis::epc::is_gtin14;
/// assert!(is_gtin14("04012345123456"));
/// assert!(!is_gtin14("04012345123457"));
/// ```
pub fn is_gtin14(s: &str) -> bool {
    s.len() == 14 && all_digits(s) && with_check(&s[..13]).as_deref() == Some(s)
}

fn is_gln13(s: &str) -> bool {
    s.len() == 13 && all_digits(s) && with_check(&s[..12]).as_deref() == Some(s)
}

fn is_sscc18(s: &str) -> bool {
    s.len() == 18 && all_digits(s) && with_check(&s[..17]).as_deref() == Some(s)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn pct_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
pub(crate) fn pct_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A GS1 AI 10 / AI 21 value: 1–20 characters of GS1 character set 82.
fn is_ai_value(s: &str) -> bool {
    (1..=20).contains(&s.len())
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'"'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b'-'
                        | b'.'
                        | b'/'
                        | b':'
                        | b';'
                        | b'<'
                        | b'='
                        | b'>'
                        | b'?'
                        | b'_'
                )
        })
}

/// Splits `CP.REF` into company prefix and reference when the prefix has 6–12
/// digits and together they have `total` digits.
fn split_key<'a>(body: &'a str, total: usize, what: &str) -> Result<(&'a str, &'a str), String> {
    let (cp, rf) = body
        .split_once('.')
        .ok_or_else(|| format!("malformed {what}: expected <company prefix>.<reference>"))?;
    if !(6..=12).contains(&cp.len()) || !all_digits(cp) {
        return Err(format!(
            "malformed {what}: the company prefix `{cp}` must be 6 to 12 digits"
        ));
    }
    if cp.len() + rf.len() != total || !(rf.is_empty() || all_digits(rf)) {
        return Err(format!(
            "malformed {what}: company prefix and reference `{cp}.{rf}` must be {total} digits together"
        ));
    }
    Ok((cp, rf))
}

/// GTIN-14 from an EPC `CP.IR` pair (the indicator digit leads the item reference).
fn gtin_of(cp: &str, ir: &str) -> Option<String> {
    let (ind, rest) = ir.split_at(1.min(ir.len()));
    with_check(&format!("{ind}{cp}{rest}"))
}

fn epc_value(s: &str, what: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err(format!("malformed {what}: empty serial or lot"));
    }
    pct_decode(s).ok_or_else(|| format!("malformed {what}: bad percent-escape in `{s}`"))
}

/// Reads any EPCIS identifier URI into what it denotes.
///
/// Errors (malformed GS1 URNs, a wrong GTIN check digit) are messages naming the
/// URI; URIs that are not GS1 keys lottrack understands are [`Identifier::Other`].
///
/// ```
/// use lottrack_core::epcis::epc::{parse_identifier, Identifier};
/// assert_eq!(parse_identifier("urn:epc:id:sgtin:0614141.107346.2017").unwrap(),
///            Identifier::Instance { gtin: "10614141073464".into(), serial: "2017".into() });
/// assert_eq!(parse_identifier("urn:epc:id:sgln:0614141.07346.0").unwrap(),
///            Identifier::Location("0614141073467".into()));
/// assert!(parse_identifier("urn:epc:id:sgtin:0614141.10734.2017").is_err());
/// ```
pub fn parse_identifier(uri: &str) -> Result<Identifier, String> {
    let err = |m: String| format!("`{uri}`: {m}");
    if let Some(rest) = uri.strip_prefix("urn:epc:id:sgtin:") {
        let (key, serial) = rest
            .rsplit_once('.')
            .filter(|(k, _)| k.contains('.'))
            .ok_or_else(|| {
                err("malformed SGTIN: expected <company prefix>.<item reference>.<serial>".into())
            })?;
        let (cp, ir) = split_key(key, 13, "SGTIN").map_err(err)?;
        let serial = epc_value(serial, "SGTIN").map_err(err)?;
        let gtin = gtin_of(cp, ir).ok_or_else(|| err("malformed SGTIN".into()))?;
        return Ok(Identifier::Instance { gtin, serial });
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:class:lgtin:") {
        let mut parts = rest.splitn(3, '.');
        let (cp, ir, lot) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next(),
        );
        let lot = lot.ok_or_else(|| {
            err("malformed LGTIN: expected <company prefix>.<item reference>.<lot>".into())
        })?;
        let (cp, ir) = split_key(&format!("{cp}.{ir}"), 13, "LGTIN")
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .map_err(err)?;
        let lot = epc_value(lot, "LGTIN").map_err(err)?;
        let gtin = gtin_of(&cp, &ir).ok_or_else(|| err("malformed LGTIN".into()))?;
        return Ok(Identifier::Class {
            gtin,
            lot: Some(lot),
        });
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:idpat:sgtin:") {
        let key = rest.strip_suffix(".*").ok_or_else(|| {
            err("malformed SGTIN pattern: expected <company prefix>.<item reference>.*".into())
        })?;
        let (cp, ir) = split_key(key, 13, "SGTIN pattern").map_err(err)?;
        let gtin = gtin_of(cp, ir).ok_or_else(|| err("malformed SGTIN pattern".into()))?;
        return Ok(Identifier::Class { gtin, lot: None });
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:id:sscc:") {
        let (cp, sr) = split_key(rest, 17, "SSCC").map_err(err)?;
        let (ext, sr) = sr.split_at(1.min(sr.len()));
        let sscc =
            with_check(&format!("{ext}{cp}{sr}")).ok_or_else(|| err("malformed SSCC".into()))?;
        return Ok(Identifier::Container(sscc));
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:id:sgln:") {
        let (key, ext) = rest
            .rsplit_once('.')
            .filter(|(k, _)| k.contains('.'))
            .ok_or_else(|| {
                err(
                    "malformed SGLN: expected <company prefix>.<location reference>.<extension>"
                        .into(),
                )
            })?;
        let (cp, lr) = split_key(key, 12, "SGLN").map_err(err)?;
        let gln = with_check(&format!("{cp}{lr}")).ok_or_else(|| err("malformed SGLN".into()))?;
        let ext = epc_value(ext, "SGLN").map_err(err)?;
        return Ok(Identifier::Location(if ext == "0" {
            gln
        } else {
            format!("{gln}.{ext}")
        }));
    }
    if let Some(rest) = uri.strip_prefix("urn:epc:id:pgln:") {
        let (cp, pr) = split_key(rest, 12, "PGLN").map_err(err)?;
        let gln = with_check(&format!("{cp}{pr}")).ok_or_else(|| err("malformed PGLN".into()))?;
        return Ok(Identifier::Party(gln));
    }
    if let Some(rest) = uri.strip_prefix("urn:lottrack:") {
        let (kind, value) = rest.split_once(':').ok_or_else(|| {
            err("malformed lottrack URI: expected urn:lottrack:<kind>:<id>".into())
        })?;
        let dec =
            |v: &str| pct_decode(v).ok_or_else(|| err(format!("bad percent-escape in `{v}`")));
        return match kind {
            "class" => {
                let (p, l) = match value.split_once(':') {
                    Some((p, l)) => (dec(p)?, Some(dec(l)?)),
                    None => (dec(value)?, None),
                };
                if p.is_empty() {
                    return Err(err("empty product in lottrack class URI".into()));
                }
                Ok(Identifier::PrivateClass { product: p, lot: l })
            }
            "container" => Ok(Identifier::Container(dec(value)?)),
            "location" => Ok(Identifier::Location(dec(value)?)),
            "party" => Ok(Identifier::Party(dec(value)?)),
            _ => Ok(Identifier::Other(uri.to_string())),
        };
    }
    if (uri.starts_with("http://") || uri.starts_with("https://"))
        && let Some(id) = parse_digital_link(uri).map_err(err)?
    {
        return Ok(id);
    }
    Ok(Identifier::Other(uri.to_string()))
}

/// Reads a GS1 Digital Link URI (any host; short names such as `/gtin/` accepted;
/// the query string ignored). `Ok(None)` when it carries no key lottrack maps.
fn parse_digital_link(uri: &str) -> Result<Option<Identifier>, String> {
    let no_query = uri.split(['?', '#']).next().unwrap_or(uri);
    let after_scheme = no_query.split_once("://").map(|x| x.1).unwrap_or("");
    let path = after_scheme.split_once('/').map(|x| x.1).unwrap_or("");
    let segs: Vec<&str> = path.split('/').collect();
    let ai = |s: &str| -> &'static str {
        match s {
            "01" | "gtin" => "01",
            "10" | "lot" => "10",
            "21" | "ser" => "21",
            "22" | "cpv" => "22",
            "00" | "sscc" => "00",
            "414" | "gln" => "414",
            "254" => "254",
            "417" | "party" => "417",
            _ => "",
        }
    };
    // The primary key is the first segment pair whose AI is a key we map.
    let Some(start) = segs
        .iter()
        .position(|s| matches!(ai(s), "01" | "00" | "414" | "417"))
    else {
        return Ok(None);
    };
    let mut pairs = Vec::new();
    let mut i = start;
    while i + 1 < segs.len() {
        let v = pct_decode(segs[i + 1]).ok_or_else(|| {
            format!(
                "bad percent-escape in Digital Link segment `{}`",
                segs[i + 1]
            )
        })?;
        pairs.push((ai(segs[i]), segs[i], v));
        i += 2;
    }
    let Some((key_ai, _, key)) = pairs.first().cloned() else {
        return Ok(None);
    };
    let get = |a: &str| pairs.iter().find(|p| p.0 == a).map(|p| p.2.clone());
    match key_ai {
        "01" => {
            if !all_digits(&key) || ![8, 12, 13, 14].contains(&key.len()) {
                return Err(format!("GTIN `{key}` must be 8, 12, 13 or 14 digits"));
            }
            let gtin = format!("{key:0>14}");
            if !is_gtin14(&gtin) {
                let want = gs1_check_digit(&gtin[..13]).unwrap_or_default();
                return Err(format!(
                    "GTIN `{key}` has a wrong check digit (expected {want})"
                ));
            }
            if let Some(serial) = get("21") {
                return Ok(Some(Identifier::Instance { gtin, serial }));
            }
            Ok(Some(Identifier::Class {
                gtin,
                lot: get("10"),
            }))
        }
        "00" => {
            if !is_sscc18(&key) {
                return Err(format!(
                    "SSCC `{key}` must be 18 digits with a valid check digit"
                ));
            }
            Ok(Some(Identifier::Container(key)))
        }
        "414" | "417" => {
            if !is_gln13(&key) {
                return Err(format!(
                    "GLN `{key}` must be 13 digits with a valid check digit"
                ));
            }
            if key_ai == "417" {
                return Ok(Some(Identifier::Party(key)));
            }
            Ok(Some(Identifier::Location(match get("254") {
                Some(ext) if ext != "0" => format!("{key}.{ext}"),
                _ => key,
            })))
        }
        _ => Ok(None),
    }
}

/// Whether `s` can stand as a URI verbatim (an absolute URI of plain characters).
pub(crate) fn is_plain_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.bytes();
    if !sc.next().is_some_and(|b| b.is_ascii_alphabetic())
        || !sc.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        || rest.is_empty()
    {
        return false;
    }
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c)) {
            return false;
        }
        i += 1;
    }
    true
}

/// The EPCIS class URI of a native lot: a Digital Link for a GTIN-14 product
/// whose lot is a valid GS1 lot (`*` meaning "no lot"), else
/// `urn:lottrack:class:<product>:<lot>` (percent-encoded).
///
/// ```
/// use lottrack_core::epcis::epc::{class_uri, parse_identifier, Identifier};
/// assert_eq!(class_uri("04012345123456", "998877"), "https://id.gs1.org/01/04012345123456/10/998877");
/// let u = class_uri("spinach", "F-100/2");
/// assert_eq!(u, "urn:lottrack:class:spinach:F-100%2F2");
/// assert_eq!(parse_identifier(&u).unwrap(),
///            Identifier::PrivateClass { product: "spinach".into(), lot: Some("F-100/2".into()) });
/// ```
pub fn class_uri(product: &str, lot: &str) -> String {
    if is_gtin14(product) {
        if lot == NO_LOT {
            return format!("https://id.gs1.org/01/{product}");
        }
        if is_ai_value(lot) {
            return format!("https://id.gs1.org/01/{product}/10/{}", pct_encode(lot));
        }
    }
    format!(
        "urn:lottrack:class:{}:{}",
        pct_encode(product),
        pct_encode(lot)
    )
}

/// The lot code of a class-level quantity that names no lot.
pub const NO_LOT: &str = "*";

fn private_or_verbatim(id: &str, kind: &str, back: impl Fn(&Identifier) -> bool) -> String {
    if is_plain_uri(id) && parse_identifier(id).is_ok_and(|i| back(&i)) {
        return id.to_string();
    }
    format!("urn:lottrack:{kind}:{}", pct_encode(id))
}

/// The EPCIS URI of a native location: a Digital Link (`/414/…[/254/…]`) for a GLN
/// (or `GLN.extension`), the id itself when it is a URI that reads back unchanged,
/// else `urn:lottrack:location:<id>`.
///
/// ```
/// use lottrack_core::epcis::epc::location_uri;
/// assert_eq!(location_uri("0614141073467.1234"), "https://id.gs1.org/414/0614141073467/254/1234");
/// assert_eq!(location_uri("plant-1"), "urn:lottrack:location:plant-1");
/// ```
pub fn location_uri(loc: &str) -> String {
    let (gln, ext) = match loc.split_once('.') {
        Some((g, e)) => (g, Some(e)),
        None => (loc, None),
    };
    if is_gln13(gln) {
        match ext {
            None => return format!("https://id.gs1.org/414/{gln}"),
            Some(e) if is_ai_value(e) && e != "0" => {
                return format!("https://id.gs1.org/414/{gln}/254/{}", pct_encode(e));
            }
            _ => {}
        }
    }
    private_or_verbatim(
        loc,
        "location",
        |i| matches!(i, Identifier::Other(o) if o == loc),
    )
}

/// The EPCIS URI of a native party: a Digital Link (`/417/…`) for a GLN, the id
/// itself when it is a URI that reads back unchanged, else `urn:lottrack:party:<id>`.
///
/// ```
/// use lottrack_core::epcis::epc::party_uri;
/// assert_eq!(party_uri("4012345000016"), "https://id.gs1.org/417/4012345000016");
/// assert_eq!(party_uri("farm a"), "urn:lottrack:party:farm%20a");
/// ```
pub fn party_uri(party: &str) -> String {
    if is_gln13(party) {
        return format!("https://id.gs1.org/417/{party}");
    }
    private_or_verbatim(
        party,
        "party",
        |i| matches!(i, Identifier::Other(o) if o == party),
    )
}

/// The EPCIS URI of a native container: a Digital Link (`/00/…`) for an SSCC,
/// else `urn:lottrack:container:<id>` (or the id when it is a URI that reads back).
///
/// ```
/// use lottrack_core::epcis::epc::container_uri;
/// assert_eq!(container_uri("106141412345678908"), "https://id.gs1.org/00/106141412345678908");
/// assert_eq!(container_uri("PAL-1"), "urn:lottrack:container:PAL-1");
/// ```
pub fn container_uri(c: &str) -> String {
    if is_sscc18(c) {
        return format!("https://id.gs1.org/00/{c}");
    }
    private_or_verbatim(
        c,
        "container",
        |i| matches!(i, Identifier::Other(o) if o == c),
    )
}

/// A native id as a URI: itself when it is a plain URI, else
/// `urn:lottrack:<kind>:<id>`; [`from_private`] reads it back.
///
/// ```
/// use lottrack_core::epcis::epc::{from_private, private_uri};
/// assert_eq!(private_uri("event", "E1"), "urn:lottrack:event:E1");
/// assert_eq!(private_uri("event", "urn:uuid:1"), "urn:uuid:1");
/// assert_eq!(from_private("event", "urn:lottrack:event:E1"), "E1");
/// ```
pub fn private_uri(kind: &str, id: &str) -> String {
    if is_plain_uri(id) && !id.starts_with("urn:lottrack:") {
        id.to_string()
    } else {
        format!("urn:lottrack:{kind}:{}", pct_encode(id))
    }
}

/// Reads a URI written by [`private_uri`] back into the native id (other URIs are
/// returned as they are).
pub fn from_private(kind: &str, uri: &str) -> String {
    uri.strip_prefix("urn:lottrack:")
        .and_then(|r| r.strip_prefix(kind))
        .and_then(|r| r.strip_prefix(':'))
        .and_then(pct_decode)
        .unwrap_or_else(|| uri.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urn_and_digital_link_agree() {
        let pairs = [
            (
                "urn:epc:id:sgtin:4012345.011111.987",
                "https://id.gs1.org/01/04012345111118/21/987",
            ),
            (
                "urn:epc:idpat:sgtin:4012345.044444.*",
                "https://example.com/gtin/4012345444445",
            ),
            (
                "urn:epc:id:sscc:0614141.1234567890",
                "https://id.gs1.org/00/106141412345678908",
            ),
            (
                "urn:epc:id:sgln:0614141.07346.1234",
                "https://id.gs1.org/414/0614141073467/254/1234",
            ),
            (
                "urn:epc:id:pgln:4012345.00001",
                "https://id.gs1.org/417/4012345000016",
            ),
            (
                "urn:epc:class:lgtin:4012345.012345.A%2FB",
                "https://id.gs1.org/01/04012345123456/10/A%2FB?linkType=all",
            ),
        ];
        for (u, d) in pairs {
            assert_eq!(parse_identifier(u), parse_identifier(d), "{u} vs {d}");
        }
        assert_eq!(
            parse_identifier("urn:epc:class:lgtin:4012345.012345.A%2FB").unwrap(),
            Identifier::Class {
                gtin: "04012345123456".into(),
                lot: Some("A/B".into())
            }
        );
    }

    #[test]
    fn malformed_keys_are_errors() {
        assert!(parse_identifier("urn:epc:class:lgtin:4012345.01234.1").is_err());
        assert!(parse_identifier("urn:epc:idpat:sgtin:4012345.012345").is_err());
        assert!(parse_identifier("https://id.gs1.org/01/04012345123457/10/1").is_err());
        assert_eq!(
            parse_identifier("urn:epc:id:giai:4000001.111").unwrap(),
            Identifier::Other("urn:epc:id:giai:4000001.111".into())
        );
    }

    #[test]
    fn private_forms_round_trip() {
        for loc in [
            "plant-1",
            "0614141073467",
            "0614141073467.12",
            "http://x.example/a",
            "a b",
        ] {
            let u = location_uri(loc);
            assert!(is_plain_uri(&u), "{u}");
            assert_eq!(
                parse_identifier(&u).unwrap(),
                match parse_identifier(&u).unwrap() {
                    Identifier::Location(l) => {
                        assert_eq!(l, loc);
                        Identifier::Location(l)
                    }
                    Identifier::Other(o) => {
                        assert_eq!(o, loc);
                        Identifier::Other(o)
                    }
                    other => panic!("{other:?}"),
                }
            );
        }
        for (p, l) in [
            ("04012345123456", "L1"),
            ("04012345123456", "*"),
            ("x:y", "1:2"),
            ("04012345123456", "a very long lot code over 20"),
        ] {
            let u = class_uri(p, l);
            assert!(is_plain_uri(&u));
            let back = match parse_identifier(&u).unwrap() {
                Identifier::Class { gtin, lot } => (gtin, lot.unwrap_or_else(|| NO_LOT.into())),
                Identifier::PrivateClass { product, lot } => {
                    (product, lot.unwrap_or_else(|| NO_LOT.into()))
                }
                other => panic!("{other:?}"),
            };
            assert_eq!(back, (p.to_string(), l.to_string()));
        }
    }
}
