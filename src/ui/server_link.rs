//! The live side of a project on a team server: the [`ServerListener`] that hears other
//! coders' commands (PostgreSQL LISTEN/NOTIFY), which of the notices are this workbench's own
//! commands coming back (not announced twice), and what happens when the server cannot be
//! reached: the commands the researcher sends meanwhile are kept, in order, and a new
//! connection is tried every few seconds on a thread of its own; once it is made, the session
//! sends the kept commands. A command is one transaction, so a lost connection never leaves
//! one half written: it either committed before the loss or it is still here.
//!
//! [`crate::ui::session::Session`] owns one of these while a server project is open and polls
//! it every frame.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::command::Command;
use crate::project::Project;
use crate::store::{Notice, ServerListener};
use crate::ui::jobs::Job;

/// How often a lost server is tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(2);

/// How often the window repaints while a server project is open (to show notices in time).
pub const POLL_EVERY: Duration = Duration::from_millis(250);

/// At most this many own commands wait for their notice (notices of a dead listener never
/// come; the oldest expectations are dropped).
const EXPECTED_LIMIT: usize = 256;

/// A new connection: the project opened again and a listener of its own.
pub struct Reconnected {
    project: Project,
    listener: Option<ServerListener>,
}

/// What one poll found.
#[derive(Default)]
pub struct Polled {
    /// Other coders' commands, oldest first: the views show them, the status line names them.
    pub others: Vec<Notice>,
    /// True when the project changed (others' commands, or this role's from elsewhere, such
    /// as a background import): the views read it again.
    pub changed: bool,
    /// A new connection after a loss, and the commands kept meanwhile, in order.
    pub reconnected: Option<(Project, Vec<Command>)>,
}

/// While the server cannot be reached.
struct Lost {
    next_try: Instant,
    attempt: Option<Job<Reconnected>>,
}

/// An open server project's connection state.
pub struct ServerLink {
    /// The address the project was opened with, with the typed password when there was one:
    /// kept in memory only, to reconnect and to open background connections.
    open_url: String,
    listener: Option<ServerListener>,
    /// This workbench's own commands whose notices are still to come: `(action, label)`.
    expected: Vec<(String, String)>,
    /// Commands sent while the server could not be reached, in order.
    unsent: Vec<Command>,
    lost: Option<Lost>,
    retry_every: Duration,
}

impl ServerLink {
    /// The link of a project opened with `open_url`; without a listener it starts as lost.
    pub fn new(open_url: String, listener: Option<ServerListener>) -> ServerLink {
        let mut link = ServerLink {
            open_url,
            listener: None,
            expected: Vec::new(),
            unsent: Vec::new(),
            lost: None,
            retry_every: RETRY_EVERY,
        };
        match listener {
            Some(listener) => link.listener = Some(listener),
            None => link.connection_lost(),
        }
        link
    }

    /// Starts listening on the server of `project`.
    pub fn start(open_url: String, project: &Project) -> ServerLink {
        let listener = project
            .server()
            .and_then(|address| ServerListener::start(address).ok());
        ServerLink::new(open_url, listener)
    }

    /// Tries a lost server this often (tests shorten it).
    pub fn set_retry_every(&mut self, every: Duration) {
        self.retry_every = every;
    }

    /// What to open the project with again (password included when one was typed).
    pub fn open_path(&self) -> &Path {
        Path::new(&self.open_url)
    }

    /// True while the server cannot be reached.
    pub fn is_lost(&self) -> bool {
        self.lost.is_some()
    }

    /// The labels of the commands kept while the server cannot be reached, in order.
    pub fn unsent_labels(&self) -> Vec<String> {
        self.unsent.iter().map(Command::label).collect()
    }

    /// Records an own command (`do`, `undo`, `redo` with its label), whose notice will come
    /// back from the server and is not to be announced.
    pub fn expect_own(&mut self, action: &str, label: &str) {
        if self.listener.is_none() {
            return;
        }
        self.expected.push((action.to_owned(), label.to_owned()));
        if self.expected.len() > EXPECTED_LIMIT {
            self.expected.remove(0);
        }
    }

    /// Keeps a command to send once the server can be reached again.
    pub fn keep_unsent(&mut self, command: Command) {
        self.unsent.push(command);
    }

    /// The connection is gone: stop listening and try again in a moment.
    pub fn connection_lost(&mut self) {
        self.listener = None;
        self.expected.clear();
        if self.lost.is_none() {
            self.lost = Some(Lost {
                next_try: Instant::now() + self.retry_every,
                attempt: None,
            });
        }
    }

    /// One frame's look at the server. `own_coder` is the role signed in: its notices are
    /// this workbench's (or the same researcher's elsewhere) and are not announced.
    pub fn poll(&mut self, own_coder: &str) -> Polled {
        let mut polled = Polled::default();
        if let Some(listener) = &self.listener {
            for notice in listener.poll() {
                match notice {
                    Ok(notice) => self.take_notice(notice, own_coder, &mut polled),
                    Err(_) => {
                        self.connection_lost();
                        break;
                    }
                }
            }
        }
        self.poll_reconnect(&mut polled, false);
        polled
    }

    /// Blocks until a reconnection attempt under way (if any) has finished and takes its
    /// result, as the next poll would (tests).
    pub fn wait_for_reconnect(&mut self) -> Polled {
        let mut polled = Polled::default();
        self.poll_reconnect(&mut polled, true);
        polled
    }

    fn take_notice(&mut self, notice: Notice, own_coder: &str, polled: &mut Polled) {
        if notice.coder == own_coder {
            // The notice truncates very long labels; an own command's label starts with it.
            let own = self.expected.iter().position(|(action, label)| {
                *action == notice.action && label.starts_with(&notice.label)
            });
            match own {
                Some(index) => {
                    self.expected.remove(index);
                }
                None => polled.changed = true,
            }
            return;
        }
        polled.changed = true;
        polled.others.push(notice);
    }

    fn poll_reconnect(&mut self, polled: &mut Polled, wait: bool) {
        let Some(lost) = &mut self.lost else {
            return;
        };
        if let Some(job) = &mut lost.attempt {
            let finished = if wait { job.wait() } else { job.poll() };
            match finished {
                None => return,
                Some(Ok(reconnected)) => {
                    self.lost = None;
                    self.listener = reconnected.listener;
                    if self.listener.is_none() {
                        self.connection_lost();
                    }
                    let unsent = std::mem::take(&mut self.unsent);
                    polled.changed = true;
                    polled.reconnected = Some((reconnected.project, unsent));
                    return;
                }
                Some(Err(_)) => {
                    lost.attempt = None;
                    lost.next_try = Instant::now() + self.retry_every;
                    return;
                }
            }
        }
        if Instant::now() >= lost.next_try {
            let url = self.open_url.clone();
            lost.attempt = Some(Job::spawn("reconnect", move |_| {
                let project = Project::open(Path::new(&url))?;
                let listener = project
                    .server()
                    .and_then(|address| ServerListener::start(address).ok());
                Ok(Reconnected { project, listener })
            }));
        }
    }
}

/// `url` without the password written in it (what the recent-projects list keeps).
pub fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!(
                "{}{user}@{host}{}",
                &url[..scheme_end],
                &rest[authority_end..]
            )
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recent_list_keeps_a_server_address_without_its_password() {
        assert_eq!(
            without_password("postgres://鈴木:p%40ss@db:5432/study?project=s"),
            "postgres://鈴木@db:5432/study?project=s"
        );
        assert_eq!(
            without_password("postgres://鈴木@db/study?project=s"),
            "postgres://鈴木@db/study?project=s"
        );
    }

    #[test]
    fn own_notices_are_swallowed_once_and_others_are_announced() {
        let mut link = ServerLink {
            open_url: String::new(),
            listener: None,
            expected: vec![("do".to_owned(), "コーディングの追加".to_owned())],
            unsent: Vec::new(),
            lost: None,
            retry_every: RETRY_EVERY,
        };
        let notice = |coder: &str| Notice {
            project: "s".to_owned(),
            coder: coder.to_owned(),
            action: "do".to_owned(),
            label: "コーディングの追加".to_owned(),
        };
        let mut polled = Polled::default();
        link.take_notice(notice("山田"), "山田", &mut polled);
        assert!(!polled.changed && polled.others.is_empty());
        // The same label again from this role: not expected any more, so it is news (the
        // same researcher in another window), read but not announced.
        link.take_notice(notice("山田"), "山田", &mut polled);
        assert!(polled.changed && polled.others.is_empty());
        link.take_notice(notice("鈴木"), "山田", &mut polled);
        assert_eq!(polled.others, [notice("鈴木")]);
    }
}
