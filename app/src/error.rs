//! The one error type server functions return, and how it crosses the wire.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What can go wrong in a portal call, as the browser may learn it. Internal causes are
/// logged on the server and never sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortalError {
    /// No session: sign in first.
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// Signed in, but this needs a role the caller does not have.
    #[error("You do not have access to this. Ask an administrator if you need it.")]
    Forbidden,
    /// The thing does not exist, or the caller may not know that it does.
    #[error("Not found.")]
    NotFound,
    /// The input was wrong; the text says what and how to fix it.
    #[error("{0}")]
    BadRequest(String),
    /// The caller may use this, but not in this case; the text says why.
    #[error("{0}")]
    Refused(String),
    /// The thing changed since the caller looked; the text says what to do.
    #[error("{0}")]
    Conflict(String),
    /// Something failed on the server; details are in its log under this request.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The call did not reach the server or its answer could not be read.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl FromServerFnError for PortalError {
    type Encoder = JsonEncoding;

    /// On the server this runs when a call's arguments cannot be read, before the function
    /// body: the response gets the error's own status (400, not the default 500), and the
    /// decoder's message is cut so a hostile body is not echoed back whole.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let err = match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                PortalError::BadRequest(format!("Invalid request: {}", cut(&msg, 200)))
            }
            ServerFnErrorErr::ServerError(_) | ServerFnErrorErr::MiddlewareError(_) => {
                PortalError::Internal
            }
            other => PortalError::Transport(cut(&other.to_string(), 200).to_string()),
        };
        #[cfg(feature = "ssr")]
        crate::api::context::set_status_for(&err);
        err
    }
}

/// At most `max` bytes of `text`, on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
