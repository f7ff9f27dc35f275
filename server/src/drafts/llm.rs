//! The optional drafter: any OpenAI-compatible chat-completions endpoint. It sees sanitized
//! text only (the runbook, the sanitized notes and the deterministic proposal), and what it
//! returns is sanitized again and checked — a runbook that parses, about the same service,
//! keeping every existing section. Anything else, or an error or a timeout, falls back to
//! the deterministic proposal, and the draft says why.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use super::edit;
use crate::runbooks::catalog::Runbook;
use crate::runbooks::names::RunbookStem;
use crate::sanitizer::Sanitizer;
use crate::settings::{ConfigError, Settings, invalid};

/// Recorded as the drafter of drafts it wrote.
pub const NAME: &str = "openai-compatible";

/// Where and how to reach the model.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The API base, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended.
    pub url: Url,
    pub model: String,
    pub api_key: Option<SecretString>,
    /// The whole exchange, answer included, must finish within this.
    pub timeout: Duration,
    /// Whether restricted runbooks may be sent to the model (off unless configured).
    pub send_restricted: bool,
}

impl LlmConfig {
    /// The drafter's section: a URL turns it on, and then a model is required. The key
    /// comes only from the environment.
    pub fn read(s: &mut Settings) -> Result<Option<Self>, ConfigError> {
        let url = s.text("drafter_url")?;
        let model = s.text("drafter_model")?;
        let api_key = s.secret(
            "drafter_api_key",
            "holds the drafter's API key",
            "Remove it and set GATEHOUSE_DRAFTER_API_KEY",
        )?;
        let seconds = s.number("drafter_timeout_seconds", 30, 1..=600)?;
        let send_restricted = s.flag("drafter_send_restricted")?;
        let Some(url) = url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()) else {
            if model.is_some() || api_key.is_some() {
                return Err(invalid(
                    "GATEHOUSE_DRAFTER_URL",
                    "a drafter model or key is set without a URL; set the chat-completions base URL, like https://api.openai.com/v1",
                ));
            }
            return Ok(None);
        };
        let parsed = Url::parse(&url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            invalid(
                "GATEHOUSE_DRAFTER_URL",
                "use the http(s) base URL of an OpenAI-compatible API, like https://api.openai.com/v1",
            )
        })?;
        let model = model
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty())
            .ok_or_else(|| {
                invalid(
                    "GATEHOUSE_DRAFTER_MODEL",
                    "required with GATEHOUSE_DRAFTER_URL: the model name, like gpt-4o-mini",
                )
            })?;
        Ok(Some(Self {
            url: parsed,
            model,
            api_key: api_key
                .filter(|k| !k.trim().is_empty())
                .map(|k| SecretString::from(k.trim().to_string())),
            timeout: Duration::from_secs(seconds as u64),
            send_restricted,
        }))
    }
}

/// The largest answer read from the model: well above any runbook, far below what could hurt.
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the model endpoint did not answer in time")]
    Timeout,
    #[error("the model endpoint failed: {0}")]
    Http(String),
    #[error("the model's answer was unusable: {0}")]
    Unusable(String),
    #[error("{0}")]
    Withheld(&'static str),
}

const SYSTEM: &str = "You maintain on-call runbooks. You get a runbook file (YAML front matter, then Markdown), \
deployment notes, and a mechanical proposal of how the runbook should change. Return the complete updated runbook \
file and nothing else: same front matter keys, every existing heading kept, the facts from the notes placed where an \
on-call engineer will look for them. Never invent commands, hosts or values that are not in the input. Text such as \
[REDACTED:...] must stay as it is.";

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}
#[derive(Deserialize)]
struct Choice {
    message: Message,
}
#[derive(Deserialize)]
struct Message {
    content: Option<String>,
}

pub struct LlmDrafter {
    config: LlmConfig,
    client: reqwest::Client,
}

/// The answer without a Markdown code fence around it.
fn unfenced(text: &str) -> &str {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("```") else {
        return t;
    };
    let rest = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
    rest.strip_suffix("```").unwrap_or(rest).trim()
}

/// Checks a model's runbook against the one it updates.
pub fn validate(
    stem: &str,
    base: Option<&str>,
    proposed: &str,
    service: &str,
) -> Result<(), String> {
    let stem = RunbookStem::parse(stem).map_err(|e| e.to_string())?;
    let rb = Runbook::parse(stem, "draft.md", proposed).map_err(|p| p.reason)?;
    if rb.meta.service.as_ref() != service {
        return Err(format!("it changed the service to `{}`", rb.meta.service));
    }
    if let Some(base) = base {
        let before = crate::runbooks::front_matter::split(base)
            .map_err(|e| format!("the runbook itself does not parse: {e}"))?
            .0;
        let after = &rb.meta;
        if after.title != before.title
            || after.owners != before.owners
            || after.visibility != before.visibility
            || after.tags != before.tags
        {
            return Err("it changed the title, owners, visibility or tags".into());
        }
        if let Some(a) = before.alerts.iter().find(|a| !after.alerts.contains(a)) {
            return Err(format!("it dropped the alert `{a}` from the front matter"));
        }
        let mut kept = edit::headings(proposed);
        for heading in edit::headings(base) {
            match kept.iter().position(|h| *h == heading) {
                Some(i) => {
                    kept.remove(i);
                }
                None => return Err(format!("it dropped the section `{}`", heading.1)),
            }
        }
    }
    Ok(())
}

/// Lines of the runbook that the model saw masked and returned unchanged get their original
/// text back, so accepting a model's draft never replaces real runbook content with
/// placeholders. Lines the model changed keep what the sanitizer left.
fn restore(answer: &str, base: &str, sanitizer: &Sanitizer) -> String {
    let originals: std::collections::HashMap<String, &str> = base
        .lines()
        .filter_map(|line| {
            let masked = sanitizer.sanitize(line).text;
            (masked != line).then_some((masked, line))
        })
        .collect();
    let mut out: String = answer
        .lines()
        .map(|line| originals.get(line).copied().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// The response body, refused as soon as it passes `cap` bytes (announced or streamed).
async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, LlmError> {
    let too_big = || LlmError::Unusable(format!("the answer is larger than {} KB", cap / 1024));
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        if e.is_timeout() {
            LlmError::Timeout
        } else {
            LlmError::Http(e.without_url().to_string())
        }
    })? {
        if body.len() + chunk.len() > cap {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl LlmDrafter {
    pub fn new(config: LlmConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { config, client })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// Why the runbook `base` must not go to the model, if it must not.
    pub fn withheld(&self, base: Option<&str>) -> Option<&'static str> {
        if self.config.send_restricted {
            return None;
        }
        let meta = crate::runbooks::front_matter::split(base?).ok()?.0;
        matches!(
            meta.visibility,
            crate::runbooks::front_matter::Visibility::Restricted(_)
        )
        .then_some(
            "the runbook is restricted, so it was not sent to the model (set GATEHOUSE_DRAFTER_SEND_RESTRICTED=true to allow that)",
        )
    }

    /// Asks the model for the updated runbook; the answer is sanitized and validated.
    pub async fn draft(
        &self,
        sanitizer: &Sanitizer,
        stem: &str,
        service: &str,
        base: Option<&str>,
        notes: &str,
        proposal: &str,
    ) -> Result<String, LlmError> {
        // The inputs are sanitized already; once more costs little and guards every path.
        let clean = |t: &str| sanitizer.sanitize(t).text;
        let user = format!(
            "Runbook file:\n<<<\n{}\n>>>\n\nDeployment notes:\n<<<\n{}\n>>>\n\nMechanical proposal:\n<<<\n{}\n>>>",
            clean(base.unwrap_or("(no runbook yet: write a new one)")),
            clean(notes),
            clean(proposal),
        );
        let body = serde_json::json!({
            "model": self.config.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": user},
            ],
        });
        let url = format!(
            "{}/chat/completions",
            self.config.url.as_str().trim_end_matches('/')
        );
        let mut request = self.client.post(url).json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose_secret());
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                LlmError::Timeout
            } else {
                LlmError::Http(e.without_url().to_string())
            }
        })?;
        if !response.status().is_success() {
            return Err(LlmError::Http(format!("status {}", response.status())));
        }
        let body = read_capped(response, MAX_ANSWER_BYTES).await?;
        let completion: Completion = serde_json::from_slice(&body)
            .map_err(|e| LlmError::Unusable(format!("not a chat completion: {e}")))?;
        let text = completion
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .ok_or_else(|| LlmError::Unusable("no message in the answer".into()))?;
        let text = restore(&clean(unfenced(&text)), base.unwrap_or(""), sanitizer);
        validate(stem, base, &text, service).map_err(LlmError::Unusable)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "---\ntitle: T\nservice: s\nowners: [team-a]\nvisibility: internal\nlast_reviewed: 2026-01-01\n---\n# T\n\n## Symptoms\n\nx\n\n## Rollback\n\ny\n";

    #[test]
    fn a_model_answer_must_keep_every_section_and_the_service() {
        assert!(validate("t", Some(BASE), BASE, "s").is_ok());
        let dropped = BASE.replace("## Rollback\n\ny\n", "");
        assert_eq!(
            validate("t", Some(BASE), &dropped, "s"),
            Err("it dropped the section `Rollback`".into())
        );
        let opened = BASE.replace("owners: [team-a]", "owners: [everyone]");
        assert!(
            validate("t", Some(BASE), &opened, "s")
                .unwrap_err()
                .contains("owners")
        );
        let moved = BASE.replace("service: s", "service: other");
        assert!(
            validate("t", Some(BASE), &moved, "s")
                .unwrap_err()
                .contains("service")
        );
        assert!(validate("t", Some(BASE), "just prose", "s").is_err());
        assert_eq!(unfenced("```markdown\n---\na\n```"), "---\na");
    }

    #[test]
    fn lines_the_model_saw_masked_and_kept_get_their_real_text_back() {
        let sanitizer = Sanitizer::new();
        let base = "Connect to pg-main-1.db.internal first.\nThen wait.\n";
        let masked = sanitizer.sanitize(base).text;
        assert!(masked.contains("[REDACTED:"), "{masked}");
        let answer = format!("{masked}New line.\n");
        assert_eq!(
            restore(&answer, base, &sanitizer),
            "Connect to pg-main-1.db.internal first.\nThen wait.\nNew line.\n"
        );
    }
}
