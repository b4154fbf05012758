//! The team server on the command line: preparing a PostgreSQL database, members (roles),
//! publishing a project file, downloading a snapshot, and watching other coders' commands.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Subcommand;

use crate::store::{Grant, ServerAddress, ServerListener, Store};

/// The subcommands of this file, flattened into the top level.
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Set up and administer a PostgreSQL team server (see README, "Team server").
    Server {
        #[command(subcommand)]
        action: ServerAction,
    },
    /// Upload a project file as a new server project: every row, GUIDs and journal kept.
    /// URL: postgres://USER@HOST:PORT/DATABASE?project=NAME
    Publish { file: PathBuf, url: String },
    /// Write a server project (or any project) to a new local project file: for offline
    /// reading, archiving, or submitting with a paper.
    Download { url: String, out: PathBuf },
    /// Print other coders' commands on a server project as they commit (one line each).
    Watch {
        url: String,
        /// Stop after this many notices.
        #[arg(long)]
        count: Option<usize>,
        /// Stop after this many seconds.
        #[arg(long)]
        seconds: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServerAction {
    /// Prepare a database for casecode: the group roles casecode_admin, casecode_coder and
    /// casecode_reviewer and their rights. Run once, as a PostgreSQL superuser.
    Init { url: String },
    /// Create or update a member: a PostgreSQL login role with the rights of coder (read and
    /// write), reviewer (read and export only, enforced by PostgreSQL) or admin (also publish).
    Grant {
        url: String,
        #[arg(long)]
        role: String,
        #[arg(long = "as", value_name = "coder|reviewer|admin")]
        grant: String,
    },
    /// List the projects on the server that you may read.
    List { url: String },
}

pub fn run(command: ServerCommand, out: &mut impl Write) -> anyhow::Result<()> {
    match command {
        ServerCommand::Server { action } => match action {
            ServerAction::Init { url } => {
                let address = ServerAddress::parse(&url)?;
                Store::server_init(&address)?;
                writeln!(
                    out,
                    "{}: ready for casecode projects (roles casecode_admin, casecode_coder, casecode_reviewer)",
                    address.display
                )?;
            }
            ServerAction::Grant { url, role, grant } => {
                let address = ServerAddress::parse(&url)?;
                let Some(kind) = Grant::parse(&grant) else {
                    anyhow::bail!("--as takes coder, reviewer or admin, not '{grant}'");
                };
                Store::server_grant(&address, &role, kind)?;
                writeln!(out, "{role}: {grant} on {}", address.display)?;
            }
            ServerAction::List { url } => {
                let address = ServerAddress::parse(&url)?;
                for project in Store::server_projects(&address)? {
                    writeln!(out, "{project}")?;
                }
            }
        },
        ServerCommand::Publish { file, url } => {
            let address = ServerAddress::parse(&url)?;
            let report = Store::publish(&file, &address)?;
            writeln!(
                out,
                "published {} as {} ({} rows in {} tables)",
                file.display(),
                address.display,
                report.rows,
                report.tables
            )?;
        }
        ServerCommand::Download { url, out: file } => {
            let store = Store::open(std::path::Path::new(&url))?;
            let report = store.download(&file)?;
            writeln!(
                out,
                "downloaded {} to {} ({} rows in {} tables)",
                store.path().display(),
                file.display(),
                report.rows,
                report.tables
            )?;
        }
        ServerCommand::Watch {
            url,
            count,
            seconds,
        } => {
            let address = ServerAddress::parse(&url)?;
            // Opening the project first checks that it exists and may be read.
            Store::open_server(&address)?;
            let listener = ServerListener::start(&address)?;
            let deadline = seconds.map(|seconds| Instant::now() + Duration::from_secs(seconds));
            let mut seen = 0;
            writeln!(out, "watching {}", address.display)?;
            out.flush()?;
            while count.is_none_or(|count| seen < count)
                && deadline.is_none_or(|deadline| Instant::now() < deadline)
            {
                if let Some(notice) = listener.wait(Duration::from_millis(200)) {
                    let notice = notice?;
                    writeln!(out, "{}\t{}\t{}", notice.coder, notice.action, notice.label)?;
                    out.flush()?;
                    seen += 1;
                }
            }
        }
    }
    Ok(())
}
