//! The flags of the backend (each also readable from an `HBETS_*` environment variable); the command line
//! around them is in `cli.rs`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::{applications, extract, quiz, retention, server, sms, uploads, usernames, work};

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// What the backend serves, where it keeps its data, and its limits.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
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

    /// Development mode: logs SMS codes and enables `/api/v1/dev/*`; only on a loopback `--addr`. Never in
    /// production.
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

    /// The app's runtime configuration (the `config.json` the app is served with): its quiz mode and pass mark
    /// apply, and submissions must carry the agreement and consent versions it names. Required outside `--dev`.
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

    /// Leading bits of an IPv6 client address that the per-address limits count: one household or phone gets a
    /// whole /64 from its provider and may use any address in it.
    #[arg(long, env = "HBETS_IPV6_PREFIX_LEN", default_value_t = extract::DEFAULT_IPV6_PREFIX_LEN, value_parser = clap::value_parser!(u8).range(1..=128))]
    pub ipv6_prefix_len: u8,

    /// SMS codes per mobile number per rolling day.
    #[arg(long, env = "HBETS_SMS_PER_PHONE_PER_DAY", default_value_t = sms::DEFAULT_PER_PHONE_PER_DAY, value_parser = at_least_one())]
    pub sms_per_phone_per_day: u32,

    /// SMS codes sent per rolling hour to all numbers together: what the SMS gateway may cost. Reaching it is
    /// logged as a warning.
    #[arg(long, env = "HBETS_SMS_BUDGET_PER_HOUR", default_value_t = sms::DEFAULT_BUDGET_PER_HOUR, value_parser = at_least_one())]
    pub sms_budget_per_hour: u32,

    /// Wrong SMS codes tried per mobile number per rolling day; then the number cannot be verified until the
    /// oldest wrong try is a day old.
    #[arg(long, env = "HBETS_SMS_WRONG_CODES_PER_PHONE_PER_DAY", default_value_t = sms::DEFAULT_WRONG_CODES_PER_PHONE_PER_DAY, value_parser = at_least_one())]
    pub sms_wrong_codes_per_phone_per_day: u32,

    /// Repeated submissions (the same `Idempotency-Key` again) per client address per rolling hour.
    #[arg(long, env = "HBETS_SUBMISSION_REPLAYS_PER_IP_PER_HOUR", default_value_t = applications::DEFAULT_REPLAYS_PER_IP_PER_HOUR, value_parser = at_least_one())]
    pub submission_replays_per_ip_per_hour: u32,

    /// Username availability checks per client address per rolling hour.
    #[arg(long, env = "HBETS_USERNAME_CHECKS_PER_IP_PER_HOUR", default_value_t = usernames::DEFAULT_CHECKS_PER_IP_PER_HOUR, value_parser = at_least_one())]
    pub username_checks_per_ip_per_hour: u32,

    /// MiB of images a verified number may upload per rolling day.
    #[arg(long, env = "HBETS_UPLOAD_MIB_PER_PHONE_PER_DAY", default_value_t = uploads::DEFAULT_MIB_PER_PHONE_PER_DAY, value_parser = at_least_one())]
    pub upload_mib_per_phone_per_day: u32,

    /// MiB of images one application may quote, all attachments together.
    #[arg(long, env = "HBETS_UPLOAD_MIB_PER_APPLICATION", default_value_t = uploads::DEFAULT_MIB_PER_APPLICATION, value_parser = at_least_one())]
    pub upload_mib_per_application: u32,

    /// Passwords hashed (Argon2id, 19 MiB each) at the same time; more wait their turn.
    #[arg(long, env = "HBETS_ARGON2_CONCURRENCY", default_value_t = work::DEFAULT_ARGON2_CONCURRENCY, value_parser = at_least_one())]
    pub argon2_concurrency: u32,

    /// Pictures decoded for thumbnails (up to 256 MiB each) at the same time; more wait their turn.
    #[arg(long, env = "HBETS_DECODE_CONCURRENCY", default_value_t = work::DEFAULT_DECODE_CONCURRENCY, value_parser = at_least_one())]
    pub decode_concurrency: u32,

    /// Seconds a request may take, reading its body included; then 503 `request_timeout`.
    #[arg(long, env = "HBETS_REQUEST_TIMEOUT_S", default_value_t = server::DEFAULT_REQUEST_TIMEOUT_S, value_parser = at_least_one())]
    pub request_timeout_s: u32,

    /// Requests handled at the same time; one more is answered 503 `server_busy` at once.
    #[arg(long, env = "HBETS_MAX_CONCURRENT_REQUESTS", default_value_t = server::DEFAULT_MAX_CONCURRENT_REQUESTS, value_parser = at_least_one())]
    pub max_concurrent_requests: u32,

    /// Send `Strict-Transport-Security` (one year): only when the app is reached over HTTPS, here (TLS in front
    /// of this port) or at the exchange's reverse proxy.
    #[arg(long, env = "HBETS_HSTS")]
    pub hsts: bool,

    /// Hours after which an upload that no stored application quotes is deleted, file and row.
    #[arg(long, env = "HBETS_UNATTACHED_UPLOAD_RETENTION_H", default_value_t = retention::DEFAULT_UNATTACHED_UPLOAD_RETENTION_H, value_parser = at_least_one())]
    pub unattached_upload_retention_h: u32,

    /// Hours after which SMS codes and the other rows the rate limits count (wrong code tries, username checks,
    /// repeated and refused submissions) are deleted; at least 24, the longest limit window.
    #[arg(long, env = "HBETS_LIMIT_RECORDS_RETENTION_H", default_value_t = retention::DEFAULT_LIMIT_RECORDS_RETENTION_H, value_parser = clap::value_parser!(u32).range(24..))]
    pub limit_records_retention_h: u32,

    /// Days after which the client address of an application or quiz attempt is replaced by `purged`.
    #[arg(long, env = "HBETS_CLIENT_ADDRESS_RETENTION_DAYS", default_value_t = retention::DEFAULT_CLIENT_ADDRESS_RETENTION_DAYS, value_parser = at_least_one())]
    pub client_address_retention_days: u32,
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
            ipv6_prefix_len: extract::DEFAULT_IPV6_PREFIX_LEN,
            sms_per_phone_per_day: sms::DEFAULT_PER_PHONE_PER_DAY,
            sms_budget_per_hour: sms::DEFAULT_BUDGET_PER_HOUR,
            sms_wrong_codes_per_phone_per_day: sms::DEFAULT_WRONG_CODES_PER_PHONE_PER_DAY,
            submission_replays_per_ip_per_hour: applications::DEFAULT_REPLAYS_PER_IP_PER_HOUR,
            username_checks_per_ip_per_hour: usernames::DEFAULT_CHECKS_PER_IP_PER_HOUR,
            upload_mib_per_phone_per_day: uploads::DEFAULT_MIB_PER_PHONE_PER_DAY,
            upload_mib_per_application: uploads::DEFAULT_MIB_PER_APPLICATION,
            argon2_concurrency: work::DEFAULT_ARGON2_CONCURRENCY,
            decode_concurrency: work::DEFAULT_DECODE_CONCURRENCY,
            request_timeout_s: server::DEFAULT_REQUEST_TIMEOUT_S,
            max_concurrent_requests: server::DEFAULT_MAX_CONCURRENT_REQUESTS,
            hsts: false,
            unattached_upload_retention_h: retention::DEFAULT_UNATTACHED_UPLOAD_RETENTION_H,
            limit_records_retention_h: retention::DEFAULT_LIMIT_RECORDS_RETENTION_H,
            client_address_retention_days: retention::DEFAULT_CLIENT_ADDRESS_RETENTION_DAYS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;

    fn parse(args: &[&str]) -> Config {
        let mut all = vec!["backend"];
        all.extend_from_slice(args);
        Cli::try_from_args(all).unwrap().config
    }

    #[test]
    fn default_matches_the_flags_defaults() {
        let parsed = parse(&[]);
        assert_eq!(parsed, Config::default());
        // The defaults the README and docs/config.md state.
        let limits = [
            parsed.quiz_attempts_per_ip_per_day,
            parsed.sms_per_ip_per_hour,
            parsed.sms_per_phone_per_hour,
            parsed.sms_cooldown_s,
            parsed.applications_per_ip_per_hour,
            parsed.sms_per_phone_per_day,
            parsed.sms_budget_per_hour,
            parsed.sms_wrong_codes_per_phone_per_day,
            parsed.submission_replays_per_ip_per_hour,
            parsed.username_checks_per_ip_per_hour,
            parsed.upload_mib_per_phone_per_day,
            parsed.upload_mib_per_application,
            parsed.argon2_concurrency,
            parsed.decode_concurrency,
            parsed.request_timeout_s,
            parsed.max_concurrent_requests,
            parsed.unattached_upload_retention_h,
            parsed.limit_records_retention_h,
            parsed.client_address_retention_days,
        ];
        assert_eq!(
            limits,
            [10, 20, 5, 60, 10, 10, 500, 20, 30, 300, 100, 50, 2, 2, 120, 256, 72, 24, 90]
        );
        assert_eq!(parsed.ipv6_prefix_len, 64);
        assert!(!parsed.hsts && !parsed.dev);
        assert!(parsed.trusted_proxy.is_empty());
    }

    #[test]
    fn every_flag_has_its_environment_variable() {
        let command = Cli::definition();
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
        let c = parse(&[
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
            "--sms-per-phone-per-day",
            "12",
            "--sms-budget-per-hour",
            "40",
            "--ipv6-prefix-len",
            "56",
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
        assert_eq!((c.sms_per_phone_per_day, c.sms_budget_per_hour), (12, 40));
        assert_eq!(c.ipv6_prefix_len, 56);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            c.trusted_proxy,
            [ip("10.0.0.1"), ip("10.0.0.2"), ip("::1"), ip("192.0.2.7")]
        );
        assert_eq!(c.app_config, PathBuf::from("dist/config.json"));
    }

    #[test]
    fn bad_limits_and_proxies_are_refused() {
        for args in [
            ["--sms-per-ip-per-hour", "0"],
            ["--quiz-attempts-per-ip-per-day", "-1"],
            ["--applications-per-ip-per-hour", "many"],
            ["--trusted-proxy", "proxy.internal"],
            ["--trusted-proxy", "10.0.0.0/8"],
            ["--ipv6-prefix-len", "0"],
            ["--ipv6-prefix-len", "129"],
            ["--limit-records-retention-h", "23"],
            ["--argon2-concurrency", "0"],
        ] {
            let parsed = Cli::try_from_args(["backend", args[0], args[1]]);
            assert!(parsed.is_err(), "{args:?} was accepted");
        }
    }

    #[test]
    fn flags_are_read() {
        let c = parse(&[
            "--addr",
            "0.0.0.0:9000",
            "--dev",
            "--hsts",
            "--log-format",
            "json",
            "--frame-ancestors",
            "'self' https://www.hbets.cn",
        ]);
        assert_eq!(c.addr.port(), 9000);
        assert!(c.dev && c.hsts);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.frame_ancestors, "'self' https://www.hbets.cn");
    }
}
