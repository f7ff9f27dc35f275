//! API tokens for automation. A token is `gat_<id>_<secret>`: the id is public (shown in
//! lists and the audit log), the whole token is stored only as its SHA-256. A token acts
//! with the groups it was created with, limited further by its scopes, and only while its
//! owner is in good standing: a deactivated owner, or one who has not signed in for the
//! configured period, stops it; at each sign-in it loses groups its owner no longer has.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::Identity;
use super::roles::RoleMap;
use super::scopes::Scope;
use super::users::{self, Standing};
use crate::audit::{AuditLog, Event, Origin};
use crate::entities::api_token;
use crate::runbooks::names::GroupName;

/// The visible start of every token, so scanners (and our sanitizer) can spot leaks.
pub const PREFIX: &str = "gat_";
/// `last_used_at` is written at most this often per token.
const TOUCH_EVERY_SECS: i64 = 60;
/// The longest a token may live.
pub const MAX_TTL_DAYS: i64 = 366;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub owner: String,
    pub owner_name: String,
    pub groups: Vec<GroupName>,
    pub scopes: Vec<Scope>,
    pub ttl: Duration,
    pub created_by: String,
}

/// A token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub scopes: Vec<String>,
    pub groups: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The outcome of presenting a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presented {
    Valid {
        who: Identity,
        /// The token was used for the first time in a while (worth an audit event).
        first_use_in_a_while: bool,
    },
    /// Malformed or unknown: the text says which, for the caller.
    Unknown(&'static str),
    /// A real token that no longer works (worth an audit event): revoked or expired.
    Dead { id: String, reason: &'static str },
}

/// Parses a time to live like `30d`, `12h` or `90m`.
pub fn parse_ttl(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("`{text}` is not a duration like 30d, 12h or 90m");
    let unit = text.chars().last().ok_or_else(bad)?;
    let n: i64 = text[..text.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| bad())?;
    let ttl = match unit {
        'd' => Duration::try_days(n),
        'h' => Duration::try_hours(n),
        'm' => Duration::try_minutes(n),
        _ => return Err(bad()),
    };
    let out_of_range =
        || format!("`{text}` is out of range: a token lives from 1 minute to {MAX_TTL_DAYS} days");
    match ttl {
        Some(ttl) if n > 0 && ttl <= Duration::days(MAX_TTL_DAYS) => Ok(ttl),
        _ => Err(out_of_range()),
    }
}

fn secret_hash(token: &str) -> String {
    crate::hashing::sha256_hex(token.as_bytes())
}

fn json_list<T: AsRef<str>>(items: &[T]) -> String {
    serde_json::to_string(&items.iter().map(|i| i.as_ref()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

#[derive(Clone)]
pub struct TokenStore {
    db: DatabaseConnection,
    roles: Arc<RoleMap>,
    /// Tokens stop when their owner has not signed in for this long.
    owner_inactive: Option<Duration>,
}

/// Why a token of an owner in this standing must not act, if it must not.
fn owner_refusal(
    standing: &Standing,
    token: &api_token::Model,
    owner_inactive: Option<Duration>,
    now: DateTime<Utc>,
) -> Option<&'static str> {
    let last_signin = match standing {
        Standing::Deactivated { .. } => return Some("this token's owner was deactivated"),
        Standing::Active { last_signin_at } => *last_signin_at,
        Standing::Unknown => None,
    };
    // A person who made their own token was signed in when they did; a service owner named
    // by an admin never signs in, and only expiry and revocation limit its tokens.
    let made_by_owner = (token.created_by == token.owner).then_some(token.created_at);
    let last_seen = last_signin.max(made_by_owner)?;
    let limit = owner_inactive?;
    (now - last_seen > limit).then_some(
        "this token's owner has not signed in for longer than the inactivity limit          (GATEHOUSE_TOKEN_OWNER_INACTIVE_DAYS); it works again after they sign in",
    )
}

impl TokenStore {
    pub fn new(
        db: DatabaseConnection,
        roles: Arc<RoleMap>,
        owner_inactive: Option<Duration>,
    ) -> Self {
        Self {
            db,
            roles,
            owner_inactive,
        }
    }

    /// Creates a token inside `conn` (the caller's transaction, with its audit event);
    /// returns its id and the token text, which is shown once and never stored.
    /// Issues a token and records who issued it, in one transaction; returns its id and
    /// the secret (shown once, stored only as a hash). `ttl` is the lifetime as asked for.
    pub async fn issue(
        &self,
        audit: &AuditLog,
        by: &Identity,
        origin: &Origin,
        new: &NewToken,
        ttl: &str,
    ) -> Result<(String, String), DbErr> {
        let txn = crate::db::begin_write(&self.db).await?;
        let (id, token) = self.create(&txn, new).await?;
        let event = Event::new(Some(by), "token.create", format!("token:{id}"))
            .origin(origin)
            .details(serde_json::json!({
                "name": new.name,
                "owner": new.owner,
                "groups": new.groups,
                "scopes": new.scopes.iter().map(|s| s.name()).collect::<Vec<_>>(),
                "ttl": ttl,
            }));
        audit.append(&txn, &event).await?;
        txn.commit().await?;
        Ok((id, token))
    }

    /// Revokes a token and records it, in one transaction; whether it was still live.
    pub async fn withdraw(
        &self,
        audit: &AuditLog,
        by: &Identity,
        origin: &Origin,
        id: &str,
    ) -> Result<bool, DbErr> {
        let txn = crate::db::begin_write(&self.db).await?;
        let revoked = self.revoke(&txn, id).await?;
        if revoked {
            let event = Event::new(Some(by), "token.revoke", format!("token:{id}")).origin(origin);
            audit.append(&txn, &event).await?;
        }
        txn.commit().await?;
        Ok(revoked)
    }

    pub async fn create(
        &self,
        conn: &impl ConnectionTrait,
        new: &NewToken,
    ) -> Result<(String, String), DbErr> {
        let mut id_bytes = [0u8; 6];
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut id_bytes);
        rand::rng().fill_bytes(&mut secret);
        let id = hex::encode(id_bytes);
        let token = format!("{PREFIX}{id}_{}", hex::encode(secret));
        let now = Utc::now();
        api_token::ActiveModel {
            id: Set(id.clone()),
            secret_hash: Set(secret_hash(&token)),
            name: Set(new.name.clone()),
            owner: Set(new.owner.clone()),
            owner_name: Set(new.owner_name.clone()),
            groups: Set(json_list(&new.groups)),
            scopes: Set(json_list(
                &new.scopes.iter().map(|s| s.name()).collect::<Vec<_>>(),
            )),
            created_by: Set(new.created_by.clone()),
            created_at: Set(now),
            expires_at: Set(now + new.ttl),
            last_used_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(conn)
        .await?;
        Ok((id, token))
    }

    /// Checks a presented token and, if valid, the identity it acts as.
    pub async fn present(&self, token: &str) -> Result<Presented, DbErr> {
        let well_formed = token.len() == PREFIX.len() + 12 + 1 + 64
            && token.starts_with(PREFIX)
            && token[PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b'_');
        if !well_formed {
            return Ok(Presented::Unknown(
                "this is not a Gatehouse token (they look like gat_<id>_<secret>)",
            ));
        }
        let Some(row) = api_token::Entity::find()
            .filter(api_token::Column::SecretHash.eq(secret_hash(token)))
            .one(&self.db)
            .await?
        else {
            return Ok(Presented::Unknown("unknown token"));
        };
        let now = Utc::now();
        if row.revoked_at.is_some() {
            return Ok(Presented::Dead {
                id: row.id,
                reason: "this token was revoked",
            });
        }
        if row.expires_at <= now {
            return Ok(Presented::Dead {
                id: row.id,
                reason: "this token has expired",
            });
        }
        let standing = users::standing(&self.db, &row.owner).await?;
        if let Some(reason) = owner_refusal(&standing, &row, self.owner_inactive, now) {
            return Ok(Presented::Dead { id: row.id, reason });
        }
        let stale = row
            .last_used_at
            .is_none_or(|t| (now - t).num_seconds() >= TOUCH_EVERY_SECS);
        if stale {
            let mut active: api_token::ActiveModel = row.clone().into();
            active.last_used_at = Set(Some(now));
            active.update(&self.db).await?;
        }
        let groups: Vec<GroupName> = row
            .groups()?
            .iter()
            .filter_map(|g| GroupName::parse(g).ok())
            .collect();
        let scopes = Scope::parse_list(&row.scopes()?.join(","))
            .map_err(|e| DbErr::Type(format!("the stored scopes of token `{}`: {e}", row.id)))?;
        let roles = self.roles.roles_for(&groups);
        Ok(Presented::Valid {
            who: Identity {
                subject: row.owner,
                name: row.owner_name,
                role_label: roles.label().into(),
                groups,
                roles,
                auth_method: format!("token:{}", row.id),
                scopes: Some(scopes),
            },
            first_use_in_a_while: stale,
        })
    }

    /// Tokens of `owner`, or of everyone when `None`; newest first.
    pub async fn list(&self, owner: Option<&str>) -> Result<Vec<TokenInfo>, DbErr> {
        let mut query = api_token::Entity::find().order_by_desc(api_token::Column::CreatedAt);
        if let Some(owner) = owner {
            query = query.filter(api_token::Column::Owner.eq(owner));
        }
        query
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(TokenInfo {
                    scopes: row.scopes()?,
                    groups: row.groups()?,
                    id: row.id,
                    name: row.name,
                    owner: row.owner,
                    created_at: row.created_at,
                    expires_at: row.expires_at,
                    last_used_at: row.last_used_at,
                    revoked_at: row.revoked_at,
                })
            })
            .collect()
    }

    /// The owner of a token, to decide who may revoke it.
    pub async fn owner_of(&self, id: &str) -> Result<Option<String>, DbErr> {
        Ok(api_token::Entity::find_by_id(id.to_string())
            .one(&self.db)
            .await?
            .map(|row| row.owner))
    }

    /// At each sign-in of `owner`, their tokens lose any group the owner no longer has, so a
    /// token never outlives its owner's access. Returns how many tokens changed.
    pub async fn narrow_groups(
        &self,
        conn: &impl ConnectionTrait,
        owner: &str,
        current: &[GroupName],
    ) -> Result<usize, DbErr> {
        let rows = api_token::Entity::find()
            .filter(api_token::Column::Owner.eq(owner))
            .filter(api_token::Column::RevokedAt.is_null())
            .all(conn)
            .await?;
        let mut changed = 0;
        for row in rows {
            let held = row.groups()?;
            let kept: Vec<&String> = held
                .iter()
                .filter(|g| current.iter().any(|c| c.as_ref() == g.as_str()))
                .collect();
            if kept.len() != held.len() {
                let mut active: api_token::ActiveModel = row.into();
                active.groups = Set(json_list(&kept));
                active.update(conn).await?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// Revokes a token inside `conn`; false if it was unknown or already revoked.
    pub async fn revoke(&self, conn: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
        let res = api_token::Entity::update_many()
            .col_expr(
                api_token::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(api_token::Column::Id.eq(id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(conn)
            .await?;
        Ok(res.rows_affected == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(owner: &str, created_by: &str, created_at: DateTime<Utc>) -> api_token::Model {
        api_token::Model {
            id: "0123456789ab".into(),
            secret_hash: String::new(),
            name: "t".into(),
            owner: owner.into(),
            owner_name: owner.into(),
            groups: "[]".into(),
            scopes: "[]".into(),
            created_by: created_by.into(),
            created_at,
            expires_at: created_at + Duration::days(366),
            last_used_at: None,
            revoked_at: None,
        }
    }

    #[test]
    fn tokens_follow_their_owners_standing() {
        let now = Utc::now();
        let limit = Some(Duration::days(30));
        let long_ago = now - Duration::days(40);
        let recently = now - Duration::days(2);
        let active = |at| Standing::Active {
            last_signin_at: Some(at),
        };
        let own = token("alice", "alice", long_ago);
        assert!(owner_refusal(&active(long_ago), &own, limit, now).is_some());
        assert_eq!(owner_refusal(&active(recently), &own, limit, now), None);
        assert_eq!(
            owner_refusal(&active(long_ago), &own, None, now),
            None,
            "0 days turns the inactivity rule off"
        );
        let gone = Standing::Deactivated {
            at: recently,
            by: "cli".into(),
        };
        assert!(
            owner_refusal(&gone, &own, None, now)
                .unwrap()
                .contains("deactivated")
        );
        // Someone who signed in before sign-ins were recorded: the token's making counts.
        let fresh = token("bob", "bob", recently);
        assert_eq!(owner_refusal(&Standing::Unknown, &fresh, limit, now), None);
        assert!(owner_refusal(&Standing::Unknown, &own, limit, now).is_some());
        // A service owner an admin named: only expiry and revocation apply.
        let service = token("ci-bot", "cli", long_ago);
        assert_eq!(
            owner_refusal(&Standing::Unknown, &service, limit, now),
            None
        );
        assert!(owner_refusal(&gone, &service, limit, now).is_some());
    }

    #[test]
    fn ttls_parse_with_units_and_limits() {
        assert_eq!(parse_ttl("30d").unwrap(), Duration::days(30));
        assert_eq!(parse_ttl("12h").unwrap(), Duration::hours(12));
        assert!(parse_ttl("0d").is_err());
        assert!(parse_ttl("400d").unwrap_err().contains("366 days"));
        assert!(parse_ttl("soon").unwrap_err().contains("30d"));
        assert!(parse_ttl("").is_err());
        assert!(parse_ttl("1é").is_err());
        assert!(
            parse_ttl("200000000000000d")
                .unwrap_err()
                .contains("out of range")
        );
    }
}
