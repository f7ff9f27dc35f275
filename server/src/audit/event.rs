//! What an audit event says: who did what to which thing, how it ended, and from where.

use serde_json::Value;

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Tried and failed (a bad sign-in, an invalid token).
    Failure,
    /// Refused by authorization.
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// Where a request came from, set once per request by the HTTP layer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub request_id: String,
    pub source: String,
}

impl Origin {
    /// For events from the command line.
    pub fn cli() -> Self {
        Self {
            request_id: "-".into(),
            source: "cli".into(),
        }
    }
}

/// One event to append. Build with [`Event::new`] and the setters; never put a secret in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub actor: String,
    pub auth_method: String,
    pub action: String,
    pub target: String,
    pub outcome: Outcome,
    pub origin: Origin,
    pub details: Value,
}

/// Whoever acts, as the audit log names them. Identities implement it where they are defined,
/// so the log depends on no sign-in code.
pub trait Actor {
    fn subject(&self) -> &str;
    fn auth_method(&self) -> &str;
}

impl Event {
    /// An event by `who` (`anonymous` when nobody is signed in).
    pub fn new<A: Actor + ?Sized>(
        who: Option<&A>,
        action: &str,
        target: impl Into<String>,
    ) -> Self {
        Self {
            actor: who.map_or_else(|| "anonymous".into(), |w| w.subject().to_string()),
            auth_method: who.map_or_else(|| "none".into(), |w| w.auth_method().to_string()),
            action: action.into(),
            target: target.into(),
            outcome: Outcome::Success,
            origin: Origin::default(),
            details: Value::Null,
        }
    }

    /// An event by someone not (yet) signed in, named by what they claimed.
    pub fn by_name(
        actor: &str,
        auth_method: &str,
        action: &str,
        target: impl Into<String>,
    ) -> Self {
        Self {
            actor: actor.into(),
            auth_method: auth_method.into(),
            action: action.into(),
            target: target.into(),
            outcome: Outcome::Success,
            origin: Origin::default(),
            details: Value::Null,
        }
    }

    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn origin(mut self, origin: &Origin) -> Self {
        self.origin = origin.clone();
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}
