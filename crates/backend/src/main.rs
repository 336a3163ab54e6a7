//! `backend`: the reference backend's command line. See `backend --help`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = backend::Config::parse();
    backend::init_logging(config.log_format);
    match backend::serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("backend: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
