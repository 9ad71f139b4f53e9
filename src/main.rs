//! The `hms` binary: parse the command line and configuration, then hand over.

use clap::Parser;

fn main() -> std::process::ExitCode {
    hms::server::allocator::tune();
    let cli = hms::server::cli::Cli::parse();
    let config = match hms::server::config::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hms: {e}");
            return std::process::ExitCode::from(78); // EX_CONFIG
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hms: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(hms::server::cli::run(cli, config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hms: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
