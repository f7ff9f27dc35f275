//! The built-in detectors: one regular expression each, the capture group that holds the
//! value to mask, and the check a match must pass. Order is priority: when two findings
//! start at the same byte, the earlier detector wins.
//!
//! The file is long because [`builtin`] is one table, one entry per detector, and its order
//! is its meaning; split across files, the priorities would no longer read top to bottom.
//! Everything that is not the table lives in [`keys`] and `super::checks`.

use super::category::Category;

mod keys;

pub use keys::{
    Strength, in_query, key_in, key_names_a_digest, key_names_a_secret, read_element_value,
    read_line_value, read_value, secret_word,
};

/// What a match must pass to become a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The pattern is specific enough.
    None,
    /// Not a placeholder such as `<TOKEN>` or `${DB_PASSWORD}`.
    NotPlaceholder,
    /// A secret-looking key (group 1) that is not a name, URL, path or id, and a value that
    /// is not a placeholder, path, URL, prose word or Terraform progress word, nor inside an
    /// ARN.
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
    /// Not glued to a word or another `+` before it, and at least 8 digits.
    Phone,
    /// A URL whose host is an internal name or a private address.
    InternalUrl,
    /// A Slack webhook whose path is not a run of `X`s.
    SlackWebhook,
    /// Random-looking (a value with no key, known only by where it stands).
    HighEntropy,
    /// A quoted value in prose or a table, where only its shape says it is a password: one
    /// word, no URL or path, with a digit or a symbol, or long.
    QuotedPassword,
    /// A PEM block with a key in it, not `<paste key here>`.
    PrivateKeyBody,
}

impl Check {
    /// Whether a match that failed this check may hide a real one starting inside it
    /// (`3 4111 1111 1111 1111`), so the search resumes at the next character. Only checks
    /// whose patterns match a bounded number of characters say yes, which keeps the rescans
    /// linear; after any other failed match the search resumes at its end.
    pub fn rescans_inside(self) -> bool {
        matches!(
            self,
            Check::Luhn
                | Check::Iban
                | Check::Ssn
                | Check::Nino
                | Check::Sin
                | Check::Aadhaar
                | Check::Dni
                | Check::Nir
                | Check::PrivateIpv4
                | Check::PrivateIpv6
        )
    }
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
    /// Where the value is: in capture groups, or after the match, read by code.
    pub reads: Reads,
}

/// How a detector finds the value to mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// In the first capture group of `groups` that took part (`&[0]`: the whole match,
    /// found without captures, which is much faster).
    Groups,
    /// The pattern ends at a key's separator (`password=`) and [`read_value`] reads the value
    /// after it, only once the key passed its check: a key that fails costs its own length,
    /// never a rescan of a long value (`password_name:password_name:…`).
    Token,
    /// As `Token`, but the value is the rest of the line up to a quote (a header's value).
    Line,
    /// As `Token`, for an XML element that opens at the match's end: its text up to the
    /// closing tag (`<password>x</password>`).
    Element,
}

impl Spec {
    fn per_line(mut self) -> Self {
        self.per_line = true;
        self
    }

    fn reads(mut self, reads: Reads) -> Self {
        self.reads = reads;
        self
    }
}

/// `pass` counts only as a whole part of a name (`DB_PASS`, `pass:`), not inside `bypass` or
/// `passive`.
const SECRET_WORDS: &str = r"(?:password|passwd|passphrase|pass[_-]?code|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|preshared[_-]?key|client[_-]?secret|credentials?|erlang[_-]?cookie|(?:[_.-]|(?-u:\b))pass(?:[_.-]|(?-u:\b)))";
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
        reads: Reads::Groups,
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
            Check::PrivateKeyBody,
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
            Check::SlackWebhook,
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
            C::TwilioKey,
            // An auth token next to its account SID (`Client("AC…", "…")`): 32 hex within 40
            // characters of the SID, on the same line.
            r"AC[0-9a-f]{32}[^\n]{1,40}?(?:^|[^0-9A-Za-z])([0-9a-f]{32})(?:[^0-9A-Za-z]|$)",
            &[1],
            Check::None,
        )
        .per_line(),
        spec(
            C::VendorToken,
            // Prefixes from the vendors' documentation and public secret-scanner rule sets
            // (gitleaks, trufflehog), each with the length and alphabet that follow it.
            concat!(
                r"(?-u:\b)(?:",
                r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}",
                r"|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}",
                r"|sk-ant-[a-z]{3,5}[0-9]{2}-[A-Za-z0-9_-]{32,}",
                r"|hf_[A-Za-z]{34,}",
                r"|HRKU-[A-Za-z0-9_-]{20,}",
                r"|sq[pua]_[0-9a-f]{40}",
                r"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
                r"|dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}",
                r"|lin_(?:api|oauth)_[A-Za-z0-9]{40}",
                r"|PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
                r"|dapi[a-f0-9]{32}(?:-[0-9])?",
                r"|do[opr]_v1_[a-f0-9]{64}",
                r"|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
                r"|glc_[A-Za-z0-9+/]{32,}={0,2}",
                r"|NRAK-[A-Z0-9]{27}",
                r"|pul-[a-f0-9]{40}",
                r"|sntrys_[A-Za-z0-9+/=_-]{50,}|sntryu_[a-f0-9]{64}",
                r"|dckr_pat_[A-Za-z0-9_-]{27,}",
                r"|ATATT3[A-Za-z0-9_=-]{100,}",
                r"|AGE-SECRET-KEY-1[0-9A-Z]{58}",
                r"|K10[0-9a-f]{64}::[A-Za-z0-9_.-]+:[A-Za-z0-9]{16,}",
                r"|bkua_[a-f0-9]{40}|sbp_[a-f0-9]{40}|rubygems_[a-f0-9]{48}",
                r"|pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,}",
                r"|tskey-[a-z]+-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}",
                r"|whsec_[A-Za-z0-9+/=]{24,}",
                r"|sq0(?:atp|csp)-[0-9A-Za-z_-]{22,43}|EAA[A-Z][A-Za-z0-9_-]{60,}",
                r"|AKCp[A-Za-z0-9]{69}",
                r"|dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}",
                r"|ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}",
                r"|xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
                r"|fo1_[A-Za-z0-9_-]{43}|LTAI[A-Za-z0-9]{12,20}",
                r"|ops_eyJ[A-Za-z0-9+/=_-]{100,}",
                r"|pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
                r"|https://discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,}",
                r"|https://[A-Za-z0-9-]+\.webhook\.office\.com/webhookb2/[A-Za-z0-9@/_-]+",
                r")",
            ),
            &[0],
            Check::None,
        )
        .per_line(),
        // Vendor tokens whose fixed part is inside them: run over the whole text, where the
        // regex engine looks for that part first. In the per-line automaton they would wake
        // on far more lines and cost a third of the throughput.
        spec(
            C::VendorToken,
            r"(?-u:\b)[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}",
            &[0],
            Check::None,
        ),
        spec(
            C::VendorToken,
            r"(?-u:\b)[0-9]{8,10}:AA[0-9A-Za-z_-]{33}",
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
            C::GcpApiKey,
            r"(?-u:\b)(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)",
            &[1],
            Check::None,
        ),
        spec(
            C::AwsSecretKey,
            // A secret key written next to its key id (`AKIA… / wJalr…`), with no key name:
            // 40 random-looking characters within 80 of the id, on the same line.
            r"(?:AKIA|ASIA)[A-Z0-9]{16}[^\n]{1,80}?(?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)",
            &[1],
            Check::HighEntropy,
        ),
        spec(
            C::AwsSecretKey,
            r#"(?i)aws[_-]?secret[_-]?(?:access[_-]?)?key(?:["']?[ \t]*[:=][ \t]*["']?|[ \t]+)([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)"#,
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
            r#"(?-u:\b)echo[ \t]+(?:-n[ \t]+)?["']?([A-Za-z0-9+/]{8,}={0,2})["']?[ \t]*\|[ \t]*base64[ \t]+(?:-d|--decode|-D)"#,
            &[1],
            Check::BasicAuth,
        ),
        spec(
            C::BasicAuth,
            r#"(?m)(?:^|[ \t])(?:-u|--user)[ \t]+["']?[^\s:"']+:(?:'([^'\n]+)'|"([^"\n]+)"|([^\s"']+))"#,
            &[1, 2, 3],
            Check::NotPlaceholder,
        ),
        spec(
            C::InternalUrl,
            format!(
                // Web URLs only: in a database or queue URL the host and password are masked
                // by their own detectors and the rest (a database name) is kept.
                r#"(?i)(?-u:\b)(?:https?|wss?)://(?:[^\s/@"'<>]+@)?(?:{host}|{ipv4})(?::[0-9]{{1,5}})?(?:/[^\s"'<>)\]|]*)?"#
            ),
            &[0],
            Check::InternalUrl,
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
            C::UrlCredentials,
            // A token as the whole user part (`https://<key>@o1.ingest.sentry.io/2`,
            // `https://ghp_…@github.com`): masked when it looks random.
            r"(?i)(?-u:\b)[a-z][a-z0-9+.-]*://([A-Za-z0-9._~%-]{16,})@",
            &[1],
            Check::HighEntropy,
        ),
        spec(
            C::ConnectionString,
            // ADO.NET style, on a line that names a server (`; PWD=/home/x` in a sudo log is
            // a working directory): the value may hold spaces, up to the next `;`.
            r"(?i)(?-u:\b)(?:server|data source|host|address|uid|user id)[ \t]*=[^\n]*?;[ \t]*(?:password|pwd)[ \t]*=[ \t]*([^;\n\x22']+)",
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::GenericSecret,
            // `PASSWORD 'x'` and `IDENTIFIED BY 'x'` in SQL.
            r"(?i)(?-u:\b)(?:password|identified[ \t]+by)[ \t]+'([^'\n]{1,200})'",
            &[1],
            Check::NotPlaceholder,
        ),
        spec(
            C::GenericSecret,
            // Prose: "the new password is `x`", "the DB password got pasted earlier, it was
            // `x`" (a quoted value only: "the password is rotated" names no value).
            r#"(?i)(?-u:\b)(?:password|passwd|passphrase|secret|token|api[ _-]?key)(?-u:\b)[^\n`"']{0,60}?(?-u:\b)(?:is|was|to)[ \t]+(?:now[ \t]+)?[`"']([^`"'\n]{3,200})[`"']"#,
            &[1],
            Check::QuotedPassword,
        ),
        spec(
            C::GenericSecret,
            // A user and a password in a runbook table: `` `admin` / `x` ``.
            r"`[A-Za-z0-9_.@-]{1,64}`[ \t]*/[ \t]*`([^`\n]{3,200})`",
            &[1],
            Check::QuotedPassword,
        )
        .per_line(),
        spec(
            C::GenericSecret,
            // `~/.pgpass`: host:port:database:user:password, one per line.
            r"(?m)^[^\s:#]+:(?:[0-9]{2,5}|\*):[^\s:]+:[^\s:]+:(\S+?)[ \t\r]*$",
            &[1],
            Check::QuotedPassword,
        )
        .per_line(),
        spec(
            C::GenericSecret,
            // `~/.netrc`: `machine h login u password p`, or `password p` on a line of its own.
            r"(?m)(?:^[ \t]*|(?-u:\b)(?:machine|login)[ \t]+\S+[^\n]*?[ \t])password[ \t]+([^\s=:]\S*)",
            &[1],
            Check::NotPlaceholder,
        )
        .per_line(),
        spec(
            C::GenericSecret,
            // `terraform output -json`: the value of an output marked sensitive.
            r#""sensitive"[ \t]*:[ \t]*true,?[ \t\r]*\n(?:[^\n]{0,200}\n){0,3}?[ \t]*"value"[ \t]*:[ \t]*"([^"\n]+)""#,
            &[1],
            Check::QuotedPassword,
        ),
        spec(
            C::GenericSecret,
            // `redis-cli -a secret` and `mysql -psecret`: options whose letter means password.
            r"(?i)(?-u:\b)(?:redis-cli[^\n|;&]{0,200}?[ \t]-a[ \t]+|sshpass[ \t]+(?-i:-p)[ \t]*|(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)(?-u:\b)[^\n|;&]{0,200}?[ \t](?-i:-p))",
            &[],
            Check::NotPlaceholder,
        )
        .reads(Reads::Token),
        spec(
            C::HighEntropySecret,
            // Credentials in URL query strings: OAuth codes, session ids, request signatures.
            r"(?i)[?&](?:code|session_?id|sid|x-amz-signature|x-amz-security-token|signature|access_token|refresh_token|id_token|api_?key|apikey|token|auth|key)=",
            &[],
            Check::HighEntropy,
        )
        .reads(Reads::Token),
        spec(
            C::GenericSecret,
            format!(r"(?i)<[A-Za-z0-9_.-]*{SECRET_WORDS}[A-Za-z0-9_.-]*>"),
            &[],
            Check::SecretKeyValue,
        )
        .per_line()
        .reads(Reads::Element),
        spec(
            C::GenericSecret,
            format!(
                r#"(?im)(?:^|[^A-Za-z0-9_.-])([A-Za-z0-9_.-]*{SECRET_WORDS}[A-Za-z0-9_.-]*)["']?[ \t]*(?:=|:)[ \t]*"#
            ),
            &[],
            Check::SecretKeyValue,
        )
        .per_line()
        .reads(Reads::Token),
        spec(
            C::GenericSecret,
            // The word ends the flag (`--requirepass x`, not `--password-stdin`), and a
            // flag in an argument list (`"--requirepass", "x"`) counts too.
            r#"(?im)(?:^|\s|["'])(--?[a-z0-9-]*(?:password|passwd|pass|secret|token|api-?key))(?:=|[ \t]+|["'][ \t]*,[ \t]*)"#,
            &[],
            Check::SecretKeyValue,
        )
        .per_line()
        .reads(Reads::Token),
        spec(
            C::HighEntropySecret,
            r#"(?i)(?-u:\b)(?:set-)?cookie["']?[ \t]*:[ \t]*["']?"#,
            &[],
            Check::HighEntropyCookie,
        )
        .per_line()
        .reads(Reads::Line),
        spec(
            C::HighEntropySecret,
            format!(
                r#"(?im)(?:^|\s)(--?[a-z0-9-]*{ENTROPY_WORDS})(?:=|[ \t]+)"#
            ),
            &[],
            Check::HighEntropyKeyValue,
        )
        .per_line()
        .reads(Reads::Token),
        spec(
            C::HighEntropySecret,
            format!(
                r#"(?im)(?:^|[^A-Za-z0-9_.-])([A-Za-z0-9_.-]*{ENTROPY_WORDS}[A-Za-z0-9_.-]*)["']?[ \t]*(?:=|:)[ \t]*"#
            ),
            &[],
            Check::HighEntropyKeyValue,
        )
        .per_line()
        .reads(Reads::Token),
        spec(
            C::Email,
            // Percent-encoded, as in query strings and logs of them: `jane%40acme.io`.
            r"(?-u:\b)[A-Za-z0-9._%+-]+%40[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?-u:\b)",
            &[0],
            Check::Email,
        ),
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
            C::PaymentCard,
            // Contiguous, or grouped as printed: 4-4-4-4(-3), Amex 4-6-5.
            r"(?-u:\b)(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?|[0-9]{4}[ -][0-9]{6}[ -][0-9]{5})(?-u:\b)",
            &[0],
            Check::Luhn,
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
            C::Phone,
            // National formats, only next to a word that says a phone number follows:
            // `(415) 555-0132`, `212-204-9340`, `020 7661 7116`, `07278 760374`.
            r"(?i)(?-u:\b)(?:phone|tel|telephone|mobile|cell|callback|call|desk[ \t]+line|whatsapp|sms|fax|ext|extension|reach[ \t]+(?:me|us|him|her|them)[ \t]+(?:at|on))(?-u:\b)[^\n0-9]{0,24}?(0[1-9](?:[ .][0-9]{2}){4}|(?:\([0-9]{3}\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}|0[0-9]{2,4}[ -]?[0-9]{3,4}[ -]?[0-9]{3,4})(?-u:\b)",
            &[1],
            Check::None,
        ),
        spec(
            C::Phone,
            // Numbers glued together (`+44 20 4+44 20 4…`) are one finding: masking one must
            // not make the next match, or each pass would free one more.
            // The character before must not be a letter, digit, `_` or `+` (checked in code,
            // so the match is the value and needs no capture groups).
            r"\+[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,4}\)?){2,5}(?:\+[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,4}\)?){2,5})*(?-u:\b)",
            &[0],
            Check::Phone,
        ),
        spec(C::PrivateIp, ipv4.to_string(), &[0], Check::PrivateIpv4).per_line(),
        spec(
            C::PrivateIp,
            // At most 39 characters, as an address is: a failed parse then costs a bounded rescan.
            r"(?i)(?-u:\b)f[cde][0-9a-f]{2}:[0-9a-f:]{0,33}[0-9a-f](?-u:\b)",
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
