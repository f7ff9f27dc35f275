//! Server-side sessions in the database. The browser holds a random token; the database
//! holds its SHA-256, the identity, and idle and absolute expiry times.

use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::entities::session;
use crate::runbooks::names::GroupName;

use super::Identity;
use super::roles::RoleMap;

/// Name of the session cookie.
pub const COOKIE: &str = "gatehouse_session";

/// Touch `last_seen_at` at most this often, to keep reads cheap.
const TOUCH_EVERY_SECS: i64 = 60;

/// How long a looked-up session is trusted without asking the database again. Sign-out on
/// this process takes effect at once; on another replica within this time.
const CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(5);
/// Entries kept before the cache is emptied (it refills on demand).
const CACHE_MAX: usize = 10_000;

struct Cached {
    who: Identity,
    fetched: std::time::Instant,
    expires_at: chrono::DateTime<Utc>,
}

#[derive(Clone)]
pub struct SessionStore {
    db: DatabaseConnection,
    ttl: Duration,
    idle: Duration,
    /// Roles are derived from the session's groups on each lookup, so a change to the role
    /// mapping applies at once.
    roles: std::sync::Arc<RoleMap>,
    /// Token hash → identity, for the hot path of every request.
    cache: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Cached>>>,
}

fn token_hash(token: &str) -> String {
    crate::hashing::sha256_hex(token.as_bytes())
}

impl SessionStore {
    pub fn new(
        db: DatabaseConnection,
        ttl: Duration,
        idle: Duration,
        roles: std::sync::Arc<RoleMap>,
    ) -> Self {
        Self {
            db,
            ttl,
            idle,
            roles,
            cache: Default::default(),
        }
    }

    /// Starts a session for `who` inside `conn` (the sign-in's transaction, with its audit
    /// event); returns the token for the cookie (never stored).
    pub async fn create(
        &self,
        conn: &impl ConnectionTrait,
        who: &Identity,
    ) -> Result<String, sea_orm::DbErr> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let now = Utc::now();
        let groups: Vec<&str> = who.groups.iter().map(|g| g.as_ref()).collect();
        session::ActiveModel {
            id: Set(token_hash(&token)),
            subject: Set(who.subject.clone()),
            display_name: Set(who.name.clone()),
            role_label: Set(who.role_label.clone()),
            groups: Set(serde_json::to_string(&groups).unwrap_or_else(|_| "[]".into())),
            auth_method: Set(who.auth_method.clone()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + self.ttl),
        }
        .insert(conn)
        .await?;
        Ok(token)
    }

    /// The identity behind a token, if the session exists and has not expired.
    pub async fn lookup(&self, token: &str) -> Result<Option<Identity>, sea_orm::DbErr> {
        if !crate::hashing::is_sha256_hex(token) {
            return Ok(None);
        }
        let id = token_hash(token);
        if let Some(who) = self.cached(&id) {
            return Ok(Some(who));
        }
        let Some(row) = session::Entity::find_by_id(id.clone())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let now = Utc::now();
        if row.expires_at <= now || row.last_seen_at + self.idle <= now {
            session::Entity::delete_by_id(row.id).exec(&self.db).await?;
            return Ok(None);
        }
        if (now - row.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
            let mut active: session::ActiveModel = row.clone().into();
            active.last_seen_at = Set(now);
            active.update(&self.db).await?;
        }
        let groups: Vec<GroupName> =
            crate::db::decode::<Vec<String>>("sessions.groups", "a session", &row.groups)?
                .iter()
                .filter_map(|g| GroupName::parse(g).ok())
                .collect();
        let who = Identity {
            subject: row.subject,
            name: row.display_name,
            role_label: row.role_label,
            roles: self.roles.roles_for(&groups),
            groups,
            auth_method: row.auth_method,
            scopes: None,
        };
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_MAX {
                cache.clear();
            }
            let fetched = std::time::Instant::now();
            cache.insert(
                id,
                Cached {
                    who: who.clone(),
                    fetched,
                    expires_at: row.expires_at,
                },
            );
        }
        Ok(Some(who))
    }

    fn cached(&self, id: &str) -> Option<Identity> {
        let cache = self.cache.lock().ok()?;
        let entry = cache.get(id)?;
        (entry.fetched.elapsed() < CACHE_FOR && entry.expires_at > Utc::now())
            .then(|| entry.who.clone())
    }

    /// Ends the session behind a token inside `conn`; true if there was one.
    pub async fn end(
        &self,
        conn: &impl ConnectionTrait,
        token: &str,
    ) -> Result<bool, sea_orm::DbErr> {
        let id = token_hash(token);
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(&id);
        }
        let res = session::Entity::delete_by_id(id).exec(conn).await?;
        Ok(res.rows_affected > 0)
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let res = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(Utc::now()))
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected)
    }
}
