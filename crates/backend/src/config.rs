//! The command line: `backend [flags]` serves (each flag also readable from an `HBETS_*` environment variable);
//! `backend review …` is the exchange's operator reviewing applications in the same database.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use domain::api::{ApplicationStatus, ApplicationStep};

use crate::{applications, quiz, sms};

/// Reference backend of the online account opening: implements `docs/openapi.yaml` and serves the built app;
/// `backend review` moves applications through the exchange's review.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "backend",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Serving (without a subcommand).
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// The exchange's review: list and show applications, and move them on. Every change is audited with the
    /// operator's name and queues the e-mail and SMS the investor gets, as the server's own changes do.
    Review(ReviewCommand),
}

#[derive(Clone, Debug, Args)]
pub struct ReviewCommand {
    /// Where the server keeps `backend.sqlite3` (its `--data-dir`); safe to use while it runs.
    #[arg(long, env = "HBETS_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Who makes the change, as the audit records it (default: the login name).
    #[arg(long, env = "USER", default_value = "operator", global = true)]
    pub operator: String,

    #[command(subcommand)]
    pub action: ReviewAction,
}

#[derive(Clone, Debug, Subcommand)]
pub enum ReviewAction {
    /// Applications, newest first.
    List {
        /// Only those in this status.
        #[arg(long, value_parser = status_parser())]
        status: Option<ApplicationStatus>,
    },
    /// One application: what it holds, its history and the messages queued for the investor.
    Show { reference: String },
    /// The fee receipt arrived (the investor e-mailed it): submitted → receipt_received.
    Receipt { reference: String },
    /// The 200 CNY arrived: submitted or receipt_received → fee_received.
    FeeReceived { reference: String },
    /// The trading account is open: fee_received → approved.
    Approve {
        reference: String,
        /// The trading account (seat) number the investor is told.
        #[arg(long)]
        account: String,
    },
    /// Send back to the investor to fix one step: submitted, receipt_received or fee_received → returned.
    Return {
        reference: String,
        /// The part of the application to fix.
        #[arg(long, value_parser = step_parser())]
        step: ApplicationStep,
        /// Why, in words the investor reads (it is in the e-mail and the SMS).
        #[arg(long)]
        reason: String,
    },
}

fn status_parser() -> impl TypedValueParser<Value = ApplicationStatus> {
    PossibleValuesParser::new(ApplicationStatus::ALL.map(ApplicationStatus::as_str))
        .map(|name| ApplicationStatus::from_name(&name).expect("a listed status"))
}

fn step_parser() -> impl TypedValueParser<Value = ApplicationStep> {
    PossibleValuesParser::new(ApplicationStep::ALL.map(ApplicationStep::as_str))
        .map(|name| ApplicationStep::from_name(&name).expect("a listed step"))
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The server's flags.
#[derive(Clone, Debug, Parser)]
#[command(name = "backend", version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HBETS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The app as built by trunk (served at `--base-path`).
    #[arg(long, env = "HBETS_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// The path the app is served under, e.g. `/kaihu/`: its pages, files and `config.json` are below it (every
    /// address under it without a file extension is a page of the app); the API stays at `/api/v1`.
    #[arg(long, env = "HBETS_BASE_PATH", default_value = "/", value_parser = parse_base_path)]
    pub base_path: String,

    /// Where `backend.sqlite3` and `uploads/` live; created when missing.
    #[arg(long, env = "HBETS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Development mode: logs SMS codes and enables `/api/v1/dev/*`. Never in production.
    #[arg(long, env = "HBETS_DEV")]
    pub dev: bool,

    /// Development mode only: the demo host pages (an imitation of the exchange's site that opens the app in the
    /// three ways of `docs/embedding.md`), served at `/demo/`.
    #[arg(long, env = "HBETS_DEMO_DIR", default_value = "examples/host")]
    pub demo_dir: PathBuf,

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

/// A base path: `/`, or segments of letters, digits and `-._~` between slashes (`/kaihu/`, `/service/kaihu/`);
/// the trailing slash is added when missing.
pub fn parse_base_path(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text == "/" {
        return Ok("/".to_string());
    }
    let Some(inner) = text.strip_prefix('/') else {
        return Err(format!("{text:?} must start with /"));
    };
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    if !inner.split('/').all(segment_ok) {
        return Err(format!(
            "{text:?} is not a base path such as /kaihu/ (letters, digits and -._~ between single slashes)"
        ));
    }
    Ok(format!("/{inner}/"))
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
            base_path: "/".to_string(),
            demo_dir: PathBuf::from("examples/host"),
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
        assert_eq!(parsed.base_path, default.base_path);
        assert_eq!(parsed.demo_dir, default.demo_dir);
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
    fn no_subcommand_serves_with_the_flags() {
        let cli = Cli::parse_from(["backend", "--dev", "--addr", "0.0.0.0:9000"]);
        assert!(cli.command.is_none());
        assert!(cli.config.dev);
        assert_eq!(cli.config.addr.port(), 9000);
    }

    #[test]
    fn review_subcommands_are_read() {
        let cli = Cli::parse_from([
            "backend",
            "review",
            "return",
            "hb20260315k7q2mx",
            "--step",
            "attachments",
            "--reason",
            "看不清",
            "--data-dir",
            "/srv/hbets",
            "--operator",
            "li",
        ]);
        let Some(Command::Review(review)) = cli.command else {
            panic!("not a review")
        };
        assert_eq!(review.data_dir, PathBuf::from("/srv/hbets"));
        assert_eq!(review.operator, "li");
        let ReviewAction::Return {
            reference,
            step,
            reason,
        } = review.action
        else {
            panic!("not a return")
        };
        assert_eq!(
            (reference.as_str(), step, reason.as_str()),
            ("hb20260315k7q2mx", ApplicationStep::Attachments, "看不清")
        );
        let cli = Cli::parse_from(["backend", "review", "list", "--status", "receipt_received"]);
        let Some(Command::Review(review)) = cli.command else {
            panic!("not a review")
        };
        assert!(matches!(
            review.action,
            ReviewAction::List {
                status: Some(ApplicationStatus::ReceiptReceived)
            }
        ));
    }

    #[test]
    fn review_changes_need_what_they_announce() {
        for args in [
            &["review", "approve", "HB20260315K7Q2MX"][..],
            &["review", "return", "HB20260315K7Q2MX", "--reason", "看不清"],
            &[
                "review",
                "return",
                "HB20260315K7Q2MX",
                "--step",
                "attachments",
            ],
            &[
                "review", "return", "HB1", "--step", "photo", "--reason", "x",
            ],
            &["review", "list", "--status", "pending"],
            &["review", "fee-received"],
            &["--dev", "review", "list"],
        ] {
            let parsed =
                Cli::try_parse_from(std::iter::once("backend").chain(args.iter().copied()));
            assert!(parsed.is_err(), "{args:?} was accepted");
        }
    }

    #[test]
    fn base_paths_are_normalized_or_refused() {
        for (given, expected) in [
            ("/", "/"),
            ("/kaihu/", "/kaihu/"),
            ("/kaihu", "/kaihu/"),
            (" /service/kaihu-2 ", "/service/kaihu-2/"),
        ] {
            assert_eq!(parse_base_path(given).as_deref(), Ok(expected), "{given}");
            let c = Config::parse_from(["backend", "--base-path", given]);
            assert_eq!(c.base_path, expected);
        }
        for bad in [
            "",
            "kaihu/",
            "//",
            "/kaihu//",
            "/a//b/",
            "/../",
            "/./x/",
            "/kai hu/",
            "/kaihu\"/",
            "/开户/",
            "/a?b/",
            "/a#b/",
            "/%2e%2e/",
        ] {
            assert!(parse_base_path(bad).is_err(), "{bad:?} was accepted");
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
