//! Rate limits per client address: one budget for sign-in routes, one for the API and
//! server functions. Over the limit, a request gets 429 with `Retry-After`.

use std::net::IpAddr;
use std::num::NonZeroU32;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::config::RateLimits;
use crate::error::AppError;
use crate::routes::caller::origin_of;
use crate::state::AppState;

/// Keys kept before idle ones are dropped.
const MAX_KEYS: usize = 50_000;

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
}

/// Which limit a path falls under.
fn area(path: &str) -> Option<bool> {
    if path.starts_with("/auth/") {
        Some(true)
    } else if path.starts_with("/api/") || path.starts_with("/rpc/") {
        Some(false)
    } else {
        None
    }
}

pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(signin) = area(request.uri().path()) else {
        return next.run(request).await;
    };
    let ip: IpAddr = origin_of(&request, state.config.trust_forwarded_for)
        .source
        .parse()
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let limiters = &state.limiters;
    let verdict = if signin {
        if limiters.signin.len() > MAX_KEYS {
            limiters.signin.retain_recent();
        }
        limiters.signin.check_key(&ip)
    } else {
        // By address, even with a token: a token's id is public, so keying by it would let
        // anyone drain a victim's budget, and made-up ids would each get a fresh one.
        if limiters.api.len() > MAX_KEYS {
            limiters.api.retain_recent();
        }
        limiters.api.check_key(&ip)
    };
    match verdict {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let retry_after = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            tracing::warn!(path = %request.uri().path(), %ip, retry_after, "rate limited");
            AppError::TooManyRequests {
                retry_after: retry_after.max(1),
            }
            .into_response()
        }
    }
}
