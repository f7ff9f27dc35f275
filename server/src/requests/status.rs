//! Where a request stands, and the moves between standings the desk may make.
//!
//! The enum is also the stored column's type: a row with a status this code does not know
//! is an error when it is read, never a silent default.

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum RequestStatus {
    /// Waiting for its approvals, until `pending_until`.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "approved")]
    Approved,
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Withdrawn by the requester.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// Undecided when its time ran out.
    #[sea_orm(string_value = "expired")]
    Expired,
    /// Approved and its bundle signed and handed on.
    #[sea_orm(string_value = "fulfilled")]
    Fulfilled,
}

impl RequestStatus {
    /// The word stored and shown in the JSON API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Fulfilled => "fulfilled",
        }
    }

    /// Whether the desk may move a request from `self` to `to`. Decisions are final: only a
    /// pending request is decided, and only an approved one is fulfilled.
    pub fn may_become(self, to: Self) -> bool {
        use RequestStatus::*;
        matches!(
            (self, to),
            (Pending, Approved | Rejected | Cancelled | Expired) | (Approved, Fulfilled)
        )
    }

    /// Still waiting for a decision.
    pub fn is_pending(self) -> bool {
        self == Self::Pending
    }
}

impl std::fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RequestStatus::*;
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn only_pending_requests_are_decided_and_only_approved_ones_fulfilled() {
        let moves: Vec<(RequestStatus, RequestStatus)> = RequestStatus::iter()
            .flat_map(|from| RequestStatus::iter().map(move |to| (from, to)))
            .filter(|(from, to)| from.may_become(*to))
            .collect();
        assert_eq!(
            moves,
            [
                (Pending, Approved),
                (Pending, Rejected),
                (Pending, Cancelled),
                (Pending, Expired),
                (Approved, Fulfilled),
            ]
        );
    }

    #[test]
    fn the_stored_words_are_the_api_words() {
        for status in RequestStatus::iter() {
            assert_eq!(status.to_value(), status.as_str());
            assert_eq!(
                RequestStatus::try_from_value(&status.to_value()).ok(),
                Some(status)
            );
        }
        assert!(RequestStatus::try_from_value(&"approoved".to_string()).is_err());
    }
}
