//! `backend`: the reference backend's command line. See `backend --help`.

use backend::{Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Cli { config, command } = Cli::from_env();
    backend::init_logging(config.log_format);
    let outcome = match command {
        None => backend::serve(config).await,
        Some(Command::Purge) => backend::retention::purge_command(config).await,
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("backend: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
