//! API token scopes: what a token may be used for, on top of what its owner may do.

use std::fmt;

/// A token scope, written `area:verb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    RunbooksRead,
    NotesWrite,
    RequestsWrite,
    AuditRead,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::RunbooksRead,
        Scope::NotesWrite,
        Scope::RequestsWrite,
        Scope::AuditRead,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scope::RunbooksRead => "runbooks:read",
            Scope::NotesWrite => "notes:write",
            Scope::RequestsWrite => "requests:write",
            Scope::AuditRead => "audit:read",
        }
    }

    /// What the scope allows, for the token form.
    pub fn description(self) -> &'static str {
        match self {
            Scope::RunbooksRead => "search and read runbooks",
            Scope::NotesWrite => "submit deployment notes",
            Scope::RequestsWrite => "create template and sandbox requests",
            Scope::AuditRead => "read and export the audit log (auditors only)",
        }
    }

    /// Parses a comma-separated list; the error names the bad entry and the known scopes.
    pub fn parse_list(text: &str) -> Result<Vec<Scope>, String> {
        let mut scopes = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let scope = Scope::ALL
                .into_iter()
                .find(|s| s.name() == part)
                .ok_or_else(|| {
                    let known: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
                    format!("unknown scope `{part}`; known scopes: {}", known.join(", "))
                })?;
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        if scopes.is_empty() {
            return Err("give at least one scope, like runbooks:read".into());
        }
        scopes.sort();
        Ok(scopes)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_lists_parse_and_bad_ones_say_what_is_known() {
        assert_eq!(
            Scope::parse_list("runbooks:read, audit:read,runbooks:read").unwrap(),
            [Scope::RunbooksRead, Scope::AuditRead]
        );
        let err = Scope::parse_list("runbooks:write").unwrap_err();
        assert!(
            err.contains("runbooks:write") && err.contains("notes:write"),
            "{err}"
        );
        assert!(Scope::parse_list(" , ").is_err());
    }
}
