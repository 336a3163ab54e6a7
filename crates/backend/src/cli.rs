//! The command line: `backend [FLAGS]` serves; `backend <COMMAND> [FLAGS]` runs one task on the same data and
//! exits. The flags ([`Config`]) may stand before or after the command, and each command is one variant of
//! [`Command`].

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

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
    fn an_unknown_command_is_refused() {
        assert!(Cli::try_from_args(["backend", "purgee"]).is_err());
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::definition().debug_assert();
    }
}
