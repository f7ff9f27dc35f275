//! Validators that turn a pattern match into a finding, or reject it: checksums, address
//! ranges, and the placeholders and documentation values that must be left alone.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Values that stand for a secret without being one: `<TOKEN>`, `${DB_PASSWORD}`, `$VAR`,
/// `{{ .Values.x }}`, `changeme`, `xxxx`, `****`, an already masked value, empty or booleans.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() || v.starts_with("[REDACTED:") {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if (v.starts_with('<') && v.ends_with('>'))
        || v.starts_with("${")
        || v.starts_with("{{")
        || v.starts_with("%(")
        || (v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return true;
    }
    const WORDS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "password",
        "secret",
        "token",
        "redacted",
        "null",
        "none",
        "nil",
        "true",
        "false",
        "example",
        "placeholder",
        "your-token",
        "your_token",
        "dummy",
        "todo",
        "tbd",
        "...",
        "…",
    ];
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    // xxxx, ****, ----, 0000…: one repeated character.
    let mut chars = v.chars();
    let first = chars.next().unwrap_or(' ');
    v.chars().count() >= 3 && chars.all(|c| c == first) && !first.is_ascii_alphabetic()
        || lower.chars().all(|c| c == 'x')
}

/// The Luhn check of payment card numbers.
pub fn luhn(digits: &str) -> bool {
    let ds: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&ds.len()) {
        return false;
    }
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The card looks like one of the major schemes (Visa, Mastercard, Amex, Discover, JCB…).
pub fn card_prefix(digits: &str) -> bool {
    matches!(
        digits.as_bytes().first(),
        Some(b'3' | b'4' | b'5' | b'6' | b'2')
    )
}

/// ISO 13616 IBAN check (mod 97 = 1).
pub fn iban(candidate: &str) -> bool {
    let s: String = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&s.len()) || !s.is_ascii() {
        return false;
    }
    let (head, tail) = s.split_at(4);
    let mut rem: u64 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = match c {
            '0'..='9' => c as u64 - '0' as u64,
            'A'..='Z' => c as u64 - 'A' as u64 + 10,
            _ => return false,
        };
        rem = if value >= 10 {
            (rem * 100 + value) % 97
        } else {
            (rem * 10 + value) % 97
        };
    }
    rem == 1
}

/// US SSN ranges that are ever issued: area not 000, 666 or 9xx; group and serial not zero.
pub fn ssn(candidate: &str) -> bool {
    let parts: Vec<&str> = candidate.split('-').collect();
    let [area, group, serial] = parts.as_slice() else {
        return false;
    };
    let area: u32 = area.parse().unwrap_or(0);
    area != 0 && area != 666 && area < 900 && *group != "00" && *serial != "0000"
}

/// Private, shared (CGNAT) and link-local IPv4 ranges. Documentation ranges (RFC 5737) are
/// public and never match.
pub fn private_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_private() || (o[0] == 100 && (64..=127).contains(&o[1])) || ip.is_link_local()
}

/// Unique-local (fc00::/7) and link-local (fe80::/10) IPv6; 2001:db8::/32 is documentation.
pub fn private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
}

/// Domains reserved for documentation and tests (RFC 2606, RFC 6761).
pub fn documentation_domain(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    ["example.com", "example.org", "example.net", "example.edu"]
        .iter()
        .any(|e| d == *e || d.ends_with(&format!(".{e}")))
        || d.ends_with(".example")
        || d.ends_with(".test")
        || d.ends_with(".invalid")
        || d == "localhost"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "<TOKEN>",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "changeme",
            "xxxx",
            "XXXXXXXX",
            "****",
            "[REDACTED:generic-secret]",
            "{{ .Values.password }}",
            "\"\"",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in ["hunter2", "s3cr3t-P4ss", "AKIAIOSFODNN7EXAMPLE"] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn luhn_accepts_test_cards_and_rejects_typos() {
        assert!(luhn("4111111111111111"));
        assert!(luhn("378282246310005"));
        assert!(!luhn("4111111111111112"));
    }

    #[test]
    fn iban_checksum() {
        assert!(iban("DE89 3704 0044 0532 0130 00"));
        assert!(iban("GB82WEST12345698765432"));
        assert!(!iban("GB82WEST12345698765433"));
    }

    #[test]
    fn ssn_ranges() {
        assert!(ssn("123-45-6789"));
        assert!(!ssn("000-12-3456"));
        assert!(!ssn("666-12-3456"));
        assert!(!ssn("900-12-3456"));
    }

    #[test]
    fn address_ranges() {
        assert!(private_v4("10.1.2.3".parse().expect("ip")));
        assert!(private_v4("172.20.0.1".parse().expect("ip")));
        assert!(!private_v4("172.32.0.1".parse().expect("ip")));
        assert!(
            !private_v4("192.0.2.10".parse().expect("ip")),
            "RFC 5737 is documentation"
        );
        assert!(private_v6("fd12:3456::1".parse().expect("ip")));
        assert!(
            !private_v6("2001:db8::1".parse().expect("ip")),
            "RFC 3849 is documentation"
        );
    }
}
