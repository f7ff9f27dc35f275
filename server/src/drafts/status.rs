//! Where a runbook draft stands. Also the stored column's type: a row with a status this code
//! does not know is an error when it is read, never a silent default.

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum DraftStatus {
    /// Waiting for an owner of the runbook.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Written to the runbook file.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl DraftStatus {
    /// The word stored and shown in the JSON API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }
}

impl std::fmt::Display for DraftStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn the_stored_words_are_the_api_words() {
        for status in DraftStatus::iter() {
            assert_eq!(status.to_value(), status.as_str());
            assert_eq!(
                DraftStatus::try_from_value(&status.to_value()).ok(),
                Some(status)
            );
        }
        assert!(DraftStatus::try_from_value(&"acepted".to_string()).is_err());
    }
}
