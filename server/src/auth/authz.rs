//! Authorization in one place: `can(identity, action)`, deny by default.
//!
//! Per-runbook access (restricted runbooks and their groups) is decided by
//! [`Runbook::readable_by`](crate::runbooks::catalog::Runbook::readable_by), which every
//! search and page read goes through.

use super::Identity;

/// Things a caller may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Search and read runbooks (each runbook's own visibility still applies).
    ReadRunbooks,
    /// See index status and the files that failed to load.
    ViewIndexStatus,
}

/// Whether `who` may do `action`. Anonymous callers may do nothing here.
pub fn can(who: Option<&Identity>, action: Action) -> bool {
    match (who, action) {
        (None, _) => false,
        (Some(_), Action::ReadRunbooks | Action::ViewIndexStatus) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_callers_are_denied_everything() {
        assert!(!can(None, Action::ReadRunbooks));
        assert!(!can(None, Action::ViewIndexStatus));
    }
}
