//! The `gatehouse` command line. Every subcommand reads the same configuration as `serve`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::contracts::SearchJson;
use crate::runbooks::RunbookLibrary;
use crate::runbooks::names::GroupName;
use crate::sanitizer::{Category, Sanitizer, redact as redaction};

#[derive(Parser, Debug)]
#[command(
    name = "gatehouse",
    version,
    about = "Gatehouse: an internal developer portal with guardrails"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the portal (the default).
    Serve,
    /// Search the runbooks as the portal does, as a member of the given groups.
    Search {
        /// Runbooks directory (default: GATEHOUSE_RUNBOOKS_DIR, else ./runbooks).
        #[arg(long)]
        runbooks: Option<PathBuf>,
        /// Comma-separated groups to search as (restricted runbooks need one of theirs).
        #[arg(long, value_delimiter = ',')]
        groups: Vec<String>,
        /// Most hits to print (1–100).
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON: {"hits":[…],"total":N}.
        #[arg(long)]
        json: bool,
        /// The query: words, "phrases", service:, tag:, alert: filters.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// Mask secrets, personal data and internal addresses. Reads JSON Lines
    /// {"id":…,"text":"…"} on stdin and writes {"id":…,"text":"…","findings":[…]} per line.
    Redact {
        /// Mask plain text from stdin to stdout instead of JSON Lines.
        #[arg(long)]
        plain: bool,
        /// List the categories and exit.
        #[arg(long)]
        list: bool,
    },
    /// Check every runbook file and list the problems; exits 1 if there are any.
    CheckRunbooks {
        #[arg(long)]
        runbooks: Option<PathBuf>,
    },
    /// The organization's Rego policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Load every template of the catalog and list the ones that fail; exits 1 if any does.
    CheckCatalog {
        /// Catalog directory (default: GATEHOUSE_CATALOG_DIR, else ./server/catalog).
        #[arg(long)]
        catalog: Option<PathBuf>,
    },
    /// Signed request bundles.
    #[command(subcommand)]
    Bundle(BundleCommand),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// API tokens for automation.
    #[command(subcommand)]
    Token(TokenCommand),
    /// People's standing: deactivate someone who left (their sessions end, their tokens stop).
    #[command(subcommand)]
    Users(UsersCommand),
}

#[derive(Subcommand, Debug)]
pub enum BundleCommand {
    /// Check a bundle's files, provenance digest and signature against the portal's key and
    /// print its provenance; exits 1 if anything was changed, 2 if it cannot be checked.
    Verify {
        /// The downloaded `.bundle.json`.
        file: PathBuf,
        /// Base64 ed25519 public key (from /.well-known/gatehouse/audit-key); default: the
        /// key of GATEHOUSE_AUDIT_KEY_FILE.
        #[arg(long)]
        public_key: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Compile the policies and run their tests (`test_*` rules in `*_test.rego`), like
    /// `opa test`; exits 1 if a test fails, 2 if a file does not compile.
    Test {
        /// Policies directory (default: GATEHOUSE_POLICIES_DIR, else ./server/policies).
        #[arg(long)]
        policies: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the whole hash chain and every signed checkpoint; exits 1 and names the first
    /// failing event if anything was changed, removed or reordered.
    Verify {
        /// Base64 ed25519 public key (from /.well-known/gatehouse/audit-key); default: the
        /// key of GATEHOUSE_AUDIT_KEY_FILE.
        #[arg(long)]
        public_key: Option<String>,
        /// SEQ:HASH of a checkpoint kept outside the database (the server logs each one as
        /// `audit checkpoint seq=… hash=…`); repeatable. Catches a rewrite even by someone
        /// holding the signing key.
        #[arg(long = "anchor")]
        anchors: Vec<String>,
        /// A checkpoint file written by `audit checkpoint --export`; repeatable. Proves the log
        /// still extends it (nothing before it was changed, removed or reordered), even
        /// against someone holding the signing key.
        #[arg(long = "against", value_name = "FILE")]
        against: Vec<PathBuf>,
        /// Print one JSON object: {"ok":…,"events":…,"checkpoints":…,"failed_event":…,"reason":…}.
        #[arg(long)]
        json: bool,
    },
    /// Sign the newest event now (the server also does so every 50 events, every 2 minutes, at
    /// start and at stop).
    Checkpoint {
        /// Also write the newest signed checkpoint as JSON to FILE (`-`: standard output), to
        /// keep outside the database for `audit verify --against FILE`.
        #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
        export: Option<PathBuf>,
    },
    /// Create a new signing key file (base64, mode 0600); never overwrites one.
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Deactivate a person or service owner (by subject, as in the audit log without the
    /// `user:`): their sessions end, sign-in is refused and their API tokens stop. Audited.
    Deactivate {
        subject: String,
        /// Why, for the audit log and `users list`.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Undo a deactivation: they may sign in again; a person's tokens work again once they do.
    Reactivate { subject: String },
    /// Everyone who has signed in or was deactivated, with their last sign-in.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token and print it once; only its hash is stored.
    Create {
        /// The owner the token acts for (a person's subject or a service name).
        #[arg(long)]
        user: String,
        /// Comma-separated groups the token acts with.
        #[arg(long, value_delimiter = ',')]
        groups: Vec<String>,
        /// Comma-separated scopes: runbooks:read, notes:write, requests:write, audit:read.
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        /// Lifetime, like 30d, 12h or 90m (at most 366d).
        #[arg(long, default_value = "30d")]
        ttl: String,
        /// A name to recognise it by (default: the user).
        #[arg(long)]
        name: Option<String>,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(err) => {
            eprintln!("gatehouse: {err}");
            return ExitCode::from(2);
        }
    };
    let sanitizer = match Sanitizer::with_options(&config.sanitizer) {
        Ok(s) => std::sync::Arc::new(s),
        Err(err) => {
            eprintln!("gatehouse: invalid setting sanitizer: {err}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(config.log_format, sanitizer.clone());
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Search {
            runbooks,
            groups,
            limit,
            json,
            query,
        } => search(
            runbooks.unwrap_or(config.runbooks_dir),
            &groups,
            limit,
            json,
            &query.join(" "),
        ),
        Command::CheckRunbooks { runbooks } => check(runbooks.unwrap_or(config.runbooks_dir)),
        Command::Redact { plain, list } => redact(&sanitizer, plain, list),
        Command::Policy(PolicyCommand::Test { policies }) => {
            policy_test(&policies.unwrap_or(config.policies_dir))
        }
        Command::Bundle(BundleCommand::Verify { file, public_key }) => {
            crate::admin::bundle_verify(&config, &file, public_key.as_deref())
        }
        Command::CheckCatalog { catalog } => check_catalog(&catalog.unwrap_or(config.catalog_dir)),
        Command::Audit(AuditCommand::Verify {
            public_key,
            anchors,
            against,
            json,
        }) => crate::admin::audit_verify(&config, public_key.as_deref(), &anchors, &against, json),
        Command::Audit(AuditCommand::Checkpoint { export }) => {
            crate::admin::audit_checkpoint(&config, export.as_deref())
        }
        Command::Audit(AuditCommand::Keygen { out }) => crate::admin::audit_keygen(&out),
        Command::Users(UsersCommand::Deactivate { subject, reason }) => {
            // A reason is stored and audited: masked like any other text that is kept.
            let reason = reason.map(|r| sanitizer.sanitize(&r).text);
            crate::admin::users_deactivate(&config, &subject, reason.as_deref())
        }
        Command::Users(UsersCommand::Reactivate { subject }) => {
            crate::admin::users_reactivate(&config, &subject)
        }
        Command::Users(UsersCommand::List { json }) => crate::admin::users_list(&config, json),
        Command::Token(TokenCommand::Create {
            user,
            groups,
            scopes,
            ttl,
            name,
        }) => crate::admin::token_create(
            &config,
            &crate::admin::TokenRequest {
                user: &user,
                name: name.as_deref(),
                groups: &groups,
                scopes: &scopes,
                ttl: &ttl,
            },
        ),
    }
}

fn serve(config: Config) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("gatehouse: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let app = crate::startup::Application::build(config).await?;
        app.run_until_stopped().await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "gatehouse failed");
            eprintln!("gatehouse: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn policy_test(dir: &std::path::Path) -> ExitCode {
    let outcomes = match crate::policy::testing::run(dir) {
        Ok(o) => o,
        Err(err) => {
            eprintln!("gatehouse policy test: {err}");
            return ExitCode::from(2);
        }
    };
    let failed = outcomes.iter().filter(|o| o.failure.is_some()).count();
    for o in &outcomes {
        match &o.failure {
            None => println!("PASS {}: {}", o.file, o.name),
            Some(why) => println!("FAIL {}: {}: {why}", o.file, o.name),
        }
    }
    println!("{} passed, {failed} failed", outcomes.len() - failed);
    if failed == 0 && !outcomes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn check_catalog(dir: &std::path::Path) -> ExitCode {
    match crate::catalog::Catalog::load(dir) {
        Err(err) => {
            eprintln!("gatehouse check-catalog: `{}`: {err}", dir.display());
            ExitCode::from(2)
        }
        Ok(catalog) => {
            for t in catalog.templates.values() {
                println!(
                    "ok   {} {} ({} parameters, {} files)",
                    t.id,
                    t.version,
                    t.params.len(),
                    t.files.len()
                );
            }
            for p in &catalog.problems {
                println!("FAIL {}: {}", p.file, p.reason);
            }
            if catalog.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn open_library(dir: &std::path::Path) -> Result<RunbookLibrary, String> {
    if !dir.is_dir() {
        return Err(format!(
            "runbooks directory `{}` does not exist (set --runbooks or GATEHOUSE_RUNBOOKS_DIR)",
            dir.display()
        ));
    }
    RunbookLibrary::open(dir, None).map_err(|e| e.to_string())
}

fn search(dir: PathBuf, groups: &[String], limit: usize, json: bool, query: &str) -> ExitCode {
    let library = match open_library(&dir) {
        Ok(l) => l,
        Err(err) => {
            eprintln!("gatehouse search: {err}");
            return ExitCode::from(2);
        }
    };
    let mut readers = Vec::new();
    for g in groups.iter().filter(|g| !g.trim().is_empty()) {
        match GroupName::parse(g) {
            Ok(g) => readers.push(g),
            Err(err) => {
                eprintln!("gatehouse search: --groups: {err}");
                return ExitCode::from(2);
            }
        }
    }
    let limit = limit.clamp(1, crate::portal::MAX_LIMIT);
    let found = match library.search_flat(query, &readers, limit) {
        Ok(f) => f,
        Err(err) => {
            eprintln!("gatehouse search: {err}");
            return ExitCode::FAILURE;
        }
    };
    for notice in &found.notices {
        eprintln!("note: {notice}");
    }
    let mut out = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer(&mut out, &SearchJson::from(&found))
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        (|| {
            writeln!(out, "{} matching section(s)", found.total)?;
            for hit in &found.hits {
                writeln!(
                    out,
                    "\n{}  ›  {}  ({:.2})\n  {}\n  {}",
                    hit.runbook.meta.title,
                    hit.path.join(" › "),
                    hit.score,
                    hit.url(),
                    hit.snippet.text
                )?;
            }
            Ok::<(), std::io::Error>(())
        })()
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

fn check(dir: PathBuf) -> ExitCode {
    match open_library(&dir) {
        Err(err) => {
            eprintln!("gatehouse check-runbooks: {err}");
            ExitCode::from(2)
        }
        Ok(library) => {
            let catalog = library.catalog();
            let problems = &catalog.problems;
            for p in problems {
                let line = p.line.map(|l| format!(":{l}")).unwrap_or_default();
                eprintln!("{}{line}: {}", p.file, p.reason);
            }
            eprintln!(
                "{} runbook(s) OK, {} file(s) with problems",
                catalog.runbooks.len(),
                problems.len()
            );
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn redact(sanitizer: &Sanitizer, plain: bool, list: bool) -> ExitCode {
    if list {
        let mut out = std::io::stdout().lock();
        for c in Category::ALL {
            if writeln!(out, "{:<20} {}", c.name(), c.description()).is_err() {
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let result = if plain {
        redaction::plain(sanitizer, stdin, stdout)
    } else {
        redaction::json_lines(sanitizer, stdin, stdout)
    };
    match result {
        Ok(stats) => {
            eprintln!(
                "{} line(s), {} finding(s), {} bad line(s)",
                stats.lines, stats.findings, stats.errors
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("gatehouse redact: {err}");
            ExitCode::FAILURE
        }
    }
}
