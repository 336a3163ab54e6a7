//! `backend`: the reference backend's command line. See `backend --help`.

use backend::{Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Cli { config, command } = Cli::from_env();
    if let Some(Command::Review(review)) = command {
        // A command run by hand: warnings only, on standard error, so that what it prints stays readable.
        backend::init_command_logging();
        return match backend::operator::run(&config.data_dir, review).await {
            Ok(text) => {
                print!("{text}");
                std::process::ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("backend review: {message}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    backend::init_logging(config.log_format);
    let outcome = match command {
        None => backend::serve(config).await,
        Some(Command::Purge) => backend::retention::purge_command(config).await,
        Some(Command::Review(_)) => unreachable!("run above"),
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
