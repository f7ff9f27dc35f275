//! The HTTP error type: every handler's failure becomes one of these, and this is the one
//! place that turns errors into responses. 5xx bodies say nothing internal; the cause is
//! logged.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 401: no valid session or token.
    #[error("sign in first: this needs an authenticated session")]
    Unauthenticated,
    /// 401: an API token that is malformed, unknown, expired or revoked.
    #[error("invalid API token: {0}")]
    InvalidToken(&'static str),
    /// 403: signed in, but the role or token scope does not allow this.
    #[error("forbidden: your role or token scope does not allow this")]
    Forbidden,
    /// 429: too many requests from this client; `retry_after` seconds until the next is allowed.
    #[error("too many requests: slow down and retry in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    /// 403: a state-changing request sent by a page of another site (CSRF).
    #[error("refused: this request came from another site; open Gatehouse and submit it there")]
    CrossSite,
    /// 421: the `Host` names neither this portal's public URL nor loopback (DNS rebinding).
    #[error(
        "misdirected request: this server answers to {0} and to loopback names only; use that address (GATEHOUSE_PUBLIC_URL sets it)"
    )]
    MisdirectedHost(String),
    /// 404: missing, or hidden from this caller (never 403 for hidden things).
    #[error("not found")]
    NotFound,
    /// 400: the input was wrong; the message says how to fix it.
    #[error("{0}")]
    BadRequest(String),
    /// 403: allowed in general, not in this case (accepting one's own draft).
    #[error("{0}")]
    Refused(String),
    /// 409: conflicts with what is stored (a reused idempotency key, a changed runbook).
    #[error("{0}")]
    Conflict(String),
    /// 413: the request is larger than allowed; the message gives the limit.
    #[error("{0}")]
    TooLarge(String),
    /// 503: a dependency is not ready.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            AppError::CrossSite | AppError::Forbidden | AppError::Refused(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MisdirectedHost(_) => StatusCode::MISDIRECTED_REQUEST,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidToken(_) => "invalid_token",
            AppError::CrossSite => "cross_site",
            AppError::Forbidden => "forbidden",
            AppError::Refused(_) => "refused",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::NotFound => "not_found",
            AppError::MisdirectedHost(_) => "misdirected_host",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::TooLarge(_) => "too_large",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let message = match &self {
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "request failed");
                "internal error; the server log has the details".to_string()
            }
            other => other.to_string(),
        };
        let mut response = (
            self.status(),
            Json(json!({ "error": { "code": self.code(), "message": message } })),
        )
            .into_response();
        if let AppError::TooManyRequests { retry_after } = self {
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(retry_after),
            );
        }
        response
    }
}

impl From<app::error::PortalError> for AppError {
    fn from(err: app::error::PortalError) -> Self {
        use app::error::PortalError as P;
        match err {
            P::Unauthenticated => AppError::Unauthenticated,
            P::Forbidden => AppError::Forbidden,
            P::NotFound => AppError::NotFound,
            P::BadRequest(m) => AppError::BadRequest(m),
            P::Refused(m) => AppError::Refused(m),
            P::Conflict(m) => AppError::Conflict(m),
            P::Internal | P::Transport(_) => {
                AppError::Internal(anyhow::anyhow!("portal call failed"))
            }
        }
    }
}

impl From<crate::deployments::IntakeError> for AppError {
    fn from(err: crate::deployments::IntakeError) -> Self {
        use crate::deployments::IntakeError as E;
        match err {
            E::KeyReused(_) => AppError::Conflict(err.to_string()),
            E::Invalid(_) => AppError::BadRequest(err.to_string()),
            E::Database(e) => AppError::Internal(e.into()),
        }
    }
}

impl From<crate::access::Denied> for AppError {
    fn from(d: crate::access::Denied) -> Self {
        match d {
            crate::access::Denied::Unauthenticated => AppError::Unauthenticated,
            crate::access::Denied::Forbidden => AppError::Forbidden,
        }
    }
}
