//! Command-line flags (each also readable from an `HBETS_*` environment variable).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::{applications, quiz, sms};

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

    /// The app's runtime configuration (the `config.json` the app is served with): submissions must carry the
    /// agreement and consent versions it names.
    #[arg(long, env = "HBETS_APP_CONFIG", default_value = "public/config.json")]
    pub app_config: PathBuf,

    /// Log line format.
    #[arg(long, env = "HBETS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,

    /// Quiz attempts per client address per rolling day.
    #[arg(long, env = "HBETS_QUIZ_ATTEMPTS_PER_IP_PER_DAY", default_value_t = quiz::DEFAULT_ATTEMPTS_PER_IP_PER_DAY, value_parser = at_least_one())]
    pub quiz_attempts_per_ip_per_day: u32,

    /// SMS codes per client address per rolling hour.
    #[arg(long, env = "HBETS_SMS_PER_IP_PER_HOUR", default_value_t = sms::DEFAULT_PER_IP_PER_HOUR, value_parser = at_least_one())]
    pub sms_per_ip_per_hour: u32,

    /// SMS codes per mobile number per rolling hour.
    #[arg(long, env = "HBETS_SMS_PER_PHONE_PER_HOUR", default_value_t = sms::DEFAULT_PER_PHONE_PER_HOUR, value_parser = at_least_one())]
    pub sms_per_phone_per_hour: u32,

    /// Seconds between two SMS codes to the same number (0: no wait).
    #[arg(long, env = "HBETS_SMS_COOLDOWN_S", default_value_t = sms::DEFAULT_COOLDOWN_S)]
    pub sms_cooldown_s: u32,

    /// Applications stored per client address per rolling hour.
    #[arg(long, env = "HBETS_APPLICATIONS_PER_IP_PER_HOUR", default_value_t = applications::DEFAULT_PER_IP_PER_HOUR, value_parser = at_least_one())]
    pub applications_per_ip_per_hour: u32,

    /// Status lookups (by reference, number and SMS code) per client address per rolling hour.
    #[arg(long, env = "HBETS_LOOKUPS_PER_IP_PER_HOUR", default_value_t = applications::DEFAULT_LOOKUPS_PER_IP_PER_HOUR, value_parser = at_least_one())]
    pub lookups_per_ip_per_hour: u32,

    /// Reverse proxies whose `X-Forwarded-For` is believed (IP addresses; repeat the flag or separate with
    /// commas). A request from one of them is counted against the right-most address in that header that is not
    /// a trusted proxy; any other request against the address it came from.
    #[arg(long, env = "HBETS_TRUSTED_PROXY", value_delimiter = ',', value_parser = parse_ip)]
    pub trusted_proxy: Vec<IpAddr>,
}

/// A count limit: 1 or more.
fn at_least_one() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(1..)
}

/// An IP address, spaces around it allowed (`10.0.0.1, 10.0.0.2`).
fn parse_ip(text: &str) -> Result<IpAddr, String> {
    text.trim()
        .parse::<IpAddr>()
        .map(|ip| ip.to_canonical())
        .map_err(|e| format!("{text:?} is not an IP address: {e}"))
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
            app_config: PathBuf::from("public/config.json"),
            log_format: LogFormat::Pretty,
            quiz_attempts_per_ip_per_day: quiz::DEFAULT_ATTEMPTS_PER_IP_PER_DAY,
            sms_per_ip_per_hour: sms::DEFAULT_PER_IP_PER_HOUR,
            sms_per_phone_per_hour: sms::DEFAULT_PER_PHONE_PER_HOUR,
            sms_cooldown_s: sms::DEFAULT_COOLDOWN_S,
            applications_per_ip_per_hour: applications::DEFAULT_PER_IP_PER_HOUR,
            lookups_per_ip_per_hour: applications::DEFAULT_LOOKUPS_PER_IP_PER_HOUR,
            trusted_proxy: Vec::new(),
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
        assert_eq!(parsed.app_config, default.app_config);
        assert_eq!(parsed.quiz_attempts_per_ip_per_day, 10);
        assert_eq!(parsed.sms_per_ip_per_hour, 20);
        assert_eq!(parsed.sms_per_phone_per_hour, 5);
        assert_eq!(parsed.sms_cooldown_s, 60);
        assert_eq!(parsed.applications_per_ip_per_hour, 10);
        assert!(parsed.trusted_proxy.is_empty());
        assert_eq!(
            (
                default.quiz_attempts_per_ip_per_day,
                default.sms_per_ip_per_hour,
                default.sms_per_phone_per_hour,
                default.sms_cooldown_s,
                default.applications_per_ip_per_hour,
            ),
            (10, 20, 5, 60, 10)
        );
        assert_eq!(default.trusted_proxy, parsed.trusted_proxy);
        assert_eq!(
            (
                parsed.lookups_per_ip_per_hour,
                default.lookups_per_ip_per_hour
            ),
            (10, 10)
        );
    }

    #[test]
    fn every_flag_has_its_environment_variable() {
        use clap::CommandFactory;
        let command = Config::command();
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" || long == "version" {
                continue;
            }
            let expected = format!("HBETS_{}", long.replace('-', "_").to_uppercase());
            assert_eq!(
                arg.get_env().and_then(|e| e.to_str()),
                Some(expected.as_str()),
                "--{long}"
            );
        }
    }

    #[test]
    fn limits_and_proxies_are_read() {
        let c = Config::parse_from([
            "backend",
            "--quiz-attempts-per-ip-per-day",
            "500",
            "--sms-per-ip-per-hour",
            "1000",
            "--sms-per-phone-per-hour",
            "7",
            "--sms-cooldown-s",
            "0",
            "--applications-per-ip-per-hour",
            "300",
            "--lookups-per-ip-per-hour",
            "40",
            "--trusted-proxy",
            "10.0.0.1, 10.0.0.2",
            "--trusted-proxy",
            "::1",
            "--trusted-proxy",
            "::ffff:192.0.2.7",
            "--app-config",
            "dist/config.json",
        ]);
        assert_eq!(c.quiz_attempts_per_ip_per_day, 500);
        assert_eq!(c.sms_per_ip_per_hour, 1000);
        assert_eq!(c.sms_per_phone_per_hour, 7);
        assert_eq!(c.sms_cooldown_s, 0);
        assert_eq!(c.applications_per_ip_per_hour, 300);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            c.trusted_proxy,
            [ip("10.0.0.1"), ip("10.0.0.2"), ip("::1"), ip("192.0.2.7")]
        );
        assert_eq!(c.app_config, PathBuf::from("dist/config.json"));
        assert_eq!(c.lookups_per_ip_per_hour, 40);
    }

    #[test]
    fn bad_limits_and_proxies_are_refused() {
        for args in [
            ["--sms-per-ip-per-hour", "0"],
            ["--quiz-attempts-per-ip-per-day", "-1"],
            ["--applications-per-ip-per-hour", "many"],
            ["--lookups-per-ip-per-hour", "0"],
            ["--trusted-proxy", "proxy.internal"],
            ["--trusted-proxy", "10.0.0.0/8"],
        ] {
            let parsed = Config::try_parse_from(["backend", args[0], args[1]]);
            assert!(parsed.is_err(), "{args:?} was accepted");
        }
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
