//! Building and running the application: `Application::build(config)` binds the port (0 in
//! tests) and wires everything; `run_until_stopped` serves until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use crate::access::Guard;
use crate::audit::AuditLog;
use crate::audit::signing::AuditKey;
use crate::auth::oidc::Oidc;
use crate::auth::session::SessionStore;
use crate::auth::tokens::TokenStore;
use crate::catalog::Catalog;
use crate::config::Config;
use crate::deployments::Intake;
use crate::drafts::review::DraftDesk;
use crate::drafts::revisions;
use crate::metrics::Metrics;
use crate::periodic::{self, Start};
use crate::policy::PolicySet;
use crate::portal::PortalService;
use crate::rate_limit::Limiters;
use crate::requests::desk::RequestDesk;
use crate::requests::expiry::spawn_expiry;
use crate::requests::preview::Planner;
use crate::runbooks::{RunbookLibrary, watch};
use crate::state::AppState;
use crate::webhooks::worker::Dispatcher;

/// The runtime `serve` runs on.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    _watch: Option<watch::Watch>,
    _revision_sync: AbortOnDrop,
    _expiry: AbortOnDrop,
    _webhooks: Option<AbortOnDrop>,
}

/// How often each replica looks for runbook revisions accepted elsewhere.
const REVISION_SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(2);
/// How often pending requests and sandboxes are checked for expiry.
const EXPIRY_EVERY: std::time::Duration = std::time::Duration::from_secs(30);
/// How often each replica looks for webhook deliveries that are due.
const WEBHOOKS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Stops a background task when the application is dropped (tests start many).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Application {
    /// Connects the database, opens the runbook library and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        config.check_serve()?;
        let db = crate::db::connect_and_migrate(&config.database_url)
            .await
            .with_context(|| {
                format!(
                    "failed to open the database {}",
                    crate::db::redacted_url(&config.database_url)
                )
            })?;
        let runbooks_dir = config.runbooks_dir.clone();
        let index_dir = config.index_dir.clone();
        let library = tokio::task::spawn_blocking(move || {
            RunbookLibrary::open(&runbooks_dir, Some(&index_dir))
        })
        .await?
        .context("failed to open the runbook index")?;
        let library = Arc::new(library);
        let catalog = library.catalog();
        tracing::info!(
            runbooks = catalog.runbooks.len(),
            sections = catalog.section_count(),
            problems = catalog.problems.len(),
            "runbook library ready"
        );
        let catalog_dir = config.catalog_dir.clone();
        let policies_dir = config.policies_dir.clone();
        let (templates, policies) = tokio::task::spawn_blocking(move || {
            let templates = Catalog::load(&catalog_dir).with_context(|| {
                format!(
                    "cannot read the template catalog `{}` (GATEHOUSE_CATALOG_DIR)",
                    catalog_dir.display()
                )
            })?;
            // A policy that does not compile stops start-up: requests must never be
            // judged by half of the organization's rules.
            let policies = PolicySet::load(&policies_dir).with_context(|| {
                format!(
                    "the policies in `{}` did not load (GATEHOUSE_POLICIES_DIR)",
                    policies_dir.display()
                )
            })?;
            anyhow::Ok((templates, policies))
        })
        .await??;
        tracing::info!(
            templates = templates.templates.len(),
            problems = templates.problems.len(),
            policies = policies.files.len(),
            policy_digest = %policies.digest,
            "catalog and policies ready"
        );
        let metrics = Arc::new(Metrics::new());
        let watch_metrics = metrics.clone();
        let watch = match watch::spawn(library.clone(), move |r| watch_metrics.observe_refresh(r)) {
            Ok(w) => Some(w),
            Err(err) => {
                tracing::warn!(error = %err, "cannot watch the runbooks directory; changes need a restart");
                None
            }
        };

        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("failed to bind {} (GATEHOUSE_BIND)", config.bind))?;
        let addr = listener.local_addr()?;
        let pkg_js = config.site_root.join("pkg").join("gatehouse.js");
        let hydrate = pkg_js.is_file();
        if !hydrate {
            tracing::warn!(site_root = %config.site_root.display(), "no WASM bundle found; pages are served as plain HTML");
        }
        let leptos = LeptosOptions::builder()
            .output_name("gatehouse")
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        let audit = AuditLog::new(load_audit_key(&config)?);
        // Sign what an earlier run left unsigned (a crash, a `kill -9`) before anything new is
        // written, so that checkpoint vouches for that run's events only.
        sign_audit_head(&audit, &db).await;
        let oidc = match &config.oidc {
            Some(oidc) => Some(Arc::new(Oidc::new(oidc.clone(), &config.public_url)?)),
            None => None,
        };
        let config = Arc::new(config);
        let roles = Arc::new(config.roles.clone());
        let sanitizer = Arc::new(crate::sanitizer::Sanitizer::with_options(
            &config.sanitizer,
        )?);
        let guard = Guard::new(db.clone(), audit.clone());
        // New runbooks (for services without one) are reviewed by the admins until an
        // admin names the owning team in the draft.
        let new_owners = roles.admin.clone();
        let intake = Arc::new(Intake {
            db: db.clone(),
            audit: audit.clone(),
            sanitizer: sanitizer.clone(),
            library: library.clone(),
            services: config.services.clone(),
            new_owners: new_owners.clone(),
            llm: match &config.drafter {
                Some(c) => Some(Arc::new(
                    crate::drafts::llm::LlmDrafter::new(c.clone())
                        .context("cannot set up the drafter's HTTP client")?,
                )),
                None => None,
            },
        });
        let drafts = Arc::new(DraftDesk::new(
            db.clone(),
            audit.clone(),
            sanitizer.clone(),
            library.clone(),
            new_owners,
        ));
        let deployments = crate::portal::deployments::Deployments::new(
            intake,
            drafts.clone(),
            library.clone(),
            guard.clone(),
        );
        let planner = Arc::new(Planner {
            catalog: Arc::new(templates),
            policies: Arc::new(policies),
            sanitizer: sanitizer.clone(),
        });
        let webhooks = config.webhooks.clone().map(Arc::new);
        let requests = Arc::new(RequestDesk {
            db: db.clone(),
            audit: audit.clone(),
            planner: planner.clone(),
            limits: config.request_limits,
            builder: config.public_url.to_string(),
            webhooks: webhooks.clone(),
        });
        let expiry = spawn_expiry(requests.clone(), EXPIRY_EVERY);
        let requests = crate::portal::requests::Requests::new(requests, guard.clone());
        let webhook_worker = match webhooks {
            Some(webhooks) => {
                if config
                    .public_url
                    .host_str()
                    .is_some_and(|h| h == "127.0.0.1" || h == "localhost" || h == "[::1]")
                {
                    tracing::warn!(public_url = %config.public_url, "webhook notifications link to a loopback address; set GATEHOUSE_PUBLIC_URL to the URL people use");
                }
                let observer = metrics.clone();
                let dispatcher = Dispatcher::observed(
                    db.clone(),
                    webhooks,
                    Box::new(move |outcome| observer.observe_webhook_attempt(outcome)),
                )
                .map_err(|e| anyhow::anyhow!("cannot build the webhook client: {e}"))?;
                Some(AbortOnDrop(crate::webhooks::worker::spawn(
                    dispatcher,
                    WEBHOOKS_EVERY,
                )))
            }
            None => None,
        };
        let token_store = TokenStore::new(db.clone(), roles.clone(), config.token_owner_inactive);
        let tokens = crate::portal::tokens::Tokens::new(token_store.clone(), guard.clone());
        let audit_trail = crate::portal::audit::AuditTrail::new(guard.clone());
        let runbooks = crate::portal::runbooks::Runbooks::new(library.clone(), guard.clone());
        let templates = crate::portal::catalog::Templates::new(planner, guard.clone());
        let revision_sync = revisions::spawn_sync(db.clone(), library.clone(), REVISION_SYNC_EVERY);
        let portal: app::port::PortalHandle = Arc::new(PortalService {
            library: library.clone(),
            tokens: tokens.clone(),
            audit: audit_trail.clone(),
            runbooks: runbooks.clone(),
            deployments: deployments.clone(),
            drafts: crate::portal::drafts::Drafts::new(drafts, library.clone(), guard),
            templates: templates.clone(),
            requests: requests.clone(),
            dev_login: config.dev_login_enabled(),
            sso: oidc.is_some(),
        });
        let state = AppState {
            sessions: SessionStore::new(
                db.clone(),
                config.session_ttl,
                config.session_idle,
                roles.clone(),
            ),
            token_store,
            tokens,
            audit_trail,
            runbooks,
            roles,
            audit,
            oidc,
            limiters: Arc::new(Limiters::new(config.rate_limits)),
            deployments,
            templates,
            requests,
            config,
            db,
            library,
            metrics,
            leptos,
            portal,
            shell: app::app::ShellOptions {
                hydrate,
                stylesheet: crate::routes::assets::stylesheet_href(),
            },
        };
        let router = crate::routes::router(state.clone());
        Ok(Self {
            listener,
            router,
            state,
            _watch: watch,
            _revision_sync: AbortOnDrop(revision_sync),
            _expiry: AbortOnDrop(expiry),
            _webhooks: webhook_worker,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let sessions = self.state.sessions.clone();
        let purge = periodic::every(
            "purging expired sessions",
            std::time::Duration::from_secs(600),
            Start::AfterOnePeriod,
            move || {
                let sessions = sessions.clone();
                async move { sessions.purge_expired().await.map(drop) }
            },
        );
        // Sign the head (signed at start by `build`) often enough that the unsigned tail stays
        // well inside what `audit verify` accepts (audit::log::SIGN_WITHIN), and once more at a
        // clean stop.
        let (audit, db) = (self.state.audit.clone(), self.state.db.clone());
        let signer = periodic::every(
            "writing an audit checkpoint",
            crate::audit::log::SIGN_TICK,
            Start::AfterOnePeriod,
            move || {
                let (audit, db) = (audit.clone(), db.clone());
                async move { audit.checkpoint(&db).await.map(drop) }
            },
        );
        // The handlers are installed before "listening" is logged: a supervisor that signals
        // as soon as it reads that line must get a graceful stop, not the default kill.
        let stop = shutdown_signal()?;
        tracing::info!(addr = %self.local_addr(), "Gatehouse is listening");
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await?;
        purge.abort();
        signer.abort();
        sign_audit_head(&self.state.audit, &self.state.db).await;
        tracing::info!("Gatehouse stopped");
        Ok(())
    }
}

/// The audit signing key. With the embedded database a missing key file is created on first
/// start; replicas on PostgreSQL must share a key made beforehand (`gatehouse audit keygen`).
pub fn load_audit_key(config: &Config) -> anyhow::Result<AuditKey> {
    let path = &config.audit_key_file;
    if path.is_file() {
        return Ok(AuditKey::from_file(path)?);
    }
    if config.database_url.starts_with("sqlite:") {
        let key = AuditKey::create_file(path)?;
        tracing::warn!(path = %path.display(), key_id = %key.key_id(), "created a new audit signing key; back it up with the database");
        return Ok(key);
    }
    anyhow::bail!(
        "invalid setting GATEHOUSE_AUDIT_KEY_FILE: `{}` does not exist. Create one with `gatehouse audit keygen --out {}` \
         (replicas on PostgreSQL must all use the same key)",
        path.display(),
        path.display()
    )
}

async fn sign_audit_head(audit: &AuditLog, db: &sea_orm::DatabaseConnection) {
    if let Err(err) = audit.checkpoint(db).await {
        tracing::warn!(error = %err, "writing an audit checkpoint failed");
    }
}

/// Installs the SIGTERM and SIGINT handlers now and returns a future that resolves on either.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::info!("shutting down: finishing in-flight requests");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing in-flight requests");
    })
}
