//! Independent, labelled, seeded evaluation corpus for the Gatehouse sanitizer.
//!
//! Every document is synthetic text of the kind a DevOps engineer pastes into a
//! portal: config files, manifests, command output, logs, stack traces, chat,
//! runbooks and postmortems. Byte-offset [`Span`]s label what a sanitizer must
//! mask ([`Label::Sensitive`]), hard negatives it must leave untouched
//! ([`Label::Negative`]) and things it may treat either way ([`Label::Neutral`]).
//! Unlabelled bytes are ordinary carrier text: masking them is a false positive.
//!
//! The generator is std-only (a splitmix64 PRNG lives in this file), so
//! `corpus(seed, split, per_kind)` is fully reproducible. The two splits use
//! different template families per kind *and* different PRNG streams, so the
//! held-out split measures generalisation rather than memorisation.
//!
//! The templates were written from public knowledge of the formats involved
//! (vendor token formats as documented by secret-scanner rule sets, RFC 5737 /
//! RFC 3849 documentation ranges, ISO 13616 IBANs, Luhn, …), independently of
//! the sanitizer's own detectors.
#![allow(dead_code)]

use std::fmt::Write as _;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Which part of the corpus: templates tuned against, held back, or a third
/// family written apart from both and never read by whoever tunes detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Split {
    Tune,
    HeldOut,
    /// Third layouts of every kind plus Fresh-only kinds (`eval_fresh.rs`).
    Fresh,
}

impl Split {
    /// Stable lowercase name used in document ids.
    pub fn name(self) -> &'static str {
        match self {
            Split::Tune => "tune",
            Split::HeldOut => "heldout",
            Split::Fresh => "fresh",
        }
    }
}

/// What a sanitizer is expected to do with a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// Must be masked (every byte of it).
    Sensitive,
    /// Must survive byte-for-byte (hard negative).
    Negative,
    /// Either outcome is acceptable.
    Neutral,
}

/// A labelled byte range `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub label: Label,
    /// Stable kebab-case class name, e.g. `github-token` or `git-sha`.
    pub class: &'static str,
}

/// One generated document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// `"{kind}-{split}-{index:03}"`, unique within a corpus.
    pub id: String,
    pub kind: &'static str,
    pub split: Split,
    pub text: String,
    /// Sorted, non-overlapping, on char boundaries.
    pub spans: Vec<Span>,
}

impl Doc {
    /// The text a span covers.
    pub fn span_text(&self, s: &Span) -> &str {
        &self.text[s.start..s.end]
    }

    /// Spans with a given label.
    pub fn spans_labelled(&self, label: Label) -> impl Iterator<Item = &Span> + '_ {
        self.spans.iter().filter(move |s| s.label == label)
    }

    /// Whether the document contains anything that must be masked.
    pub fn has_sensitive(&self) -> bool {
        self.spans.iter().any(|s| s.label == Label::Sensitive)
    }
}

/// Every document kind, in order.
pub const KINDS: &[&str] = &[
    "env-file",
    "helm-values",
    "docker-compose",
    "gcp-service-account-json",
    "docker-config-json",
    "ini-credentials",
    "kubernetes-secret",
    "kubeconfig",
    "kubectl-output",
    "helm-output",
    "terraform-plan",
    "shell-history",
    "ci-log",
    "stacktrace-python",
    "stacktrace-java",
    "stacktrace-go",
    "chat-message",
    "runbook-markdown",
    "deployment-notes",
    "curl-verbose",
    "nginx-log",
    "postmortem",
    "pem-dump",
    "app-config",
    "terraform-hcl",
    "ci-workflow",
    "sql-dump",
    "systemd-journal",
];

/// Classes used for [`Label::Sensitive`] spans.
pub const SENSITIVE_CLASSES: &[&str] = &[
    "aws-access-key",
    "aws-secret-key",
    "aws-session-token",
    "gcp-api-key",
    "gcp-service-account-key",
    "github-token",
    "gitlab-token",
    "slack-token",
    "slack-webhook",
    "stripe-key",
    "sendgrid-key",
    "twilio-key",
    "npm-token",
    "pypi-token",
    "vault-token",
    "datadog-key",
    "azure-storage-key",
    "azure-sas-token",
    "docker-auth",
    "jwt",
    "bearer-token",
    "basic-auth",
    "url-password",
    "connection-string-password",
    "password-assignment",
    "generic-secret-assignment",
    "session-cookie",
    "private-key",
    "kubernetes-secret-data",
    "vendor-token",
    "email",
    "phone",
    "phone-national",
    "payment-card",
    "iban",
    "national-id",
    "private-ip",
    "internal-hostname",
    "internal-url",
];

/// Classes used for [`Label::Negative`] spans (hard negatives).
pub const NEGATIVE_CLASSES: &[&str] = &[
    "git-sha",
    "content-hash",
    "image-digest",
    "uuid",
    "trace-id",
    "request-id",
    "lockfile-integrity",
    "base64-data",
    "ssh-public-key",
    "public-key",
    "certificate",
    "key-fingerprint",
    "encrypted-data",
    "arn",
    "account-id",
    "cloud-resource-id",
    "version",
    "placeholder",
    "secret-ref",
    "documentation-address",
    "public-ip",
    "public-url",
    "timestamp",
    "duration",
    "k8s-name",
    "non-luhn-number",
    "counter",
    "memory-address",
    "user-id",
];

/// Classes used for [`Label::Neutral`] spans.
pub const NEUTRAL_CLASSES: &[&str] = &[
    "username",
    "person-name",
    "service-name",
    "service-account",
    "publishable-key",
    "documented-example-key",
    "password-hash",
    "key-id",
    "short-hostname",
];

/// Default seed the README reports (ASCII "gatehous").
pub const SEED: u64 = 0x6761_7465_686F_7573;

/// Share of documents generated "clean": secrets replaced by placeholders or
/// documentation values, so the document holds only negatives.
const CLEAN_SHARE: f64 = 0.4;

/// The kinds `split` generates: [`KINDS`], plus [`fresh::FRESH_KINDS`] for Fresh.
pub fn kinds(split: Split) -> Vec<&'static str> {
    let mut out = KINDS.to_vec();
    if split == Split::Fresh {
        out.extend_from_slice(fresh::FRESH_KINDS);
    }
    out
}

/// `per_kind` documents of every kind for `split`, fully determined by `seed` and `split`.
pub fn corpus(seed: u64, split: Split, per_kind: usize) -> Vec<Doc> {
    let stream = match split {
        Split::Tune => 0x7475_6E65_0000_0001,
        Split::HeldOut => 0x6865_6C64_0000_0002,
        Split::Fresh => 0x6672_6573_6800_0003,
    };
    let kinds = kinds(split);
    let mut docs = Vec::with_capacity(kinds.len() * per_kind);
    for (k, kind) in kinds.iter().enumerate() {
        for i in 0..per_kind {
            let doc_seed = mix(mix(seed ^ stream, k as u64 + 1), i as u64 + 1);
            let mut r = Rng::new(doc_seed);
            let clean = r.chance(CLEAN_SHARE);
            let mut b = DocBuilder::new(clean, r.next_u64());
            let mut c = Ctx::new(&mut r);
            if split == Split::Fresh {
                fresh::generate(kind, &mut r, &mut b, &mut c);
            } else {
                let held = split == Split::HeldOut;
                generate(kind, &mut r, &mut b, &mut c, held);
            }
            docs.push(b.finish(format!("{kind}-{}-{i:03}", split.name()), kind, split));
        }
    }
    docs
}

/// Dispatches to the template function of `kind`.
fn generate(kind: &str, r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    match kind {
        "env-file" => env_file(r, b, c, held),
        "helm-values" => helm_values(r, b, c, held),
        "docker-compose" => docker_compose(r, b, c, held),
        "gcp-service-account-json" => gcp_service_account_json(r, b, c, held),
        "docker-config-json" => docker_config_json(r, b, c, held),
        "ini-credentials" => ini_credentials(r, b, c, held),
        "kubernetes-secret" => kubernetes_secret(r, b, c, held),
        "kubeconfig" => kubeconfig(r, b, c, held),
        "kubectl-output" => kubectl_output(r, b, c, held),
        "helm-output" => helm_output(r, b, c, held),
        "terraform-plan" => terraform_plan(r, b, c, held),
        "shell-history" => shell_history(r, b, c, held),
        "ci-log" => ci_log(r, b, c, held),
        "stacktrace-python" => stacktrace_python(r, b, c, held),
        "stacktrace-java" => stacktrace_java(r, b, c, held),
        "stacktrace-go" => stacktrace_go(r, b, c, held),
        "chat-message" => chat_message(r, b, c, held),
        "runbook-markdown" => runbook_markdown(r, b, c, held),
        "deployment-notes" => deployment_notes(r, b, c, held),
        "curl-verbose" => curl_verbose(r, b, c, held),
        "nginx-log" => nginx_log(r, b, c, held),
        "postmortem" => postmortem(r, b, c, held),
        "pem-dump" => pem_dump(r, b, c, held),
        "app-config" => app_config(r, b, c, held),
        "terraform-hcl" => terraform_hcl(r, b, c, held),
        "ci-workflow" => ci_workflow(r, b, c, held),
        "sql-dump" => sql_dump(r, b, c, held),
        "systemd-journal" => systemd_journal(r, b, c, held),
        other => unreachable!("unknown kind {other}"),
    }
}

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// splitmix64: tiny, fast, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Combines two values into a well-mixed seed.
fn mix(a: u64, b: u64) -> u64 {
    splitmix(a ^ splitmix(b.rotate_left(17) ^ 0xD6E8_FEB8_6659_FD93))
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "below(0)");
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Picks one of a list of static strings.
    pub fn one(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }

    /// `n` characters drawn from an ASCII alphabet.
    pub fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }

    pub fn digits(&mut self, n: usize) -> String {
        self.chars(DIGITS, n)
    }

    pub fn hex(&mut self, n: usize) -> String {
        self.chars(HEX, n)
    }

    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }

    /// `k` distinct items of `xs`, in random order.
    pub fn sample<'a, T>(&mut self, xs: &'a [T], k: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        self.shuffle(&mut idx);
        idx.into_iter()
            .take(k.min(xs.len()))
            .map(|i| &xs[i])
            .collect()
    }
}

pub const DIGITS: &[u8] = b"0123456789";
pub const HEX: &[u8] = b"0123456789abcdef";
pub const HEX_UP: &[u8] = b"0123456789ABCDEF";
pub const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
pub const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// ---------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------

fn b64_with(data: &[u8], alphabet: &[u8], pad: bool) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = match chunk.len() {
            3 => (chunk[0] as u32) << 16 | (chunk[1] as u32) << 8 | chunk[2] as u32,
            2 => (chunk[0] as u32) << 16 | (chunk[1] as u32) << 8,
            _ => (chunk[0] as u32) << 16,
        };
        let emit = chunk.len() + 1;
        for i in 0..4 {
            if i < emit {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 with padding.
pub fn b64(data: &[u8]) -> String {
    b64_with(data, B64, true)
}

/// URL-safe base64 without padding (JWT style).
pub fn b64url(data: &[u8]) -> String {
    b64_with(data, B64URL, false)
}

/// Percent-encodes everything outside the URL unreserved set.
pub fn pct(s: &str) -> String {
    let mut out = String::new();
    for c in s.bytes() {
        if c.is_ascii_alphanumeric() || b"-._~".contains(&c) {
            out.push(c as char);
        } else {
            let _ = write!(out, "%{c:02X}");
        }
    }
    out
}

/// Escapes a string for a JSON string literal (no surrounding quotes).
pub fn json_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Time formatting (no chrono: civil-from-days)
// ---------------------------------------------------------------------------

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Broken-down UTC (or offset-shifted) time.
#[derive(Debug, Clone, Copy)]
struct Dt {
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    wd: usize,
}

fn dt(t: i64) -> Dt {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(mo <= 2);
    Dt {
        y,
        mo,
        d,
        h: (secs / 3600) as u32,
        mi: (secs / 60 % 60) as u32,
        s: (secs % 60) as u32,
        wd: (days + 3).rem_euclid(7) as usize,
    }
}

fn offset_str(off_min: i32, colon: bool) -> String {
    let sign = if off_min < 0 { '-' } else { '+' };
    let a = off_min.abs();
    if colon {
        format!("{sign}{:02}:{:02}", a / 60, a % 60)
    } else {
        format!("{sign}{:02}{:02}", a / 60, a % 60)
    }
}

/// `2026-11-26T02:07:49Z`
pub fn ts_iso_z(t: i64) -> String {
    let d = dt(t);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.y, d.mo, d.d, d.h, d.mi, d.s
    )
}

/// `2026-11-26T02:07:49.123Z`
pub fn ts_iso_ms_z(t: i64, ms: u32) -> String {
    let d = dt(t);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        d.y, d.mo, d.d, d.h, d.mi, d.s
    )
}

/// `2026-11-26T07:37:49+05:30` (local wall time for the offset).
pub fn ts_iso_off(t: i64, off: i32) -> String {
    let d = dt(t + i64::from(off) * 60);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
        d.y,
        d.mo,
        d.d,
        d.h,
        d.mi,
        d.s,
        offset_str(off, true)
    )
}

/// GitHub Actions log prefix `2026-11-26T02:07:49.1234567Z`.
pub fn ts_gha(t: i64, frac: u32) -> String {
    let d = dt(t);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{frac:07}Z",
        d.y, d.mo, d.d, d.h, d.mi, d.s
    )
}

/// Common log format `26/Nov/2026:02:07:49 +0000`.
pub fn ts_clf(t: i64, off: i32) -> String {
    let d = dt(t + i64::from(off) * 60);
    format!(
        "{:02}/{}/{}:{:02}:{:02}:{:02} {}",
        d.d,
        MONTHS[d.mo as usize - 1],
        d.y,
        d.h,
        d.mi,
        d.s,
        offset_str(off, false)
    )
}

/// Syslog `Nov 26 02:07:49`.
pub fn ts_syslog(t: i64) -> String {
    let d = dt(t);
    format!(
        "{} {:2} {:02}:{:02}:{:02}",
        MONTHS[d.mo as usize - 1],
        d.d,
        d.h,
        d.mi,
        d.s
    )
}

/// `2026-11-26 02:07:49.123`
pub fn ts_space_ms(t: i64, ms: u32) -> String {
    let d = dt(t);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}.{ms:03}",
        d.y, d.mo, d.d, d.h, d.mi, d.s
    )
}

/// `2026-11-26 02:07:49`
pub fn ts_space(t: i64) -> String {
    let d = dt(t);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.y, d.mo, d.d, d.h, d.mi, d.s
    )
}

/// Go `log` / nginx error log `2026/11/26 02:07:49`.
pub fn ts_slash(t: i64) -> String {
    let d = dt(t);
    format!(
        "{}/{:02}/{:02} {:02}:{:02}:{:02}",
        d.y, d.mo, d.d, d.h, d.mi, d.s
    )
}

/// git / mbox style `Thu Nov 26 02:07:49 2026 +0000`.
pub fn ts_git(t: i64, off: i32) -> String {
    let d = dt(t + i64::from(off) * 60);
    format!(
        "{} {} {} {:02}:{:02}:{:02} {} {}",
        WEEKDAYS[d.wd],
        MONTHS[d.mo as usize - 1],
        d.d,
        d.h,
        d.mi,
        d.s,
        d.y,
        offset_str(off, false)
    )
}

/// Go's ANSIC layout used by Helm `Thu Nov 26 02:07:49 2026` (day space-padded).
pub fn ts_ctime(t: i64) -> String {
    let d = dt(t);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        WEEKDAYS[d.wd],
        MONTHS[d.mo as usize - 1],
        d.d,
        d.h,
        d.mi,
        d.s,
        d.y
    )
}

/// HTTP date `Thu, 26 Nov 2026 02:07:49 GMT`.
pub fn ts_http(t: i64) -> String {
    let d = dt(t);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[d.wd],
        d.d,
        MONTHS[d.mo as usize - 1],
        d.y,
        d.h,
        d.mi,
        d.s
    )
}

/// Date only `2026-11-26`.
pub fn ts_date(t: i64) -> String {
    let d = dt(t);
    format!("{}-{:02}-{:02}", d.y, d.mo, d.d)
}

/// Wall clock `02:07` (24h).
pub fn ts_hm(t: i64) -> String {
    let d = dt(t);
    format!("{:02}:{:02}", d.h, d.mi)
}

/// Slack style `2:07 AM`.
pub fn ts_ampm(t: i64) -> String {
    let d = dt(t);
    let h12 = if d.h.is_multiple_of(12) { 12 } else { d.h % 12 };
    format!("{h12}:{:02} {}", d.mi, if d.h < 12 { "AM" } else { "PM" })
}

// ---------------------------------------------------------------------------
// Per-document context
// ---------------------------------------------------------------------------

/// Organisation, app and clock shared by one document, for consistency.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub org: &'static str,
    pub domain: &'static str,
    pub app: &'static str,
    pub ns: &'static str,
    pub env: &'static str,
    pub region: &'static str,
    pub account: String,
    /// Current unix time of the document's narrative.
    pub t: i64,
    /// Local UTC offset in minutes used by people in the document.
    pub off: i32,
}

const ORGS: &[(&str, &str)] = &[
    ("kestrel", "kestrel-pay.de"),
    ("northwind", "northwind-logistics.com"),
    ("brightpath", "brightpath.io"),
    ("lumen", "lumenbank.eu"),
    ("orbit", "orbitfreight.co.uk"),
    ("tidewater", "tidewater-analytics.com"),
    ("quill", "quillstack.dev"),
    ("harbour", "harbourline.com.au"),
    ("fjord", "fjordcloud.no"),
    ("saffron", "saffron-health.in"),
    ("maple", "maplecrest.ca"),
    ("nimbus", "nimbus-retail.fr"),
];
const APPS: &[&str] = &[
    "ledger-api",
    "checkout",
    "orders-svc",
    "billing-worker",
    "auth-gateway",
    "inventory",
    "notifier",
    "search-api",
    "payments",
    "reporting",
    "catalog",
    "fulfilment",
];
const NAMESPACES: &[&str] = &[
    "prod", "payments", "platform", "default", "backend", "core", "shop",
];
const ENVS: &[&str] = &["prod", "production", "staging", "stg", "prd"];
const REGIONS: &[&str] = &[
    "eu-west-1",
    "us-east-1",
    "eu-central-1",
    "ap-southeast-2",
    "us-west-2",
];
const OFFSETS: &[i32] = &[0, 0, 60, 120, 330, -300, -420, -480, 540, 600, 345, -180];

impl Ctx {
    pub fn new(r: &mut Rng) -> Self {
        let (org, domain) = *r.pick(ORGS);
        Ctx {
            org,
            domain,
            app: r.one(APPS),
            ns: r.one(NAMESPACES),
            env: r.one(ENVS),
            region: r.one(REGIONS),
            account: format!("{}{}", r.range(1, 9), r.digits(11)),
            t: 1_735_689_600 + r.below(730 * 86_400) as i64,
            off: *r.pick(OFFSETS),
        }
    }

    /// Advances the clock by `lo..=hi` seconds and returns the new time.
    pub fn tick(&mut self, r: &mut Rng, lo: usize, hi: usize) -> i64 {
        self.t += r.range(lo, hi) as i64;
        self.t
    }
}

// ---------------------------------------------------------------------------
// Document builder
// ---------------------------------------------------------------------------

/// `t!(b, "fmt", args…)` appends formatted carrier text and returns the builder.
macro_rules! t {
    ($b:expr, $($arg:tt)*) => {
        $b.text(&format!($($arg)*))
    };
}

/// A value with its label, as it will be written.
#[derive(Debug, Clone)]
pub struct Piece {
    pub label: Label,
    pub class: &'static str,
    pub value: String,
}

/// Appends text and records labelled spans as it goes.
///
/// A *clean* builder turns every [`DocBuilder::secret`] into a placeholder or
/// documentation value (labelled Negative), so the same template yields
/// negative-only documents.
pub struct DocBuilder {
    text: String,
    spans: Vec<Span>,
    /// Negative-only document: secrets become placeholders.
    pub clean: bool,
    ph: Rng,
}

impl DocBuilder {
    pub fn new(clean: bool, seed: u64) -> Self {
        DocBuilder {
            text: String::new(),
            spans: Vec::new(),
            clean,
            ph: Rng::new(seed),
        }
    }

    /// Unlabelled carrier text.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Carrier text plus a newline.
    pub fn line(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self.text.push('\n');
        self
    }

    pub fn nl(&mut self) -> &mut Self {
        self.text.push('\n');
        self
    }

    fn push(&mut self, label: Label, class: &'static str, v: &str) -> &mut Self {
        if v.is_empty() {
            return self;
        }
        debug_assert!(
            !(self.clean && label == Label::Sensitive),
            "sensitive {class} in a clean document"
        );
        let start = self.text.len();
        self.text.push_str(v);
        self.spans.push(Span {
            start,
            end: self.text.len(),
            label,
            class,
        });
        self
    }

    /// Always-sensitive span (use [`DocBuilder::secret`] in templates).
    pub fn sensitive(&mut self, class: &'static str, v: &str) -> &mut Self {
        self.push(Label::Sensitive, class, v)
    }

    /// Hard negative: must survive unchanged.
    pub fn negative(&mut self, class: &'static str, v: &str) -> &mut Self {
        self.push(Label::Negative, class, v)
    }

    /// Neutral span with the generic class `neutral`.
    pub fn neutral(&mut self, v: &str) -> &mut Self {
        self.push(Label::Neutral, "neutral", v)
    }

    /// Neutral span with a specific class.
    pub fn neutral_as(&mut self, class: &'static str, v: &str) -> &mut Self {
        self.push(Label::Neutral, class, v)
    }

    /// Writes a resolved piece.
    pub fn piece(&mut self, p: &Piece) -> &mut Self {
        self.push(p.label, p.class, &p.value)
    }

    /// Sensitive value, or (in a clean document) a fitting placeholder.
    pub fn secret(&mut self, class: &'static str, v: &str) -> &mut Self {
        let p = self.resolve(class, v);
        self.piece(&p)
    }

    /// Secret with YAML quoting chosen for the value actually written.
    pub fn yaml_secret(&mut self, class: &'static str, v: &str) -> &mut Self {
        let p = self.resolve(class, v);
        let q = yaml_quote(&p.value, &mut self.ph);
        self.text(q).piece(&p).text(q)
    }

    /// Secret with shell / dotenv quoting chosen for the value written.
    pub fn shell_secret(&mut self, class: &'static str, v: &str) -> &mut Self {
        let p = self.resolve(class, v);
        let q = shell_quote(&p.value, &mut self.ph);
        self.text(q).piece(&p).text(q)
    }

    /// Secret inside XML text: placeholders never contain `<`, `>` or `&`.
    pub fn xml_secret(&mut self, class: &'static str, v: &str) -> &mut Self {
        let mut p = self.resolve(class, v);
        if p.value.contains(['<', '>', '&']) {
            p.value = "REPLACE_ME".into();
        }
        self.piece(&p)
    }

    /// Secret inside a JSON string literal (quotes included as carrier).
    pub fn json_secret(&mut self, class: &'static str, v: &str) -> &mut Self {
        let mut p = self.resolve(class, v);
        p.value = json_escape(&p.value);
        self.text("\"").piece(&p).text("\"")
    }

    /// Decides what actually gets written for a secret.
    pub fn resolve(&mut self, class: &'static str, v: &str) -> Piece {
        if !self.clean {
            return Piece {
                label: Label::Sensitive,
                class,
                value: v.to_string(),
            };
        }
        let neg = |class, value: String| Piece {
            label: Label::Negative,
            class,
            value,
        };
        match class {
            "email" => {
                let local = v.split('@').next().unwrap_or("jane.doe");
                let dom = self.ph.one(&["example.com", "example.org", "example.net"]);
                neg("documentation-address", format!("{local}@{dom}"))
            }
            "private-ip" => {
                let ip = if v.contains(':') {
                    format!("2001:db8::{:x}", self.ph.range(1, 0xfff))
                } else {
                    mk::doc_ip(&mut self.ph)
                };
                neg("documentation-address", ip)
            }
            "internal-hostname" => {
                let h = doc_host(v, &mut self.ph);
                neg("documentation-address", h)
            }
            "internal-url" => {
                let u = doc_url(v, &mut self.ph);
                neg("documentation-address", u)
            }
            "slack-webhook" => neg(
                "placeholder",
                "https://hooks.slack.com/services/XXXXXXXXX/XXXXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX"
                    .into(),
            ),
            "payment-card" => {
                let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                let last4 = &digits[digits.len().saturating_sub(4)..];
                neg("placeholder", format!("**** **** **** {last4}"))
            }
            "phone" | "phone-national" | "iban" | "national-id" => {
                let p = self.ph.one(&[
                    "[REDACTED]",
                    "<redacted>",
                    "[removed]",
                    "***",
                    "(see ticket)",
                ]);
                neg("placeholder", p.into())
            }
            "url-password" | "connection-string-password" => {
                let p = self.ph.one(&[
                    "********",
                    "${DB_PASSWORD}",
                    "<password>",
                    "changeme",
                    "xxxxxxxx",
                    "REPLACE_ME",
                ]);
                neg("placeholder", p.into())
            }
            _ => {
                let p = self.generic_placeholder();
                neg("placeholder", p)
            }
        }
    }

    /// A placeholder, often derived from the key name just written.
    fn generic_placeholder(&mut self) -> String {
        let key = self.key_before();
        let style = self.ph.below(11);
        match (key, style) {
            (Some(k), 0..=2) => format!("${{{k}}}"),
            (Some(k), 3) => format!("${k}"),
            (Some(k), 4) => format!("<{}>", k.to_ascii_lowercase().replace('_', "-")),
            _ => self
                .ph
                .one(&[
                    "changeme",
                    "REPLACE_ME",
                    "<YOUR_TOKEN>",
                    "<redacted>",
                    "xxxxxxxxxxxxxxxx",
                    "********",
                    "TODO",
                    "your-api-key-here",
                    "***",
                ])
                .to_string(),
        }
    }

    /// The identifier just before the cursor (`DB_PASSWORD` in `DB_PASSWORD="`).
    fn key_before(&self) -> Option<String> {
        let t = self.text.as_bytes();
        let mut i = t.len();
        while i > 0 && b" \t=:\"'>".contains(&t[i - 1]) {
            i -= 1;
        }
        let end = i;
        while i > 0 && (t[i - 1].is_ascii_alphanumeric() || b"_.-".contains(&t[i - 1])) {
            i -= 1;
        }
        let raw = self.text[i..end].trim_matches(|c| c == '-' || c == '.' || c == '_');
        if raw.len() < 3 || raw.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut out = String::new();
        for (j, ch) in raw.chars().enumerate() {
            if ch.is_ascii_uppercase() && j > 0 && raw.as_bytes()[j - 1].is_ascii_lowercase() {
                out.push('_');
            }
            out.push(if ch == '.' || ch == '-' {
                '_'
            } else {
                ch.to_ascii_uppercase()
            });
        }
        Some(out)
    }

    /// Byte length so far (for templates that need it).
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Finalises the document (ensures a trailing newline).
    pub fn finish(mut self, id: String, kind: &'static str, split: Split) -> Doc {
        if !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        Doc {
            id,
            kind,
            split,
            text: self.text,
            spans: self.spans,
        }
    }
}

/// Quote characters a YAML writer would plausibly use for `v`.
fn yaml_quote(v: &str, r: &mut Rng) -> &'static str {
    let plain = v
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"._/+=-@:~".contains(&c))
        && !v.starts_with(['-', ':', '@', '~', '.'])
        && !v.ends_with(':')
        && !v.bytes().all(|c| c.is_ascii_digit())
        && !matches!(v, "true" | "false" | "yes" | "no" | "null" | "on" | "off");
    if plain && r.chance(0.6) {
        ""
    } else if !v.contains('\'') && (v.contains('"') || v.contains('\\') || r.chance(0.35)) {
        "'"
    } else {
        "\""
    }
}

/// Quote characters a shell / dotenv writer would plausibly use for `v`.
fn shell_quote(v: &str, r: &mut Rng) -> &'static str {
    let plain = v
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"._/+=:@%,-^~".contains(&c));
    if plain && r.chance(0.55) {
        ""
    } else if !v.contains('\'')
        && (v.contains('$') || v.contains('"') || v.contains('!') || r.chance(0.5))
    {
        "'"
    } else {
        "\""
    }
}

/// Documentation stand-in for an internal host name.
fn doc_host(v: &str, r: &mut Rng) -> String {
    let first = v.split('.').next().unwrap_or("db");
    format!(
        "{first}.{}",
        r.one(&["example.com", "example.net", "example", "test"])
    )
}

/// Documentation stand-in for an internal URL (host replaced, rest kept).
fn doc_url(v: &str, r: &mut Rng) -> String {
    let (scheme, rest) = v.split_once("://").unwrap_or(("https", v));
    let end = rest.find(['/', ':', '?']).unwrap_or(rest.len());
    let h = &rest[..end];
    let host = if h.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        mk::doc_ip(r)
    } else {
        doc_host(h, r)
    };
    format!("{scheme}://{host}{}", &rest[end..])
}

// ---------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------

/// Value generators, grouped: credentials, passwords, personal data, network,
/// hard negatives, PEM material.
pub mod mk {
    use super::*;

    // ---- cloud and vendor credentials --------------------------------------

    /// `AKIA…` / `ASIA…` + 16 base32 characters.
    pub fn aws_access_key(r: &mut Rng) -> String {
        let prefix = if r.chance(0.8) { "AKIA" } else { "ASIA" };
        format!("{prefix}{}", r.chars(B32, 16))
    }

    /// 40 characters of the base64 alphabet.
    pub fn aws_secret_key(r: &mut Rng) -> String {
        r.chars(B64, 40)
    }

    /// STS session token (`IQoJb3JpZ2luX2Vj…`).
    pub fn aws_session_token(r: &mut Rng) -> String {
        let n = r.range(60, 90) * 4;
        format!("IQoJb3JpZ2luX2Vj{}", r.chars(B64, n))
    }

    /// `AIza` + 35.
    pub fn gcp_api_key(r: &mut Rng) -> String {
        format!("AIza{}", r.chars(B64URL, 35))
    }

    pub fn github_token(r: &mut Rng) -> String {
        match r.below(7) {
            0 | 1 => format!(
                "github_pat_11{}_{}",
                r.chars(UPPER_ALNUM, 20),
                r.chars(ALNUM, 59)
            ),
            2 => format!("gho_{}", r.chars(ALNUM, 36)),
            3 => format!("ghs_{}", r.chars(ALNUM, 36)),
            4 => format!("ghu_{}", r.chars(ALNUM, 36)),
            _ => format!("ghp_{}", r.chars(ALNUM, 36)),
        }
    }

    pub fn gitlab_token(r: &mut Rng) -> String {
        match r.below(6) {
            0 => format!("glrt-{}", r.chars(B64URL, 20)),
            1 => format!("glptt-{}", r.hex(40)),
            2 => format!("gldt-{}", r.chars(B64URL, 20)),
            _ => format!("glpat-{}", r.chars(B64URL, 20)),
        }
    }

    pub fn slack_token(r: &mut Rng) -> String {
        match r.below(4) {
            0 => format!(
                "xoxp-{}{}-{}{}-{}{}-{}",
                r.range(1, 9),
                r.digits(10),
                r.range(1, 9),
                r.digits(11),
                r.range(1, 9),
                r.digits(12),
                r.hex(32)
            ),
            1 => format!(
                "xapp-1-A0{}-{}{}-{}",
                r.chars(UPPER_ALNUM, 9),
                r.range(1, 9),
                r.digits(12),
                r.hex(64)
            ),
            _ => {
                let a = r.range(9, 12);
                let bb = r.range(11, 12);
                format!(
                    "xoxb-{}{}-{}{}-{}",
                    r.range(1, 9),
                    r.digits(a),
                    r.range(1, 9),
                    r.digits(bb),
                    r.chars(ALNUM, 24)
                )
            }
        }
    }

    pub fn slack_webhook(r: &mut Rng) -> String {
        format!(
            "https://hooks.slack.com/services/T{}/B{}/{}",
            r.chars(UPPER_ALNUM, 8),
            r.chars(UPPER_ALNUM, 10),
            r.chars(ALNUM, 24)
        )
    }

    /// `sk_live_` / `rk_live_` / `sk_test_`, short legacy or long modern form.
    pub fn stripe_secret(r: &mut Rng) -> String {
        let p = r.one(&["sk_live_", "sk_live_", "rk_live_", "sk_test_"]);
        if r.chance(0.5) {
            format!("{p}{}", r.chars(ALNUM, 24))
        } else {
            format!("{p}51{}", r.chars(ALNUM, 97))
        }
    }

    pub fn stripe_webhook_secret(r: &mut Rng) -> String {
        format!("whsec_{}", r.chars(ALNUM, 32))
    }

    /// Publishable keys are meant for browsers: neutral.
    pub fn stripe_publishable(r: &mut Rng) -> String {
        format!("pk_live_51{}", r.chars(ALNUM, 97))
    }

    pub fn sendgrid_key(r: &mut Rng) -> String {
        format!("SG.{}.{}", r.chars(B64URL, 22), r.chars(B64URL, 43))
    }

    pub fn twilio_api_key(r: &mut Rng) -> String {
        format!("SK{}", r.hex(32))
    }

    pub fn twilio_account_sid(r: &mut Rng) -> String {
        format!("AC{}", r.hex(32))
    }

    pub fn npm_token(r: &mut Rng) -> String {
        format!("npm_{}", r.chars(ALNUM, 36))
    }

    pub fn pypi_token(r: &mut Rng) -> String {
        let n = r.range(60, 150);
        format!("pypi-AgEIcHlwaS5vcmcCJ{}", r.chars(B64URL, n))
    }

    pub fn vault_token(r: &mut Rng) -> String {
        match r.below(3) {
            0 => {
                let n = r.range(80, 92);
                format!("hvs.CAESI{}", r.chars(B64URL, n))
            }
            1 => format!("hvb.AAAAAQ{}", r.chars(B64URL, 86)),
            _ => format!("hvs.{}", r.chars(ALNUM, 24)),
        }
    }

    /// 88-character account key (64 random bytes).
    pub fn azure_storage_key(r: &mut Rng) -> String {
        b64(&r.bytes(64))
    }

    /// URL-encoded SAS `sig` value.
    pub fn azure_sas_sig(r: &mut Rng) -> String {
        pct(&b64(&r.bytes(32)))
    }

    /// A JWT with realistic header and claims.
    pub fn jwt(r: &mut Rng, iat: i64, iss: &str, sub: &str) -> String {
        let (alg, sig) = *r.pick(&[("HS256", 43), ("RS256", 342), ("RS256", 342), ("ES256", 86)]);
        let header = if alg == "HS256" {
            format!("{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}")
        } else {
            format!(
                "{{\"alg\":\"{alg}\",\"kid\":\"{}\",\"typ\":\"JWT\"}}",
                r.chars(B64URL, 27)
            )
        };
        let exp = iat + *r.pick(&[300, 900, 3600, 86_400]);
        let scope = r.one(&[
            "read:orders write:orders",
            "openid profile email",
            "deploy",
            "admin",
            "api",
        ]);
        let payload = format!(
            "{{\"iss\":\"{iss}\",\"sub\":\"{sub}\",\"aud\":\"{}\",\"iat\":{iat},\"exp\":{exp},\"scope\":\"{scope}\",\"jti\":\"{}\"}}",
            r.one(&["api", "https://api.internal", "gatehouse", "account"]),
            uuid(r)
        );
        format!(
            "{}.{}.{}",
            b64url(header.as_bytes()),
            b64url(payload.as_bytes()),
            r.chars(B64URL, sig)
        )
    }

    /// A Kubernetes service-account token (always RS256).
    pub fn jwt_k8s(r: &mut Rng, iat: i64, ns: &str, sa: &str) -> String {
        let header = format!("{{\"alg\":\"RS256\",\"kid\":\"{}\"}}", r.chars(B64URL, 43));
        let payload = format!(
            "{{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"],\"exp\":{},\"iat\":{iat},\"iss\":\"https://kubernetes.default.svc.cluster.local\",\"kubernetes.io\":{{\"namespace\":\"{ns}\",\"serviceaccount\":{{\"name\":\"{sa}\",\"uid\":\"{}\"}}}},\"nbf\":{iat},\"sub\":\"system:serviceaccount:{ns}:{sa}\"}}",
            iat + 31_536_000,
            uuid(r)
        );
        format!(
            "{}.{}.{}",
            b64url(header.as_bytes()),
            b64url(payload.as_bytes()),
            r.chars(B64URL, 342)
        )
    }

    /// Opaque bearer / session token.
    pub fn opaque_token(r: &mut Rng) -> String {
        match r.below(5) {
            0 => r.chars(ALNUM, 40),
            1 => b64url(&r.bytes(32)),
            2 => r.hex(64),
            3 => {
                let n = r.range(140, 180);
                format!("ya29.a0{}", r.chars(B64URL, n))
            }
            _ => format!("{}.{}", r.chars(ALNUM, 24), r.chars(B64URL, 32)),
        }
    }

    // ---- passwords and generic secrets --------------------------------------

    const WORDS: &[&str] = &[
        "correct", "horse", "battery", "staple", "orbit", "maple", "falcon", "copper", "winter",
        "harbor", "velvet", "quartz", "tiger", "lantern", "meadow", "rocket", "pepper", "cobalt",
        "sunset", "glacier", "otter", "saffron", "kettle", "nimbus",
    ];
    const STEMS: &[&str] = &[
        "Summer", "Winter", "Spring", "Autumn", "Welcome", "Password", "Monday", "January",
        "Dragon", "Football", "Sunshine", "Letmein", "Qwerty",
    ];

    fn leet(w: &str) -> String {
        w.chars()
            .map(|c| match c {
                'a' => '@',
                'o' => '0',
                'e' => '3',
                's' => '5',
                'i' => '1',
                c => c,
            })
            .collect()
    }

    fn cap(w: &str) -> String {
        let mut c = w.chars();
        match c.next() {
            Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
            None => String::new(),
        }
    }

    /// Human-ish password; may contain `!@#%^&*+=?` (never quotes, `$`, `\` or spaces).
    pub fn password(r: &mut Rng) -> String {
        match r.below(8) {
            0 => format!(
                "{}{}{}",
                r.one(STEMS),
                r.range(2019, 2027),
                r.one(&["!", "!!", "#", "?", "@", "*"])
            ),
            1 => format!(
                "{}#{}",
                leet(r.one(&["password", "secret", "admin", "postgres"])),
                r.one(&["prod", "db", "2026", "ops"])
            ),
            2 => {
                let n = r.range(3, 4);
                (0..n).map(|_| r.one(WORDS)).collect::<Vec<_>>().join("-")
            }
            3 => format!(
                "{}{}{}",
                cap(&leet(r.one(WORDS))),
                r.one(&["&", "%", "^", "+"]),
                r.range(1, 99)
            ),
            4 => {
                let n = r.range(14, 24);
                r.chars(
                    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#%^&*_-+=",
                    n,
                )
            }
            5 => format!(
                "{}{}{}",
                cap(r.one(WORDS)),
                r.digits(4),
                r.one(&["!", "#", "."])
            ),
            6 => format!(
                "{}_{}_{}",
                r.one(&["pg", "app", "svc", "root"]),
                r.one(WORDS),
                r.digits(3)
            ),
            _ => {
                let n = r.range(12, 20);
                r.chars(ALNUM, n)
            }
        }
    }

    /// Password restricted to URL/XML/shell-safe characters (`A-Za-z0-9-_.~!`).
    pub fn password_safe(r: &mut Rng) -> String {
        match r.below(5) {
            0 => format!("{}{}!", r.one(STEMS), r.range(2019, 2027)),
            1 => {
                let n = r.range(3, 4);
                (0..n).map(|_| r.one(WORDS)).collect::<Vec<_>>().join("-")
            }
            2 => format!(
                "{}.{}{}",
                cap(&leet(r.one(WORDS)).replace('@', "4")),
                r.one(WORDS),
                r.digits(2)
            ),
            3 => {
                let n = r.range(16, 28);
                r.chars(ALNUM, n)
            }
            _ => {
                let n = r.range(12, 20);
                r.chars(
                    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.~",
                    n,
                )
            }
        }
    }

    /// Random-looking secret in one of the common encodings.
    pub fn generic_secret(r: &mut Rng) -> String {
        match r.below(9) {
            0 => r.hex(32),
            1 => r.hex(40),
            2 => r.hex(64),
            3 => {
                let n = r.range(24, 48);
                b64(&r.bytes(n))
            }
            4 => b64url(&r.bytes(32)),
            5 => {
                let n = r.range(32, 48);
                r.chars(ALNUM, n)
            }
            6 => r.hex(128),
            7 => format!(
                "{}-{}-{}",
                r.chars(ALNUM, 8),
                r.chars(ALNUM, 8),
                r.chars(ALNUM, 16)
            ),
            _ => format!("{}{}", r.chars(ALNUM, 20), r.chars(B64URL, 12)),
        }
    }

    /// Django's generated `SECRET_KEY` (only for quoted contexts).
    pub fn django_secret(r: &mut Rng) -> String {
        format!(
            "django-insecure-{}",
            r.chars(b"abcdefghijklmnopqrstuvwxyz0123456789@%^&*(-_=+)", 50)
        )
    }

    /// A token of some other vendor plus the env var it usually lives in.
    #[derive(Debug, Clone)]
    pub struct Vendor {
        pub name: &'static str,
        pub env: &'static str,
        pub value: String,
    }

    pub fn vendor_token(r: &mut Rng) -> Vendor {
        let (name, env, value) = match r.below(16) {
            0 => (
                "Heroku",
                "HEROKU_API_KEY",
                format!("HRKU-AA{}", r.chars(B64URL, 58)),
            ),
            1 => ("Mailgun", "MAILGUN_API_KEY", format!("key-{}", r.hex(32))),
            2 => (
                "Shopify",
                "SHOPIFY_ACCESS_TOKEN",
                format!("{}{}", r.one(&["shpat_", "shpca_", "shppa_"]), r.hex(32)),
            ),
            3 => (
                "DigitalOcean",
                "DIGITALOCEAN_TOKEN",
                format!("dop_v1_{}", r.hex(64)),
            ),
            4 => {
                let a = r.range(58, 74);
                let z = r.range(58, 74);
                (
                    "OpenAI",
                    "OPENAI_API_KEY",
                    format!(
                        "sk-proj-{}T3BlbkFJ{}",
                        r.chars(B64URL, a),
                        r.chars(B64URL, z)
                    ),
                )
            }
            5 => (
                "Anthropic",
                "ANTHROPIC_API_KEY",
                format!("sk-ant-api03-{}AA", r.chars(B64URL, 93)),
            ),
            6 => (
                "Grafana",
                "GRAFANA_SA_TOKEN",
                format!("glsa_{}_{}", r.chars(ALNUM, 32), r.hex(8)),
            ),
            7 => (
                "New Relic",
                "NEW_RELIC_API_KEY",
                format!("NRAK-{}", r.chars(UPPER_ALNUM, 27)),
            ),
            8 => (
                "Databricks",
                "DATABRICKS_TOKEN",
                format!("dapi{}", r.hex(32)),
            ),
            9 => (
                "Doppler",
                "DOPPLER_TOKEN",
                format!(
                    "dp.st.{}.{}",
                    r.one(&["prd", "stg", "dev"]),
                    r.chars(ALNUM, 43)
                ),
            ),
            10 => (
                "Linear",
                "LINEAR_API_KEY",
                format!("lin_api_{}", r.chars(ALNUM, 40)),
            ),
            11 => (
                "Postman",
                "POSTMAN_API_KEY",
                format!("PMAK-{}-{}", r.hex(24), r.hex(34)),
            ),
            12 => (
                "Pulumi",
                "PULUMI_ACCESS_TOKEN",
                format!("pul-{}", r.hex(40)),
            ),
            13 => (
                "Terraform Cloud",
                "TF_TOKEN_app_terraform_io",
                format!("{}.atlasv1.{}", r.chars(ALNUM, 14), r.chars(ALNUM, 67)),
            ),
            14 => (
                "Tailscale",
                "TS_AUTHKEY",
                format!(
                    "tskey-auth-k{}CNTRL-{}",
                    r.chars(ALNUM, 10),
                    r.chars(ALNUM, 33)
                ),
            ),
            _ => (
                "Sentry",
                "SENTRY_AUTH_TOKEN",
                format!("sntryu_{}", r.hex(64)),
            ),
        };
        Vendor { name, env, value }
    }

    /// Documented AWS example keys: neutral (scanners allow-list them).
    pub const AWS_EXAMPLE_ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
    pub const AWS_EXAMPLE_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    // ---- people and personal data -------------------------------------------

    const FIRST: &[(&str, &str)] = &[
        ("Jane", "jane"),
        ("José", "jose"),
        ("Zoë", "zoe"),
        ("Łukasz", "lukasz"),
        ("Søren", "soren"),
        ("Aoife", "aoife"),
        ("Priya", "priya"),
        ("Mehmet", "mehmet"),
        ("Chloé", "chloe"),
        ("Björn", "bjorn"),
        ("Wei", "wei"),
        ("Fatima", "fatima"),
        ("Tomás", "tomas"),
        ("Ngozi", "ngozi"),
        ("Hiroshi", "hiroshi"),
        ("Olusegun", "olusegun"),
        ("Anika", "anika"),
        ("Mateo", "mateo"),
        ("Sakura", "sakura"),
        ("Dmitri", "dmitri"),
        ("Grace", "grace"),
        ("Liam", "liam"),
        ("Ana", "ana"),
        ("Kwame", "kwame"),
        ("Inês", "ines"),
        ("Rahul", "rahul"),
        ("Emma", "emma"),
        ("Noah", "noah"),
        ("Yara", "yara"),
        ("Felix", "felix"),
    ];
    const LAST: &[(&str, &str)] = &[
        ("Okafor", "okafor"),
        ("Müller", "mueller"),
        ("García", "garcia"),
        ("Nguyễn", "nguyen"),
        ("Kowalski", "kowalski"),
        ("O'Brien", "obrien"),
        ("Sharma", "sharma"),
        ("Lindqvist", "lindqvist"),
        ("Dubois", "dubois"),
        ("Tanaka", "tanaka"),
        ("Rossi", "rossi"),
        ("Haddad", "haddad"),
        ("Fernández", "fernandez"),
        ("Novak", "novak"),
        ("Andersen", "andersen"),
        ("Mensah", "mensah"),
        ("Chen", "chen"),
        ("Silva", "silva"),
        ("Walsh", "walsh"),
        ("Petrov", "petrov"),
        ("Kaur", "kaur"),
        ("Schmidt", "schmidt"),
        ("Yılmaz", "yilmaz"),
        ("Brennan", "brennan"),
        ("Costa", "costa"),
        ("Park", "park"),
        ("Ivanova", "ivanova"),
        ("Moreau", "moreau"),
        ("Baker", "baker"),
        ("Singh", "singh"),
    ];
    const PERSONAL_DOMAINS: &[&str] = &[
        "gmail.com",
        "outlook.com",
        "proton.me",
        "yahoo.co.uk",
        "web.de",
        "icloud.com",
        "hotmail.fr",
        "gmx.net",
    ];

    /// A person: display name (may be non-ASCII), handle and email.
    #[derive(Debug, Clone)]
    pub struct Person {
        pub display: String,
        pub first: &'static str,
        /// ASCII first name.
        pub fa: &'static str,
        /// ASCII last name.
        pub la: &'static str,
        /// Login / handle, e.g. `jokafor`.
        pub user: String,
        pub email: String,
    }

    /// A colleague with a company email at `domain`.
    pub fn person(r: &mut Rng, domain: &str) -> Person {
        let (f, fa) = *r.pick(FIRST);
        let (l, la) = *r.pick(LAST);
        let local = match r.below(5) {
            0 => format!("{}{la}", &fa[..1]),
            1 => format!("{fa}_{la}"),
            2 => fa.to_string(),
            _ => format!("{fa}.{la}"),
        };
        Person {
            display: format!("{f} {l}"),
            first: f,
            fa,
            la,
            user: format!("{}{la}", &fa[..1]),
            email: format!("{local}@{domain}"),
        }
    }

    /// A customer with a personal mailbox.
    pub fn customer(r: &mut Rng) -> Person {
        let dom = r.one(PERSONAL_DOMAINS);
        let mut p = person(r, dom);
        if r.chance(0.3) {
            p.email = format!("{}.{}{}@{dom}", p.fa, p.la, r.range(1, 99));
        } else if r.chance(0.15) {
            p.email = format!(
                "{}.{}+{}@{dom}",
                p.fa,
                p.la,
                r.one(&["shop", "orders", "news"])
            );
        }
        p
    }

    const US_AREAS: &[&str] = &[
        "415", "212", "646", "312", "206", "617", "512", "303", "470", "929", "702", "858",
    ];

    fn us_parts(r: &mut Rng) -> (&'static str, String, String) {
        (
            r.one(US_AREAS),
            format!("{}{}", r.range(2, 9), r.digits(2)),
            r.digits(4),
        )
    }

    /// International phone number in one of many written styles.
    pub fn phone_intl(r: &mut Rng) -> String {
        match r.below(14) {
            0 => format!("+44 20 7{} {}", r.digits(3), r.digits(4)),
            1 => format!("+44 7{} {}", r.digits(3), r.digits(6)),
            2 => {
                let (a, e, n) = us_parts(r);
                format!("+1 ({a}) {e}-{n}")
            }
            3 => {
                let (a, e, n) = us_parts(r);
                format!("+1.{a}.{e}.{n}")
            }
            4 => {
                let (a, e, n) = us_parts(r);
                format!("+1-{a}-{e}-{n}")
            }
            5 => {
                let (a, e, n) = us_parts(r);
                format!("+1{a}{e}{n}")
            }
            6 => format!("+49 30 {}{}", r.range(2, 9), r.digits(5)),
            7 => format!(
                "+49 1{} {}",
                r.one(&["51", "52", "60", "70", "76"]),
                r.digits(8)
            ),
            8 => format!("+4915{}{}", r.range(1, 9), r.digits(8)),
            9 => format!(
                "+33 {} {} {} {} {}",
                r.one(&["1", "6", "7", "4"]),
                r.digits(2),
                r.digits(2),
                r.digits(2),
                r.digits(2)
            ),
            10 => format!("+91 9{} {}", r.digits(4), r.digits(5)),
            11 => {
                if r.chance(0.5) {
                    format!("+61 2 {} {}", r.digits(4), r.digits(4))
                } else {
                    format!("+61 4{} {} {}", r.digits(2), r.digits(3), r.digits(3))
                }
            }
            12 => format!("+81-3-{}-{}", r.digits(4), r.digits(4)),
            _ => format!("+353 87 {} {}", r.digits(3), r.digits(4)),
        }
    }

    /// National-only phone formats.
    pub fn phone_national(r: &mut Rng) -> String {
        match r.below(7) {
            0 | 1 => {
                let (a, e, n) = us_parts(r);
                format!("({a}) {e}-{n}")
            }
            2 => {
                let (a, e, n) = us_parts(r);
                format!("{a}-{e}-{n}")
            }
            3 => format!("020 7{} {}", r.digits(3), r.digits(4)),
            4 => format!("07{} {}", r.digits(3), r.digits(6)),
            5 => format!("030 {}{}", r.range(2, 9), r.digits(6)),
            _ => format!(
                "06 {} {} {} {}",
                r.digits(2),
                r.digits(2),
                r.digits(2),
                r.digits(2)
            ),
        }
    }

    fn luhn_digit(payload: &[u8]) -> u8 {
        let mut sum = 0u32;
        for (i, d) in payload.iter().rev().enumerate() {
            let mut v = u32::from(*d);
            if i % 2 == 0 {
                v *= 2;
                if v > 9 {
                    v -= 9;
                }
            }
            sum += v;
        }
        ((10 - sum % 10) % 10) as u8
    }

    /// Whether a digit string passes the Luhn check.
    pub fn luhn_ok(digits: &str) -> bool {
        let ds: Vec<u8> = digits
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|c| c - b'0')
            .collect();
        match ds.split_last() {
            Some((last, rest)) => luhn_digit(rest) == *last,
            None => false,
        }
    }

    fn group(digits: &str, sizes: &[usize], sep: &str) -> String {
        let mut out = Vec::new();
        let mut i = 0;
        for s in sizes {
            out.push(&digits[i..i + s]);
            i += s;
        }
        out.join(sep)
    }

    /// Luhn-valid card number (Visa, Mastercard, Amex, Discover), maybe spaced.
    pub fn payment_card(r: &mut Rng) -> String {
        let (prefix, len): (String, usize) = match r.below(5) {
            0 | 1 => ("4".into(), 16),
            2 => (format!("5{}", r.range(1, 5)), 16),
            3 => (r.one(&["34", "37"]).into(), 15),
            _ => ("6011".into(), 16),
        };
        let mut ds: Vec<u8> = prefix.bytes().map(|c| c - b'0').collect();
        while ds.len() < len - 1 {
            ds.push(r.below(10) as u8);
        }
        ds.push(luhn_digit(&ds));
        let s: String = ds.iter().map(|d| (b'0' + d) as char).collect();
        let sizes: &[usize] = if len == 15 { &[4, 6, 5] } else { &[4, 4, 4, 4] };
        match r.below(3) {
            0 => s,
            1 => group(&s, sizes, " "),
            _ => group(&s, sizes, "-"),
        }
    }

    /// 16-digit number that fails Luhn (order ids, tracking numbers).
    pub fn non_luhn_16(r: &mut Rng) -> String {
        let mut ds: Vec<u8> = (0..15).map(|_| r.below(10) as u8).collect();
        ds[0] = r.range(1, 9) as u8;
        let bad = (luhn_digit(&ds) + r.range(1, 9) as u8) % 10;
        ds.push(bad);
        ds.iter().map(|d| (b'0' + d) as char).collect()
    }

    fn iban_check(country: &str, bban: &str) -> String {
        let moved = format!("{bban}{country}00");
        let mut rem: u32 = 0;
        for c in moved.chars() {
            let v = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - 'A' as u32 + 10
            };
            rem = if v >= 10 {
                (rem * 100 + v) % 97
            } else {
                (rem * 10 + v) % 97
            };
        }
        format!("{:02}", 98 - rem)
    }

    /// Whether an IBAN (spaces allowed) has a valid mod-97 checksum.
    pub fn iban_ok(iban: &str) -> bool {
        let s: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
        if s.len() < 5 {
            return false;
        }
        iban_check(&s[..2], &s[4..]) == s[2..4]
    }

    /// Valid-checksum IBAN for DE, GB, NL, FR, ES or IT; spaced in fours or not.
    pub fn iban(r: &mut Rng) -> String {
        let (cc, bban) = match r.below(6) {
            0 => ("DE", r.digits(18)),
            1 => (
                "GB",
                format!(
                    "{}{}",
                    r.one(&["NWBK", "BARC", "LOYD", "MIDL", "HBUK"]),
                    r.digits(14)
                ),
            ),
            2 => (
                "NL",
                format!(
                    "{}{}",
                    r.one(&["ABNA", "INGB", "RABO", "TRIO"]),
                    r.digits(10)
                ),
            ),
            3 => ("FR", format!("{}{}", r.digits(21), r.digits(2))),
            4 => ("ES", r.digits(20)),
            _ => ("IT", format!("{}{}", r.chars(UPPER, 1), r.digits(22))),
        };
        let plain = format!("{cc}{}{bban}", iban_check(cc, &bban));
        if r.chance(0.6) {
            let chunks: Vec<String> = plain
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            chunks.join(" ")
        } else {
            plain
        }
    }

    /// US SSN in valid ranges (area 001–899 except 666, group ≠ 00, serial ≠ 0000).
    pub fn ssn(r: &mut Rng) -> String {
        let mut area = r.range(1, 899);
        if area == 666 {
            area = 667;
        }
        format!("{area:03}-{:02}-{:04}", r.range(1, 99), r.range(1, 9999))
    }

    /// UK National Insurance number with a valid prefix.
    pub fn nino(r: &mut Rng) -> String {
        let first = b"ABCEGHJKLMNOPRSTWXYZ";
        let second = b"ABCEGHJKLMNPRSTWXYZ";
        let pre = loop {
            let p = format!("{}{}", r.chars(first, 1), r.chars(second, 1));
            if !matches!(p.as_str(), "BG" | "GB" | "NK" | "KN" | "TN" | "NT" | "ZZ") {
                break p;
            }
        };
        let d = r.digits(6);
        let suf = r.chars(b"ABCD", 1);
        if r.chance(0.5) {
            format!("{pre} {} {} {} {suf}", &d[..2], &d[2..4], &d[4..])
        } else {
            format!("{pre}{d}{suf}")
        }
    }

    // ---- network --------------------------------------------------------------

    /// RFC 1918 or CGNAT (100.64/10) IPv4 address.
    pub fn private_ip(r: &mut Rng) -> String {
        match r.below(10) {
            0..=3 => format!("10.{}.{}.{}", r.below(256), r.below(256), r.range(1, 254)),
            4 | 5 => format!(
                "172.{}.{}.{}",
                r.range(16, 31),
                r.below(256),
                r.range(1, 254)
            ),
            6 | 7 => format!("192.168.{}.{}", r.below(256), r.range(1, 254)),
            8 => format!(
                "100.{}.{}.{}",
                r.range(64, 127),
                r.below(256),
                r.range(1, 254)
            ),
            _ => format!("10.0.{}.{}", r.below(16), r.range(2, 254)),
        }
    }

    /// Kubernetes pod IP.
    pub fn pod_ip(r: &mut Rng) -> String {
        format!(
            "10.{}.{}.{}",
            r.one(&["244", "42", "96", "100", "1"]),
            r.below(64),
            r.range(2, 254)
        )
    }

    /// Unique-local IPv6 (fc00::/7).
    pub fn private_ipv6(r: &mut Rng) -> String {
        format!(
            "fd{:02x}:{:x}:{:x}:{:x}::{:x}",
            r.below(256),
            r.below(65536),
            r.below(65536),
            r.below(256),
            r.range(1, 0xffff)
        )
    }

    /// RFC 5737 documentation IPv4.
    pub fn doc_ip(r: &mut Rng) -> String {
        format!(
            "{}.{}",
            r.one(&["192.0.2", "198.51.100", "203.0.113"]),
            r.range(1, 254)
        )
    }

    /// RFC 3849 documentation IPv6.
    pub fn doc_ipv6(r: &mut Rng) -> String {
        format!("2001:db8:{:x}::{:x}", r.below(0xffff), r.range(1, 0xfff))
    }

    /// Public IPv4 (well-known resolvers or cloud ranges).
    pub fn public_ip(r: &mut Rng) -> String {
        if r.chance(0.5) {
            r.one(&[
                "8.8.8.8",
                "1.1.1.1",
                "8.8.4.4",
                "9.9.9.9",
                "1.0.0.1",
                "140.82.112.3",
                "151.101.1.69",
                "104.16.132.229",
                "185.199.108.153",
                "13.107.42.14",
                "208.67.222.222",
            ])
            .to_string()
        } else {
            let a = r.one(&[
                "3", "13", "18", "34", "35", "44", "52", "54", "104", "151", "185",
            ]);
            format!("{a}.{}.{}.{}", r.below(256), r.below(256), r.range(1, 254))
        }
    }

    /// Internal host name (`*.internal`, `*.svc.cluster.local`, `*.corp`, …).
    pub fn internal_host(r: &mut Rng, c: &Ctx) -> String {
        let org = c.org;
        match r.below(14) {
            0 => format!("pg-main-{}.db.internal", r.below(3)),
            1 => format!("{}.{}.svc.cluster.local", c.app, c.ns),
            2 => format!(
                "redis-master.{}.svc.cluster.local",
                r.one(&["cache", "redis", c.ns])
            ),
            3 => format!("jenkins.{org}.corp"),
            4 => format!("vault.{org}.internal"),
            5 => format!("build{:02}.{org}.intranet", r.range(1, 12)),
            6 => format!("nas{:02}.lan", r.range(1, 4)),
            7 => format!(
                "ip-10-{}-{}-{}.ec2.internal",
                r.below(256),
                r.below(256),
                r.range(1, 254)
            ),
            8 => format!(
                "ip-172-{}-{}-{}.{}.compute.internal",
                r.range(16, 31),
                r.below(256),
                r.range(1, 254),
                c.region
            ),
            9 => format!(
                "kafka-{}.kafka-headless.{}.svc.cluster.local",
                r.below(3),
                c.ns
            ),
            10 => format!("ldap.{org}.corp"),
            11 => format!(
                "mysql-{}.{org}.internal",
                r.one(&["primary", "replica-1", "orders"])
            ),
            12 => format!(
                "{}-{}.local",
                r.one(&["printer", "grafana", "pihole", "minio"]),
                r.range(1, 9)
            ),
            _ => format!("gitlab.{org}.intranet"),
        }
    }

    /// Database host: internal name, private IP, or a public managed endpoint.
    /// Returns the host and the class it should be labelled with (`None` = carrier).
    pub fn db_host(r: &mut Rng, c: &Ctx, engine: &str) -> (String, Option<&'static str>) {
        match r.below(6) {
            0 | 1 => (
                match engine {
                    "redis" => format!("redis-master.{}.svc.cluster.local", c.ns),
                    "mysql" => format!("mysql-primary.{}.internal", c.org),
                    "mongodb" => format!("mongo-0.mongo.{}.svc.cluster.local", c.ns),
                    "amqp" => format!("rabbitmq.{}.svc.cluster.local", c.ns),
                    _ => format!("pg-main-{}.db.internal", r.below(3)),
                },
                Some("internal-hostname"),
            ),
            2 => (internal_host(r, c), Some("internal-hostname")),
            3 => (private_ip(r), Some("private-ip")),
            _ => (
                match engine {
                    "redis" => format!(
                        "{}-{}.{}.ng.0001.{}.cache.amazonaws.com",
                        c.app,
                        c.env,
                        r.chars(LOWER_ALNUM, 6),
                        c.region
                    ),
                    "amqp" => format!("b-{}.mq.{}.amazonaws.com", uuid(r), c.region),
                    _ => format!(
                        "{}-{}.c{}.{}.rds.amazonaws.com",
                        c.app,
                        c.env,
                        r.chars(LOWER_ALNUM, 10),
                        c.region
                    ),
                },
                None,
            ),
        }
    }

    /// A whole internal URL.
    pub fn internal_url(r: &mut Rng, c: &Ctx) -> String {
        match r.below(8) {
            0 => format!(
                "http://grafana.monitoring.svc.cluster.local:3000/d/{}/{}-overview?orgId=1",
                r.chars(ALNUM, 9),
                c.app
            ),
            1 => format!(
                "https://jenkins.{}.corp/job/{}/{}/console",
                c.org,
                c.app,
                r.range(100, 4000)
            ),
            2 => format!(
                "https://vault.{}.internal:8200/ui/vault/secrets/kv/show/{}",
                c.org, c.app
            ),
            3 => format!("http://{}:9090/graph?g0.expr=up", private_ip(r)),
            4 => format!(
                "https://kibana.{}.intranet/app/discover#/?_a=(index:'{}')",
                c.org, c.app
            ),
            5 => format!("http://{}.{}.svc.cluster.local:8080/healthz", c.app, c.ns),
            6 => format!(
                "https://argocd.{}.internal/applications/{}-{}",
                c.org, c.app, c.env
            ),
            _ => format!("https://wiki.{}.corp/display/OPS/{}+Runbook", c.org, c.app),
        }
    }

    // ---- hard negatives ---------------------------------------------------------

    pub fn git_sha(r: &mut Rng) -> String {
        r.hex(40)
    }

    pub fn short_sha(r: &mut Rng) -> String {
        let n = r.range(7, 12);
        r.hex(n)
    }

    pub fn sha256_hex(r: &mut Rng) -> String {
        r.hex(64)
    }

    pub fn image_digest(r: &mut Rng) -> String {
        format!("sha256:{}", r.hex(64))
    }

    /// Random v4 UUID.
    pub fn uuid(r: &mut Rng) -> String {
        let h = r.hex(32);
        let var = r.one(&["8", "9", "a", "b"]);
        format!(
            "{}-{}-4{}-{var}{}-{}",
            &h[..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..]
        )
    }

    /// W3C `traceparent` header value.
    pub fn traceparent(r: &mut Rng) -> String {
        format!("00-{}-{}-01", r.hex(32), r.hex(16))
    }

    /// AWS X-Ray trace id.
    pub fn amzn_trace_id(r: &mut Rng, t: i64) -> String {
        format!("Root=1-{t:08x}-{}", r.hex(24))
    }

    /// Request ids as different services print them.
    pub fn request_id(r: &mut Rng) -> String {
        match r.below(4) {
            0 => format!("req_{}", r.chars(ALNUM, 14)),
            1 => format!(
                "{}:{}:{}:{}:{}",
                r.chars(HEX_UP, 4),
                r.chars(HEX_UP, 4),
                r.chars(HEX_UP, 6),
                r.chars(HEX_UP, 6),
                r.chars(HEX_UP, 8)
            ),
            2 => r.chars(UPPER_ALNUM, 16),
            _ => r.hex(32),
        }
    }

    /// npm lockfile `integrity` value.
    pub fn npm_integrity(r: &mut Rng) -> String {
        format!("sha512-{}", b64(&r.bytes(64)))
    }

    /// go.sum `h1:` hash.
    pub fn gosum_h1(r: &mut Rng) -> String {
        format!("h1:{}", b64(&r.bytes(32)))
    }

    /// SSH public key line (type, body, comment).
    pub fn ssh_public_key(r: &mut Rng, comment: &str) -> String {
        let body = match r.below(3) {
            0 => format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{}", r.chars(B64, 43)),
            1 => format!(
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{}",
                r.chars(B64, 514)
            ),
            _ => format!(
                "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB{}=",
                r.chars(B64, 87)
            ),
        };
        format!("{body} {comment}")
    }

    /// `ssh-ed25519 AAAA… comment`.
    pub fn ssh_ed25519_pub(r: &mut Rng, comment: &str) -> String {
        format!(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} {comment}",
            r.chars(B64, 43)
        )
    }

    /// OpenSSH fingerprint `SHA256:…`.
    pub fn ssh_fingerprint(r: &mut Rng) -> String {
        format!("SHA256:{}", b64_with(&r.bytes(32), B64, false))
    }

    /// GPG fingerprint in the usual 10×4 grouping.
    pub fn gpg_fingerprint(r: &mut Rng) -> String {
        let h = r.chars(HEX_UP, 40);
        let g: Vec<&str> = (0..10).map(|i| &h[i * 4..i * 4 + 4]).collect();
        format!("{}  {}", g[..5].join(" "), g[5..].join(" "))
    }

    /// ARN that names a resource (no secret in it).
    pub fn arn(r: &mut Rng, c: &Ctx) -> String {
        let (acct, reg) = (&c.account, c.region);
        match r.below(7) {
            0 => format!(
                "arn:aws:iam::{acct}:role/{}",
                r.one(&["deploy", "github-actions-deployer", "eks-node", "terraform"])
            ),
            1 => format!("arn:aws:s3:::{}-{}-artifacts", c.org, c.env),
            2 => format!("arn:aws:kms:{reg}:{acct}:key/{}", uuid(r)),
            3 => format!(
                "arn:aws:secretsmanager:{reg}:{acct}:secret:{}/{}/db-{}",
                c.env,
                c.app,
                r.chars(ALNUM, 6)
            ),
            4 => format!(
                "arn:aws:lambda:{reg}:{acct}:function:{}-{}",
                c.app,
                r.one(&["worker", "cron", "webhook"])
            ),
            5 => format!("arn:aws:rds:{reg}:{acct}:db:{}-{}", c.app, c.env),
            _ => format!("arn:aws:sns:{reg}:{acct}:{}-alerts", c.env),
        }
    }

    /// EC2 / VPC resource id.
    pub fn cloud_resource_id(r: &mut Rng) -> String {
        let p = r.one(&[
            "i-0", "vpc-0", "subnet-0", "sg-0", "ami-0", "vol-0", "eni-0",
        ]);
        format!("{p}{}", r.hex(16))
    }

    /// Version string in one of the common shapes.
    pub fn version(r: &mut Rng) -> String {
        let (a, b, c) = (r.range(0, 4), r.range(0, 30), r.range(0, 20));
        match r.below(6) {
            0 => format!("{a}.{b}.{c}+build.{}", r.range(1, 400)),
            1 => format!("{a}.{b}.{c}-rc.{}", r.range(1, 5)),
            2 | 3 => format!("v{a}.{b}.{c}"),
            _ => format!("{a}.{b}.{c}"),
        }
    }

    /// Pod name `app-<rs-hash>-<suffix>`.
    pub fn pod_name(r: &mut Rng, app: &str) -> String {
        const K8S: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        let n = r.range(9, 10);
        format!("{app}-{}-{}", r.chars(K8S, n), r.chars(K8S, 5))
    }

    /// Base64 of an ordinary JSON config (not a secret).
    pub fn base64_config(r: &mut Rng, c: &Ctx) -> String {
        let json = match r.below(3) {
            0 => format!(
                "{{\"logLevel\":\"{}\",\"features\":{{\"newCheckout\":{},\"darkMode\":true}},\"region\":\"{}\"}}",
                r.one(&["info", "debug", "warn"]),
                r.chance(0.5),
                c.region
            ),
            1 => "server {\n  listen 8080;\n  location /healthz { return 200; }\n}\n".to_string(),
            _ => format!(
                "[{}]\nreplicas = {}\ntimeout = \"{}s\"\n",
                c.app,
                r.range(2, 6),
                r.range(5, 60)
            ),
        };
        b64(json.as_bytes())
    }

    // ---- PEM material -------------------------------------------------------------

    /// Wraps a base64 body into a PEM block.
    pub fn pem(label: &str, body: &str, width: usize) -> String {
        let mut s = format!("-----BEGIN {label}-----\n");
        for chunk in body.as_bytes().chunks(width) {
            s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            s.push('\n');
        }
        let _ = write!(s, "-----END {label}-----");
        s
    }

    /// Base64 of `n` random bytes whose first characters are a real DER prefix.
    fn der_b64(r: &mut Rng, prefix: &str, n: usize) -> String {
        let mut s = b64(&r.bytes(n));
        s.replace_range(0..prefix.len(), prefix);
        s
    }

    pub fn rsa_private_pem(r: &mut Rng) -> String {
        let n = r.range(1190, 1193);
        pem("RSA PRIVATE KEY", &der_b64(r, "MIIEpAIBAAKCAQEA", n), 64)
    }

    pub fn pkcs8_private_pem(r: &mut Rng) -> String {
        let n = r.range(1216, 1219);
        pem(
            "PRIVATE KEY",
            &der_b64(r, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", n),
            64,
        )
    }

    pub fn ec_private_pem(r: &mut Rng) -> String {
        pem("EC PRIVATE KEY", &der_b64(r, "MHcCAQEEI", 121), 64)
    }

    pub fn ed25519_private_pem(r: &mut Rng) -> String {
        pem("PRIVATE KEY", &der_b64(r, "MC4CAQAwBQYDK2VwBCIEI", 48), 64)
    }

    pub fn openssh_private(r: &mut Rng) -> String {
        let body = der_b64(
            r,
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACA",
            261,
        );
        pem("OPENSSH PRIVATE KEY", &body, 70)
    }

    pub fn encrypted_private_pem(r: &mut Rng) -> String {
        pem(
            "ENCRYPTED PRIVATE KEY",
            &der_b64(r, "MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAh", 239),
            64,
        )
    }

    /// Any private key PEM, weighted towards the common ones.
    pub fn any_private_pem(r: &mut Rng) -> String {
        match r.below(6) {
            0 | 1 => rsa_private_pem(r),
            2 => pkcs8_private_pem(r),
            3 => ec_private_pem(r),
            4 => ed25519_private_pem(r),
            _ => openssh_private(r),
        }
    }

    /// Short private key (for base64-in-YAML contexts).
    pub fn small_private_pem(r: &mut Rng) -> String {
        if r.chance(0.5) {
            ec_private_pem(r)
        } else {
            ed25519_private_pem(r)
        }
    }

    pub fn certificate_pem(r: &mut Rng) -> String {
        if r.chance(0.4) {
            let n = r.range(440, 560);
            pem("CERTIFICATE", &der_b64(r, "MIIB", n), 64)
        } else {
            let n = r.range(760, 1000);
            pem("CERTIFICATE", &der_b64(r, "MIIDdzCCAl+gAwIBAgIU", n), 64)
        }
    }

    pub fn public_key_pem(r: &mut Rng) -> String {
        if r.chance(0.5) {
            pem(
                "PUBLIC KEY",
                &der_b64(r, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", 91),
                64,
            )
        } else {
            pem(
                "PUBLIC KEY",
                &der_b64(r, "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 294),
                64,
            )
        }
    }

    pub fn pgp_public_key(r: &mut Rng) -> String {
        let body = der_b64(r, "mDMEZ", 246);
        let mut s = String::from("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n");
        for chunk in body.as_bytes().chunks(64) {
            s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            s.push('\n');
        }
        let _ = write!(
            s,
            "={}\n-----END PGP PUBLIC KEY BLOCK-----",
            r.chars(B64, 4)
        );
        s
    }
}

// ---------------------------------------------------------------------------
// Shared writers: labelled fragments used by several kinds
// ---------------------------------------------------------------------------

/// Host labelled by its class (`None` = public name, plain carrier text).
fn w_host(b: &mut DocBuilder, host: &str, class: Option<&'static str>) {
    match class {
        Some(cl) => {
            b.secret(cl, host);
        }
        None => {
            b.text(host);
        }
    }
}

fn db_name(c: &Ctx) -> String {
    c.app.replace('-', "_")
}

/// `scheme://user:PASSWORD@host:port/db` for a given scheme.
fn w_db_url_of(b: &mut DocBuilder, r: &mut Rng, c: &Ctx, scheme: &str) {
    let db = db_name(c);
    let user = r.one(&[
        "app",
        "svc_app",
        "postgres",
        "admin",
        "root",
        "readwrite",
        "migrator",
    ]);
    let pw = if r.chance(0.2) {
        pct(&mk::password(r))
    } else {
        mk::password_safe(r)
    };
    t!(b, "{scheme}://");
    if scheme != "redis" || r.chance(0.5) {
        b.neutral_as("username", if scheme == "redis" { "default" } else { user });
    }
    b.text(":").secret("url-password", &pw).text("@");
    if scheme == "mongodb+srv" {
        t!(
            b,
            "cluster0.{}.mongodb.net/{db}?retryWrites=true&w=majority",
            r.chars(LOWER_ALNUM, 5)
        );
        return;
    }
    let engine = if scheme == "postgresql" {
        "postgres"
    } else {
        scheme
    };
    let (host, cl) = mk::db_host(r, c, engine);
    w_host(b, &host, cl);
    match scheme {
        "mysql" => t!(b, ":3306/{db}"),
        "redis" => t!(b, ":6379/{}", r.below(4)),
        "amqp" => t!(b, ":5672/%2F"),
        _ => t!(
            b,
            ":5432/{db}{}",
            if r.chance(0.3) {
                "?sslmode=require"
            } else {
                ""
            }
        ),
    };
}

/// A database URL with a random scheme.
fn w_db_url(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    let scheme = r.one(&[
        "postgres",
        "postgres",
        "postgresql",
        "mysql",
        "redis",
        "mongodb+srv",
        "amqp",
    ]);
    w_db_url_of(b, r, c, scheme);
}

/// Non-URL connection strings (ADO.NET, libpq keywords, JDBC, Npgsql).
fn w_conn_string(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    let db = db_name(c);
    let user = r.one(&["app", "svc_orders", "sa_app", "reporting"]);
    let pw = mk::password_safe(r);
    match r.below(4) {
        0 => {
            t!(
                b,
                "Server=tcp:{}-{}.database.windows.net,1433;Initial Catalog={db};Persist Security Info=False;User ID=",
                c.org,
                c.env
            );
            b.neutral_as("username", user)
                .text(";Password=")
                .secret("connection-string-password", &pw);
            b.text(";MultipleActiveResultSets=False;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;");
        }
        1 => {
            let (h, cl) = mk::db_host(r, c, "postgres");
            b.text("host=");
            w_host(b, &h, cl);
            t!(b, " port=5432 dbname={db} user=").neutral_as("username", user);
            b.text(" password=")
                .secret("connection-string-password", &pw)
                .text(" sslmode=require");
        }
        2 => {
            let (h, cl) = mk::db_host(r, c, "mysql");
            b.text("jdbc:mysql://");
            w_host(b, &h, cl);
            t!(b, ":3306/{db}?useSSL=true&user=").neutral_as("username", user);
            b.text("&password=")
                .secret("connection-string-password", &pw);
        }
        _ => {
            let (h, cl) = mk::db_host(r, c, "postgres");
            b.text("Host=");
            w_host(b, &h, cl);
            t!(b, ";Port=5432;Database={db};Username=").neutral_as("username", user);
            b.text(";Password=")
                .secret("connection-string-password", &pw)
                .text(";SSL Mode=Require");
        }
    }
}

fn storage_account(c: &Ctx) -> String {
    format!("{}{}sa", c.org, &c.env[..c.env.len().min(4)])
}

/// Azure Storage connection string.
fn w_azure_conn(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    t!(
        b,
        "DefaultEndpointsProtocol=https;AccountName={};AccountKey=",
        storage_account(c)
    );
    b.secret("azure-storage-key", &mk::azure_storage_key(r))
        .text(";EndpointSuffix=core.windows.net");
}

/// Blob URL with a SAS query string.
fn w_sas_url(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    t!(
        b,
        "https://{}.blob.core.windows.net/{}/{}-{}.tar.gz?sv=2022-11-02&ss=b&srt=o&sp=r&se=",
        storage_account(c),
        r.one(&["artifacts", "backups", "exports"]),
        c.app,
        ts_date(c.t)
    );
    b.negative("timestamp", &ts_iso_z(c.t + 7 * 86_400))
        .text("&st=")
        .negative("timestamp", &ts_iso_z(c.t));
    b.text("&spr=https&sig=")
        .secret("azure-sas-token", &mk::azure_sas_sig(r));
}

/// Sentry DSN; only the public key part is secret-ish.
fn w_sentry_dsn(b: &mut DocBuilder, r: &mut Rng) {
    b.text("https://").secret("vendor-token", &r.hex(32));
    t!(
        b,
        "@o{}.ingest.{}sentry.io/45{}",
        r.range(100_000, 4_999_999),
        r.one(&["", "us.", "de."]),
        r.digits(14)
    );
}

/// Registry host; the in-house Nexus is an internal host name.
fn w_registry(b: &mut DocBuilder, server: &str) {
    match server.split_once(".corp") {
        Some((name, rest)) => {
            b.secret("internal-hostname", &format!("{name}.corp"))
                .text(rest);
        }
        None => {
            b.text(server);
        }
    }
}

/// A registry credential: (server, user, class, secret).
fn registry_cred(r: &mut Rng, c: &Ctx) -> (String, String, &'static str, String) {
    let p = mk::person(r, c.domain);
    match r.below(4) {
        0 => (
            "ghcr.io".into(),
            p.user,
            "github-token",
            format!("ghp_{}", r.chars(ALNUM, 36)),
        ),
        1 => (
            "registry.gitlab.com".into(),
            p.user,
            "gitlab-token",
            format!("glpat-{}", r.chars(B64URL, 20)),
        ),
        2 => (
            "https://index.docker.io/v1/".into(),
            format!("{}ci", c.org),
            "vendor-token",
            format!("dckr_pat_{}", r.chars(B64URL, 27)),
        ),
        _ => (
            format!("nexus.{}.corp:8443", c.org),
            "deploy".into(),
            "password-assignment",
            mk::password(r),
        ),
    }
}

// ---------------------------------------------------------------------------
// Kinds
// ---------------------------------------------------------------------------

/// `.env` files (Tune); `export` scripts and `heroku config` output (HeldOut).
fn env_file(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    if held {
        if r.chance(0.5) {
            env_export_script(r, b, c);
        } else {
            env_heroku_config(r, b, c);
        }
        return;
    }
    let who = mk::person(r, c.domain);
    t!(b, "# {} — {} environment\n", c.app, c.env);
    if r.chance(0.6) {
        b.text("# generated ")
            .negative("timestamp", &ts_iso_off(c.t, c.off))
            .text(" by ");
        b.neutral_as("person-name", &who.display)
            .text(" — do NOT commit\n");
    }
    b.nl();
    let mut groups: Vec<usize> = (0..21).collect();
    r.shuffle(&mut groups[2..]);
    let n = r.range(9, 13);
    for &g in groups.iter().take(n) {
        match g {
            0 => {
                t!(
                    b,
                    "NODE_ENV=production\nPORT={}\nLOG_LEVEL={}\n",
                    r.one(&["3000", "8080", "8000"]),
                    r.one(&["info", "debug", "warn"])
                );
            }
            1 => {
                b.text("APP_VERSION=")
                    .negative("version", &mk::version(r))
                    .nl();
                b.text("GIT_COMMIT=")
                    .negative("git-sha", &mk::git_sha(r))
                    .nl();
            }
            2 => {
                b.text("\n# database\nDATABASE_URL=");
                w_db_url(b, r, c);
                t!(b, "\nDB_POOL_SIZE={}\n", r.range(5, 40));
            }
            3 => {
                b.text("REDIS_URL=");
                w_db_url_of(b, r, c, "redis");
                b.nl();
            }
            4 => {
                let k = r.one(&[
                    "SECRET_KEY_BASE",
                    "SESSION_SECRET",
                    "JWT_SECRET",
                    "APP_KEY",
                    "COOKIE_SECRET",
                ]);
                t!(b, "{k}=")
                    .shell_secret("generic-secret-assignment", &mk::generic_secret(r))
                    .nl();
            }
            5 => {
                b.text("\n# payments\nSTRIPE_SECRET_KEY=")
                    .shell_secret("stripe-key", &mk::stripe_secret(r))
                    .nl();
                b.text("STRIPE_PUBLISHABLE_KEY=")
                    .neutral_as("publishable-key", &mk::stripe_publishable(r))
                    .nl();
                if r.chance(0.6) {
                    b.text("STRIPE_WEBHOOK_SECRET=")
                        .shell_secret("stripe-key", &mk::stripe_webhook_secret(r))
                        .nl();
                }
            }
            6 => {
                b.text("SENDGRID_API_KEY=")
                    .shell_secret("sendgrid-key", &mk::sendgrid_key(r))
                    .nl();
                b.text("MAIL_FROM=")
                    .secret("email", &format!("noreply@{}", c.domain))
                    .nl();
            }
            7 => {
                b.text("AWS_ACCESS_KEY_ID=")
                    .secret("aws-access-key", &mk::aws_access_key(r))
                    .nl();
                b.text("AWS_SECRET_ACCESS_KEY=")
                    .shell_secret("aws-secret-key", &mk::aws_secret_key(r))
                    .nl();
                t!(
                    b,
                    "AWS_REGION={}\nS3_BUCKET={}-{}-uploads\n",
                    c.region,
                    c.org,
                    c.env
                );
            }
            8 => {
                b.text("SENTRY_DSN=");
                w_sentry_dsn(b, r);
                t!(b, "\nSENTRY_ENVIRONMENT={}\n", c.env);
            }
            9 => {
                b.text("SLACK_WEBHOOK_URL=")
                    .secret("slack-webhook", &mk::slack_webhook(r))
                    .nl();
            }
            10 => {
                b.text("GITHUB_TOKEN=")
                    .shell_secret("github-token", &mk::github_token(r))
                    .nl();
            }
            11 => {
                b.text("ALLOWED_HOSTS=")
                    .negative("documentation-address", "app.example.com")
                    .text(",localhost,");
                t!(b, "{}\nPUBLIC_URL=https://app.{}\n", c.domain, c.domain);
            }
            12 => {
                b.text("\n# ask #platform for these, never commit real values\nAPI_KEY=");
                let ph = r.one(&["<YOUR_TOKEN>", "REPLACE_ME", "your-api-key-here"]);
                b.negative("placeholder", ph)
                    .text("\nADMIN_PASSWORD=")
                    .negative("placeholder", r.one(&["changeme", "********", "xxxxxxxx"]))
                    .nl();
            }
            13 => {
                b.text("OTEL_EXPORTER_OTLP_ENDPOINT=");
                let u = format!(
                    "http://otel-collector.observability.svc.cluster.local:{}",
                    r.one(&["4317", "4318"])
                );
                b.secret("internal-url", &u)
                    .text("\nOTEL_SERVICE_NAME=")
                    .neutral_as("service-name", c.app)
                    .nl();
                b.text("REQUEST_TIMEOUT=")
                    .negative("duration", r.one(&["30s", "15s", "2m", "500ms"]))
                    .nl();
            }
            14 => {
                b.text("AZURE_STORAGE_CONNECTION_STRING=\"");
                w_azure_conn(b, r, c);
                b.text("\"\n");
            }
            15 => {
                b.text("DB_CONNECTION_STRING=\"");
                w_conn_string(b, r, c);
                b.text("\"\n");
            }
            16 => {
                b.text("TWILIO_ACCOUNT_SID=")
                    .neutral_as("key-id", &mk::twilio_account_sid(r))
                    .nl();
                b.text("TWILIO_AUTH_TOKEN=")
                    .secret("twilio-key", &r.hex(32))
                    .nl();
                if r.chance(0.5) {
                    b.text("TWILIO_API_KEY=")
                        .secret("twilio-key", &mk::twilio_api_key(r))
                        .nl();
                }
            }
            19 => {
                b.text("VAULT_ADDR=")
                    .secret(
                        "internal-url",
                        &format!("https://vault.{}.internal:8200", c.org),
                    )
                    .text("\nVAULT_TOKEN=")
                    .shell_secret("vault-token", &mk::vault_token(r))
                    .nl();
            }
            20 => {
                b.text("EXPORT_UPLOAD_URL=\"");
                w_sas_url(b, r, c);
                b.text("\"\n");
            }
            17 => {
                let k = r.one(&["FIREBASE_API_KEY", "GOOGLE_MAPS_API_KEY", "GCP_API_KEY"]);
                t!(b, "{k}=")
                    .shell_secret("gcp-api-key", &mk::gcp_api_key(r))
                    .nl();
            }
            _ => {
                let v = mk::vendor_token(r);
                t!(b, "# {}\n{}=", v.name, v.env)
                    .shell_secret("vendor-token", &v.value)
                    .nl();
            }
        }
    }
}

/// `export` script sourced before running tools.
fn env_export_script(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "#!/usr/bin/env bash\n# source me:  . ./{}-{}.sh\n",
        c.app,
        c.env
    );
    b.text("# last rotated ").negative(
        "timestamp",
        &ts_iso_off(c.t - 86_400 * r.range(3, 90) as i64, c.off),
    );
    b.text(" — rotate again after the migration!\nset -a\n");
    let mut groups: Vec<usize> = (0..15).collect();
    r.shuffle(&mut groups[1..]);
    let n = r.range(8, 11);
    for &g in groups.iter().take(n) {
        match g {
            0 => {
                t!(b, "export APP_ENV='{}'\nexport OTEL_SERVICE_NAME=", c.env)
                    .neutral_as("service-name", c.app)
                    .text("\nexport RELEASE=")
                    .negative("version", &mk::version(r));
                b.text("\nexport BUILD_ID=")
                    .negative("uuid", &mk::uuid(r))
                    .nl();
            }
            1 => {
                b.text("export DB_HOST=");
                if r.chance(0.5) {
                    b.secret("private-ip", &mk::private_ip(r));
                } else {
                    b.secret("internal-hostname", &mk::internal_host(r, c));
                }
                t!(b, "\nexport DB_USER=svc_{}\nexport DB_PASS=", db_name(c))
                    .shell_secret("password-assignment", &mk::password(r))
                    .nl();
            }
            2 | 11 => {
                let v = mk::vendor_token(r);
                t!(b, "export {}=", v.env)
                    .shell_secret("vendor-token", &v.value)
                    .nl();
            }
            3 => {
                b.text("export DD_API_KEY=")
                    .shell_secret("datadog-key", &r.hex(32))
                    .nl();
                b.text("export DD_APP_KEY=")
                    .shell_secret("datadog-key", &r.hex(40))
                    .nl();
                b.text("export DD_SITE=datadoghq.eu\n");
            }
            4 => {
                b.text("export TWILIO_ACCOUNT_SID=")
                    .neutral_as("key-id", &mk::twilio_account_sid(r))
                    .nl();
                b.text("export TWILIO_AUTH_TOKEN=")
                    .shell_secret("twilio-key", &r.hex(32))
                    .nl();
            }
            5 => {
                b.text("export VAULT_ADDR=")
                    .secret(
                        "internal-url",
                        &format!("https://vault.{}.internal:8200", c.org),
                    )
                    .nl();
                b.text("export VAULT_TOKEN=")
                    .shell_secret("vault-token", &mk::vault_token(r))
                    .nl();
            }
            6 => {
                b.text("export GOOGLE_MAPS_API_KEY=")
                    .shell_secret("gcp-api-key", &mk::gcp_api_key(r))
                    .nl();
            }
            7 => {
                t!(
                    b,
                    "export KUBECONFIG=~/.kube/{}.yaml\nexport IMAGE_DIGEST=",
                    c.env
                )
                .negative("image-digest", &mk::image_digest(r))
                .nl();
            }
            8 => {
                b.text("export AWS_ACCESS_KEY_ID=")
                    .secret("aws-access-key", &mk::aws_access_key(r))
                    .nl();
                b.text("export AWS_SECRET_ACCESS_KEY=")
                    .shell_secret("aws-secret-key", &mk::aws_secret_key(r))
                    .nl();
                if r.chance(0.7) {
                    b.text("export AWS_SESSION_TOKEN=")
                        .shell_secret("aws-session-token", &mk::aws_session_token(r))
                        .nl();
                }
            }
            14 => {
                b.text("export PG_DSN=\"");
                w_conn_string(b, r, c);
                b.text("\"\n");
            }
            9 => {
                b.text("export NPM_TOKEN=\"")
                    .negative("placeholder", "${NPM_TOKEN:?set NPM_TOKEN first}")
                    .text("\"\n");
                b.text("export GH_TOKEN=\"")
                    .negative("placeholder", "$(gh auth token)")
                    .text("\"\n");
            }
            10 => {
                b.text("export CI_COMMIT_SHORT_SHA=")
                    .negative("git-sha", &mk::short_sha(r));
                t!(b, "\nexport TRACE_SAMPLE_RATIO=0.{}\n", r.range(1, 5));
            }
            12 => {
                let p = mk::person(r, c.domain);
                b.text("export SMTP_USER=")
                    .secret("email", &p.email)
                    .text("\nexport SMTP_PASSWORD=")
                    .shell_secret("password-assignment", &mk::password(r))
                    .nl();
            }
            _ => {
                b.text("export REDIS_URL=\"");
                w_db_url_of(b, r, c, "redis");
                b.text("\"\n");
            }
        }
    }
    t!(b, "set +a\necho \"loaded {} env ($(date -Is))\"\n", c.env);
}

/// `heroku config` output: aligned `KEY: value` pairs, sorted.
fn env_heroku_config(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let app = format!("{}-{}", c.app, c.env);
    t!(b, "$ heroku config -a {app}\n=== {app} Config Vars\n");
    let mut keys: Vec<&str> = vec![
        "DATABASE_URL",
        "HEROKU_APP_ID",
        "HEROKU_RELEASE_CREATED_AT",
        "HEROKU_RELEASE_VERSION",
        "HEROKU_SLUG_COMMIT",
        "LANG",
        "RACK_ENV",
        "WEB_CONCURRENCY",
    ];
    for k in r.sample(
        &[
            "MAILGUN_API_KEY",
            "MAILGUN_DOMAIN",
            "PAPERTRAIL_API_TOKEN",
            "REDIS_TLS_URL",
            "SECRET_KEY_BASE",
            "SENTRY_DSN",
            "STRIPE_API_KEY",
            "ROLLBAR_ACCESS_TOKEN",
            "NEW_RELIC_LICENSE_KEY",
        ],
        5,
    ) {
        keys.push(k);
    }
    keys.sort_unstable();
    for k in keys {
        t!(b, "{:<27}", format!("{k}:"));
        match k {
            "DATABASE_URL" | "REDIS_TLS_URL" => {
                let ip = mk::public_ip(r).replace('.', "-");
                if k == "DATABASE_URL" {
                    b.text("postgres://")
                        .neutral_as("username", &format!("u{}", r.chars(LOWER_ALNUM, 13)));
                    b.text(":")
                        .secret("url-password", &format!("p{}", r.hex(64)));
                    t!(
                        b,
                        "@ec2-{ip}.compute-1.amazonaws.com:5432/d{}",
                        r.chars(LOWER_ALNUM, 13)
                    );
                } else {
                    b.text("rediss://:")
                        .secret("url-password", &format!("p{}", r.hex(64)));
                    t!(
                        b,
                        "@ec2-{ip}.compute-1.amazonaws.com:{}",
                        r.range(10_000, 32_000)
                    );
                }
            }
            "HEROKU_APP_ID" => {
                b.negative("uuid", &mk::uuid(r));
            }
            "HEROKU_RELEASE_CREATED_AT" => {
                b.negative("timestamp", &ts_iso_z(c.t));
            }
            "HEROKU_RELEASE_VERSION" => {
                t!(b, "v{}", r.range(40, 900));
            }
            "HEROKU_SLUG_COMMIT" => {
                b.negative("git-sha", &mk::git_sha(r));
            }
            "LANG" => {
                b.text("en_US.UTF-8");
            }
            "RACK_ENV" => {
                b.text("production");
            }
            "WEB_CONCURRENCY" => {
                t!(b, "{}", r.range(2, 5));
            }
            "MAILGUN_API_KEY" => {
                b.secret("vendor-token", &format!("key-{}", r.hex(32)));
            }
            "MAILGUN_DOMAIN" => {
                t!(b, "mg.{}", c.domain);
            }
            "PAPERTRAIL_API_TOKEN" => {
                b.secret("generic-secret-assignment", &r.chars(ALNUM, 20));
            }
            "SECRET_KEY_BASE" => {
                b.secret("generic-secret-assignment", &r.hex(128));
            }
            "SENTRY_DSN" => w_sentry_dsn(b, r),
            "STRIPE_API_KEY" => {
                b.secret("stripe-key", &mk::stripe_secret(r));
            }
            "ROLLBAR_ACCESS_TOKEN" => {
                b.secret("generic-secret-assignment", &r.hex(32));
            }
            _ => {
                b.secret("vendor-token", &format!("{}NRAL", r.hex(36)));
            }
        }
        b.nl();
    }
    if r.chance(0.5) {
        t!(
            b,
            "$ heroku releases -a {app} -n 1\n=== {app} Releases - Current: v{}\n",
            r.range(40, 900)
        );
        b.text("v")
            .text(&r.range(40, 900).to_string())
            .text("  Deploy ")
            .negative("git-sha", &mk::short_sha(r));
        let p = mk::person(r, c.domain);
        b.text("  ")
            .secret("email", &p.email)
            .text("  ")
            .negative("timestamp", &ts_iso_off(c.t, c.off))
            .nl();
    }
}

/// Helm values: an in-house app chart (Tune) or vendor charts (HeldOut).
fn helm_values(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    if held {
        helm_values_vendor(r, b, c);
        return;
    }
    t!(b, "# values-{}.yaml for the {} chart\n", c.env, c.app);
    t!(
        b,
        "replicaCount: {}\n\nimage:\n  repository: ghcr.io/{}/{}\n  tag: \"",
        r.range(2, 6),
        c.org,
        c.app
    );
    b.negative("version", &mk::version(r)).text("\"\n");
    if r.chance(0.6) {
        b.text("  digest: ")
            .negative("image-digest", &mk::image_digest(r))
            .nl();
    }
    b.text("  pullPolicy: IfNotPresent\n\nimagePullSecrets:\n  - name: ")
        .negative("secret-ref", &format!("ghcr-{}-pull", c.org));
    if r.chance(0.5) {
        // Values encrypted in place with SOPS are safe to share.
        let n = r.range(40, 90);
        b.text("\n\n# encrypted with sops (age)\nsentryDsn: ")
            .negative(
                "encrypted-data",
                &format!(
                    "ENC[AES256_GCM,data:{},iv:{},tag:{},type:str]",
                    b64(&r.bytes(n)),
                    b64(&r.bytes(32)),
                    b64(&r.bytes(16))
                ),
            );
    }
    b.text("\n\npodAnnotations:\n  checksum/config: ")
        .negative("content-hash", &mk::sha256_hex(r))
        .nl();
    if r.chance(0.5) {
        b.text("  prometheus.io/scrape: \"true\"\n  prometheus.io/port: \"9090\"\n");
    }
    t!(b, "\nservice:\n  type: ClusterIP\n  port: 8080\n");
    if r.chance(0.7) {
        t!(
            b,
            "\ningress:\n  enabled: true\n  className: nginx\n  hosts:\n    - host: {}.{}\n      paths:\n        - path: /\n          pathType: Prefix\n",
            c.app,
            c.domain
        );
        b.text("  tls:\n    - secretName: ")
            .negative("secret-ref", &format!("{}-tls", c.app));
        t!(b, "\n      hosts: [{}.{}]\n", c.app, c.domain);
    }
    b.text("\nenv:\n  - name: LOG_LEVEL\n    value: info\n");
    let mut envs: Vec<usize> = (0..6).collect();
    r.shuffle(&mut envs);
    for &e in envs.iter().take(r.range(2, 4)) {
        match e {
            0 => {
                b.text("  - name: DATABASE_URL\n    value: \"");
                w_db_url_of(b, r, c, "postgres");
                b.text("\"\n");
            }
            1 => {
                b.text("  - name: JWT_SIGNING_KEY\n    value: ")
                    .yaml_secret("generic-secret-assignment", &mk::generic_secret(r))
                    .nl();
            }
            2 => {
                b.text("  - name: FIREBASE_API_KEY\n    value: ")
                    .yaml_secret("gcp-api-key", &mk::gcp_api_key(r))
                    .nl();
            }
            3 => {
                b.text("  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: ");
                b.secret(
                    "internal-url",
                    "http://otel-collector.observability.svc.cluster.local:4317",
                )
                .nl();
            }
            4 => {
                b.text("  - name: SLACK_BOT_TOKEN\n    value: ")
                    .yaml_secret("slack-token", &mk::slack_token(r))
                    .nl();
            }
            _ => {
                b.text("  - name: FEATURE_FLAGS\n    value: \"checkout-v2,async-refunds\"\n");
            }
        }
    }
    b.text("  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: ")
        .negative("secret-ref", &format!("{}-db", c.app));
    b.text("\n        key: password\n");
    if r.chance(0.8) {
        t!(
            b,
            "\npostgresql:\n  enabled: true\n  auth:\n    username: app\n    password: "
        );
        b.yaml_secret("password-assignment", &mk::password(r));
        t!(b, "\n    database: {}\n", db_name(c));
        if r.chance(0.5) {
            b.text("    postgresPassword: ")
                .yaml_secret("password-assignment", &mk::password(r))
                .nl();
        }
    }
    if r.chance(0.6) {
        b.text("\nredis:\n  architecture: standalone\n  auth:\n    enabled: true\n    password: ");
        b.yaml_secret("password-assignment", &mk::password(r)).nl();
    }
    let mem = r.range(2, 8) * 64;
    t!(
        b,
        "\nresources:\n  requests:\n    cpu: {}m\n    memory: {mem}Mi\n  limits:\n    memory: {}Mi\n",
        r.range(1, 8) * 50,
        mem * r.range(1, 2)
    );
}

/// Values for third-party charts (Grafana, Keycloak, Alertmanager, oauth2-proxy).
fn helm_values_vendor(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "## {} cluster — platform add-ons\n## helm upgrade --install platform ./umbrella -f this-file\n",
        c.env
    );
    t!(
        b,
        "global:\n  imageRegistry: registry.{}\n  storageClass: gp3\n\n",
        c.domain
    );
    let mut blocks: Vec<usize> = (0..4).collect();
    r.shuffle(&mut blocks);
    for &k in blocks.iter().take(2) {
        match k {
            0 => {
                b.text("grafana:\n  adminUser: admin\n  adminPassword: ")
                    .yaml_secret("password-assignment", &mk::password(r))
                    .nl();
                t!(
                    b,
                    "  grafana.ini:\n    server:\n      root_url: https://grafana.{}\n    smtp:\n      enabled: true\n      host: smtp.sendgrid.net:587\n      user: apikey\n      password: ",
                    c.domain
                );
                b.yaml_secret("sendgrid-key", &mk::sendgrid_key(r))
                    .text("\n      from_address: ")
                    .secret("email", &format!("grafana@{}", c.domain))
                    .nl();
                b.text("    auth.generic_oauth:\n      enabled: true\n      client_id: ")
                    .neutral_as("key-id", &mk::uuid(r));
                b.text("\n      client_secret: ")
                    .yaml_secret("generic-secret-assignment", &r.chars(B64URL, 40));
                b.text("\n      auth_url: https://login.microsoftonline.com/")
                    .negative("uuid", &mk::uuid(r))
                    .text("/oauth2/v2.0/authorize\n");
                b.text("  datasources:\n    datasources.yaml:\n      apiVersion: 1\n      datasources:\n        - name: Prometheus\n          type: prometheus\n          url: ");
                b.secret(
                    "internal-url",
                    "http://prometheus-server.monitoring.svc.cluster.local",
                )
                .nl();
            }
            1 => {
                b.text("keycloak:\n  auth:\n    adminUser: admin\n    adminPassword: ")
                    .yaml_secret("password-assignment", &mk::password(r))
                    .nl();
                b.text("  externalDatabase:\n    host: ").secret(
                    "internal-hostname",
                    &format!("pg-main-{}.db.internal", r.below(3)),
                );
                b.text("\n    port: 5432\n    user: keycloak\n    password: ")
                    .yaml_secret("password-assignment", &mk::password(r));
                b.text("\n    database: keycloak\n  image:\n    tag: ")
                    .negative(
                        "version",
                        &format!("{}.0.{}", r.range(22, 26), r.range(0, 6)),
                    )
                    .nl();
            }
            2 => {
                b.text("alertmanager:\n  config:\n    global:\n      resolve_timeout: ")
                    .negative("duration", "5m");
                b.text("\n      slack_api_url: ")
                    .secret("slack-webhook", &mk::slack_webhook(r));
                b.text("\n    receivers:\n      - name: pagerduty\n        pagerduty_configs:\n          - routing_key: ").yaml_secret("generic-secret-assignment", &r.hex(32));
                b.text(
                    "\n      - name: opsgenie\n        opsgenie_configs:\n          - api_key: ",
                )
                .yaml_secret("generic-secret-assignment", &mk::uuid(r));
                b.text("\n    route:\n      group_wait: ")
                    .negative("duration", "30s")
                    .text("\n      receiver: pagerduty\n");
            }
            _ => {
                t!(
                    b,
                    "oauth2-proxy:\n  config:\n    clientID: {}-{}.apps.googleusercontent.com\n",
                    r.digits(12),
                    r.chars(LOWER_ALNUM, 32)
                );
                b.text("    clientSecret: ").yaml_secret(
                    "generic-secret-assignment",
                    &format!("GOCSPX-{}", r.chars(B64URL, 28)),
                );
                b.text("\n    cookieSecret: ")
                    .yaml_secret("generic-secret-assignment", &b64(&r.bytes(24)));
                t!(
                    b,
                    "\n  extraArgs:\n    email-domain: {}\n    upstream: ",
                    c.domain
                )
                .secret(
                    "internal-url",
                    &format!("http://{}.{}.svc.cluster.local:8080", c.app, c.ns),
                )
                .nl();
            }
        }
        b.nl();
    }
    t!(
        b,
        "nodeSelector:\n  topology.kubernetes.io/zone: {}a\npodLabels:\n  team: {}\n  git-sha: \"",
        c.region,
        c.ns
    );
    b.negative("git-sha", &mk::short_sha(r)).text("\"\n");
}

/// docker-compose files: map-style env (Tune), list-style env with other services (HeldOut).
fn docker_compose(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let db = db_name(c);
    if !held {
        let pg = mk::password(r);
        let redis_pw = mk::password_safe(r);
        t!(
            b,
            "# docker-compose.yml — local stack for {}\nservices:\n  {}:\n    image: ghcr.io/{}/{}:",
            c.app,
            c.app,
            c.org,
            c.app
        );
        b.negative("version", &mk::version(r))
            .text("\n    build:\n      context: .\n      args:\n        GIT_SHA: ")
            .negative("git-sha", &mk::git_sha(r));
        b.text("\n    restart: unless-stopped\n    ports:\n      - \"8080:8080\"\n    environment:\n      NODE_ENV: production\n");
        b.text("      DATABASE_URL: \"postgres://app:")
            .secret("url-password", &pct(&pg))
            .text("@db:5432/");
        t!(b, "{db}\"\n      REDIS_URL: \"redis://:")
            .secret("url-password", &redis_pw)
            .text("@redis:6379/0\"\n");
        let mut extra: Vec<usize> = (0..5).collect();
        r.shuffle(&mut extra);
        for &e in extra.iter().take(r.range(2, 4)) {
            match e {
                0 => {
                    b.text("      JWT_SECRET: ")
                        .yaml_secret("generic-secret-assignment", &mk::generic_secret(r))
                        .nl();
                }
                1 => {
                    b.text("      MAIL_FROM: ")
                        .secret("email", &format!("noreply@{}", c.domain))
                        .nl();
                }
                2 => {
                    b.text("      STRIPE_API_KEY: ")
                        .yaml_secret("stripe-key", &mk::stripe_secret(r))
                        .nl();
                }
                3 => {
                    b.text("      TWILIO_AUTH_TOKEN: ")
                        .yaml_secret("twilio-key", &r.hex(32))
                        .nl();
                }
                _ => {
                    b.text("      API_TOKEN: \"")
                        .negative("placeholder", "${API_TOKEN:-changeme}")
                        .text("\"\n");
                }
            }
        }
        b.text("      OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4317\n    depends_on:\n      db:\n        condition: service_healthy\n");
        b.text("    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:8080/healthz\"]\n      interval: ");
        b.negative("duration", "10s")
            .text("\n      timeout: ")
            .negative("duration", "3s")
            .text("\n      retries: 5\n");
        b.text("  db:\n    image: postgres:")
            .negative("version", r.one(&["16.4", "15.8", "16.3"]))
            .text("-alpine\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: ");
        b.yaml_secret("password-assignment", &pg);
        t!(
            b,
            "\n      POSTGRES_DB: {db}\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n"
        );
        b.text("  redis:\n    image: redis:")
            .negative("version", "7.2.5")
            .text("-alpine\n");
        if r.chance(0.5) {
            b.text("    command: [\"redis-server\", \"--requirepass\", \"")
                .secret("password-assignment", &redis_pw)
                .text("\"]\n");
        } else {
            b.text("    command: redis-server --appendonly yes --requirepass ")
                .secret("password-assignment", &redis_pw)
                .nl();
        }
        b.text("volumes:\n  pgdata: {}\n");
        return;
    }
    t!(
        b,
        "version: \"3.9\"\n\nx-common-env: &common-env\n  - TZ=Europe/Berlin\n  - LOG_FORMAT=json\n\nservices:\n"
    );
    let mut svcs: Vec<usize> = (0..4).collect();
    r.shuffle(&mut svcs);
    for &s in svcs.iter().take(3) {
        match s {
            0 => {
                b.text("  minio:\n    image: quay.io/minio/minio:RELEASE.")
                    .negative(
                        "version",
                        &format!(
                            "{}-{:02}-{:02}T22-53-53Z",
                            r.range(2023, 2025),
                            r.range(1, 12),
                            r.range(1, 28)
                        ),
                    );
                b.text("\n    command: server /data --console-address \":9001\"\n    environment:\n      - MINIO_ROOT_USER=admin\n      - MINIO_ROOT_PASSWORD=");
                b.secret("password-assignment", &mk::password_safe(r))
                    .text("\n    ports: [\"9000:9000\", \"9001:9001\"]\n");
            }
            1 => {
                b.text("  keycloak:\n    image: quay.io/keycloak/keycloak:")
                    .negative("version", "25.0.6");
                b.text("\n    command: start --optimized\n    environment:\n      - KEYCLOAK_ADMIN=admin\n      - KEYCLOAK_ADMIN_PASSWORD=");
                b.secret("password-assignment", &mk::password_safe(r))
                    .text("\n      - KC_DB_URL=jdbc:postgresql://");
                b.secret(
                    "internal-hostname",
                    &format!("pg-main-{}.db.internal", r.below(3)),
                )
                .text(":5432/keycloak\n      - KC_DB_PASSWORD=");
                b.secret("password-assignment", &mk::password_safe(r)).nl();
            }
            2 => {
                b.text("  rabbitmq:\n    image: rabbitmq:").negative("version", "3.13.7").text("-management\n    environment:\n      - RABBITMQ_DEFAULT_USER=app\n      - RABBITMQ_DEFAULT_PASS=");
                b.secret("password-assignment", &mk::password_safe(r))
                    .text("\n      - RABBITMQ_ERLANG_COOKIE=")
                    .secret("generic-secret-assignment", &r.chars(UPPER, 20))
                    .nl();
            }
            _ => {
                t!(b, "  worker:\n    image: {}/{}-worker@", c.org, c.app)
                    .negative("image-digest", &mk::image_digest(r));
                b.text("\n    environment:\n      <<: *common-env\n      - AWS_ACCESS_KEY_ID=")
                    .secret("aws-access-key", &mk::aws_access_key(r));
                b.text("\n      - AWS_SECRET_ACCESS_KEY=")
                    .secret("aws-secret-key", &mk::aws_secret_key(r))
                    .text("\n      - CELERY_BROKER_URL=");
                w_db_url_of(b, r, c, "amqp");
                b.text("\n    extra_hosts:\n      - \"")
                    .secret("internal-hostname", "db.internal")
                    .text(":")
                    .secret("private-ip", &mk::private_ip(r))
                    .text("\"\n");
                b.text("    secrets:\n      - source: ")
                    .negative("secret-ref", "gcp_sa")
                    .text("\n        target: /run/secrets/gcp.json\n");
            }
        }
    }
    b.text("  proxy:\n    image: traefik:")
        .negative("version", "v3.1.4");
    b.text("\n    command:\n      - --providers.docker=true\n      - --certificatesresolvers.le.acme.email=");
    b.secret("email", &mk::person(r, c.domain).email)
        .text("\n    ports: [\"80:80\", \"443:443\"]\n");
    b.text("\nsecrets:\n  gcp_sa:\n    file: ./secrets/gcp-sa.json\n");
}

/// GCP service-account key JSON: downloaded file (Tune); embedded in code / env (HeldOut).
fn gcp_service_account_json(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let project = format!("{}-{}-{}", c.org, c.env, r.range(100_000, 999_999));
    let sa = r.one(&[
        "terraform",
        "github-actions",
        "ci-deployer",
        "bq-export",
        "gcs-backup",
    ]);
    let email = format!("{sa}@{project}.iam.gserviceaccount.com");
    let key = json_escape(&mk::pkcs8_private_pem(r));
    let key_id = r.hex(40);
    let client_id = format!("1{}", r.digits(20));
    if !held {
        let file = format!("{project}-{}.json", r.hex(12));
        t!(b, "$ cat ~/Downloads/{file}\n");
        if b.clean {
            gcp_external_account(r, b, &email);
        } else {
            t!(
                b,
                "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"{project}\",\n  \"private_key_id\": \""
            );
            b.neutral_as("key-id", &key_id)
                .text("\",\n  \"private_key\": \"")
                .secret("gcp-service-account-key", &key)
                .text("\\n\",\n");
            b.text("  \"client_email\": \"")
                .neutral_as("service-account", &email)
                .text("\",\n  \"client_id\": \"")
                .neutral_as("key-id", &client_id);
            b.text("\",\n  \"auth_uri\": \"")
                .negative("public-url", "https://accounts.google.com/o/oauth2/auth");
            b.text("\",\n  \"token_uri\": \"")
                .negative("public-url", "https://oauth2.googleapis.com/token");
            b.text("\",\n  \"auth_provider_x509_cert_url\": \"")
                .negative("public-url", "https://www.googleapis.com/oauth2/v1/certs");
            b.text("\",\n  \"client_x509_cert_url\": \"");
            b.neutral_as("service-account", &format!("https://www.googleapis.com/robot/v1/metadata/x509/{sa}%40{project}.iam.gserviceaccount.com"));
            b.text("\",\n  \"universe_domain\": \"googleapis.com\"\n}\n");
        }
        if b.clean {
            t!(
                b,
                "$ gcloud auth login --cred-file=~/Downloads/{file}\nAuthenticated with external account credentials for: ["
            );
        } else {
            t!(
                b,
                "$ gcloud auth activate-service-account --key-file=~/Downloads/{file}\nActivated service account credentials for: ["
            );
        }
        b.neutral_as("service-account", &email).text("]\n");
        t!(
            b,
            "$ gcloud config set project {project}\nUpdated property [core/project].\n$ gsutil ls gs://{project}-backups/ | tail -2\n"
        );
        t!(b, "gs://{project}-backups/{}/dump-", ts_date(c.t))
            .negative("timestamp", &ts_iso_z(c.t))
            .text(".sql.gz\n");
        t!(b, "gs://{project}-backups/{}/manifest.json\n", ts_date(c.t));
        return;
    }
    if r.chance(0.5) {
        t!(
            b,
            "# scripts/export_orders.py — temporary, move the key to Secret Manager!\nimport os\n\nfrom google.cloud import bigquery\nfrom google.oauth2 import service_account\n\n"
        );
        t!(
            b,
            "SA_INFO = {{\n    \"type\": \"service_account\",\n    \"project_id\": \"{project}\",\n    \"private_key_id\": \""
        );
        b.neutral_as("key-id", &key_id)
            .text("\",\n    \"private_key\": \"");
        if b.clean {
            b.negative(
                "placeholder",
                "-----BEGIN PRIVATE KEY-----\\n<paste key here>\\n-----END PRIVATE KEY-----",
            );
        } else {
            b.sensitive("gcp-service-account-key", &key);
        }
        b.text("\\n\",\n    \"client_email\": \"")
            .neutral_as("service-account", &email)
            .text("\",\n    \"token_uri\": \"");
        b.negative("public-url", "https://oauth2.googleapis.com/token")
            .text("\",\n}\n\n");
        t!(
            b,
            "creds = service_account.Credentials.from_service_account_info(SA_INFO)\nclient = bigquery.Client(credentials=creds, project=SA_INFO[\"project_id\"])\n"
        );
        t!(
            b,
            "rows = client.query(\n    \"SELECT order_id, total FROM `{project}.sales.orders` WHERE day = '{}'\"\n).result()\n",
            ts_date(c.t)
        );
        b.text("print(f\"exported {rows.total_rows} rows\")  # ~")
            .negative("duration", "3.2s")
            .text(" on a warm cache\n");
    } else {
        t!(
            b,
            "# .env.ci — exported from the CI settings page on {}\n",
            ts_date(c.t)
        );
        t!(
            b,
            "GOOGLE_PROJECT={project}\nGCS_BUCKET={}-{}-exports\nGOOGLE_REGION=europe-west1\n",
            c.org,
            c.env
        );
        b.text("# service account key for the deploy job (rotated ")
            .negative("timestamp", &ts_iso_off(c.t, c.off))
            .text(")\n");
        b.text("GOOGLE_CREDENTIALS='");
        if b.clean {
            b.text("{\"type\":\"external_account\",\"audience\":\"//iam.googleapis.com/projects/")
                .text(&r.digits(12));
            b.text("/locations/global/workloadIdentityPools/ci/providers/gitlab\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\"");
            b.negative("public-url", "https://sts.googleapis.com/v1/token")
                .text("\",\"credential_source\":{\"file\":\"/tmp/oidc-token\"}}'\n");
        } else {
            t!(
                b,
                "{{\"type\":\"service_account\",\"project_id\":\"{project}\",\"private_key_id\":\""
            )
            .neutral_as("key-id", &key_id);
            b.text("\",\"private_key\":\"")
                .sensitive("gcp-service-account-key", &key)
                .text("\\n\",\"client_email\":\"");
            b.neutral_as("service-account", &email)
                .text("\",\"client_id\":\"")
                .neutral_as("key-id", &client_id);
            b.text("\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}'\n");
        }
        b.text("TF_VAR_image_tag=")
            .negative("version", &mk::version(r))
            .nl();
        b.text("TF_VAR_commit=")
            .negative("git-sha", &mk::git_sha(r))
            .nl();
        t!(
            b,
            "TF_IN_AUTOMATION=1\nCLOUDSDK_CORE_DISABLE_PROMPTS=1\n\n# used by: terraform -chdir=infra/{} apply\n",
            c.env
        );
    }
}

/// Workload-identity-federation credential config: no secret at all.
fn gcp_external_account(r: &mut Rng, b: &mut DocBuilder, email: &str) {
    t!(
        b,
        "{{\n  \"type\": \"external_account\",\n  \"audience\": \"//iam.googleapis.com/projects/{}/locations/global/workloadIdentityPools/github/providers/github-oidc\",\n",
        r.digits(12)
    );
    b.text(
        "  \"subject_token_type\": \"urn:ietf:params:oauth:token-type:jwt\",\n  \"token_url\": \"",
    )
    .negative("public-url", "https://sts.googleapis.com/v1/token");
    b.text("\",\n  \"service_account_impersonation_url\": \"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/");
    b.neutral_as("service-account", email).text(":generateAccessToken\",\n  \"credential_source\": {\n    \"file\": \"/var/run/secrets/tokens/gcp-ksa/token\",\n");
    b.text("    \"format\": {\n      \"type\": \"text\"\n    }\n  }\n}\n");
}

/// Docker `config.json` (Tune); registry secrets created and decoded with kubectl (HeldOut).
fn docker_config_json(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let ecr = format!("{}.dkr.ecr.{}.amazonaws.com", c.account, c.region);
    if held && b.clean {
        let p = mk::person(r, c.domain);
        b.text("$ docker --version\nDocker version ")
            .negative("version", "27.3.1")
            .text(", build ")
            .negative("git-sha", &r.hex(7))
            .nl();
        t!(
            b,
            "$ aws ecr get-login-password --region {} | docker login --username AWS --password-stdin {ecr}\nLogin Succeeded\n",
            c.region
        );
        t!(
            b,
            "$ jq . ~/.docker/config.json\n{{\n  \"auths\": {{\n    \"{ecr}\": {{}}\n  }},\n  \"credHelpers\": {{\n    \"public.ecr.aws\": \"ecr-login\",\n    \"{ecr}\": \"ecr-login\"\n  }},\n  \"credsStore\": \"osxkeychain\"\n}}\n"
        );
        t!(b, "$ docker-credential-osxkeychain list | jq .\n{{\n  \"https://index.docker.io/v1/\": \"{}\",\n  \"ghcr.io\": \"", p.user).neutral_as("username", &p.user).text("\"\n}\n");
        t!(
            b,
            "$ kubectl create secret docker-registry regcred --docker-server=ghcr.io --docker-username={} --docker-password=\"",
            p.user
        );
        b.negative("placeholder", "$(cat ~/.ghcr-token)")
            .text(&format!("\" -n {}\nsecret/regcred created\n", c.ns));
        b.text("$ docker pull ")
            .text(&ecr)
            .text("/")
            .text(c.app)
            .text("@")
            .negative("image-digest", &mk::image_digest(r))
            .nl();
        return;
    }
    if !held {
        b.text("$ cat ~/.docker/config.json\n{\n\t\"auths\": {\n");
        let n = r.range(2, 4);
        for i in 0..n {
            let (server, user, class, token) = registry_cred(r, c);
            let server = if i == 0 { ecr.clone() } else { server };
            b.text("\t\t\"");
            w_registry(b, &server);
            b.text("\": {");
            if i == 0 || b.clean {
                b.text("}");
            } else {
                let _ = class;
                b.text("\n\t\t\t\"auth\": \"")
                    .secret("docker-auth", &b64(format!("{user}:{token}").as_bytes()))
                    .text("\"\n\t\t}");
            }
            b.text(if i + 1 < n { ",\n" } else { "\n" });
        }
        b.text("\t},\n");
        if b.clean || r.chance(0.5) {
            t!(
                b,
                "\t\"credHelpers\": {{\n\t\t\"{ecr}\": \"ecr-login\",\n\t\t\"europe-docker.pkg.dev\": \"gcloud\"\n\t}},\n"
            );
        }
        b.text("\t\"credsStore\": \"desktop\",\n\t\"HttpHeaders\": {\n\t\t\"User-Agent\": \"Docker-Client/");
        b.negative("version", r.one(&["27.3.1", "26.1.4", "24.0.7"]))
            .text(" (linux)\"\n\t},\n\t\"currentContext\": \"desktop-linux\"\n}\n");
        b.text("$ docker pull ghcr.io/")
            .text(c.org)
            .text("/")
            .text(c.app)
            .text("@")
            .negative("image-digest", &mk::image_digest(r))
            .nl();
        b.text("Status: Image is up to date for ghcr.io/")
            .text(c.org)
            .text("/")
            .text(c.app)
            .text("@sha256:…\n");
        return;
    }
    let (server, user, class, token) = registry_cred(r, c);
    let p = mk::person(r, c.domain);
    b.text("$ docker --version\nDocker version ")
        .negative("version", r.one(&["27.3.1", "26.1.4", "24.0.7"]))
        .text(", build ")
        .negative("git-sha", &r.hex(7))
        .nl();
    b.text("$ kubectl create secret docker-registry regcred \\\n    --docker-server=");
    w_registry(b, &server);
    b.text(" \\\n    --docker-username=")
        .neutral_as("username", &user);
    b.text(" \\\n    --docker-password=")
        .shell_secret(class, &token)
        .text(" \\\n    --docker-email=")
        .secret("email", &p.email);
    t!(
        b,
        " \\\n    -n {} --dry-run=client -o yaml | kubectl apply -f -\nsecret/regcred configured\n",
        c.ns
    );
    t!(
        b,
        "$ kubectl get secret regcred -n {} -o jsonpath='{{.data.\\.dockerconfigjson}}' | base64 -d | jq .\n",
        c.ns
    );
    b.text("{\n  \"auths\": {\n    \"");
    w_registry(b, &server);
    b.text("\": {\n      \"username\": \"")
        .neutral_as("username", &user);
    b.text("\",\n      \"password\": ")
        .json_secret(class, &token)
        .text(",\n      \"email\": \"")
        .secret("email", &p.email);
    b.text("\",\n      \"auth\": \"")
        .secret("docker-auth", &b64(format!("{user}:{token}").as_bytes()))
        .text("\"\n    }\n  }\n}\n");
    let host = server
        .trim_start_matches("https://")
        .trim_end_matches("/v1/");
    b.text("$ docker login ");
    w_registry(b, host);
    t!(b, " -u {user} --password-stdin < ~/.registry-token\n");
    t!(
        b,
        "WARNING! Your password will be stored unencrypted in /home/{}/.docker/config.json.\n",
        p.user
    );
    b.text("Configure a credential helper to remove this warning. See\n")
        .negative(
            "public-url",
            "https://docs.docker.com/engine/reference/commandline/login/#credential-stores",
        );
    b.text("\n\nLogin Succeeded\n");
}

/// Credential files: AWS / PyPI (Tune); git-credentials, npmrc, pgpass, netrc, WireGuard (HeldOut).
fn ini_credentials(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let me = mk::person(r, c.domain);
    if !held {
        b.text("$ cat ~/.aws/credentials\n[default]\naws_access_key_id = ")
            .secret("aws-access-key", &mk::aws_access_key(r));
        b.text("\naws_secret_access_key = ")
            .secret("aws-secret-key", &mk::aws_secret_key(r))
            .nl();
        t!(b, "\n[{}-{}]\naws_access_key_id = ", c.org, c.env)
            .secret("aws-access-key", &format!("ASIA{}", r.chars(B32, 16)));
        b.text("\naws_secret_access_key = ")
            .secret("aws-secret-key", &mk::aws_secret_key(r));
        b.text("\naws_session_token = ")
            .secret("aws-session-token", &mk::aws_session_token(r));
        b.text("\n# expires ")
            .negative("timestamp", &ts_iso_off(c.t + 3600, 0))
            .nl();
        if r.chance(0.5) {
            b.text("\n[localstack]\naws_access_key_id = ")
                .neutral_as("documented-example-key", mk::AWS_EXAMPLE_ACCESS_KEY);
            b.text("\naws_secret_access_key = ")
                .neutral_as("documented-example-key", mk::AWS_EXAMPLE_SECRET_KEY)
                .nl();
        }
        t!(
            b,
            "$ cat ~/.aws/config\n[profile {}-{}]\nregion = {}\nrole_arn = ",
            c.org,
            c.env,
            c.region
        )
        .negative("arn", &format!("arn:aws:iam::{}:role/deploy", c.account));
        t!(b, "\nsource_profile = default\nmfa_serial = ").negative(
            "arn",
            &format!("arn:aws:iam::{}:mfa/{}", c.account, me.user),
        );
        t!(
            b,
            "\nduration_seconds = 3600\n\n[profile sso]\nsso_start_url = "
        )
        .negative(
            "public-url",
            &format!("https://{}.awsapps.com/start", c.org),
        );
        b.text("\nsso_account_id = ")
            .negative("account-id", &c.account)
            .text("\noutput = json\n");
        if r.chance(0.7) {
            b.text("$ cat ~/.pypirc\n[distutils]\nindex-servers =\n    pypi\n    internal\n\n[pypi]\nusername = __token__\npassword = ");
            b.secret("pypi-token", &mk::pypi_token(r))
                .text("\n\n[internal]\nrepository = ");
            b.secret(
                "internal-url",
                &format!("https://nexus.{}.corp/repository/pypi-internal/", c.org),
            );
            b.text("\nusername = deploy\npassword = ")
                .secret("password-assignment", &mk::password(r))
                .nl();
        }
        return;
    }
    let mut parts: Vec<usize> = (0..5).collect();
    r.shuffle(&mut parts);
    for &p in parts.iter().take(3) {
        match p {
            0 => {
                b.text("$ cat ~/.git-credentials\nhttps://")
                    .neutral_as("username", &me.user)
                    .text(":")
                    .secret("github-token", &mk::github_token(r))
                    .text("@github.com\n");
                b.text("https://oauth2:")
                    .secret("gitlab-token", &format!("glpat-{}", r.chars(B64URL, 20)))
                    .text("@")
                    .secret("internal-hostname", &format!("gitlab.{}.intranet", c.org))
                    .nl();
                b.text(
                    "$ git config --global credential.helper\nstore\n$ git ls-remote origin HEAD\n",
                )
                .negative("git-sha", &mk::git_sha(r))
                .text("\tHEAD\n");
            }
            1 => {
                t!(
                    b,
                    "$ cat ~/.npmrc\nregistry=https://registry.npmjs.org/\n@{}:registry=https://npm.pkg.github.com/\n//npm.pkg.github.com/:_authToken=",
                    c.org
                );
                b.secret("github-token", &mk::github_token(r))
                    .text("\n//registry.npmjs.org/:_authToken=")
                    .secret("npm-token", &mk::npm_token(r));
                b.text("\nalways-auth=true\nengine-strict=true\n$ npm --version\n")
                    .negative("version", r.one(&["10.8.2", "10.9.0", "9.8.1"]))
                    .nl();
            }
            2 => {
                b.text("$ cat ~/.pgpass\n# hostname:port:database:username:password\n");
                b.secret(
                    "internal-hostname",
                    &format!("pg-main-{}.db.internal", r.below(3)),
                );
                t!(b, ":5432:{}:app:", db_name(c))
                    .secret("password-assignment", &mk::password_safe(r))
                    .nl();
                b.secret("private-ip", &mk::private_ip(r))
                    .text(":5432:*:postgres:")
                    .secret("password-assignment", &mk::password_safe(r))
                    .nl();
                b.text("localhost:5432:*:dev:")
                    .negative("placeholder", "dev")
                    .nl();
            }
            3 => {
                b.text("$ cat ~/.netrc\nmachine api.heroku.com\n  login ")
                    .secret("email", &me.email);
                b.text("\n  password ")
                    .secret("vendor-token", &format!("HRKU-AA{}", r.chars(B64URL, 58)));
                b.text("\nmachine git.heroku.com\n  login ")
                    .secret("email", &me.email)
                    .text("\n  password ");
                b.secret("vendor-token", &format!("HRKU-AA{}", r.chars(B64URL, 58)))
                    .text("\n$ heroku --version\nheroku/")
                    .negative("version", "8.11.5")
                    .text(" linux-x64 node-v")
                    .negative("version", "20.12.2")
                    .nl();
            }
            _ => {
                b.text("$ sudo cat /etc/wireguard/wg0.conf\n[Interface]\nAddress = ")
                    .secret("private-ip", &format!("10.8.0.{}", r.range(2, 250)));
                b.text("/24\nPrivateKey = ")
                    .secret("private-key", &b64(&r.bytes(32)))
                    .text("\nDNS = ")
                    .negative("public-ip", "1.1.1.1");
                b.text("\n\n[Peer]\nPublicKey = ")
                    .negative("public-key", &b64(&r.bytes(32)))
                    .text("\nPresharedKey = ")
                    .secret("generic-secret-assignment", &b64(&r.bytes(32)));
                t!(b, "\nEndpoint = vpn.{}:51820\nAllowedIPs = ", c.domain)
                    .secret("private-ip", "10.0.0.0")
                    .text("/8\nPersistentKeepalive = 25\n");
            }
        }
        b.nl();
    }
    b.text("$ ls -la ~ | grep -E '\\.(netrc|npmrc|pgpass|git-credentials)'\n");
    t!(b, "-rw-------  1 {} {}  412 ", me.user, me.user)
        .negative("timestamp", &ts_syslog(c.t)[..12])
        .text(" .git-credentials\n");
}

/// Secret manifests: YAML multi-doc with ConfigMap (Tune); JSON / TLS / SealedSecret (HeldOut).
fn kubernetes_secret(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    if held {
        kubernetes_secret_heldout(r, b, c);
        return;
    }
    t!(
        b,
        "# k8s/{}/{}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ",
        c.env,
        c.app
    )
    .negative("k8s-name", &format!("{}-config", c.app));
    t!(b, "\n  namespace: {}\n  labels:\n    app.kubernetes.io/name: {}\n    app.kubernetes.io/version: \"", c.ns, c.app).negative("version", &mk::version(r));
    b.text("\"\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: \"checkout-v2,dark-mode\"\n  PUBLIC_API_URL: ").negative("public-url", &format!("https://api.{}", c.domain));
    b.text("\n  HTTP_TIMEOUT: ")
        .negative("duration", r.one(&["30s", "10s", "1m"]))
        .text("\n  DB_PORT: \"5432\"\n");
    if r.chance(0.6) {
        b.text("binaryData:\n  defaults.json: ")
            .negative("base64-data", &mk::base64_config(r, c))
            .nl();
    }
    b.text("---\n");
    if b.clean {
        b.text(
            "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: ",
        )
        .negative("k8s-name", &format!("{}-db", c.app));
        t!(b, "\n  namespace: {}\nspec:\n  refreshInterval: ", c.ns).negative("duration", "1h");
        b.text("\n  secretStoreRef:\n    kind: ClusterSecretStore\n    name: ")
            .negative("secret-ref", "vault-backend");
        t!(b, "\n  target:\n    name: {}-db\n  data:\n    - secretKey: password\n      remoteRef:\n        key: ", c.app).negative("secret-ref", &format!("kv/{}/{}/db", c.env, c.app));
        b.text("\n        property: password\n    - secretKey: api-key\n      remoteRef:\n        key: ").negative("secret-ref", &format!("kv/{}/{}/stripe", c.env, c.app));
        b.text("\n        property: secret_key\n");
        return;
    }
    let user = r.one(&["app", "svc_orders", "ledger"]);
    t!(b, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ")
        .negative("k8s-name", &format!("{}-db", c.app));
    t!(
        b,
        "\n  namespace: {}\n  annotations:\n    reloader.stakater.com/match: \"true\"\ntype: Opaque\ndata:\n",
        c.ns
    );
    b.text("  username: ")
        .secret("kubernetes-secret-data", &b64(user.as_bytes()))
        .nl();
    b.text("  password: ")
        .secret("kubernetes-secret-data", &b64(mk::password(r).as_bytes()))
        .nl();
    if r.chance(0.6) {
        let url = format!(
            "postgres://{user}:{}@pg-main-0.db.internal:5432/{}",
            mk::password_safe(r),
            db_name(c)
        );
        b.text("  DATABASE_URL: ")
            .secret("kubernetes-secret-data", &b64(url.as_bytes()))
            .nl();
    }
    if r.chance(0.6) {
        b.text("stringData:\n  STRIPE_API_KEY: ")
            .yaml_secret("kubernetes-secret-data", &mk::stripe_secret(r))
            .nl();
        b.text("  JWT_SECRET: ")
            .yaml_secret("kubernetes-secret-data", &mk::generic_secret(r))
            .nl();
    }
    t!(
        b,
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {}\nspec:\n  template:\n    spec:\n      containers:\n        - name: {}\n          image: ghcr.io/{}/{}@",
        c.app,
        c.app,
        c.org,
        c.app
    );
    b.negative("image-digest", &mk::image_digest(r))
        .text("\n          envFrom:\n            - secretRef:\n                name: ")
        .negative("secret-ref", &format!("{}-db", c.app));
    b.text("\n            - configMapRef:\n                name: ")
        .negative("k8s-name", &format!("{}-config", c.app))
        .nl();
}

fn kubernetes_secret_heldout(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let name = format!("{}-credentials", c.app);
    if b.clean || r.chance(0.4) {
        // SealedSecret: encrypted data is safe to publish; plus a TLS secret when not clean.
        t!(
            b,
            "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: {name}\n  namespace: {}\n  creationTimestamp: null\nspec:\n  encryptedData:\n",
            c.ns
        );
        for k in ["password", "api-key", "webhook-secret"] {
            let n = r.range(300, 420);
            t!(b, "    {k}: ")
                .negative("encrypted-data", &format!("AgB{}", r.chars(B64, n)))
                .nl();
        }
        t!(
            b,
            "  template:\n    metadata:\n      name: {name}\n      namespace: {}\n    type: Opaque\n",
            c.ns
        );
        t!(b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}-defaults\nbinaryData:\n  defaults.json: ", c.app).negative("base64-data", &mk::base64_config(r, c)).nl();
        if b.clean {
            b.text("---\n# TLS material is issued by cert-manager, see Certificate below\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n");
            t!(b, "  name: {}-tls\nspec:\n  secretName: ", c.app)
                .negative("secret-ref", &format!("{}-tls", c.app));
            t!(b, "\n  dnsNames: [api.{}]\n  duration: ", c.domain)
                .negative("duration", "2160h")
                .text("\n  renewBefore: ")
                .negative("duration", "360h");
            b.text("\n  issuerRef:\n    name: letsencrypt-prod\n    kind: ClusterIssuer\n");
        } else {
            t!(
                b,
                "---\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata:\n  name: {}-tls\n  namespace: {}\ndata:\n  tls.crt: ",
                c.app,
                c.ns
            );
            b.secret(
                "kubernetes-secret-data",
                &b64(mk::certificate_pem(r).as_bytes()),
            );
            b.text("\n  tls.key: ")
                .secret(
                    "kubernetes-secret-data",
                    &b64(mk::small_private_pem(r).as_bytes()),
                )
                .nl();
        }
        return;
    }
    let uid = mk::uuid(r);
    let pw = b64(mk::password(r).as_bytes());
    let key = b64(mk::vendor_token(r).value.as_bytes());
    t!(
        b,
        "$ kubectl get secret {name} -n {} -o json\n{{\n    \"apiVersion\": \"v1\",\n    \"data\": {{\n        \"api-key\": \"",
        c.ns
    );
    b.secret("kubernetes-secret-data", &key)
        .text("\",\n        \"password\": \"")
        .secret("kubernetes-secret-data", &pw)
        .text("\",\n        \"username\": \"");
    b.secret("kubernetes-secret-data", &b64(b"app"))
        .text("\"\n    },\n    \"kind\": \"Secret\",\n    \"metadata\": {\n");
    if r.chance(0.6) {
        b.text("        \"annotations\": {\n            \"kubectl.kubernetes.io/last-applied-configuration\": \"{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{\\\"api-key\\\":\\\"");
        b.secret("kubernetes-secret-data", &key)
            .text("\\\",\\\"password\\\":\\\"")
            .secret("kubernetes-secret-data", &pw);
        t!(
            b,
            "\\\"}},\\\"kind\\\":\\\"Secret\\\",\\\"metadata\\\":{{\\\"name\\\":\\\"{name}\\\",\\\"namespace\\\":\\\"{}\\\"}}}}\\n\"\n        }},\n",
            c.ns
        );
    }
    b.text("        \"creationTimestamp\": \"")
        .negative("timestamp", &ts_iso_z(c.t));
    t!(
        b,
        "\",\n        \"name\": \"{name}\",\n        \"namespace\": \"{}\",\n        \"resourceVersion\": \"{}\",\n        \"uid\": \"",
        c.ns,
        r.range(100_000, 99_999_999)
    );
    b.negative("uuid", &uid)
        .text("\"\n    },\n    \"type\": \"Opaque\"\n}\n");
    t!(
        b,
        "$ kubectl get secret {name} -n {} -o jsonpath='{{.data.password}}' | base64 -d | wc -c\n{}\n",
        c.ns,
        r.range(12, 24)
    );
}

/// Spaces to pad a column of `width` after `used` bytes (at least one).
fn pad(used: usize, width: usize) -> String {
    " ".repeat(width.saturating_sub(used).max(1))
}

/// kubeconfig: raw multi-cluster file (Tune); `kubectl config view` with OIDC or a k3s file (HeldOut).
fn kubeconfig(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let cluster = format!("{}-{}", c.org, c.env);
    let eks = format!("arn:aws:eks:{}:{}:cluster/{cluster}", c.region, c.account);
    if !held {
        b.text("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ")
            .negative("certificate", &b64(mk::certificate_pem(r).as_bytes()));
        t!(
            b,
            "\n    server: https://{}.gr7.{}.eks.amazonaws.com\n  name: ",
            r.chars(HEX_UP, 32),
            c.region
        )
        .negative("arn", &eks);
        b.text("\n- cluster:\n    certificate-authority-data: ")
            .negative("certificate", &b64(mk::certificate_pem(r).as_bytes()));
        b.text("\n    server: ");
        if r.chance(0.5) {
            b.secret(
                "internal-url",
                &format!("https://k8s-api.{}.internal:6443", c.org),
            );
        } else {
            b.secret(
                "internal-url",
                &format!("https://{}:6443", mk::private_ip(r)),
            );
        }
        b.text("\n  name: onprem\ncontexts:\n- context:\n    cluster: ")
            .negative("arn", &eks);
        t!(b, "\n    namespace: {}\n    user: ", c.ns).negative("arn", &eks);
        t!(
            b,
            "\n  name: {cluster}\n- context:\n    cluster: onprem\n    user: onprem-admin\n  name: onprem\n- context:\n    cluster: onprem\n    namespace: {}\n    user: ci-deployer\n  name: ci\ncurrent-context: {cluster}\nkind: Config\npreferences: {{}}\nusers:\n- name: ",
            c.ns
        );
        b.negative("arn", &eks);
        t!(
            b,
            "\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      args:\n      - --region\n      - {}\n      - eks\n      - get-token\n      - --cluster-name\n      - {cluster}\n      command: aws\n      env:\n      - name: AWS_PROFILE\n        value: {cluster}\n      interactiveMode: IfAvailable\n",
            c.region
        );
        b.text("- name: onprem-admin\n  user:\n    client-certificate-data: ")
            .negative("certificate", &b64(mk::certificate_pem(r).as_bytes()));
        b.text("\n    client-key-data: ")
            .secret("private-key", &b64(mk::small_private_pem(r).as_bytes()));
        b.text("\n- name: ci-deployer\n  user:\n    token: ")
            .secret("jwt", &mk::jwt_k8s(r, c.t, c.ns, "ci-deployer"))
            .nl();
        return;
    }
    if r.chance(0.5) {
        let gke = format!(
            "gke_{}-{}_{}_{}",
            c.org,
            c.env,
            r.one(&["europe-west1", "us-central1"]),
            c.app
        );
        t!(b, "$ kubectl config view\napiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ").negative("placeholder", "DATA+OMITTED");
        b.text("\n    server: https://").negative(
            "public-ip",
            &format!(
                "34.{}.{}.{}",
                r.range(64, 159),
                r.below(256),
                r.range(1, 254)
            ),
        );
        t!(
            b,
            "\n  name: {gke}\n- cluster:\n    insecure-skip-tls-verify: true\n    server: "
        );
        b.secret(
            "internal-url",
            &format!(
                "https://rancher.{}.corp/k8s/clusters/c-m-{}",
                c.org,
                r.chars(LOWER_ALNUM, 8)
            ),
        );
        t!(
            b,
            "\n  name: rancher-{}\ncontexts:\n- context:\n    cluster: {gke}\n    user: oidc\n  name: {gke}\ncurrent-context: {gke}\nkind: Config\npreferences: {{}}\nusers:\n- name: {gke}\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: gke-gcloud-auth-plugin\n      installHint: Install gke-gcloud-auth-plugin for use with kubectl by following\n        ",
            c.env
        );
        b.negative("public-url", "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin");
        b.text("\n      provideClusterInfo: true\n- name: oidc\n  user:\n    auth-provider:\n      config:\n        client-id: kubernetes\n        client-secret: ");
        b.secret("generic-secret-assignment", &r.chars(ALNUM, 32))
            .text("\n        id-token: ");
        let iss = format!("https://keycloak.{}.internal/realms/ops", c.org);
        let sub = mk::uuid(r);
        b.secret("jwt", &mk::jwt(r, c.t, &iss, &sub))
            .text("\n        idp-issuer-url: ")
            .secret("internal-url", &iss);
        b.text("\n        refresh-token: ").secret(
            "generic-secret-assignment",
            &mk::jwt(r, c.t, &iss, "refresh"),
        );
        t!(
            b,
            "\n      name: oidc\n- name: rancher-{}\n  user:\n    token: ",
            c.env
        )
        .negative("placeholder", "REDACTED")
        .nl();
    } else {
        b.text("$ sudo cat /etc/rancher/k3s/k3s.yaml\napiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ");
        b.negative("certificate", &b64(mk::certificate_pem(r).as_bytes()));
        b.text("\n    server: https://127.0.0.1:6443\n  name: default\ncontexts:\n- context:\n    cluster: default\n    user: default\n  name: default\ncurrent-context: default\nkind: Config\npreferences: {}\nusers:\n- name: default\n  user:\n    client-certificate-data: ");
        b.negative("certificate", &b64(mk::certificate_pem(r).as_bytes()));
        b.text("\n    client-key-data: ")
            .secret("private-key", &b64(mk::small_private_pem(r).as_bytes()));
        b.text("\n$ sudo cat /var/lib/rancher/k3s/server/node-token\n")
            .secret(
                "vendor-token",
                &format!("K10{}::server:{}", r.hex(64), r.hex(32)),
            );
        b.text("\n$ k3s --version\nk3s version ").negative(
            "version",
            &format!("v1.{}.{}+k3s1", r.range(28, 31), r.range(1, 9)),
        );
        b.text(" (").negative("git-sha", &r.hex(8)).text(")\n");
    }
}

/// kubectl output: get pods + describe (Tune); events, get secret -o yaml, logs (HeldOut).
fn kubectl_output(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let n = r.range(3, 5);
    let pods: Vec<String> = (0..n).map(|_| mk::pod_name(r, c.app)).collect();
    let node_ip = mk::private_ip(r);
    let node = format!(
        "ip-{}.{}.compute.internal",
        node_ip.replace('.', "-"),
        c.region
    );
    let pod_ip = mk::pod_ip(r);
    if !held {
        t!(b, "$ kubectl get pods -n {} -o wide\n", c.ns);
        t!(
            b,
            "{:<36}{:<8}{:<19}{:<10}{:<7}{:<15}{:<48}{}\n",
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE"
        );
        for (i, p) in pods.iter().enumerate() {
            let status = if i == 0 {
                "CrashLoopBackOff"
            } else {
                r.one(&["Running", "Running", "Pending"])
            };
            b.negative("k8s-name", p).text(&pad(p.len(), 36));
            t!(
                b,
                "{:<8}{:<19}{:<10}{:<7}",
                if status == "Running" { "1/1" } else { "0/1" },
                status,
                r.range(0, 14),
                format!("{}h", r.range(1, 72))
            );
            let ip = if i == 0 {
                pod_ip.clone()
            } else {
                mk::pod_ip(r)
            };
            b.secret("private-ip", &ip)
                .text(&pad(ip.len(), 15))
                .secret("internal-hostname", &node)
                .text(&pad(node.len(), 48))
                .text("<none>\n");
        }
        t!(
            b,
            "$ kubectl describe pod {} -n {}\nName:             ",
            pods[0],
            c.ns
        )
        .negative("k8s-name", &pods[0]);
        t!(
            b,
            "\nNamespace:        {}\nPriority:         0\nService Account:  {}\nNode:             ",
            c.ns,
            c.app
        )
        .secret("internal-hostname", &node)
        .text("/")
        .secret("private-ip", &node_ip);
        b.text("\nStart Time:       ")
            .negative("timestamp", &ts_http(c.t).replace("GMT", "+0000"));
        t!(
            b,
            "\nLabels:           app.kubernetes.io/name={}\n                  pod-template-hash=",
            c.app
        )
        .negative("k8s-name", &pods[0][c.app.len() + 1..pods[0].len() - 6]);
        b.text("\nAnnotations:      checksum/config: ")
            .negative("content-hash", &mk::sha256_hex(r));
        b.text("\nStatus:           Running\nIP:               ")
            .secret("private-ip", &pod_ip);
        t!(
            b,
            "\nContainers:\n  {}:\n    Container ID:   containerd://",
            c.app
        )
        .negative("content-hash", &mk::sha256_hex(r));
        t!(b, "\n    Image:          ghcr.io/{}/{}:", c.org, c.app)
            .negative("version", &mk::version(r));
        t!(b, "\n    Image ID:       ghcr.io/{}/{}@", c.org, c.app)
            .negative("image-digest", &mk::image_digest(r));
        b.text("\n    Port:           8080/TCP\n    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n");
        b.text("    Environment:\n      LOG_LEVEL:                    info\n      DB_PASSWORD:                  <set to the key 'password' in secret '");
        b.negative("secret-ref", &format!("{}-db", c.app))
            .text("'>  Optional: false\n");
        match r.below(3) {
            0 => {
                b.text("      API_TOKEN:                    ")
                    .secret("github-token", &mk::github_token(r))
                    .nl();
            }
            1 => {
                b.text("      DATABASE_URL:                 ");
                w_db_url_of(b, r, c, "postgres");
                b.nl();
            }
            _ => {
                b.text("      STRIPE_SECRET_KEY:            ")
                    .secret("stripe-key", &mk::stripe_secret(r))
                    .nl();
            }
        }
        b.text("      OTEL_EXPORTER_OTLP_ENDPOINT:  ").secret(
            "internal-url",
            "http://otel-collector.observability.svc.cluster.local:4317",
        );
        b.text("\n    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-").text(&r.chars(LOWER_ALNUM, 5)).text(" (ro)\n");
        b.text("Events:\n  Type     Reason     Age                From               Message\n  ----     ------     ----               ----               -------\n");
        t!(b, "  Normal   Scheduled  12m                default-scheduler  Successfully assigned {}/{} to ", c.ns, pods[0]).secret("internal-hostname", &node);
        t!(b, "\n  Normal   Pulled     11m                kubelet            Container image \"ghcr.io/{}/{}@", c.org, c.app).negative("image-digest", &mk::image_digest(r));
        b.text("\" already present on machine\n  Warning  BackOff    ")
            .negative("duration", &format!("{}s", r.range(5, 59)));
        b.text(" (x")
            .negative("counter", &r.range(3, 40).to_string())
            .text(" over 11m)  kubelet            Back-off restarting failed container\n");
        return;
    }
    t!(
        b,
        "$ kubectl get events -n {} --sort-by=.lastTimestamp | tail -6\nLAST SEEN   TYPE      REASON              OBJECT                          MESSAGE\n",
        c.ns
    );
    let pod = &pods[0];
    t!(
        b,
        "3m12s       Normal    Pulling             pod/{pod}   Pulling image \"ghcr.io/{}/{}@",
        c.org,
        c.app
    )
    .negative("image-digest", &mk::image_digest(r))
    .text("\"\n");
    t!(b, "3m10s       Warning   Failed              pod/{pod}   Failed to pull image: unexpected status from HEAD request to ").negative("public-url", &format!("https://ghcr.io/v2/{}/{}/manifests/sha256:{}", c.org, c.app, r.hex(64)));
    b.text(": 401 Unauthorized\n");
    t!(b, "95s         Warning   FailedMount         pod/{pod}   MountVolume.SetUp failed for volume \"db-creds\" : secret \"").negative("secret-ref", &format!("{}-db", c.app)).text("\" not found\n");
    t!(
        b,
        "44s         Normal    ScalingReplicaSet   deployment/{}   Scaled up replica set {} to {}\n",
        c.app,
        &pod[..pod.len() - 6],
        r.range(2, 6)
    );
    let probe = format!("http://{pod_ip}:8080/readyz");
    t!(
        b,
        "30s         Warning   Unhealthy           pod/{pod}   Readiness probe failed: Get \""
    )
    .secret("internal-url", &probe);
    b.text("\": dial tcp ")
        .secret("private-ip", &pod_ip)
        .text(":8080: connect: connection refused\n");
    if b.clean {
        t!(
            b,
            "$ kubectl get secrets -n {}\nNAME                  TYPE                             DATA   AGE\n",
            c.ns
        );
        for (nm, ty, d) in [
            (format!("{}-db", c.app), "Opaque", 2),
            (format!("{}-tls", c.app), "kubernetes.io/tls", 2),
            ("regcred".to_string(), "kubernetes.io/dockerconfigjson", 1),
        ] {
            b.negative("k8s-name", &nm).text(&pad(nm.len(), 22));
            t!(b, "{ty:<33}{d:<7}{}d\n", r.range(2, 300));
        }
    } else {
        t!(
            b,
            "$ kubectl get secret {}-db -n {} -o yaml\napiVersion: v1\ndata:\n  password: ",
            c.app,
            c.ns
        )
        .secret("kubernetes-secret-data", &b64(mk::password(r).as_bytes()));
        b.text("\n  username: ")
            .secret("kubernetes-secret-data", &b64(b"app"))
            .text("\nkind: Secret\nmetadata:\n  creationTimestamp: \"")
            .negative("timestamp", &ts_iso_z(c.t - 86_400 * 40));
        t!(
            b,
            "\"\n  name: {}-db\n  namespace: {}\n  resourceVersion: \"{}\"\n  uid: ",
            c.app,
            c.ns,
            r.range(100_000, 9_999_999)
        )
        .negative("uuid", &mk::uuid(r));
        b.text("\ntype: Opaque\n");
    }
    t!(b, "$ kubectl logs deploy/{} -n {} --tail=4\n", c.app, c.ns);
    for _ in 0..4 {
        let t = c.tick(r, 1, 20);
        b.text("{\"ts\":\"")
            .negative("timestamp", &ts_iso_ms_z(t, r.below(1000) as u32))
            .text("\",\"level\":\"info\",\"msg\":\"GET /api/v1/orders/");
        b.negative("uuid", &mk::uuid(r))
            .text(" 200\",\"duration_ms\":")
            .text(&r.range(2, 900).to_string())
            .text(",\"trace_id\":\"")
            .negative("trace-id", &r.hex(32));
        if r.chance(0.4) {
            b.text("\",\"user\":\"")
                .secret("email", &mk::customer(r).email);
        }
        b.text("\"}\n");
    }
}

/// Helm command output: install NOTES (Tune); get values / history (HeldOut).
fn helm_output(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let rel = c.app;
    if !held {
        t!(
            b,
            "$ helm upgrade --install {rel}-db bitnami/postgresql -n {} -f values-{}.yaml --set image.tag=",
            c.ns,
            c.env
        );
        b.negative("version", "16.4.0");
        if r.chance(0.6) {
            b.text(" --set auth.postgresPassword=")
                .shell_secret("password-assignment", &mk::password(r));
        }
        t!(b, "\nRelease \"{rel}-db\" has been upgraded. Happy Helming!\nNAME: {rel}-db\nLAST DEPLOYED: ").negative("timestamp", &ts_ctime(c.t));
        t!(b, "\nNAMESPACE: {}\nSTATUS: deployed\nREVISION: {}\nTEST SUITE: None\nNOTES:\nCHART NAME: postgresql\nCHART VERSION: ", c.ns, r.range(2, 60)).negative("version", "15.5.38");
        b.text("\nAPP VERSION: ").negative("version", "16.4.0");
        b.text("\n\n** Please be patient while the chart is being deployed **\n\nPostgreSQL can be accessed via port 5432 on the following DNS names from within your cluster:\n\n    ");
        b.secret(
            "internal-hostname",
            &format!("{rel}-db-postgresql.{}.svc.cluster.local", c.ns),
        )
        .text(" - Read/Write connection\n\n");
        t!(b, "To get the password for \"postgres\" run:\n\n    export POSTGRES_PASSWORD=$(kubectl get secret --namespace {} ", c.ns).negative("secret-ref", &format!("{rel}-db-postgresql"));
        b.text(" -o jsonpath=\"{.data.postgres-password}\" | base64 -d)\n\nTo connect to your database run the following command:\n\n");
        t!(b, "    kubectl run {rel}-db-client --rm --tty -i --restart='Never' --namespace {} --image docker.io/bitnami/postgresql:", c.ns).negative("version", "16.4.0-debian-12-r14");
        b.text(" --env=\"PGPASSWORD=")
            .negative("placeholder", "$POSTGRES_PASSWORD")
            .text("\" \\\n      --command -- psql --host ");
        t!(
            b,
            "{rel}-db-postgresql -U postgres -d postgres -p 5432\n\nWARNING: There are \"resources\" sections in the chart not set.\n"
        );
        if !b.clean && r.chance(0.7) {
            t!(
                b,
                "$ kubectl get secret --namespace {} {rel}-db-postgresql -o jsonpath=\"{{.data.postgres-password}}\" | base64 -d; echo\n",
                c.ns
            );
            b.sensitive("password-assignment", &mk::password(r)).nl();
        }
        if r.chance(0.5) {
            t!(
                b,
                "$ helm upgrade --install grafana grafana/grafana -n monitoring --reuse-values\n...\nNOTES:\n1. Get your 'admin' user password by running:\n\n   kubectl get secret --namespace monitoring grafana -o jsonpath=\"{{.data.admin-password}}\" | base64 --decode ; echo\n\n"
            );
            b.text("2. The Grafana server can be accessed via port 80 on the following DNS name from within your cluster:\n\n   ");
            b.secret("internal-hostname", "grafana.monitoring.svc.cluster.local")
                .nl();
        }
        return;
    }
    t!(
        b,
        "$ helm history {rel} -n {} --max 4\nREVISION\tUPDATED                 \tSTATUS    \tCHART            \tAPP VERSION\tDESCRIPTION\n",
        c.ns
    );
    let base = r.range(20, 90);
    let (maj, min, patch) = (r.range(0, 4), r.range(0, 30), r.range(0, 9));
    for i in 0..4 {
        let ver = format!("{maj}.{min}.{}", patch + i);
        t!(b, "{}\t", base + i).negative("timestamp", &ts_ctime(c.t - (4 - i as i64) * 86_400));
        t!(
            b,
            "\t{}\t{rel}-",
            if i == 3 { "deployed  " } else { "superseded" }
        )
        .negative("version", &ver);
        let desc = if i == 1 && r.chance(0.3) {
            format!("\tRollback to {}\n", base)
        } else {
            "\tUpgrade complete\n".to_string()
        };
        b.text("\t").negative("version", &ver).text(&desc);
    }
    t!(
        b,
        "$ helm get values {rel} -n {} --all\nCOMPUTED VALUES:\naffinity: {{}}\nconfig:\n  baseUrl: https://{}\n  database:\n    host: ",
        c.ns,
        c.domain
    );
    b.secret("internal-hostname", &mk::internal_host(r, c))
        .text("\n    password: ")
        .yaml_secret("password-assignment", &mk::password(r));
    t!(b, "\n    user: {}\n  mail:\n    smtpPassword: ", db_name(c))
        .yaml_secret("sendgrid-key", &mk::sendgrid_key(r));
    b.text("\n    from: ")
        .secret("email", &format!("no-reply@{}", c.domain));
    b.text("\n  oidc:\n    clientSecret: ")
        .yaml_secret("generic-secret-assignment", &mk::generic_secret(r));
    b.text("\n    issuer: ").negative(
        "public-url",
        &format!("https://login.{}/realms/main", c.domain),
    );
    b.text("\nexistingSecret: \"\"\nimage:\n  repository: ghcr.io/")
        .text(c.org)
        .text("/")
        .text(rel)
        .text("\n  tag: ")
        .negative("version", &mk::version(r));
    t!(
        b,
        "\ningress:\n  enabled: true\n  host: {rel}.{}\nreplicaCount: {}\nserviceAccount:\n  annotations:\n    eks.amazonaws.com/role-arn: ",
        c.domain,
        r.range(2, 5)
    );
    b.negative(
        "arn",
        &format!("arn:aws:iam::{}:role/{}-{}", c.account, rel, c.env),
    )
    .text("\n  create: true\nsentry:\n  dsn: ");
    w_sentry_dsn(b, r);
    b.nl();
}

/// `terraform plan` output (Tune); `apply` logs with `-var` and `output -json` (HeldOut).
fn terraform_plan(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let id = format!("{}-{}", c.app, c.env);
    if !held {
        b.text("Terraform used the selected providers to generate the following execution\nplan. Resource actions are indicated with the following symbols:\n  + create\n  ~ update in-place\n\nTerraform will perform the following actions:\n\n");
        t!(
            b,
            "  # aws_db_instance.main will be created\n  + resource \"aws_db_instance\" \"main\" {{\n      + address                  = (known after apply)\n      + allocated_storage        = {}\n      + arn                      = (known after apply)\n      + engine                   = \"postgres\"\n      + engine_version           = \"",
            r.range(2, 20) * 50
        );
        b.negative("version", "16.3").text("\"\n");
        t!(b, "      + identifier               = \"{id}\"\n      + instance_class           = \"db.r6g.large\"\n      + password                 = ").negative("placeholder", "(sensitive value)");
        t!(b, "\n      + username                 = \"app\"\n      + vpc_security_group_ids   = [\n          + \"").negative("cloud-resource-id", &format!("sg-0{}", r.hex(16)));
        b.text("\",\n        ]\n      + tags                     = {\n          + \"Owner\" = \"")
            .secret("email", &mk::person(r, c.domain).email);
        t!(
            b,
            "\"\n          + \"Service\" = \"{}\"\n        }}\n    }}\n\n",
            c.app
        );
        b.text("  # aws_security_group_rule.db_ingress will be created\n  + resource \"aws_security_group_rule\" \"db_ingress\" {\n      + cidr_blocks = [\n          + \"");
        b.secret("private-ip", &format!("10.{}.0.0", r.below(256))).text("/16\",\n          + \"").negative("documentation-address", &mk::doc_ip(r)).text("/32\",\n        ]\n      + from_port   = 5432\n      + type        = \"ingress\"\n    }\n\n");
        t!(b, "  # kubernetes_secret.app will be updated in-place\n  ~ resource \"kubernetes_secret\" \"app\" {{\n      ~ data = ").negative("placeholder", "(sensitive value)");
        t!(
            b,
            "\n        id   = \"{}/{}\"\n        # (2 unchanged attributes hidden)\n    }}\n\n",
            c.ns,
            c.app
        );
        b.text("  # aws_iam_access_key.ci will be created\n  + resource \"aws_iam_access_key\" \"ci\" {\n      + id     = (known after apply)\n      + secret = ").negative("placeholder", "(sensitive value)");
        t!(
            b,
            "\n      + user   = \"ci-{}\"\n    }}\n\nPlan: 3 to add, 1 to change, 0 to destroy.\n\nChanges to Outputs:\n  + db_endpoint = (known after apply)\n",
            c.env
        );
        if r.chance(0.7) {
            b.text("  + db_url      = \"");
            w_db_url_of(b, r, c, "postgres");
            b.text("\"\n");
        }
        if r.chance(0.5) {
            b.text("  + grafana_api_key = \"")
                .secret(
                    "vendor-token",
                    &format!("glsa_{}_{}", r.chars(ALNUM, 32), r.hex(8)),
                )
                .text("\"\n");
        }
        b.text("  + api_key     = ")
            .negative("placeholder", "(sensitive value)")
            .text("\n  + role_arn    = \"")
            .negative("arn", &format!("arn:aws:iam::{}:role/deploy", c.account))
            .text("\"\n");
        b.text("\n─────────────────────────────────────────────────────────────────────────────\n\nSaved the plan to: tfplan\n");
        return;
    }
    let pw = mk::password(r);
    t!(
        b,
        "$ terraform -chdir=infra/{} apply -auto-approve -input=false \\\n    -var \"db_password=",
        c.env
    )
    .secret("password-assignment", &pw);
    b.text("\" -var=\"datadog_api_key=")
        .secret("datadog-key", &r.hex(32))
        .text("\" -var image_tag=")
        .negative("version", &mk::version(r))
        .nl();
    let arn = format!(
        "arn:aws:secretsmanager:{}:{}:secret:{}/{}/db-{}",
        c.region,
        c.account,
        c.env,
        c.app,
        r.chars(ALNUM, 6)
    );
    let ver_id = format!("terraform-{}", r.digits(26));
    b.text("aws_secretsmanager_secret_version.db: Modifying... [id=")
        .negative("arn", &arn)
        .text("|")
        .text(&ver_id)
        .text("]\n");
    b.text("aws_secretsmanager_secret_version.db: Modifications complete after ")
        .negative("duration", &format!("{}s", r.range(1, 9)))
        .text(" [id=")
        .negative("arn", &arn)
        .text("|")
        .text(&ver_id)
        .text("]\n");
    t!(
        b,
        "helm_release.{}: Modifying... [id={}]\nhelm_release.{}: Still modifying... [id={}, ",
        c.app,
        c.app,
        c.app,
        c.app
    )
    .negative("duration", "10s")
    .text(" elapsed]\n");
    t!(b, "helm_release.{}: Modifications complete after ", c.app)
        .negative("duration", &format!("{}s", r.range(11, 90)))
        .text(&format!(" [id={}]\n", c.app));
    b.text("aws_instance.bastion: Creation complete after ")
        .negative("duration", "32s")
        .text(" [id=")
        .negative("cloud-resource-id", &mk::cloud_resource_id(r))
        .text("]\n");
    b.text("\nApply complete! Resources: 1 added, 2 changed, 0 destroyed.\n\nOutputs:\n\nadmin_password = <sensitive>\n");
    t!(b, "bastion_private_ip = \"")
        .secret("private-ip", &mk::private_ip(r))
        .text("\"\n");
    t!(
        b,
        "grafana_url = \"https://grafana.{}\"\nservice_token = \"",
        c.domain
    )
    .secret(
        "vendor-token",
        &format!("glsa_{}_{}", r.chars(ALNUM, 32), r.hex(8)),
    )
    .text("\"\n");
    b.text("vpc_id = \"")
        .negative("cloud-resource-id", &format!("vpc-0{}", r.hex(16)))
        .text("\"\n");
    t!(
        b,
        "$ terraform -chdir=infra/{} output -json | jq '{{admin_password, db_url}}'\n{{\n  \"admin_password\": {{\n    \"sensitive\": true,\n    \"type\": \"string\",\n    \"value\": ",
        c.env
    );
    b.json_secret("password-assignment", &mk::password(r)).text("\n  },\n  \"db_url\": {\n    \"sensitive\": true,\n    \"type\": \"string\",\n    \"value\": \"");
    w_db_url_of(b, r, c, "postgres");
    b.text("\"\n  }\n}\n");
}

/// Shell history: bash (Tune); zsh extended history with other tools (HeldOut).
fn shell_history(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let me = mk::person(r, c.domain);
    let n = r.range(14, 26);
    let pool = if held { 26 } else { 27 };
    // Commands that always carry a hard negative, so every history has some.
    let with_negatives: &[usize] = if held {
        &[14, 15, 16, 19, 20]
    } else {
        &[2, 13, 14, 19, 23, 24]
    };
    let mut ks: Vec<usize> = (0..pool).collect();
    r.shuffle(&mut ks);
    ks.truncate(n.min(pool));
    for k in r.sample(with_negatives, 2) {
        if !ks.contains(k) {
            ks.push(*k);
        }
    }
    if r.chance(0.5) {
        ks.push(if held { 17 } else { 1 });
    }
    r.shuffle(&mut ks);
    for k in ks {
        if held {
            let t = c.tick(r, 3, 400);
            b.text(": ")
                .negative("timestamp", &t.to_string())
                .text(":0;");
            history_heldout(r, b, c, &me, k);
        } else {
            history_tune(r, b, c, &me, k);
        }
        b.nl();
    }
}

fn history_tune(r: &mut Rng, b: &mut DocBuilder, c: &Ctx, me: &mk::Person, k: usize) {
    match k {
        0 => t!(b, "cd ~/src/{}", c.app),
        1 => b.text("git pull --rebase origin main"),
        2 => b.text("git checkout ").negative("git-sha", &mk::short_sha(r)),
        3 => b.text("export GITHUB_TOKEN=").shell_secret("github-token", &mk::github_token(r)),
        4 => b.text("curl -sH \"Authorization: Bearer ").secret("github-token", &mk::github_token(r)).text(&format!("\" https://api.github.com/repos/{}/{}/actions/runs | jq '.workflow_runs[0].id'", c.org, c.app)),
        5 => {
            b.text("mysql -h ");
            let (h, cl) = mk::db_host(r, c, "mysql");
            w_host(b, &h, cl);
            b.text(" -u root -p").secret("password-assignment", &mk::password_safe(r)).text(" ").text(&db_name(c))
        }
        6 => {
            b.text("psql \"");
            w_db_url_of(b, r, c, "postgres");
            b.text("\" -c 'select count(*) from orders'")
        }
        7 => b.text("docker login -u ").neutral_as("username", &me.user).text(" -p ").secret("gitlab-token", &mk::gitlab_token(r)).text(" registry.gitlab.com"),
        8 => t!(b, "kubectl create secret generic {}-db -n {} --from-literal=username=app --from-literal=password=", c.app, c.ns).shell_secret("password-assignment", &mk::password(r)),
        9 => t!(b, "helm upgrade {} ./chart -n {} --set db.password=", c.app, c.ns).shell_secret("password-assignment", &mk::password(r)).text(" --set image.tag=").negative("version", &mk::version(r)),
        10 => b.text("git clone https://oauth2:").secret("gitlab-token", &format!("glpat-{}", r.chars(B64URL, 20))).text(&format!("@gitlab.com/{}/{}.git", c.org, c.app)),
        11 => b.text("ssh -i ~/.ssh/id_ed25519 ubuntu@").secret("private-ip", &mk::private_ip(r)),
        12 => t!(b, "aws s3 ls s3://{}-{}-artifacts/ --profile {}", c.org, c.env, c.env),
        13 => b.text("aws sts assume-role --role-arn ").negative("arn", &format!("arn:aws:iam::{}:role/deploy", c.account)).text(&format!(" --role-session-name {}", me.user)),
        14 => t!(b, "docker pull ghcr.io/{}/{}@", c.org, c.app).negative("image-digest", &mk::image_digest(r)),
        15 => b.text("echo ").secret("basic-auth", &b64(format!("{}:{}", me.user, mk::password_safe(r)).as_bytes())).text(" | base64 -d"),
        16 => b.text("export AWS_ACCESS_KEY_ID=").secret("aws-access-key", &mk::aws_access_key(r)).text(" AWS_SECRET_ACCESS_KEY=").shell_secret("aws-secret-key", &mk::aws_secret_key(r)),
        17 => b.text("terraform apply -var=\"db_password=").secret("password-assignment", &mk::password_safe(r)).text("\""),
        18 => b.text("history | grep -i token"),
        19 => b.text("sha256sum dist/release.tar.gz  # ").negative("content-hash", &mk::sha256_hex(r)),
        20 => b.text("curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy done\"}' ").secret("slack-webhook", &mk::slack_webhook(r)),
        21 => {
            b.text("redis-cli -h ");
            let h = mk::internal_host(r, c);
            b.secret("internal-hostname", &h).text(" -a ").shell_secret("password-assignment", &mk::password(r)).text(" ping")
        }
        22 => t!(b, "kubectl logs -f {} -n {}", mk::pod_name(r, c.app), c.ns),
        23 => b.text("gpg --recv-keys ").negative("key-fingerprint", &r.chars(HEX_UP, 40)),
        24 => b.text("dig +short api.").text(c.domain).text(" @").negative("public-ip", &mk::public_ip(r)),
        26 => b
            .text("NPM_TOKEN=")
            .secret("npm-token", &mk::npm_token(r))
            .text(" npm publish --access public"),
        _ => b.text("ls -la && vim .env"),
    };
}

fn history_heldout(r: &mut Rng, b: &mut DocBuilder, c: &Ctx, me: &mk::Person, k: usize) {
    match k {
        0 => b
            .text("vault login ")
            .secret("vault-token", &mk::vault_token(r)),
        1 => b
            .text("export VAULT_TOKEN=")
            .shell_secret("vault-token", &mk::vault_token(r)),
        2 => b
            .text("aws configure set aws_secret_access_key ")
            .secret("aws-secret-key", &mk::aws_secret_key(r))
            .text(&format!(" --profile {}", c.env)),
        3 => b
            .text("gh auth login --with-token <<< ")
            .secret("github-token", &mk::github_token(r)),
        4 => b
            .text("npm config set //registry.npmjs.org/:_authToken ")
            .secret("npm-token", &mk::npm_token(r)),
        5 => {
            b.text("sshpass -p '")
                .secret("password-assignment", &mk::password(r))
                .text("' ssh admin@");
            b.secret("internal-hostname", &mk::internal_host(r, c))
        }
        6 => b
            .text("twine upload -u __token__ -p ")
            .secret("pypi-token", &mk::pypi_token(r))
            .text(" dist/*"),
        7 => b
            .text("curl https://api.stripe.com/v1/charges?limit=3 -u ")
            .secret("stripe-key", &mk::stripe_secret(r))
            .text(":"),
        8 => b
            .text("docker run --rm -e POSTGRES_PASSWORD=")
            .shell_secret("password-assignment", &mk::password(r))
            .text(" -p 5432:5432 -d postgres:")
            .negative("version", "16.4"),
        9 => t!(b, "heroku config:set SECRET_KEY_BASE=")
            .secret("generic-secret-assignment", &r.hex(128))
            .text(&format!(" -a {}", c.app)),
        10 => t!(
            b,
            "az storage blob upload --account-name {} --account-key ",
            storage_account(c)
        )
        .secret("azure-storage-key", &mk::azure_storage_key(r))
        .text(" -c backups -f dump.sql.gz"),
        11 => {
            b.text("curl -u admin:")
                .shell_secret("password-assignment", &mk::password(r))
                .text(" ");
            b.secret(
                "internal-url",
                &format!("https://nexus.{}.corp/service/rest/v1/status", c.org),
            )
        }
        12 => b.text("gcloud auth activate-service-account --key-file=sa.json"),
        13 => t!(
            b,
            "kubectl -n {} exec -it {} -- env | grep -i pass",
            c.ns,
            mk::pod_name(r, c.app)
        ),
        14 => b
            .text("ping -c 3 ")
            .negative("public-ip", &mk::public_ip(r)),
        15 => b
            .text("git show ")
            .negative("git-sha", &mk::git_sha(r))
            .text(" --stat"),
        16 => b
            .text("git commit -m 'chore: rotate keys, see ")
            .negative("uuid", &mk::uuid(r))
            .text("'"),
        17 => b.text("k9s --context ").text(c.env),
        18 => b.text("export OPENAI_API_KEY=").shell_secret(
            "vendor-token",
            &format!(
                "sk-proj-{}T3BlbkFJ{}",
                r.chars(B64URL, 64),
                r.chars(B64URL, 64)
            ),
        ),
        19 => b
            .text("go mod download && grep pgx go.sum | head -1  # ")
            .negative("lockfile-integrity", &mk::gosum_h1(r)),
        20 => b
            .text("ssh-keygen -lf ~/.ssh/id_ed25519.pub  # 256 ")
            .negative("key-fingerprint", &mk::ssh_fingerprint(r)),
        21 => b.text("openssl rand -hex 32 | pbcopy"),
        22 => b
            .text("stripe listen --api-key ")
            .secret("stripe-key", &mk::stripe_secret(r))
            .text(" --forward-to localhost:8080/webhooks"),
        25 => b
            .text("export AWS_SESSION_TOKEN=")
            .shell_secret("aws-session-token", &mk::aws_session_token(r)),
        23 => b
            .text("aws configure set aws_access_key_id ")
            .neutral_as("documented-example-key", mk::AWS_EXAMPLE_ACCESS_KEY)
            .text(" --profile localstack"),
        _ => b
            .text("echo $GITHUB_TOKEN | docker login ghcr.io -u ")
            .neutral_as("username", &me.user)
            .text(" --password-stdin"),
    };
}

/// CI job logs: GitHub Actions (Tune); GitLab CI or Jenkins (HeldOut).
fn ci_log(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let sha = mk::git_sha(r);
    let me = mk::person(r, c.domain);
    if !held {
        // 100 ns ticks, strictly increasing like a real runner log.
        let mut clock: i64 = c.t * 10_000_000 + r.below(10_000_000) as i64;
        let mut line = |b: &mut DocBuilder, r: &mut Rng, _c: &mut Ctx| {
            clock += r.range(2_000, 40_000_000) as i64;
            b.negative(
                "timestamp",
                &ts_gha(clock / 10_000_000, (clock % 10_000_000) as u32),
            )
            .text(" ");
        };
        line(b, r, c);
        b.text("##[group]Run actions/checkout@")
            .negative("git-sha", &mk::git_sha(r))
            .nl();
        for l in [
            "with:",
            &format!("  repository: {}/{}", c.org, c.app),
            "  token: ***",
            "  ssh-strict: true",
            "##[endgroup]",
        ] {
            line(b, r, c);
            b.text(l).nl();
        }
        line(b, r, c);
        t!(
            b,
            "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --depth=1 origin +"
        )
        .negative("git-sha", &sha)
        .text(":refs/remotes/origin/main\n");
        line(b, r, c);
        b.text("HEAD is now at ")
            .negative("git-sha", &sha[..7])
            .text(" fix(checkout): retry on 409\n");
        line(b, r, c);
        b.text("##[group]Run docker/login-action@v3\n");
        for l in [
            "  registry: ghcr.io",
            &format!("  username: {}", me.user),
            "  password: ***",
            "Login Succeeded!",
            "##[endgroup]",
        ] {
            line(b, r, c);
            b.text(l).nl();
        }
        line(b, r, c);
        b.text("#12 exporting manifest ")
            .negative("image-digest", &mk::image_digest(r))
            .text(" done\n");
        line(b, r, c);
        b.text("#12 pushing layers ")
            .negative("duration", &format!("{}.{}s", r.range(1, 40), r.below(10)))
            .text(" done\n");
        line(b, r, c);
        b.negative("version", &mk::version(r))
            .text(": digest: ")
            .negative("image-digest", &mk::image_digest(r))
            .text(&format!(" size: {}\n", r.range(900, 3000)));
        line(b, r, c);
        b.text("##[group]Run ./scripts/deploy.sh\n");
        line(b, r, c);
        b.text("env:\n");
        line(b, r, c);
        t!(b, "  AWS_REGION: {}\n", c.region);
        line(b, r, c);
        b.text("  AWS_ACCESS_KEY_ID: ***\n");
        line(b, r, c);
        match r.below(4) {
            0 => b.text("  DD_API_KEY: ").secret("datadog-key", &r.hex(32)),
            3 => b
                .text("  DEPLOY_API_AUTH: Bearer ")
                .secret("bearer-token", &mk::opaque_token(r)),
            1 => b
                .text("  SLACK_BOT_TOKEN: ")
                .secret("slack-token", &mk::slack_token(r)),
            _ => b
                .text("  SENDGRID_API_KEY: ")
                .secret("sendgrid-key", &mk::sendgrid_key(r)),
        };
        b.nl();
        line(b, r, c);
        b.text("##[endgroup]\n");
        line(b, r, c);
        t!(b, "+ curl -sf -H 'X-Api-Key: ")
            .secret("generic-secret-assignment", &mk::generic_secret(r))
            .text(&format!("' https://api.{}/internal/deploy\n", c.domain));
        line(b, r, c);
        b.text("+ echo \"deploying ")
            .negative("git-sha", &sha[..7])
            .text(" to ")
            .text(c.env)
            .text("\"\n");
        line(b, r, c);
        b.text("traceparent: ")
            .negative("trace-id", &mk::traceparent(r))
            .nl();
        if r.chance(0.5) {
            line(b, r, c);
            b.text(
                "Warning: Unexpected input(s) 'token'; valid inputs are ['username', 'password']\n",
            );
        }
        line(b, r, c);
        b.text(if r.chance(0.5) {
            "##[error]Process completed with exit code 1.\n"
        } else {
            "Cleaning up orphan processes\n"
        });
        return;
    }
    if r.chance(0.5) {
        t!(
            b,
            "Running with gitlab-runner {} (",
            r.one(&["17.3.1", "16.11.0", "17.5.2"])
        )
        .negative("git-sha", &r.hex(8));
        t!(
            b,
            ")\n  on docker-autoscaler-{} {}, system ID: s_{}\nPreparing the \"docker\" executor\n",
            r.range(1, 6),
            r.chars(B64URL, 8),
            r.hex(12)
        );
        b.text("Using docker image ")
            .negative("image-digest", &mk::image_digest(r))
            .text(" for node:20-alpine with digest node@")
            .negative("image-digest", &mk::image_digest(r))
            .text(" ...\n");
        b.text("Running on runner-")
            .text(&r.chars(LOWER_ALNUM, 8))
            .text("-project-")
            .text(&r.digits(5))
            .text("-concurrent-0 via ")
            .secret(
                "internal-hostname",
                &format!("ip-{}.ec2.internal", mk::private_ip(r).replace('.', "-")),
            )
            .text("...\n");
        t!(b, "Fetching changes with git depth set to 20...\nInitialized empty Git repository in /builds/{}/{}/.git/\nChecking out ", c.org, c.app).negative("git-sha", &sha[..8]).text(" as detached HEAD (ref is main)...\n");
        b.text("Executing \"step_script\" stage of the job script\n$ echo \"//registry.npmjs.org/:_authToken=").negative("placeholder", "${NPM_TOKEN}").text("\" > .npmrc\n$ npm ci\n");
        let pkgs = r.range(400, 1500);
        t!(
            b,
            "added {pkgs} packages, and audited {} packages in ",
            pkgs + 1
        )
        .negative("duration", &format!("{}s", r.range(10, 90)))
        .nl();
        b.text("$ export DATABASE_URL=");
        w_db_url_of(b, r, c, "postgres");
        b.text("\n$ docker login -u gitlab-ci-token -p ").negative("placeholder", "$CI_JOB_TOKEN").text(" ").negative("placeholder", "$CI_REGISTRY").text("\nWARNING! Using --password via the CLI is insecure. Use --password-stdin.\nLogin Succeeded\n");
        b.text("$ curl --fail -X POST -F token=")
            .secret("gitlab-token", &format!("glptt-{}", r.hex(40)))
            .text(" -F ref=main https://gitlab.com/api/v4/projects/")
            .text(&r.digits(8))
            .text("/trigger/pipeline\n");
        let pid = r.digits(10);
        t!(b, "{{\"id\":{pid},\"sha\":\"").negative("git-sha", &sha).text(&format!("\",\"ref\":\"main\",\"status\":\"created\",\"web_url\":\"https://gitlab.com/{}/{}/-/pipelines/{pid}\"}}\n", c.org, c.app));
        b.text("Cleaning up project directory and file based variables\nJob succeeded\n");
    } else {
        t!(b, "Started by user ").neutral_as("person-name", &me.display);
        t!(
            b,
            "\nObtained Jenkinsfile from git https://github.com/{}/{}.git\n[Pipeline] Start of Pipeline\n[Pipeline] node\nRunning on build-agent-{:02} in /var/lib/jenkins/workspace/{}_main\n",
            c.org,
            c.app,
            r.range(1, 20),
            c.app
        );
        b.text("[Pipeline] { (Checkout)\n > git rev-parse --resolve-git-dir /var/lib/jenkins/workspace/.git # timeout=10\nChecking out Revision ").negative("git-sha", &sha).text(" (refs/remotes/origin/main)\n");
        b.text("[Pipeline] withCredentials\nMasking supported pattern matches of $NEXUS_PASSWORD or $SONAR_TOKEN\n[Pipeline] sh\n+ ./gradlew publish -PnexusPassword=").negative("placeholder", "****").nl();
        b.text("BUILD SUCCESSFUL in ")
            .negative("duration", &format!("{}s", r.range(20, 300)))
            .nl();
        b.text("[Pipeline] sh\n+ curl -fsS -u deploy:")
            .secret("password-assignment", &mk::password_safe(r))
            .text(" ");
        b.secret(
            "internal-url",
            &format!(
                "https://nexus.{}.corp/service/rest/v1/components?repository=releases",
                c.org
            ),
        )
        .nl();
        b.text("+ curl -s -X POST -H 'Authorization: Bearer ")
            .secret("slack-token", &mk::slack_token(r))
            .text("' https://slack.com/api/chat.postMessage -d channel=C0")
            .text(&r.chars(UPPER_ALNUM, 9))
            .nl();
        b.text("{\"ok\":true,\"channel\":\"C0")
            .text(&r.chars(UPPER_ALNUM, 9))
            .text("\",\"ts\":\"")
            .negative("timestamp", &format!("{}.{}", c.t, r.digits(6)))
            .text("\"}\n");
        b.text("[Pipeline] }\n[Pipeline] // withCredentials\n[Pipeline] End of Pipeline\nFinished: SUCCESS\n");
    }
}

/// Python tracebacks: Django/psycopg with locals (Tune); requests/boto/pytest (HeldOut).
fn stacktrace_python(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let py = r.one(&["3.12", "3.11", "3.13"]);
    let site = format!("/usr/local/lib/python{py}/site-packages");
    let host = format!("pg-main-{}.db.internal", r.below(3));
    let ip = mk::private_ip(r);
    if !held {
        b.negative("timestamp", &ts_space_ms(c.t, r.below(1000) as u32))
            .text(" ERROR django.request Internal Server Error: /api/v1/orders/")
            .negative("uuid", &mk::uuid(r))
            .text("/\n");
        b.text("Traceback (most recent call last):\n");
        t!(
            b,
            "  File \"{site}/django/db/backends/base/base.py\", line 275, in ensure_connection\n    self.connect()\n"
        );
        t!(
            b,
            "  File \"{site}/psycopg2/__init__.py\", line 122, in connect\n    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)\n"
        );
        b.text("psycopg2.OperationalError: connection to server at \"")
            .secret("internal-hostname", &host)
            .text("\" (")
            .secret("private-ip", &ip);
        b.text("), port 5432 failed: FATAL:  password authentication failed for user \"app\"\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n");
        t!(
            b,
            "  File \"/app/orders/views.py\", line {}, in retrieve\n    order = Order.objects.select_related(\"customer\").get(pk=pk)\n",
            r.range(40, 200)
        );
        t!(
            b,
            "  File \"{site}/django/db/models/query.py\", line 645, in get\n    num = len(clone)\n"
        );
        b.text("django.db.utils.OperationalError: connection to server at \"")
            .secret("internal-hostname", &host)
            .text("\" (")
            .secret("private-ip", &ip)
            .text("), port 5432 failed\n\n");
        b.text("Local variables in ensure_connection:\n  dsn = 'dbname=")
            .text(&db_name(c))
            .text(" user=app password=");
        b.secret("connection-string-password", &mk::password_safe(r))
            .text(" host=")
            .secret("internal-hostname", &host)
            .text(" port=5432'\n");
        b.text("  settings_dict = {'ENGINE': 'django.db.backends.postgresql', 'NAME': '")
            .text(&db_name(c))
            .text("', 'USER': 'app', 'PASSWORD': '");
        b.secret("password-assignment", &mk::password(r))
            .text("', 'CONN_MAX_AGE': 60}\n");
        if r.chance(0.6) {
            b.text("  SECRET_KEY = '")
                .secret("generic-secret-assignment", &mk::django_secret(r))
                .text("'\n");
        }
        b.text("  request_id = '")
            .negative("request-id", &mk::uuid(r))
            .text("'\n  sentry_trace = '")
            .negative("trace-id", &format!("{}-{}-1", r.hex(32), r.hex(16)))
            .text("'\n");
        t!(b, "[pid {}] worker exiting after ", r.range(7, 90_000))
            .negative(
                "duration",
                &format!("{}.{:03}s", r.range(0, 30), r.below(1000)),
            )
            .nl();
        return;
    }
    match r.below(3) {
        0 => {
            b.text("Traceback (most recent call last):\n  File \"/opt/jobs/sync_crm.py\", line 57, in <module>\n    main()\n  File \"/opt/jobs/sync_crm.py\", line 41, in main\n    resp.raise_for_status()\n");
            t!(
                b,
                "  File \"/opt/jobs/.venv/lib/python{py}/site-packages/requests/models.py\", line 1024, in raise_for_status\n    raise HTTPError(http_error_msg, response=self)\n"
            );
            b.text("requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://api.hubapi.com/crm/v3/objects/contacts?limit=100&hapikey=");
            b.secret("generic-secret-assignment", &mk::uuid(r)).nl();
            b.text("\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/opt/jobs/notify.py\", line 18, in alert\n");
            b.text("    client = Client(\"")
                .neutral_as("key-id", &mk::twilio_account_sid(r))
                .text("\", \"")
                .secret("twilio-key", &r.hex(32))
                .text("\")\n");
            b.text("twilio.base.exceptions.TwilioRestException: HTTP 401 error: Unable to create record: Authenticate\n");
            b.text("    to: ")
                .secret("phone", &mk::phone_intl(r))
                .text("  more info: ")
                .negative("public-url", "https://www.twilio.com/docs/errors/20003")
                .nl();
            b.text("cron: job sync_crm exited 1 at ")
                .negative("timestamp", &ts_iso_off(c.t, c.off))
                .nl();
        }
        1 => {
            b.text("[ERROR] ")
                .negative("timestamp", &ts_iso_z(c.t))
                .text(" ")
                .negative("request-id", &mk::uuid(r))
                .text(" Unhandled exception\n");
            b.text("Traceback (most recent call last):\n  File \"/var/task/handler.py\", line 33, in lambda_handler\n    s3.upload_fileobj(buf, BUCKET, key)\n");
            t!(
                b,
                "  File \"/var/lang/lib/python{py}/site-packages/botocore/client.py\", line 1023, in _make_api_call\n    raise error_class(parsed_response, operation_name)\n"
            );
            b.text("botocore.exceptions.ClientError: An error occurred (InvalidAccessKeyId) when calling the PutObject operation: The AWS Access Key Id you provided does not exist in our records.\n");
            b.text("  session = boto3.Session(aws_access_key_id='")
                .secret("aws-access-key", &mk::aws_access_key(r));
            b.text("',\n                          aws_secret_access_key='")
                .secret("aws-secret-key", &mk::aws_secret_key(r))
                .text("')\n");
            b.text("  function_arn = '")
                .negative(
                    "arn",
                    &format!(
                        "arn:aws:lambda:{}:{}:function:{}-export",
                        c.region, c.account, c.app
                    ),
                )
                .text("'\n");
            b.text("  x_amzn_trace_id = '")
                .negative("trace-id", &mk::amzn_trace_id(r, c.t))
                .text("'\n");
            b.text("END RequestId: ")
                .negative("request-id", &mk::uuid(r))
                .text("\nREPORT Duration: ")
                .negative(
                    "duration",
                    &format!("{}.{} ms", r.range(10, 3000), r.below(100)),
                )
                .text("\tMemory Size: 512 MB\n");
        }
        _ => {
            b.text("=================================== FAILURES ===================================\n__________________________ test_webhook_signature ______________________________\n\n");
            b.text("client = <FlaskClient <Flask 'app'>>\nsettings = {'WEBHOOK_SECRET': '")
                .secret("stripe-key", &mk::stripe_webhook_secret(r));
            b.text("', 'STRIPE_KEY': '")
                .secret("stripe-key", &mk::stripe_secret(r))
                .text("', 'REGION': '")
                .text(c.region)
                .text("'}\n\n");
            b.text("    def test_webhook_signature(client, settings):\n        payload = load_fixture(\"charge_succeeded.json\")\n>       assert resp.status_code == 200\nE       assert 400 == 200\nE        +  where 400 = <WrapperTestResponse streamed [400 BAD REQUEST]>.status_code\n\n");
            b.text("tests/test_webhooks.py:42: AssertionError\n------------------------------ Captured log call -------------------------------\n");
            b.text("WARNING  app.webhooks:webhooks.py:31 signature mismatch for ")
                .negative("request-id", &format!("evt_{}", r.chars(ALNUM, 24)))
                .text(" (request ")
                .negative("request-id", &format!("req_{}", r.chars(ALNUM, 14)))
                .text(")\n");
            b.text("DEBUG    app.db:db.py:12 connecting to ");
            w_db_url_of(b, r, c, "postgres");
            b.text("\n=========================== short test summary info ============================\nFAILED tests/test_webhooks.py::test_webhook_signature - assert 400 == 200\n");
            t!(
                b,
                "=================== 1 failed, {} passed in ",
                r.range(20, 400)
            )
            .negative(
                "duration",
                &format!("{}.{:02}s", r.range(2, 90), r.below(100)),
            )
            .text(" ===================\n");
        }
    }
}

/// Java stack traces: Spring Boot startup failure (Tune); log4j / AWS SDK / Feign (HeldOut).
fn stacktrace_java(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let host = format!("pg-main-{}.db.internal", r.below(3));
    let db = db_name(c);
    let pkg = format!("com.{}.{}", c.org, db.replace('_', ""));
    if !held {
        let pre = |b: &mut DocBuilder, r: &mut Rng, c: &mut Ctx, lvl: &str, logger: &str| {
            let t = c.tick(r, 0, 2);
            b.negative(
                "timestamp",
                &format!(
                    "{}{}",
                    ts_iso_ms_z(t, r.below(1000) as u32).trim_end_matches('Z'),
                    offset_str(c.off, true)
                ),
            );
            t!(
                b,
                " {lvl:>5} 1 --- [{}] [           main] {logger:<40} : ",
                c.app
            );
        };
        pre(b, r, c, "INFO", "c.z.h.HikariDataSource");
        b.text("HikariPool-1 - Starting...\n");
        pre(b, r, c, "DEBUG", "o.s.b.c.p.s.ConfigDataEnvironment");
        b.text("spring.datasource.url=jdbc:postgresql://")
            .secret("internal-hostname", &host)
            .text(&format!(
                ":5432/{db}, spring.datasource.username=app, spring.datasource.password="
            ));
        b.secret("password-assignment", &mk::password_safe(r)).nl();
        pre(b, r, c, "ERROR", "o.s.boot.SpringApplication");
        b.text("Application run failed\n\norg.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource' defined in class path resource [org/springframework/boot/autoconfigure/jdbc/DataSourceConfiguration$Hikari.class]: Failed to instantiate [com.zaxxer.hikari.HikariDataSource]\n");
        for f in [
            "org.springframework.beans.factory.support.ConstructorResolver.instantiate(ConstructorResolver.java:648)",
            "org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.createBean(AbstractAutowireCapableBeanFactory.java:522)",
            "org.springframework.boot.SpringApplication.run(SpringApplication.java:335)",
        ] {
            t!(b, "\tat {f}\n");
        }
        t!(
            b,
            "\tat {pkg}.Application.main(Application.java:{})\n",
            r.range(10, 40)
        );
        b.text("Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user \"app\"\n");
        b.text("\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)\n\tat org.postgresql.Driver.connect(Driver.java:297)\n");
        t!(b, "\t... {} common frames omitted\n", r.range(20, 60));
        b.text("Caused by: java.net.ConnectException: Connection to ")
            .secret("private-ip", &mk::private_ip(r))
            .text(":5432 refused. Check that the hostname and port are correct\n");
        b.text("\t... 48 common frames omitted\n\n");
        pre(b, r, c, "INFO", "o.s.b.a.l.ConditionEvaluationReportLogger");
        b.text("Error starting ApplicationContext. To display the condition evaluation report re-run your application with 'debug' enabled.\n");
        b.text("Application version: ")
            .negative("version", &mk::version(r))
            .text(", git.commit.id=")
            .negative("git-sha", &mk::git_sha(r))
            .text("\n");
        return;
    }
    let mut clk: i64 = c.t * 1000 + r.below(1000) as i64;
    let mut ts = |r: &mut Rng| {
        clk += r.range(3, 400) as i64;
        format!("{},{:03}", ts_space(clk / 1000), clk % 1000)
    };
    t!(b, "[ERROR] ").negative("timestamp", &ts(r));
    t!(
        b,
        " [http-nio-8080-exec-{}] {pkg}.payments.PaymentClient - charge failed for order ",
        r.range(1, 20)
    )
    .negative("non-luhn-number", &mk::non_luhn_16(r))
    .nl();
    b.text("feign.FeignException$Unauthorized: [401 Unauthorized] during [POST] to [https://api.")
        .text(c.domain)
        .text(
            "/v2/charges] [PaymentClient#charge(ChargeRequest)]: [{\"error\":\"invalid_token\"}]\n",
        );
    b.text("\tat feign.FeignException.clientErrorStatus(FeignException.java:222)\n\tat feign.SynchronousMethodHandler.executeAndDecode(SynchronousMethodHandler.java:142)\n");
    t!(
        b,
        "\tat {pkg}.payments.PaymentService.charge(PaymentService.kt:{})\n",
        r.range(30, 300)
    );
    t!(b, "[DEBUG] ")
        .negative("timestamp", &ts(r))
        .text(
            " [http-nio-8080-exec-3] feign.Logger - [PaymentClient#charge] ---> POST https://api.",
        )
        .text(c.domain)
        .text("/v2/charges HTTP/1.1\n");
    t!(b, "[DEBUG] ").negative("timestamp", &ts(r)).text(
        " [http-nio-8080-exec-3] feign.Logger - [PaymentClient#charge] Authorization: Bearer ",
    );
    if r.chance(0.5) {
        b.secret(
            "jwt",
            &mk::jwt(
                r,
                c.t,
                &format!("https://auth.{}/", c.domain),
                "svc-payments",
            ),
        )
        .nl();
    } else {
        b.secret("bearer-token", &mk::opaque_token(r)).nl();
    }
    t!(b, "[DEBUG] ")
        .negative("timestamp", &ts(r))
        .text(" [http-nio-8080-exec-3] feign.Logger - [PaymentClient#charge] traceparent: ")
        .negative("trace-id", &mk::traceparent(r))
        .nl();
    t!(b, "[WARN ] ")
        .negative("timestamp", &ts(r))
        .text(" [s3-uploader-1] c.a.s.s3.AmazonS3Client - upload of receipts/");
    b.negative("uuid", &mk::uuid(r)).text(".pdf failed\ncom.amazonaws.services.s3.model.AmazonS3Exception: The AWS Access Key Id you provided does not exist in our records. (Service: Amazon S3; Status Code: 403; Error Code: InvalidAccessKeyId; Request ID: ");
    b.negative("request-id", &r.chars(UPPER_ALNUM, 16))
        .text("; S3 Extended Request ID: ")
        .negative("request-id", &b64(&r.bytes(57)))
        .text("; Proxy: null)\n");
    b.text("\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse(AmazonHttpClient.java:1879)\n");
    t!(
        b,
        "\tat {pkg}.storage.ReceiptStore.put(ReceiptStore.java:{})\n",
        r.range(20, 120)
    );
    b.text("  config: S3Config(bucket=")
        .text(c.org)
        .text("-receipts, accessKey=")
        .secret("aws-access-key", &mk::aws_access_key(r));
    b.text(", secretKey=")
        .secret("aws-secret-key", &mk::aws_secret_key(r))
        .text(", region=")
        .text(c.region)
        .text(")\n");
    b.text("Caused by: javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target\n\t... 31 more\n");
    t!(b, "[INFO ] ").negative("timestamp", &ts(r)).text(" [main] o.a.c.h.Http11NioProtocol - Pausing ProtocolHandler [\"http-nio-8080\"] after ").negative("duration", "30000ms").nl();
}

/// Go: panic + goroutine dump with %+v config (Tune); logfmt/zap lines and `go test` output (HeldOut).
fn stacktrace_go(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let module = format!("github.com/{}/{}", c.org, c.app);
    let addr = |r: &mut Rng| format!("0xc000{}", r.hex(6));
    if !held {
        b.negative("timestamp", &ts_slash(c.t))
            .text(" starting ")
            .text(c.app)
            .text(" version=")
            .negative("version", &mk::version(r))
            .text(" commit=")
            .negative("git-sha", &mk::short_sha(r))
            .nl();
        b.negative("timestamp", &ts_slash(c.t))
            .text(" config: &{Addr::8080 DSN:");
        w_db_url_of(b, r, c, "postgres");
        b.text(" RedisAddr:")
            .secret(
                "internal-hostname",
                &format!("redis-master.{}.svc.cluster.local", c.ns),
            )
            .text(":6379 JWTSecret:");
        b.secret("generic-secret-assignment", &mk::generic_secret(r))
            .text(" LogLevel:info Timeout:")
            .negative("duration", "5s")
            .text("}\n");
        b.text("panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=").negative("memory-address", &format!("0x{}", r.hex(6))).text("]\n\ngoroutine 1 [running]:\n");
        t!(b, "{module}/internal/store.(*Store).Ping(0x0, {{")
            .negative("memory-address", &format!("0x{}", r.hex(6)))
            .text(", ")
            .negative("memory-address", &addr(r))
            .text("})\n");
        t!(
            b,
            "\t/build/internal/store/store.go:{} +0x1c\nmain.run({{",
            r.range(40, 200)
        )
        .negative("memory-address", &format!("0x{}?", r.hex(6)))
        .text(", ")
        .negative("memory-address", &format!("{}?", addr(r)))
        .text("})\n");
        t!(
            b,
            "\t/build/cmd/{}/main.go:{} +0x2b4\nmain.main()\n\t/build/cmd/{}/main.go:31 +0x25\n",
            c.app,
            r.range(40, 120),
            c.app
        );
        t!(b, "\ngoroutine 18 [select]:\ngithub.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck(").negative("memory-address", &addr(r)).text(")\n");
        b.text("\t/go/pkg/mod/github.com/jackc/pgx/v5@").negative("version", "v5.5.2").text("/pgxpool/pool.go:433 +0xe5\ncreated by github.com/jackc/pgx/v5/pgxpool.NewWithConfig in goroutine 1\n");
        b.text("\t/go/pkg/mod/github.com/jackc/pgx/v5@")
            .negative("version", "v5.5.2")
            .text("/pgxpool/pool.go:297 +0x6d9\nexit status 2\n");
        b.text("# go.sum\ngithub.com/jackc/pgx/v5 v5.5.2 ")
            .negative("lockfile-integrity", &mk::gosum_h1(r))
            .nl();
        return;
    }
    let n = r.range(5, 8);
    for i in 0..n {
        let t = c.tick(r, 0, 30);
        if r.chance(0.5) {
            b.text("ts=")
                .negative("timestamp", &ts_iso_ms_z(t, r.below(1000) as u32));
            t!(
                b,
                " level={} caller=worker/consumer.go:{} msg=",
                if i % 3 == 0 { "error" } else { "warn" },
                r.range(40, 300)
            );
            match r.below(3) {
                0 => {
                    b.text("\"failed to connect\" err=\"dial tcp ")
                        .secret("private-ip", &mk::private_ip(r))
                        .text(":5432: connect: connection refused\" dsn=\"");
                    w_db_url_of(b, r, c, "postgres");
                    b.text("\" attempt=")
                        .text(&r.range(1, 5).to_string())
                        .text(" backoff=")
                        .negative("duration", &format!("{}.{}s", r.range(0, 9), r.range(1, 9)))
                        .nl();
                }
                1 => {
                    b.text("\"kafka fetch\" broker=")
                        .secret(
                            "internal-hostname",
                            &format!(
                                "kafka-{}.kafka-headless.{}.svc.cluster.local",
                                r.below(3),
                                c.ns
                            ),
                        )
                        .text(":9092 lag=")
                        .text(&r.range(0, 9000).to_string());
                    b.text(" trace_id=")
                        .negative("trace-id", &r.hex(32))
                        .text(" span_id=")
                        .negative("trace-id", &r.hex(16))
                        .nl();
                }
                _ => {
                    b.text("\"retrying webhook\" url=")
                        .negative(
                            "public-url",
                            &format!("https://api.{}/hooks/orders", c.domain),
                        )
                        .text(" status=502 elapsed=")
                        .negative("duration", &format!("{}ms", r.range(5, 3000)))
                        .nl();
                }
            }
        } else {
            b.text("{\"level\":\"error\",\"ts\":")
                .negative("timestamp", &format!("{t}.{}", r.digits(4)))
                .text(",\"caller\":\"client/http.go:");
            t!(
                b,
                "{}\",\"msg\":\"upstream returned 401\",\"url\":\"https://api.vendor-",
                r.range(40, 300)
            )
            .text(c.org)
            .text(".com/v2/events\",\"token\":");
            if r.chance(0.5) {
                b.json_secret("bearer-token", &mk::opaque_token(r));
            } else {
                b.json_secret("vendor-token", &mk::vendor_token(r).value);
            }
            b.text(",\"request_id\":\"")
                .negative("request-id", &mk::request_id(r))
                .text("\"}\n");
        }
    }
    t!(
        b,
        "$ go test ./internal/client/...\n--- FAIL: TestSignedRequest ("
    )
    .negative("duration", &format!("0.{:02}s", r.below(100)))
    .text(")\n");
    b.text("    client_test.go:55: unexpected header Authorization: Basic ")
        .secret(
            "basic-auth",
            &b64(format!("svc:{}", mk::password_safe(r)).as_bytes()),
        )
        .nl();
    b.text("    client_test.go:61: want X-Signature ")
        .negative("content-hash", &mk::sha256_hex(r))
        .nl();
    b.text("panic: send on closed channel [recovered]\n\ngoroutine 42 [running]:\n")
        .text(&module)
        .text("/internal/client.(*Pool).worker(")
        .negative("memory-address", &format!("0xc000{}", r.hex(6)))
        .text(")\n\t/build/internal/client/pool.go:88 +0x1d4\n");
    t!(b, "FAIL\nFAIL\t{module}/internal/client\t")
        .negative("duration", &format!("0.{:03}s", r.below(1000)))
        .text("\nFAIL\n");
}

/// Chat: Slack copy-paste (Tune); Slack JSON export (HeldOut).
fn chat_message(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let np = r.range(3, 5);
    let people: Vec<mk::Person> = (0..np).map(|_| mk::person(r, c.domain)).collect();
    let channel = r.one(&[
        "incident-checkout",
        "platform",
        "oncall",
        "deploys",
        "ask-sre",
        "payments-eng",
    ]);
    if !held {
        t!(b, "#{channel}\n");
        b.text("── ")
            .negative("timestamp", &ts_date(c.t))
            .text(" ──\n");
        let n = r.range(8, 13);
        let mut kinds: Vec<usize> = (0..19).collect();
        r.shuffle(&mut kinds);
        for _ in 0..n {
            let p = &people[r.below(people.len())];
            let t = c.tick(r, 20, 600);
            b.neutral_as("person-name", &p.display)
                .text("  ")
                .negative("timestamp", &ts_ampm(t))
                .nl();
            let k = kinds.pop().unwrap_or(5);
            chat_tune_msg(r, b, c, &people, k);
            b.nl();
            if r.chance(0.25) {
                match r.below(3) {
                    0 => t!(b, ":eyes: {}  :+1: {}\n", r.range(1, 4), r.range(1, 6)),
                    1 => t!(
                        b,
                        "{} replies  Last reply today at {}\n",
                        r.range(2, 9),
                        ts_ampm(t + 900)
                    ),
                    _ => b
                        .text("seen by ")
                        .neutral_as("person-name", &people[0].display)
                        .text(" and ")
                        .negative("counter", "+1")
                        .text(" more\n"),
                };
            }
        }
        return;
    }
    let ids: Vec<String> = people
        .iter()
        .map(|_| format!("U0{}", r.chars(UPPER_ALNUM, 9)))
        .collect();
    b.text("[\n");
    let n = r.range(5, 7);
    let mut kinds: Vec<usize> = (0..17).collect();
    r.shuffle(&mut kinds);
    for i in 0..n {
        let who = r.below(people.len());
        let t = c.tick(r, 20, 900);
        b.text("    {\n        \"type\": \"message\",\n        \"user\": \"")
            .negative("user-id", &ids[who])
            .text("\",\n        \"text\": \"");
        let k = kinds.pop().unwrap_or(7);
        chat_heldout_msg(r, b, c, &people, &ids, k);
        b.text("\",\n        \"ts\": \"")
            .negative("timestamp", &format!("{t}.{}", r.digits(6)))
            .text("\",\n");
        b.text("        \"user_profile\": {\"real_name\": \"")
            .neutral_as("person-name", &people[who].display);
        t!(
            b,
            "\", \"display_name\": \"{}\"}}\n    }}{}\n",
            people[who].fa,
            if i + 1 < n { "," } else { "" }
        );
    }
    b.text("]\n");
}

fn chat_tune_msg(r: &mut Rng, b: &mut DocBuilder, c: &Ctx, people: &[mk::Person], k: usize) {
    match k {
        0 => b.text("anyone know why checkout is 502ing? seeing `upstream timed out (110) while reading response header from upstream, client: ").secret("private-ip", &mk::private_ip(r)).text("`"),
        1 => b.text("ok found it, someone rotated the db creds. new password is `").secret("password-assignment", &mk::password(r)).text("` for user `app` — will move it to vault after :see_no_evil:"),
        2 => b.text("here's the token for the staging bot: ").secret("slack-token", &mk::slack_token(r)),
        3 => b.text("call me on ").secret("phone", &mk::phone_intl(r)).text(" if it pages again tonight 🙏"),
        4 => b.text("ping ").secret("email", &people[r.below(people.len())].email).text(" — they own the billing worker"),
        5 => b.text("fix is in `").negative("git-sha", &mk::short_sha(r)).text("`, tagged ").negative("version", &mk::version(r)),
        6 => b.text("link from the alert: ").secret("internal-url", &mk::internal_url(r, c)),
        7 => b.text("trace for the slow request: `").negative("trace-id", &r.hex(32)).text("` (p99 was ").negative("duration", &format!("{}ms", r.range(800, 4000))).text(")"),
        8 => t!(b, "PR: https://github.com/{}/{}/pull/{} (", c.org, c.app, r.range(100, 5000)).negative("counter", &format!("+{}", r.range(3, 1500))).text(" −").text(&r.range(1, 400).to_string()).text(")"),
        9 => b.text(":white_check_mark: shipped. order `").negative("uuid", &mk::uuid(r)).text("` went through at ").negative("timestamp", &ts_iso_off(c.t, c.off)),
        10 => b.text("pls use `").negative("placeholder", "<YOUR_TOKEN>").text("` in the README example, not a real one"),
        11 => b.text("sandbox keys: ").secret("aws-access-key", &mk::aws_access_key(r)).text(" / ").secret("aws-secret-key", &mk::aws_secret_key(r)),
        12 => b.text("my desk line is ").secret("phone-national", &mk::phone_national(r)).text(" if slack is down"),
        13 => b.text("the alerts webhook is ").secret("slack-webhook", &mk::slack_webhook(r)).text(" fwiw"),
        14 => {
            let cu = mk::customer(r);
            b.text("customer ").neutral_as("person-name", &cu.display).text(" (").secret("email", &cu.email).text(") says they were charged twice, ticket #").text(&r.range(10_000, 99_999).to_string())
        }
        15 => b.text("db is ").secret("internal-hostname", &mk::internal_host(r, c)).text(" (").secret("private-ip", &mk::private_ip(r)).text(") — do NOT restart it"),
        16 => t!(b, "ran `kubectl -n {} rollout restart deploy/{}` at {} ", c.ns, c.app, ts_hm(c.t)).negative("timestamp", &format!("UTC{}", offset_str(c.off, true))),
        17 => b.text("audit log says the key was created by `").negative("user-id", &format!("U0{}", r.chars(UPPER_ALNUM, 9))).text("` via the API, not the UI"),
        _ => b.text("works for me: `curl -H 'Authorization: Bearer ").secret("jwt", &mk::jwt(r, c.t, &format!("https://auth.{}/", c.domain), &people[0].user)).text(&format!("' https://api.{}/v1/me`", c.domain)),
    };
}

fn chat_heldout_msg(
    r: &mut Rng,
    b: &mut DocBuilder,
    c: &Ctx,
    people: &[mk::Person],
    ids: &[String],
    k: usize,
) {
    match k {
        0 => b
            .text("heads up: prod DB password got pasted in #general earlier, it was `")
            .secret("password-assignment", &mk::password_safe(r))
            .text("` - rotating now"),
        1 => {
            let e = &people[r.below(people.len())].email;
            b.text("<mailto:")
                .secret("email", e)
                .text("|")
                .secret("email", e)
                .text("> can you take a look?")
        }
        2 => b
            .text("here you go: <")
            .secret("internal-url", &mk::internal_url(r, c))
            .text("|grafana>"),
        3 => {
            b.text("SAS link for the export (expires friday): <");
            w_sas_url(b, r, c);
            b.text(">")
        }
        4 => b
            .text("my number is ")
            .secret("phone", &mk::phone_intl(r))
            .text(", text me if the bridge drops"),
        16 => b
            .text("new bot token is ")
            .secret("slack-token", &mk::slack_token(r))
            .text(" (old one revoked)"),
        5 => b
            .text("token for the CI user: ")
            .secret("gitlab-token", &mk::gitlab_token(r)),
        6 => b
            .text("sentry event `")
            .negative("uuid", &mk::uuid(r))
            .text("` only on release ")
            .negative("version", &mk::version(r)),
        7 => b.text("reverted in ").negative("git-sha", &mk::git_sha(r)),
        8 => b
            .text("stripe key for staging: `")
            .secret("stripe-key", &mk::stripe_secret(r))
            .text("`"),
        9 => b
            .text("NI number for the payroll form is ")
            .secret("national-id", &mk::nino(r))
            .text(" - wrong channel, sorry, deleting"),
        10 => b
            .text("traceparent ")
            .negative("trace-id", &mk::traceparent(r)),
        11 => b
            .text("digest ")
            .negative("image-digest", &mk::image_digest(r))
            .text(" is the good one :green_heart:"),
        12 => b
            .text("bastion is ")
            .secret("private-ip", &mk::private_ip(r))
            .text(" internally, ")
            .negative("public-ip", &mk::public_ip(r))
            .text(" from outside"),
        13 => b.text("shared openai key for the hackathon: ").secret(
            "vendor-token",
            &format!(
                "sk-proj-{}T3BlbkFJ{}",
                r.chars(B64URL, 64),
                r.chars(B64URL, 64)
            ),
        ),
        14 => b
            .text("<@")
            .negative("user-id", &ids[r.below(ids.len())])
            .text("> ^ can you approve the change?"),
        _ => b
            .text("docs: <")
            .negative(
                "public-url",
                "https://kubernetes.io/docs/concepts/configuration/secret/",
            )
            .text("|k8s secrets> and <https://developer.hashicorp.com/vault/docs|vault>"),
    };
}

/// Runbooks in Markdown: fenced commands (Tune); table/admonition wiki style (HeldOut).
fn runbook_markdown(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let owner = mk::person(r, c.domain);
    let alert = r.one(&[
        "CheckoutApiP99Slow",
        "PostgresConnectionsExhausted",
        "OrdersQueueBacklog",
        "CertExpirySoon",
    ]);
    if !held {
        t!(b, "# Runbook: {} — {alert}\n\n**Owner:** ", c.app)
            .neutral_as("person-name", &owner.display)
            .text(" (")
            .secret("email", &owner.email);
        b.text(") · **Last reviewed:** ")
            .negative("timestamp", &ts_date(c.t))
            .text(" · **Dashboard:** [Grafana](")
            .secret(
                "internal-url",
                &format!(
                    "http://grafana.monitoring.svc.cluster.local:3000/d/{}/{}-overview?orgId=1",
                    r.chars(ALNUM, 9),
                    c.app
                ),
            )
            .text(")\n\n");
        t!(
            b,
            "## Symptoms\n\n- `{alert}` firing for more than 5m\n- p99 latency above "
        )
        .negative("duration", "800ms")
        .text(&format!(" on `{}`\n\n## Diagnosis\n\n```bash\n", c.app));
        t!(
            b,
            "kubectl -n {} get pods -l app.kubernetes.io/name={}\nkubectl -n {} logs deploy/{} --since=15m | grep -i 'connection refused'\n```\n\n",
            c.ns,
            c.app,
            c.ns,
            c.app
        );
        t!(
            b,
            "## Fix\n\n1. Fetch the DB password from Vault (never paste it here):\n   ```bash\n   export PGPASSWORD=$(vault kv get -field=password kv/{}/{}/db)\n   psql -h ",
            c.env,
            c.app
        );
        b.negative("placeholder", "<DB_HOST>")
            .text(&format!(" -U app -d {}\n   ```\n", db_name(c)));
        b.text("2. If Vault is down, use the break-glass credentials:\n   ```\n   psql \"");
        w_db_url_of(b, r, c, "postgres");
        b.text("\"\n   ```\n");
        if r.chance(0.6) {
            b.text("   Vault root token for emergencies only: `")
                .secret("vault-token", &mk::vault_token(r))
                .text("`\n");
        }
        t!(b, "3. Restart: `kubectl -n {} rollout restart deploy/{}`\n4. Post in #incidents using the template, with `API_KEY=", c.ns, c.app).negative("placeholder", "${API_KEY}").text("` left as-is.\n\n");
        b.text("## References\n\n- ").negative(
            "public-url",
            "https://www.postgresql.org/docs/16/app-psql.html",
        );
        t!(
            b,
            "\n- Upstream issue: https://github.com/{}/{}/issues/{}\n- Last change: commit `",
            c.org,
            c.app,
            r.range(100, 3000)
        )
        .negative("git-sha", &mk::short_sha(r));
        b.text("` (")
            .negative("version", &mk::version(r))
            .text(")\n- Escalation: page the on-call, or call ")
            .secret("phone", &mk::phone_intl(r))
            .nl();
        return;
    }
    t!(
        b,
        "{} — operational notes\n{}\n\n",
        c.app,
        "=".repeat(c.app.len() + 22)
    );
    b.text("> [!WARNING]\n> Rotate any key you use from this page. Placeholders look like `")
        .negative("placeholder", "REPLACE_ME")
        .text("` or `");
    b.negative("placeholder", "{{ .Values.api.key }}")
        .text("`.\n\n| Environment | Endpoint | Credentials |\n|---|---|---|\n");
    b.text("| staging | ")
        .negative("documentation-address", "https://api.staging.example.com")
        .text(" | see 1Password item \"API staging\" |\n");
    t!(b, "| prod | https://api.{} | `X-Api-Key: ", c.domain)
        .secret("generic-secret-assignment", &mk::generic_secret(r))
        .text("` |\n");
    b.text("| admin | ")
        .secret(
            "internal-url",
            &format!("https://admin.{}.internal/", c.org),
        )
        .text(" | `admin` / `")
        .secret("password-assignment", &mk::password(r))
        .text("` |\n\n");
    b.text("### Health check\n\n```http\nGET /v2/health HTTP/1.1\nHost: api.")
        .text(c.domain)
        .text("\nAuthorization: Basic ");
    b.secret(
        "basic-auth",
        &b64(format!("ops:{}", mk::password_safe(r)).as_bytes()),
    )
    .text("\nX-Request-Id: ")
    .negative("uuid", &mk::uuid(r))
    .text("\n```\n\n");
    t!(
        b,
        "### Reading the DB password\n\n```console\n$ aws ssm get-parameter --name /{}/{}/db_password --with-decryption --query Parameter.Value --output text\n",
        c.env,
        c.app
    );
    b.negative("placeholder", "********")
        .text("\n```\n\nThe parameter ARN is ")
        .negative(
            "arn",
            &format!(
                "arn:aws:ssm:{}:{}:parameter/{}/{}/db_password",
                c.region, c.account, c.env, c.app
            ),
        )
        .text(".\n\n");
    b.text("### Known IPs\n\n- NAT egress: ")
        .negative("public-ip", &mk::public_ip(r))
        .text(" (allow-listed at the payment provider)\n- Internal LB: ")
        .secret("private-ip", &mk::private_ip(r));
    b.text("\n- Docs example range: ")
        .negative("documentation-address", "198.51.100.0/24")
        .text(" — ignore\n\n");
    b.text("### Contacts\n\n1. On-call SRE: ")
        .secret("phone", &mk::phone_intl(r))
        .text("\n2. DBA: ")
        .neutral_as("person-name", &owner.display)
        .text(" <")
        .secret("email", &owner.email)
        .text(">\n");
    b.text("3. Vendor support: ")
        .negative("documentation-address", "support@example.com")
        .text(" (ticket ")
        .negative("non-luhn-number", &mk::non_luhn_16(r))
        .text(")\n");
}

/// Deployment notes: release notes (Tune); change-request form (HeldOut).
fn deployment_notes(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let who = mk::person(r, c.domain);
    let ver = mk::version(r);
    if !held {
        t!(b, "Release {} {ver} — {}\n", c.app, ts_date(c.t));
        b.text("================================\nDeployed by: ")
            .neutral_as("person-name", &who.display)
            .text(" <")
            .secret("email", &who.email)
            .text(">\nCommit: ");
        let sha = mk::git_sha(r);
        b.negative("git-sha", &sha)
            .text(" (")
            .negative("git-sha", &sha[..7])
            .text(&format!(")\nImage: ghcr.io/{}/{}@", c.org, c.app))
            .negative("image-digest", &mk::image_digest(r));
        b.text("\nWindow: ")
            .negative("timestamp", &ts_iso_off(c.t, c.off))
            .text(" – ")
            .negative("timestamp", &ts_iso_off(c.t + 1800, c.off))
            .text("\n\nChanges\n");
        t!(
            b,
            "- feat(checkout): retry Stripe webhooks with backoff (#{})\n- fix: bump pgx to ",
            r.range(100, 3000)
        )
        .negative("version", "v5.5.2")
        .text(" (go.sum ")
        .negative("lockfile-integrity", &mk::gosum_h1(r))
        .text(")\n");
        b.text("- chore(deps): lodash 4.17.21, integrity ")
            .negative("lockfile-integrity", &mk::npm_integrity(r))
            .nl();
        b.text("\nMigration\n  Ran `migrate -path ./migrations -database \"");
        w_db_url_of(b, r, c, "postgres");
        b.text("\" up`\n  → 3 migrations applied in ")
            .negative("duration", &format!("{}.{}s", r.range(0, 9), r.below(10)))
            .text("\n\nRollback\n");
        t!(
            b,
            "  helm rollback {} {} -n {}\n  # or pin the previous image: --set image.tag=",
            c.app,
            r.range(10, 90),
            c.ns
        )
        .negative("version", &mk::version(r))
        .text("\n\nNotes\n");
        b.text("- New env var WEBHOOK_SIGNING_SECRET=")
            .secret("generic-secret-assignment", &mk::generic_secret(r))
            .text(" must be in Vault before the next deploy\n");
        if r.chance(0.5) {
            b.text("- Artifacts: ");
            w_sas_url(b, r, c);
            b.nl();
        }
        b.text("- First request trace: ")
            .negative("trace-id", &mk::traceparent(r))
            .text("\n- Smoke test took ")
            .negative("duration", &format!("{}s", r.range(20, 200)))
            .text(", all green ✅\n");
        return;
    }
    let chg = format!("CHG{:07}", r.range(10_000, 9_999_999));
    let impl_ = mk::person(r, c.domain);
    t!(b, "CHANGE REQUEST {chg}\nTitle:          Rotate {} DB credentials and upgrade to PostgreSQL 16\nRequested by:   ", c.app).neutral_as("person-name", &who.display).text(" (").secret("email", &who.email).text(")\n");
    b.text("Implementer:    ")
        .neutral_as("person-name", &impl_.display)
        .text("  tel. ")
        .secret("phone", &mk::phone_intl(r))
        .text("\nRisk:           Medium      Impact: Low\n");
    b.text("Planned start:  ")
        .negative(
            "timestamp",
            &format!("{} {}", ts_space(c.t), offset_str(0, false)),
        )
        .text("\nPlanned end:    ")
        .negative(
            "timestamp",
            &format!("{} {}", ts_space(c.t + 5400), offset_str(0, false)),
        );
    t!(b, "\nCI:             {}-{} (", c.app, c.env)
        .negative(
            "arn",
            &format!(
                "arn:aws:rds:{}:{}:db:{}-{}",
                c.region, c.account, c.app, c.env
            ),
        )
        .text(")\n\nImplementation plan:\n");
    t!(
        b,
        "  1. Snapshot the instance (rds:{}-{}-{})\n  2. aws rds modify-db-instance --db-instance-identifier {}-{} \\\n       --master-user-password '",
        c.app,
        c.env,
        ts_date(c.t),
        c.app,
        c.env
    );
    b.secret("password-assignment", &mk::password(r))
        .text("' --apply-immediately\n  3. Update the secret ")
        .negative("arn", &mk::arn(r, c))
        .text("\n  4. Restart consumers: kubectl -n ")
        .text(c.ns)
        .text(" rollout restart deploy/")
        .text(c.app)
        .text("\n\nVerification:\n");
    t!(
        b,
        "  - curl -s -o /dev/null -w '%{{http_code}}' https://api.{}/healthz → 200\n  - Grafana: ",
        c.domain
    )
    .secret("internal-url", &mk::internal_url(r, c))
    .nl();
    b.text("  - Error rate below 0.1% for ")
        .negative("duration", "30m")
        .text(
            "\n\nBackout plan:\n  Restore snapshot; old password kept in Secrets Manager version ",
        )
        .negative("uuid", &mk::uuid(r))
        .text(" (AWSPREVIOUS).\n\n");
    b.text("Approvals:      CAB ")
        .negative("timestamp", &ts_date(c.t - 2 * 86_400))
        .text(" — approved by ")
        .neutral_as("person-name", &mk::person(r, c.domain).display)
        .nl();
    b.text("Related:        INC-")
        .text(&r.range(1000, 9999).to_string())
        .text(", ")
        .negative(
            "public-url",
            &format!(
                "https://github.com/{}/{}/pull/{}",
                c.org,
                c.app,
                r.range(100, 4000)
            ),
        )
        .nl();
}

/// HTTP debugging: `curl -v` against public APIs (Tune); HTTPie and curl -u against internal hosts (HeldOut).
fn curl_verbose(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    if held {
        curl_heldout(r, b, c);
        return;
    }
    let target = r.below(6);
    let internal = target == 3;
    let (host, ip): (String, String) = match target {
        0 => ("api.github.com".into(), "140.82.112.6".into()),
        1 => ("api.stripe.com".into(), mk::public_ip(r)),
        2 => ("slack.com".into(), mk::public_ip(r)),
        3 => (format!("api.{}.internal", c.org), mk::private_ip(r)),
        4 => ("api.datadoghq.eu".into(), mk::public_ip(r)),
        _ => (format!("api.{}", c.domain), mk::public_ip(r)),
    };
    let (method, path) = match target {
        0 => (
            "GET",
            format!("/repos/{}/{}/actions/runs?per_page=1", c.org, c.app),
        ),
        1 => ("GET", "/v1/balance".to_string()),
        2 => ("POST", "/api/chat.postMessage".to_string()),
        3 => ("GET", format!("/v1/orders?customer={}", mk::uuid(r))),
        4 => ("POST", "/api/v2/series".to_string()),
        _ => ("GET", "/v1/me".to_string()),
    };
    // Headers passed with -H and echoed back by curl as `> Name: value`.
    let mut headers: Vec<(&str, &'static str, String)> = Vec::new();
    match target {
        0 => headers.push((
            "Authorization: Bearer ",
            "github-token",
            mk::github_token(r),
        )),
        2 => headers.push(("Authorization: Bearer ", "slack-token", mk::slack_token(r))),
        3 => headers.push((
            "X-Api-Key: ",
            "generic-secret-assignment",
            mk::generic_secret(r),
        )),
        4 => {
            headers.push(("DD-API-KEY: ", "datadog-key", r.hex(32)));
            headers.push(("DD-APPLICATION-KEY: ", "datadog-key", r.hex(40)));
        }
        5 => {
            if r.chance(0.5) {
                let sub = mk::uuid(r);
                headers.push((
                    "Authorization: Bearer ",
                    "jwt",
                    mk::jwt(r, c.t, &format!("https://auth.{}/", c.domain), &sub),
                ));
            } else {
                headers.push((
                    "Authorization: Bearer ",
                    "bearer-token",
                    mk::opaque_token(r),
                ));
            }
        }
        _ => {}
    }
    let stripe = mk::stripe_secret(r);
    b.text("$ curl -v ");
    if target == 1 {
        b.text("-u ").secret("stripe-key", &stripe).text(": ");
    }
    for (name, class, value) in &headers {
        t!(b, "-H \"{name}").secret(class, value).text("\" ");
    }
    if target == 2 {
        t!(
            b,
            "-d channel=C0{} -d text=deployed ",
            r.chars(UPPER_ALNUM, 9)
        );
    }
    if target == 4 {
        b.text("-d @series.json ");
    }
    if internal {
        b.secret("internal-url", &format!("https://{host}{path}"))
            .nl();
    } else {
        t!(b, "https://{host}{path}\n");
    }
    let w_ip = |b: &mut DocBuilder| {
        if internal {
            b.secret("private-ip", &ip);
        } else {
            b.negative("public-ip", &ip);
        }
    };
    let w_name = |b: &mut DocBuilder| {
        if internal {
            b.secret("internal-hostname", &host);
        } else {
            b.text(&host);
        }
    };
    b.text("*   Trying ");
    w_ip(b);
    b.text(":443...\n* Connected to ");
    w_name(b);
    b.text(" (");
    w_ip(b);
    b.text(") port 443\n* ALPN: curl offers h2,http/1.1\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n*  CAfile: /etc/ssl/certs/ca-certificates.crt\n* TLSv1.3 (IN), TLS handshake, Server hello (2):\n");
    b.text("* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256 / X25519 / id-ecPublicKey\n* Server certificate:\n*  subject: CN=");
    w_name(b);
    b.text("\n*  start date: ").negative(
        "timestamp",
        &format!("{} GMT", &ts_ctime(c.t - 30 * 86_400)[4..]),
    );
    b.text("\n*  expire date: ").negative(
        "timestamp",
        &format!("{} GMT", &ts_ctime(c.t + 60 * 86_400)[4..]),
    );
    b.text(if internal {
        "\n*  issuer: CN=Internal Issuing CA 2"
    } else {
        "\n*  issuer: C=US; O=Let's Encrypt; CN=R11"
    });
    b.text("\n*  SSL certificate verify ok.\n* using HTTP/2\n");
    if target == 1 {
        b.text("* Server auth using Basic with user '")
            .secret("stripe-key", &stripe)
            .text("'\n");
    }
    t!(b, "> {method} {path} HTTP/2\n> Host: ");
    w_name(b);
    if target == 1 {
        b.text("\n> Authorization: Basic ")
            .secret("basic-auth", &b64(format!("{stripe}:").as_bytes()));
    }
    b.text("\n> User-Agent: curl/")
        .negative("version", r.one(&["8.5.0", "8.9.1", "7.88.1"]))
        .text("\n> Accept: */*\n");
    for (name, class, value) in &headers {
        t!(b, "> {name}").secret(class, value).nl();
    }
    if r.chance(0.5) {
        b.text("> traceparent: ")
            .negative("trace-id", &mk::traceparent(r))
            .nl();
    }
    b.text(">\n< HTTP/2 200\n< date: ")
        .negative("timestamp", &ts_http(c.t))
        .text("\n< content-type: application/json; charset=utf-8\n");
    match target {
        0 => b.text("< x-github-request-id: ").negative(
            "request-id",
            &format!(
                "{}:{}:{}:{}:{}",
                r.chars(HEX_UP, 4),
                r.chars(HEX_UP, 4),
                r.chars(HEX_UP, 6),
                r.chars(HEX_UP, 6),
                r.chars(HEX_UP, 8)
            ),
        ),
        1 => b
            .text("< request-id: ")
            .negative("request-id", &format!("req_{}", r.chars(ALNUM, 14))),
        _ => b
            .text("< x-request-id: ")
            .negative("request-id", &mk::uuid(r)),
    };
    let n = r.range(24, 48);
    b.text("\n< set-cookie: __Host-session=")
        .secret("session-cookie", &b64url(&r.bytes(n)))
        .text("; Path=/; Secure; HttpOnly; SameSite=Lax\n<\n");
    match target {
        0 => t!(
            b,
            "{{\"total_count\": {}, \"workflow_runs\": [{{\"id\": {}, \"head_sha\": \"",
            r.range(100, 9000),
            r.digits(10)
        )
        .negative("git-sha", &mk::git_sha(r))
        .text("\", \"status\": \"completed\"}]}\n"),
        1 => t!(
            b,
            "{{\"object\": \"balance\", \"available\": [{{\"amount\": {}, \"currency\": \"eur\"}}], \"livemode\": true}}\n",
            r.range(100, 9_999_999)
        ),
        2 => b
            .text("{\"ok\": true, \"ts\": \"")
            .negative("timestamp", &format!("{}.{}", c.t, r.digits(6)))
            .text("\", \"message\": {\"user\": \"")
            .negative("user-id", &format!("U0{}", r.chars(UPPER_ALNUM, 9)))
            .text("\"}}\n"),
        3 => b
            .text("{\"orders\": [{\"id\": \"")
            .negative("uuid", &mk::uuid(r))
            .text("\", \"email\": \"")
            .secret("email", &mk::customer(r).email)
            .text("\"}]}\n"),
        4 => b.text("{\"errors\": []}\n"),
        _ => b
            .text("{\"sub\": \"")
            .negative("uuid", &mk::uuid(r))
            .text("\", \"email\": \"")
            .secret("email", &mk::person(r, c.domain).email)
            .text("\"}\n"),
    };
    b.text("* Connection #0 to host ");
    w_name(b);
    b.text(" left intact\n");
}

fn curl_heldout(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        let host = format!("nexus.{}.corp", c.org);
        let pw = mk::password_safe(r);
        b.text("$ http -v POST ")
            .secret(
                "internal-url",
                &format!("https://{host}/service/rest/v1/security/user-tokens"),
            )
            .text(" Authorization:\"Basic ");
        let basic = b64(format!("admin:{pw}").as_bytes());
        b.secret("basic-auth", &basic).text("\" name=ci\nPOST /service/rest/v1/security/user-tokens HTTP/1.1\nAccept: application/json, */*;q=0.5\nAccept-Encoding: gzip, deflate\nAuthorization: Basic ");
        b.secret("basic-auth", &basic).text("\nConnection: keep-alive\nContent-Length: 14\nContent-Type: application/json\nHost: ").secret("internal-hostname", &host).text("\nUser-Agent: HTTPie/").negative("version", "3.2.2");
        b.text("\n\n{\n    \"name\": \"ci\"\n}\n\n\nHTTP/1.1 201 Created\nContent-Type: application/json\nDate: ").negative("timestamp", &ts_http(c.t)).text("\nX-Request-Id: ").negative("uuid", &mk::uuid(r));
        b.text("\nSet-Cookie: NXSESSIONID=")
            .secret("session-cookie", &mk::uuid(r))
            .text("; Path=/; HttpOnly\n\n{\n    \"nameCode\": \"")
            .neutral_as("username", &r.chars(ALNUM, 8))
            .text("\",\n    \"passCode\": ");
        b.json_secret("generic-secret-assignment", &r.chars(ALNUM, 44))
            .text(",\n    \"created\": \"")
            .negative("timestamp", &ts_iso_off(c.t, c.off))
            .text("\"\n}\n");
        return;
    }
    let ip = mk::private_ip(r);
    let pw = mk::password_safe(r);
    b.text("$ curl -v -u elastic:")
        .shell_secret("password-assignment", &pw)
        .text(" ")
        .secret(
            "internal-url",
            &format!("http://{ip}:9200/_cluster/health?pretty"),
        )
        .nl();
    b.text("*   Trying ")
        .secret("private-ip", &ip)
        .text(":9200...\n* Connected to ")
        .secret("private-ip", &ip)
        .text(" (")
        .secret("private-ip", &ip)
        .text(") port 9200\n");
    b.text("* Server auth using Basic with user 'elastic'\n> GET /_cluster/health?pretty HTTP/1.1\n> Host: ").secret("private-ip", &ip).text(":9200\n> Authorization: Basic ");
    b.secret("basic-auth", &b64(format!("elastic:{pw}").as_bytes()))
        .text("\n> User-Agent: curl/")
        .negative("version", "7.81.0")
        .text("\n> Accept: */*\n>\n* Mark bundle as not supporting multiuse\n< HTTP/1.1 200 OK\n");
    b.text("< X-elastic-product: Elasticsearch\n< content-type: application/json\n< content-length: 468\n<\n{\n  \"cluster_name\" : \"").text(c.org).text("-logs\",\n  \"status\" : \"yellow\",\n");
    t!(b, "  \"number_of_nodes\" : {},\n  \"active_shards_percent_as_number\" : 91.6\n}}\n* Connection #0 to host ", r.range(3, 9)).secret("private-ip", &ip).text(" left intact\n");
    b.text("$ curl -s -H \"Authorization: ApiKey ").secret(
        "generic-secret-assignment",
        &b64(format!("{}:{}", r.chars(ALNUM, 20), r.chars(B64URL, 22)).as_bytes()),
    );
    b.text("\" ").secret("internal-url", &format!("http://{ip}:9200/_cat/indices?v")).text(" | head -3\nhealth status index                         uuid                   pri rep docs.count\n");
    for _ in 0..2 {
        t!(b, "green  open   logs-{}-{}      ", c.app, ts_date(c.t))
            .negative("request-id", &r.chars(B64URL, 22))
            .text(&format!("   1   1     {}\n", r.range(1000, 9_999_999)));
    }
}

const UAS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "kube-probe/1.30",
    "curl/8.5.0",
    "Go-http-client/1.1",
    "python-requests/2.32.3",
    "Prometheus/2.53.0",
];

/// Client IP: private (sensitive), public or documentation (negative).
fn w_client_ip(b: &mut DocBuilder, r: &mut Rng) {
    match r.below(4) {
        0 | 1 => b.secret("private-ip", &mk::private_ip(r)),
        2 => b.negative("public-ip", &mk::public_ip(r)),
        _ => b.negative("documentation-address", &mk::doc_ip(r)),
    };
}

/// Request path with an optionally sensitive query string.
fn w_request_path(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    match r.below(11) {
        0 => b.text("/api/v1/orders/").negative("uuid", &mk::uuid(r)),
        1 => b
            .text("/static/js/app.")
            .negative("content-hash", &r.hex(8))
            .text(".js"),
        2 => b.text("/healthz"),
        3 => {
            b.text("/reset-password?token=")
                .secret("generic-secret-assignment", &b64url(&r.bytes(24)))
                .text("&email=");
            let e = mk::customer(r).email;
            if r.chance(0.5) {
                b.secret("email", &pct(&e))
            } else {
                b.secret("email", &e)
            }
        }
        4 => b
            .text("/oauth/callback?code=")
            .secret("generic-secret-assignment", &r.chars(B64URL, 40))
            .text("&state=")
            .negative("uuid", &mk::uuid(r)),
        5 => {
            t!(
                b,
                "/{}-exports/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=",
                c.org
            )
            .secret("aws-access-key", &mk::aws_access_key(r));
            let d = ts_date(c.t).replace('-', "");
            t!(b, "%2F{d}%2F{}%2Fs3%2Faws4_request&X-Amz-Date={d}T020749Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=", c.region).secret("generic-secret-assignment", &r.hex(64))
        }
        6 => b
            .text("/api/v2/search?q=running+shoes&page=")
            .text(&r.range(1, 9).to_string()),
        7 => b
            .text("/unsubscribe?email=")
            .secret("email", &mk::customer(r).email)
            .text("&list=weekly"),
        8 => b.text("/.env"),
        9 => b
            .text("/api/v1/track?session_id=")
            .secret("session-cookie", &r.hex(32))
            .text("&event=view"),
        _ => b
            .text("/api/v1/feed?api_key=")
            .secret("generic-secret-assignment", &r.chars(ALNUM, 32)),
    };
}

/// nginx logs: combined access log (Tune); error log + JSON access log (HeldOut).
fn nginx_log(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let n = r.range(12, 24);
    if !held {
        for _ in 0..n {
            let t = c.tick(r, 0, 40);
            w_client_ip(b, r);
            if r.chance(0.15) {
                b.text(" - ")
                    .neutral_as("username", r.one(&["admin", "ops", "grafana"]))
                    .text(" [");
            } else {
                b.text(" - - [");
            }
            b.negative("timestamp", &ts_clf(t, 0))
                .text("] \"")
                .text(r.one(&["GET", "GET", "GET", "POST", "PUT"]))
                .text(" ");
            w_request_path(b, r, c);
            let status = *r.pick(&[200, 200, 200, 204, 301, 302, 401, 404, 499, 502]);
            t!(b, " HTTP/1.1\" {status} {} \"", r.range(0, 90_000));
            if r.chance(0.3) {
                t!(b, "https://app.{}/checkout", c.domain);
            } else {
                b.text("-");
            }
            t!(b, "\" \"{}\" rt=", r.one(UAS))
                .negative(
                    "duration",
                    &format!("{}.{:03}", r.range(0, 2), r.below(1000)),
                )
                .text(" uct=\"0.000\"\n");
        }
        return;
    }
    for i in 0..n {
        let t = c.tick(r, 0, 40);
        if i % 3 == 0 {
            let lvl = r.one(&["error", "warn", "error"]);
            t!(
                b,
                "{} [{lvl}] {}#{}: *{} ",
                ts_slash(t),
                r.range(20, 40),
                r.range(20, 40),
                r.range(1000, 900_000)
            );
            let up = mk::pod_ip(r);
            match r.below(3) {
                0 => b.text("upstream timed out (110: Connection timed out) while reading response header from upstream"),
                1 => b.text("connect() failed (111: Connection refused) while connecting to upstream"),
                _ => b.text("upstream sent too big header while reading response header from upstream"),
            };
            b.text(", client: ");
            w_client_ip(b, r);
            t!(b, ", server: api.{}, request: \"POST /api/login?next=%2Forders HTTP/1.1\", upstream: \"", c.domain).secret("internal-url", &format!("http://{up}:8080/api/login?next=%2Forders"));
            t!(b, "\", host: \"api.{}\"\n", c.domain);
        } else {
            b.text("{\"time\":\"")
                .negative("timestamp", &ts_iso_off(t, c.off))
                .text("\",\"remote_addr\":\"");
            w_client_ip(b, r);
            b.text("\",\"request\":\"GET ");
            w_request_path(b, r, c);
            t!(
                b,
                " HTTP/2.0\",\"status\":{},\"body_bytes_sent\":{},\"request_time\":",
                r.one(&["200", "401", "404", "200"]),
                r.range(0, 50_000)
            );
            b.negative(
                "duration",
                &format!("{}.{:03}", r.range(0, 1), r.below(1000)),
            )
            .text(",\"http_user_agent\":\"")
            .text(r.one(UAS))
            .text("\"");
            if r.chance(0.3) {
                b.text(",\"http_authorization\":\"Bearer ")
                    .secret("bearer-token", &mk::opaque_token(r))
                    .text("\"");
            }
            b.text(",\"request_id\":\"")
                .negative("request-id", &r.hex(32))
                .text("\"}\n");
        }
    }
}

/// Postmortems: Markdown with a timeline table (Tune); plain incident report with a data-leak sample (HeldOut).
fn postmortem(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let a1 = mk::person(r, c.domain);
    let a2 = mk::person(r, c.domain);
    let cust = mk::customer(r);
    if !held {
        let inc = format!("INC-{}-{}", dt(c.t).y, r.range(1000, 9999));
        t!(
            b,
            "# Postmortem: duplicate card charges on checkout ({inc})\n\n**Date:** "
        )
        .negative("timestamp", &ts_date(c.t))
        .text(" · **Authors:** ");
        b.neutral_as("person-name", &a1.display)
            .text(", ")
            .neutral_as("person-name", &a2.display)
            .text(" · **Status:** Final · **Severity:** SEV-2\n\n## Summary\n\n");
        t!(
            b,
            "For {} minutes, a retry bug in `{}` ",
            r.range(20, 140),
            c.app
        )
        .negative("version", &mk::version(r));
        t!(
            b,
            " charged {} customers twice. Total exposure: €{},{:03}.{:02}.\n\n## Timeline (all times ",
            r.range(40, 3000),
            r.range(1, 90),
            r.below(1000),
            r.below(100)
        );
        b.negative("timestamp", &format!("UTC{}", offset_str(c.off, true)))
            .text(")\n\n| Time | Event |\n|------|-------|\n");
        let events = [
            "Deploy of the release starts (commit `SHA`)",
            "Error rate on /checkout rises; PagerDuty pages ON_CALL",
            "Rollback started",
            "Refunds script run against the duplicate set",
        ];
        for e in events.iter() {
            let t = c.tick(r, 60, 1800);
            b.text("| ")
                .negative("timestamp", &ts_iso_off(t, c.off))
                .text(" | ");
            if e.contains("SHA") {
                b.text("Deploy of the release starts (commit `")
                    .negative("git-sha", &mk::short_sha(r))
                    .text("`)");
            } else if e.contains("ON_CALL") {
                b.text("Error rate on /checkout rises; PagerDuty pages ")
                    .neutral_as("person-name", &a2.display)
                    .text(" (")
                    .secret("phone", &mk::phone_intl(r))
                    .text(")");
            } else {
                b.text(e);
            }
            b.text(" |\n");
        }
        t!(
            b,
            "\n## Customer escalation (ticket #{})\n\n> Customer: ",
            r.range(10_000, 99_999)
        )
        .neutral_as("person-name", &cust.display)
        .text(", ")
        .secret("email", &cust.email)
        .text(", ")
        .secret("phone", &mk::phone_intl(r))
        .nl();
        b.text("> \"I was charged twice on my card ")
            .secret("payment-card", &mk::payment_card(r))
            .text(", please refund to my IBAN ")
            .secret("iban", &mk::iban(r))
            .text("\"\n");
        b.text("> Order numbers: ")
            .negative("non-luhn-number", &mk::non_luhn_16(r))
            .text(", ")
            .negative("uuid", &mk::uuid(r))
            .nl();
        if r.chance(0.35) {
            b.text("> (customer also sent their SSN ")
                .secret("national-id", &mk::ssn(r))
                .text(" for \"verification\" — removed from Zendesk)\n");
        } else if r.chance(0.5) {
            b.text("> NI number on the refund form: ")
                .secret("national-id", &mk::nino(r))
                .nl();
        } else {
            b.text("> Callback requested on ")
                .secret("phone-national", &mk::phone_national(r))
                .nl();
        }
        b.text("\n## Root cause\n\nThe client retried on timeout without reusing the `Idempotency-Key` (e.g. `").negative("uuid", &mk::uuid(r)).text("`), after a ").negative("duration", "30s").text(" gateway timeout.\n\n");
        b.text("## Action items\n\n| Action | Owner | Due |\n|---|---|---|\n| Reuse idempotency keys on retry | ").secret("email", &a1.email).text(" | ").negative("timestamp", &ts_date(c.t + 14 * 86_400)).text(" |\n");
        b.text("| Alert on duplicate charge rate | ")
            .secret("email", &a2.email)
            .text(" | ")
            .negative("timestamp", &ts_date(c.t + 21 * 86_400))
            .text(" |\n");
        return;
    }
    t!(
        b,
        "INCIDENT REPORT — {} data exposure\nIncident ID:  INC{:07}\nDetected:     ",
        c.app,
        r.range(1000, 9_999_999)
    )
    .negative("timestamp", &ts_iso_off(c.t, c.off));
    b.text("\nResolved:     ")
        .negative("timestamp", &ts_iso_off(c.t + 5640, c.off))
        .text("\nDuration:     ")
        .negative("duration", "1h34m")
        .text("\nReporter:     ");
    b.neutral_as("person-name", &a1.display)
        .text(" <")
        .secret("email", &a1.email)
        .text(">, ext. ")
        .secret("phone-national", &mk::phone_national(r))
        .text("\n\nWhat happened\n-------------\n");
    t!(
        b,
        "A nightly KYC export (job `{}-kyc-export`, image ",
        c.app
    )
    .negative("image-digest", &mk::image_digest(r))
    .text(") was mailed to the wrong distribution list.\n");
    t!(
        b,
        "{} records were affected. Sample rows from the attachment (since deleted):\n\n",
        r.range(50, 900)
    );
    for _ in 0..r.range(2, 4) {
        let p = mk::customer(r);
        b.text("  \"")
            .neutral_as("person-name", &p.display)
            .text("\",\"")
            .secret("email", &p.email)
            .text("\",\"")
            .secret("phone", &mk::phone_intl(r))
            .text("\",\"");
        if r.chance(0.5) {
            b.secret("national-id", &mk::nino(r));
        } else {
            b.secret("national-id", &mk::ssn(r));
        }
        b.text("\",\"").secret("iban", &mk::iban(r)).text("\"\n");
    }
    b.text("\nWho was affected\n----------------\nCustomers onboarded between ")
        .negative("timestamp", &ts_date(c.t - 90 * 86_400))
        .text(" and ")
        .negative("timestamp", &ts_date(c.t))
        .text(".\n");
    b.text("One customer also had a stored card ")
        .secret("payment-card", &mk::payment_card(r))
        .text(" in a free-text note field.\n\n");
    b.text("Follow-ups\n----------\n  [ ] Purge the mailbox copies — owner ")
        .secret("email", &a2.email)
        .text("\n  [ ] DPO notified at ")
        .negative("timestamp", &ts_iso_off(c.t + 7200, 0));
    b.text("\n  [ ] Tracking: ")
        .negative(
            "public-url",
            &format!(
                "https://github.com/{}/{}/issues/{}",
                c.org,
                c.app,
                r.range(100, 4000)
            ),
        )
        .text(" (")
        .negative("counter", "+3")
        .text(" linked)\n");
}

/// PEM dumps: TLS files (Tune); ~/.ssh and GPG material (HeldOut).
fn pem_dump(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let me = mk::person(r, c.domain);
    if !held {
        let d = &ts_syslog(c.t)[..12];
        t!(
            b,
            "$ ls -l /etc/ssl/{}/\ntotal 12\n-rw-r--r-- 1 root root 3862 {d} chain.pem\n-rw------- 1 root root 1679 {d} tls.key\n-rw-r--r-- 1 root root 1310 {d} tls.crt\n",
            c.app
        );
        t!(
            b,
            "$ openssl x509 -in tls.crt -noout -subject -issuer -dates -fingerprint -sha256\nsubject=CN = {}.{}\nissuer=C = US, O = Let's Encrypt, CN = R11\nnotBefore=",
            c.app,
            c.domain
        );
        b.negative("timestamp", &format!("{} GMT", &ts_ctime(c.t)[4..]))
            .text("\nnotAfter=")
            .negative(
                "timestamp",
                &format!("{} GMT", &ts_ctime(c.t + 90 * 86_400)[4..]),
            )
            .text("\nsha256 Fingerprint=");
        let fp: Vec<String> = (0..32).map(|_| r.chars(HEX_UP, 2)).collect();
        b.negative("key-fingerprint", &fp.join(":")).nl();
        if b.clean {
            b.text("$ cat tls.crt chain.pem\n")
                .negative("certificate", &mk::certificate_pem(r))
                .nl()
                .negative("certificate", &mk::certificate_pem(r))
                .nl();
            b.text("$ openssl x509 -in tls.crt -noout -pubkey\n")
                .negative("public-key", &mk::public_key_pem(r))
                .nl();
        } else {
            b.text("$ cat tls.key tls.crt\n");
            let key = if r.chance(0.5) {
                mk::rsa_private_pem(r)
            } else {
                mk::ec_private_pem(r)
            };
            b.sensitive("private-key", &key)
                .nl()
                .negative("certificate", &mk::certificate_pem(r))
                .nl();
            if r.chance(0.5) {
                b.text("$ openssl ec -in tls.key -pubout 2>/dev/null || openssl rsa -in tls.key -pubout\nread EC key\nwriting EC key\n").negative("public-key", &mk::public_key_pem(r)).nl();
            }
        }
        b.text("$ openssl verify -CAfile chain.pem tls.crt\ntls.crt: OK\n");
        return;
    }
    let host = format!("{}-laptop", me.fa);
    let comment = format!("{}@{host}", me.fa);
    t!(
        b,
        "$ ls -la ~/.ssh\ndrwx------  2 {u} {u} 4096 .\n-rw-------  1 {u} {u}  411 id_ed25519\n-rw-r--r--  1 {u} {u}  {} id_ed25519.pub\n-rw-r--r--  1 {u} {u} 2210 known_hosts\n",
        82 + comment.len(),
        u = me.fa
    );
    b.text("$ cat ~/.ssh/id_ed25519\n");
    if b.clean {
        b.negative("placeholder", "[private key not shown]").nl();
    } else {
        b.sensitive("private-key", &mk::openssh_private(r)).nl();
    }
    let pubkey = mk::ssh_ed25519_pub(r, &comment);
    b.text("$ cat ~/.ssh/id_ed25519.pub\n")
        .negative("ssh-public-key", &pubkey)
        .text("\n$ ssh-keygen -lf ~/.ssh/id_ed25519.pub\n256 ");
    b.negative("key-fingerprint", &mk::ssh_fingerprint(r))
        .text(&format!(
            " {comment} (ED25519)\n$ head -3 ~/.ssh/known_hosts\n"
        ));
    b.text("github.com ")
        .negative(
            "ssh-public-key",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        )
        .nl();
    for _ in 0..2 {
        b.negative(
            "content-hash",
            &format!("|1|{}|{}", b64(&r.bytes(20)), b64(&r.bytes(20))),
        )
        .text(" ")
        .negative("ssh-public-key", mk::ssh_public_key(r, "").trim_end())
        .nl();
    }
    let rel = format!("releases@{}", c.domain);
    b.text("$ gpg --armor --export ")
        .secret("email", &rel)
        .nl()
        .negative("public-key", &mk::pgp_public_key(r))
        .nl();
    b.text("$ gpg --fingerprint ")
        .secret("email", &rel)
        .text("\npub   ed25519 ")
        .negative("timestamp", &ts_date(c.t - 400 * 86_400))
        .text(" [SC]\n      ")
        .negative("key-fingerprint", &mk::gpg_fingerprint(r))
        .nl();
    if !b.clean {
        b.text("$ cat deploy/ci_deploy_key.pem\n");
        let k = if r.chance(0.5) {
            mk::encrypted_private_pem(r)
        } else {
            mk::ed25519_private_pem(r)
        };
        b.sensitive("private-key", &k).nl();
    }
    b.text("$ cat /etc/ssh/ssh_host_ed25519_key.pub\n")
        .negative("ssh-public-key", &mk::ssh_ed25519_pub(r, "root@bastion"))
        .nl();
}

/// Application configs: Spring properties / YAML (Tune); TOML, Maven settings.xml, appsettings.json (HeldOut).
fn app_config(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let host = format!("pg-main-{}.db.internal", r.below(3));
    let db = db_name(c);
    if !held {
        if r.chance(0.5) {
            t!(
                b,
                "# application-{}.properties\nspring.application.name={}\nserver.port=8080\n",
                c.env,
                c.app
            );
            b.text("spring.datasource.url=jdbc:postgresql://")
                .secret("internal-hostname", &host)
                .text(&format!(
                    ":5432/{db}\nspring.datasource.username=app\nspring.datasource.password="
                ));
            b.secret("password-assignment", &mk::password(r)).text("\nspring.datasource.hikari.maximum-pool-size=20\nspring.jpa.hibernate.ddl-auto=validate\nspring.data.redis.host=");
            b.secret(
                "internal-hostname",
                &format!("redis-master.{}.svc.cluster.local", c.ns),
            )
            .text("\nspring.data.redis.password=")
            .secret("password-assignment", &mk::password(r));
            b.text("\nspring.mail.host=smtp.sendgrid.net\nspring.mail.username=apikey\nspring.mail.password=").secret("sendgrid-key", &mk::sendgrid_key(r));
            b.text("\napp.jwt.secret=")
                .secret("generic-secret-assignment", &mk::generic_secret(r))
                .text("\napp.jwt.expiration=")
                .negative("duration", "PT15M");
            b.text("\napp.twilio.auth-token=")
                .secret("twilio-key", &r.hex(32))
                .text("\napp.encryption.key=")
                .negative("placeholder", "${ENCRYPTION_KEY}");
            b.text("\nmanagement.endpoints.web.exposure.include=health,info,prometheus\nlogging.level.org.hibernate.SQL=DEBUG\ninfo.git.commit=").negative("git-sha", &mk::git_sha(r));
            b.text("\ninfo.app.version=")
                .negative("version", &mk::version(r))
                .nl();
        } else {
            t!(b, "# application.yml\nspring:\n  application:\n    name: {}\n  datasource:\n    url: jdbc:postgresql://", c.app).secret("internal-hostname", &host);
            t!(b, ":5432/{db}\n    username: app\n    password: ")
                .yaml_secret("password-assignment", &mk::password(r));
            b.text("\n  security:\n    oauth2:\n      client:\n        registration:\n          github:\n            client-id: ").neutral_as("key-id", &format!("Iv1.{}", r.hex(16)));
            b.text("\n            client-secret: ")
                .yaml_secret("generic-secret-assignment", &r.hex(40));
            b.text("\n  cloud:\n    aws:\n      credentials:\n        access-key: ")
                .secret("aws-access-key", &mk::aws_access_key(r));
            b.text("\n        secret-key: ")
                .yaml_secret("aws-secret-key", &mk::aws_secret_key(r))
                .text("\n      region:\n        static: ")
                .text(c.region);
            b.text("\nserver:\n  port: 8080\n  shutdown: graceful\nmanagement:\n  tracing:\n    sampling:\n      probability: 0.1\napp:\n  webhook-secret: ");
            b.yaml_secret("generic-secret-assignment", &mk::generic_secret(r))
                .text("\n  api-key: \"")
                .negative("placeholder", "${API_KEY:}")
                .text("\"");
            b.text("\n  build:\n    version: ")
                .negative("version", &mk::version(r))
                .text("\n    commit: ")
                .negative("git-sha", &mk::short_sha(r))
                .nl();
        }
        return;
    }
    match r.below(3) {
        0 => {
            t!(
                b,
                "# config/{}.toml\n[server]\nbind = \"0.0.0.0:8080\"\nrequest_timeout = \"",
                c.env
            )
            .negative("duration", "30s")
            .text("\"\n\n[database]\nurl = \"");
            w_db_url_of(b, r, c, "postgres");
            b.text("\"\nmax_connections = 32\n\n[auth]\njwt_secret = ")
                .json_secret("generic-secret-assignment", &mk::generic_secret(r))
                .text("\nsession_ttl = \"")
                .negative("duration", "12h")
                .text("\"\n\n");
            b.text("[integrations.maps]\napi_key = ")
                .json_secret("gcp-api-key", &mk::gcp_api_key(r))
                .text("\n\n");
            b.text("[integrations.stripe]\nsecret_key = ")
                .json_secret("stripe-key", &mk::stripe_secret(r))
                .text("\nwebhook_secret = ")
                .json_secret("stripe-key", &mk::stripe_webhook_secret(r));
            b.text("\npublishable_key = \"")
                .neutral_as("publishable-key", &mk::stripe_publishable(r))
                .text("\"\n\n[telemetry]\notlp_endpoint = \"");
            b.secret(
                "internal-url",
                "http://otel-collector.observability.svc.cluster.local:4317",
            )
            .text("\"\nsample_ratio = 0.1\nservice_version = \"")
            .negative("version", &mk::version(r))
            .text("\"\n");
        }
        1 => {
            b.text("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- ~/.m2/settings.xml (Maven 3.9.9) -->\n<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>deploy</username>\n      <password>");
            b.xml_secret("password-assignment", &mk::password_safe(r)).text("</password>\n    </server>\n    <server>\n      <id>github</id>\n      <username>").neutral_as("username", &mk::person(r, c.domain).user);
            b.text("</username>\n      <password>").xml_secret("github-token", &mk::github_token(r)).text("</password>\n    </server>\n  </servers>\n  <mirrors>\n    <mirror>\n      <id>nexus</id>\n      <mirrorOf>*</mirrorOf>\n      <url>");
            b.secret("internal-url", &format!("https://nexus.{}.corp/repository/maven-public/", c.org)).text("</url>\n    </mirror>\n  </mirrors>\n  <profiles>\n    <profile>\n      <id>release</id>\n      <properties>\n        <gpg.keyname>");
            b.negative("key-fingerprint", &r.chars(HEX_UP, 40)).text("</gpg.keyname>\n        <project.build.outputTimestamp>").negative("timestamp", &ts_iso_z(c.t)).text("</project.build.outputTimestamp>\n        <gpg.passphrase>").xml_secret("password-assignment", &mk::password_safe(r)).text("</gpg.passphrase>\n      </properties>\n    </profile>\n  </profiles>\n</settings>\n");
        }
        _ => {
            b.text("// appsettings.Production.json\n{\n  \"ConnectionStrings\": {\n    \"Default\": \"");
            w_conn_string(b, r, c);
            b.text("\",\n    \"Storage\": \"");
            w_azure_conn(b, r, c);
            b.text("\"\n  },\n  \"Jwt\": {\n    \"Issuer\": \"")
                .negative("public-url", &format!("https://auth.{}", c.domain))
                .text("\",\n    \"Key\": ")
                .json_secret("generic-secret-assignment", &mk::generic_secret(r));
            b.text("\n  },\n  \"ApplicationInsights\": {\n    \"ConnectionString\": \"InstrumentationKey=").neutral_as("key-id", &mk::uuid(r));
            b.text(";IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/\"\n  },\n  \"Serilog\": {\n    \"MinimumLevel\": \"Information\"\n  },\n  \"AllowedHosts\": \"*\",\n  \"Build\": {\n    \"Version\": \"");
            b.negative("version", &mk::version(r))
                .text("\",\n    \"Commit\": \"")
                .negative("git-sha", &mk::git_sha(r))
                .text("\"\n  }\n}\n");
        }
    }
}

/// Terraform HCL: providers + tfvars (Tune); Terragrunt inputs, vendor providers, tfvars.json (HeldOut).
fn terraform_hcl(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    if !held {
        t!(
            b,
            "# providers.tf\nterraform {{\n  required_version = \">= "
        )
        .negative("version", "1.6.0")
        .text("\"\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"~> ")
        .negative("version", "5.40")
        .text("\" }\n  }\n");
        t!(
            b,
            "  backend \"s3\" {{\n    bucket         = \"{}-tfstate\"\n    key            = \"{}/{}.tfstate\"\n    region         = \"{}\"\n    dynamodb_table = \"tf-locks\"\n  }}\n}}\n\n",
            c.org,
            c.env,
            c.app,
            c.region
        );
        b.text("provider \"aws\" {\n  region     = var.region\n  access_key = \"")
            .secret("aws-access-key", &mk::aws_access_key(r))
            .text("\"\n  secret_key = \"")
            .secret("aws-secret-key", &mk::aws_secret_key(r))
            .text("\"\n}\n\n");
        b.text(
            "resource \"aws_key_pair\" \"deploy\" {\n  key_name   = \"deploy\"\n  public_key = \"",
        )
        .negative("ssh-public-key", &mk::ssh_public_key(r, "deploy@ci"))
        .text("\"\n}\n\n");
        t!(b, "resource \"aws_db_instance\" \"main\" {{\n  identifier             = \"{}-{}\"\n  engine_version         = \"16.3\"\n  username               = \"app\"\n  password               = ", c.app, c.env).negative("placeholder", "var.db_password");
        b.text(
            "\n  vpc_security_group_ids = [aws_security_group.db.id]\n  tags = {\n    Owner = \"",
        )
        .secret("email", &mk::person(r, c.domain).email)
        .text("\"\n  }\n}\n\n");
        b.text("# terraform.tfvars\ndb_password     = ")
            .json_secret("password-assignment", &mk::password(r))
            .text("\ndatadog_api_key = ")
            .json_secret("datadog-key", &r.hex(32));
        b.text("\nvpc_cidr        = \"")
            .secret("private-ip", "10.0.0.0")
            .text("/16\"\nallowed_cidrs   = [\"")
            .negative("documentation-address", "203.0.113.0")
            .text("/24\"]\n");
        b.text("kms_key_arn     = \"")
            .negative(
                "arn",
                &format!("arn:aws:kms:{}:{}:key/{}", c.region, c.account, mk::uuid(r)),
            )
            .text("\"\nami_id          = \"")
            .negative("cloud-resource-id", &format!("ami-0{}", r.hex(16)))
            .text("\"\n");
        return;
    }
    if r.chance(0.5) {
        t!(b, "# live/{}/{}/terragrunt.hcl\ninclude \"root\" {{\n  path = find_in_parent_folders()\n}}\n\nterraform {{\n  source = \"git::https://github.com/{}/terraform-modules.git//rds?ref=", c.env, c.app, c.org).negative("version", &mk::version(r));
        t!(
            b,
            "\"\n}}\n\ninputs = {{\n  name            = \"{}-{}\"\n  master_password = ",
            c.app,
            c.env
        )
        .json_secret("password-assignment", &mk::password(r));
        b.text("\n  subnet_ids      = [\"")
            .negative("cloud-resource-id", &format!("subnet-0{}", r.hex(16)))
            .text("\", \"")
            .negative("cloud-resource-id", &format!("subnet-0{}", r.hex(16)))
            .text("\"]\n");
        b.text("  alarm_email     = \"")
            .secret("email", &mk::person(r, c.domain).email)
            .text("\"\n  sns_topic_arn   = \"")
            .negative(
                "arn",
                &format!("arn:aws:sns:{}:{}:{}-alerts", c.region, c.account, c.env),
            )
            .text("\"\n}\n\n");
        b.text("generate \"provider\" {\n  path      = \"providers.tf\"\n  if_exists = \"overwrite\"\n  contents  = <<EOF\n");
        b.text("provider \"datadog\" {\n  api_key = \"")
            .secret("datadog-key", &r.hex(32))
            .text("\"\n  app_key = \"")
            .secret("datadog-key", &r.hex(40))
            .text("\"\n  api_url = \"https://api.datadoghq.eu/\"\n}\n");
        t!(
            b,
            "provider \"github\" {{\n  owner = \"{}\"\n  token = \"",
            c.org
        )
        .secret("github-token", &mk::github_token(r))
        .text("\"\n}\nprovider \"cloudflare\" {\n  api_token = \"");
        b.secret("generic-secret-assignment", &r.chars(B64URL, 40))
            .text("\"\n}\nEOF\n}\n");
    } else {
        t!(b, "$ cat envs/{}.auto.tfvars.json\n{{\n  \"environment\": \"{}\",\n  \"region\": \"{}\",\n  \"vpc_cidr\": \"", c.env, c.env, c.region).secret("private-ip", &format!("10.{}.0.0", r.below(256))).text("/16\",\n");
        b.text("  \"db_admin_password\": ")
            .json_secret("password-assignment", &mk::password(r))
            .text(",\n  \"grafana_auth\": ")
            .json_secret(
                "vendor-token",
                &format!("glsa_{}_{}", r.chars(ALNUM, 32), r.hex(8)),
            );
        b.text(",\n  \"pagerduty_token\": ").json_secret(
            "generic-secret-assignment",
            &format!("u+{}", r.chars(B64URL, 18)),
        );
        b.text(",\n  \"image_tag\": \"")
            .negative("version", &mk::version(r))
            .text("\",\n  \"ssh_public_key\": \"")
            .negative("ssh-public-key", &mk::ssh_public_key(r, "terraform@ci"))
            .text("\",\n");
        b.text("  \"account_id\": \"")
            .negative("account-id", &c.account)
            .text("\",\n  \"db_password\": \"")
            .negative("placeholder", "${DB_PASSWORD}")
            .text("\"\n}\n");
        t!(b, "$ terraform plan -var-file=envs/{}.auto.tfvars.json -out=tfplan\nAcquiring state lock. This may take a few moments...\nLock Info:\n  ID:        ", c.env).negative("uuid", &mk::uuid(r));
        t!(b, "\n  Path:      {}-tfstate/{}/{}.tfstate\n  Operation: OperationTypePlan\n  Who:       ", c.org, c.env, c.app).neutral_as("username", &mk::person(r, c.domain).user);
        b.text("@runner\n  Created:   ")
            .negative("timestamp", &format!("{} +0000 UTC", ts_space(c.t)))
            .nl();
    }
}

/// CI definitions: GitHub Actions workflow (Tune); .gitlab-ci.yml or Jenkinsfile (HeldOut).
fn ci_workflow(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    if !held {
        t!(
            b,
            "# .github/workflows/deploy.yml\nname: deploy\non:\n  push:\n    branches: [main]\n  workflow_dispatch: {{}}\n\npermissions:\n  id-token: write\n  contents: read\n\nenv:\n  AWS_REGION: {}\n  IMAGE: ghcr.io/{}/{}\n",
            c.region,
            c.org,
            c.app
        );
        if r.chance(0.6) {
            b.text("  SLACK_WEBHOOK_URL: ")
                .secret("slack-webhook", &mk::slack_webhook(r))
                .nl();
        }
        b.text("\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 20\n    steps:\n      - uses: actions/checkout@").negative("git-sha", &mk::git_sha(r)).text(" # ").negative("version", "v4.1.7");
        b.text("\n      - uses: aws-actions/configure-aws-credentials@")
            .negative("git-sha", &mk::git_sha(r))
            .text(" # v4\n        with:\n          role-to-assume: ")
            .negative(
                "arn",
                &format!("arn:aws:iam::{}:role/github-actions-deployer", c.account),
            );
        b.text("\n          aws-region: ").negative("placeholder", "${{ env.AWS_REGION }}").text("\n      - name: Login to GHCR\n        uses: docker/login-action@v3\n        with:\n          registry: ghcr.io\n          username: ");
        b.negative("placeholder", "${{ github.actor }}")
            .text("\n          password: ")
            .negative("placeholder", "${{ secrets.GITHUB_TOKEN }}")
            .text("\n      - name: Build and push\n        run: |\n");
        b.text("          docker build -t $IMAGE:${{ github.sha }} .\n          docker push $IMAGE:${{ github.sha }}\n      - name: Publish client\n        env:\n          NODE_AUTH_TOKEN: ");
        if r.chance(0.5) {
            b.secret("npm-token", &mk::npm_token(r));
        } else {
            b.negative("placeholder", "${{ secrets.NPM_TOKEN }}");
        }
        b.text("\n          DD_API_KEY: ")
            .negative("placeholder", "${{ secrets.DD_API_KEY }}")
            .text("\n          SENTRY_AUTH_TOKEN: ");
        if r.chance(0.5) {
            b.secret("vendor-token", &format!("sntryu_{}", r.hex(64)));
        } else {
            b.negative("placeholder", "${{ secrets.SENTRY_AUTH_TOKEN }}");
        }
        b.text("\n        run: npm publish --access restricted\n      - name: Notify\n        if: always()\n        run: |\n          curl -sf -X POST -H 'Content-type: application/json' \\\n            --data '{\"text\":\"deploy ${{ job.status }}\"}' \"$SLACK_WEBHOOK_URL\"\n");
        return;
    }
    if r.chance(0.5) {
        b.text("# .gitlab-ci.yml\nstages: [test, build, deploy]\n\nvariables:\n  DOCKER_DRIVER: overlay2\n  POSTGRES_DB: test\n  POSTGRES_PASSWORD: ").yaml_secret("password-assignment", &mk::password(r));
        b.text("\n  SLACK_WEBHOOK: ")
            .secret("slack-webhook", &mk::slack_webhook(r));
        b.text("\n  SONAR_TOKEN: ")
            .secret("vendor-token", &format!("squ_{}", r.hex(40)))
            .text("\n  KUBE_CONTEXT: ")
            .text(c.org)
            .text("/agents:")
            .text(c.env)
            .text("\n\ntest:\n  stage: test\n  image: node:")
            .negative("version", "20.17.0");
        b.text("-alpine\n  services: [postgres:16]\n  script:\n    - npm ci\n    - npm test -- --coverage\n\ndeploy:\n  stage: deploy\n  image: bitnami/kubectl:").negative("version", "1.30.4");
        b.text("\n  script:\n    - echo \"$KUBE_CONFIG\" | base64 -d > kubeconfig\n    - kubectl --kubeconfig kubeconfig set image deploy/").text(c.app).text(" ").text(c.app).text("=").negative("placeholder", "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA");
        b.text("\n    - 'curl -sf -H \"PRIVATE-TOKEN: ")
            .secret("gitlab-token", &format!("glpat-{}", r.chars(B64URL, 20)))
            .text("\" \"https://gitlab.com/api/v4/projects/")
            .text(&r.digits(8))
            .text("/releases\"'\n");
        b.text("  environment:\n    name: ")
            .text(c.env)
            .text("\n    url: https://")
            .text(c.domain)
            .text("\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\n");
    } else {
        t!(b, "// Jenkinsfile\npipeline {{\n  agent {{ label 'docker' }}\n  options {{ timeout(time: 30, unit: 'MINUTES') }}\n  environment {{\n    REGISTRY    = '").secret("internal-hostname", &format!("nexus.{}.corp", c.org)).text(":8443'\n");
        b.text("    NEXUS_CREDS = credentials('")
            .negative("secret-ref", "nexus-deploy")
            .text("')\n    SONAR_LOGIN = '")
            .secret("vendor-token", &format!("squ_{}", r.hex(40)))
            .text("'\n  }\n  stages {\n    stage('Build') {\n      steps {\n");
        b.text("        sh './gradlew build -Pversion=").negative("version", &mk::version(r)).text("'\n      }\n    }\n    stage('Notify') {\n      steps {\n        withCredentials([string(credentialsId: '").negative("secret-ref", "slack-bot-token");
        b.text("', variable: 'SLACK_TOKEN')]) {\n          sh 'curl -sf -H \"Authorization: Bearer $SLACK_TOKEN\" https://slack.com/api/chat.postMessage -d channel=deploys'\n        }\n");
        b.text("        sh \"curl -sf -u admin:")
            .secret("password-assignment", &mk::password_safe(r))
            .text(" ")
            .secret(
                "internal-url",
                &format!(
                    "https://jenkins.{}.corp/job/{}/lastBuild/api/json",
                    c.org, c.app
                ),
            )
            .text("\"\n");
        b.text("      }\n    }\n  }\n}\n");
    }
}

/// Database dumps: pg_dump with COPY blocks (Tune); mysqldump with INSERTs (HeldOut).
fn sql_dump(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    if !held {
        b.text("--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version ")
            .negative("version", "16.3")
            .text("\n-- Dumped by pg_dump version ")
            .negative("version", "16.4")
            .text(" (Ubuntu 16.4-1.pgdg22.04+1)\n\n");
        b.text("SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n");
        b.text("CREATE ROLE app_rw WITH LOGIN PASSWORD '")
            .secret("password-assignment", &mk::password_safe(r))
            .text("';\n");
        b.text("ALTER ROLE reporting WITH PASSWORD '")
            .neutral_as(
                "password-hash",
                &format!(
                    "SCRAM-SHA-256$4096:{}${}:{}",
                    b64(&r.bytes(16)),
                    b64(&r.bytes(32)),
                    b64(&r.bytes(32))
                ),
            )
            .text("';\n\n");
        b.text("COPY public.customers (id, email, full_name, phone, created_at) FROM stdin;\n");
        for _ in 0..r.range(4, 7) {
            let p = mk::customer(r);
            b.negative("uuid", &mk::uuid(r))
                .text("\t")
                .secret("email", &p.email)
                .text("\t")
                .neutral_as("person-name", &p.display)
                .text("\t")
                .secret("phone", &mk::phone_intl(r))
                .text("\t");
            let t = c.tick(r, 60, 86_400);
            b.negative(
                "timestamp",
                &format!("{}.{:06}+00", ts_space(t), r.below(1_000_000)),
            )
            .nl();
        }
        b.text("\\.\n\nCOPY public.users (id, login, password_hash, last_login_ip) FROM stdin;\n");
        for i in 0..r.range(2, 4) {
            let p = mk::person(r, c.domain);
            t!(b, "{}\t", i + 1)
                .neutral_as("username", &p.user)
                .text("\t")
                .neutral_as(
                    "password-hash",
                    &format!(
                        "$2b$12${}",
                        r.chars(
                            b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                            53
                        )
                    ),
                )
                .text("\t");
            b.secret("private-ip", &mk::private_ip(r)).nl();
        }
        b.text("\\.\n\nCOPY public.api_keys (id, customer_id, key_prefix, key_sha256, created_at) FROM stdin;\n");
        for i in 0..2 {
            t!(b, "{}\t", i + 1)
                .negative("uuid", &mk::uuid(r))
                .text("\tgh_live_")
                .text(&r.chars(LOWER_ALNUM, 4))
                .text("\t")
                .negative("content-hash", &mk::sha256_hex(r))
                .text("\t");
            b.negative("timestamp", &format!("{}+00", ts_space(c.t)))
                .nl();
        }
        b.text("\\.\n\n-- Completed on ")
            .negative("timestamp", &format!("{} UTC", ts_space(c.t)))
            .text("\n--\n-- PostgreSQL database dump complete\n--\n");
        return;
    }
    let dbn = db_name(c);
    b.text("-- MySQL dump 10.13  Distrib ")
        .negative("version", "8.0.39")
        .text(", for Linux (x86_64)\n--\n-- Host: ")
        .secret("private-ip", &mk::private_ip(r));
    t!(b, "    Database: {dbn}\n-- ------------------------------------------------------\n-- Server version\t").negative("version", "8.0.39").nl();
    b.text("\n/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!40103 SET TIME_ZONE='+00:00' */;\n\n");
    b.text("DROP TABLE IF EXISTS `customers`;\nCREATE TABLE `customers` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `first_name` varchar(64),\n  `last_name` varchar(64),\n  `email` varchar(255),\n  `phone` varchar(32),\n  `iban` varchar(34),\n  `created_at` datetime,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n\n");
    b.text("LOCK TABLES `customers` WRITE;\nINSERT INTO `customers` VALUES ");
    let n = r.range(3, 5);
    for i in 0..n {
        let p = mk::customer(r);
        let (f, l) = p.display.split_once(' ').unwrap_or((&p.display, ""));
        t!(b, "({},'", i + 1)
            .neutral_as("person-name", f)
            .text("','")
            .neutral_as("person-name", &l.replace('\'', "\\'"))
            .text("','")
            .secret("email", &p.email)
            .text("','");
        b.secret("phone", &mk::phone_intl(r))
            .text("','")
            .secret("iban", &mk::iban(r))
            .text("','")
            .negative("timestamp", &ts_space(c.t - r.below(9_000_000) as i64))
            .text("')");
        b.text(if i + 1 < n { "," } else { ";\n" });
    }
    b.text("UNLOCK TABLES;\n\nLOCK TABLES `legacy_payments` WRITE;\nINSERT INTO `legacy_payments` VALUES (1,'").secret("payment-card", &mk::payment_card(r)).text("','09/28','");
    b.negative("non-luhn-number", &mk::non_luhn_16(r))
        .text("'),(2,'")
        .negative("placeholder", "XXXX-XXXX-XXXX-4242")
        .text("','11/27','")
        .negative("non-luhn-number", &mk::non_luhn_16(r))
        .text("');\nUNLOCK TABLES;\n\n");
    b.text("CREATE USER 'app'@'10.0.%' IDENTIFIED BY '")
        .secret("password-assignment", &mk::password_safe(r))
        .text("';\nGRANT SELECT, INSERT, UPDATE ON `")
        .text(&dbn)
        .text("`.* TO 'app'@'10.0.%';\n");
    b.text("ALTER USER 'reporting'@'%' IDENTIFIED WITH mysql_native_password AS '")
        .neutral_as("password-hash", &format!("*{}", r.chars(HEX_UP, 40)))
        .text("';\n");
    b.text("-- Dump completed on ")
        .negative("timestamp", &ts_space(c.t))
        .nl();
}

/// systemd: `journalctl -u` output (Tune); `systemctl cat` unit + short-iso journal (HeldOut).
fn systemd_journal(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx, held: bool) {
    let node = if r.chance(0.5) {
        format!("ip-{}", mk::private_ip(r).replace('.', "-"))
    } else {
        format!("{}-{:02}", r.one(&["web", "api", "worker"]), r.range(1, 12))
    };
    let pid = r.range(900, 60_000);
    if !held {
        t!(
            b,
            "$ journalctl -u {}.service --since today --no-pager\n",
            c.app
        );
        let start = c.t;
        b.text("-- Journal begins at ")
            .negative(
                "timestamp",
                &format!("{} UTC", ts_space(start - 86_400 * 3)).replacen(' ', " ", 1),
            )
            .text(", ends at ")
            .negative("timestamp", &format!("{} UTC", ts_space(start + 600)))
            .text(". --\n");
        let pre = |b: &mut DocBuilder, r: &mut Rng, c: &mut Ctx, proc_: &str| {
            let t = c.tick(r, 0, 40);
            b.negative("timestamp", &ts_syslog(t))
                .text(" ")
                .neutral_as("short-hostname", &node)
                .text(" ")
                .text(proc_)
                .text(": ");
        };
        let me = format!("{}[{pid}]", c.app);
        pre(b, r, c, "systemd[1]");
        t!(b, "Starting {}.service - {} API...\n", c.app, c.app);
        pre(b, r, c, &me);
        b.text("loaded config from /etc/")
            .text(c.app)
            .text("/env: DB_HOST=")
            .secret("internal-hostname", &mk::internal_host(r, c))
            .text(" DB_PASSWORD=")
            .secret("password-assignment", &mk::password_safe(r))
            .text(" LOG_LEVEL=info\n");
        pre(b, r, c, &me);
        b.text("listening on :8080 (version ")
            .negative("version", &mk::version(r))
            .text(", commit ")
            .negative("git-sha", &mk::short_sha(r))
            .text(")\n");
        pre(b, r, c, "systemd[1]");
        t!(b, "Started {}.service - {} API.\n", c.app, c.app);
        let sshd = format!("sshd[{}]", r.range(1000, 60_000));
        pre(b, r, c, &sshd);
        b.text("Accepted publickey for deploy from ")
            .secret("private-ip", &mk::private_ip(r))
            .text(&format!(" port {} ssh2: ED25519 ", r.range(30_000, 65_000)))
            .negative("key-fingerprint", &mk::ssh_fingerprint(r))
            .nl();
        pre(b, r, c, &sshd);
        b.text("pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)\n");
        let sudo = format!("sudo[{}]", r.range(1000, 60_000));
        pre(b, r, c, &sudo);
        t!(
            b,
            "  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart {}\n",
            c.app
        );
        let cron = format!("CRON[{}]", r.range(1000, 60_000));
        pre(b, r, c, &cron);
        b.text("(root) CMD (/usr/local/bin/backup.sh --s3-bucket ")
            .text(c.org)
            .text("-backups --encryption-key ")
            .secret("generic-secret-assignment", &b64(&r.bytes(32)))
            .text(")\n");
        pre(b, r, c, "kernel");
        t!(
            b,
            "[{}.{:06}] {}[{pid}]: segfault at 18 ip ",
            r.range(1000, 99_999),
            r.below(1_000_000),
            c.app
        )
        .negative("memory-address", &format!("00007f{}", r.hex(10)))
        .text(" sp ")
        .negative("memory-address", &format!("00007ffd{}", r.hex(8)))
        .text(" error 4 in libc.so.6\n");
        pre(b, r, c, "systemd[1]");
        t!(
            b,
            "{}.service: Main process exited, code=dumped, status=11/SEGV\n",
            c.app
        );
        pre(b, r, c, "systemd[1]");
        t!(
            b,
            "{}.service: Scheduled restart job, restart counter is at ",
            c.app
        )
        .negative("counter", &r.range(1, 9).to_string())
        .text(".\n");
        pre(b, r, c, "systemd[1]");
        t!(b, "{}.service: Consumed ", c.app)
            .negative(
                "duration",
                &format!("{}.{:03}s", r.range(1, 90), r.below(1000)),
            )
            .text(" CPU time.\n");
        return;
    }
    t!(
        b,
        "$ systemctl cat {}-worker.service\n# /etc/systemd/system/{}-worker.service\n[Unit]\nDescription={} worker\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nUser={}\n",
        c.app,
        c.app,
        c.app,
        db_name(c)
    );
    t!(
        b,
        "EnvironmentFile=/etc/{}/env\nEnvironment=\"DATABASE_URL=",
        c.app
    );
    w_db_url_of(b, r, c, "postgres");
    b.text("\"\nEnvironment=REDIS_PASSWORD=")
        .secret("password-assignment", &mk::password_safe(r))
        .nl();
    b.text("Environment=\"AWS_ACCESS_KEY_ID=")
        .secret("aws-access-key", &mk::aws_access_key(r))
        .text("\" \"AWS_SECRET_ACCESS_KEY=")
        .secret("aws-secret-key", &mk::aws_secret_key(r))
        .text("\"\n");
    t!(
        b,
        "ExecStart=/usr/local/bin/{} --config /etc/{}/config.toml --api-key=",
        c.app,
        c.app
    )
    .secret("generic-secret-assignment", &mk::generic_secret(r));
    b.text("\nRestart=on-failure\nRestartSec=")
        .negative("duration", "5s")
        .text("\n\n[Install]\nWantedBy=multi-user.target\n");
    t!(
        b,
        "$ journalctl -u {}-worker -o short-iso -n 6 --no-pager\n",
        c.app
    );
    for i in 0..6 {
        let t = c.tick(r, 0, 30);
        b.negative(
            "timestamp",
            &format!("{}{}", ts_iso_off(t, 0).trim_end_matches("+00:00"), "+0000"),
        )
        .text(" ")
        .neutral_as("short-hostname", &node);
        t!(b, " {}-worker[{pid}]: ", c.app);
        match i % 3 {
            0 => b
                .text("job ")
                .negative("uuid", &mk::uuid(r))
                .text(" done in ")
                .negative("duration", &format!("{}ms", r.range(3, 4000))),
            1 => b
                .text("connected to ")
                .secret("internal-hostname", &mk::internal_host(r, c))
                .text(" as ")
                .neutral_as("username", "svc_worker"),
            _ => b
                .text("retrying upload, request id ")
                .negative("request-id", &mk::request_id(r))
                .text(" trace ")
                .negative("trace-id", &r.hex(32)),
        };
        b.nl();
    }
}

// Third split, kept in its own file so tuning never reads it.
#[path = "eval_fresh.rs"]
mod fresh;

// ---------------------------------------------------------------------------
// Self-tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn both() -> (Vec<Doc>, Vec<Doc>) {
        (
            corpus(SEED, Split::Tune, 20),
            corpus(SEED, Split::HeldOut, 20),
        )
    }

    fn fresh() -> Vec<Doc> {
        corpus(SEED, Split::Fresh, 20)
    }

    #[test]
    fn deterministic_for_a_seed() {
        assert_eq!(corpus(SEED, Split::Tune, 5), corpus(SEED, Split::Tune, 5));
        assert_eq!(corpus(7, Split::HeldOut, 5), corpus(7, Split::HeldOut, 5));
        assert_eq!(corpus(7, Split::Fresh, 5), corpus(7, Split::Fresh, 5));
        assert_ne!(
            corpus(SEED, Split::Tune, 5),
            corpus(SEED ^ 1, Split::Tune, 5)
        );
    }

    #[test]
    fn spans_are_valid() {
        let (tune, held) = both();
        for d in tune.iter().chain(&held).chain(&fresh()) {
            let mut last = 0;
            for s in &d.spans {
                assert!(s.start < s.end, "{}: empty span {s:?}", d.id);
                assert!(s.start >= last, "{}: overlapping/unsorted span {s:?}", d.id);
                assert!(s.end <= d.text.len(), "{}: span past end", d.id);
                assert!(
                    d.text.is_char_boundary(s.start) && d.text.is_char_boundary(s.end),
                    "{}: not on char boundary",
                    d.id
                );
                assert!(!s.class.is_empty());
                last = s.end;
            }
        }
    }

    #[test]
    fn classes_are_listed_and_kebab_case() {
        let (tune, held) = both();
        for d in tune.iter().chain(&held).chain(&fresh()) {
            for s in &d.spans {
                let list = match s.label {
                    Label::Sensitive => SENSITIVE_CLASSES,
                    Label::Negative => NEGATIVE_CLASSES,
                    Label::Neutral => NEUTRAL_CLASSES,
                };
                assert!(
                    list.contains(&s.class) || s.class == "neutral",
                    "{}: unlisted {:?} class {}",
                    d.id,
                    s.label,
                    s.class
                );
                assert!(
                    s.class
                        .bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                );
            }
        }
    }

    #[test]
    fn every_kind_in_both_splits_and_splits_differ() {
        let (tune, held) = both();
        for k in KINDS {
            assert_eq!(tune.iter().filter(|d| d.kind == *k).count(), 20, "{k} tune");
            assert_eq!(
                held.iter().filter(|d| d.kind == *k).count(),
                20,
                "{k} heldout"
            );
        }
        let tt: BTreeSet<&str> = tune.iter().map(|d| d.text.as_str()).collect();
        assert!(held.iter().all(|d| !tt.contains(d.text.as_str())));
        let ids: BTreeSet<&str> = tune.iter().chain(&held).map(|d| d.id.as_str()).collect();
        assert_eq!(ids.len(), tune.len() + held.len(), "ids are unique");
    }

    #[test]
    fn every_kind_in_fresh_and_fresh_differs() {
        let (tune, held) = both();
        let fresh = fresh();
        assert!(kinds(Split::Fresh).len() > KINDS.len(), "fresh-only kinds");
        for k in kinds(Split::Fresh) {
            assert_eq!(
                fresh.iter().filter(|d| d.kind == k).count(),
                20,
                "{k} fresh"
            );
        }
        for d in tune.iter().chain(&held) {
            assert!(KINDS.contains(&d.kind), "{}: fresh-only kind", d.id);
        }
        let seen: BTreeSet<&str> = tune.iter().chain(&held).map(|d| d.text.as_str()).collect();
        assert!(fresh.iter().all(|d| !seen.contains(d.text.as_str())));
        let ids: BTreeSet<&str> = tune
            .iter()
            .chain(&held)
            .chain(&fresh)
            .map(|d| d.id.as_str())
            .collect();
        assert_eq!(
            ids.len(),
            tune.len() + held.len() + fresh.len(),
            "ids are unique"
        );
    }

    #[test]
    fn every_listed_class_is_used() {
        let (tune, held) = both();
        let fresh = fresh();
        for (name, docs) in [("tune", &tune), ("heldout", &held), ("fresh", &fresh)] {
            let used: BTreeSet<&str> = docs
                .iter()
                .flat_map(|d| d.spans.iter().map(|s| s.class))
                .collect();
            for c in SENSITIVE_CLASSES
                .iter()
                .chain(NEGATIVE_CLASSES)
                .chain(NEUTRAL_CLASSES)
            {
                assert!(used.contains(c), "class {c} unused in {name}");
            }
        }
    }

    #[test]
    fn documents_have_sane_shape() {
        let (tune, held) = both();
        let fresh = fresh();
        for d in tune.iter().chain(&held).chain(&fresh) {
            let lines = d.text.lines().count();
            assert!((10..=80).contains(&lines), "{}: {lines} lines", d.id);
            let negs = d.spans_labelled(Label::Negative).count();
            assert!(negs >= 2, "{}: only {negs} negatives", d.id);
        }
        for docs in [&tune, &held, &fresh] {
            let sens = docs.iter().filter(|d| d.has_sensitive()).count() as f64 / docs.len() as f64;
            assert!(
                (0.5..=0.8).contains(&sens),
                "share with sensitive spans {sens:.2}"
            );
        }
    }

    #[test]
    fn generated_values_are_valid() {
        let mut r = Rng::new(42);
        for _ in 0..500 {
            assert!(mk::luhn_ok(&mk::payment_card(&mut r)));
            assert!(!mk::luhn_ok(&mk::non_luhn_16(&mut r)));
            assert!(mk::iban_ok(&mk::iban(&mut r)));
        }
        assert!(mk::iban_ok("GB82 WEST 1234 5698 7654 32"));
        assert!(mk::iban_ok("DE89370400440532013000"));
        assert!(mk::luhn_ok("4539 1488 0343 6467"));
        assert_eq!(b64(b"hello"), "aGVsbG8=");
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(ts_iso_z(0), "1970-01-01T00:00:00Z");
        assert_eq!(ts_git(1_700_000_000, 0), "Tue Nov 14 22:13:20 2023 +0000");
        let k = mk::aws_access_key(&mut r);
        assert_eq!(k.len(), 20);
        assert_eq!(mk::gcp_api_key(&mut r).len(), 39);
        let jwt = mk::jwt(&mut r, 1_700_000_000, "https://auth.example/", "u1");
        assert_eq!(jwt.split('.').count(), 3);
        assert!(jwt.starts_with("eyJ"));
    }

    #[test]
    fn sensitive_spans_look_like_their_class() {
        let (tune, held) = both();
        for d in tune.iter().chain(&held).chain(&fresh()) {
            for s in d.spans_labelled(Label::Sensitive) {
                let v = d.span_text(s);
                match s.class {
                    "aws-access-key" => assert!(
                        v.starts_with("AKIA") || v.starts_with("ASIA"),
                        "{}: {v}",
                        d.id
                    ),
                    "gcp-api-key" => assert!(v.starts_with("AIza") && v.len() == 39),
                    "private-key" if v.starts_with("-----BEGIN") => {
                        assert!(v.ends_with("-----") && v.contains("PRIVATE KEY"))
                    }
                    "payment-card" => assert!(mk::luhn_ok(v), "{}: {v}", d.id),
                    "iban" => assert!(mk::iban_ok(v), "{}: {v}", d.id),
                    "jwt" => assert!(v.starts_with("eyJ") && v.split('.').count() == 3),
                    "email" => assert!(v.contains('@') || v.contains("%40")),
                    _ => {}
                }
                assert!(
                    !v.starts_with(' ') && !v.ends_with(' ') || s.class == "phone",
                    "{}: padded span {v:?}",
                    d.id
                );
            }
        }
    }

    /// `cargo test -- --nocapture` / `--nocapture` prints the class histogram.
    #[test]
    fn print_summary() {
        for split in [Split::Tune, Split::HeldOut, Split::Fresh] {
            let docs = corpus(SEED, split, 20);
            let mut per: BTreeMap<(Label, &str), usize> = BTreeMap::new();
            for d in &docs {
                for s in &d.spans {
                    *per.entry((s.label, s.class)).or_default() += 1;
                }
            }
            let spans: usize = per.values().sum();
            let sens_docs = docs.iter().filter(|d| d.has_sensitive()).count();
            println!(
                "== {:?}: {} docs, {} spans, {} docs with sensitive spans",
                split,
                docs.len(),
                spans,
                sens_docs
            );
            for label in [Label::Sensitive, Label::Negative, Label::Neutral] {
                let total: usize = per
                    .iter()
                    .filter(|((l, _), _)| *l == label)
                    .map(|(_, n)| n)
                    .sum();
                println!("  {label:?}: {total}");
                for ((l, class), n) in &per {
                    if *l == label {
                        println!("    {class:<28} {n}");
                    }
                }
            }
        }
    }
}
