//! The requests section of the configuration: how long a request may wait for approval,
//! and the sandbox quotas per person and per team.

use chrono::Duration;

use crate::settings::{ConfigError, Settings};

/// Time limits and sandbox quotas.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A pending request expires after this.
    pub pending_ttl: Duration,
    /// Active sandboxes (and their size units) one person may hold.
    pub user_active: u32,
    pub user_units: u32,
    /// The same for a team (the requester's first `team-*` group).
    pub team_active: u32,
    pub team_units: u32,
}

impl Limits {
    pub fn read(s: &mut Settings) -> Result<Self, ConfigError> {
        Ok(Self {
            pending_ttl: Duration::hours(s.number("request_pending_hours", 168, 1..=24 * 90)?),
            user_active: s.number("sandbox_quota_user", 3, 0..=1000)? as u32,
            user_units: s.number("sandbox_quota_user_units", 8, 0..=100_000)? as u32,
            team_active: s.number("sandbox_quota_team", 10, 0..=10_000)? as u32,
            team_units: s.number("sandbox_quota_team_units", 24, 0..=1_000_000)? as u32,
        })
    }
}

impl Default for Limits {
    /// What an empty configuration gives.
    fn default() -> Self {
        Self::read(&mut Settings::empty()).expect("the defaults are valid")
    }
}
