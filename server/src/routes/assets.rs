//! The stylesheet, compiled into the binary so the portal looks right without any build step.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

pub const CSS: &str = include_str!("../../../style/main.css");

/// The stylesheet URL, versioned by content so it can be cached for a year.
pub fn stylesheet_href() -> String {
    let hash = crate::hashing::sha256_hex(CSS.as_bytes());
    format!("/assets/gatehouse.css?v={}", &hash[..12])
}

pub fn router() -> Router<AppState> {
    Router::new().route("/assets/gatehouse.css", get(css))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
}
