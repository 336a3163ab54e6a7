//! `backend`: the reference backend's command line. See `backend --help`.

use std::process::ExitCode;

use backend::{Cli, Command};
use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => {
            backend::init_logging(cli.config.log_format);
            match backend::serve(cli.config).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    tracing::error!("{message}");
                    eprintln!("backend: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Review(review)) => {
            backend::init_command_logging();
            match backend::operator::run(review).await {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("backend review: {message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
