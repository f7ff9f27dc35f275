//! `gatehouse`: the portal and its command-line tools.

fn main() -> std::process::ExitCode {
    server::cli::run()
}
