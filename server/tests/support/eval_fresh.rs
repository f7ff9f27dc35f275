//! The third, unseen split ([`Split::Fresh`]) of the evaluation corpus.
//!
//! Every kind in [`KINDS`] gets a third family of layouts here, written apart
//! from both the Tune and the HeldOut templates (other tools, other syntaxes,
//! other quoting, other places where secrets sit), plus a few kinds that only
//! exist in this split ([`FRESH_KINDS`]). Values follow public knowledge of the
//! formats (vendor token shapes documented by secret-scanner rule sets,
//! RFC 5737 / RFC 3849 documentation ranges, ISO 13616 IBANs, Luhn, national
//! id check digits), independently of the sanitizer's detectors.

use super::*;

/// Kinds that only the Fresh split has (generated after [`KINDS`]).
pub const FRESH_KINDS: &[&str] = &[
    "stacktrace-node",
    "stacktrace-dotnet",
    "stacktrace-ruby",
    "stacktrace-rust",
    "cloud-cli-output",
    "vault-cli-output",
    "monitoring-config",
    "mail-log",
];

/// Dispatches to the Fresh template of `kind`.
pub fn generate(kind: &str, r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    match kind {
        "env-file" => env_file(r, b, c),
        "helm-values" => helm_values(r, b, c),
        "docker-compose" => docker_compose(r, b, c),
        "gcp-service-account-json" => gcp_service_account_json(r, b, c),
        "docker-config-json" => docker_config_json(r, b, c),
        "ini-credentials" => ini_credentials(r, b, c),
        "kubernetes-secret" => kubernetes_secret(r, b, c),
        "kubeconfig" => kubeconfig(r, b, c),
        "kubectl-output" => kubectl_output(r, b, c),
        "helm-output" => helm_output(r, b, c),
        "terraform-plan" => terraform_plan(r, b, c),
        "shell-history" => shell_history(r, b, c),
        "ci-log" => ci_log(r, b, c),
        "stacktrace-python" => stacktrace_python(r, b, c),
        "stacktrace-java" => stacktrace_java(r, b, c),
        "stacktrace-go" => stacktrace_go(r, b, c),
        "chat-message" => chat_message(r, b, c),
        "runbook-markdown" => runbook_markdown(r, b, c),
        "deployment-notes" => deployment_notes(r, b, c),
        "curl-verbose" => curl_verbose(r, b, c),
        "nginx-log" => nginx_log(r, b, c),
        "postmortem" => postmortem(r, b, c),
        "pem-dump" => pem_dump(r, b, c),
        "app-config" => app_config(r, b, c),
        "terraform-hcl" => terraform_hcl(r, b, c),
        "ci-workflow" => ci_workflow(r, b, c),
        "sql-dump" => sql_dump(r, b, c),
        "systemd-journal" => systemd_journal(r, b, c),
        "stacktrace-node" => stacktrace_node(r, b, c),
        "stacktrace-dotnet" => stacktrace_dotnet(r, b, c),
        "stacktrace-ruby" => stacktrace_ruby(r, b, c),
        "stacktrace-rust" => stacktrace_rust(r, b, c),
        "cloud-cli-output" => cloud_cli_output(r, b, c),
        "vault-cli-output" => vault_cli_output(r, b, c),
        "monitoring-config" => monitoring_config(r, b, c),
        "mail-log" => mail_log(r, b, c),
        other => unreachable!("unknown kind {other}"),
    }
}

// ---------------------------------------------------------------------------
// Value makers that the other splits do not use
// ---------------------------------------------------------------------------

const BECH32_UP: &[u8] = b"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const K8S_SUFFIX: &[u8] = b"bcdfghkmt2456789";

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

fn digits_str(ds: &[u8]) -> String {
    ds.iter().map(|d| (b'0' + d) as char).collect()
}

/// Luhn-valid card of other brands and layouts (JCB, Diners, UnionPay, Maestro, 2-series MC).
fn card(r: &mut Rng) -> String {
    let (prefix, len): (String, usize) = match r.below(7) {
        0 => (format!("35{}", r.range(28, 89)), 16),
        1 => ("36".into(), 14),
        2 => ("62".into(), 16),
        3 => (format!("222{}", r.range(1, 9)), 16),
        4 => ("4".into(), 16),
        5 => (format!("5{}", r.range(1, 5)), 16),
        _ => (r.one(&["34", "37"]).into(), 15),
    };
    let mut ds: Vec<u8> = prefix.bytes().map(|c| c - b'0').collect();
    while ds.len() < len - 1 {
        ds.push(r.below(10) as u8);
    }
    ds.push(luhn_digit(&ds));
    let s = digits_str(&ds);
    match (len, r.below(3)) {
        (_, 0) => s,
        (14, _) => format!("{} {} {}", &s[..4], &s[4..10], &s[10..]),
        (15, _) => format!("{} {} {}", &s[..4], &s[4..10], &s[10..]),
        (_, 1) => format!("{} {} {} {}", &s[..4], &s[4..8], &s[8..12], &s[12..]),
        _ => format!("{}.{}.{}.{}", &s[..4], &s[4..8], &s[8..12], &s[12..]),
    }
}

fn mod97(s: &str) -> u32 {
    let mut rem = 0u32;
    for ch in s.chars() {
        if let Some(d) = ch.to_digit(10) {
            rem = (rem * 10 + d) % 97;
        } else {
            let v = ch as u32 - 'A' as u32 + 10;
            rem = (rem * 100 + v) % 97;
        }
    }
    rem
}

/// Valid IBAN of countries the other splits never use.
fn iban(r: &mut Rng) -> String {
    let (cc, bban) = match r.below(10) {
        0 => ("BE", r.digits(12)),
        1 => ("AT", r.digits(16)),
        2 => ("CH", r.digits(17)),
        3 => ("PL", r.digits(24)),
        4 => ("PT", r.digits(21)),
        5 => (
            "IE",
            format!("{}{}", r.one(&["AIBK", "BOFI", "IPBS"]), r.digits(14)),
        ),
        6 => ("NO", r.digits(11)),
        7 => ("SE", r.digits(20)),
        8 => ("DK", r.digits(14)),
        _ => ("FI", r.digits(14)),
    };
    let chk = 98 - mod97(&format!("{bban}{cc}00"));
    let plain = format!("{cc}{chk:02}{bban}");
    if r.chance(0.5) {
        plain
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        plain
    }
}

/// National ids with check digits: Spanish DNI, Canadian SIN, Dutch BSN, Indian PAN.
fn national_id(r: &mut Rng) -> String {
    match r.below(5) {
        0 => {
            let n = r.range(10_000_000, 99_999_999);
            let l = b"TRWAGMYFPDXBNJZSQVHLCKE"[n % 23] as char;
            if r.chance(0.5) {
                format!("{n}{l}")
            } else {
                format!("{n}-{l}")
            }
        }
        1 => {
            let mut ds: Vec<u8> = vec![r.range(1, 7) as u8];
            while ds.len() < 8 {
                ds.push(r.below(10) as u8);
            }
            ds.push(luhn_digit(&ds));
            let s = digits_str(&ds);
            let sep = if r.chance(0.5) { " " } else { "-" };
            format!("{}{sep}{}{sep}{}", &s[..3], &s[3..6], &s[6..])
        }
        2 => loop {
            let mut ds: Vec<u8> = vec![r.range(1, 9) as u8];
            while ds.len() < 8 {
                ds.push(r.below(10) as u8);
            }
            let s: u32 = ds
                .iter()
                .enumerate()
                .map(|(i, d)| (9 - i as u32) * u32::from(*d))
                .sum();
            let last = s % 11;
            if last < 10 {
                ds.push(last as u8);
                break digits_str(&ds);
            }
        },
        3 => format!(
            "{}P{}{}{}",
            r.chars(UPPER, 3),
            r.chars(UPPER, 1),
            r.digits(4),
            r.chars(UPPER, 1)
        ),
        _ => mk::ssn(r),
    }
}

/// International phone numbers in styles the other splits rarely use.
fn phone(r: &mut Rng) -> String {
    match r.below(11) {
        0 => format!("+31 6 {} {}", r.digits(4), r.digits(4)),
        1 => format!("+34 6{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
        2 => format!("+48 5{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
        3 => format!("+55 11 9{}-{}", r.digits(4), r.digits(4)),
        4 => format!("+27 8{} {} {}", r.range(1, 4), r.digits(3), r.digits(4)),
        5 => format!("+65 {}{} {}", r.one(&["8", "9"]), r.digits(3), r.digits(4)),
        6 => format!("+46 70 {} {} {}", r.digits(3), r.digits(2), r.digits(2)),
        7 => format!("+44 (0)20 7{} {}", r.digits(3), r.digits(4)),
        8 => format!("0049 89 {}", r.digits(7)),
        9 => format!("+41 79 {} {} {}", r.digits(3), r.digits(2), r.digits(2)),
        _ => mk::phone_intl(r),
    }
}

/// National-only phone numbers of other countries.
fn phone_national(r: &mut Rng) -> String {
    match r.below(7) {
        0 => format!("06-{}", r.digits(8)),
        1 => format!("0151 {}", r.digits(8)),
        2 => format!("0412 {} {}", r.digits(3), r.digits(3)),
        3 => format!("(02) {} {}", r.digits(4), r.digits(4)),
        4 => format!("079 {} {} {}", r.digits(3), r.digits(2), r.digits(2)),
        5 => format!(
            "{}.{}{}.{}",
            r.one(&["415", "646", "303"]),
            r.range(2, 9),
            r.digits(2),
            r.digits(4)
        ),
        _ => mk::phone_national(r),
    }
}

/// Internal host names in shapes the other splits do not use.
fn ihost(r: &mut Rng, c: &Ctx) -> String {
    let org = c.org;
    match r.below(10) {
        0 => format!(
            "{}.service.consul",
            r.one(&["postgres", "vault", "rabbitmq", c.app])
        ),
        1 => format!("dc{:02}.corp.{org}.local", r.range(1, 3)),
        2 => format!("{}.{}.svc", c.app, c.ns),
        3 => format!("{}.{}.{org}.internal", c.app, c.env),
        4 => format!(
            "{}.home.arpa",
            r.one(&["nas", "unifi", "build-box", "proxmox"])
        ),
        5 => format!(
            "{}-{}.{}-b.c.{org}-{}.internal",
            r.one(&["vm", "gke-node", "bastion"]),
            r.range(1, 9),
            r.one(&["europe-west1", "us-central1"]),
            c.env
        ),
        6 => format!(
            "{}{:02}.{org}.lan",
            r.one(&["srv", "db", "mq"]),
            r.range(1, 20)
        ),
        7 => format!("sql{:02}.{org}.corp", r.range(1, 9)),
        8 => format!(
            "{}-headless.{}.svc.cluster.local",
            r.one(&["kafka", "mongo", "etcd"]),
            c.ns
        ),
        _ => format!("artifactory.{org}.intra"),
    }
}

/// Internal URL in shapes the other splits do not use.
fn iurl(r: &mut Rng, c: &Ctx) -> String {
    match r.below(6) {
        0 => format!("http://{}:8500/v1/kv/{}/config", ihost(r, c), c.app),
        1 => format!(
            "https://artifactory.{}.intra/artifactory/api/npm/npm-virtual/",
            c.org
        ),
        2 => format!("http://{}:9093/#/alerts", mk::private_ip(r)),
        3 => format!("https://sonar.{}.corp/dashboard?id={}", c.org, c.app),
        4 => format!("http://{}.{}.svc:8080/actuator/env", c.app, c.ns),
        _ => format!("https://{}.{}.{}.internal/admin", c.app, c.env, c.org),
    }
}

/// Writes an internal host or a private address (both sensitive).
fn w_ihost(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    if r.chance(0.3) {
        b.secret("private-ip", &mk::private_ip(r));
    } else {
        b.secret("internal-hostname", &ihost(r, c));
    }
}

/// URIs with credentials in schemes the other splits do not write.
fn w_uri(b: &mut DocBuilder, r: &mut Rng, c: &Ctx, scheme: &str) {
    let pw = if r.chance(0.25) {
        pct(&mk::password(r))
    } else {
        mk::password_safe(r)
    };
    let db = db_name(c);
    let user = r.one(&["svc", "app_rw", "worker", "etl", "api"]);
    t!(b, "{scheme}://");
    match scheme {
        "mongodb" => {
            b.neutral_as("username", user)
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            for i in 0..3 {
                let h = format!("mongo-{i}.mongo-headless.{}.svc.cluster.local", c.ns);
                b.secret("internal-hostname", &h).text(":27017");
                if i < 2 {
                    b.text(",");
                }
            }
            t!(b, "/{db}?replicaSet=rs0&authSource=admin&tls=true");
        }
        "rediss" => {
            b.neutral_as("username", "default")
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            if r.chance(0.5) {
                t!(b, "{}-{}.redis.cache.windows.net", c.org, c.env);
            } else {
                w_ihost(b, r, c);
            }
            b.text(":6380/0");
        }
        "amqps" => {
            b.neutral_as("username", user)
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            if r.chance(0.5) {
                t!(b, "{}.rmq.cloudamqp.com", r.one(&["rat", "cow", "goose"]));
            } else {
                w_ihost(b, r, c);
            }
            t!(b, "/{}", c.env);
        }
        "sqlserver" => {
            b.neutral_as("username", "sa")
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            w_ihost(b, r, c);
            t!(b, ":1433?database={db}&encrypt=true");
        }
        "clickhouse" => {
            b.neutral_as("username", "default")
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            w_ihost(b, r, c);
            t!(b, ":9440/{db}?secure=true");
        }
        "nats" => {
            b.neutral_as("username", user)
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            w_ihost(b, r, c);
            b.text(":4222");
        }
        "sftp" => {
            b.neutral_as("username", "deploy")
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            w_ihost(b, r, c);
            b.text(":22/uploads");
        }
        _ => {
            // SQLAlchemy-style driver URLs.
            b.neutral_as("username", user)
                .text(":")
                .secret("url-password", &pw)
                .text("@");
            if r.chance(0.4) {
                t!(b, "{}-{}.postgres.database.azure.com", c.org, c.env);
            } else {
                w_ihost(b, r, c);
            }
            let port = if scheme.starts_with("mysql") {
                3306
            } else {
                5432
            };
            t!(b, ":{port}/{db}");
        }
    }
}

fn any_uri(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    let s = r.one(&[
        "mongodb",
        "rediss",
        "amqps",
        "sqlserver",
        "clickhouse",
        "nats",
        "postgresql+asyncpg",
        "mysql+pymysql",
    ]);
    w_uri(b, r, c, s);
}

/// SQL Server / ODBC style connection string.
fn w_odbc(b: &mut DocBuilder, r: &mut Rng, c: &Ctx) {
    if r.chance(0.5) {
        b.text("Data Source=");
        w_ihost(b, r, c);
        t!(b, ",1433;Initial Catalog={};User Id=", db_name(c))
            .neutral_as("username", r.one(&["sa", "app_login", "etl"]))
            .text(";Password=")
            .secret("connection-string-password", &mk::password_safe(r))
            .text(";TrustServerCertificate=True");
    } else {
        b.text("Driver={ODBC Driver 18 for SQL Server};Server=tcp:");
        w_ihost(b, r, c);
        t!(b, ";Database={};Uid=", db_name(c))
            .neutral_as("username", r.one(&["reporting", "svc_bi"]))
            .text(";Pwd=")
            .secret("connection-string-password", &mk::password_safe(r))
            .text(";Encrypt=yes");
    }
}

/// Azure AD application client secret (`xxx8Q~…`).
fn azure_client_secret(r: &mut Rng) -> String {
    format!(
        "{}{}Q~{}",
        r.chars(ALNUM, 3),
        r.range(7, 8),
        r.chars(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-",
            31
        )
    )
}

/// Vendor tokens the other splits never generate: (vendor, usual env name, value).
fn vendor(r: &mut Rng) -> (&'static str, &'static str, String) {
    match r.below(18) {
        0 => (
            "Hugging Face",
            "HF_TOKEN",
            format!(
                "hf_{}",
                r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34)
            ),
        ),
        1 => (
            "Brevo",
            "BREVO_API_KEY",
            format!("xkeysib-{}-{}", r.hex(64), r.chars(LOWER_ALNUM, 16)),
        ),
        2 => (
            "Atlassian",
            "JIRA_API_TOKEN",
            format!(
                "ATATT3xFfGF0{}={}",
                r.chars(B64URL, 171),
                r.chars(HEX_UP, 8)
            ),
        ),
        3 => (
            "Figma",
            "FIGMA_TOKEN",
            format!("figd_{}", r.chars(B64URL, 40)),
        ),
        4 => (
            "PlanetScale",
            "PLANETSCALE_SERVICE_TOKEN",
            format!("pscale_tkn_{}", r.chars(B64URL, 43)),
        ),
        5 => (
            "Square",
            "SQUARE_ACCESS_TOKEN",
            format!("EAAA{}", r.chars(B64URL, 60)),
        ),
        6 => (
            "JFrog",
            "JFROG_API_KEY",
            format!("AKCp8{}", r.chars(ALNUM, 68)),
        ),
        7 => (
            "Groq",
            "GROQ_API_KEY",
            format!("gsk_{}", r.chars(ALNUM, 52)),
        ),
        8 => (
            "Supabase",
            "SUPABASE_ACCESS_TOKEN",
            format!("sbp_{}", r.hex(40)),
        ),
        9 => (
            "Netlify",
            "NETLIFY_AUTH_TOKEN",
            format!("nfp_{}", r.chars(ALNUM, 36)),
        ),
        10 => ("Grafana Cloud", "GRAFANA_CLOUD_TOKEN", {
            let n = r.range(60, 90);
            format!("glc_{}", b64(&r.bytes(n)))
        }),
        11 => (
            "Docker Hub",
            "DOCKERHUB_TOKEN",
            format!("dckr_pat_{}", r.chars(B64URL, 27)),
        ),
        12 => (
            "DigitalOcean",
            "DO_OAUTH_TOKEN",
            format!("doo_v1_{}", r.hex(64)),
        ),
        13 => (
            "Alibaba Cloud",
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            format!("LTAI{}", r.chars(ALNUM, 20)),
        ),
        14 => (
            "RubyGems",
            "GEM_HOST_API_KEY",
            format!("rubygems_{}", r.hex(48)),
        ),
        15 => (
            "Fly.io",
            "FLY_API_TOKEN",
            format!("fo1_{}", r.chars(B64URL, 43)),
        ),
        16 => (
            "Telegram",
            "TELEGRAM_BOT_TOKEN",
            format!("{}{}:AA{}", r.range(1, 9), r.digits(9), r.chars(B64URL, 33)),
        ),
        _ => (
            "NuGet",
            "NUGET_API_KEY",
            format!("oy2{}", r.chars(LOWER_ALNUM, 43)),
        ),
    }
}

/// Microsoft Teams incoming webhook URL (the whole URL is the secret).
fn teams_webhook(r: &mut Rng, c: &Ctx) -> String {
    format!(
        "https://{}.webhook.office.com/webhookb2/{}@{}/IncomingWebhook/{}/{}",
        c.org,
        mk::uuid(r),
        mk::uuid(r),
        r.hex(32),
        mk::uuid(r)
    )
}

/// Discord webhook URL (the whole URL is the secret).
fn discord_webhook(r: &mut Rng) -> String {
    format!(
        "https://discord.com/api/webhooks/{}{}/{}",
        r.range(1, 9),
        r.digits(18),
        r.chars(B64URL, 68)
    )
}

/// `AGE-SECRET-KEY-1…` (bech32, upper case).
fn age_secret_key(r: &mut Rng) -> String {
    format!("AGE-SECRET-KEY-1{}", r.chars(BECH32_UP, 58))
}

/// ULID (Crockford base32, 26 chars), as request ids.
fn ulid(r: &mut Rng) -> String {
    format!("01{}", r.chars(CROCKFORD, 24))
}

/// Ansible Vault blob (hex lines), a hard negative.
fn ansible_vault(r: &mut Rng, indent: &str) -> String {
    let mut s = String::from("$ANSIBLE_VAULT;1.1;AES256");
    for _ in 0..r.range(3, 5) {
        s.push('\n');
        s.push_str(indent);
        s.push_str(&r.hex(80));
    }
    s
}

/// SOPS-encrypted value.
fn sops_value(r: &mut Rng) -> String {
    let n = r.range(16, 60);
    format!(
        "ENC[AES256_GCM,data:{},iv:{},tag:{},type:str]",
        b64(&r.bytes(n)),
        b64(&r.bytes(32)),
        b64(&r.bytes(16))
    )
}

/// Base64 of a small PNG-looking payload (ordinary data).
fn png_b64(r: &mut Rng) -> String {
    let mut bytes = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
    ];
    bytes.extend_from_slice(b"IHDR");
    let n = r.range(60, 140);
    bytes.extend(r.bytes(n));
    b64(&bytes)
}

/// Argon2 / crypt / Django / htpasswd password hashes (neutral).
fn password_hash(r: &mut Rng) -> String {
    match r.below(4) {
        0 => format!(
            "$argon2id$v=19$m=65536,t=3,p=4${}${}",
            b64_with_nopad(&r.bytes(16)),
            b64_with_nopad(&r.bytes(32))
        ),
        1 => format!(
            "$6$rounds=656000${}${}",
            r.chars(ALNUM, 16),
            r.chars(
                b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                86
            )
        ),
        2 => format!(
            "pbkdf2_sha256$600000${}${}",
            r.chars(ALNUM, 22),
            b64(&r.bytes(32))
        ),
        _ => format!(
            "$apr1${}${}",
            r.chars(ALNUM, 8),
            r.chars(
                b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                22
            )
        ),
    }
}

fn b64_with_nopad(data: &[u8]) -> String {
    b64(data).trim_end_matches('=').to_string()
}

/// SHA-1 thumbprint as colon-separated upper hex.
fn thumbprint(r: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| r.chars(HEX_UP, 2))
        .collect::<Vec<_>>()
        .join(":")
}

/// Azure resource id (negative).
fn azure_resource_id(r: &mut Rng, c: &Ctx) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/rg-{}-{}/providers/{}",
        mk::uuid(r),
        c.app,
        c.env,
        r.one(&[
            "Microsoft.KeyVault/vaults/kv-shared",
            "Microsoft.Web/sites/app-main",
            "Microsoft.Storage/storageAccounts/stshared",
            "Microsoft.ContainerService/managedClusters/aks-main",
        ])
    )
}

/// Quote characters for `v` in single/double-quoting languages.
fn q(v: &str, r: &mut Rng, bare_ok: bool) -> &'static str {
    let plain = v
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"._/+=:@,-".contains(&c));
    if bare_ok && plain && r.chance(0.5) {
        ""
    } else if !v.contains('\'') && r.chance(0.6) {
        "'"
    } else {
        "\""
    }
}

/// Secret written with quotes chosen for the value actually written.
fn qsecret(b: &mut DocBuilder, r: &mut Rng, class: &'static str, v: &str, bare_ok: bool) {
    let p = b.resolve(class, v);
    let qq = q(&p.value, r, bare_ok);
    b.text(qq).piece(&p).text(qq);
}

/// A value in a key/value pool, with its label.
enum V {
    S(&'static str, String),
    N(&'static str, String),
    U(&'static str, String),
    P(String),
    Uri,
    Odbc,
    Azure,
}

/// Key/value pairs a service usually needs; rendered by each syntax.
fn kv_pool(r: &mut Rng, c: &Ctx) -> Vec<(String, V)> {
    let p = mk::person(r, c.domain);
    let (vn, venv, vv) = vendor(r);
    let _ = vn;
    let mut out: Vec<(String, V)> = vec![
        (
            "AZURE_CLIENT_SECRET".into(),
            V::S("generic-secret-assignment", azure_client_secret(r)),
        ),
        ("AZURE_TENANT_ID".into(), V::N("uuid", mk::uuid(r))),
        ("AZURE_CLIENT_ID".into(), V::U("key-id", mk::uuid(r))),
        ("GH_TOKEN".into(), V::S("github-token", mk::github_token(r))),
        (venv.into(), V::S("vendor-token", vv)),
        ("DD_API_KEY".into(), V::S("datadog-key", r.hex(32))),
        ("DATABASE_URL".into(), V::Uri),
        ("SQL_CONNECTION".into(), V::Odbc),
        ("AzureWebJobsStorage".into(), V::Azure),
        (
            "STRIPE_SECRET_KEY".into(),
            V::S("stripe-key", mk::stripe_secret(r)),
        ),
        (
            "STRIPE_PUBLISHABLE_KEY".into(),
            V::U("publishable-key", mk::stripe_publishable(r)),
        ),
        (
            "SENDGRID_API_KEY".into(),
            V::S("sendgrid-key", mk::sendgrid_key(r)),
        ),
        (
            "SLACK_BOT_TOKEN".into(),
            V::S("slack-token", mk::slack_token(r)),
        ),
        ("APP_VERSION".into(), V::N("version", mk::version(r))),
        ("GIT_COMMIT".into(), V::N("git-sha", mk::git_sha(r))),
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT".into(),
            V::S(
                "internal-url",
                format!("http://otel.{}.{}.internal:4318", c.env, c.org),
            ),
        ),
        ("SMTP_USERNAME".into(), V::S("email", p.email.clone())),
        (
            "SMTP_PASSWORD".into(),
            V::S("password-assignment", mk::password(r)),
        ),
        (
            "ADMIN_API_KEY".into(),
            V::N(
                "placeholder",
                r.one(&["<api-key>", "CHANGE_ME", "${ADMIN_API_KEY}", "TBD"])
                    .into(),
            ),
        ),
        (
            "AWS_SECRET_ACCESS_KEY".into(),
            V::S("aws-secret-key", mk::aws_secret_key(r)),
        ),
        (
            "AWS_ACCESS_KEY_ID".into(),
            V::S("aws-access-key", mk::aws_access_key(r)),
        ),
        (
            "VAULT_TOKEN".into(),
            V::S("vault-token", mk::vault_token(r)),
        ),
        (
            "SESSION_SECRET".into(),
            V::S("generic-secret-assignment", mk::generic_secret(r)),
        ),
        (
            "MAPS_API_KEY".into(),
            V::S("gcp-api-key", mk::gcp_api_key(r)),
        ),
        ("NPM_TOKEN".into(), V::S("npm-token", mk::npm_token(r))),
        ("ONCALL_PHONE".into(), V::S("phone", phone(r))),
        (
            "PUBLIC_BASE_URL".into(),
            V::N("public-url", format!("https://www.{}", c.domain)),
        ),
        ("BUILD_ID".into(), V::N("uuid", mk::uuid(r))),
        (
            "TEAMS_WEBHOOK_URL".into(),
            V::S("vendor-token", teams_webhook(r, c)),
        ),
        (
            "LOG_LEVEL".into(),
            V::P(r.one(&["info", "debug", "warning"]).into()),
        ),
        ("SERVICE_NAME".into(), V::U("service-name", c.app.into())),
        (
            "CACHE_TTL".into(),
            V::N("duration", r.one(&["300s", "15m", "1h"]).into()),
        ),
    ];
    r.shuffle(&mut out);
    out
}

/// Writes one pool value between `qt` quotes (quotes are carrier text).
fn w_v(b: &mut DocBuilder, r: &mut Rng, c: &Ctx, v: &V, qt: &str) {
    b.text(qt);
    match v {
        V::S(cl, s) => {
            b.secret(cl, s);
        }
        V::N(cl, s) => {
            b.negative(cl, s);
        }
        V::U(cl, s) => {
            b.neutral_as(cl, s);
        }
        V::P(s) => {
            b.text(s);
        }
        V::Uri => any_uri(b, r, c),
        V::Odbc => w_odbc(b, r, c),
        V::Azure => w_azure_conn(b, r, c),
    }
    b.text(qt);
}

/// Takes `n` pool entries, making sure at least one is sensitive and one negative.
fn take_kv(r: &mut Rng, c: &Ctx, n: usize) -> Vec<(String, V)> {
    let mut all = kv_pool(r, c);
    let mut out: Vec<(String, V)> = Vec::new();
    let si = all
        .iter()
        .position(|(_, v)| matches!(v, V::S(..)))
        .unwrap_or(0);
    out.push(all.remove(si));
    let ni = all
        .iter()
        .position(|(_, v)| matches!(v, V::N(..)))
        .unwrap_or(0);
    out.push(all.remove(ni));
    out.extend(all.into_iter().take(n.saturating_sub(2)));
    r.shuffle(&mut out);
    out
}

fn needs_quotes(v: &V) -> bool {
    match v {
        V::S(_, s) | V::N(_, s) | V::U(_, s) | V::P(s) => !s
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._/+=:@,-".contains(&c)),
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// env-file: PowerShell profile, Windows .cmd, fish config, Dockerfile ENV/ARG
// ---------------------------------------------------------------------------

fn env_file(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    match r.below(4) {
        0 => env_powershell(r, b, c),
        1 => env_cmd(r, b, c),
        2 => env_fish(r, b, c),
        _ => env_dockerfile(r, b, c),
    }
}

fn env_powershell(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "# {}-{}.ps1 — dot-source before running the API locally\n",
        c.app,
        c.env
    );
    b.text("# copied from the team wiki on ")
        .negative("timestamp", &ts_iso_off(c.t, c.off))
        .text("\n$ErrorActionPreference = 'Stop'\n");
    t!(
        b,
        "$env:ASPNETCORE_ENVIRONMENT = '{}'\n",
        if c.env.starts_with('p') {
            "Production"
        } else {
            "Staging"
        }
    );
    let n = r.range(7, 11);
    for (k, v) in take_kv(r, c, n) {
        if matches!(v, V::S(..)) && r.chance(0.25) {
            t!(b, "[Environment]::SetEnvironmentVariable('{k}', ");
            w_v(b, r, c, &v, "'");
            b.text(", 'User')\n");
        } else {
            t!(b, "$env:{k} = ");
            let qt = if r.chance(0.5) { "'" } else { "\"" };
            w_v(b, r, c, &v, qt);
            b.nl();
        }
    }
    if r.chance(0.6) {
        b.text("$pw = ConvertTo-SecureString ");
        let pw = mk::password(r);
        qsecret(b, r, "password-assignment", &pw, false);
        b.text(
            " -AsPlainText -Force\n$cred = New-Object System.Management.Automation.PSCredential('",
        );
        t!(b, "{}\\", c.org.to_uppercase())
            .neutral_as("username", &format!("svc_{}", db_name(c)))
            .text("', $pw)\n");
    }
    b.text("$env:API_TOKEN = (")
        .negative(
            "secret-ref",
            "Get-Secret -Name ApiToken -Vault Team -AsPlainText",
        )
        .text(")\n");
    t!(
        b,
        "$env:Path += ';C:\\tools\\{}\\bin'\nWrite-Host \"loaded {} env\" -ForegroundColor Green\n",
        c.app,
        c.env
    );
}

fn env_cmd(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "@echo off\nREM {}\\scripts\\env-{}.cmd\nREM generated ",
        c.app,
        c.env
    )
    .negative("timestamp", &ts_space(c.t))
    .text(" — keep out of git\nsetlocal EnableExtensions\n");
    let n = r.range(7, 11);
    for (k, v) in take_kv(r, c, n) {
        match r.below(3) {
            0 => {
                t!(b, "setx {k} ");
                w_v(b, r, c, &v, "\"");
                b.text(" >nul\n");
            }
            _ => {
                t!(b, "set \"{k}=");
                w_v(b, r, c, &v, "");
                b.text("\"\n");
            }
        }
    }
    b.text("if not defined GIT_SHA for /f %%i in ('git rev-parse HEAD') do set GIT_SHA=%%i\n");
    b.text("echo Using build ")
        .negative("version", &mk::version(r))
        .text(" (")
        .negative("git-sha", &mk::short_sha(r))
        .text(")\n");
    t!(
        b,
        "dotnet run --project src\\{}.Api --no-launch-profile\nendlocal\n",
        c.app
    );
}

fn env_fish(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(b, "# ~/.config/fish/conf.d/{}.fish\n", c.app);
    b.text("# last synced ")
        .negative("timestamp", &ts_iso_z(c.t))
        .nl();
    t!(
        b,
        "fish_add_path ~/src/{}/bin\nabbr -a kp 'kubectl -n {}'\n",
        c.app,
        c.ns
    );
    let n = r.range(7, 11);
    for (k, v) in take_kv(r, c, n) {
        let scope = r.one(&["-gx", "-Ux", "-x"]);
        t!(b, "set {scope} {k} ");
        let qt = if needs_quotes(&v) || r.chance(0.4) {
            if r.chance(0.5) { "'" } else { "\"" }
        } else {
            ""
        };
        w_v(b, r, c, &v, qt);
        b.nl();
    }
    b.text("set -gx KUBE_SSH_KEY ")
        .negative("ssh-public-key", &mk::ssh_ed25519_pub(r, "ops@fish"))
        .text(" # public half only\n");
    b.text("function awsp; set -gx AWS_PROFILE $argv[1]; end\n");
}

fn env_dockerfile(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let node = r.one(&["20.17.0", "22.9.0", "18.20.4"]);
    b.text("# syntax=docker/dockerfile:1.7\nFROM node:")
        .negative("version", node)
        .text("-bookworm-slim@")
        .negative("image-digest", &mk::image_digest(r))
        .text(" AS build\n");
    let npm = mk::npm_token(r);
    b.text("ARG NPM_TOKEN=").secret("npm-token", &npm).nl();
    b.text("ARG GIT_SHA=")
        .negative("git-sha", &mk::git_sha(r))
        .text("\nWORKDIR /src\nCOPY package.json package-lock.json ./\n");
    b.text("RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm -f .npmrc\n");
    b.text("RUN --mount=type=secret,id=")
        .negative("secret-ref", "sentry_auth")
        .text(" SENTRY_AUTH_TOKEN=$(cat /run/secrets/sentry_auth) npm run build\n\n");
    b.text("FROM gcr.io/distroless/nodejs20-debian12@")
        .negative("image-digest", &mk::image_digest(r))
        .nl();
    b.text(
        "LABEL org.opencontainers.image.revision=\"$GIT_SHA\" org.opencontainers.image.version=\"",
    )
    .negative("version", &mk::version(r))
    .text("\"\n");
    let n = r.range(5, 8);
    let pool = take_kv(r, c, n);
    b.text("ENV NODE_ENV=production \\\n    PORT=8080");
    for (k, v) in pool.iter() {
        t!(b, " \\\n    {k}=");
        let qt = if needs_quotes(v) { "\"" } else { "" };
        w_v(b, r, c, v, qt);
    }
    b.nl();
    if r.chance(0.6) {
        b.text("ENV JWT_SIGNING_KEY ")
            .secret("generic-secret-assignment", &mk::generic_secret(r))
            .nl();
    }
    b.text("HEALTHCHECK --interval=")
        .negative("duration", "30s")
        .text(" CMD [\"/nodejs/bin/node\", \"healthcheck.js\"]\nUSER nonroot\nCMD [\"dist/server.js\"]\n");
    if !b.clean && r.chance(0.6) {
        b.text("\n$ docker history --no-trunc --format '{{.CreatedBy}}' ");
        t!(b, "{}:latest | grep NPM_TOKEN\n", c.app);
        b.text("|1 NPM_TOKEN=")
            .sensitive("npm-token", &npm)
            .text(" /bin/sh -c echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm -f .npmrc\n");
    }
}

// ---------------------------------------------------------------------------
// helm-values: Argo CD Application + repository Secret, or helmfile.yaml
// ---------------------------------------------------------------------------

fn helm_values(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        helm_argocd(r, b, c);
    } else {
        helm_helmfile(r, b, c);
    }
}

fn helm_argocd(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let name = format!("{}-{}", c.app, c.env);
    t!(b, "# argocd/apps/{name}.yaml\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ")
        .negative("k8s-name", &name);
    t!(
        b,
        "\n  namespace: argocd\n  finalizers:\n    - resources-finalizer.argocd.argoproj.io\nspec:\n  project: {}\n  source:\n    repoURL: ",
        c.ns
    );
    let internal_repo = r.chance(0.5);
    if internal_repo {
        b.secret(
            "internal-url",
            &format!(
                "https://artifactory.{}.intra/artifactory/api/helm/helm-local",
                c.org
            ),
        );
    } else {
        b.negative("public-url", &format!("https://charts.{}", c.domain));
    }
    t!(b, "\n    chart: {}\n    targetRevision: ", c.app).negative("version", &mk::version(r));
    b.text("\n    helm:\n      releaseName: ")
        .text(c.app)
        .text("\n      parameters:\n        - name: image.digest\n          value: ")
        .negative("image-digest", &mk::image_digest(r));
    b.text("\n        - name: secrets.databasePassword\n          value: ")
        .yaml_secret("password-assignment", &mk::password(r));
    if r.chance(0.5) {
        b.text("\n        - name: secrets.stripeKey\n          value: ")
            .yaml_secret("stripe-key", &mk::stripe_secret(r));
    }
    t!(
        b,
        "\n      valuesObject:\n        ingress:\n          hosts: [\"{}.{}\"]\n        env:\n",
        c.app,
        c.domain
    );
    b.text("          KAFKA_BROKERS: ");
    b.secret(
        "internal-hostname",
        &format!("kafka-headless.{}.svc.cluster.local", c.ns),
    )
    .text(":9092\n          KAFKA_SASL_PASSWORD: ")
    .yaml_secret("password-assignment", &mk::password_safe(r));
    b.text("\n          ALERT_WEBHOOK: ").yaml_secret(
        "vendor-token",
        &if r.chance(0.5) {
            discord_webhook(r)
        } else {
            teams_webhook(r, c)
        },
    );
    b.text("\n        podAnnotations:\n          vault.hashicorp.com/agent-inject: \"true\"\n          vault.hashicorp.com/agent-inject-secret-db: ")
        .negative("secret-ref", &format!("database/creds/{}", c.app));
    b.text("\n          checksum/values: ")
        .negative("content-hash", &mk::sha256_hex(r));
    t!(b, "\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: {}\n  syncPolicy:\n    automated: {{ prune: true, selfHeal: true }}\n    retry:\n      backoff: {{ duration: ", c.ns)
        .negative("duration", "5s")
        .text(", maxDuration: ")
        .negative("duration", "3m")
        .text(" }\n---\n");
    b.text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: ")
        .negative("k8s-name", &format!("repo-{}-charts", c.org))
        .text("\n  namespace: argocd\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  type: helm\n  name: charts\n  url: ");
    if internal_repo {
        b.secret(
            "internal-url",
            &format!(
                "https://artifactory.{}.intra/artifactory/api/helm/helm-local",
                c.org
            ),
        );
    } else {
        b.negative("public-url", &format!("https://charts.{}", c.domain));
    }
    let p = mk::person(r, c.domain);
    b.text("\n  username: ").neutral_as("username", &p.user);
    b.text("\n  password: ");
    if r.chance(0.5) {
        b.yaml_secret("github-token", &mk::github_token(r));
    } else {
        b.yaml_secret("vendor-token", &format!("AKCp8{}", r.chars(ALNUM, 68)));
    }
    b.nl();
}

fn helm_helmfile(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "# helmfile.yaml — {} ({})\nrepositories:\n  - name: bitnami\n    url: ",
        c.app,
        c.env
    )
    .negative("public-url", "https://charts.bitnami.com/bitnami");
    b.text("\n  - name: internal\n    url: ")
        .secret("internal-url", &format!("https://charts.{}.corp", c.org))
        .text("\n    username: ci\n    password: ");
    b.text("'")
        .negative("placeholder", "{{ requiredEnv \"CHARTS_PASSWORD\" }}")
        .text("'\n\n");
    t!(
        b,
        "environments:\n  {}:\n    values:\n      - env/{}.yaml\n      - env/{}.secrets.yaml  # helm-secrets, sops\n\nreleases:\n",
        c.env,
        c.env,
        c.env
    );
    t!(
        b,
        "  - name: {}-db\n    namespace: {}\n    chart: bitnami/postgresql\n    version: ",
        c.app,
        c.ns
    )
    .negative(
        "version",
        &format!("{}.{}.{}", r.range(13, 16), r.range(0, 9), r.range(0, 20)),
    );
    b.text("\n    set:\n      - name: auth.password\n        value: ")
        .yaml_secret("password-assignment", &mk::password(r));
    b.text("\n      - name: auth.existingSecret\n        value: \"\"\n      - name: primary.podAnnotations.commit\n        value: ")
        .negative("git-sha", &mk::short_sha(r));
    t!(
        b,
        "\n  - name: {}\n    namespace: {}\n    chart: internal/{}\n    version: ",
        c.app,
        c.ns,
        c.app
    )
    .negative("version", &mk::version(r));
    b.text("\n    needs: [")
        .text(c.ns)
        .text("/")
        .text(c.app)
        .text("-db]\n    values:\n      - image:\n          digest: ")
        .negative("image-digest", &mk::image_digest(r));
    b.text("\n        secretEnv:\n          OIDC_CLIENT_SECRET: ")
        .yaml_secret("generic-secret-assignment", &r.chars(ALNUM, 32));
    b.text("\n          MAPBOX_TOKEN: ").neutral_as(
        "publishable-key",
        &format!("pk.eyJ1Ijoi{}.{}", r.chars(B64URL, 40), r.chars(B64URL, 22)),
    );
    b.text("\n          REDIS_URL: \"");
    w_uri(b, r, c, "rediss");
    b.text("\"\n          GRAFANA_TOKEN: ").negative(
        "secret-ref",
        &format!("ref+vault://secret/{}/{}#/grafana_token", c.env, c.app),
    );
    b.text("\n          SUPPORT_PHONE: \"")
        .secret("phone", &phone(r))
        .text("\"\n");
    if r.chance(0.5) {
        b.text("        sops:\n          db: ")
            .negative("encrypted-data", &sops_value(r))
            .nl();
    }
    b.text("    hooks:\n      - events: [\"presync\"]\n        command: kubectl\n        args: [\"-n\", \"")
        .text(c.ns)
        .text("\", \"annotate\", \"deploy/")
        .text(c.app)
        .text("\", \"deployed-by=helmfile\"]\n");
}

// ---------------------------------------------------------------------------
// docker-compose: Nomad job spec, or a docker/podman run script
// ---------------------------------------------------------------------------

fn docker_compose(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        compose_nomad(r, b, c);
    } else {
        compose_docker_run(r, b, c);
    }
}

fn compose_nomad(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "# jobs/{}.nomad.hcl\njob \"{}\" {{\n  datacenters = [\"dc1\"]\n  type        = \"service\"\n\n  group \"api\" {{\n    count = {}\n    network {{\n      port \"http\" {{ to = 8080 }}\n    }}\n\n",
        c.app,
        c.app,
        r.range(2, 5)
    );
    t!(b, "    task \"server\" {{\n      driver = \"docker\"\n      config {{\n        image = \"ghcr.io/{}/{}@", c.org, c.app)
        .negative("image-digest", &mk::image_digest(r))
        .text("\"\n        ports = [\"http\"]\n        auth {\n          username = \"");
    b.neutral_as("username", &mk::person(r, c.domain).user)
        .text("\"\n          password = \"")
        .secret("github-token", &mk::github_token(r))
        .text("\"\n        }\n      }\n\n      env {\n");
    let n = r.range(3, 6);
    for (k, v) in take_kv(r, c, n) {
        t!(b, "        {k:<28}= ");
        w_v(b, r, c, &v, "\"");
        b.nl();
    }
    b.text("      }\n\n      template {\n        data        = <<EOH\n{{ with secret \"")
        .negative("secret-ref", &format!("kv/data/{}/{}", c.env, c.app))
        .text("\" }}\nAPI_KEY={{ .Data.data.api_key }}\n{{ end }}\nEOH\n        destination = \"secrets/app.env\"\n        env         = true\n      }\n\n");
    t!(
        b,
        "      vault {{\n        policies = [\"{}\"]\n      }}\n      resources {{\n        cpu    = {}\n        memory = {}\n      }}\n    }}\n  }}\n}}\n",
        c.app,
        r.range(2, 10) * 100,
        r.range(2, 8) * 128
    );
    t!(b, "$ nomad job run jobs/{}.nomad.hcl\n==> ", c.app)
        .negative("timestamp", &ts_iso_off(c.t, c.off))
        .text(": Monitoring evaluation \"");
    let ev = mk::uuid(r);
    b.negative("uuid", &ev[..8])
        .text("\"\n    Evaluation triggered by job \"")
        .text(c.app)
        .text("\"\n    Deployment \"");
    let dep = mk::uuid(r);
    b.negative("uuid", &dep[..8])
        .text("\" in progress...\n    ");
    b.negative("timestamp", &ts_iso_off(c.t + 40, c.off))
        .text("\n    ID          = ")
        .negative("uuid", &dep[..8])
        .text("\n    Job Version = ")
        .negative("counter", &r.range(2, 90).to_string())
        .text("\n    Status      = successful\n");
}

fn compose_docker_run(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let net = format!("{}-net", c.app);
    let pg = mk::password(r);
    t!(
        b,
        "#!/bin/sh\n# run-local.sh — what we ran before the compose file existed\nset -eu\ndocker network create {net} 2>/dev/null || true\n\n"
    );
    t!(
        b,
        "docker run -d --name {}-db --network {net} \\\n  -e POSTGRES_USER=app \\\n  -e POSTGRES_PASSWORD=",
        c.app
    );
    qsecret(b, r, "password-assignment", &pg, true);
    b.text(" \\\n  -v pgdata:/var/lib/postgresql/data \\\n  postgres:")
        .negative("version", r.one(&["16.4", "17.0", "15.8"]))
        .text("@")
        .negative("image-digest", &mk::image_digest(r))
        .text("\n\n");
    t!(
        b,
        "docker run -d --name {} --network {net} -p 8080:8080 \\\n  --restart unless-stopped \\\n",
        c.app
    );
    b.text("  --env DATABASE_URL=\"postgresql://app:")
        .secret("url-password", &pct(&pg))
        .text("@")
        .text(c.app)
        .text("-db:5432/")
        .text(&db_name(c))
        .text("\" \\\n");
    let n = r.range(2, 4);
    for (k, v) in take_kv(r, c, n) {
        t!(b, "  -e {k}=");
        let qt = if needs_quotes(&v) { "\"" } else { "" };
        w_v(b, r, c, &v, qt);
        b.text(" \\\n");
    }
    b.text("  --env-file ./prod.env \\\n  --add-host ")
        .secret("internal-hostname", &ihost(r, c))
        .text(":")
        .secret("private-ip", &mk::private_ip(r))
        .text(" \\\n  --label com.")
        .text(c.org)
        .text(".commit=")
        .negative("git-sha", &mk::git_sha(r));
    t!(b, " \\\n  ghcr.io/{}/{}:", c.org, c.app)
        .negative("version", &mk::version(r))
        .text("\n\n");
    t!(b, "podman run -d --name {}-worker --secret ", c.app)
        .negative("secret-ref", "worker_api_key")
        .text(",type=env,target=API_KEY \\\n  -e RABBIT_URL=\"");
    w_uri(b, r, c, "amqps");
    t!(
        b,
        "\" \\\n  ghcr.io/{}/{}-worker:latest\n\n$ docker ps --format '{{{{.ID}}}}  {{{{.Names}}}}  {{{{.Status}}}}'\n",
        c.org,
        c.app
    );
    for nm in [format!("{}-db", c.app), c.app.to_string()] {
        b.negative("content-hash", &r.hex(12))
            .text("  ")
            .text(&nm)
            .text("  Up ")
            .negative("duration", &format!("{} minutes", r.range(2, 50)))
            .text(" (healthy)\n");
    }
}

// ---------------------------------------------------------------------------
// gcp-service-account-json: gcloud keys create + compact jq, or terraform output
// ---------------------------------------------------------------------------

fn gcp_service_account_json(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let project = format!(
        "{}-{}-{}",
        c.org,
        r.one(&["data", "platform", "ml"]),
        r.chars(LOWER_ALNUM, 6)
    );
    let sa = r.one(&[
        "looker-export",
        "dataflow-runner",
        "cloud-sql-proxy",
        "argo-workflows",
        "airflow",
    ]);
    let email = format!("{sa}@{project}.iam.gserviceaccount.com");
    let key_id = r.hex(40);
    let old_id = r.hex(40);
    t!(
        b,
        "$ gcloud iam service-accounts keys list --iam-account={email} --managed-by=user\nKEY_ID                                    CREATED_AT            EXPIRES_AT            DISABLED\n"
    );
    b.neutral_as("key-id", &old_id)
        .text("  ")
        .negative("timestamp", &ts_iso_z(c.t - 400 * 86_400))
        .text("  ")
        .negative("timestamp", "9999-12-31T23:59:59Z")
        .text("\n");
    if b.clean {
        t!(
            b,
            "$ gcloud iam service-accounts keys disable {old_id} --iam-account="
        );
        b.neutral_as("service-account", &email)
            .text("\nDisabled key [")
            .neutral_as("key-id", &old_id)
            .text("].\n");
        let num = r.digits(12);
        t!(
            b,
            "$ gcloud iam workload-identity-pools create-cred-config projects/{num}/locations/global/workloadIdentityPools/ci/providers/gitlab \\\n    --service-account="
        );
        b.neutral_as("service-account", &email)
            .text(" --credential-source-file=/tmp/oidc.jwt --output-file=cred.json\nCreated credential configuration file [cred.json].\n$ jq -c . cred.json\n");
        t!(
            b,
            "{{\"universe_domain\":\"googleapis.com\",\"type\":\"external_account\",\"audience\":\"//iam.googleapis.com/projects/{num}/locations/global/workloadIdentityPools/ci/providers/gitlab\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\""
        );
        b.negative("public-url", "https://sts.googleapis.com/v1/token")
            .text("\",\"credential_source\":{\"file\":\"/tmp/oidc.jwt\"},\"service_account_impersonation_url\":\"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/");
        b.neutral_as("service-account", &email)
            .text(":generateAccessToken\"}\n");
    } else if r.chance(0.5) {
        t!(
            b,
            "$ gcloud iam service-accounts keys create ./{sa}.json --iam-account={email}\ncreated key ["
        );
        b.neutral_as("key-id", &key_id)
            .text("] of type [json] as [./")
            .text(sa)
            .text(".json] for [");
        b.neutral_as("service-account", &email)
            .text("]\n$ jq -c . ./")
            .text(sa)
            .text(".json\n");
        t!(
            b,
            "{{\"type\":\"service_account\",\"project_id\":\"{project}\",\"private_key_id\":\""
        )
        .neutral_as("key-id", &key_id)
        .text("\",\"private_key\":\"")
        .sensitive(
            "gcp-service-account-key",
            &json_escape(&mk::pkcs8_private_pem(r)),
        )
        .text("\\n\",\"client_email\":\"");
        b.neutral_as("service-account", &email)
            .text("\",\"client_id\":\"")
            .neutral_as("key-id", &format!("1{}", r.digits(20)))
            .text("\",\"auth_uri\":\"https://accounts.google.com/o/oauth2/auth\",\"token_uri\":\"")
            .negative("public-url", "https://oauth2.googleapis.com/token")
            .text("\",\"universe_domain\":\"googleapis.com\"}\n");
        t!(
            b,
            "$ kubectl -n {} create secret generic {sa}-key --from-file=key.json=./{sa}.json\nsecret/{sa}-key created\n",
            c.ns
        );
    } else {
        t!(
            b,
            "$ terraform -chdir=infra/iam output -raw {}_key; echo\n",
            sa.replace('-', "_")
        );
        let json = format!(
            "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"{project}\",\n  \"private_key_id\": \"{key_id}\",\n  \"private_key\": \"{}\\n\",\n  \"client_email\": \"{email}\"\n}}\n",
            json_escape(&mk::pkcs8_private_pem(r))
        );
        let enc = b64(json.as_bytes());
        b.sensitive("gcp-service-account-key", &enc).nl();
        t!(
            b,
            "$ terraform -chdir=infra/iam output -raw {}_key | base64 -d | jq -r '.private_key_id, .client_email'\n",
            sa.replace('-', "_")
        );
        b.neutral_as("key-id", &key_id)
            .nl()
            .neutral_as("service-account", &email)
            .nl();
        b.text("$ terraform -chdir=infra/iam output -raw ")
            .text(&sa.replace('-', "_"))
            .text("_key > /tmp/sa.b64 && gh secret set GCP_SA_KEY < /tmp/sa.b64\n✓ Set Actions secret GCP_SA_KEY for ")
            .text(c.org)
            .text("/")
            .text(c.app)
            .nl();
    }
    b.text("# workflow uses: credentials_json: ")
        .negative("secret-ref", "${{ secrets.GCP_SA_KEY }}")
        .text("\n$ gcloud projects get-iam-policy ")
        .text(&project)
        .text(" --format=json | jq -r '.etag'\n")
        .negative("content-hash", &b64(&r.bytes(8)))
        .nl();
    t!(b, "$ gsutil ls -L gs://{project}-exports/latest.parquet | grep -E 'Hash|Update'\n    Update time:            ")
        .negative("timestamp", &ts_http(c.t))
        .text("\n    Hash (crc32c):          ")
        .negative("content-hash", &b64(&r.bytes(4)))
        .text("\n    Hash (md5):             ")
        .negative("content-hash", &b64(&r.bytes(16)))
        .nl();
}

// ---------------------------------------------------------------------------
// docker-config-json: podman auth.json with ACR identity tokens, crane, kaniko
// ---------------------------------------------------------------------------

fn docker_config_json(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let acr = format!("{}{}.azurecr.io", c.org, c.env);
    let harbor = format!("harbor.{}.corp", c.org);
    t!(
        b,
        "$ az acr login --name {}{}\nLogin Succeeded\n$ podman login quay.io -u '{}+ci' --password-stdin < ~/.quay-robot\nLogin Succeeded!\n",
        c.org,
        c.env,
        c.org
    );
    b.text("$ cat ${XDG_RUNTIME_DIR}/containers/auth.json\n{\n    \"auths\": {\n        \"")
        .text(&acr)
        .text("\": {\n");
    b.text("            \"auth\": \"")
        .negative(
            "base64-data",
            &b64(b"00000000-0000-0000-0000-000000000000:"),
        )
        .text("\"");
    if b.clean {
        b.text("\n        },\n");
    } else {
        let iss = format!("https://{acr}/oauth2/token");
        b.text(",\n            \"identitytoken\": \"")
            .sensitive("jwt", &{
                let sub = mk::uuid(r);
                mk::jwt(r, c.t, &iss, &sub)
            })
            .text("\"\n        },\n");
    }
    let robot = format!("{}+ci", c.org);
    b.text("        \"quay.io\": {");
    if b.clean {
        b.text("},\n");
    } else {
        let tok = r.chars(UPPER_ALNUM, 64);
        b.text("\n            \"auth\": \"")
            .sensitive("docker-auth", &b64(format!("{robot}:{tok}").as_bytes()))
            .text("\"\n        },\n");
    }
    b.text("        \"");
    b.secret("internal-hostname", &harbor);
    b.text("\": {");
    let harbor_secret = r.chars(ALNUM, 32);
    if b.clean {
        b.text("}\n");
    } else {
        b.text("\n            \"auth\": \"")
            .sensitive(
                "docker-auth",
                &b64(format!("robot$ci:{harbor_secret}").as_bytes()),
            )
            .text("\"\n        }\n");
    }
    b.text("    }\n}\n");
    t!(b, "$ skopeo inspect docker://quay.io/{}/{}:", c.org, c.app)
        .negative("version", &mk::version(r))
        .text(" | jq '{Digest, Created, Architecture}'\n{\n  \"Digest\": \"")
        .negative("image-digest", &mk::image_digest(r))
        .text("\",\n  \"Created\": \"")
        .negative("timestamp", &ts_iso_z(c.t - 3600))
        .text("\",\n  \"Architecture\": \"amd64\"\n}\n");
    if !b.clean {
        b.text("$ crane auth get ")
            .text(&harbor)
            .text("\n{\"Username\":\"robot$ci\",\"Secret\":\"")
            .sensitive("generic-secret-assignment", &harbor_secret)
            .text("\"}\n");
    }
    b.text("# .gitlab-ci.yml (kaniko)\n  script:\n    - echo \"{\\\"auths\\\":{\\\"")
        .negative("placeholder", "$CI_REGISTRY")
        .text("\\\":{\\\"auth\\\":\\\"$(printf '%s:%s' \\\"")
        .negative("placeholder", "$CI_REGISTRY_USER")
        .text("\\\" \\\"")
        .negative("placeholder", "$CI_REGISTRY_PASSWORD")
        .text("\\\" | base64 | tr -d '\\n')\\\"}}}\" > /kaniko/.docker/config.json\n");
    b.text("    - /kaniko/executor --destination ")
        .text(&acr)
        .text("/")
        .text(c.app)
        .text(":")
        .negative("placeholder", "$CI_COMMIT_SHORT_SHA")
        .nl();
}

// ---------------------------------------------------------------------------
// ini-credentials: rclone, s3cmd, my.cnf, pip.conf, gh hosts, gem, cargo, cifs
// ---------------------------------------------------------------------------

fn ini_credentials(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let me = mk::person(r, c.domain);
    let mut parts: Vec<usize> = (0..8).collect();
    r.shuffle(&mut parts);
    for &p in parts.iter().take(3) {
        match p {
            0 => {
                t!(b, "$ cat ~/.config/rclone/rclone.conf\n[{}-s3]\ntype = s3\nprovider = AWS\naccess_key_id = ", c.org)
                    .secret("aws-access-key", &mk::aws_access_key(r));
                b.text("\nsecret_access_key = ")
                    .secret("aws-secret-key", &mk::aws_secret_key(r))
                    .text("\nregion = ")
                    .text(c.region);
                b.text("\n\n[nas]\ntype = sftp\nhost = ");
                w_ihost(b, r, c);
                b.text("\nuser = backup\npass = ")
                    .secret("password-assignment", &r.chars(B64URL, 48))
                    .text("\n\n[azblob]\ntype = azureblob\naccount = ")
                    .text(&storage_account(c))
                    .text("\nkey = ")
                    .secret("azure-storage-key", &mk::azure_storage_key(r))
                    .nl();
            }
            1 => {
                b.text("$ cat ~/.s3cfg\n[default]\naccess_key = ")
                    .secret("aws-access-key", &mk::aws_access_key(r))
                    .text("\nsecret_key = ")
                    .secret("aws-secret-key", &mk::aws_secret_key(r));
                b.text("\nhost_base = s3.amazonaws.com\nhost_bucket = %(bucket)s.s3.amazonaws.com\ngpg_passphrase = ")
                    .secret("password-assignment", &mk::password(r))
                    .text("\nuse_https = True\n");
            }
            2 => {
                b.text("$ cat ~/.my.cnf\n[client]\nuser = ")
                    .neutral_as("username", &me.user)
                    .text("\npassword = \"")
                    .secret("password-assignment", &mk::password(r))
                    .text("\"\nhost = ");
                w_ihost(b, r, c);
                b.text("\n\n[mysqldump]\nuser = backup\npassword=")
                    .secret("password-assignment", &mk::password_safe(r))
                    .text("\nsingle-transaction\n");
            }
            3 => {
                b.text("$ cat ~/.config/pip/pip.conf\n[global]\nindex-url = https://")
                    .neutral_as("username", &me.user)
                    .text(":")
                    .secret("url-password", &mk::password_safe(r))
                    .text("@")
                    .secret("internal-hostname", &format!("artifactory.{}.intra", c.org))
                    .text("/artifactory/api/pypi/pypi-virtual/simple\nextra-index-url = ")
                    .negative("public-url", "https://pypi.org/simple")
                    .text("\ntimeout = 60\n");
            }
            4 => {
                b.text("$ cat ~/.config/gh/hosts.yml\ngithub.com:\n    git_protocol: ssh\n    users:\n        ")
                    .neutral_as("username", &me.user)
                    .text(":\n            oauth_token: ")
                    .secret("github-token", &format!("gho_{}", r.chars(ALNUM, 36)))
                    .text("\n    user: ")
                    .neutral_as("username", &me.user);
                t!(b, "\ngithub.{}.corp:\n    oauth_token: ", c.org)
                    .secret("github-token", &mk::github_token(r))
                    .text("\n$ gh --version\ngh version ")
                    .negative(
                        "version",
                        &format!("2.{}.{}", r.range(40, 60), r.range(0, 3)),
                    )
                    .text(" (")
                    .negative("timestamp", &ts_date(c.t - 50 * 86_400))
                    .text(")\n");
            }
            5 => {
                b.text("$ cat ~/.gem/credentials\n---\n:rubygems_api_key: ")
                    .secret("vendor-token", &format!("rubygems_{}", r.hex(48)))
                    .text("\n:github: Bearer ")
                    .secret("github-token", &format!("ghp_{}", r.chars(ALNUM, 36)))
                    .nl();
            }
            6 => {
                b.text("$ cat ~/.cargo/credentials.toml\n[registry]\ntoken = \"")
                    .secret("vendor-token", &format!("cio{}", r.chars(ALNUM, 32)))
                    .text("\"\n\n[registries.")
                    .text(c.org)
                    .text("]\ntoken = \"Bearer ")
                    .secret("bearer-token", &mk::opaque_token(r))
                    .text("\"\n$ grep -A2 'name = \"serde\"' Cargo.lock\nname = \"serde\"\nversion = \"")
                    .negative("version", &format!("1.0.{}", r.range(190, 220)))
                    .text("\"\nchecksum = \"")
                    .negative("lockfile-integrity", &mk::sha256_hex(r))
                    .text("\"\n");
            }
            _ => {
                b.text("$ sudo cat /root/.smbcredentials\nusername=")
                    .neutral_as("username", &format!("svc_backup_{}", c.env))
                    .text("\npassword=")
                    .secret("password-assignment", &mk::password(r))
                    .text("\ndomain=")
                    .text(&c.org.to_uppercase());
                b.text("\n$ grep cifs /etc/fstab\n//")
                    .secret("internal-hostname", &format!("fs01.corp.{}.local", c.org))
                    .text("/backups /mnt/backups cifs credentials=/root/.smbcredentials,uid=")
                    .negative("user-id", &r.range(1000, 1100).to_string())
                    .text(",vers=3.0 0 0\n");
            }
        }
        b.nl();
    }
    t!(
        b,
        "$ stat -c '%A %U %y %n' ~/.config/rclone/rclone.conf ~/.my.cnf\n-rw------- {} ",
        me.user
    )
    .negative(
        "timestamp",
        &format!("{}.{} +0000", ts_space(c.t), r.digits(9)),
    )
    .text(" /home/")
    .text(&me.user)
    .text("/.config/rclone/rclone.conf\n");
    t!(b, "-rw------- {} ", me.user)
        .negative(
            "timestamp",
            &format!("{}.{} +0000", ts_space(c.t - 86_400 * 12), r.digits(9)),
        )
        .text(" /home/")
        .text(&me.user)
        .text("/.my.cnf\n");
}

// ---------------------------------------------------------------------------
// kubernetes-secret: Kustomize secretGenerator and `kustomize build` output
// ---------------------------------------------------------------------------

fn kubernetes_secret(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(b, "$ cat overlays/{}/kustomization.yaml\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: {}\nresources:\n  - ../../base\nimages:\n  - name: ghcr.io/{}/{}\n    newTag: ", c.env, c.ns, c.org, c.app)
        .negative("version", &mk::version(r));
    b.text("\n    digest: ")
        .negative("image-digest", &mk::image_digest(r));
    t!(b, "\nconfigMapGenerator:\n  - name: {}-config\n    literals:\n      - LOG_LEVEL=info\n      - PUBLIC_URL=", c.app)
        .negative("public-url", &format!("https://{}.{}", c.app, c.domain));
    b.text("\n      - CONFIG_B64=")
        .negative("base64-data", &mk::base64_config(r, c));
    let hash = r.chars(K8S_SUFFIX, 10);
    if b.clean {
        t!(
            b,
            "\ngenerators:\n  - ./secret-generator.yaml   # ksops\n$ cat overlays/{}/secrets.enc.env\n",
            c.env
        );
        for k in ["DB_PASSWORD", "STRIPE_SECRET_KEY", "SESSION_SECRET"] {
            t!(b, "{k}=")
                .negative("encrypted-data", &sops_value(r))
                .nl();
        }
        b.text("sops_age__list_0__map_recipient=")
            .negative(
                "public-key",
                &format!("age1{}", r.chars(b"qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)),
            )
            .text("\nsops_lastmodified=")
            .negative("timestamp", &ts_iso_z(c.t))
            .text("\nsops_mac=")
            .negative("encrypted-data", &sops_value(r))
            .nl();
        t!(
            b,
            "$ kustomize build --enable-alpha-plugins overlays/{} | yq 'select(.kind == \"Secret\") | .metadata.name'\n",
            c.env
        );
        b.negative("k8s-name", &format!("{}-secrets-{hash}", c.app))
            .nl();
        return;
    }
    let pw = mk::password(r);
    let sk = mk::stripe_secret(r);
    let ss = mk::generic_secret(r);
    let (_, venv, vv) = vendor(r);
    t!(b, "\nsecretGenerator:\n  - name: {}-secrets\n    type: Opaque\n    literals:\n      - DB_PASSWORD=", c.app)
        .sensitive("password-assignment", &pw);
    b.text("\n      - STRIPE_SECRET_KEY=")
        .sensitive("stripe-key", &sk)
        .text("\n      - SESSION_SECRET=")
        .sensitive("generic-secret-assignment", &ss);
    t!(b, "\n      - {venv}=").sensitive("vendor-token", &vv);
    t!(
        b,
        "\n    files:\n      - tls.key=certs/{}.key\n  - name: {}-basic-auth\n    type: kubernetes.io/basic-auth\n    literals:\n      - username=admin\n      - password=",
        c.app,
        c.app
    );
    let admin = mk::password_safe(r);
    b.sensitive("password-assignment", &admin)
        .text("\ngeneratorOptions:\n  labels:\n    app.kubernetes.io/part-of: ")
        .text(c.app)
        .nl();
    t!(b, "$ kustomize build overlays/{} | yq 'select(.kind == \"Secret\")'\napiVersion: v1\ndata:\n  DB_PASSWORD: ", c.env)
        .sensitive("kubernetes-secret-data", &b64(pw.as_bytes()));
    b.text("\n  SESSION_SECRET: ")
        .sensitive("kubernetes-secret-data", &b64(ss.as_bytes()))
        .text("\n  STRIPE_SECRET_KEY: ")
        .sensitive("kubernetes-secret-data", &b64(sk.as_bytes()));
    t!(b, "\n  {venv}: ").sensitive("kubernetes-secret-data", &b64(vv.as_bytes()));
    b.text("\n  tls.key: ")
        .sensitive(
            "kubernetes-secret-data",
            &b64(mk::small_private_pem(r).as_bytes()),
        )
        .text("\nkind: Secret\nmetadata:\n  labels:\n    app.kubernetes.io/part-of: ")
        .text(c.app)
        .text("\n  name: ")
        .negative("k8s-name", &format!("{}-secrets-{hash}", c.app));
    t!(
        b,
        "\n  namespace: {}\ntype: Opaque\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ",
        c.ns
    )
    .negative(
        "k8s-name",
        &format!("{}-basic-auth-{}", c.app, r.chars(K8S_SUFFIX, 10)),
    );
    b.text("\ntype: kubernetes.io/basic-auth\ndata:\n  password: ")
        .sensitive("kubernetes-secret-data", &b64(admin.as_bytes()))
        .text("\n  username: ")
        .sensitive("kubernetes-secret-data", &b64(b"admin"))
        .nl();
}

// ---------------------------------------------------------------------------
// kubeconfig: `kubectl config set-credentials` + `config view --raw -o json`
// ---------------------------------------------------------------------------

fn kubeconfig(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let aks = format!("aks-{}-{}", c.app, c.env);
    let doks = format!("do-{}-k8s-{}", r.one(&["fra1", "ams3", "nyc1"]), c.org);
    let fqdn = format!("{aks}-{}.hcp.westeurope.azmk8s.io", r.hex(8));
    let do_id = mk::uuid(r);
    let tok_aks = r.hex(64);
    let tok_do = format!("dop_v1_{}", r.hex(64));
    let pw = mk::password_safe(r);
    let me = mk::person(r, c.domain);
    t!(
        b,
        "$ kubectl config set-credentials clusterUser_{aks} --token="
    );
    b.secret("generic-secret-assignment", &tok_aks).nl();
    t!(
        b,
        "User \"clusterUser_{aks}\" set.\n$ kubectl config set-credentials legacy-admin --username=admin --password="
    );
    b.secret("password-assignment", &pw)
        .text("\nUser \"legacy-admin\" set.\n");
    b.text("$ kubectl config view --raw -o json | jq '{clusters, users}'\n{\n  \"clusters\": [\n    {\n      \"name\": \"")
        .text(&aks)
        .text("\",\n      \"cluster\": {\n        \"certificate-authority-data\": \"")
        .negative("certificate", &b64(mk::certificate_pem(r).as_bytes()));
    t!(
        b,
        "\",\n        \"server\": \"https://{fqdn}:443\"\n      }}\n    }},\n    {{\n      \"name\": \"{doks}\",\n      \"cluster\": {{\n        \"certificate-authority-data\": \""
    );
    b.negative("certificate", &b64(mk::certificate_pem(r).as_bytes()))
        .text("\",\n        \"server\": \"https://")
        .negative("uuid", &do_id)
        .text(".k8s.ondigitalocean.com\"\n      }\n    },\n    {\n      \"name\": \"lab\",\n      \"cluster\": {\n        \"server\": \"");
    b.secret(
        "internal-url",
        &format!("https://{}:6443", mk::private_ip(r)),
    )
    .text("\",\n        \"proxy-url\": \"");
    b.secret(
        "internal-url",
        &format!("socks5://bastion.{}.internal:1080", c.org),
    )
    .text(
        "\",\n        \"insecure-skip-tls-verify\": true\n      }\n    }\n  ],\n  \"users\": [\n",
    );
    t!(
        b,
        "    {{\n      \"name\": \"clusterUser_{aks}\",\n      \"user\": {{\n        \"client-certificate-data\": \""
    );
    b.negative("certificate", &b64(mk::certificate_pem(r).as_bytes()))
        .text("\",\n        \"client-key-data\": \"")
        .secret("private-key", &b64(mk::small_private_pem(r).as_bytes()))
        .text("\",\n        \"token\": \"")
        .secret("generic-secret-assignment", &tok_aks)
        .text("\"\n      }\n    },\n");
    t!(
        b,
        "    {{\n      \"name\": \"{doks}-admin\",\n      \"user\": {{\n        \"token\": \""
    );
    b.secret("vendor-token", &tok_do)
        .text("\"\n      }\n    },\n");
    b.text("    {\n      \"name\": \"legacy-admin\",\n      \"user\": {\n        \"username\": \"admin\",\n        \"password\": \"")
        .secret("password-assignment", &pw)
        .text("\"\n      }\n    },\n");
    b.text("    {\n      \"name\": \"oidc\",\n      \"user\": {\n        \"exec\": {\n          \"apiVersion\": \"client.authentication.k8s.io/v1beta1\",\n          \"command\": \"kubectl\",\n          \"args\": [\"oidc-login\", \"get-token\", \"--oidc-issuer-url=");
    b.negative(
        "public-url",
        &format!("https://login.microsoftonline.com/{}/v2.0", mk::uuid(r)),
    )
    .text("\", \"--oidc-client-id=")
    .neutral_as("key-id", &mk::uuid(r))
    .text("\"]\n        }\n      }\n    }\n  ]\n}\n");
    t!(
        b,
        "$ kubectl --context {doks} auth whoami\nATTRIBUTE   VALUE\nUsername    "
    );
    b.neutral_as("username", &me.email.replace('@', "-at-"))
        .text("\nGroups      [system:authenticated]\n");
}

// ---------------------------------------------------------------------------
// kubectl-output: nodes -o wide, services, exec printenv, configmap dump
// ---------------------------------------------------------------------------

fn kubectl_output(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("$ kubectl get nodes -o wide\nNAME                                STATUS   ROLES    AGE   VERSION               INTERNAL-IP    EXTERNAL-IP     OS-IMAGE             KERNEL-VERSION\n");
    let kv = format!(
        "v1.{}.{}-gke.{}",
        r.range(28, 31),
        r.range(1, 9),
        r.range(1000, 2000)
    );
    for _ in 0..r.range(2, 4) {
        let name = format!(
            "gke-{}-{}-pool-{}-{}",
            c.org,
            c.env,
            r.hex(8),
            r.chars(LOWER_ALNUM, 4)
        );
        let ip = mk::private_ip(r);
        b.neutral_as("short-hostname", &name)
            .text(&pad(name.len(), 36));
        t!(b, "Ready    <none>   {}d   ", r.range(3, 90))
            .negative("version", &kv)
            .text(&pad(kv.len(), 22));
        b.secret("private-ip", &ip).text(&pad(ip.len(), 15));
        let pip = mk::public_ip(r);
        b.negative("public-ip", &pip).text(&pad(pip.len(), 16));
        b.text("Container-Optimized OS   ")
            .negative("version", "6.1.100+")
            .nl();
    }
    t!(
        b,
        "$ kubectl get svc -n {}\nNAME            TYPE           CLUSTER-IP     EXTERNAL-IP     PORT(S)          AGE\n",
        c.ns
    );
    let cip = format!("10.96.{}.{}", r.below(256), r.range(1, 254));
    t!(b, "{:<16}ClusterIP      ", c.app)
        .secret("private-ip", &cip)
        .text(&pad(cip.len(), 15))
        .text("<none>          8080/TCP         41d\n");
    let lip = mk::public_ip(r);
    t!(b, "{:<16}LoadBalancer   ", format!("{}-lb", c.app)).secret(
        "private-ip",
        &format!("10.96.{}.{}", r.below(256), r.range(1, 254)),
    );
    b.text("   ")
        .negative("public-ip", &lip)
        .text(&pad(lip.len(), 16))
        .text("443:31443/TCP    41d\n");
    let pod = mk::pod_name(r, c.app);
    t!(b, "$ kubectl -n {} exec {pod} -- printenv | sort\n", c.ns);
    b.text("HOSTNAME=").negative("k8s-name", &pod).nl();
    b.text("KUBERNETES_SERVICE_HOST=")
        .secret("private-ip", "10.96.0.1")
        .text("\nKUBERNETES_SERVICE_PORT=443\n");
    let n = r.range(4, 7);
    let mut kvs = take_kv(r, c, n);
    kvs.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, v) in kvs {
        t!(b, "{k}=");
        w_v(b, r, c, &v, "");
        b.nl();
    }
    b.text("POD_IP=").secret("private-ip", &mk::pod_ip(r)).nl();
    t!(
        b,
        "$ kubectl -n {} get cm {}-env -o jsonpath='{{.data}}' | jq .\n{{\n  \"FEATURE_FLAGS\": \"new-search,async-export\",\n  \"UPSTREAM\": \"",
        c.ns,
        c.app
    );
    b.secret("internal-url", &iurl(r, c))
        .text("\",\n  \"RELEASE_SHA\": \"");
    b.negative("git-sha", &mk::git_sha(r))
        .text("\",\n  \"SMTP_PASS\": \"");
    b.secret("password-assignment", &mk::password_safe(r))
        .text("\"\n}\n");
    t!(
        b,
        "$ kubectl -n {} get pod {pod} -o jsonpath='{{.metadata.uid}} {{.status.startTime}}'\n",
        c.ns
    );
    b.negative("uuid", &mk::uuid(r))
        .text(" ")
        .negative("timestamp", &ts_iso_z(c.t))
        .nl();
}

// ---------------------------------------------------------------------------
// helm-output: helm list -A, helm diff upgrade, helm get manifest
// ---------------------------------------------------------------------------

fn helm_output(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("$ helm list -A --filter '")
        .text(c.app)
        .text("|ingress'\nNAME          \tNAMESPACE    \tREVISION\tUPDATED                                \tSTATUS  \tCHART                 \tAPP VERSION\n");
    for (rel, ns) in [
        (c.app.to_string(), c.ns.to_string()),
        ("ingress-nginx".into(), "ingress-nginx".into()),
    ] {
        let ver = mk::version(r);
        t!(b, "{rel:<14}\t{ns:<13}\t{}       \t", r.range(2, 80))
            .negative(
                "timestamp",
                &format!(
                    "{}.{} +0000 UTC",
                    ts_space(c.t - r.below(900_000) as i64),
                    r.digits(9)
                ),
            )
            .text("\tdeployed\t")
            .text(&rel)
            .text("-")
            .negative("version", &ver)
            .text("\t")
            .negative("version", &mk::version(r))
            .nl();
    }
    t!(
        b,
        "$ helm diff upgrade {} ./chart -n {} -f values-{}.yaml --show-secrets\n",
        c.app,
        c.ns,
        c.env
    );
    t!(b, "{}, {}, Deployment (apps) has changed:\n", c.ns, c.app);
    b.text("          containers:\n            - name: ")
        .text(c.app)
        .text("\n-             image: ghcr.io/")
        .text(c.org)
        .text("/")
        .text(c.app)
        .text("@")
        .negative("image-digest", &mk::image_digest(r))
        .text("\n+             image: ghcr.io/")
        .text(c.org)
        .text("/")
        .text(c.app)
        .text("@")
        .negative("image-digest", &mk::image_digest(r))
        .text("\n              env:\n                - name: PAYMENTS_API_KEY\n-                 value: ");
    b.yaml_secret("stripe-key", &mk::stripe_secret(r))
        .text("\n+                 value: ")
        .yaml_secret("stripe-key", &mk::stripe_secret(r));
    b.text("\n                - name: UPSTREAM_URL\n                  value: ")
        .secret("internal-url", &iurl(r, c));
    t!(
        b,
        "\n{}, {}-secret, Secret (v1) has changed:\n  data:\n-   db-password: ",
        c.ns,
        c.app
    );
    b.secret("kubernetes-secret-data", &b64(mk::password(r).as_bytes()))
        .text("\n+   db-password: ")
        .secret("kubernetes-secret-data", &b64(mk::password(r).as_bytes()));
    b.text("\n    api-token: ")
        .negative("placeholder", "'-------- # (32 bytes)'")
        .nl();
    t!(b, "$ helm get manifest {} -n {} | yq 'select(.kind == \"ConfigMap\")'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ", c.app, c.ns)
        .negative("k8s-name", &format!("{}-env", c.app));
    b.text("\n  labels:\n    helm.sh/chart: ")
        .text(c.app)
        .text("-")
        .negative("version", &mk::version(r));
    b.text("\ndata:\n  SENTRY_RELEASE: \"")
        .negative("git-sha", &mk::short_sha(r))
        .text("\"\n  SMTP_URL: \"smtp://apikey:")
        .secret("sendgrid-key", &mk::sendgrid_key(r))
        .text("@smtp.sendgrid.net:587\"\n  ADMIN_CONTACT: \"")
        .secret("email", &mk::person(r, c.domain).email)
        .text("\"\n");
    t!(
        b,
        "$ helm status {} -n {} -o json | jq -r '.info.last_deployed, .info.status'\n",
        c.app,
        c.ns
    );
    b.negative(
        "timestamp",
        &format!("{}.{}Z", ts_iso_z(c.t).trim_end_matches('Z'), r.digits(9)),
    )
    .text("\ndeployed\n");
}

// ---------------------------------------------------------------------------
// terraform-plan: `terraform state pull` JSON, or `pulumi preview` + config
// ---------------------------------------------------------------------------

fn terraform_plan(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        tf_state_pull(r, b, c);
    } else {
        tf_pulumi(r, b, c);
    }
}

fn tf_state_pull(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "$ terraform -chdir=stacks/{} state list | head -4\naws_iam_access_key.ses\naws_iam_user.ses\nrandom_password.db\naws_ssm_parameter.db\n",
        c.env
    );
    t!(
        b,
        "$ terraform -chdir=stacks/{} state pull | jq '.resources[] | select(.type == \"aws_iam_access_key\" or .type == \"random_password\") | .instances[0].attributes'\n",
        c.env
    );
    let user = format!("ses-{}-{}", c.app, c.env);
    b.text("{\n  \"create_date\": \"")
        .negative("timestamp", &ts_iso_z(c.t - 20 * 86_400))
        .text("\",\n  \"encrypted_secret\": null,\n  \"id\": \"")
        .secret("aws-access-key", &mk::aws_access_key(r))
        .text("\",\n  \"key_fingerprint\": null,\n  \"pgp_key\": null,\n  \"secret\": \"")
        .secret("aws-secret-key", &mk::aws_secret_key(r))
        .text("\",\n  \"ses_smtp_password_v4\": \"");
    b.secret("password-assignment", &format!("B{}", r.chars(B64, 43)))
        .text("\",\n  \"status\": \"Active\",\n  \"user\": \"")
        .text(&user)
        .text("\"\n}\n{\n  \"bcrypt_hash\": \"");
    b.neutral_as(
        "password-hash",
        &format!(
            "$2a$10${}",
            r.chars(
                b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                53
            )
        ),
    )
    .text("\",\n  \"id\": \"none\",\n  \"keepers\": {\n    \"rotation\": \"")
    .negative("timestamp", &ts_date(c.t - 90 * 86_400))
    .text(
        "\"\n  },\n  \"length\": 24,\n  \"override_special\": \"!#%&*()-_=+[]\",\n  \"result\": \"",
    );
    b.secret("password-assignment", &mk::password(r))
        .text("\",\n  \"special\": true\n}\n");
    t!(b, "$ terraform -chdir=stacks/{} state show aws_ssm_parameter.db\n# aws_ssm_parameter.db:\nresource \"aws_ssm_parameter\" \"db\" {{\n    arn            = \"", c.env)
        .negative("arn", &format!("arn:aws:ssm:{}:{}:parameter/{}/{}/db", c.region, c.account, c.env, c.app));
    t!(b, "\"\n    data_type      = \"text\"\n    id             = \"/{}/{}/db\"\n    insecure_value = (null)\n    key_id         = \"alias/aws/ssm\"\n    name           = \"/{}/{}/db\"\n    tier           = \"Standard\"\n    type           = \"SecureString\"\n    value          = ", c.env, c.app, c.env, c.app)
        .negative("placeholder", "(sensitive value)")
        .text("\n    version        = ")
        .negative("counter", &r.range(1, 30).to_string())
        .text("\n}\n");
    b.text("$ terraform version -json | jq -r .terraform_version\n")
        .negative("version", r.one(&["1.9.8", "1.8.5", "1.10.2"]))
        .text("\n$ jq -r '.serial, .lineage' terraform.tfstate.backup\n")
        .negative("counter", &r.range(40, 900).to_string())
        .nl()
        .negative("uuid", &mk::uuid(r))
        .nl();
}

fn tf_pulumi(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let stack = format!("{}/{}/{}", c.org, c.app, c.env);
    t!(
        b,
        "$ pulumi preview --diff -s {stack}\nPreviewing update ({stack})\n\nView in Browser (Ctrl+O): "
    );
    b.negative(
        "public-url",
        &format!("https://app.pulumi.com/{stack}/previews/{}", mk::uuid(r)),
    );
    t!(
        b,
        "\n\n  pulumi:pulumi:Stack: ({}-{})\n    ~ aws:rds/instance:Instance: (update)\n        [id={}-{}]\n",
        c.app,
        c.env,
        c.app,
        c.env
    );
    b.text("        [urn=urn:pulumi:")
        .text(c.env)
        .text("::")
        .text(c.app)
        .text("::aws:rds/instance:Instance::db]\n      ~ engineVersion: \"")
        .negative("version", "15.8")
        .text("\" => \"")
        .negative("version", "16.4")
        .text("\"\n      ~ password     : [secret] => [secret]\n    + aws:secretsmanager/secretVersion:SecretVersion: (create)\n        secretId    : \"")
        .negative("arn", &format!("arn:aws:secretsmanager:{}:{}:secret:{}/{}/db-{}", c.region, c.account, c.env, c.app, r.chars(ALNUM, 6)))
        .text("\"\n        secretString: [secret]\nResources:\n    + 1 to create\n    ~ 1 to update\n\n");
    t!(
        b,
        "$ pulumi config --show-secrets -s {stack}\nKEY                      VALUE\naws:region               {}\n",
        c.region
    );
    let rows: Vec<(&str, &'static str, String)> = vec![
        ("db:password", "password-assignment", mk::password(r)),
        ("datadog:apiKey", "datadog-key", r.hex(32)),
        (
            "cloudflare:apiToken",
            "generic-secret-assignment",
            r.chars(B64URL, 40),
        ),
        ("app:sendgridKey", "sendgrid-key", mk::sendgrid_key(r)),
        ("app:slackWebhook", "slack-webhook", mk::slack_webhook(r)),
    ];
    let k = r.range(2, 4);
    for (key, class, v) in r.sample(&rows, k) {
        t!(b, "{key:<25}").secret(class, v).nl();
    }
    b.text("app:imageDigest          ")
        .negative("image-digest", &mk::image_digest(r))
        .text("\napp:replicas             3\n");
    t!(
        b,
        "$ grep -A2 'db:password' Pulumi.{}.yaml\n  {}:db:password:\n    secure: ",
        c.env,
        c.app
    )
    .negative(
        "encrypted-data",
        &format!("v1:{}:{}", b64(&r.bytes(12)), b64(&r.bytes(40))),
    )
    .nl();
    b.text("$ pulumi stack output dbEndpoint\n");
    w_ihost(b, r, c);
    b.text(":5432\n");
}

// ---------------------------------------------------------------------------
// shell-history: PowerShell PSReadLine history, or fish history (YAML-ish)
// ---------------------------------------------------------------------------

fn shell_history(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let me = mk::person(r, c.domain);
    let ps = r.chance(0.5);
    if ps {
        t!(
            b,
            "PS C:\\Users\\{}> Get-Content (Get-PSReadLineOption).HistorySavePath -Tail 20\n",
            me.user
        );
    } else {
        b.text("$ tail -n 40 ~/.local/share/fish/fish_history\n");
    }
    let n = r.range(9, 14);
    let pool = 24;
    let mut ks: Vec<usize> = (0..pool).collect();
    r.shuffle(&mut ks);
    ks.truncate(n);
    // Commands that always carry a hard negative.
    for k in r.sample(&[14usize, 15, 16, 17], 2) {
        if !ks.contains(k) {
            ks.push(*k);
        }
    }
    for k in ks {
        if !ps {
            b.text("- cmd: ");
        }
        history_cmd(r, b, c, &me, k, ps);
        b.nl();
        if !ps {
            let t = c.tick(r, 5, 600);
            b.text("  when: ")
                .negative("timestamp", &t.to_string())
                .nl();
        }
    }
}

fn history_cmd(r: &mut Rng, b: &mut DocBuilder, c: &Ctx, me: &mk::Person, k: usize, ps: bool) {
    match k {
        0 => {
            b.text("az login --service-principal -u ")
                .neutral_as("key-id", &mk::uuid(r))
                .text(" -p ");
            let s = azure_client_secret(r);
            qsecret(b, r, "generic-secret-assignment", &s, true);
            b.text(" --tenant ").negative("uuid", &mk::uuid(r));
        }
        1 => {
            b.text("sqlcmd -S ");
            w_ihost(b, r, c);
            b.text(" -U sa -P ");
            let p = mk::password_safe(r);
            qsecret(b, r, "password-assignment", &p, true);
            b.text(" -Q \"SELECT name FROM sys.databases\"");
        }
        2 => {
            b.text("mongosh \"");
            w_uri(b, r, c, "mongodb");
            b.text("\" --eval 'db.orders.countDocuments()'");
        }
        3 => {
            b.text("redis-cli -u ");
            w_uri(b, r, c, "rediss");
            b.text(" --tls INFO keyspace");
        }
        4 => {
            b.text("doctl auth init -t ")
                .secret("vendor-token", &format!("dop_v1_{}", r.hex(64)));
        }
        5 => {
            let (_, env, v) = vendor(r);
            if ps {
                t!(b, "$env:{env}=\"").secret("vendor-token", &v).text("\"");
            } else {
                t!(b, "set -gx {env} ").secret("vendor-token", &v);
            }
        }
        6 => {
            b.text("gh secret set STRIPE_KEY --repo ")
                .text(c.org)
                .text("/")
                .text(c.app)
                .text(" --body ")
                .secret("stripe-key", &mk::stripe_secret(r));
        }
        7 => {
            b.text("mc alias set minio ")
                .secret(
                    "internal-url",
                    &format!("http://{}:9000", mk::private_ip(r)),
                )
                .text(" ")
                .neutral_as("username", "minioadmin")
                .text(" ");
            let p = mk::password_safe(r);
            qsecret(b, r, "password-assignment", &p, true);
        }
        8 => {
            b.text("helm repo add internal ")
                .secret("internal-url", &format!("https://charts.{}.corp", c.org))
                .text(" --username ")
                .neutral_as("username", &me.user)
                .text(" --password ");
            let t = format!("glpat-{}", r.chars(B64URL, 20));
            qsecret(b, r, "gitlab-token", &t, true);
        }
        9 => {
            b.text("openssl enc -aes-256-cbc -pbkdf2 -in dump.sql -out dump.sql.enc -pass pass:")
                .secret("password-assignment", &mk::password_safe(r));
        }
        10 => {
            b.text("htpasswd -bc .htpasswd admin ")
                .secret("password-assignment", &mk::password_safe(r));
        }
        11 => {
            if ps {
                b.text("Invoke-RestMethod -Uri https://api.")
                    .text(c.domain)
                    .text("/v2/reports -Headers @{Authorization = \"Bearer ")
                    .secret("bearer-token", &mk::opaque_token(r))
                    .text("\"}");
            } else {
                b.text("xh https://api.")
                    .text(c.domain)
                    .text("/v2/reports \"Authorization:Bearer ")
                    .secret("bearer-token", &mk::opaque_token(r))
                    .text("\"");
            }
        }
        12 => {
            b.text("cmdkey /add:")
                .secret("internal-hostname", &format!("sql01.{}.corp", c.org))
                .text(" /user:")
                .text(&c.org.to_uppercase())
                .text("\\")
                .neutral_as("username", &me.user)
                .text(" /pass:")
                .secret("password-assignment", &mk::password_safe(r));
        }
        13 => {
            b.text("wrangler secret put STRIPE_WEBHOOK_SECRET # pasted ")
                .secret("stripe-key", &mk::stripe_webhook_secret(r));
        }
        14 => {
            b.text("git log -1 --format=%H ")
                .text("# ")
                .negative("git-sha", &mk::git_sha(r));
        }
        15 => {
            b.text("docker image inspect ghcr.io/")
                .text(c.org)
                .text("/")
                .text(c.app)
                .text(" --format '{{.Id}}'  # ")
                .negative("image-digest", &mk::image_digest(r));
        }
        16 => {
            b.text("op read ").negative(
                "secret-ref",
                &format!("op://Platform/{}-{}/password", c.app, c.env),
            );
        }
        17 => {
            b.text("Test-NetConnection ")
                .negative("public-ip", &mk::public_ip(r))
                .text(" -Port 443");
        }
        18 => {
            b.text("gcloud sql users set-password app --instance=")
                .text(c.app)
                .text(" --password=")
                .secret("password-assignment", &mk::password_safe(r));
        }
        19 => {
            b.text("curl -sSf -H \"X-Vault-Token: ")
                .secret("vault-token", &mk::vault_token(r))
                .text("\" ")
                .secret(
                    "internal-url",
                    &format!("https://vault.service.consul:8200/v1/kv/data/{}", c.app),
                );
        }
        20 => {
            b.text("aws configure set aws_session_token ")
                .secret("aws-session-token", &mk::aws_session_token(r));
        }
        21 => {
            b.text("ssh-copy-id -i ~/.ssh/id_ed25519.pub ")
                .neutral_as("username", "ops")
                .text("@");
            w_ihost(b, r, c);
        }
        22 => {
            b.text("kubectl -n ")
                .text(c.ns)
                .text(" rollout status deploy/")
                .text(c.app)
                .text(" --timeout=")
                .negative("duration", "120s");
        }
        _ => {
            b.text("npm install --registry ")
                .secret(
                    "internal-url",
                    &format!(
                        "https://artifactory.{}.intra/artifactory/api/npm/npm-virtual/",
                        c.org
                    ),
                )
                .text(" --//artifactory.")
                .text(c.org)
                .text(".intra/:_authToken=")
                .secret(
                    "vendor-token",
                    &format!("cmVmdGtuOjAxOj{}", r.chars(ALNUM, 50)),
                );
        }
    }
}

// ---------------------------------------------------------------------------
// ci-log: Azure Pipelines job log, or Buildkite
// ---------------------------------------------------------------------------

fn ci_log(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        ci_azure(r, b, c);
    } else {
        ci_buildkite(r, b, c);
    }
}

fn ci_azure(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let mut clock = c.t * 10_000_000;
    let mut pre = |b: &mut DocBuilder, r: &mut Rng| {
        clock += r.range(5_000, 30_000_000) as i64;
        b.negative(
            "timestamp",
            &ts_gha(clock / 10_000_000, (clock % 10_000_000) as u32),
        )
        .text(" ");
    };
    pre(b, r);
    b.text("##[section]Starting: Deploy ").text(c.app).nl();
    pre(b, r);
    b.text("Task         : Azure CLI\n");
    pre(b, r);
    b.text("Version      : ")
        .negative("version", "2.247.1")
        .nl();
    pre(b, r);
    b.text("Agent name: 'Azure Pipelines ")
        .text(&r.range(1, 20).to_string())
        .text("'  Agent version: ")
        .negative("version", "4.251.0")
        .nl();
    pre(b, r);
    b.text("Syncing repository: ")
        .text(c.app)
        .text(" (Git) commit ")
        .negative("git-sha", &mk::git_sha(r))
        .nl();
    pre(b, r);
    b.text("[command]/usr/bin/az login --service-principal -u ")
        .neutral_as("key-id", &mk::uuid(r))
        .text(" --password=")
        .negative("placeholder", "***")
        .text(" --tenant ")
        .negative("uuid", &mk::uuid(r))
        .nl();
    pre(b, r);
    b.text("##[debug]Setting variable DB_CONN issecret=false\n");
    pre(b, r);
    b.text("##vso[task.setvariable variable=DB_CONN]");
    w_odbc(b, r, c);
    b.nl();
    pre(b, r);
    b.text("##vso[task.setvariable variable=STORAGE_KEY;issecret=true]")
        .negative("placeholder", "***")
        .nl();
    pre(b, r);
    b.text("+ az storage blob upload-batch -d '$web' -s dist --account-name ")
        .text(&storage_account(c))
        .text(" --account-key ")
        .secret("azure-storage-key", &mk::azure_storage_key(r))
        .nl();
    pre(b, r);
    b.text("Finished[##############################################################]  100.0000%\n");
    pre(b, r);
    b.text("+ curl -fsS -X POST ")
        .secret("vendor-token", &teams_webhook(r, c))
        .text(" -d @notify.json\n");
    pre(b, r);
    b.text("+ az keyvault secret show --vault-name kv-")
        .text(c.org)
        .text(" -n smtp-password --query value -o tsv\n");
    pre(b, r);
    b.secret("password-assignment", &mk::password(r)).nl();
    pre(b, r);
    b.text("resource: ")
        .negative("cloud-resource-id", &azure_resource_id(r, c))
        .nl();
    pre(b, r);
    b.text("##[warning]Variable 'System.AccessToken' used from ")
        .negative("placeholder", "$(System.AccessToken)")
        .nl();
    pre(b, r);
    b.text("##[section]Finishing: Deploy ").text(c.app).nl();
}

fn ci_buildkite(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let mut t = c.t;
    let mut pre = |b: &mut DocBuilder, r: &mut Rng| {
        t += r.range(0, 20) as i64;
        b.negative("timestamp", &ts_iso_z(t)).text(" ");
    };
    pre(b, r);
    b.text("~~~ Preparing working directory\n");
    pre(b, r);
    b.text("$ cd /var/lib/buildkite-agent/builds/")
        .neutral_as(
            "short-hostname",
            &format!("bk-agent-{}", r.chars(LOWER_ALNUM, 6)),
        )
        .text("/")
        .text(c.org)
        .text("/")
        .text(c.app)
        .nl();
    pre(b, r);
    b.text("$ git checkout -f ")
        .negative("git-sha", &mk::git_sha(r))
        .nl();
    pre(b, r);
    b.text("~~~ Running plugin docker-login\n");
    pre(b, r);
    b.text("Logging in to ")
        .secret("internal-hostname", &format!("artifactory.{}.intra", c.org))
        .text(" as ")
        .neutral_as("username", "buildkite")
        .text(" with password ")
        .secret("password-assignment", &mk::password_safe(r))
        .nl();
    pre(b, r);
    b.text("--- :docker: Build\n");
    pre(b, r);
    b.text("$ docker build --build-arg BUNDLE_GITHUB__COM=x-access-token:")
        .secret("github-token", &format!("ghs_{}", r.chars(ALNUM, 36)))
        .text(" -t ")
        .text(c.app)
        .text(" .\n");
    pre(b, r);
    b.text("#9 writing image ")
        .negative("image-digest", &mk::image_digest(r))
        .text(" done\n");
    pre(b, r);
    b.text("--- :rspec: Tests\n");
    pre(b, r);
    b.text("Finished in ")
        .negative(
            "duration",
            &format!("{}.{} seconds", r.range(20, 300), r.range(1, 99)),
        )
        .text(" (files took 2.1 seconds to load)\n");
    pre(b, r);
    b.text("+++ :rocket: Deploy\n");
    pre(b, r);
    b.text("$ env | grep -E 'TOKEN|KEY' # debugging, remove me\n");
    let n = r.range(2, 3);
    for (k, v) in take_kv(r, c, n) {
        pre(b, r);
        t!(b, "{k}=");
        w_v(b, r, c, &v, "");
        b.nl();
    }
    pre(b, r);
    b.text("BUILDKITE_AGENT_ACCESS_TOKEN=")
        .negative("placeholder", "[REDACTED]")
        .nl();
    pre(b, r);
    b.text("$ buildkite-agent annotate --style success 'Deployed ")
        .negative("version", &mk::version(r))
        .text(" to ")
        .text(c.env)
        .text("'\n");
    pre(b, r);
    b.text("Job ")
        .negative("uuid", &mk::uuid(r))
        .text(" finished with exit status 0\n");
}

// ---------------------------------------------------------------------------
// stacktrace-python: Celery task failure with SMTP login, or FastAPI/pydantic
// ---------------------------------------------------------------------------

fn stacktrace_python(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let py = r.one(&["3.12", "3.13", "3.11"]);
    let venv = format!("/srv/{}/.venv/lib/python{py}/site-packages", c.app);
    if r.chance(0.5) {
        let task = mk::uuid(r);
        let cust = mk::customer(r);
        b.text("[")
            .negative("timestamp", &format!("{},{:03}", ts_space(c.t), r.below(1000)))
            .text(": ERROR/ForkPoolWorker-")
            .text(&r.range(1, 8).to_string())
            .text("] Task billing.tasks.send_receipt[")
            .negative("uuid", &task)
            .text("] raised unexpected: SMTPAuthenticationError(535, b'5.7.8 Username and Password not accepted.')\n");
        b.text("Traceback (most recent call last):\n");
        t!(
            b,
            "  File \"{venv}/celery/app/trace.py\", line 453, in trace_task\n    R = retval = fun(*args, **kwargs)\n                 ^^^^^^^^^^^^^^^^^^^^\n"
        );
        b.text("  File \"/srv/")
            .text(c.app)
            .text("/billing/tasks.py\", line ")
            .text(&r.range(20, 200).to_string());
        b.text(", in send_receipt\n    server.login(\"");
        b.secret("email", &format!("billing@{}", c.domain))
            .text("\", \"");
        b.secret("password-assignment", &mk::password(r))
            .text("\")\n    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
        t!(
            b,
            "  File \"/usr/lib/python{py}/smtplib.py\", line 750, in login\n    raise last_exception\nsmtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8  "
        );
        b.negative(
            "public-url",
            "https://support.google.com/mail/?p=BadCredentials",
        )
        .text(" ")
        .negative(
            "request-id",
            &format!("{}.{}", r.chars(ALNUM, 20), r.digits(3)),
        )
        .text(" - gsmtp')\n");
        b.text("[").negative(
            "timestamp",
            &format!("{},{:03}", ts_space(c.t + 1), r.below(1000)),
        );
        b.text(": WARNING/ForkPoolWorker-2] task args: ['");
        b.secret("email", &cust.email).text("', '");
        b.negative("non-luhn-number", &mk::non_luhn_16(r))
            .text("'] kwargs: {'phone': '");
        b.secret("phone", &phone(r))
            .text("', 'iban': '")
            .secret("iban", &iban(r))
            .text("'}\n");
        b.text("[").negative(
            "timestamp",
            &format!("{},{:03}", ts_space(c.t + 2), r.below(1000)),
        );
        b.text(": INFO/MainProcess] broker: ");
        w_uri(b, r, c, "amqps");
        b.text("\n[").negative(
            "timestamp",
            &format!("{},{:03}", ts_space(c.t + 2), r.below(1000)),
        );
        b.text(": INFO/MainProcess] Task retry in ")
            .negative("duration", "60s")
            .text(" (celery ")
            .negative("version", "5.4.0")
            .text(")\n");
        return;
    }
    let rid = mk::uuid(r);
    let cust = mk::customer(r);
    b.text("INFO:     ")
        .negative("public-ip", &mk::public_ip(r))
        .text(":")
        .text(&r.range(30_000, 65_000).to_string())
        .text(" - \"POST /v1/customers HTTP/1.1\" 500 Internal Server Error\n");
    b.text("ERROR:    Exception in ASGI application (request_id=")
        .negative("request-id", &rid)
        .text(")\n  + Exception Group Traceback (most recent call last):\n");
    t!(
        b,
        "  |   File \"{venv}/starlette/middleware/errors.py\", line 165, in __call__\n  |     await self.app(scope, receive, _send)\n"
    );
    t!(
        b,
        "  |   File \"/srv/{}/api/routes/customers.py\", line {}, in create_customer\n  |     await crm.push(payload.model_dump())\n",
        c.app,
        r.range(20, 120)
    );
    b.text("  | pydantic_core._pydantic_core.ValidationError: 2 validation errors for CustomerIn\n  | card_number\n  |   Value error, card expired [type=value_error, input_value='");
    b.secret("payment-card", &card(r)).text("', input_type=str]\n  | phone\n  |   String should match pattern '^\\+[0-9 ]+$' [type=string_pattern_mismatch, input_value='");
    b.secret("phone-national", &phone_national(r))
        .text("', input_type=str]\n");
    b.text("  |     For further information visit ")
        .negative(
            "public-url",
            "https://errors.pydantic.dev/2.9/v/value_error",
        )
        .nl();
    b.text("  | payload = {'email': '")
        .secret("email", &cust.email)
        .text("', 'name': '")
        .neutral_as("person-name", &cust.display.replace('\'', "\\'"))
        .text("', 'tax_id': '")
        .secret("national-id", &national_id(r))
        .text("'}\n");
    b.text("  | settings.crm_api_key = '");
    let (_, _, v) = vendor(r);
    b.secret("vendor-token", &v).text("'\n");
    b.text("  | settings.database_url = '");
    w_uri(b, r, c, "postgresql+asyncpg");
    b.text("'\n  +------------------------------------\n");
    b.text("INFO:     sentry event ")
        .negative("uuid", &mk::uuid(r).replace('-', ""))
        .text(" sent; trace ")
        .negative("trace-id", &r.hex(32))
        .nl();
}

// ---------------------------------------------------------------------------
// stacktrace-java: Quarkus/Kafka with a Properties dump, or SQL Server JDBC
// ---------------------------------------------------------------------------

fn stacktrace_java(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let pkg = format!("io.{}.{}", c.org, db_name(c).replace('_', ""));
    let ts = |r: &mut Rng, c: &mut Ctx| {
        let t = c.tick(r, 0, 3);
        format!("{},{:03}", ts_space(t), r.below(1000))
    };
    if r.chance(0.5) {
        let s = ts(r, c);
        b.negative("timestamp", &s)
            .text(" INFO  [io.quarkus] (main) ")
            .text(c.app)
            .text(" ")
            .negative("version", &mk::version(r))
            .text(" on JVM (powered by Quarkus ")
            .negative("version", "3.15.1")
            .text(") started in ")
            .negative("duration", "2.481s")
            .nl();
        let s = ts(r, c);
        b.negative("timestamp", &s)
            .text(" DEBUG [")
            .text(&pkg)
            .text(".kafka.Config] (main) effective consumer props: {bootstrap.servers=");
        let broker = format!("kafka-0.kafka-headless.{}.svc.cluster.local", c.ns);
        b.secret("internal-hostname", &broker)
            .text(":9093, group.id=")
            .text(c.app);
        b.text(", security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512, sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"")
            .neutral_as("username", &format!("svc-{}", c.app))
            .text("\" password=\"")
            .secret("password-assignment", &mk::password_safe(r))
            .text("\";, ssl.truststore.password=")
            .secret("password-assignment", &mk::password_safe(r))
            .text(", schema.registry.basic.auth.user.info=");
        b.neutral_as("username", "registry")
            .text(":")
            .secret("password-assignment", &mk::password_safe(r))
            .text("}\n");
        let s = ts(r, c);
        b.negative("timestamp", &s)
            .text(" ERROR [io.sma.rea.mes.kafka] (smallrye-kafka-consumer-thread-0) SRMSG18217: Unable to read a record from Kafka topics '[orders]'\norg.apache.kafka.common.errors.SaslAuthenticationException: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512\n");
        b.text("\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)\n\tat org.apache.kafka.clients.NetworkClient.poll(NetworkClient.java:")
            .text(&r.range(500, 700).to_string())
            .text(")\n");
        t!(
            b,
            "\tat {pkg}.orders.OrderConsumer.consume(OrderConsumer.java:{})\n",
            r.range(20, 120)
        );
        b.text("\tat java.base/java.lang.Thread.run(Thread.java:1583)\n");
        let s = ts(r, c);
        b.negative("timestamp", &s).text(" WARN  [org.apa.kaf.cli.NetworkClient] (kafka-admin-client-thread) [AdminClient clientId=")
            .text(c.app)
            .text("] Connection to node 0 (")
            .secret("internal-hostname", &broker)
            .text("/")
            .secret("private-ip", &mk::pod_ip(r))
            .text(":9093) terminated during authentication\n");
        let s = ts(r, c);
        b.negative("timestamp", &s)
            .text(" INFO  [")
            .text(&pkg)
            .text(".Health] (vert.x-eventloop-thread-1) traceId=")
            .negative("trace-id", &r.hex(32))
            .text(" spanId=")
            .negative("trace-id", &r.hex(16))
            .text(" readiness DOWN\n");
        return;
    }
    let conn_id = mk::uuid(r);
    let s = ts(r, c);
    b.negative("timestamp", &s).text(" SEVERE [main] org.apache.catalina.core.StandardContext.listenerStart Exception sending context initialized event to listener instance of class [")
        .text(&pkg)
        .text(".AppListener]\ncom.microsoft.sqlserver.jdbc.SQLServerException: Login failed for user 'sa'. ClientConnectionId:")
        .negative("uuid", &conn_id)
        .nl();
    b.text("\tat com.microsoft.sqlserver.jdbc.SQLServerException.makeFromDatabaseError(SQLServerException.java:270)\n\tat com.microsoft.sqlserver.jdbc.TDSTokenHandler.onEOF(tdsparser.java:329)\n");
    t!(
        b,
        "\tat {pkg}.db.Pool.open(Pool.java:{})\n",
        r.range(30, 90)
    );
    b.text("\tat org.apache.catalina.core.StandardContext.startInternal(StandardContext.java:4757)\n\t... 41 more\n");
    b.text("  url = jdbc:sqlserver://");
    w_ihost(b, r, c);
    t!(b, ":1433;databaseName={};user=sa;password=", db_name(c))
        .secret("connection-string-password", &mk::password_safe(r))
        .text(";encrypt=true;trustServerCertificate=true\n");
    let s = ts(r, c);
    b.negative("timestamp", &s).text(" SEVERE [main] javax.mail.AuthenticationFailedException: 535 5.7.3 Authentication unsuccessful [")
        .negative("request-id", &format!("{}.{}.PROD.OUTLOOK.COM", r.chars(UPPER_ALNUM, 14), r.chars(UPPER_ALNUM, 10)))
        .text("]\n\tat com.sun.mail.smtp.SMTPTransport$Authenticator.authenticate(SMTPTransport.java:947)\n");
    b.text("  mail.smtp.user = ")
        .secret("email", &format!("noreply@{}", c.domain))
        .text(", mail.smtp.password = ")
        .secret("password-assignment", &mk::password(r))
        .nl();
    b.text("  context.xml <Resource name=\"jdbc/main\" auth=\"Container\" username=\"app\" password=\"")
        .xml_secret("password-assignment", &mk::password_safe(r))
        .text("\" url=\"jdbc:postgresql://");
    b.secret("internal-hostname", &ihost(r, c))
        .text(":5432/")
        .text(&db_name(c))
        .text("\"/>\n");
    let s = ts(r, c);
    b.negative("timestamp", &s)
        .text(" INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [")
        .negative("duration", &format!("{}", r.range(900, 9000)))
        .text("] milliseconds\n");
    b.text("JVM: OpenJDK 64-Bit Server VM ")
        .negative("version", "21.0.4+7-LTS")
        .text(", heap dump ")
        .negative("content-hash", &r.hex(40))
        .text(".hprof\n");
}

// ---------------------------------------------------------------------------
// stacktrace-go: `%#v` config dump, data race report, gRPC metadata
// ---------------------------------------------------------------------------

fn stacktrace_go(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let module = format!("gitlab.com/{}/{}", c.org, c.app);
    b.text("time=")
        .negative("timestamp", &ts_iso_off(c.t, c.off))
        .text(" level=ERROR source=")
        .text(&module)
        .text("/internal/app/app.go:")
        .text(&r.range(40, 200).to_string())
        .text(" msg=\"bad config\" cfg=\"&config.Config{Listen:\\\":8443\\\", DSN:\\\"");
    let scheme = if r.chance(0.5) { "clickhouse" } else { "nats" };
    w_uri(b, r, c, scheme);
    b.text("\\\", APIKey:\\\"");
    b.secret("generic-secret-assignment", &mk::generic_secret(r))
        .text("\\\", Timeout:")
        .negative(
            "duration",
            &format!("{}", r.range(1, 30) as u64 * 1_000_000_000),
        )
        .text("}\"\n");
    b.text("time=")
        .negative("timestamp", &ts_iso_off(c.t + 1, c.off))
        .text(" level=WARN msg=\"rpc failed\" err=\"rpc error: code = Unauthenticated desc = invalid token\" md=\"map[authorization:[Bearer ");
    let iss = format!("https://sso.{}/", c.domain);
    let sub = mk::uuid(r);
    b.secret("jwt", &mk::jwt(r, c.t, &iss, &sub))
        .text("] x-request-id:[")
        .negative("request-id", &ulid(r))
        .text("]]\" peer=")
        .secret("private-ip", &mk::pod_ip(r))
        .text(":")
        .text(&r.range(30_000, 60_000).to_string())
        .nl();
    b.text("==================\nWARNING: DATA RACE\nWrite at ")
        .negative("memory-address", &format!("0x00c000{}", r.hex(6)))
        .text(" by goroutine ")
        .negative("counter", &r.range(7, 90).to_string())
        .text(":\n  ")
        .text(&module)
        .text("/internal/cache.(*LRU).Put()\n      /src/internal/cache/lru.go:")
        .text(&r.range(30, 99).to_string())
        .text(" +0x")
        .text(&r.hex(3))
        .text("\n\nPrevious read at ")
        .negative("memory-address", &format!("0x00c000{}", r.hex(6)))
        .text(" by goroutine 9:\n  ")
        .text(&module)
        .text("/internal/cache.(*LRU).Get()\n      /src/internal/cache/lru.go:41 +0x7c\n==================\n");
    b.text("fatal error: concurrent map writes\n\ngoroutine ")
        .text(&r.range(20, 400).to_string())
        .text(" [running]:\n")
        .text(&module)
        .text("/internal/session.(*Store).Save(")
        .negative("memory-address", &format!("0xc000{}", r.hex(6)))
        .text(", {")
        .negative("memory-address", &format!("0xc000{}", r.hex(6)))
        .text(", 0x20}, ...)\n\t/src/internal/session/store.go:77 +0x1a8\n");
    b.text("\tsession = \"")
        .secret("session-cookie", &b64url(&r.bytes(32)))
        .text("\" user = \"")
        .secret("email", &mk::customer(r).email)
        .text("\"\n");
    b.text("exit status 2\n$ go version -m ./bin/")
        .text(c.app)
        .text(" | grep -E 'vcs.revision|mod '\n\tmod\t")
        .text(&module)
        .text("\t(devel)\n\tbuild\tvcs.revision=")
        .negative("git-sha", &mk::git_sha(r))
        .text("\n$ grep 'golang.org/x/crypto v' go.sum | head -1\ngolang.org/x/crypto ")
        .negative("version", &format!("v0.{}.0", r.range(20, 30)))
        .text(" ")
        .negative("lockfile-integrity", &mk::gosum_h1(r))
        .nl();
}

// ---------------------------------------------------------------------------
// chat-message: Microsoft Teams copy-paste, or a weechat/IRC log
// ---------------------------------------------------------------------------

fn chat_message(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let np = r.range(3, 5);
    let people: Vec<mk::Person> = (0..np).map(|_| mk::person(r, c.domain)).collect();
    let teams = r.chance(0.5);
    if teams {
        t!(
            b,
            "{} > General — copied {}\n\n",
            r.one(&["SRE Team", "Payments Squad", "Platform Guild"]),
            ts_date(c.t)
        );
    } else {
        t!(
            b,
            "$ tail -n 30 ~/.local/share/weechat/logs/irc.libera.#{}-ops.weechatlog\n",
            c.org
        );
        for p in people.iter().take(2) {
            let t = c.tick(r, 5, 120);
            b.negative("timestamp", &ts_space(t))
                .text("\t-->\t")
                .neutral_as("username", &p.user)
                .text(" (~")
                .neutral_as("username", &p.user)
                .text("@")
                .negative("documentation-address", &mk::doc_ip(r))
                .text(") has joined #")
                .text(c.org)
                .text("-ops\n");
        }
    }
    let n = if teams {
        r.range(7, 11)
    } else {
        r.range(8, 12)
    };
    let mut kinds: Vec<usize> = (0..20).collect();
    r.shuffle(&mut kinds);
    for _ in 0..n {
        let who = r.below(people.len());
        let t = c.tick(r, 20, 700);
        if teams {
            b.text("[")
                .negative("timestamp", &ts_ampm(t))
                .text("] ")
                .neutral_as("person-name", &people[who].display)
                .text("\n    ");
        } else {
            b.negative("timestamp", &ts_space(t))
                .text("\t")
                .neutral_as("username", &people[who].user)
                .text("\t");
        }
        let k = kinds.pop().unwrap_or(19);
        chat_msg(r, b, c, &people, k);
        b.nl();
        if teams && r.chance(0.2) {
            b.text("    👍 ")
                .negative("counter", &r.range(1, 6).to_string())
                .nl();
        }
    }
}

fn chat_msg(r: &mut Rng, b: &mut DocBuilder, c: &Ctx, people: &[mk::Person], k: usize) {
    match k {
        0 => b
            .text("temp creds for the audit account: ")
            .secret("aws-access-key", &mk::aws_access_key(r))
            .text(" ")
            .secret("aws-secret-key", &mk::aws_secret_key(r)),
        1 => b
            .text("new IBAN for the supplier refund is ")
            .secret("iban", &iban(r))
            .text(" (confirmed by phone)"),
        2 => b
            .text("customer read their card out on the call: ")
            .secret("payment-card", &card(r))
            .text(" — deleting from the ticket now"),
        3 => b
            .text("I'm on ")
            .secret("phone", &phone(r))
            .text(" until 6"),
        4 => b
            .text("backup landline ")
            .secret("phone-national", &phone_national(r)),
        5 => b
            .text("mail ")
            .secret("email", &people[r.below(people.len())].email)
            .text(" for access to the vault namespace"),
        6 => b
            .text("the npm publish token is ")
            .secret("npm-token", &mk::npm_token(r))
            .text(" until we move to OIDC"),
        7 => {
            b.text("signed URL for the export: ");
            w_sas_url(b, r, c);
            b
        }
        8 => b
            .text("rollback target is ")
            .negative("git-sha", &mk::short_sha(r))
            .text(" / ")
            .negative("version", &mk::version(r)),
        9 => b
            .text("trace ")
            .negative("trace-id", &r.hex(32))
            .text(" shows ")
            .negative("duration", &format!("{}ms", r.range(900, 9000)))
            .text(" in the DB span"),
        10 => b
            .text("connection string for the replica: `")
            .secret("internal-hostname", &ihost(r, c))
            .text("` pw `")
            .secret("password-assignment", &mk::password_safe(r))
            .text("`"),
        11 => b
            .text("tax id from the onboarding form: ")
            .secret("national-id", &national_id(r))
            .text(" (wrong channel, sorry)"),
        12 => b
            .text("see ")
            .negative(
                "public-url",
                "https://learn.microsoft.com/azure/key-vault/general/overview",
            )
            .text(" before you paste secrets here pls"),
        13 => b
            .text("the docs example key ")
            .neutral_as("documented-example-key", mk::AWS_EXAMPLE_ACCESS_KEY)
            .text(" is fine to commit"),
        14 => b.text("grafana link ").secret("internal-url", &iurl(r, c)),
        15 => b
            .text("use `")
            .negative("placeholder", "${{ secrets.DEPLOY_KEY }}")
            .text("` in the workflow, not the raw key"),
        16 => b
            .text("the incident uuid is ")
            .negative("uuid", &mk::uuid(r)),
        17 => b
            .text("hf token for the demo: ")
            .secret("vendor-token", &vendor(r).2),
        18 => b
            .text("bastion ")
            .secret("private-ip", &mk::private_ip(r))
            .text(", public ")
            .negative("public-ip", &mk::public_ip(r)),
        _ => b
            .text("pager bot token ")
            .secret("slack-token", &mk::slack_token(r))
            .text(" (rotating after the call)"),
    };
}

// ---------------------------------------------------------------------------
// runbook-markdown: Jupyter notebook runbook, or AsciiDoc
// ---------------------------------------------------------------------------

fn runbook_markdown(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        runbook_notebook(r, b, c);
    } else {
        runbook_asciidoc(r, b, c);
    }
}

fn runbook_notebook(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let owner = mk::person(r, c.domain);
    b.text("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"metadata\": {},\n   \"source\": [\n");
    t!(
        b,
        "    \"# {} — replay stuck orders\\n\",\n    \"Owner: ",
        c.app
    )
    .secret("email", &owner.email)
    .text(" · last run ")
    .negative("timestamp", &ts_date(c.t))
    .text("\"\n   ]\n  },\n");
    b.text("  {\n   \"cell_type\": \"code\",\n   \"execution_count\": ")
        .text(&r.range(1, 40).to_string())
        .text(",\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"import os, psycopg, requests\\n\",\n    \"DSN = \\\"");
    w_uri(b, r, c, "postgresql+asyncpg");
    b.text("\\\"\\n\",\n    \"API_KEY = os.environ.get(\\\"ORDERS_API_KEY\\\", \\\"")
        .secret("generic-secret-assignment", &mk::generic_secret(r))
        .text("\\\")\\n\",\n    \"HEADERS = {\\\"Authorization\\\": \\\"Bearer ");
    b.secret("bearer-token", &mk::opaque_token(r))
        .text("\\\"}\"\n   ]\n  },\n");
    b.text("  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 7,\n   \"metadata\": {},\n   \"outputs\": [\n    {\n     \"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": [\n");
    for _ in 0..r.range(2, 3) {
        let cu = mk::customer(r);
        b.text("      \"")
            .negative("uuid", &mk::uuid(r))
            .text("  ")
            .secret("email", &cu.email)
            .text("  ")
            .secret("phone", &phone(r))
            .text("\\n\",\n");
    }
    b.text("      \"replayed in ")
        .negative("duration", &format!("{}.{}s", r.range(1, 40), r.below(10)))
        .text("\\n\"\n     ]\n    },\n    {\n     \"data\": {\n      \"image/png\": \"")
        .negative("base64-data", &png_b64(r))
        .text("\",\n      \"text/plain\": [\"<Figure size 640x480 with 1 Axes>\"]\n     },\n     \"metadata\": {},\n     \"output_type\": \"display_data\"\n    }\n   ],\n");
    b.text("   \"source\": [\"replay(conn, since=\\\"")
        .negative("timestamp", &ts_iso_z(c.t - 3600))
        .text("\\\")\"]\n  }\n ],\n \"metadata\": {\n  \"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"},\n  \"language_info\": {\"name\": \"python\", \"version\": \"")
        .negative("version", "3.12.7")
        .text("\"}\n },\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n");
}

fn runbook_asciidoc(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let owner = mk::person(r, c.domain);
    t!(b, "= {} failover runbook\n:toc:\n:revdate: ", c.app).negative("timestamp", &ts_date(c.t));
    b.text("\n:author: ")
        .neutral_as("person-name", &owner.display)
        .text("\n:email: ")
        .secret("email", &owner.email);
    b.text("\n\n== When to use\n\nPrimary region unhealthy for more than ")
        .negative("duration", "10m")
        .text(".\n\nIMPORTANT: Credentials live in Vault under `")
        .negative(
            "secret-ref",
            &format!("secret/data/{}/{}/failover", c.env, c.app),
        )
        .text("`. Never paste them here.\n\n");
    b.text("== Steps\n\n. Promote the replica:\n+\n[source,console]\n----\n$ PGPASSWORD=");
    let pw = mk::password_safe(r);
    qsecret(b, r, "password-assignment", &pw, true);
    b.text(" psql -h ");
    w_ihost(b, r, c);
    b.text(" -U postgres -c 'SELECT pg_promote();'\n----\n. Point DNS at the standby LB `")
        .negative("public-ip", &mk::public_ip(r))
        .text("` (TTL 60).\n. Update the app secret:\n+\n[source,bash]\n----\nkubectl -n ")
        .text(c.ns)
        .text(" set env deploy/")
        .text(c.app)
        .text(" REDIS_URL=");
    w_uri(b, r, c, "rediss");
    b.text("\n----\n. Notify the webhook `")
        .secret("slack-webhook", &mk::slack_webhook(r))
        .text("`.\n\n== Contacts\n\n[cols=\"1,2\"]\n|===\n|On-call |")
        .secret("phone", &phone(r))
        .text("\n|DBA pager |")
        .secret("phone-national", &phone_national(r))
        .text("\n|Vendor |")
        .negative("documentation-address", "support@example.net")
        .text("\n|===\n\nNOTE: Last drill ")
        .negative("uuid", &mk::uuid(r))
        .text(" passed on commit ")
        .negative("git-sha", &mk::short_sha(r))
        .text(".\n");
}

// ---------------------------------------------------------------------------
// deployment-notes: release announcement e-mail, or a go-live checklist
// ---------------------------------------------------------------------------

fn deployment_notes(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let who = mk::person(r, c.domain);
    let ver = mk::version(r);
    if r.chance(0.5) {
        b.text("From: ")
            .neutral_as("person-name", &who.display)
            .text(" <")
            .secret("email", &who.email)
            .text(">\nTo: ")
            .secret("email", &format!("releases@{}", c.domain))
            .text("\nDate: ")
            .negative("timestamp", &ts_http(c.t).replace(" GMT", " +0000"))
            .text("\nMessage-ID: <")
            .negative("request-id", &format!("{}.{}", r.hex(16), r.digits(10)))
            .text("@mail.")
            .text(c.domain)
            .text(">\nSubject: [deploy] ")
            .text(c.app)
            .text(" ")
            .negative("version", &ver)
            .text(" is live in ")
            .text(c.env)
            .text("\n\nHi all,\n\n");
        t!(b, "{} ", c.app)
            .negative("version", &ver)
            .text(" went out at ")
            .negative("timestamp", &ts_hm(c.t))
            .text(" UTC (pipeline ")
            .negative("counter", &format!("#{}", r.range(1000, 90_000)))
            .text(", commit ")
            .negative("git-sha", &mk::git_sha(r))
            .text(").\n\n");
        b.text("What changed\n  * new payout flow behind the flag `payouts_v2`\n  * lockfile bump, e.g. left-pad integrity ")
            .negative("lockfile-integrity", &mk::npm_integrity(r))
            .text("\n\nIf something looks off:\n  * logs: ")
            .secret("internal-url", &iurl(r, c))
            .text("\n  * the smoke-test account is qa+")
            .text(c.env)
            .text("@")
            .text(c.domain)
            .text(" / ")
            .secret("password-assignment", &mk::password_safe(r))
            .text("\n  * the partner sandbox key (do not forward) is ")
            .secret("vendor-token", &vendor(r).2)
            .text("\n\nRollback: `argocd app rollback ")
            .text(c.app)
            .text("-")
            .text(c.env)
            .text(" ")
            .negative("counter", &r.range(2, 60).to_string())
            .text("`\n\nCheers,\n")
            .neutral_as("person-name", &who.display)
            .text("\n--\nMobile ")
            .secret("phone", &phone(r))
            .nl();
        return;
    }
    t!(b, "## Go-live checklist — {} ", c.app)
        .negative("version", &ver)
        .text("\n\n");
    b.text("- [x] Change approved by ")
        .neutral_as("person-name", &mk::person(r, c.domain).display)
        .text(" on ")
        .negative("timestamp", &ts_date(c.t - 86_400))
        .text("\n- [x] Image signed: cosign verify ghcr.io/")
        .text(c.org)
        .text("/")
        .text(c.app)
        .text("@")
        .negative("image-digest", &mk::image_digest(r))
        .text("\n- [x] Migrations dry-run against `");
    w_uri(b, r, c, "mysql+pymysql");
    b.text("`\n- [x] Feature flag SDK key set: `")
        .secret("generic-secret-assignment", &format!("sdk-{}", mk::uuid(r)))
        .text("`\n- [ ] Rotate the launch-day admin password `")
        .secret("password-assignment", &mk::password(r))
        .text("` after go-live\n- [x] Payment provider callback IP allow-listed: ")
        .negative("public-ip", &mk::public_ip(r))
        .text("\n- [x] Status page updated: ")
        .negative(
            "public-url",
            &format!(
                "https://status.{}/incidents/{}",
                c.domain,
                r.chars(LOWER_ALNUM, 12)
            ),
        )
        .text("\n- [ ] Tell support the hotline moved to ")
        .secret("phone-national", &phone_national(r))
        .text("\n- [x] SBOM digest ")
        .negative("content-hash", &mk::sha256_hex(r))
        .text("\n\n| Step | Owner | Done at |\n|---|---|---|\n");
    for step in ["freeze", "deploy", "smoke"] {
        let t = c.tick(r, 300, 1800);
        b.text("| ")
            .text(step)
            .text(" | ")
            .secret("email", &mk::person(r, c.domain).email)
            .text(" | ")
            .negative("timestamp", &ts_iso_off(t, c.off))
            .text(" |\n");
    }
    b.text("\nKnown issue: first request after deploy takes ")
        .negative("duration", "4s")
        .text(" (cold cache), request id ")
        .negative("request-id", &ulid(r))
        .text(".\n");
}

// ---------------------------------------------------------------------------
// curl-verbose: browser HAR export, or `wget -d`
// ---------------------------------------------------------------------------

fn curl_verbose(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        curl_har(r, b, c);
    } else {
        curl_wget(r, b, c);
    }
}

fn curl_har(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let cu = mk::customer(r);
    b.text("{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": {\"name\": \"Firefox\", \"version\": \"")
        .negative("version", &format!("{}.0", r.range(120, 133)))
        .text("\"},\n    \"entries\": [\n      {\n        \"startedDateTime\": \"")
        .negative("timestamp", &ts_iso_ms_z(c.t, r.below(1000) as u32))
        .text("\",\n        \"time\": ")
        .text(&r.range(20, 900).to_string())
        .text(",\n        \"request\": {\n          \"method\": \"POST\",\n          \"url\": \"https://app.")
        .text(c.domain)
        .text("/api/session\",\n          \"headers\": [\n");
    b.text("            {\"name\": \"Authorization\", \"value\": \"Bearer ");
    let iss = format!("https://id.{}/", c.domain);
    let sub = mk::uuid(r);
    b.secret("jwt", &mk::jwt(r, c.t, &iss, &sub)).text("\"},\n");
    b.text("            {\"name\": \"Cookie\", \"value\": \"_ga=GA1.1.")
        .negative("counter", &format!("{}.{}", r.digits(9), c.t))
        .text("; sid=")
        .secret("session-cookie", &r.chars(ALNUM, 32))
        .text("\"},\n            {\"name\": \"X-Request-ID\", \"value\": \"")
        .negative("request-id", &mk::uuid(r))
        .text("\"}\n          ],\n          \"postData\": {\n            \"mimeType\": \"application/json\",\n            \"text\": \"{\\\"email\\\":\\\"");
    b.secret("email", &cu.email)
        .text("\\\",\\\"password\\\":\\\"");
    b.secret("password-assignment", &mk::password_safe(r)).text("\\\",\\\"remember\\\":true}\"\n          }\n        },\n        \"response\": {\n          \"status\": 200,\n          \"headers\": [\n");
    b.text("            {\"name\": \"Set-Cookie\", \"value\": \"sid=")
        .secret("session-cookie", &r.chars(ALNUM, 32))
        .text("; Path=/; HttpOnly; Secure\"},\n            {\"name\": \"ETag\", \"value\": \"W/\\\"")
        .negative("content-hash", &r.hex(16))
        .text("\\\"\"}\n          ],\n          \"content\": {\"mimeType\": \"application/json\", \"text\": \"{\\\"user\\\":{\\\"id\\\":\\\"");
    b.negative("user-id", &format!("usr_{}", r.chars(ALNUM, 16)))
        .text("\\\",\\\"phone\\\":\\\"");
    b.secret("phone", &phone(r))
        .text("\\\"}}\"}\n        },\n        \"serverIPAddress\": \"");
    b.negative("public-ip", &mk::public_ip(r))
        .text("\",\n        \"timings\": {\"wait\": ");
    b.text(&r.range(10, 400).to_string())
        .text("}\n      },\n      {\n        \"startedDateTime\": \"");
    b.negative("timestamp", &ts_iso_ms_z(c.t + 2, r.below(1000) as u32))
        .text("\",\n        \"request\": {\n          \"method\": \"GET\",\n          \"url\": \"");
    b.secret("internal-url", &format!("https://{}.{}.{}.internal/admin/export", c.app, c.env, c.org))
        .text("?token=")
        .secret("generic-secret-assignment", &r.chars(B64URL, 32))
        .text("\",\n          \"headers\": []\n        },\n        \"response\": {\"status\": 302, \"headers\": [{\"name\": \"Location\", \"value\": \"");
    b.negative(
        "public-url",
        "https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css",
    )
    .text("\"}]}\n      }\n    ]\n  }\n}\n");
}

fn curl_wget(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let host = format!("artifactory.{}.intra", c.org);
    let ip = mk::private_ip(r);
    let user = mk::person(r, c.domain).user;
    let pw = mk::password_safe(r);
    t!(b, "$ wget -d --user={user} --password=");
    b.secret("password-assignment", &pw).text(" ");
    b.secret(
        "internal-url",
        &format!(
            "https://{host}/artifactory/releases/{}/{}.tar.gz",
            c.app, c.app
        ),
    )
    .nl();
    b.text("DEBUG output created by Wget ")
        .negative("version", "1.21.4")
        .text(" on linux-gnu.\n\nReading HSTS entries from /home/")
        .text(&user)
        .text("/.wget-hsts\nURI encoding = 'UTF-8'\n--")
        .negative("timestamp", &ts_space(c.t))
        .text("--  https://")
        .secret("internal-hostname", &host)
        .text("/artifactory/releases/\nResolving ")
        .secret("internal-hostname", &host)
        .text(" (")
        .secret("internal-hostname", &host)
        .text(")... ")
        .secret("private-ip", &ip)
        .text("\nCaching ")
        .secret("internal-hostname", &host)
        .text(" => ")
        .secret("private-ip", &ip)
        .text("\nConnecting to ")
        .secret("internal-hostname", &host)
        .text(" (")
        .secret("internal-hostname", &host)
        .text(")|")
        .secret("private-ip", &ip)
        .text("|:443... connected.\n");
    b.text("Created socket 3.\nReleasing 0x")
        .negative("memory-address", &format!("000055{}", r.hex(10)))
        .text(" (new refcount 1).\n\n---request begin---\nGET /artifactory/releases/ HTTP/1.1\nHost: ")
        .secret("internal-hostname", &host)
        .text("\nUser-Agent: Wget/1.21.4\nAuthorization: Basic ")
        .secret("basic-auth", &b64(format!("{user}:{pw}").as_bytes()))
        .text("\nX-JFrog-Art-Api: ")
        .secret("vendor-token", &format!("AKCp8{}", r.chars(ALNUM, 68)))
        .text("\n\n---request end---\nHTTP request sent, awaiting response...\n---response begin---\nHTTP/1.1 200 OK\nDate: ")
        .negative("timestamp", &ts_http(c.t))
        .text("\nX-Artifactory-Id: ")
        .negative("content-hash", &r.hex(40))
        .text("\nX-Checksum-Sha256: ")
        .negative("content-hash", &mk::sha256_hex(r))
        .text("\nSet-Cookie: JSESSIONID=")
        .secret("session-cookie", &r.chars(HEX_UP, 32))
        .text("; Path=/; Secure; HttpOnly\n\n---response end---\n200 OK\nLength: ")
        .text(&r.range(10_000, 90_000_000).to_string())
        .text(" [application/gzip]\nSaving to: '")
        .text(c.app)
        .text(".tar.gz'\n\n")
        .negative("timestamp", &ts_space(c.t + 3))
        .text(" (")
        .negative("duration", &format!("{}.{} MB/s", r.range(1, 90), r.below(10)))
        .text(") - saved\n");
}

// ---------------------------------------------------------------------------
// nginx-log: IIS W3C, AWS ALB, or HAProxy logs
// ---------------------------------------------------------------------------

fn w_query(b: &mut DocBuilder, r: &mut Rng) {
    match r.below(9) {
        0 => {
            b.text("access_token=")
                .secret("bearer-token", &mk::opaque_token(r));
        }
        1 => {
            b.text("email=")
                .secret("email", &pct(&mk::customer(r).email));
        }
        2 => {
            b.text("sig=")
                .secret("generic-secret-assignment", &r.hex(64))
                .text("&exp=")
                .negative(
                    "timestamp",
                    &(1_735_689_600 + r.below(60_000_000) as i64).to_string(),
                );
        }
        3 => {
            b.text("utm_source=newsletter&id=")
                .negative("uuid", &mk::uuid(r));
        }
        4 => {
            b.text("phone=").secret("phone", &pct(&phone(r)));
        }
        5 => {
            b.text("v=").negative("content-hash", &r.hex(8));
        }
        6 => {
            b.text("apikey=")
                .secret("generic-secret-assignment", &r.chars(ALNUM, 32));
        }
        7 => {
            b.text("password=")
                .secret("password-assignment", &pct(&mk::password(r)));
        }
        _ => {
            b.text("page=").text(&r.range(1, 40).to_string());
        }
    }
}

fn nginx_log(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let n = r.range(10, 20);
    let paths = [
        "/login.aspx",
        "/api/v1/invoices",
        "/healthz",
        "/Account/Reset",
        "/static/app.js",
        "/api/v2/export",
        "/webhooks/stripe",
    ];
    match r.below(3) {
        0 => {
            b.text("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: ")
                .negative("timestamp", &ts_space(c.t))
                .text("\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status time-taken\n");
            let sip = mk::private_ip(r);
            for _ in 0..n {
                let t = c.tick(r, 0, 40);
                b.negative("timestamp", &ts_space(t))
                    .text(" ")
                    .secret("private-ip", &sip)
                    .text(" ");
                t!(b, "{} {} ", r.one(&["GET", "POST", "GET"]), r.one(&paths));
                if r.chance(0.6) {
                    w_query(b, r);
                } else {
                    b.text("-");
                }
                b.text(" 443 ");
                if r.chance(0.25) {
                    t!(b, "{}\\", c.org.to_uppercase())
                        .neutral_as("username", &mk::person(r, c.domain).user);
                } else {
                    b.text("-");
                }
                b.text(" ");
                if r.chance(0.5) {
                    b.negative("public-ip", &mk::public_ip(r));
                } else {
                    b.secret("private-ip", &mk::private_ip(r));
                }
                t!(
                    b,
                    " Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) {} ",
                    r.one(&["200", "302", "401", "500"])
                )
                .negative("duration", &r.range(1, 3000).to_string())
                .nl();
            }
        }
        1 => {
            let lb = format!("app/{}-{}-alb/{}", c.app, c.env, r.hex(16));
            for _ in 0..n {
                let t = c.tick(r, 0, 40);
                b.text(r.one(&["https", "h2"]))
                    .text(" ")
                    .negative("timestamp", &ts_iso_ms_z(t, r.below(1000) as u32))
                    .text(" ")
                    .text(&lb)
                    .text(" ");
                w_client_ip(b, r);
                b.text(":")
                    .text(&r.range(1024, 65_000).to_string())
                    .text(" ")
                    .secret("private-ip", &mk::private_ip(r))
                    .text(":8080 ");
                b.negative("duration", &format!("0.00{}", r.below(10)))
                    .text(" ")
                    .negative("duration", &format!("0.{:03}", r.below(1000)))
                    .text(" 0.000 ");
                t!(
                    b,
                    "{} {} {} {} \"",
                    r.one(&["200", "401", "502"]),
                    r.one(&["200", "401", "502"]),
                    r.range(100, 900),
                    r.range(100, 90_000)
                );
                t!(
                    b,
                    "{} https://api.{}:443{}?",
                    r.one(&["GET", "POST"]),
                    c.domain,
                    r.one(&paths)
                );
                w_query(b, r);
                b.text(" HTTP/2.0\" \"okhttp/4.12.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ");
                b.negative(
                    "arn",
                    &format!(
                        "arn:aws:elasticloadbalancing:{}:{}:targetgroup/{}-tg/{}",
                        c.region,
                        c.account,
                        c.app,
                        r.hex(16)
                    ),
                );
                b.text(" \"")
                    .negative("trace-id", &mk::amzn_trace_id(r, t))
                    .text("\"\n");
            }
        }
        _ => {
            for _ in 0..n {
                let t = c.tick(r, 0, 40);
                let pid = r.range(100, 9000);
                b.negative("timestamp", &ts_syslog(t))
                    .text(" ")
                    .neutral_as("short-hostname", &format!("lb{:02}", r.range(1, 4)))
                    .text(" haproxy[")
                    .text(&pid.to_string())
                    .text("]: ");
                w_client_ip(b, r);
                b.text(":")
                    .text(&r.range(1024, 65_000).to_string())
                    .text(" [")
                    .negative(
                        "timestamp",
                        &ts_clf(t, 0).replace(' ', "").replace("+0000", ".123"),
                    )
                    .text("] fe_https~ be_");
                t!(b, "{}/{}-{} ", c.app, c.app, r.range(1, 4));
                b.negative(
                    "duration",
                    &format!(
                        "0/0/{}/{}/{}",
                        r.range(0, 5),
                        r.range(1, 900),
                        r.range(1, 900)
                    ),
                );
                t!(
                    b,
                    " {} {} - - ---- {}/{}/0/0/0 0/0 ",
                    r.one(&["200", "403", "503"]),
                    r.range(100, 90_000),
                    r.range(1, 900),
                    r.range(1, 90)
                );
                b.text("{")
                    .secret("email", &mk::customer(r).email)
                    .text("|")
                    .negative("request-id", &ulid(r))
                    .text("} \"GET ");
                b.text(r.one(&paths)).text("?");
                w_query(b, r);
                b.text(" HTTP/1.1\"\n");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// postmortem: YAML incident record with an attached CSV of affected customers
// ---------------------------------------------------------------------------

fn postmortem(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let lead = mk::person(r, c.domain);
    let sre = mk::person(r, c.domain);
    t!(
        b,
        "# incidents/{}/INC-{}.yaml\nincident:\n  id: ",
        dt(c.t).y,
        r.range(100, 999)
    )
    .negative("uuid", &mk::uuid(r));
    t!(
        b,
        "\n  title: \"{} leaked customer rows into a debug log\"\n  severity: SEV2\n  commander: ",
        c.app
    )
    .neutral_as("person-name", &lead.display)
    .text("\n  commander_email: ")
    .secret("email", &lead.email)
    .text("\n  commander_phone: \"")
    .secret("phone", &phone(r))
    .text("\"\n  started_at: ")
    .negative("timestamp", &ts_iso_off(c.t, c.off))
    .text("\n  mitigated_at: ")
    .negative("timestamp", &ts_iso_off(c.t + 4200, c.off))
    .text("\n  time_to_mitigate: ")
    .negative("duration", "1h10m")
    .text("\n  affected_release: ")
    .negative("version", &mk::version(r))
    .text("\n  offending_commit: ")
    .negative("git-sha", &mk::git_sha(r))
    .text("\ntimeline:\n");
    let notes: [&str; 4] = [
        "debug logging enabled for",
        "alert on PII detector fired",
        "log bucket locked down",
        "rows purged",
    ];
    for note in notes {
        let t = c.tick(r, 120, 1500);
        b.text("  - at: ")
            .negative("timestamp", &ts_iso_z(t))
            .text("\n    note: \"")
            .text(note);
        if note.starts_with("debug") {
            b.text(" ")
                .text(c.app)
                .text(" by ")
                .secret("email", &sre.email);
        } else if note.starts_with("log bucket") {
            b.text(" (")
                .negative("arn", &format!("arn:aws:s3:::{}-{}-logs", c.org, c.env))
                .text(")");
        }
        b.text("\"\n");
    }
    b.text("impact:\n  customers: ")
        .text(&r.range(20, 900).to_string());
    b.text("\n  fields: [email, phone, iban, card, tax_id]\n  exposed_credential: \"the debug line also printed DB_PASSWORD=");
    b.secret("password-assignment", &mk::password_safe(r));
    b.text("\"\n  log_stream: ")
        .secret("internal-url", &iurl(r, c))
        .text("\nfollow_ups:\n  - owner: ")
        .secret("email", &sre.email)
        .text("\n    due: ")
        .negative("timestamp", &ts_date(c.t + 10 * 86_400))
        .text("\n    ticket: ")
        .negative("public-url", &format!("https://github.com/{}/{}/issues/{}", c.org, c.app, r.range(100, 5000)))
        .text("\n---\n# attachment: affected_sample.csv (first rows)\ncustomer_id,name,email,phone,iban,card,tax_id,created_at\n");
    for _ in 0..r.range(3, 5) {
        let cu = mk::customer(r);
        b.negative("uuid", &mk::uuid(r))
            .text(",\"")
            .neutral_as("person-name", &cu.display.replace('"', ""))
            .text("\",");
        b.secret("email", &cu.email).text(",");
        if r.chance(0.5) {
            b.secret("phone", &phone(r));
        } else {
            b.secret("phone-national", &phone_national(r));
        }
        b.text(",")
            .secret("iban", &iban(r).replace(' ', ""))
            .text(",");
        if r.chance(0.3) {
            b.negative("placeholder", &format!("************{}", r.digits(4)));
        } else {
            b.secret("payment-card", &card(r).replace(' ', ""));
        }
        b.text(",")
            .secret("national-id", &national_id(r))
            .text(",")
            .negative("timestamp", &ts_iso_z(c.t - r.below(9_000_000) as i64))
            .nl();
    }
    b.text("# order refs in the same file are not card numbers: ")
        .negative("non-luhn-number", &mk::non_luhn_16(r))
        .nl();
}

// ---------------------------------------------------------------------------
// pem-dump: `openssl pkcs12 -info`, `vault write pki/issue`, or a JWK set
// ---------------------------------------------------------------------------

fn pem_dump(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    match r.below(3) {
        0 => pem_pkcs12(r, b, c),
        1 => pem_vault_pki(r, b, c),
        _ => pem_jwks(r, b, c),
    }
}

fn pem_pkcs12(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let cn = format!("{}.{}", c.app, c.domain);
    let lkid = thumbprint(r, 20).replace(':', " ");
    b.text("$ openssl pkcs12 -in ")
        .text(c.app)
        .text(".p12 -info -nodes -passin pass:");
    b.secret("password-assignment", &mk::password_safe(r));
    b.text("\nMAC: sha256, Iteration 2048\nMAC length: 32, salt length: 8\nPKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256\nCertificate bag\nBag Attributes\n    localKeyID: ")
        .negative("key-fingerprint", &lkid)
        .text("\n    friendlyName: ")
        .text(&cn)
        .text("\nsubject=CN = ")
        .text(&cn)
        .text("\nissuer=C = US, O = DigiCert Inc, CN = DigiCert Global G2 TLS RSA SHA256 2020 CA1\n")
        .negative("certificate", &mk::certificate_pem(r))
        .text("\nPKCS7 Data\nShrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256\nBag Attributes\n    localKeyID: ")
        .negative("key-fingerprint", &lkid)
        .text("\nKey Attributes: <No Attributes>\n");
    if b.clean {
        b.negative("placeholder", "[key omitted]").nl();
    } else {
        b.sensitive("private-key", &mk::pkcs8_private_pem(r)).nl();
    }
    b.text("$ keytool -list -v -keystore truststore.jks -storepass ");
    b.secret("password-assignment", &mk::password_safe(r));
    b.text(" | grep -E 'Alias|SHA256|Valid'\nAlias name: ")
        .text(c.org)
        .text("-root\nValid from: ")
        .negative("timestamp", &ts_ctime(c.t - 900 * 86_400))
        .text(" until: ")
        .negative("timestamp", &ts_ctime(c.t + 2000 * 86_400))
        .text("\n\t SHA256: ")
        .negative("key-fingerprint", &thumbprint(r, 32))
        .nl();
}

fn pem_vault_pki(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let cn = format!("{}.{}.svc", c.app, c.ns);
    t!(
        b,
        "$ vault write -format=table pki_int/issue/{} common_name={cn} ttl=720h\nKey                 Value\n---                 -----\nca_chain            [",
        c.ns
    );
    let n = r.range(300, 420);
    let ca = mk::pem(
        "CERTIFICATE",
        &format!("MIIB{}", &b64(&r.bytes(n))[4..]),
        64,
    );
    b.negative("certificate", &ca)
        .text("]\ncertificate         ");
    b.negative("certificate", &mk::certificate_pem(r))
        .text("\nexpiration          ");
    b.negative("timestamp", &(c.t + 720 * 3600).to_string())
        .text("\nissuing_ca          ");
    b.negative("certificate", &ca)
        .text("\nprivate_key         ");
    if b.clean {
        b.negative("placeholder", "<redacted by vault audit>");
    } else {
        b.sensitive("private-key", &mk::ec_private_pem(r));
    }
    b.text("\nprivate_key_type    ec\nserial_number       ")
        .negative("key-fingerprint", &thumbprint(r, 20).to_lowercase())
        .text("\n$ vault read -field=lease_id sys/leases/lookup/pki_int/issue/")
        .text(c.ns)
        .text(" 2>/dev/null || echo 'no lease (ttl ")
        .negative("duration", "720h")
        .text(")'\n");
}

fn pem_jwks(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let kid1 = r.chars(B64URL, 43);
    let kid2 = r.chars(B64URL, 43);
    t!(
        b,
        "$ curl -s https://id.{}/.well-known/jwks.json | jq .\n{{\n  \"keys\": [\n    {{\n      \"kty\": \"EC\",\n      \"use\": \"sig\",\n      \"crv\": \"P-256\",\n      \"kid\": \"",
        c.domain
    );
    b.neutral_as("key-id", &kid1).text("\",\n      \"x\": \"");
    b.negative("public-key", &r.chars(B64URL, 43))
        .text("\",\n      \"y\": \"");
    b.negative("public-key", &r.chars(B64URL, 43))
        .text("\"\n    }\n  ]\n}\n");
    t!(
        b,
        "$ cat secrets/{}-signing.jwk.json   # the private half, from the old repo\n{{\n  \"kty\": \"EC\",\n  \"crv\": \"P-256\",\n  \"kid\": \"",
        c.app
    );
    b.neutral_as("key-id", &kid1).text("\",\n  \"x\": \"");
    b.negative("public-key", &r.chars(B64URL, 43))
        .text("\",\n  \"y\": \"");
    b.negative("public-key", &r.chars(B64URL, 43))
        .text("\",\n  \"d\": \"");
    b.secret("private-key", &r.chars(B64URL, 43))
        .text("\"\n}\n");
    t!(
        b,
        "$ cat secrets/{}-hmac.jwk.json\n{{\"kty\":\"oct\",\"kid\":\"",
        c.app
    );
    b.neutral_as("key-id", &kid2)
        .text("\",\"alg\":\"HS256\",\"k\":\"");
    b.secret("generic-secret-assignment", &b64url(&r.bytes(32)))
        .text("\"}\n");
    b.text("$ age-keygen -o ops.agekey\nPublic key: ")
        .negative(
            "public-key",
            &format!("age1{}", r.chars(b"qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)),
        )
        .text("\n$ cat ops.agekey\n# created: ")
        .negative("timestamp", &ts_iso_off(c.t, c.off))
        .text("\n");
    b.secret("private-key", &age_secret_key(r)).nl();
    b.text("$ openssl x509 -in tls.crt -noout -fingerprint -sha1\nsha1 Fingerprint=")
        .negative("key-fingerprint", &thumbprint(r, 20))
        .nl();
}

// ---------------------------------------------------------------------------
// app-config: wp-config.php, Rails credentials + database.yml, Django settings.py
// ---------------------------------------------------------------------------

fn app_config(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    match r.below(3) {
        0 => cfg_wordpress(r, b, c),
        1 => cfg_rails(r, b, c),
        _ => cfg_django(r, b, c),
    }
}

fn cfg_wordpress(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("<?php\n/** wp-config.php — ")
        .text(c.domain)
        .text(" */\ndefine( 'DB_NAME', '")
        .text(&db_name(c))
        .text("' );\ndefine( 'DB_USER', '");
    b.neutral_as("username", "wp_app")
        .text("' );\ndefine( 'DB_PASSWORD', '");
    b.secret("password-assignment", &mk::password(r))
        .text("' );\ndefine( 'DB_HOST', '");
    w_ihost(b, r, c);
    b.text(":3306' );\ndefine( 'DB_CHARSET', 'utf8mb4' );\n\n");
    for k in [
        "AUTH_KEY",
        "SECURE_AUTH_KEY",
        "LOGGED_IN_KEY",
        "NONCE_KEY",
        "AUTH_SALT",
    ] {
        t!(b, "define( '{k}', ");
        let v = r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%()*+,-./:;<=>?@[]^_{|}~", 64);
        let v = if r.chance(0.3) {
            "put your unique phrase here".to_string()
        } else {
            v
        };
        if v.starts_with("put ") {
            b.text("'").negative("placeholder", &v).text("'");
        } else {
            b.text("'")
                .secret("generic-secret-assignment", &v)
                .text("'");
        }
        b.text(" );\n");
    }
    b.text("\ndefine( 'WP_MAIL_SMTP_PASS', '")
        .secret("sendgrid-key", &mk::sendgrid_key(r))
        .text("' );\n");
    b.text("define( 'AS3CF_SETTINGS', serialize( array(\n    'provider' => 'aws',\n    'access-key-id' => '")
        .secret("aws-access-key", &mk::aws_access_key(r))
        .text("',\n    'secret-access-key' => '")
        .secret("aws-secret-key", &mk::aws_secret_key(r))
        .text("',\n) ) );\n");
    b.text("define( 'WP_REDIS_PASSWORD', getenv( 'REDIS_PASSWORD' ) ?: '")
        .negative("placeholder", "changeme")
        .text("' );\ndefine( 'WP_CACHE_KEY_SALT', '")
        .text(c.app)
        .text("_' );\n$table_prefix = 'wp_';\ndefine( 'WP_DEBUG', false );\n// plugin lock: woocommerce ")
        .negative("version", &format!("9.{}.{}", r.range(0, 6), r.range(0, 3)))
        .text(" sha1 ")
        .negative("content-hash", &r.hex(40))
        .text("\nrequire_once ABSPATH . 'wp-settings.php';\n");
}

fn cfg_rails(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(b, "$ cat config/database.yml\ndefault: &default\n  adapter: postgresql\n  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") {{ 5 }} %>\n\nproduction:\n  <<: *default\n  database: {}_production\n  username: ", db_name(c))
        .neutral_as("username", "rails")
        .text("\n  password: ")
        .negative("placeholder", "<%= ENV[\"DATABASE_PASSWORD\"] %>")
        .text("\n  host: ");
    w_ihost(b, r, c);
    b.text("\n\n$ bin/rails credentials:show --environment production\nsecret_key_base: ")
        .secret("generic-secret-assignment", &r.hex(128))
        .text("\n\naws:\n  access_key_id: ")
        .secret("aws-access-key", &mk::aws_access_key(r))
        .text("\n  secret_access_key: ")
        .secret("aws-secret-key", &mk::aws_secret_key(r))
        .text("\n\nstripe:\n  secret_key: ")
        .secret("stripe-key", &mk::stripe_secret(r))
        .text("\n  publishable_key: ")
        .neutral_as("publishable-key", &mk::stripe_publishable(r))
        .text("\n\nactive_record_encryption:\n  primary_key: ")
        .secret("generic-secret-assignment", &r.chars(ALNUM, 32))
        .text("\n  key_derivation_salt: ")
        .secret("generic-secret-assignment", &r.chars(ALNUM, 32))
        .text("\n\nsmtp:\n  user_name: ")
        .secret("email", &format!("postmaster@mg.{}", c.domain))
        .text("\n  password: ")
        .secret("password-assignment", &mk::password_safe(r))
        .nl();
    t!(
        b,
        "$ head -c 60 config/credentials/production.yml.enc; echo\n"
    )
    .negative(
        "encrypted-data",
        &format!(
            "{}--{}--{}",
            r.chars(B64, 44),
            r.chars(B64, 16),
            r.chars(B64, 22)
        )
        .chars()
        .take(60)
        .collect::<String>(),
    )
    .text("\n$ grep -A1 'nokogiri (' Gemfile.lock | head -2\n    nokogiri (")
    .negative("version", &format!("1.16.{}", r.range(0, 8)))
    .text(")\n      mini_portile2 (~> 2.8.2)\n$ git log -1 --format=%h config/credentials\n")
    .negative("git-sha", &mk::short_sha(r))
    .nl();
}

fn cfg_django(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "# {}/settings/production.py\nfrom .base import *  # noqa\nimport os\n\nDEBUG = False\nALLOWED_HOSTS = [\"{}\", \"",
        db_name(c),
        c.domain
    );
    b.secret("internal-hostname", &ihost(r, c))
        .text("\"]\nSECRET_KEY = \"");
    b.secret("generic-secret-assignment", &mk::django_secret(r)).text("\"\n\nDATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n        \"NAME\": \"").text(&db_name(c));
    b.text("\",\n        \"USER\": \"")
        .neutral_as("username", "django")
        .text("\",\n        \"PASSWORD\": os.environ.get(\"DB_PASSWORD\", \"");
    b.secret("password-assignment", &mk::password(r))
        .text("\"),\n        \"HOST\": \"");
    w_ihost(b, r, c);
    b.text("\",\n        \"CONN_MAX_AGE\": 60,\n    }\n}\n\nCACHES = {\"default\": {\"BACKEND\": \"django_redis.cache.RedisCache\", \"LOCATION\": \"");
    w_uri(b, r, c, "rediss");
    b.text("\"}}\n\nCELERY_BROKER_URL = \"");
    w_uri(b, r, c, "amqps");
    b.text("\"\nEMAIL_HOST_PASSWORD = \"")
        .secret("password-assignment", &mk::password_safe(r))
        .text("\"\nADMINS = [(\"");
    let p = mk::person(r, c.domain);
    b.neutral_as("person-name", &p.display.replace('"', ""))
        .text("\", \"")
        .secret("email", &p.email)
        .text("\")]\n");
    b.text("SENTRY_DSN = \"");
    w_sentry_dsn(b, r);
    b.text("\"\nSOCIAL_AUTH_GITHUB_SECRET = \"")
        .secret("generic-secret-assignment", &r.hex(40))
        .text("\"\n");
    b.text("AWS_STORAGE_BUCKET_NAME = \"")
        .text(c.org)
        .text("-media\"\nAWS_S3_CUSTOM_DOMAIN = \"")
        .negative(
            "public-url",
            &format!("d{}.cloudfront.net", r.chars(LOWER_ALNUM, 13)),
        )
        .text("\"\nSTATIC_VERSION = \"")
        .negative("content-hash", &r.hex(12))
        .text("\"\nSESSION_COOKIE_AGE = 1209600  # ")
        .negative("duration", "2 weeks")
        .nl();
}

// ---------------------------------------------------------------------------
// terraform-hcl: variables with defaults + azurerm/vault/postgresql providers, or Packer
// ---------------------------------------------------------------------------

fn terraform_hcl(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    if r.chance(0.5) {
        hcl_variables(r, b, c);
    } else {
        hcl_packer(r, b, c);
    }
}

fn hcl_variables(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("# variables.tf\nvariable \"db_admin_password\" {\n  type      = string\n  sensitive = true\n  default   = \"");
    b.secret("password-assignment", &mk::password(r)).text(
        "\"\n}\n\nvariable \"mongodb_atlas_private_key\" {\n  type    = string\n  default = \"",
    );
    b.secret("generic-secret-assignment", &mk::uuid(r))
        .text("\"\n}\n\nvariable \"mongodb_atlas_public_key\" {\n  default = \"");
    b.neutral_as("key-id", &r.chars(LOWER, 8)).text("\"\n}\n\nvariable \"api_token\" {\n  type        = string\n  description = \"set via TF_VAR_api_token\"\n  default     = \"");
    b.negative(
        "placeholder",
        r.one(&["", "REPLACE_ME", "xxx"]).to_string().as_str(),
    )
    .text("\"\n}\n\n");
    b.text("# providers.tf\nprovider \"azurerm\" {\n  features {}\n  subscription_id = \"")
        .negative("uuid", &mk::uuid(r))
        .text("\"\n  tenant_id       = \"")
        .negative("uuid", &mk::uuid(r))
        .text("\"\n  client_id       = \"")
        .neutral_as("key-id", &mk::uuid(r))
        .text("\"\n  client_secret   = \"")
        .secret("generic-secret-assignment", &azure_client_secret(r))
        .text("\"\n}\n\nprovider \"vault\" {\n  address = \"");
    b.secret("internal-url", "https://vault.service.consul:8200")
        .text("\"\n  token   = \"")
        .secret("vault-token", &mk::vault_token(r))
        .text("\"\n}\n\nprovider \"postgresql\" {\n  host     = \"");
    w_ihost(b, r, c);
    b.text("\"\n  username = \"postgres\"\n  password = var.db_admin_password\n  sslmode  = \"require\"\n}\n\n");
    b.text("locals {\n  common_tags = {\n    owner      = \"")
        .secret("email", &mk::person(r, c.domain).email)
        .text("\"\n    git_commit = \"")
        .negative("git-sha", &mk::git_sha(r))
        .text("\"\n  }\n  smtp_url = \"smtp://apikey:")
        .secret("sendgrid-key", &mk::sendgrid_key(r))
        .text("@smtp.sendgrid.net:587\"\n}\n\n");
    t!(b, "resource \"azurerm_key_vault_secret\" \"slack\" {{\n  name         = \"slack-webhook\"\n  value        = \"")
        .secret("slack-webhook", &mk::slack_webhook(r))
        .text("\"\n  key_vault_id = \"")
        .negative("cloud-resource-id", &azure_resource_id(r, c))
        .text("\"\n}\n\ndata \"vault_kv_secret_v2\" \"app\" {\n  mount = \"kv\"\n  name  = \"")
        .negative("secret-ref", &format!("{}/{}", c.env, c.app))
        .text("\"\n}\n");
    b.text("# .terraform.lock.hcl (excerpt)\nprovider \"registry.terraform.io/hashicorp/azurerm\" {\n  version = \"")
        .negative("version", &format!("4.{}.0", r.range(0, 12)))
        .text("\"\n  hashes = [\n    \"")
        .negative("lockfile-integrity", &mk::gosum_h1(r))
        .text("\",\n    \"zh:")
        .negative("lockfile-integrity", &mk::sha256_hex(r))
        .text("\",\n  ]\n}\n");
}

fn hcl_packer(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(b, "# packer/{}.pkr.hcl\npacker {{\n  required_plugins {{\n    amazon = {{\n      version = \">= ", c.app)
        .negative("version", "1.3.2")
        .text("\"\n      source  = \"github.com/hashicorp/amazon\"\n    }\n  }\n}\n\n");
    b.text("source \"amazon-ebs\" \"base\" {\n  region        = \"")
        .text(c.region)
        .text("\"\n  access_key    = \"")
        .secret("aws-access-key", &mk::aws_access_key(r))
        .text("\"\n  secret_key    = \"")
        .secret("aws-secret-key", &mk::aws_secret_key(r))
        .text("\"\n  source_ami    = \"")
        .negative("cloud-resource-id", &format!("ami-0{}", r.hex(16)))
        .text("\"\n  instance_type = \"t3.small\"\n  ssh_username  = \"ubuntu\"\n  subnet_id     = \"")
        .negative("cloud-resource-id", &format!("subnet-0{}", r.hex(16)))
        .text("\"\n  tags = {\n    Builder = \"")
        .secret("email", &mk::person(r, c.domain).email)
        .text("\"\n  }\n}\n\n");
    b.text("source \"azure-arm\" \"win\" {\n  client_id       = \"")
        .neutral_as("key-id", &mk::uuid(r))
        .text("\"\n  client_secret   = \"")
        .secret("generic-secret-assignment", &azure_client_secret(r))
        .text("\"\n  subscription_id = \"")
        .negative("uuid", &mk::uuid(r))
        .text("\"\n  winrm_username  = \"packer\"\n  winrm_password  = \"")
        .secret("password-assignment", &mk::password_safe(r))
        .text("\"\n}\n\nbuild {\n  sources = [\"source.amazon-ebs.base\"]\n\n  provisioner \"shell\" {\n    environment_vars = [\n      \"DD_API_KEY=");
    b.secret("datadog-key", &r.hex(32))
        .text("\",\n      \"REGISTRY_URL=");
    b.secret(
        "internal-url",
        &format!(
            "https://artifactory.{}.intra/artifactory/api/docker/docker-local",
            c.org
        ),
    );
    b.text("\",\n      \"APP_VERSION=")
        .negative("version", &mk::version(r))
        .text("\",\n    ]\n    inline = [\n      \"curl -fsSL ");
    b.negative("public-url", "https://install.datadoghq.com/scripts/install_script_agent7.sh")
        .text(" | sudo -E bash\",\n      \"echo 'deploy ")
        .negative("ssh-public-key", &mk::ssh_ed25519_pub(r, "packer@build"))
        .text("' | sudo tee -a /home/ubuntu/.ssh/authorized_keys\",\n    ]\n  }\n\n  post-processor \"manifest\" {\n    output = \"manifest.json\"\n  }\n}\n");
    b.text("# last build: ")
        .negative("cloud-resource-id", &format!("ami-0{}", r.hex(16)))
        .text(" at ")
        .negative("timestamp", &ts_iso_z(c.t))
        .nl();
}

// ---------------------------------------------------------------------------
// ci-workflow: CircleCI, Azure Pipelines YAML, or Travis CI (with `secure:`)
// ---------------------------------------------------------------------------

fn ci_workflow(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    match r.below(3) {
        0 => wf_circleci(r, b, c),
        1 => wf_azure(r, b, c),
        _ => wf_travis(r, b, c),
    }
}

fn wf_circleci(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("# .circleci/config.yml\nversion: 2.1\n\norbs:\n  aws-cli: circleci/aws-cli@")
        .negative("version", "5.1.1")
        .text("\n  slack: circleci/slack@")
        .negative("version", "4.13.3")
        .text("\n\nexecutors:\n  node:\n    docker:\n      - image: cimg/node:")
        .negative("version", "20.17")
        .text("\n        auth:\n          username: ")
        .neutral_as("username", &format!("{}ci", c.org))
        .text("\n          password: ")
        .yaml_secret("vendor-token", &format!("dckr_pat_{}", r.chars(B64URL, 27)))
        .text("\n      - image: cimg/postgres:16.4\n        environment:\n          POSTGRES_PASSWORD: ")
        .yaml_secret("password-assignment", &mk::password(r))
        .text("\n\njobs:\n  deploy:\n    executor: node\n    environment:\n      AWS_REGION: ")
        .text(c.region)
        .text("\n      COVERALLS_REPO_TOKEN: ")
        .yaml_secret("generic-secret-assignment", &r.chars(ALNUM, 33))
        .text("\n      CYPRESS_RECORD_KEY: ")
        .yaml_secret("generic-secret-assignment", &mk::uuid(r))
        .text("\n    steps:\n      - checkout\n      - run:\n          name: npm auth\n          command: echo \"//registry.npmjs.org/:_authToken=")
        .negative("placeholder", "${NPM_TOKEN}")
        .text("\" > ~/.npmrc\n      - aws-cli/setup:\n          role_arn: ")
        .negative("arn", &format!("arn:aws:iam::{}:role/circleci-oidc", c.account))
        .text("\n      - run: ./scripts/deploy.sh --tag ${CIRCLE_SHA1}\n      - slack/notify:\n          event: fail\n          template: basic_fail_1\n\nworkflows:\n  main:\n    jobs:\n      - deploy:\n          context: [")
        .negative("secret-ref", &format!("{}-{}", c.org, c.env))
        .text("]\n          filters: { branches: { only: main } }\n");
}

fn wf_azure(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("# azure-pipelines.yml\ntrigger:\n  branches:\n    include: [main]\n\npool:\n  vmImage: ubuntu-22.04\n\nvariables:\n  - group: ")
        .negative("secret-ref", &format!("{}-{}-kv", c.app, c.env))
        .text("\n  - name: buildConfiguration\n    value: Release\n  - name: sqlAdminPassword\n    value: ")
        .yaml_secret("password-assignment", &mk::password(r))
        .text("\n  - name: storageKey\n    value: ")
        .yaml_secret("azure-storage-key", &mk::azure_storage_key(r))
        .text("\n  - name: nugetFeed\n    value: ")
        .secret("internal-url", &format!("https://pkgs.{}.corp/nuget/v3/index.json", c.org))
        .text("\n\nsteps:\n  - task: UseDotNet@2\n    inputs:\n      version: ")
        .negative("version", "8.0.x")
        .text("\n  - script: dotnet nuget push **/*.nupkg -k ")
        .secret("vendor-token", &format!("oy2{}", r.chars(LOWER_ALNUM, 43)))
        .text(" -s https://api.nuget.org/v3/index.json\n    displayName: publish\n  - task: AzureCLI@2\n    inputs:\n      azureSubscription: ")
        .negative("secret-ref", &format!("sc-{}-{}", c.org, c.env))
        .text("\n      scriptType: bash\n      inlineScript: |\n        az webapp config appsettings set -g rg-")
        .text(c.app)
        .text(" -n ")
        .text(c.app)
        .text(" --settings SENDGRID_KEY=")
        .secret("sendgrid-key", &mk::sendgrid_key(r))
        .text(" TOKEN=")
        .negative("placeholder", "$(System.AccessToken)")
        .text("\n  - bash: echo \"##vso[task.setvariable variable=commit]")
        .negative("git-sha", &mk::short_sha(r))
        .text("\"\n    env:\n      ARM_CLIENT_SECRET: ")
        .negative("placeholder", "$(armClientSecret)")
        .text("\n      SONAR_TOKEN: ")
        .secret("vendor-token", &format!("sqp_{}", r.hex(40)))
        .nl();
}

fn wf_travis(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("# .travis.yml\nlanguage: python\npython:\n  - \"")
        .negative("version", "3.12")
        .text("\"\nservices: [redis]\nenv:\n  global:\n    - secure: \"")
        .negative("encrypted-data", &b64(&r.bytes(256)))
        .text("\"\n    - secure: \"")
        .negative("encrypted-data", &b64(&r.bytes(256)))
        .text("\"\n    - DJANGO_SETTINGS_MODULE=")
        .text(&db_name(c))
        .text(".settings.ci\n    - PYPI_PASSWORD=")
        .secret("pypi-token", &mk::pypi_token(r))
        .text("\n    - CODECOV_TOKEN=")
        .secret("generic-secret-assignment", &mk::uuid(r))
        .text("\ninstall:\n  - pip install -r requirements.txt --require-hashes  # e.g. --hash=sha256:")
        .negative("lockfile-integrity", &mk::sha256_hex(r))
        .text("\nscript:\n  - pytest -q\ndeploy:\n  provider: heroku\n  api_key:\n    secure: \"")
        .negative("encrypted-data", &b64(&r.bytes(256)))
        .text("\"\n  app: ")
        .text(c.app)
        .text("\nnotifications:\n  email:\n    recipients:\n      - ")
        .secret("email", &mk::person(r, c.domain).email)
        .text("\n  webhooks: ")
        .secret("vendor-token", &discord_webhook(r))
        .text("\n# bitbucket-pipelines.yml (old mirror)\n#   - pipe: atlassian/ssh-run:0.8.1\n#     variables:\n#       SSH_USER: deploy\n#       SERVER: ")
        .secret("private-ip", &mk::private_ip(r))
        .text("\n#       PASSWORD: ")
        .secret("password-assignment", &mk::password_safe(r))
        .nl();
}

// ---------------------------------------------------------------------------
// sql-dump: SQLite `.dump`, mongoexport JSON lines, or an MSSQL script
// ---------------------------------------------------------------------------

fn sql_dump(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    match r.below(3) {
        0 => sql_sqlite(r, b, c),
        1 => sql_mongo(r, b, c),
        _ => sql_mssql(r, b, c),
    }
}

fn sql_sqlite(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(
        b,
        "$ sqlite3 {}.db .dump | head -30\nPRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, pw_hash TEXT, phone TEXT, created REAL);\n",
        db_name(c)
    );
    for i in 0..r.range(3, 5) {
        let cu = mk::customer(r);
        t!(b, "INSERT INTO users VALUES({},'", i + 1)
            .secret("email", &cu.email)
            .text("','");
        b.neutral_as("password-hash", &password_hash(r)).text("','");
        b.secret("phone", &phone(r))
            .text("',")
            .negative(
                "timestamp",
                &format!("{}.{}", c.t - r.below(9_000_000) as i64, r.digits(3)),
            )
            .text(");\n");
    }
    b.text("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);\nINSERT INTO settings VALUES('smtp_password','")
        .secret("password-assignment", &mk::password_safe(r))
        .text("');\nINSERT INTO settings VALUES('stripe_key','")
        .secret("stripe-key", &mk::stripe_secret(r))
        .text("');\nINSERT INTO settings VALUES('schema_version','")
        .negative("version", &mk::version(r))
        .text("');\nINSERT INTO settings VALUES('install_id','")
        .negative("uuid", &mk::uuid(r))
        .text("');\nCREATE TABLE payouts (id INTEGER PRIMARY KEY, iban TEXT, amount_cents INTEGER);\n");
    for i in 0..2 {
        t!(b, "INSERT INTO payouts VALUES({},'", i + 1)
            .secret("iban", &iban(r))
            .text(&format!("',{});\n", r.range(100, 900_000)));
    }
    b.text("CREATE INDEX users_email ON users(email);\nCOMMIT;\n");
}

fn sql_mongo(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    b.text("$ mongoexport --uri=\"");
    w_uri(b, r, c, "mongodb");
    t!(b, "\" --collection=customers --limit=4\n");
    b.negative(
        "timestamp",
        &format!(
            "{}.{:03}+0000",
            ts_iso_z(c.t).trim_end_matches('Z'),
            r.below(1000)
        ),
    )
    .text("\tconnected to: mongodb://[**REDACTED**]@mongo-0.mongo-headless\n");
    for _ in 0..r.range(3, 4) {
        let cu = mk::customer(r);
        b.text("{\"_id\":{\"$oid\":\"")
            .negative("user-id", &r.hex(24))
            .text("\"},\"email\":\"")
            .secret("email", &cu.email)
            .text("\",\"name\":\"")
            .neutral_as("person-name", &cu.display.replace('"', ""))
            .text("\",\"phone\":\"")
            .secret("phone", &phone(r))
            .text("\",\"card\":{\"last4\":\"")
            .text(&r.digits(4))
            .text("\",\"fingerprint\":\"")
            .negative("content-hash", &r.chars(ALNUM, 16))
            .text("\"},\"taxId\":\"")
            .secret("national-id", &national_id(r))
            .text("\",\"createdAt\":{\"$date\":\"")
            .negative(
                "timestamp",
                &ts_iso_ms_z(c.t - r.below(9_000_000) as i64, r.below(1000) as u32),
            )
            .text("\"}}\n");
    }
    b.negative("timestamp", &format!("{}.{:03}+0000", ts_iso_z(c.t + 1).trim_end_matches('Z'), r.below(1000)))
        .text("\texported 4 records\n$ mongosh --quiet --eval 'db.getSiblingDB(\"admin\").getUsers().users[0]' | head -8\n{\n  _id: 'admin.app',\n  userId: UUID('")
        .negative("uuid", &mk::uuid(r))
        .text("'),\n  user: 'app',\n  credentials: { 'SCRAM-SHA-256': { storedKey: '")
        .neutral_as("password-hash", &b64(&r.bytes(32)))
        .text("' } },\n  roles: [ { role: 'readWrite', db: '")
        .text(&db_name(c))
        .text("' } ]\n}\n");
}

fn sql_mssql(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let dbn = db_name(c);
    t!(b, "-- Script generated by SSMS ")
        .negative("version", "20.2.30.0")
        .text(" on ")
        .negative("timestamp", &ts_space(c.t))
        .text("\n-- Server: ");
    w_ihost(b, r, c);
    t!(
        b,
        "\nUSE [{dbn}]\nGO\nCREATE LOGIN [svc_{dbn}] WITH PASSWORD = N'"
    );
    b.secret("password-assignment", &mk::password_safe(r))
        .text("', CHECK_POLICY = OFF\nGO\nALTER LOGIN [reporting] WITH PASSWORD = ");
    b.neutral_as("password-hash", &format!("0x0200{}", r.chars(HEX_UP, 136)))
        .text(" HASHED\nGO\n");
    b.text("SET IDENTITY_INSERT [dbo].[Customers] ON\nGO\n");
    for i in 0..r.range(3, 4) {
        let cu = mk::customer(r);
        t!(b, "INSERT [dbo].[Customers] ([Id], [FullName], [Email], [Phone], [Iban], [RowGuid]) VALUES ({}, N'", i + 1)
            .neutral_as("person-name", &cu.display.replace('\'', "''"))
            .text("', N'")
            .secret("email", &cu.email)
            .text("', N'")
            .secret("phone-national", &phone_national(r))
            .text("', N'")
            .secret("iban", &iban(r))
            .text("', N'")
            .negative("uuid", &mk::uuid(r).to_uppercase())
            .text("')\n");
    }
    b.text("GO\nINSERT [dbo].[Cards] ([Id], [Pan], [Expiry]) VALUES (1, N'")
        .secret("payment-card", &card(r))
        .text("', N'08/29'), (2, N'")
        .negative("non-luhn-number", &mk::non_luhn_16(r))
        .text("', N'01/27')\nGO\nEXEC sp_addlinkedsrvlogin @rmtsrvname = N'LEGACY', @useself = N'False', @rmtuser = N'sa', @rmtpassword = N'")
        .secret("password-assignment", &mk::password_safe(r))
        .text("'\nGO\n");
}

// ---------------------------------------------------------------------------
// systemd-journal: `systemctl status` with the unit's command line, or `-o json`
// ---------------------------------------------------------------------------

fn systemd_journal(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let host = format!("{}-{:02}", r.one(&["app", "edge", "batch"]), r.range(1, 30));
    let pid = r.range(900, 90_000);
    if r.chance(0.5) {
        t!(
            b,
            "$ systemctl status {}.service --no-pager -l\n● {}.service - {} daemon\n     Loaded: loaded (/etc/systemd/system/{}.service; enabled; preset: enabled)\n     Active: active (running) since ",
            c.app,
            c.app,
            c.app,
            c.app
        );
        b.negative(
            "timestamp",
            &format!("{} UTC", ts_ctime(c.t - 3600).replace("  ", " ")),
        )
        .text("; ")
        .negative("duration", "1h 2min")
        .text(" ago\n   Main PID: ")
        .text(&pid.to_string())
        .text(" (")
        .text(c.app)
        .text(")\n      Tasks: 14 (limit: 9415)\n     Memory: 212.4M\n        CPU: ")
        .negative("duration", "41.220s")
        .text("\n     CGroup: /system.slice/")
        .text(c.app)
        .text(".service\n             └─")
        .text(&pid.to_string())
        .text(" /opt/")
        .text(c.app)
        .text("/bin/")
        .text(c.app)
        .text(" --db-url=");
        any_uri(b, r, c);
        b.text(" --license-key=");
        let (_, _, v) = vendor(r);
        b.secret("vendor-token", &v)
            .text(" --admin-password ")
            .secret("password-assignment", &mk::password_safe(r))
            .text("\n\n");
        for i in 0..r.range(4, 6) {
            let t = c.tick(r, 0, 60);
            b.negative("timestamp", &ts_syslog(t))
                .text(" ")
                .neutral_as("short-hostname", &host)
                .text(" ")
                .text(c.app)
                .text("[")
                .text(&pid.to_string())
                .text("]: ");
            match i % 4 {
                0 => b
                    .text("listening on ")
                    .secret("private-ip", &mk::private_ip(r))
                    .text(":8443 (build ")
                    .negative("git-sha", &mk::short_sha(r))
                    .text(")"),
                1 => b
                    .text("sent reset link to ")
                    .secret("email", &mk::customer(r).email),
                2 => b
                    .text("upstream ")
                    .secret("internal-url", &iurl(r, c))
                    .text(" slow: ")
                    .negative("duration", &format!("{}ms", r.range(500, 5000))),
                _ => b
                    .text("request ")
                    .negative("request-id", &ulid(r))
                    .text(" completed status=200"),
            };
            b.nl();
        }
        return;
    }
    t!(
        b,
        "$ journalctl -u {}.service -o json -n 4 --no-pager | jq -c '{{__REALTIME_TIMESTAMP, _BOOT_ID, _HOSTNAME, MESSAGE}}'\n",
        c.app
    );
    let boot = r.hex(32);
    for i in 0..r.range(4, 5) {
        let t = c.tick(r, 0, 60);
        b.text("{\"__REALTIME_TIMESTAMP\":\"")
            .negative("timestamp", &format!("{t}{}", r.digits(6)))
            .text("\",\"_BOOT_ID\":\"")
            .negative("content-hash", &boot)
            .text("\",\"_HOSTNAME\":\"")
            .neutral_as("short-hostname", &host)
            .text("\",\"MESSAGE\":\"");
        match i % 4 {
            0 => {
                b.text("auth: token accepted for ")
                    .secret("email", &mk::person(r, c.domain).email)
                    .text(" via Authorization: Bearer ")
                    .secret("bearer-token", &mk::opaque_token(r));
            }
            1 => {
                b.text("connecting to ");
                w_uri(b, r, c, "sqlserver");
            }
            2 => {
                b.text("config reloaded, checksum ")
                    .negative("content-hash", &mk::sha256_hex(r));
            }
            _ => {
                b.text("webhook secret=")
                    .secret("stripe-key", &mk::stripe_webhook_secret(r))
                    .text(" registered for ")
                    .negative("public-url", &format!("https://hooks.{}/stripe", c.domain));
            }
        }
        b.text("\"}\n");
    }
    t!(
        b,
        "$ journalctl -u {}.service -o verbose -n 1 | head -9\n    ",
        c.app
    )
    .negative(
        "timestamp",
        &format!("{} UTC", ts_ctime(c.t).replace("  ", " ")),
    )
    .text(" [s=")
    .negative("content-hash", &r.hex(32))
    .text(";i=")
    .text(&r.hex(6))
    .text(";b=")
    .negative("content-hash", &boot)
    .text("]\n    PRIORITY=6\n    _UID=")
    .negative("user-id", &r.range(990, 1010).to_string())
    .text("\n    _MACHINE_ID=")
    .negative("content-hash", &r.hex(32))
    .text("\n    _CMDLINE=/opt/")
    .text(c.app)
    .text("/bin/")
    .text(c.app)
    .text(" --token ")
    .secret("generic-secret-assignment", &mk::generic_secret(r))
    .text("\n    MESSAGE=ready\n");
}

// ---------------------------------------------------------------------------
// Fresh-only kinds
// ---------------------------------------------------------------------------

/// Node.js: pino JSON log lines and an `Error` stack with a leaked config.
fn stacktrace_node(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let host = mk::pod_name(r, c.app);
    for i in 0..r.range(3, 5) {
        let t = c.tick(r, 0, 20);
        b.text("{\"level\":")
            .text(if i == 0 { "50" } else { "30" })
            .text(",\"time\":")
            .negative("timestamp", &format!("{t}{:03}", r.below(1000)))
            .text(",\"pid\":")
            .text(&r.range(1, 90).to_string())
            .text(",\"hostname\":\"")
            .negative("k8s-name", &host)
            .text("\",\"reqId\":\"")
            .negative("request-id", &format!("req-{}", r.chars(LOWER_ALNUM, 4)))
            .text("\",\"req\":{\"method\":\"POST\",\"url\":\"/api/checkout\",\"headers\":{\"authorization\":\"Bearer ");
        if i % 2 == 0 {
            let iss = format!("https://{}.auth0.com/", c.org);
            let sub = format!("auth0|{}", r.hex(24));
            b.secret("jwt", &mk::jwt(r, t, &iss, &sub));
        } else {
            b.secret("bearer-token", &mk::opaque_token(r));
        }
        b.text("\",\"x-forwarded-for\":\"")
            .negative("public-ip", &mk::public_ip(r))
            .text("\"}},\"msg\":\"")
            .text(if i == 0 {
                "request errored"
            } else {
                "request completed"
            })
            .text("\",\"responseTime\":")
            .negative("duration", &format!("{}.{}", r.range(1, 900), r.digits(3)))
            .text("}\n");
    }
    b.text("Error: connect ECONNREFUSED ")
        .secret("private-ip", &mk::private_ip(r))
        .text(":6379\n");
    t!(
        b,
        "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1610:16)\n    at RedisClient.connect (/app/node_modules/ioredis/built/Redis.js:{}:25)\n    at async Object.<anonymous> (/app/dist/server.js:{}:5) {{\n",
        r.range(100, 300),
        r.range(10, 90)
    );
    b.text("  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  config: {\n    redisUrl: '");
    w_uri(b, r, c, "rediss");
    b.text("',\n    stripeKey: '")
        .secret("stripe-key", &mk::stripe_secret(r))
        .text("',\n    sentryDsn: '");
    w_sentry_dsn(b, r);
    b.text("',\n    mailFrom: '")
        .secret("email", &format!("noreply@{}", c.domain))
        .text("'\n  }\n}\n");
    b.text("Node.js ")
        .negative(
            "version",
            &format!("v{}.{}.0", r.range(18, 22), r.range(0, 12)),
        )
        .nl();
    b.text("npm ERR! code E401\nnpm ERR! Unable to authenticate, your authentication token seems to be invalid.\nnpm ERR! To correct this please try logging in again with:\nnpm ERR!     npm login\n");
    b.text("npm ERR! A complete log of this run can be found in: /root/.npm/_logs/")
        .negative(
            "timestamp",
            &ts_iso_ms_z(c.t, r.below(1000) as u32).replace(':', "_"),
        )
        .text("-debug-0.log\n# package-lock.json: \"integrity\": \"")
        .negative("lockfile-integrity", &mk::npm_integrity(r))
        .text("\"\n");
}

/// .NET: unhandled exception with an exposed connection string and options dump.
fn stacktrace_dotnet(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let ns = format!(
        "{}.{}",
        cap_first(c.org),
        cap_first(&c.app.replace('-', ""))
    );
    b.text("fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]\n      An unhandled exception has occurred while executing the request. TraceId: ")
        .negative("trace-id", &format!("00-{}-{}-00", r.hex(32), r.hex(16)))
        .nl();
    b.text("      Microsoft.Data.SqlClient.SqlException (0x80131904): Login failed for user 'app_login'.\n");
    t!(
        b,
        "         at Microsoft.Data.SqlClient.SqlInternalConnection.OnError(SqlException exception, Boolean breakConnection)\n         at {ns}.Data.OrdersRepository.GetAsync(Guid id) in /src/{ns}/Data/OrdersRepository.cs:line {}\n",
        r.range(20, 200)
    );
    t!(
        b,
        "         at {ns}.Controllers.OrdersController.Get(Guid id) in /src/{ns}/Controllers/OrdersController.cs:line {}\n",
        r.range(20, 120)
    );
    b.text("      ClientConnectionId:")
        .negative("uuid", &mk::uuid(r))
        .text("\n      Error Number:18456,State:1,Class:14\n");
    b.text("dbug: ")
        .text(&ns)
        .text(".Startup[0]\n      ConnectionStrings:Default = ");
    w_odbc(b, r, c);
    b.text("\ndbug: ").text(&ns).text(".Startup[0]\n      ServiceBus = Endpoint=sb://").text(c.org).text("-").text(c.env).text(".servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=");
    b.secret("azure-sas-token", &b64(&r.bytes(32))).nl();
    b.text("dbug: ")
        .text(&ns)
        .text(".Startup[0]\n      Options: { \"Jwt\": { \"Issuer\": \"")
        .negative("public-url", &format!("https://login.{}", c.domain))
        .text("\", \"SigningKey\": \"")
        .secret("generic-secret-assignment", &mk::generic_secret(r))
        .text("\" }, \"Smtp\": { \"User\": \"")
        .secret("email", &format!("alerts@{}", c.domain))
        .text("\", \"Password\": \"")
        .secret("password-assignment", &mk::password_safe(r))
        .text("\" } }\n");
    b.text("info: Microsoft.Hosting.Lifetime[14]\n      Now listening on: http://[::]:8080\ninfo: Microsoft.Hosting.Lifetime[0]\n      Hosting environment: Production\n      Application version: ")
        .negative("version", &mk::version(r))
        .text(" (")
        .negative("git-sha", &mk::short_sha(r))
        .text(")\n      Content root path: /app\n");
    b.text("warn: Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager[35]\n      No XML encryptor configured. Key {")
        .negative("uuid", &mk::uuid(r))
        .text("} may be persisted to storage in unencrypted form.\n");
}

fn cap_first(s: &str) -> String {
    let mut ch = s.chars();
    match ch.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + ch.as_str(),
        None => String::new(),
    }
}

/// Ruby on Rails: production.log with filtered and unfiltered parameters and a backtrace.
fn stacktrace_ruby(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let rid = mk::uuid(r);
    let cu = mk::customer(r);
    let pre = |b: &mut DocBuilder, r: &mut Rng, c: &mut Ctx, lvl: &str| {
        let t = c.tick(r, 0, 2);
        b.text(&lvl[..1])
            .text(", [")
            .negative(
                "timestamp",
                &format!(
                    "{}.{:06}",
                    ts_iso_z(t).trim_end_matches('Z'),
                    r.below(1_000_000)
                ),
            )
            .text(" #")
            .text(&r.range(1, 90).to_string())
            .text("] ")
            .text(lvl)
            .text(" -- : [");
    };
    pre(b, r, c, "INFO");
    b.negative("request-id", &rid)
        .text("] Started POST \"/users/sign_in\" for ");
    w_client_ip(b, r);
    b.text(" at ")
        .negative("timestamp", &format!("{} +0000", ts_space(c.t)))
        .nl();
    pre(b, r, c, "INFO");
    b.negative("request-id", &rid)
        .text("]   Parameters: {\"authenticity_token\"=>\"[FILTERED]\", \"user\"=>{\"email\"=>\"")
        .secret("email", &cu.email)
        .text("\", \"password\"=>\"[FILTERED]\"}, \"commit\"=>\"Log in\"}\n");
    pre(b, r, c, "INFO");
    b.negative("request-id", &rid)
        .text("]   Parameters: {\"payment\"=>{\"iban\"=>\"")
        .secret("iban", &iban(r))
        .text("\", \"holder\"=>\"")
        .neutral_as("person-name", &cu.display.replace('"', ""))
        .text("\", \"phone\"=>\"")
        .secret("phone", &phone(r))
        .text("\"}}\n");
    pre(b, r, c, "FATAL");
    b.negative("request-id", &rid)
        .text("] Redis::CannotConnectError (Error connecting to Redis on ");
    w_ihost(b, r, c);
    b.text(":6380 (Redis::TimeoutError)):\n");
    pre(b, r, c, "FATAL");
    b.negative("request-id", &rid).text("]\n");
    t!(
        b,
        "app/services/session_store.rb:{}:in `connect'\napp/controllers/users/sessions_controller.rb:{}:in `create'\n",
        r.range(10, 80),
        r.range(10, 60)
    );
    b.text("  redis_options = {:url=>\"");
    w_uri(b, r, c, "rediss");
    b.text("\", :ssl_params=>{:verify_mode=>0}}\n");
    b.text("  ENV[\"RAILS_MASTER_KEY\"] = \"")
        .secret("generic-secret-assignment", &r.hex(32))
        .text("\"\n");
    b.text("  ENV[\"SIDEKIQ_PRO_CREDENTIALS\"] = \"")
        .neutral_as("username", &r.hex(8))
        .text(":")
        .secret("password-assignment", &r.hex(8))
        .text("\"\n");
    b.text("Completed 500 Internal Server Error in ")
        .negative("duration", &format!("{}ms", r.range(20, 3000)))
        .text(" (ActiveRecord: ")
        .negative("duration", &format!("{}.{}ms", r.range(0, 90), r.below(10)))
        .text(" | Allocations: ")
        .negative("counter", &r.range(1000, 90_000).to_string())
        .text(")\nruby ")
        .negative("version", "3.3.5")
        .text(", rails ")
        .negative("version", "7.2.1")
        .nl();
}

/// Rust: panic with a `Debug`-printed config, RUST_BACKTRACE frames and tracing lines.
fn stacktrace_rust(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let crate_ = db_name(c);
    b.negative("timestamp", &ts_iso_ms_z(c.t, r.below(1000) as u32))
        .text("  INFO ")
        .text(&crate_)
        .text("::server: listening addr=0.0.0.0:3000 version=")
        .negative("version", &mk::version(r))
        .text(" git=")
        .negative("git-sha", &mk::short_sha(r))
        .nl();
    b.negative("timestamp", &ts_iso_ms_z(c.t + 1, r.below(1000) as u32))
        .text(" ERROR ")
        .text(&crate_)
        .text("::db: pool error err=error returned from database: password authentication failed for user \"app\" span.id=")
        .negative("trace-id", &r.hex(16))
        .nl();
    b.text("thread 'main' panicked at src/config.rs:")
        .text(&r.range(20, 90).to_string())
        .text(":")
        .text(&r.range(5, 40).to_string())
        .text(":\ncalled `Result::unwrap()` on an `Err` value: Config { database_url: \"");
    any_uri(b, r, c);
    b.text("\", jwt_secret: \"")
        .secret("generic-secret-assignment", &mk::generic_secret(r));
    b.text("\", s3: S3 { access_key_id: \"")
        .secret("aws-access-key", &mk::aws_access_key(r));
    b.text("\", secret_access_key: \"")
        .secret("aws-secret-key", &mk::aws_secret_key(r));
    b.text("\" }, admin_email: \"")
        .secret("email", &mk::person(r, c.domain).email);
    b.text("\", otel_endpoint: Some(\"")
        .secret("internal-url", &iurl(r, c));
    b.text("\"), request_timeout: ")
        .negative("duration", &format!("{}s", r.range(5, 60)))
        .text(" }\nstack backtrace:\n");
    t!(
        b,
        "   0: rust_begin_unwind\n             at /rustc/{}/library/std/src/panicking.rs:665:5\n",
        r.hex(40)
    );
    t!(
        b,
        "   1: core::result::unwrap_failed\n   2: {crate_}::config::load\n             at ./src/config.rs:{}:9\n   3: {crate_}::main::{{{{closure}}}}\n   4: tokio::runtime::park::CachedParkThread::block_on\n",
        r.range(20, 90)
    );
    b.text(
        "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n",
    );
    b.text("$ grep -A3 'name = \"tokio\"' Cargo.lock\nname = \"tokio\"\nversion = \"")
        .negative("version", &format!("1.{}.0", r.range(38, 42)))
        .text(
            "\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"",
        )
        .negative("lockfile-integrity", &mk::sha256_hex(r))
        .text("\"\n");
}

/// aws / az / gcloud CLI JSON output with credentials in it.
fn cloud_cli_output(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let me = mk::person(r, c.domain);
    match r.below(3) {
        0 => {
            t!(b, "$ aws sts assume-role --role-arn arn:aws:iam::{}:role/break-glass --role-session-name {}\n{{\n    \"Credentials\": {{\n        \"AccessKeyId\": \"", c.account, me.user)
                .secret("aws-access-key", &format!("ASIA{}", r.chars(B32, 16)))
                .text("\",\n        \"SecretAccessKey\": \"")
                .secret("aws-secret-key", &mk::aws_secret_key(r))
                .text("\",\n        \"SessionToken\": \"")
                .secret("aws-session-token", &mk::aws_session_token(r))
                .text("\",\n        \"Expiration\": \"")
                .negative("timestamp", &format!("{}+00:00", ts_iso_z(c.t + 3600).trim_end_matches('Z')))
                .text("\"\n    },\n    \"AssumedRoleUser\": {\n        \"AssumedRoleId\": \"");
            b.neutral_as("key-id", &format!("AROA{}:{}", r.chars(B32, 17), me.user))
                .text("\",\n        \"Arn\": \"")
                .negative(
                    "arn",
                    &format!(
                        "arn:aws:sts::{}:assumed-role/break-glass/{}",
                        c.account, me.user
                    ),
                )
                .text("\"\n    }\n}\n");
            t!(b, "$ aws secretsmanager get-secret-value --secret-id {}/{}/db --query '{{ARN:ARN,VersionId:VersionId,SecretString:SecretString}}'\n{{\n    \"ARN\": \"", c.env, c.app)
                .negative("arn", &format!("arn:aws:secretsmanager:{}:{}:secret:{}/{}/db-{}", c.region, c.account, c.env, c.app, r.chars(ALNUM, 6)))
                .text("\",\n    \"VersionId\": \"")
                .negative("uuid", &mk::uuid(r))
                .text("\",\n    \"SecretString\": \"{\\\"username\\\":\\\"app\\\",\\\"password\\\":\\\"")
                .secret("password-assignment", &mk::password_safe(r))
                .text("\\\",\\\"host\\\":\\\"");
            w_ihost(b, r, c);
            b.text("\\\"}\"\n}\n$ aws sts get-caller-identity --query Account --output text\n")
                .negative("account-id", &c.account)
                .nl();
        }
        1 => {
            t!(
                b,
                "$ az ad sp create-for-rbac --name sp-{}-{} --role Contributor --scopes ",
                c.app,
                c.env
            )
            .negative("cloud-resource-id", &azure_resource_id(r, c))
            .text("\nCreating 'Contributor' role assignment under scope ...\n{\n  \"appId\": \"")
            .neutral_as("key-id", &mk::uuid(r))
            .text("\",\n  \"displayName\": \"sp-")
            .text(c.app)
            .text("\",\n  \"password\": \"")
            .secret("generic-secret-assignment", &azure_client_secret(r))
            .text("\",\n  \"tenant\": \"")
            .negative("uuid", &mk::uuid(r))
            .text("\"\n}\n");
            t!(b, "$ az storage account keys list -n {} --query '[0].{{name:keyName,value:value}}'\n{{\n  \"name\": \"key1\",\n  \"value\": \"", storage_account(c))
                .secret("azure-storage-key", &mk::azure_storage_key(r))
                .text("\"\n}\n$ az storage container generate-sas -n exports --permissions r --expiry ")
                .negative("timestamp", &ts_date(c.t + 7 * 86_400))
                .text(" -o tsv\nse=")
                .text(&ts_date(c.t + 7 * 86_400))
                .text("&sp=r&sv=2022-11-02&sr=c&sig=")
                .secret("azure-sas-token", &mk::azure_sas_sig(r))
                .text("\n$ az account show --query user.name -o tsv\n")
                .secret("email", &me.email)
                .nl();
        }
        _ => {
            t!(
                b,
                "$ gcloud auth print-access-token --impersonate-service-account=deploy@{}-{}.iam.gserviceaccount.com\n",
                c.org,
                c.env
            );
            b.secret("bearer-token", &format!("ya29.c.{}", r.chars(B64URL, 160)))
                .nl();
            t!(b, "$ gcloud services api-keys get-key-string projects/{}/locations/global/keys/{}\nkeyString: ", r.digits(12), mk::uuid(r))
                .secret("gcp-api-key", &mk::gcp_api_key(r))
                .text("\n$ gcloud secrets versions access latest --secret=")
                .text(c.app)
                .text("-smtp\n")
                .secret("password-assignment", &mk::password(r))
                .text("\n$ gcloud compute instances list --format='table(name,networkInterfaces[0].networkIP,networkInterfaces[0].accessConfigs[0].natIP)'\nNAME        NETWORK_IP    NAT_IP\n");
            for i in 0..2 {
                t!(b, "{}-{i}   ", c.app)
                    .secret("private-ip", &mk::private_ip(r))
                    .text("  ")
                    .negative("public-ip", &mk::public_ip(r))
                    .nl();
            }
            b.text("$ gcloud config get account\n")
                .secret("email", &me.email)
                .nl();
        }
    }
    b.text("# request id ")
        .negative("request-id", &mk::uuid(r))
        .text(", cli ")
        .negative(
            "version",
            &format!("2.{}.{}", r.range(10, 30), r.range(0, 40)),
        )
        .nl();
}

/// HashiCorp Vault CLI output: kv get, database creds, token lookup.
fn vault_cli_output(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let path = format!("{}/{}", c.env, c.app);
    t!(b, "$ export VAULT_ADDR=")
        .secret(
            "internal-url",
            &format!("https://vault.{}.internal:8200", c.org),
        )
        .nl();
    t!(b, "$ vault kv get -mount=kv {path}\n====== Secret Path ======\nkv/data/{path}\n\n======= Metadata =======\nKey                Value\n---                -----\ncreated_time       ")
        .negative("timestamp", &format!("{}.{}Z", ts_iso_z(c.t).trim_end_matches('Z'), r.digits(9)))
        .text("\ncustom_metadata    map[owner:")
        .text(c.ns)
        .text("]\ndeletion_time      n/a\ndestroyed          false\nversion            ")
        .negative("counter", &r.range(2, 40).to_string())
        .text("\n\n======= Data =======\nKey                Value\n---                -----\n");
    let rows: Vec<(&str, &'static str, String)> = vec![
        (
            "api_key",
            "generic-secret-assignment",
            mk::generic_secret(r),
        ),
        ("db_password", "password-assignment", mk::password(r)),
        ("github_app_key", "private-key", mk::small_private_pem(r)),
        ("sendgrid", "sendgrid-key", mk::sendgrid_key(r)),
        ("slack_bot", "slack-token", mk::slack_token(r)),
        ("twilio_token", "twilio-key", r.hex(32)),
    ];
    let k = r.range(2, 3);
    let mut picked = r.sample(&rows, k);
    picked.sort_by_key(|x| x.0);
    for (key, class, v) in picked {
        t!(b, "{key:<19}").secret(class, v).nl();
    }
    t!(b, "$ vault read database/creds/{}-rw\nKey                Value\n---                -----\nlease_id           ", c.app)
        .negative("secret-ref", &format!("database/creds/{}-rw/{}", c.app, r.chars(ALNUM, 24)))
        .text("\nlease_duration     ")
        .negative("duration", "1h")
        .text("\nlease_renewable    true\npassword           ")
        .secret("password-assignment", &r.chars(ALNUM, 20))
        .text("\nusername           ")
        .neutral_as("username", &format!("v-token-{}-rw-{}-{}", c.app, r.chars(ALNUM, 20), c.t))
        .text("\n$ vault token lookup\nKey                 Value\n---                 -----\naccessor            ")
        .neutral_as("key-id", &r.chars(ALNUM, 24))
        .text("\ndisplay_name        oidc-")
        .secret("email", &mk::person(r, c.domain).email)
        .text("\nexpire_time         ")
        .negative("timestamp", &format!("{}.{}Z", ts_iso_z(c.t + 28_800).trim_end_matches('Z'), r.digits(9)))
        .text("\nid                  ")
        .secret("vault-token", &mk::vault_token(r))
        .text("\npolicies            [default ")
        .text(c.ns)
        .text("-ro]\n$ vault version\nVault ")
        .negative("version", &format!("v1.{}.{}", r.range(15, 18), r.range(0, 5)))
        .text(" (")
        .negative("git-sha", &mk::git_sha(r))
        .text("), built ")
        .negative("timestamp", &ts_iso_z(c.t - 90 * 86_400))
        .nl();
}

/// Prometheus scrape config with basic_auth, and Grafana datasource provisioning.
fn monitoring_config(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    t!(b, "# prometheus.yml\nglobal:\n  scrape_interval: ").negative("duration", "30s");
    b.text("\n  external_labels:\n    cluster: ")
        .text(c.env)
        .text("\nscrape_configs:\n  - job_name: ")
        .text(c.app)
        .text("\n    scheme: https\n    basic_auth:\n      username: prometheus\n      password: ");
    b.yaml_secret("password-assignment", &mk::password(r));
    b.text("\n    static_configs:\n      - targets: ['");
    w_ihost(b, r, c);
    b.text(":9100', '").secret("private-ip", &mk::private_ip(r)).text(":9100']\n  - job_name: blackbox\n    metrics_path: /probe\n    params:\n      module: [http_2xx]\n    static_configs:\n      - targets: ['")
        .negative("public-url", &format!("https://www.{}", c.domain))
        .text("']\nremote_write:\n  - url: ")
        .negative("public-url", "https://prometheus-prod-24-prod-eu-west-2.grafana.net/api/prom/push")
        .text("\n    basic_auth:\n      username: \"")
        .neutral_as("key-id", &r.digits(7))
        .text("\"\n      password: ")
        .yaml_secret("vendor-token", &vendor(r).2)
        .text("\n    authorization:\n      credentials_file: ")
        .negative("secret-ref", "/etc/prometheus/secrets/remote-write-token")
        .text("\n---\n# grafana/provisioning/datasources/datasources.yaml\napiVersion: 1\ndatasources:\n  - name: Postgres\n    type: grafana-postgresql-datasource\n    url: ");
    w_ihost(b, r, c);
    b.text(":5432\n    user: grafana_ro\n    jsonData:\n      database: ")
        .text(&db_name(c))
        .text("\n      sslmode: require\n    secureJsonData:\n      password: ")
        .yaml_secret("password-assignment", &mk::password_safe(r))
        .text("\n  - name: Elasticsearch\n    type: elasticsearch\n    url: ")
        .secret("internal-url", &format!("http://{}:9200", mk::private_ip(r)))
        .text("\n    basicAuth: true\n    basicAuthUser: elastic\n    secureJsonData:\n      basicAuthPassword: ")
        .yaml_secret("password-assignment", &mk::password_safe(r))
        .text("\n  - name: Loki\n    type: loki\n    uid: ")
        .negative("uuid", &mk::uuid(r))
        .text("\n    url: ")
        .secret("internal-url", &format!("http://loki-gateway.{}.svc.cluster.local", c.ns))
        .text("\n    secureJsonData:\n      httpHeaderValue1: \"Bearer ")
        .secret("bearer-token", &mk::opaque_token(r))
        .text("\"\n    version: ")
        .negative("counter", &r.range(1, 9).to_string())
        .text("\n# alertmanager receiver\nreceivers:\n  - name: oncall\n    webhook_configs:\n      - url: ")
        .secret("vendor-token", &teams_webhook(r, c))
        .text("\n    email_configs:\n      - to: ")
        .secret("email", &format!("oncall@{}", c.domain))
        .text("\n        auth_password: ")
        .yaml_secret("password-assignment", &mk::password_safe(r))
        .nl();
}

/// Postfix / SMTP logs with addresses, SASL users and an AUTH PLAIN blob.
fn mail_log(r: &mut Rng, b: &mut DocBuilder, c: &mut Ctx) {
    let host = format!("mx{:02}", r.range(1, 4));
    b.text("$ sudo grep -h 'postfix' /var/log/mail.log | tail -n 12\n");
    for i in 0..r.range(6, 10) {
        let t = c.tick(r, 0, 30);
        let qid = r.chars(HEX_UP, 10);
        b.negative("timestamp", &ts_syslog(t))
            .text(" ")
            .neutral_as("short-hostname", &host);
        match i % 4 {
            0 => {
                b.text(" postfix/smtpd[")
                    .text(&r.range(1000, 90_000).to_string())
                    .text("]: ")
                    .negative("content-hash", &qid)
                    .text(": client=unknown[");
                w_client_ip(b, r);
                b.text("], sasl_method=PLAIN, sasl_username=")
                    .secret("email", &mk::person(r, c.domain).email)
                    .nl();
            }
            1 => {
                b.text(" postfix/cleanup[")
                    .text(&r.range(1000, 90_000).to_string())
                    .text("]: ")
                    .negative("content-hash", &qid)
                    .text(": message-id=<")
                    .negative("request-id", &format!("{}@{}", mk::uuid(r), c.domain))
                    .text(">\n");
            }
            2 => {
                b.text(" postfix/qmgr[")
                    .text(&r.range(1000, 90_000).to_string())
                    .text("]: ")
                    .negative("content-hash", &qid)
                    .text(": from=<")
                    .secret("email", &format!("billing@{}", c.domain))
                    .text(">, size=")
                    .text(&r.range(900, 90_000).to_string())
                    .text(", nrcpt=1 (queue active)\n");
            }
            _ => {
                b.text(" postfix/smtp[")
                    .text(&r.range(1000, 90_000).to_string())
                    .text("]: ")
                    .negative("content-hash", &qid)
                    .text(": to=<")
                    .secret("email", &mk::customer(r).email)
                    .text(">, relay=smtp.sendgrid.net[")
                    .negative("public-ip", &mk::public_ip(r))
                    .text("]:587, delay=")
                    .negative("duration", &format!("{}.{}", r.range(0, 9), r.range(1, 9)))
                    .text(", status=sent (250 Ok: queued as ")
                    .negative("request-id", &r.chars(B64URL, 22))
                    .text(")\n");
            }
        }
    }
    let user = format!("relay@{}", c.domain);
    let pw = mk::password_safe(r);
    b.text("$ swaks --to ops@example.com --server ");
    w_ihost(b, r, c);
    b.text(" --auth PLAIN --auth-user ")
        .secret("email", &user)
        .text(" --auth-password ")
        .secret("password-assignment", &pw);
    b.text(" --quit-after AUTH\n=== Trying ")
        .secret("private-ip", &mk::private_ip(r))
        .text(":587...\n -> EHLO ")
        .text(&host)
        .text("\n<-  250-AUTH PLAIN LOGIN\n -> AUTH PLAIN ");
    b.secret("basic-auth", &b64(format!("\0{user}\0{pw}").as_bytes()));
    b.text("\n<-  235 2.7.0 Authentication successful\n -> QUIT\n$ grep sasl_passwd /etc/postfix/main.cf\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n$ sudo cat /etc/postfix/sasl_passwd\n[smtp.sendgrid.net]:587 apikey:")
        .secret("sendgrid-key", &mk::sendgrid_key(r))
        .nl();
}
