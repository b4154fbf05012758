//! An open session on a team server: sending commands so that a lost connection keeps them,
//! polling the server every frame (other coders' commands refresh the views and are named in
//! the status line; a lost connection is retried and the kept commands are sent once it is
//! back), and the banner shown meanwhile. The connection state itself is [`ServerLink`]'s.

use std::path::PathBuf;

use eframe::egui;

use super::{Report, Session};
use crate::command::Command;
use crate::store::Notice;
use crate::ui::i18n::{Strings, fill};
use crate::ui::server_link::{POLL_EVERY, ServerLink};

/// What became of a command sent by the workbench.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// Applied (one transaction); its label.
    Applied(String),
    /// The team server could not be reached: kept, to be sent once reconnected; its label.
    Kept(String),
}

impl Session {
    /// Executes a command. On a team server that cannot be reached (now, or found so by this
    /// very command) the command is kept to be sent once reconnected; it changed nothing,
    /// being one transaction.
    pub(super) fn send(&mut self, command: Command) -> anyhow::Result<Sent> {
        let Some(link) = &mut self.server else {
            return Ok(Sent::Applied(self.project.execute(command)?));
        };
        let label = command.label();
        if link.is_lost() {
            link.keep_unsent(command);
            return Ok(Sent::Kept(label));
        }
        match self.project.execute(command.clone()) {
            Ok(label) => {
                link.expect_own("do", &label);
                Ok(Sent::Applied(label))
            }
            Err(error) if error.is_connection_lost() => {
                link.connection_lost();
                link.keep_unsent(command);
                Ok(Sent::Kept(label))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// After an own undo or redo: its notice is expected; a lost connection is noticed.
    pub(super) fn own_history_step(
        &mut self,
        action: &str,
        result: crate::Result<Option<String>>,
    ) -> anyhow::Result<Option<String>> {
        if let Some(link) = &mut self.server {
            match &result {
                Ok(Some(label)) => link.expect_own(action, label),
                Err(error) if error.is_connection_lost() => link.connection_lost(),
                _ => {}
            }
        }
        Ok(result?)
    }

    /// True while the project's team server cannot be reached.
    pub fn is_offline(&self) -> bool {
        self.server.as_ref().is_some_and(ServerLink::is_lost)
    }

    /// The team server link, when the project is on one.
    pub fn server_link(&self) -> Option<&ServerLink> {
        self.server.as_ref()
    }

    /// The team server link, to change how often it retries (tests).
    pub fn server_link_mut(&mut self) -> Option<&mut ServerLink> {
        self.server.as_mut()
    }

    /// What a background connection opens: the project file, or the server address the
    /// project was opened with (with the typed password, which the shown path lacks).
    pub(super) fn reopen_path(&self) -> PathBuf {
        match &self.server {
            Some(link) => link.open_path().to_owned(),
            None => self.project.reopen_path(),
        }
    }

    /// One frame's look at the team server (nothing on a file project): other coders'
    /// commands read the project again, keeping the selection, the open document and its
    /// scroll position, and are reported for the status line; after a lost connection the
    /// project is opened again and the kept commands are sent. `wait` blocks for a
    /// reconnection under way (tests). Asks for a repaint in [`POLL_EVERY`] so that notices
    /// show while nobody touches the window.
    pub fn poll_server(
        &mut self,
        ctx: Option<&egui::Context>,
        strings: &Strings,
        wait: bool,
    ) -> Option<Report> {
        let link = self.server.as_mut()?;
        if let Some(ctx) = ctx {
            ctx.request_repaint_after(POLL_EVERY);
        }
        let mut polled = link.poll(self.project.coder());
        if wait && polled.reconnected.is_none() {
            polled = link.wait_for_reconnect();
        }
        let mut report = None;
        if let Some((project, unsent)) = polled.reconnected {
            self.project = project;
            report = Some(self.send_kept(unsent, strings));
        }
        if !polled.changed {
            return report;
        }
        if let Err(error) = self.refresh() {
            return Some(Err(error));
        }
        if polled.others.is_empty() {
            return report;
        }
        Some(Ok(announce(&polled.others, strings)))
    }

    /// Sends the commands kept while the server could not be reached, in order.
    fn send_kept(&mut self, unsent: Vec<Command>, strings: &Strings) -> Report {
        let server = strings.server;
        let mut applied = Vec::new();
        let mut failed = None;
        for command in unsent {
            match self.send(command) {
                Ok(Sent::Applied(label)) => applied.push(label),
                Ok(Sent::Kept(_)) => {}
                // A command that no longer applies (someone deleted its code meanwhile)
                // changed nothing; say so, and send the rest.
                Err(error) => failed = Some(error),
            }
        }
        if let Some(error) = failed {
            return Err(error);
        }
        Ok(if applied.is_empty() {
            server.reconnected.to_owned()
        } else {
            fill(server.reconnected_sent, &[&applied.join("、")])
        })
    }

    /// The banner while the server cannot be reached, with the commands kept meanwhile.
    pub(super) fn server_banner_ui(&self, ui: &mut egui::Ui, strings: &Strings) {
        let Some(link) = self.server.as_ref().filter(|link| link.is_lost()) else {
            return;
        };
        let server = strings.server;
        egui::Panel::top("server-lost").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, server.banner)
                    .on_hover_text(server.banner_hint);
                for label in link.unsent_labels() {
                    ui.separator();
                    ui.strong(fill(server.banner_unsent, &[&label]));
                }
            });
        });
    }
}

/// The status line's words for other coders' commands: the latest, and how many more.
fn announce(notices: &[Notice], strings: &Strings) -> String {
    let server = strings.server;
    let Some(latest) = notices.last() else {
        return String::new();
    };
    let template = match latest.action.as_str() {
        "undo" => server.notice_undo,
        "redo" => server.notice_redo,
        _ => server.notice,
    };
    let text = fill(template, &[&latest.coder, &latest.label]);
    match notices.len() {
        0 | 1 => text,
        many => fill(server.notice_more, &[&text, &(many - 1)]),
    }
}
