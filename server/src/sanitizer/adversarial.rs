//! Inputs built to make a scanner work hard: for every detector, long runs of near-matches,
//! repeated prefixes, deep nesting, one huge line and many tiny lines. The sanitizer bench
//! times each against realistic text and the `families` fuzz target feeds them, so a change
//! that makes any detector superlinear shows at once.

/// One family: a name for the bench table and how to build `len` bytes of it.
pub struct Family {
    pub name: &'static str,
    build: Build,
}

enum Build {
    /// One unit repeated on a single line.
    Repeat(&'static str),
    /// A prefix repeated, then a suffix repeated as often (nesting).
    Nest(&'static str, &'static str),
}

impl Family {
    /// About `len` bytes of this family (never less than one unit).
    pub fn build(&self, len: usize) -> String {
        match self.build {
            Build::Repeat(unit) => unit.repeat(len.div_ceil(unit.len()).max(1)),
            Build::Nest(open, close) => {
                let n = len.div_ceil(open.len() + close.len()).max(1);
                let mut s = open.repeat(n);
                s.push_str(&close.repeat(n));
                s
            }
        }
    }

    /// The same shape from a fuzzer's bytes: `unit` repeated to about `len` bytes.
    pub fn from_unit(unit: &str, len: usize) -> String {
        if unit.is_empty() {
            return String::new();
        }
        unit.repeat(len.div_ceil(unit.len()))
    }
}

const fn repeat(name: &'static str, unit: &'static str) -> Family {
    Family {
        name,
        build: Build::Repeat(unit),
    }
}

/// Every family the bench reports.
pub const FAMILIES: &[Family] = &[
    repeat("phone fragments glued (+44-20-4…)", "+44-20-4"),
    repeat("phone numbers glued with spaces", "+44 20 7946 0958"),
    repeat("phone prefixes (+1 …)", "+1 "),
    repeat(
        "keys that name a secret, chained (password_name:)",
        "password_name:",
    ),
    repeat("secret keys with placeholder values", "token=${X} "),
    repeat("secret keys glued (password=)", "password="),
    repeat("weak keys with low-entropy values (key:)", "key:"),
    repeat("cookie headers chained", "cookie: "),
    repeat("--password flags without values", "--password "),
    repeat("email local part that never ends (a.)", "a."),
    repeat("documentation emails", "a@example.com "),
    repeat("email-like without a domain (a@)", "a@"),
    repeat("card-like digit groups (1234 )", "1234 "),
    repeat("one run of digits", "1"),
    repeat("national-id-like (123-45-)", "123-45-"),
    repeat("IBAN-like groups (DE89 3704 )", "DE89 3704 "),
    repeat("IPv6-like (fc00:)", "fc00:"),
    repeat("IPv4-like (10.0.)", "10.0."),
    repeat("internal host labels (a.internal.)", "a.internal."),
    repeat("URLs with user info (postgres://u:)", "postgres://u:"),
    repeat("URL schemes (http://)", "http://"),
    repeat("Bearer without a token", "Bearer "),
    repeat("Basic with short values", "Basic abc "),
    repeat("curl -u without a password", " -u user"),
    repeat("connection-string keys (;password=)", ";password="),
    repeat("JWT prefixes (eyJ)", "eyJ"),
    repeat("JWT first parts (eyJabcdefgh.)", "eyJabcdefgh."),
    repeat(
        "token prefixes (ghp_ AKIA xoxb- sk_live_)",
        "ghp_AKIAxoxb-sk_live_",
    ),
    repeat("PEM headers without an end", "-----BEGIN PRIVATE KEY-----"),
    repeat("Secret manifests without data", "kind: Secret\n"),
    repeat("data sections under one Secret", "kind: Secret\ndata:\n"),
    repeat(
        "JSON data sections (\"data\":{)",
        "{\"kind\":\"Secret\",\"data\":{",
    ),
    repeat("placeholders glued to values", "[REDACTED:email]a@b.io"),
    repeat("many tiny lines", "a\n"),
    repeat("many tiny secret lines", "pw=x\n"),
    repeat("random-looking words", "Zq8xR2vL "),
    Family {
        name: "deep JSON nesting",
        build: Build::Nest("{\"auth\":", "}"),
    },
    repeat("XML elements that never close (<password>)", "<password>a"),
    repeat("XML elements closed by another tag", "<token>x</b>"),
    repeat(
        "netrc lines without a password (machine h login u )",
        "machine h login u ",
    ),
    repeat("pgpass-like fields (h:5432:d:u:)", "h:5432:d:u:"),
    repeat(
        "a secret word, then prose without a quote",
        "the password was rotated and ",
    ),
    repeat("backticked pairs without a password (`a` / )", "`a` / "),
    repeat(
        "sensitive outputs without a value (\"sensitive\": true,)",
        "\"sensitive\": true,\n",
    ),
    repeat(
        "Twilio SIDs without a token (AC…)",
        "AC0123456789abcdef0123456789abcdef ",
    ),
    repeat(
        "vendor prefixes (sk-proj- HRKU- squ_ K10)",
        "sk-proj- HRKU- squ_ K10 dp.pt. ",
    ),
    repeat("Telegram-like ids (12345678:AA)", "12345678:AA "),
    Family {
        name: "deep bracket nesting",
        build: Build::Nest("[(", ")]"),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_build_what_they_say() {
        for f in FAMILIES {
            let s = f.build(1000);
            assert!(s.len() >= 1000 && s.len() < 1100, "{}: {}", f.name, s.len());
        }
        assert_eq!(Family::from_unit("ab", 5), "ababab");
    }
}
