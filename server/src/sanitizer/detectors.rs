//! The built-in detectors: one regular expression each, the capture group that holds the
//! value to mask, and the check a match must pass. Order is priority: when two findings
//! start at the same byte, the earlier detector wins.

use super::category::Category;

/// What a match must pass to become a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The pattern is specific enough.
    None,
    /// Not a placeholder such as `<TOKEN>` or `${DB_PASSWORD}`.
    NotPlaceholder,
    /// A secret-looking key (group 1) that is not a name, URL, path or id, and a value that
    /// is not a placeholder.
    SecretKeyValue,
    Luhn,
    Iban,
    Ssn,
    Email,
    PrivateIpv4,
    PrivateIpv6,
    /// Decodes to `user:password`.
    BasicAuth,
    /// A key (group 1) that may hold a secret and a random-looking value.
    HighEntropyKeyValue,
    /// A Cookie header with at least one random-looking value.
    HighEntropyCookie,
    Nino,
    Sin,
    Aadhaar,
    Dni,
    Nir,
}

/// A built-in detector.
pub struct Spec {
    pub category: Category,
    pub pattern: String,
    /// Capture groups that may hold the value; the first that matched is masked (0 = all).
    pub groups: &'static [usize],
    pub check: Check,
    /// Matches never cross a line and the pattern has no literal for the regex engine to
    /// skip ahead to: run only on lines where the shared trigger found a match.
    pub per_line: bool,
}

impl Spec {
    fn per_line(mut self) -> Self {
        self.per_line = true;
        self
    }
}

const SECRET_WORDS: &str = r"(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)";
/// A value: double-quoted, single-quoted, or bare up to a delimiter.
const VALUE: &str = r#"(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',;{}\[\]]+))"#;
/// Weaker words: a value under such a key is masked only when it looks random.
const ENTROPY_WORDS: &str =
    r"(?:key|auth|signature|sig|session|cookie|salt|hmac|seed|cred|nonce|otp)";
const DB_SCHEMES: &str = r"(?:postgres|postgresql|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqp|amqps|kafka|sqlserver|mssql|oracle|clickhouse|nats|jdbc:[a-z]+)";

fn spec(
    category: Category,
    pattern: impl Into<String>,
    groups: &'static [usize],
    check: Check,
) -> Spec {
    Spec {
        category,
        pattern: pattern.into(),
        groups,
        check,
        per_line: false,
    }
}

/// The built-in detectors, highest priority first. Word boundaries are ASCII (`(?-u:\b)`):
/// every pattern is ASCII, and Unicode boundaries would stop the fast DFA on non-ASCII text. `internal_domains` are suffixes like
/// `internal` or `corp.acme.net` (already regex-escaped and joined with `|`).
pub fn builtin(internal_domains: &str) -> Vec<Spec> {
    use Category as C;
    let host =
        format!(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+(?:{internal_domains})");
    let ipv4 = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}";
    vec![
        spec(
            C::PrivateKey,
            r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----",
            &[0],
            Check::None,
        ),
        spec(
            C::Jwt,
            r"(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            &[0],
            Check::None,
        ),
        spec(
            C::GithubToken,
            r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::GatehouseToken,
            r"(?-u:\b)gat_[0-9a-f]{12}_[0-9a-f]{64}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::GitlabToken,
            r"(?-u:\b)gl(?:pat|rt|dt|ptt|ft|cbt)-[A-Za-z0-9_-]{20,}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::SlackWebhook,
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+",
            &[0],
            Check::None,
        ),
        spec(
            C::SlackToken,
            r"(?-u:\b)x(?:ox[abposre]|app)-[A-Za-z0-9-]{10,}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::StripeKey,
            r"(?-u:\b)(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::SendgridKey,
            r"(?-u:\b)SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::TwilioKey,
            r"(?-u:\b)SK[0-9a-f]{32}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::NpmToken,
            r"(?-u:\b)npm_[A-Za-z0-9]{36}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::PypiToken,
            r"(?-u:\b)pypi-AgE[A-Za-z0-9_-]{50,}",
            &[0],
            Check::None,
        ),
        spec(
            C::VaultToken,
            r"(?-u:\b)hv[sbr]\.[A-Za-z0-9_-]{24,}",
            &[0],
            Check::None,
        ),
        spec(
            C::AwsAccessKey,
            r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{16}(?-u:\b)",
            &[0],
            Check::None,
        ),
        spec(
            C::AwsSecretKey,
            r#"(?i)aws[_-]?secret[_-]?(?:access[_-]?)?key["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9/+=]{40})"#,
            &[1],
            Check::None,
        ),
        spec(
            C::AzureStorageKey,
            r"AccountKey=([A-Za-z0-9+/=]{20,})",
            &[1],
            Check::None,
        ),
        spec(
            C::AzureSasToken,
            r"[?&]sig=([A-Za-z0-9%+/=]{16,})",
            &[1],
            Check::None,
        ),
        spec(
            C::DockerAuth,
            r#""(?:auth|identitytoken)"\s*:\s*"([A-Za-z0-9+/=]{8,})""#,
            &[1],
            Check::None,
        ),
        spec(
            C::DatadogKey,
            r#"(?i)(?:dd|datadog)[_-]?(?:api|app|application)[_-]?key["']?[ \t]*[:=][ \t]*["']?([a-f0-9]{32,40})"#,
            &[1],
            Check::None,
        ),
        spec(
            C::BearerToken,
            r"(?i)(?-u:\b)bearer[ \t]+([A-Za-z0-9._~+/=-]{8,})",
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::BearerToken,
            r#"(?i)(?-u:\b)authorization["']?[ \t]*[:=][ \t]*["']?(?:token|apikey|api-key|key)[ \t]+([A-Za-z0-9._~+/=-]{8,})"#,
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::BasicAuth,
            r"(?i)(?-u:\b)basic[ \t]+([A-Za-z0-9+/]{6,}={0,2})",
            &[1],
            Check::BasicAuth,
        ),
        spec(
            C::BasicAuth,
            r#"(?m)(?:^|[ \t])(?:-u|--user)[ \t]+["']?[^\s:"']+:([^\s"']+)"#,
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::InternalUrl,
            format!(
                r#"(?i)(?-u:\b)[a-z][a-z0-9+.-]*://(?:[^\s/@"'<>]+@)?(?:{host}|{ipv4})(?::[0-9]{{1,5}})?(?:/[^\s"'<>)\]]*)?"#
            ),
            &[0],
            Check::None,
        ),
        spec(
            C::ConnectionString,
            format!(r"(?i)(?-u:\b){DB_SCHEMES}://[^\s:/@]*:([^\s@/]+)@"),
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::UrlCredentials,
            r"(?i)(?-u:\b)[a-z][a-z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@",
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::ConnectionString,
            r"(?i);[ \t]*(?:password|pwd)[ \t]*=[ \t]*([^;\n\x22']+)",
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::GenericSecret,
            format!(
                r#"(?im)(?:^|[^A-Za-z0-9_.-])([A-Za-z0-9_.-]*{SECRET_WORDS}[A-Za-z0-9_.-]*)["']?[ \t]*(?:=|:)[ \t]*{VALUE}"#
            ),
            &[2, 3, 4],
            Check::SecretKeyValue,
        )
        .per_line(),
        spec(
            C::GenericSecret,
            format!(
                r#"(?im)(?:^|\s)(--?[a-z0-9-]*(?:password|passwd|secret|token|api-?key)[a-z0-9-]*)(?:=|[ \t]+){VALUE}"#
            ),
            &[2, 3, 4],
            Check::SecretKeyValue,
        )
        .per_line(),
        spec(
            C::HighEntropySecret,
            r#"(?i)(?-u:\b)(?:set-)?cookie["']?[ \t]*:[ \t]*["']?([^\r\n"']+)"#,
            &[1],
            Check::HighEntropyCookie,
        )
        .per_line(),
        spec(
            C::HighEntropySecret,
            format!(
                r#"(?im)(?:^|[^A-Za-z0-9_.-])([A-Za-z0-9_.-]*{ENTROPY_WORDS}[A-Za-z0-9_.-]*)["']?[ \t]*(?:=|:)[ \t]*{VALUE}"#
            ),
            &[2, 3, 4],
            Check::HighEntropyKeyValue,
        )
        .per_line(),
        spec(
            C::Email,
            r"(?-u:\b)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?-u:\b)",
            &[0],
            Check::Email,
        ),
        spec(
            C::Iban,
            r"(?-u:\b)[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?-u:\b)",
            &[0],
            Check::Iban,
        )
        .per_line(),
        spec(
            C::NationalId,
            r"(?-u:\b)[0-9]{3}-[0-9]{2}-[0-9]{4}(?-u:\b)",
            &[0],
            Check::Ssn,
        )
        .per_line(),
        spec(
            C::NationalId,
            r"(?-u:\b)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?-u:\b)",
            &[0],
            Check::Nino,
        )
        .per_line(),
        spec(
            C::NationalId,
            r"(?-u:\b)[0-9]{3}[ -][0-9]{3}[ -][0-9]{3}(?-u:\b)",
            &[0],
            Check::Sin,
        )
        .per_line(),
        spec(
            C::NationalId,
            r"(?-u:\b)[2-9][0-9]{3}[ -][0-9]{4}[ -][0-9]{4}(?-u:\b)",
            &[0],
            Check::Aadhaar,
        )
        .per_line(),
        spec(
            C::NationalId,
            r"(?-u:\b)[XYZ]?[0-9]{7,8}-?[A-Z](?-u:\b)",
            &[0],
            Check::Dni,
        )
        .per_line(),
        spec(
            C::NationalId,
            r"(?-u:\b)[12] ?[0-9]{2} ?(?:0[1-9]|1[0-2]|[2-9][0-9]) ?(?:[0-9]{2}|2[AB]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}(?-u:\b)",
            &[0],
            Check::Nir,
        )
        .per_line(),
        spec(
            C::PaymentCard,
            // Contiguous, or grouped as printed: 4-4-4-4(-3), Amex 4-6-5.
            r"(?-u:\b)(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?|[0-9]{4}[ -][0-9]{6}[ -][0-9]{5})(?-u:\b)",
            &[0],
            Check::Luhn,
        )
        .per_line(),
        spec(
            C::Phone,
            r"(?m)(?:^|[^\w+])(\+[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,4}\)?){2,5})(?-u:\b)",
            &[1],
            Check::None,
        ),
        spec(C::PrivateIp, ipv4.to_string(), &[0], Check::PrivateIpv4).per_line(),
        spec(
            C::PrivateIp,
            r"(?i)(?-u:\b)f[cde][0-9a-f]{2}:[0-9a-f:]*[0-9a-f](?-u:\b)",
            &[0],
            Check::PrivateIpv6,
        )
        .per_line(),
        spec(
            C::InternalHostname,
            format!(r"(?i)(?-u:\b){host}(?-u:\b)"),
            &[0],
            Check::None,
        )
        .per_line(),
    ]
}

/// Keys whose random-looking values are ids, digests or public material, not secrets.
pub fn key_names_a_digest(key: &str) -> bool {
    const WORDS: &[&str] = &[
        "public",
        "cache",
        "hash",
        "sha",
        "digest",
        "checksum",
        "commit",
        "etag",
        "idempot",
        "partition",
        "routing",
        "sort",
        "primary",
        "foreign",
        "fingerprint",
        "kid",
        "request",
        "trace",
        "correlation",
        "object",
        "bucket",
        "revision",
        "author",
        "design",
        "assign",
    ];
    let k = key.to_ascii_lowercase();
    WORDS.iter().any(|w| k.contains(w))
}

/// Key names that contain a secret word but name something else (`token_url`,
/// `secret_name`, `password_file`, `api_key_id`).
pub fn key_names_a_secret(key: &str) -> bool {
    const NOT_SECRET_SUFFIXES: &[&str] = &[
        "name",
        "url",
        "uri",
        "file",
        "path",
        "ref",
        "id",
        "type",
        "length",
        "ttl",
        "expiry",
        "expires",
        "expiration",
        "count",
        "endpoint",
        "header",
        "_at",
        "policy",
        "usage",
        "size",
        "format",
        "mode",
        "enabled",
        "required",
        "provider",
        "version",
        "keys",
        "source",
        "dir",
        "env",
        "field",
        "label",
        "hint",
        "prompt",
        "rotation",
        "manager",
        "store",
        "class",
    ];
    let k = key.trim_start_matches('-').to_ascii_lowercase();
    !NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s))
}
