//! Per-category cases (what must be masked, what must be left alone) and properties.

use proptest::prelude::*;

use super::trigger::relaxed;
use super::*;

/// Compiled once for the whole test run.
fn shared() -> &'static Sanitizer {
    static S: std::sync::LazyLock<Sanitizer> = std::sync::LazyLock::new(Sanitizer::new);
    &S
}

fn masked(text: &str) -> String {
    shared().sanitize(text).text
}

fn categories(text: &str) -> Vec<&'static str> {
    shared()
        .sanitize(text)
        .findings
        .iter()
        .map(|f| f.category)
        .collect()
}

/// (input, category expected, the secret value that must disappear)
const POSITIVE: &[(&str, &str, &str)] = &[
    (
        "OPENAI_API_KEY=sk-proj-Xq3vB7nLk2pR9sT4wY6zA1cD5fG8hJ0mN2bV4cX6zL8kJ",
        "vendor-token",
        "sk-proj-Xq3vB7nLk2pR9sT4wY6zA1cD5fG8hJ0mN2bV4cX6zL8kJ",
    ),
    (
        "sonar.token=squ_0123456789abcdef0123456789abcdef01234567",
        "vendor-token",
        "squ_0123456789abcdef0123456789abcdef01234567",
    ),
    (
        "maps.apiKey = AIzaSyD-4mQ7bXcVt9LpWz2Rk8Jn5Hs3Ge1Fa0Y",
        "gcp-api-key",
        "AIzaSyD-4mQ7bXcVt9LpWz2Rk8Jn5Hs3Ge1Fa0Y",
    ),
    (
        "creds AKIAJ7Q2LX5RT3MNB6VW and then 9fR2kLm8Qz+XwT4vBn7PyC1dHs6GjE0aUo3iK5eZ",
        "aws-secret-key",
        "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",
    ),
    (
        "$ echo ZGVwbG95OnMzY3JldC1wYXNz | base64 -d",
        "basic-auth",
        "ZGVwbG95OnMzY3JldC1wYXNz",
    ),
    (
        "GET /login/callback?code=Q7xLm2Pz9RkT4vWb8NcY3dHf&state=abc HTTP/1.1",
        "high-entropy-secret",
        "Q7xLm2Pz9RkT4vWb8NcY3dHf",
    ),
    (
        "redis-cli -h cache -a Wint3r-fox-77 ping",
        "generic-secret",
        "Wint3r-fox-77",
    ),
    (
        "mysql -u root -pS3cretRoot! orders",
        "generic-secret",
        "S3cretRoot!",
    ),
    (
        "ALTER ROLE app WITH LOGIN PASSWORD 'm4ple.Syrup9';",
        "generic-secret",
        "m4ple.Syrup9",
    ),
    (
        "the new token is `tq8-Lm2x-9Zr` for now",
        "generic-secret",
        "tq8-Lm2x-9Zr",
    ),
    (
        "command: [\"redis-server\", \"--requirepass\", \"Harbor-42-kite\"]",
        "generic-secret",
        "Harbor-42-kite",
    ),
    (
        "please call me back on (415) 555-0132 today",
        "phone",
        "(415) 555-0132",
    ),
    (
        "key id AKIAIOSFODNN7EXAMPLE in use",
        "aws-access-key",
        "AKIAIOSFODNN7EXAMPLE",
    ),
    (
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "aws-secret-key",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----",
        "private-key",
        "MIIEowIBAAKCAQEA7",
    ),
    (
        r#"{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n"}"#,
        "private-key",
        "MIIEvQIBADANBg",
    ),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "private-key",
        "b3BlbnNzaC1rZXktdjEAAAAA",
    ),
    (
        "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy==;EndpointSuffix=core.windows.net",
        "azure-storage-key",
        "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy==",
    ),
    (
        "https://acme.blob.core.windows.net/c/f?sv=2022-11-02&sig=abcDEF123%2Bxyz456QWE%3D",
        "azure-sas-token",
        "abcDEF123%2Bxyz456QWE%3D",
    ),
    (
        "export GH=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "github-token",
        "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    ),
    (
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU",
        "github-token",
        "github_pat_11ABCDEFG0123456789",
    ),
    (
        "curl -H 'X-Key: gat_0123456789ab_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' /x",
        "gatehouse-token",
        "gat_0123456789ab_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
    ),
    (
        "token glpat-xYz123AbC456dEf789gH0i for ci",
        "gitlab-token",
        "glpat-xYz123AbC456dEf789gH0i",
    ),
    (
        "SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "slack-token",
        "xoxb-123456789012",
    ),
    (
        "curl https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "slack-webhook",
        "T00000000/B00000000",
    ),
    (
        "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "stripe-key",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ),
    (
        "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",
        "sendgrid-key",
        "SG.ngeVfQFYQlKU0ufo8x5d1A",
    ),
    (
        "twilio SK0123456789abcdef0123456789abcdef",
        "twilio-key",
        "SK0123456789abcdef0123456789abcdef",
    ),
    (
        "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789",
        "npm-token",
        "npm_abcdefghijklmnopqrstuvwxyz0123456789",
    ),
    (
        "password = pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0NQ",
        "pypi-token",
        "pypi-AgEIcHlwaS5vcmcCJGFi",
    ),
    (
        r#"{"auths": {"registry.acme.io": {"auth": "dXNlcjpodW50ZXIyMjIy"}}}"#,
        "docker-auth",
        "dXNlcjpodW50ZXIyMjIy",
    ),
    (
        "VAULT_TOKEN=hvs.CAESIJlWvXg3nZfB8mQ2rT5kL9pA",
        "vault-token",
        "hvs.CAESIJlWvXg3nZfB8mQ2rT5kL9pA",
    ),
    (
        "DD_API_KEY=0123456789abcdef0123456789abcdef",
        "datadog-key",
        "0123456789abcdef0123456789abcdef",
    ),
    (
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "jwt",
        "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
    ),
    (
        "curl -H 'Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0' https://api.acme.io",
        "bearer-token",
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    ),
    (
        "fetch https://deploy:Sup3rS3cret!@artifacts.acme.io/repo",
        "url-credentials",
        "Sup3rS3cret!",
    ),
    (
        "DATABASE_URL=postgres://app:hunter2pass@db.acme.io:5432/orders",
        "connection-string",
        "hunter2pass",
    ),
    (
        "Server=db.acme.io;Database=orders;User Id=app;Password=P@ssw0rd-2024;",
        "connection-string",
        "P@ssw0rd-2024",
    ),
    ("DB_PASSWORD=hunter2", "generic-secret", "hunter2"),
    (
        "  password: correct-horse-battery",
        "generic-secret",
        "correct-horse-battery",
    ),
    (
        r#"{"client_secret": "a1b2c3d4e5f6 with spaces"}"#,
        "generic-secret",
        "a1b2c3d4e5f6 with spaces",
    ),
    (
        "[db]\npassword = letmein42\n",
        "generic-secret",
        "letmein42",
    ),
    (
        "mysql --user app --password=Tr0ub4dor&3 orders",
        "generic-secret",
        "Tr0ub4dor&3",
    ),
    (
        "deployctl push --api-token s3kr1t-t0ken app",
        "generic-secret",
        "s3kr1t-t0ken",
    ),
    (
        "ping alice.smith@acme-corp.com about it",
        "email",
        "alice.smith@acme-corp.com",
    ),
    ("call +44 20 7946 0958 now", "phone", "+44 20 7946 0958"),
    (
        "card 4111 1111 1111 1111 declined",
        "payment-card",
        "4111 1111 1111 1111",
    ),
    (
        "IBAN DE89 3704 0044 0532 0130 00 for refunds",
        "iban",
        "DE89 3704 0044 0532 0130 00",
    ),
    ("ssn 123-45-6789 on file", "national-id", "123-45-6789"),
    ("NI number AB 12 34 56 C", "national-id", "AB 12 34 56 C"),
    ("SIN 130 692 544 verified", "national-id", "130 692 544"),
    ("aadhaar 2345 6789 0124", "national-id", "2345 6789 0124"),
    ("DNI 12345678Z, NIE X1234567L", "national-id", "12345678Z"),
    ("NIE X1234567L", "national-id", "X1234567L"),
    (
        "NIR 1 85 05 78 006 084 91",
        "national-id",
        "1 85 05 78 006 084 91",
    ),
    (
        "curl -H 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l' https://api.acme.io",
        "basic-auth",
        "YWxhZGRpbjpvcGVuc2VzYW1l",
    ),
    (
        "curl -u deploy:Sup3r-S3cret https://nexus.acme.io/upload",
        "basic-auth",
        "Sup3r-S3cret",
    ),
    (
        "Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
        "bearer-token",
        "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
    ),
    (
        "apiVersion: v1\nkind: Secret\ndata:\n  tls.key: LS0tLS1CRUdJTiBFQyBQUklWQVRF\n",
        "kubernetes-secret",
        "LS0tLS1CRUdJTiBFQyBQUklWQVRF",
    ),
    (
        "signing_key: q8Xz2LmP0vR7tK4wYb9NcD3s",
        "high-entropy-secret",
        "q8Xz2LmP0vR7tK4wYb9NcD3s",
    ),
    (
        "Cookie: theme=dark; sessionid=7Hq2LxZp9RkV3mWc8TnB1yFd",
        "high-entropy-secret",
        "7Hq2LxZp9RkV3mWc8TnB1yFd",
    ),
    ("primary at 10.42.7.19 failed", "private-ip", "10.42.7.19"),
    (
        "pod ip fd12:3456:789a::1 unreachable",
        "private-ip",
        "fd12:3456:789a::1",
    ),
    (
        "ssh pg-main-0.db.internal",
        "internal-hostname",
        "pg-main-0.db.internal",
    ),
    (
        "curl http://checkout.payments.svc.cluster.local:8080/healthz",
        "internal-url",
        "checkout.payments.svc.cluster.local",
    ),
];

#[test]
fn every_category_is_found_and_its_value_removed() {
    for (input, category, secret) in POSITIVE {
        let out = shared().sanitize(input);
        assert!(
            out.findings.iter().any(|f| f.category == *category),
            "{category} not found in {input:?}: {:?} -> {}",
            out.findings,
            out.text
        );
        assert!(
            !out.text.contains(secret),
            "{secret} survived in {}",
            out.text
        );
        assert!(
            out.text.contains(&format!("[REDACTED:{category}]")),
            "{}",
            out.text
        );
    }
}

#[test]
fn every_category_has_a_positive_case() {
    for c in Category::ALL {
        assert!(
            POSITIVE.iter().any(|(_, name, _)| *name == c.name()),
            "no case for {c}"
        );
    }
}

const LEAVE_ALONE: &[&str] = &[
    "id=arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/orders/db-AbC123",
    "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
    "aws_secretsmanager_secret_version.db: Modifying... [id=x]",
    "\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n<paste key here>\\n-----END PRIVATE KEY-----\\n\"",
    "  password: ENC[AES256_GCM,data:Tr7o=,iv:1Y=,tag:Ht=,type:str]",
    "a <YOUR_TOKEN>&state=884416d0 HTTP/2.0\", \"status\": 401 </b>",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it",
    "request id 123e4567-e89b-12d3-a456-426614174000",
    "image ghcr.io/acme/api@sha256:0f9ac4a31b8e7e8d1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef01",
    "upgrade to v1.27.3 or 2.0.0-rc.1",
    "see https://grafana.com/docs/ and https://github.com/acme/api/pull/42",
    "password: <PASSWORD>",
    "DB_PASSWORD=${DB_PASSWORD}",
    "token: changeme",
    "api_key: xxxx",
    "secret: ****",
    "password: [REDACTED:generic-secret]",
    "mail ops@example.com or test@foo.example.org",
    "docs use 192.0.2.10, 198.51.100.7, 203.0.113.5 and 2001:db8::1",
    "public resolver 8.8.8.8",
    "The token expires after one hour; rotate the secret quarterly.",
    "secretName: db-credentials",
    "token_url: https://auth.acme.io/oauth/token",
    "password_file: /run/secrets/db",
    "git clone git@github.com:acme/api.git",
    "Set a strong password and keep the API key in Vault.",
    "latency p99 is 1234567 ns over 12 pods",
    "kubectl get secret db-creds -o yaml",
    "Basic authentication is disabled on the admin port",
    "cache_key: 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "public_key: MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
    "session: checkout-production-eu-west-1",
    "Cookie: theme=dark; lang=en",
    "kind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n",
    "order 123 456 789 shipped",
    "build 20261127 took 12345678 ms",
    "ticket AB123456X is closed",
];

#[test]
fn ordinary_devops_text_is_left_alone() {
    for input in LEAVE_ALONE {
        let out = shared().sanitize(input);
        assert_eq!(out.text, *input, "changed: {:?}", out.findings);
    }
}

#[test]
fn structure_around_a_secret_is_kept() {
    assert_eq!(
        masked("password: hunter2"),
        "password: [REDACTED:generic-secret]"
    );
    assert_eq!(
        masked("DB_PASSWORD=hunter2 ./run"),
        "DB_PASSWORD=[REDACTED:generic-secret] ./run"
    );
    assert_eq!(
        masked("postgres://app:hunter2pass@db.acme.io/x"),
        "postgres://app:[REDACTED:connection-string]@db.acme.io/x"
    );
    let pem = "x\n-----BEGIN PRIVATE KEY-----\nAAAA\nBBBB\n-----END PRIVATE KEY-----\ny";
    assert_eq!(masked(pem), "x\n[REDACTED:private-key]\ny");
}

#[test]
fn findings_point_at_the_value_in_the_input() {
    let input = "é key AKIAIOSFODNN7EXAMPLE and mail bob@acme.io";
    let out = shared().sanitize(input);
    assert_eq!(out.findings.len(), 2);
    for f in &out.findings {
        assert!(input.is_char_boundary(f.start) && input.is_char_boundary(f.end));
    }
    assert_eq!(
        &input[out.findings[0].start..out.findings[0].end],
        "AKIAIOSFODNN7EXAMPLE"
    );
    assert_eq!(
        &input[out.findings[1].start..out.findings[1].end],
        "bob@acme.io"
    );
    assert_eq!(out.report().get("email"), Some(&1));
}

/// Inputs the fuzzer found where a second pass used to change the text.
#[test]
fn fuzzer_findings_stay_idempotent() {
    for input in [
        "token glpat-xYz123AbC456dEf789gH0i.payments.svc.cluster.local:808H0i for ci",
        "mysql --user ter2passd@b.acme.io:\0\0\0\0\0app --password=Tr0ub4dor&3 orders",
        "a.key: LS0tLS1//registrCRUdJTiBFy.npa\0QyBQUs.org/:_atthToken=npmkl_abcJefWg",
        "curl -curl -( key: LS0troy:SuTELTOKEN=hvs.CAESIJlWysql --partitionqse-",
        "call +44 20 4+44 20 4+44 20 4+44 20 4+44 20 4+44 20 4+44 20 4+44 20 467 now",
        "DATABASE_UAuthoriza|ion: Tokenzbes: Secretisab:key: tp://checkout.pq8Xz2LmP0v_key: #q8Xz2LmP0vwY:keyd032",
    ] {
        let once = masked(input);
        assert_eq!(masked(&once), once, "from {input:?}");
    }
}

/// Every adversarial family keeps the engine's promises at a size where a quadratic engine
/// would still finish (the bench measures the rates; this checks the results).
#[test]
fn adversarial_families_are_sanitized_consistently() {
    for family in adversarial::FAMILIES {
        let text = family.build(8 * 1024);
        let once = masked(&text);
        assert_eq!(
            masked(&once),
            once,
            "{}: a second pass changed it",
            family.name
        );
    }
}

#[test]
fn glued_phone_numbers_are_one_finding() {
    let chain = "+44-20-4".repeat(1000);
    assert_eq!(
        masked(&format!("call {chain} now")),
        "call [REDACTED:phone] now"
    );
    assert_eq!(
        masked("a +44 20 7946 0958+1 212 555 0100 b"),
        "a [REDACTED:phone] b"
    );
}

#[test]
fn a_key_that_fails_does_not_hide_the_next_one() {
    assert_eq!(
        masked("password_name=db_password=Tr0ub4dor"),
        "password_name=db_password=[REDACTED:generic-secret]"
    );
    assert_eq!(
        masked("secret_file: /run/s, api_token: 'q8Zr-xxL2'"),
        "secret_file: /run/s, api_token: '[REDACTED:generic-secret]'"
    );
    // An unclosed quote is no value; the line goes on.
    assert_eq!(
        masked("password=\"abc token=ghj8-Zk2"),
        "password=\"abc token=[REDACTED:generic-secret]"
    );
}

#[test]
fn credentials_win_over_the_email_they_resemble() {
    assert_eq!(
        categories("https://deploy:pa55w0rd@artifacts.acme.io/x"),
        ["url-credentials"]
    );
}

#[test]
fn invalid_checksums_are_not_masked() {
    assert_eq!(
        masked("order 4111 1111 1111 1112"),
        "order 4111 1111 1111 1112"
    );
    assert_eq!(
        masked("ref GB82WEST12345698765433"),
        "ref GB82WEST12345698765433"
    );
    assert_eq!(masked("id 000-12-3456"), "id 000-12-3456");
}

#[test]
fn options_disable_categories_and_add_domains_cidrs_and_patterns() {
    let options = Options {
        disabled: vec![Category::Email],
        internal_domains: vec!["acme.net".into()],
        internal_cidrs: vec!["203.0.113.0/24".into()],
        patterns: vec![CustomPattern {
            name: "acme-ticket-key".into(),
            regex: r"ACME-[0-9A-F]{16}".into(),
        }],
        ..Default::default()
    };
    let s = Sanitizer::with_options(&options).expect("valid");
    let out = s.sanitize("bob@acme.io on api.acme.net at 203.0.113.9 key ACME-0123456789ABCDEF");
    assert_eq!(
        out.text,
        "bob@acme.io on [REDACTED:internal-hostname] at [REDACTED:private-ip] key [REDACTED:acme-ticket-key]"
    );
}

#[test]
fn a_bad_pattern_names_itself_and_the_reason() {
    let options = Options {
        patterns: vec![CustomPattern {
            name: "broken".into(),
            regex: "(unclosed".into(),
        }],
        ..Default::default()
    };
    let err = Sanitizer::with_options(&options)
        .err()
        .expect("rejected")
        .to_string();
    assert!(
        err.contains("`broken`") && err.contains("unclosed"),
        "{err}"
    );
}

fn secret_strategy() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        "[A-Z0-9]{16}".prop_map(|s| (format!("AKIA{s}"), format!("AKIA{s}"))),
        "[A-Za-z0-9]{36}".prop_map(|s| (format!("ghp_{s}"), format!("ghp_{s}"))),
        "[a-zA-Z0-9]{10,20}".prop_map(|s| (format!("DB_PASSWORD=q{s}"), format!("q{s}"))),
        "[a-z]{3,10}".prop_map(|s| (
            format!("{s}.ops@acme-mail.io"),
            format!("{s}.ops@acme-mail.io")
        )),
        "[a-z0-9]{3,10}"
            .prop_map(|s| (format!("postgres://u:p{s}x@db.acme.io/d"), format!("p{s}x"))),
        (1u8..255).prop_map(|o| (format!("10.0.{o}.7"), format!("10.0.{o}.7"))),
        "[a-z]{3,10}".prop_map(|s| (format!("{s}-0.db.internal"), format!("{s}-0.db.internal"))),
        Just((
            "4111 1111 1111 1111".to_string(),
            "4111 1111 1111 1111".to_string()
        )),
        Just(("NI AB 12 34 56 C".to_string(), "AB 12 34 56 C".to_string())),
    ]
}

fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("deploy"),
            Just("rollback"),
            Just("the"),
            Just("pod"),
            Just("latency"),
            Just("v1.2.3"),
            Just("kubectl"),
            Just("-n"),
            Just("payments"),
            Just("\n"),
            Just("restart"),
            Just("ok:"),
            Just("9fceb02d0ae598e95dc970b74767f19372d61af8"),
            Just("https://grafana.com/d/x"),
        ],
        0..30,
    )
    .prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn no_embedded_secret_survives((secret, value) in secret_strategy(), before in prose(), after in prose()) {
        let text = format!("{before} {secret} {after}");
        let out = shared().sanitize(&text);
        prop_assert!(!out.text.contains(&value), "{} survived: {}", value, out.text);
    }

    #[test]
    fn text_without_secrets_is_unchanged(text in prose()) {
        prop_assert_eq!(shared().sanitize(&text).text, text);
    }

    #[test]
    fn sanitizing_twice_changes_nothing(text in ".{0,200}", (secret, _v) in secret_strategy()) {
        let s = shared();
        let once = s.sanitize(&format!("{text} {secret}")).text;
        let twice = s.sanitize(&once);
        prop_assert_eq!(&twice.text, &once);
        prop_assert!(twice.findings.is_empty());
    }

    /// The per-line shortcut finds what running every detector over the whole text finds.
    #[test]
    fn per_line_trigger_matches_running_every_detector(
        lines in proptest::collection::vec(prop_oneof![prose(), secret_strategy().prop_map(|(s, _)| s)], 1..12)
    ) {
        let text = lines.join("\n");
        let s = shared();
        let mut reference = Vec::new();
        for i in 0..s.detectors.len() {
            s.run(i, &text, 0, &mut reference);
        }
        prop_assert_eq!(
            resolve(&text, reference, None),
            resolve(&text, s.candidates(&text), None)
        );
    }

    #[test]
    fn offsets_are_on_char_boundaries_and_ordered(text in "\\PC{0,300}") {
        let out = shared().sanitize(&text);
        let mut last = 0;
        for f in &out.findings {
            prop_assert!(f.start >= last && f.start < f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            last = f.end;
        }
    }
}

#[test]
fn pseudonyms_tell_equal_values_apart_within_a_document_only() {
    let options = Options {
        pseudonyms: pseudonym::Pseudonyms::Document,
        ..Default::default()
    };
    let s = Sanitizer::with_options(&options).expect("valid");
    let text = "from ana@acme.io to bo@acme.io, cc ana@acme.io";
    let once = s.sanitize(text).text;
    let tags: Vec<&str> = once
        .split("[REDACTED:email#")
        .skip(1)
        .map(|t| &t[..4])
        .collect();
    assert_eq!(tags.len(), 3, "{once}");
    assert_eq!(tags[0], tags[2], "the same address, the same tag: {once}");
    assert_ne!(tags[0], tags[1], "{once}");
    assert_eq!(
        s.sanitize(&once).text,
        once,
        "tagged placeholders are never masked again"
    );
    let other = s.sanitize(text).text;
    assert_ne!(other, once, "another document, other tags");
}

/// The relaxed per-line trigger matches wherever a detector's exact pattern does, for every
/// per-line detector, on text made of the characters those patterns care about.
#[test]
fn the_relaxed_trigger_covers_every_exact_match() {
    let s = Sanitizer::new();
    let per_line: Vec<&Detector> = s.detectors.iter().filter(|d| d.per_line).collect();
    let relaxed: Vec<regex_automata::meta::Regex> = per_line
        .iter()
        .map(|d| {
            regex_automata::meta::Regex::builder()
                .build_from_hir(&relaxed(d.regex.as_str()).expect("parses"))
                .expect("builds")
        })
        .collect();
    // Text built from pieces these patterns look for, with runs of every length around
    // their counted repetitions.
    let pieces = [
        "password",
        "secret",
        "token",
        "api_key",
        "AKIA",
        "ghp_",
        "xoxb-",
        "sk_live_",
        "eyJ",
        "Bearer ",
        "Basic ",
        "://",
        "@",
        ".internal",
        ".corp",
        "10.",
        "192.168.",
        "+44 ",
        "-",
        "=",
        ": ",
        " ",
        "\"",
        "'",
        "/",
        ".",
        ";",
        "--password ",
        "-----BEGIN ",
        "%40",
        "DE89",
    ];
    let run_chars: Vec<char> = "abcdefABCDEF0123456789xyzXYZ_".chars().collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut checked = 0;
    for _ in 0..60_000 {
        let mut text = String::new();
        for _ in 0..1 + next() % 6 {
            if next() % 2 == 0 {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            } else {
                let len = 1 + (next() % 70) as usize;
                let digits = next() % 3 == 0;
                for _ in 0..len {
                    let c = run_chars[(next() % run_chars.len() as u64) as usize];
                    text.push(if digits {
                        char::from(b'0' + (next() % 10) as u8)
                    } else {
                        c
                    });
                }
            }
        }
        for (d, r) in per_line.iter().zip(&relaxed) {
            if d.regex.is_match(&text) {
                checked += 1;
                assert!(r.is_match(&text), "{} misses {text:?}", d.name);
            }
        }
    }
    // Real values too: every sample secret the other tests use.
    for sample in [
        "AKIAZ7QXW3RT5YU2NB6M",
        "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB",
        "password=Sw0rdfish-Lagoon-77",
        "postgres://ledger:Sw0rdfish@quokka-db-3.prod.internal:5432/ledger",
        "mia.wombat@checkout.acme-corp.io",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl",
        "call +44 20 7946 0958",
        "10.20.30.40",
    ] {
        for (d, r) in per_line.iter().zip(&relaxed) {
            if d.regex.is_match(sample) {
                checked += 1;
                assert!(r.is_match(sample), "{} misses {sample:?}", d.name);
            }
        }
    }
    assert!(checked > 3_000, "the check saw exact matches: {checked}");
}

/// Secrets whose only sign is where they stand: the syntax of the file or the command.
#[test]
fn secrets_known_by_their_place_are_masked() {
    for (input, secret) in [
        (
            "export DB_PASS='lantern-saffron-harbor'",
            "lantern-saffron-harbor",
        ),
        (
            "pg-main-1.db.internal:5432:ledger:app:Monday2020!",
            "Monday2020!",
        ),
        (
            "machine api.heroku.com login me password s3cr3t-v4lue",
            "s3cr3t-v4lue",
        ),
        ("sshpass -p 'Quartz7831.' ssh admin@host", "Quartz7831."),
        ("curl -u admin:'H@rb0r&8' https://nexus", "H@rb0r&8"),
        (
            "<gpg.passphrase>staple-horse-winter</gpg.passphrase>",
            "staple-horse-winter",
        ),
        (
            "aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        (
            "the DB password got pasted earlier, it was `Gl4c13r.harbor52` - rotating",
            "Gl4c13r.harbor52",
        ),
        ("| admin | `admin` / `Dragon2020@` |", "Dragon2020@"),
        (
            "  \"db\": {\n    \"sensitive\": true,\n    \"type\": \"string\",\n    \"value\": \"C0pp3r^61\"",
            "C0pp3r^61",
        ),
        (
            "PresharedKey = 7WjE39wtJHypFq7BFGqIbxMMVno9EP/zqAWYIgS9g/g=",
            "7WjE39wtJHypFq7BFGqIbxMMVno9EP",
        ),
        (
            "Client(\"AC1ff0fb8877321b760ef11889a0d4220d\", \"03c2ac30c5e95eaedafc8d8a77812466\")",
            "03c2ac30c5e95eaedafc8d8a77812466",
        ),
    ] {
        let out = masked(input);
        assert!(!out.contains(secret), "{input:?} -> {out:?}");
    }
}
