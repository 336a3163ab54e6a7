//! Command-line flags (each also readable from an `HBETS_*` environment variable).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Reference backend of the online account opening: implements `docs/openapi.yaml` and serves the built app.
#[derive(Clone, Debug, Parser)]
#[command(name = "backend", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HBETS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The app as built by trunk (served at `/`).
    #[arg(long, env = "HBETS_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Where `backend.sqlite3` and `uploads/` live; created when missing.
    #[arg(long, env = "HBETS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Development mode: logs SMS codes and enables `/api/v1/dev/*`. Never in production.
    #[arg(long, env = "HBETS_DEV")]
    pub dev: bool,

    /// CSP `frame-ancestors` sources: who may embed the app in a frame (e.g. `'self' https://www.hbets.cn`).
    #[arg(long, env = "HBETS_FRAME_ANCESTORS", default_value = "'self'")]
    pub frame_ancestors: String,

    /// Extra CSP `connect-src` origins, space-separated (e.g. the exchange's API host when it is elsewhere).
    #[arg(long, env = "HBETS_CONNECT_SRC", default_value = "")]
    pub connect_src: String,

    /// Public questions of the built-in quiz (the same file the app shows).
    #[arg(long, env = "HBETS_QUIZ", default_value = "public/quiz.json")]
    pub quiz: PathBuf,

    /// Answer key of the quiz; stays on the server.
    #[arg(
        long,
        env = "HBETS_QUIZ_KEY",
        default_value = "crates/backend/quiz-answer-key.json"
    )]
    pub quiz_key: PathBuf,

    /// Log line format.
    #[arg(long, env = "HBETS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
}

impl Default for Config {
    /// The flags' defaults.
    fn default() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            dist: PathBuf::from("dist"),
            data_dir: PathBuf::from("data"),
            dev: false,
            frame_ancestors: "'self'".to_string(),
            connect_src: String::new(),
            quiz: PathBuf::from("public/quiz.json"),
            quiz_key: PathBuf::from("crates/backend/quiz-answer-key.json"),
            log_format: LogFormat::Pretty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matches_the_flags_defaults() {
        let parsed = Config::parse_from(["backend"]);
        let default = Config::default();
        assert_eq!(parsed.addr, default.addr);
        assert_eq!(parsed.dist, default.dist);
        assert_eq!(parsed.data_dir, default.data_dir);
        assert_eq!(parsed.dev, default.dev);
        assert_eq!(parsed.frame_ancestors, default.frame_ancestors);
        assert_eq!(parsed.connect_src, default.connect_src);
        assert_eq!(parsed.quiz, default.quiz);
        assert_eq!(parsed.quiz_key, default.quiz_key);
        assert_eq!(parsed.log_format, default.log_format);
    }

    #[test]
    fn flags_are_read() {
        let c = Config::parse_from([
            "backend",
            "--addr",
            "0.0.0.0:9000",
            "--dev",
            "--log-format",
            "json",
            "--frame-ancestors",
            "'self' https://www.hbets.cn",
        ]);
        assert_eq!(c.addr.port(), 9000);
        assert!(c.dev);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.frame_ancestors, "'self' https://www.hbets.cn");
    }
}
