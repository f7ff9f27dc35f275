//! Request budgets per client address: one for signing in, one for the API and server
//! functions. Kept apart from the middleware that applies them, so the application state
//! can hold them without depending on the routes.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::settings::{ConfigError, Settings};

/// Requests allowed per minute and client address, per area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub signin_per_minute: u32,
    pub api_per_minute: u32,
}

impl RateLimits {
    pub fn read(s: &mut Settings) -> Result<Self, ConfigError> {
        Ok(Self {
            signin_per_minute: s.number("rate_limit_signin_per_minute", 30, 1..=100_000)? as u32,
            api_per_minute: s.number("rate_limit_api_per_minute", 600, 1..=1_000_000)? as u32,
        })
    }
}

/// Keys kept before idle ones are dropped.
const MAX_KEYS: usize = 50_000;

/// Which budget a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    SignIn,
    Api,
}

pub struct Limiters {
    signin: DefaultKeyedRateLimiter<IpAddr>,
    api: DefaultKeyedRateLimiter<IpAddr>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl Limiters {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            signin: DefaultKeyedRateLimiter::keyed(per_minute(limits.signin_per_minute)),
            api: DefaultKeyedRateLimiter::keyed(per_minute(limits.api_per_minute)),
        }
    }

    /// Spends one request of `budget` for `ip`, or says how long until one is left.
    /// By address even for API tokens: a token's id is public, so keying by it would let
    /// anyone drain a victim's budget, and made-up ids would each get a fresh one.
    pub fn check(&self, budget: Budget, ip: IpAddr) -> Result<(), Duration> {
        let limiter = match budget {
            Budget::SignIn => &self.signin,
            Budget::Api => &self.api,
        };
        if limiter.len() > MAX_KEYS {
            limiter.retain_recent();
        }
        limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}
