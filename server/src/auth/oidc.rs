//! Single sign-on with OpenID Connect: discovery, the authorization code flow with PKCE,
//! state and nonce, and ID token verification (signature, issuer, audience, expiry, nonce),
//! all by the openidconnect crate.
//!
//! The provider is discovered lazily and rediscovered after a failure (at most every
//! [`RETRY_AFTER`]), so an unreachable provider makes sign-in fail with a clear message
//! while everyone already signed in keeps working.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::reqwest;
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndSessionUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use url::Url;

use super::settings::OidcConfig;
use crate::runbooks::names::GroupName;

/// After a failed discovery, wait this long before asking the provider again.
const RETRY_AFTER: Duration = Duration::from_secs(10);
/// A sign-in must come back from the provider within this time.
pub const LOGIN_TTL_SECS: i64 = 600;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why single sign-on failed. The texts are shown to the person signing in.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error(
        "the identity provider cannot be reached or is misconfigured ({0}); people already signed in are not affected, try again in a minute"
    )]
    Unavailable(String),
    #[error("this sign-in was not started here or has expired (state mismatch); start again")]
    StateMismatch,
    #[error("the identity provider refused the sign-in: {0}")]
    Refused(String),
    #[error("the identity provider's answer could not be verified ({0}); start again")]
    Invalid(String),
}

/// A sign-in in progress, kept in a short-lived cookie between the redirect to the provider
/// and its return. The state ties the callback to this browser.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingLogin {
    pub state: String,
    nonce: String,
    verifier: String,
    pub next: String,
    started: i64,
}

impl PendingLogin {
    pub fn encode(&self) -> String {
        B64URL.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Option<Self> {
        serde_json::from_slice(&B64URL.decode(text).ok()?).ok()
    }
}

/// Who the provider says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub subject: String,
    pub name: String,
    pub groups: Vec<GroupName>,
}

struct Provider {
    client: Client,
    end_session: Option<EndSessionUrl>,
}

pub struct Oidc {
    config: OidcConfig,
    redirect: RedirectUrl,
    post_logout: Url,
    http: reqwest::Client,
    provider: tokio::sync::Mutex<(Option<Arc<Provider>>, Option<Instant>)>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.config.issuer)
            .finish()
    }
}

impl Oidc {
    /// `public_url` is where the portal is reached; the provider must allow
    /// `<public_url>/auth/callback` as a redirect URI and `<public_url>/signin?signed_out=1`
    /// after logout.
    pub fn new(config: OidcConfig, public_url: &Url) -> anyhow::Result<Self> {
        let redirect = RedirectUrl::from_url(public_url.join("auth/callback")?);
        let post_logout = public_url.join("signin?signed_out=1")?;
        let http = reqwest::Client::builder()
            // Following redirects here would open the door to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            config,
            redirect,
            post_logout,
            http,
            provider: tokio::sync::Mutex::new((None, None)),
        })
    }

    async fn provider(&self) -> Result<Arc<Provider>, OidcError> {
        let mut slot = self.provider.lock().await;
        if let Some(p) = &slot.0 {
            return Ok(p.clone());
        }
        if let Some(at) = slot.1
            && at.elapsed() < RETRY_AFTER
        {
            return Err(OidcError::Unavailable(
                "the last attempt failed moments ago".into(),
            ));
        }
        slot.1 = Some(Instant::now());
        let provider = self.discover().await.inspect_err(|err| {
            tracing::error!(issuer = %self.config.issuer, error = %err, "single sign-on: provider discovery failed");
        })?;
        let provider = Arc::new(provider);
        slot.0 = Some(provider.clone());
        tracing::info!(issuer = %self.config.issuer, "single sign-on: provider discovered");
        Ok(provider)
    }

    /// Drops the discovered metadata (for example after the provider rotated its keys).
    async fn forget_provider(&self) {
        self.provider.lock().await.0 = None;
    }

    async fn discover(&self) -> Result<Provider, OidcError> {
        let issuer = IssuerUrl::new(self.config.issuer.clone())
            .map_err(|e| OidcError::Unavailable(format!("issuer URL: {e}")))?;
        let meta = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Unavailable(error_chain(&e)))?;
        let end_session = meta.additional_metadata().end_session_endpoint.clone();
        let client = CoreClient::from_provider_metadata(
            meta,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(
                self.config.client_secret.expose_secret().to_string(),
            )),
        )
        .set_redirect_uri(self.redirect.clone());
        Ok(Provider {
            client,
            end_session,
        })
    }

    /// Where to send the browser to sign in, and what to remember until it returns.
    pub async fn start(&self, next: &str) -> Result<(Url, PendingLogin), OidcError> {
        let provider = self.provider().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = provider.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &self.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok((
            url,
            PendingLogin {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                next: next.to_string(),
                started: chrono::Utc::now().timestamp(),
            },
        ))
    }

    /// Completes a sign-in: checks the state, redeems the code with the PKCE verifier, and
    /// verifies the ID token with the nonce.
    pub async fn finish(
        &self,
        pending: &PendingLogin,
        code: &str,
        state: &str,
    ) -> Result<SignedIn, OidcError> {
        if !crate::hashing::constant_time_eq(pending.state.as_bytes(), state.as_bytes())
            || chrono::Utc::now()
                .timestamp()
                .saturating_sub(pending.started)
                > LOGIN_TTL_SECS
        {
            return Err(OidcError::StateMismatch);
        }
        let provider = self.provider().await?;
        let token = provider
            .client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Unavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Refused(error_chain(&e)))?;
        let id_token = token
            .id_token()
            .ok_or_else(|| OidcError::Invalid("no ID token in the token response".into()))?;
        let verifier = provider.client.id_token_verifier();
        let claims = match id_token.claims(&verifier, &Nonce::new(pending.nonce.clone())) {
            Ok(c) => c,
            Err(err) => {
                self.forget_provider().await;
                return Err(OidcError::Invalid(error_chain(&err)));
            }
        };
        let subject = claims.subject().to_string();
        // The signature over these bytes was just verified; read the claims the crate
        // does not model (the configurable groups claim) from the same payload.
        let payload = jwt_payload(&id_token.to_string()).unwrap_or_default();
        let mut groups_value = payload.get(&self.config.groups_claim).cloned();
        let mut name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string())
            .or_else(|| claims.preferred_username().map(|u| u.to_string()))
            .or_else(|| claims.email().map(|e| e.to_string()));
        if groups_value.is_none()
            && let Some(userinfo) = self
                .userinfo(&provider, token.access_token().secret(), &subject)
                .await
        {
            groups_value = userinfo.get(&self.config.groups_claim).cloned();
            if name.is_none() {
                name = userinfo
                    .get("name")
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
            }
        }
        Ok(SignedIn {
            // Names are for display; a provider's 10 kB "name" must not break sign-in.
            name: name
                .unwrap_or_else(|| subject.clone())
                .chars()
                .take(200)
                .collect(),
            groups: parse_groups(groups_value.as_ref(), &self.config.groups_claim),
            subject,
        })
    }

    /// The userinfo claims, when the ID token lacks the groups (some providers put them only
    /// there). The subject must match the ID token's.
    async fn userinfo(
        &self,
        provider: &Provider,
        access_token: &str,
        subject: &str,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        let url = provider.client.user_info_url()?.url().clone();
        let response = self
            .http
            .get(url)
            .bearer_auth(access_token)
            .send()
            .await
            .ok()?;
        let body: serde_json::Map<String, serde_json::Value> = response.json().await.ok()?;
        (body.get("sub").and_then(|s| s.as_str()) == Some(subject)).then_some(body)
    }

    /// Where to send the browser to sign out at the provider too, if it offers that.
    pub async fn logout_url(&self) -> Option<Url> {
        let provider = self.provider().await.ok()?;
        let endpoint = provider.end_session.clone()?;
        Some(
            LogoutRequest::from(endpoint)
                .set_client_id(ClientId::new(self.config.client_id.clone()))
                .set_post_logout_redirect_uri(PostLogoutRedirectUrl::from_url(
                    self.post_logout.clone(),
                ))
                .http_get_url(),
        )
    }
}

/// The JSON payload of a compact JWS.
fn jwt_payload(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&B64URL.decode(payload).ok()?).ok()
}

/// Group names from the groups claim: a list of strings (or one string). Keycloak-style
/// paths (`/payments-oncall`) lose the slash; names that are not valid group names are
/// dropped with a warning.
pub fn parse_groups(value: Option<&serde_json::Value>, claim: &str) -> Vec<GroupName> {
    let names: Vec<&str> = match value {
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|v| v.as_str()).collect(),
        Some(serde_json::Value::String(s)) => s.split([',', ' ']).collect(),
        _ => Vec::new(),
    };
    let mut groups = Vec::new();
    for name in names {
        let cleaned = name.trim().trim_start_matches('/').to_lowercase();
        if cleaned.is_empty() {
            continue;
        }
        match GroupName::parse(&cleaned) {
            Ok(g) if !groups.contains(&g) => groups.push(g),
            Ok(_) => {}
            Err(err) => {
                tracing::warn!(claim, group = %cleaned, error = %err, "single sign-on: ignored a group");
            }
        }
    }
    groups
}

/// An error and its causes on one line.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_from_lists_strings_and_paths() {
        let v = serde_json::json!(["/Payments-Oncall", "developers", "bad group!", "developers"]);
        let names: Vec<String> = parse_groups(Some(&v), "groups")
            .iter()
            .map(|g| g.to_string())
            .collect();
        assert_eq!(names, ["payments-oncall", "developers"]);
        let one = serde_json::json!("sre");
        assert_eq!(parse_groups(Some(&one), "groups").len(), 1);
        assert!(parse_groups(None, "groups").is_empty());
    }

    #[test]
    fn pending_logins_round_trip_and_garbage_is_refused() {
        let p = PendingLogin {
            state: "s".into(),
            nonce: "n".into(),
            verifier: "v".into(),
            next: "/runbooks/x".into(),
            started: 1,
        };
        assert_eq!(PendingLogin::decode(&p.encode()), Some(p));
        assert_eq!(PendingLogin::decode("not-a-login"), None);
    }

    #[tokio::test]
    async fn an_unreachable_provider_is_a_clear_error_not_a_panic() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let oidc = Oidc::new(
            OidcConfig {
                issuer: format!("http://127.0.0.1:{port}"),
                client_id: "c".into(),
                client_secret: "s".to_string().into(),
                scopes: vec![],
                groups_claim: "groups".into(),
            },
            &Url::parse("http://127.0.0.1:3000/").unwrap(),
        )
        .unwrap();
        let err = oidc.start("/").await.unwrap_err();
        assert!(matches!(err, OidcError::Unavailable(_)), "{err}");
        assert!(err.to_string().contains("cannot be reached"), "{err}");
        // A second attempt right away does not hammer the provider.
        let again = oidc.start("/").await.unwrap_err().to_string();
        assert!(again.contains("moments ago"), "{again}");
    }
}
