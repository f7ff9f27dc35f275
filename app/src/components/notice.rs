//! Message boxes for errors and empty states.

use leptos::prelude::*;

use crate::error::PortalError;

/// Shows a portal error the way a user can act on it.
#[component]
pub fn ErrorNotice(error: PortalError) -> impl IntoView {
    let (title, body, signin) = match &error {
        PortalError::Unauthenticated => ("Sign-in needed", error.to_string(), true),
        PortalError::Forbidden => ("No access", error.to_string(), false),
        PortalError::NotFound => (
            "Not found",
            "There is nothing here, or you may not see it.".to_string(),
            false,
        ),
        PortalError::BadRequest(msg) => ("Please check your input", msg.clone(), false),
        PortalError::Refused(msg) => ("Not in this case", msg.clone(), false),
        PortalError::Conflict(msg) => ("Changed in the meantime", msg.clone(), false),
        PortalError::Internal | PortalError::Transport(_) => {
            ("Something went wrong", error.to_string(), false)
        }
    };
    view! {
        <div class="notice error" role="alert">
            <strong>{title}</strong>
            <p>{body}</p>
            {signin.then(|| view! { <p><a class="btn" href="/signin">"Sign in"</a></p> })}
        </div>
    }
}

/// A centered empty state with a heading and a hint.
#[component]
pub fn Empty(title: String, hint: String) -> impl IntoView {
    view! {
        <div class="empty">
            <h2>{title}</h2>
            <p>{hint}</p>
        </div>
    }
}
