//! The stable list of what the sanitizer finds. The names appear in placeholders
//! (`[REDACTED:<name>]`), in `gatehouse redact` output and in reports: never rename one.

use std::fmt;

macro_rules! categories {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A kind of sensitive value.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Category {
            $(#[doc = $doc] $variant,)*
        }

        impl Category {
            /// Every category, in documentation order.
            pub const ALL: &'static [Category] = &[$(Category::$variant,)*];

            /// The stable name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Category::$variant => $name,)*
                }
            }

            /// What the category covers, for the README and `gatehouse redact --list`.
            pub fn description(self) -> &'static str {
                match self {
                    $(Category::$variant => $doc,)*
                }
            }

            pub fn from_name(name: &str) -> Option<Category> {
                Self::ALL.iter().copied().find(|c| c.name() == name)
            }
        }
    };
}

categories! {
    AwsAccessKey => "aws-access-key", "AWS access key ids (AKIA…, ASIA…)";
    AwsSecretKey => "aws-secret-key", "AWS secret access keys next to their key name";
    PrivateKey => "private-key", "PEM and OpenSSH private key blocks, also inside JSON (GCP service accounts)";
    GcpApiKey => "gcp-api-key", "Google Cloud and Firebase API keys (AIza…)";
    AzureStorageKey => "azure-storage-key", "Azure storage connection-string AccountKey values";
    AzureSasToken => "azure-sas-token", "Azure SAS signatures (sig=…) in URLs";
    GithubToken => "github-token", "GitHub classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained (github_pat_) tokens";
    GatehouseToken => "gatehouse-token", "Gatehouse API tokens (gat_…), so a token pasted into a note never lands in a runbook";
    GitlabToken => "gitlab-token", "GitLab personal, project and runner tokens (glpat-, glrt-, gldt-)";
    SlackToken => "slack-token", "Slack bot, user and app tokens (xoxb-, xoxp-, xapp-…)";
    SlackWebhook => "slack-webhook", "Slack incoming webhook URLs";
    StripeKey => "stripe-key", "Stripe secret and restricted keys (sk_live_, rk_live_, sk_test_…)";
    SendgridKey => "sendgrid-key", "SendGrid API keys (SG.…)";
    TwilioKey => "twilio-key", "Twilio API key SIDs (SK + 32 hex), and auth tokens written next to an account SID";
    VendorToken => "vendor-token", "API tokens with a published prefix (OpenAI, Anthropic, Hugging Face, Heroku, SonarQube, Shopify, Doppler, Linear, Postman, Databricks, DigitalOcean, Grafana, New Relic, Pulumi, Terraform Cloud, Sentry, Docker Hub, Atlassian, Telegram, Square, Dynatrace, Notion, age keys, k3s join tokens…) and Discord and Teams webhook URLs";
    NpmToken => "npm-token", "npm access tokens (npm_…)";
    PypiToken => "pypi-token", "PyPI upload tokens (pypi-…)";
    DockerAuth => "docker-auth", "Docker registry auths in config.json";
    VaultToken => "vault-token", "HashiCorp Vault tokens (hvs., hvb., hvr.)";
    DatadogKey => "datadog-key", "Datadog API and application keys next to their key name";
    Jwt => "jwt", "JSON Web Tokens";
    BearerToken => "bearer-token", "Bearer tokens in Authorization headers and curl commands";
    BasicAuth => "basic-auth", "HTTP Basic credentials (base64 of user:password) in Authorization headers";
    KubernetesSecret => "kubernetes-secret", "values under data: and stringData: of Kubernetes Secret manifests (YAML and JSON)";
    UrlCredentials => "url-credentials", "passwords in URLs (scheme://user:password@host)";
    ConnectionString => "connection-string", "passwords in database and broker connection strings";
    GenericSecret => "generic-secret", "values of keys named like password, secret, token or api_key (env, YAML, JSON, INI, flags)";
    HighEntropySecret => "high-entropy-secret", "random-looking values (Shannon entropy) of keys named like key, auth, signature, session, salt or cookie, and in Cookie headers";
    Email => "email", "email addresses (documentation domains such as example.com are left alone)";
    Phone => "phone", "international phone numbers (+ and country code)";
    PaymentCard => "payment-card", "payment card numbers that pass the Luhn check";
    Iban => "iban", "IBANs that pass the ISO 13616 checksum";
    NationalId => "national-id", "national identity numbers that pass their checks: US SSN, UK National Insurance, Canadian SIN, Indian Aadhaar, Spanish DNI/NIE, French NIR";
    PrivateIp => "private-ip", "private IPv4 (10/8, 172.16/12, 192.168/16, 100.64/10) and IPv6 (fc00::/7, fe80::/10) addresses, and configured CIDRs";
    InternalHostname => "internal-hostname", "host names under internal domains (.internal, .corp, .local, .svc.cluster.local and configured ones)";
    InternalUrl => "internal-url", "URLs whose host is internal";
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
