//! The command line: `backend [FLAGS]` serves; `backend <COMMAND> [FLAGS]` runs one task on the same data and
//! exits. The flags ([`Config`]) may stand before or after the command, and each command is one variant of
//! [`Command`].

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use domain::api::{ApplicationStatus, ApplicationStep};

use crate::config::Config;

/// Reference backend of the online account opening: implements `docs/openapi.yaml` and serves the built app.
/// Without a command it serves.
#[derive(Clone, Debug, Parser)]
#[command(name = "backend", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What the backend does besides serving.
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Deletes what is kept no longer (unattached uploads, old SMS codes and limit records, expired
    /// verification tokens, old client addresses; see the `--*-retention-*` flags), then exits. Run it daily
    /// from cron; serving runs it once at start.
    Purge,
    /// The exchange's review: list and show applications, and move them on. Every change is audited with the
    /// operator's name and queues the e-mail and SMS the investor gets, as the server's own changes do. Safe to
    /// use while the server runs on the same `--data-dir`.
    Review(ReviewCommand),
}

#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct ReviewCommand {
    /// Who makes the change, as the audit records it (default: the login name).
    #[arg(long, env = "USER", default_value = "operator", global = true)]
    pub operator: String,

    #[command(subcommand)]
    pub action: ReviewAction,
}

#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
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

impl Cli {
    /// The command line's definition: every flag is accepted after the command as well as before it.
    pub fn definition() -> clap::Command {
        <Cli as CommandFactory>::command().mut_args(|arg| arg.global(true))
    }

    /// Reads the process's arguments (and `HBETS_*` variables); prints help or the error and exits when asked
    /// to or when they are wrong.
    pub fn from_env() -> Cli {
        let matches = Cli::definition().get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }

    /// Reads `args` (the first is the program's name).
    pub fn try_from_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Cli::definition().try_get_matches_from(args)?;
        Cli::from_arg_matches(&matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_command_it_serves() {
        let cli = Cli::try_from_args(["backend", "--data-dir", "/srv/hbets"]).unwrap();
        assert_eq!(cli.command, None);
        assert_eq!(cli.config.data_dir, std::path::PathBuf::from("/srv/hbets"));
    }

    #[test]
    fn flags_stand_before_or_after_the_command() {
        for args in [
            ["backend", "purge", "--data-dir", "/srv/hbets"],
            ["backend", "--data-dir", "/srv/hbets", "purge"],
        ] {
            let cli = Cli::try_from_args(args).unwrap();
            assert_eq!(cli.command, Some(Command::Purge), "{args:?}");
            assert_eq!(
                cli.config.data_dir,
                std::path::PathBuf::from("/srv/hbets"),
                "{args:?}"
            );
        }
    }

    #[test]
    fn review_commands_are_read() {
        let cli = Cli::try_from_args([
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
        ])
        .unwrap();
        assert_eq!(cli.config.data_dir, std::path::PathBuf::from("/srv/hbets"));
        let Some(Command::Review(review)) = cli.command else {
            panic!("not a review")
        };
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
        let cli = Cli::try_from_args(["backend", "review", "list", "--status", "receipt_received"])
            .unwrap();
        let Some(Command::Review(review)) = cli.command else {
            panic!("not a review")
        };
        assert_eq!(
            review.action,
            ReviewAction::List {
                status: Some(ApplicationStatus::ReceiptReceived)
            }
        );
    }

    #[test]
    fn an_unknown_command_is_refused() {
        assert!(Cli::try_from_args(["backend", "purgee"]).is_err());
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::definition().debug_assert();
    }
}
