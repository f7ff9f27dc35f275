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
    // Ciphertexts meant to be committed: Sealed Secrets (`AgB…`, hundreds of base64
    // characters), SOPS (`ENC[AES256_GCM,…]`) and Ansible Vault.
    if v.starts_with("ENC[")
        || v.starts_with("$ANSIBLE_VAULT;")
        || (v.starts_with("Ag")
            && v.len() >= 200
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    // Terraform's redactions and references, command substitutions, unclosed `<…`.
    if lower.starts_with("(sensitive")
        || lower.starts_with("(known after")
        || v.starts_with("$(")
        || v.starts_with('<')
        || is_reference(v)
    {
        return true;
    }
    // An instruction in angle brackets anywhere in it: `<paste key here>`, `<YOUR_KEY>`.
    if let Some(open) = v.find('<')
        && let Some(len) = v[open + 1..].find('>').filter(|len| (1..=64).contains(len))
    {
        let inner = &v[open + 1..open + 1 + len];
        let shouted = inner.len() >= 3
            && inner.bytes().any(|b| b.is_ascii_uppercase())
            && inner
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if inner.contains(' ') || shouted {
            return true;
        }
    }
    // Instructions rather than values: `your-api-key-here`, `REPLACE_ME`.
    const FRAGMENTS: &[&str] = &[
        "your-",
        "your_",
        "-here",
        "_here",
        "replace_me",
        "replace-me",
        "replaceme",
        "changeme",
        "change_me",
        "change-me",
        "placeholder",
        "insert_",
        "insert-",
    ];
    if FRAGMENTS.iter().any(|f| lower.contains(f)) {
        return true;
    }
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
        // Permission levels (`id-token: write` in a CI workflow).
        "read",
        "write",
        "read-write",
        "readonly",
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
        || lower
            .chars()
            .all(|c| matches!(c, 'x' | '*' | '-' | '_' | '/' | '.'))
}

/// `var.db_password`, `local.token`, `module.db.password`: a Terraform reference names the
/// value, it does not hold it.
fn is_reference(v: &str) -> bool {
    ["var.", "local.", "module.", "data.", "each.", "self."]
        .iter()
        .any(|p| v.starts_with(p))
        && v.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'[' | b']' | b'"')
        })
}

/// An absolute or home-relative path of ordinary names (`/home/deploy`, `~/.ssh/id_rsa`):
/// a location, not a secret, unless it looks random.
pub fn is_path(value: &str) -> bool {
    (value.starts_with('/') || value.starts_with("~/") || value.starts_with("./"))
        && !value.contains(['+', '='])
        && !high_entropy(value)
}

/// Whether a value read after a secret's name could be the secret: at least 3 characters and
/// not a placeholder, a path, a URL (a URL's password has its own detectors, which keep the
/// rest), a prose word or Terraform's progress word.
pub fn could_be_secret(value: &str) -> bool {
    value.chars().count() >= 3
        && !is_placeholder(value)
        && !is_path(value)
        && !value.contains("://")
        && !is_prose_word(value)
        && !is_terraform_progress(value)
}

/// A value whose only claim to be a password is its shape (quoted in prose or a table): one
/// word that could be a secret, with a digit or a symbol, or at least 12 characters.
pub fn password_like(value: &str) -> bool {
    could_be_secret(value)
        && !value.chars().any(char::is_whitespace)
        && (value.chars().count() >= 12 || value.chars().any(|c| !c.is_alphabetic()))
}

/// Whether the text before a key is inside an ARN (`arn:aws:secretsmanager:…:secret:name`),
/// where `secret:` names a resource type, not a value. Looks back at most 256 bytes.
pub fn in_arn(before: &str) -> bool {
    let b = before.as_bytes();
    let from = b.len().saturating_sub(256);
    let tail = &b[from..];
    let start = tail
        .iter()
        .rposition(|c| {
            c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'[' | b'=' | b'(' | b',')
        })
        .map_or(0, |p| p + 1);
    tail[start..].starts_with(b"arn:")
}

/// Words that follow a secret's name in prose (`Using --password via the CLI is insecure`),
/// never a secret themselves.
pub fn is_prose_word(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "via", "is", "was", "are", "and", "or", "to", "in", "on", "for", "with", "from", "of",
        "the", "a", "an", "not", "flag", "option", "argument", "instead",
    ];
    WORDS.iter().any(|w| value.eq_ignore_ascii_case(w))
}

/// Terraform's progress words after a resource address (`aws_secretsmanager_secret.db:
/// Modifying...`), not a value.
pub fn is_terraform_progress(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "Creating...",
        "Creation",
        "Modifying...",
        "Modifications",
        "Destroying...",
        "Destruction",
        "Reading...",
        "Read",
        "Refreshing",
        "Still",
    ];
    WORDS.contains(&value)
}

/// Whether a PEM private-key block holds a key (even a cut one), not an instruction such as
/// `<paste key here>` or `...`.
pub fn has_key_body(block: &str) -> bool {
    let body = block
        .split_once("KEY-----")
        .and_then(|(_, rest)| rest.rsplit_once("-----END"))
        .map_or("", |(body, _)| body)
        .replace("\\n", "\n");
    let body = body.trim();
    !body.contains(['<', '>'])
        && !is_placeholder(body)
        && body
            .bytes()
            .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            .count()
            >= 8
}

/// The host of `url`: after the scheme and any user part, without the port.
pub fn url_host(url: &str) -> &str {
    let after = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
}

/// The Luhn check of payment card numbers.
pub fn luhn(digits: &str) -> bool {
    let ds: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    (13..=19).contains(&ds.len()) && luhn_sum(&ds).is_multiple_of(10)
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

/// UK National Insurance number: prefixes that are never issued are refused.
pub fn nino(candidate: &str) -> bool {
    let s: String = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    let prefix = s.get(..2).unwrap_or("");
    s.len() == 9 && !["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].contains(&prefix)
}

/// Canadian social insurance number: nine digits, Luhn, never starting with 0 or 8.
pub fn sin(candidate: &str) -> bool {
    let ds: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
    ds.len() == 9 && ds[0] != 0 && ds[0] != 8 && luhn_sum(&ds).is_multiple_of(10)
}

/// The Luhn sum: every second digit from the right doubled, digits of the product added.
fn luhn_sum(ds: &[u32]) -> u32 {
    ds.iter()
        .rev()
        .enumerate()
        .map(|(i, d)| match (i % 2, d * 2) {
            (1, twice) if twice > 9 => twice - 9,
            (1, twice) => twice,
            _ => *d,
        })
        .sum()
}

/// Indian Aadhaar number: twelve digits, Verhoeff check digit.
pub fn aadhaar(candidate: &str) -> bool {
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let ds: Vec<u8> = candidate
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    if ds.len() != 12 {
        return false;
    }
    let c = ds.iter().rev().enumerate().fold(0u8, |c, (i, d)| {
        D[c as usize][P[i % 8][*d as usize] as usize]
    });
    c == 0
}

/// Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): the letter is the
/// number mod 23.
pub fn dni(candidate: &str) -> bool {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let s: String = candidate.chars().filter(|c| *c != '-').collect();
    let Some((body, letter)) = s.split_at_checked(s.len().saturating_sub(1)) else {
        return false;
    };
    let digits = match body.as_bytes().first() {
        Some(b'X') => format!("0{}", &body[1..]),
        Some(b'Y') => format!("1{}", &body[1..]),
        Some(b'Z') => format!("2{}", &body[1..]),
        _ => body.to_string(),
    };
    match digits.parse::<u32>() {
        Ok(n) if digits.len() == 8 => letter.as_bytes() == [LETTERS[(n % 23) as usize]],
        _ => false,
    }
}

/// French social security number (NIR): 13 characters and a key of 97 - (number mod 97);
/// Corsican departments 2A and 2B count as 19 and 18.
pub fn nir(candidate: &str) -> bool {
    let s: String = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() != 15 {
        return false;
    }
    let (body, key) = s.split_at(13);
    let body = body.replacen("2A", "19", 1).replacen("2B", "18", 1);
    match (body.parse::<u64>(), key.parse::<u64>()) {
        (Ok(n), Ok(k)) => k == 97 - n % 97,
        _ => false,
    }
}

/// Basic credentials: base64 of `user:password`.
pub fn basic_credentials(value: &str) -> bool {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(value.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(value.trim_end_matches('='))
        })
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .is_some_and(|s| s.contains(':') && !s.contains('\n'))
}

/// Random-looking: long enough, switching often between lowercase, uppercase and digits
/// (words, slugs and camel-case names rarely do), and a Shannon entropy per character that
/// prose does not reach.
pub fn high_entropy(value: &str) -> bool {
    let v = value.trim();
    if !(16..=512).contains(&v.len())
        || !v.is_ascii()
        || is_placeholder(v)
        || looks_like_uuid(v)
        || v.starts_with("arn:")
        || v.contains("://")
        || v.contains(' ')
    {
        return false;
    }
    let class = |c: &u8| match c {
        b'a'..=b'z' => 0u8,
        b'A'..=b'Z' => 1,
        _ => 2,
    };
    let alnum: Vec<u8> = v
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|c| class(&c))
        .collect();
    // Upper to lower is how a camel-case word starts: not a switch.
    let switches = alnum
        .windows(2)
        .filter(|w| w[0] != w[1] && !(w[0] == 1 && w[1] == 0))
        .count();
    if alnum.len() < 16 || (switches as f64) < 0.25 * (alnum.len() - 1) as f64 {
        return false;
    }
    let mut counts = [0u32; 128];
    for c in v.bytes() {
        counts[c as usize] += 1;
    }
    let n = v.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum();
    entropy >= 3.0
}

fn looks_like_uuid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|c| c.is_ascii_hexdigit()))
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
    fn national_id_checksums() {
        assert!(nino("AB 12 34 56 C"));
        assert!(!nino("GB 12 34 56 C"));
        assert!(sin("130 692 544"));
        assert!(!sin("130 692 545"));
        assert!(aadhaar("2345 6789 0124"));
        assert!(!aadhaar("2345 6789 0123"));
        assert!(dni("12345678Z"));
        assert!(!dni("12345678A"));
        assert!(dni("X1234567L"));
        assert!(nir("1 85 05 78 006 084 91"));
        assert!(nir("2 84 05 2A 123 456 32"));
        assert!(!nir("1 85 05 78 006 084 90"));
    }

    #[test]
    fn entropy_separates_keys_from_words() {
        assert!(high_entropy("q8Xz2LmP0vR7tK4wYb9N"));
        assert!(high_entropy("9f86d081884c7d659a2feaa0c55ad015"));
        assert!(!high_entropy("checkout-api-production"));
        assert!(!high_entropy("checkout-production-eu-west-1"));
        assert!(!high_entropy("CheckoutProductionEuWest1"));
        assert!(!high_entropy("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!high_entropy("short1A"));
    }

    #[test]
    fn entropy_finds_random_keys_and_spares_identifiers() {
        use rand::{Rng, SeedableRng};
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let found = (0..1000)
            .filter(|_| {
                let key: String = (0..24)
                    .map(|_| B64[rng.random_range(0..B64.len())] as char)
                    .collect();
                high_entropy(&key)
            })
            .count();
        assert!(found >= 980, "only {found} of 1000 random keys");
        for name in [
            "payments-gateway-blue-green",
            "PaymentsGatewayBlueGreen",
            "payments_gateway_v2_canary",
            "release-2026-11-27-hotfix",
            "/var/lib/postgresql/data",
            "us-east-1.amazonaws.com",
        ] {
            assert!(!high_entropy(name), "{name}");
        }
    }

    #[test]
    fn basic_credentials_decode_to_user_and_password() {
        assert!(basic_credentials("YWxhZGRpbjpvcGVuc2VzYW1l"));
        assert!(!basic_credentials("authentication"));
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
