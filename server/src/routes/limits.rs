//! Rate limits per client address: one budget for sign-in routes, one for the API and
//! server functions. Over the limit, a request gets 429 with `Retry-After`.

use std::net::IpAddr;

use crate::error::AppError;
use crate::rate_limit::Budget;
use crate::routes::caller::origin_of;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Which budget a path spends, if any.
fn budget(path: &str) -> Option<Budget> {
    if path.starts_with("/auth/") {
        Some(Budget::SignIn)
    } else if path.starts_with("/api/") || path.starts_with("/rpc/") {
        Some(Budget::Api)
    } else {
        None
    }
}

pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(budget) = budget(request.uri().path()) else {
        return next.run(request).await;
    };
    let ip: IpAddr = origin_of(&request, state.config.trust_forwarded_for)
        .source
        .parse()
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    match state.limiters.check(budget, ip) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let retry_after = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            tracing::warn!(path = %request.uri().path(), %ip, retry_after, "rate limited");
            AppError::TooManyRequests {
                retry_after: retry_after.max(1),
            }
            .into_response()
        }
    }
}
