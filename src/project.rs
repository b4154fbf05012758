//! A project: the store plus the command history. Every change goes through
//! [`Project::execute`], which applies a command in one transaction, records its inverse on the
//! persisted undo stack and appends a journal line, so undo works across restarts and the
//! audit trail is complete.

use std::path::Path;

use crate::codebook::{CodeTree, DEFAULT_FRAME, resolve_role};
use crate::command::{Command, Footprint};
use crate::model::{CodeId, DocumentInfo, Frame, FrameId, Role, RoleId, Rows};
use crate::store::{IdTable, Reader, Store};
use crate::{Error, Result};

/// An open project.
pub struct Project {
    store: Store,
    coder: String,
}

impl Project {
    /// Creates a project file with the default role frame; refuses an existing file.
    pub fn create(path: &Path) -> Result<Project> {
        let mut store = Store::create(path)?;
        {
            let tx = store.transaction()?;
            tx.set_meta("guid", &crate::command::new_guid())?;
            tx.set_meta("created_at", &tx.now()?)?;
            tx.set_meta(
                "created_by",
                concat!("casecode ", env!("CARGO_PKG_VERSION")),
            )?;
            let frame_id = FrameId(tx.next_id(IdTable::Frames)?);
            let first_role = tx.next_id(IdTable::Roles)?;
            let (frame_name, role_names) = DEFAULT_FRAME;
            let rows = Rows {
                frames: vec![Frame {
                    id: frame_id,
                    name: frame_name.to_owned(),
                    position: 0,
                }],
                roles: role_names
                    .iter()
                    .enumerate()
                    .map(|(index, name)| Role {
                        id: RoleId(first_role + index as i64),
                        frame_id,
                        name: (*name).to_owned(),
                        position: index as i64,
                    })
                    .collect(),
                ..Rows::default()
            };
            tx.insert_rows(&rows)?;
            tx.commit()?;
        }
        Ok(Project {
            store,
            coder: default_coder(),
        })
    }

    /// Opens an existing project: a file, or a `postgres://…?project=NAME` server project.
    /// On a server the coder is the PostgreSQL role signed in.
    pub fn open(path: &Path) -> Result<Project> {
        let store = Store::open(path)?;
        let coder = match store.server_role()? {
            Some(role) => role,
            None => default_coder(),
        };
        Ok(Project { store, coder })
    }

    /// The project file, or the server address (without password).
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// What another connection of this process opens to reach the same project: the file, or
    /// the server address with the password it was opened with (for worker threads; never
    /// shown or saved — [`Project::path`] is the shown form).
    pub fn reopen_path(&self) -> std::path::PathBuf {
        match self.store.server() {
            Some(address) => address.full_url().into(),
            None => self.path().to_owned(),
        }
    }

    /// The server address when the project lives on a team server.
    pub fn server(&self) -> Option<&crate::store::ServerAddress> {
        self.store.server()
    }

    /// Writes the project to the new project file `out` (a snapshot of a server project).
    pub fn download(&self, out: &Path) -> Result<crate::store::TransferReport> {
        self.store.download(out)
    }

    /// The coder recorded in the journal and on new codings by default.
    pub fn coder(&self) -> &str {
        &self.coder
    }

    /// Sets the current coder (ignored when empty, and on a server project, where the coder
    /// is always the PostgreSQL role signed in).
    pub fn set_coder(&mut self, coder: &str) {
        if !coder.trim().is_empty() && self.store.server().is_none() {
            self.coder = coder.trim().to_owned();
        }
    }

    /// Read access to the committed state.
    pub fn read(&self) -> Reader<'_> {
        self.store.read()
    }

    /// `PRAGMA integrity_check`.
    pub fn integrity_check(&self) -> Result<String> {
        self.store.integrity_check()
    }

    /// Applies a command in one transaction, pushes its inverse on the undo stack and journals
    /// it. Returns the label. On error nothing changes.
    pub fn execute(&mut self, command: Command) -> Result<String> {
        let label = command.label();
        let detail = command.detail();
        let coder = self.coder.clone();
        let mut command = Some(command);
        retrying(&mut self.store, |store| {
            let store_is_server = store.server().is_some();
            // A server command may be tried again, so each try applies a copy; a file
            // project's command runs once.
            let this = match (&command, store.server()) {
                (Some(command), Some(_)) => command.clone(),
                _ => command
                    .take()
                    .ok_or_else(|| Error::Conflict("the command ran already".to_owned()))?,
            };
            let tx = store.transaction()?;
            let inverse = this.apply(&tx)?;
            // What the command touched matters only to per-coder undo on a server, where the
            // command is still at hand (each try applied a copy); a file's undo is one stack.
            let touched = match (&command, store_is_server) {
                (Some(command), true) => Footprint::of(command, &inverse).to_json(),
                _ => String::new(),
            };
            tx.push_undo(
                &label,
                &serialize(&inverse)?,
                &coder,
                &touched,
                store_is_server,
            )?;
            tx.journal_append(&coder, "do", &label, &detail)?;
            tx.commit()
        })?;
        Ok(label)
    }

    /// Undoes the latest done command; `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>> {
        let coder = self.coder.clone();
        retrying(&mut self.store, |store| Project::undo_once(store, &coder))
    }

    fn undo_once(store: &mut Store, coder: &str) -> Result<Option<String>> {
        let per_coder = store.server().is_some();
        let tx = store.transaction()?;
        let Some(entry) = tx.read().next_undo(per_coder.then_some(coder))? else {
            return Ok(None);
        };
        if per_coder {
            let mine = Footprint::from_json(&entry.touched);
            for later in tx.read().later_entries_of_others(entry.id, coder)? {
                if mine.is_used_by(&Footprint::from_json(&later.touched)) {
                    return Err(Error::Conflict(format!(
                        "「{}」は元に戻せません：その後の {} の「{}」がこれに依存しています（{} が先に元に戻すまで待ってください） / cannot undo '{}': {}'s later command '{}' depends on it",
                        entry.label,
                        later.coder,
                        later.label,
                        later.coder,
                        entry.label,
                        later.coder,
                        later.label
                    )));
                }
            }
        }
        let inverse = deserialize(&entry.command)?;
        let detail = inverse.detail();
        let redo = inverse.apply(&tx)?;
        tx.mark_undone(entry.id, &serialize(&redo)?)?;
        tx.journal_append(coder, "undo", &entry.label, &detail)?;
        tx.commit()?;
        Ok(Some(entry.label))
    }

    /// Redoes the latest undone command; `None` when there is nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>> {
        let coder = self.coder.clone();
        retrying(&mut self.store, |store| Project::redo_once(store, &coder))
    }

    fn redo_once(store: &mut Store, coder: &str) -> Result<Option<String>> {
        let per_coder = store.server().is_some();
        let tx = store.transaction()?;
        let Some(entry) = tx.read().next_redo(per_coder.then_some(coder))? else {
            return Ok(None);
        };
        let command = deserialize(&entry.command)?;
        let detail = command.detail();
        let undo = command.apply(&tx)?;
        tx.mark_redone(entry.id, &serialize(&undo)?)?;
        tx.journal_append(coder, "redo", &entry.label, &detail)?;
        tx.commit()?;
        Ok(Some(entry.label))
    }

    /// On a server each coder has an undo stack of her own; a file has one.
    fn own_stack(&self) -> Option<&str> {
        self.store.server().map(|_| self.coder.as_str())
    }

    /// The label of what undo would revert.
    pub fn undo_label(&self) -> Result<Option<String>> {
        Ok(self
            .read()
            .next_undo(self.own_stack())?
            .map(|entry| entry.label))
    }

    /// The label of what redo would re-apply.
    pub fn redo_label(&self) -> Result<Option<String>> {
        Ok(self
            .read()
            .next_redo(self.own_stack())?
            .map(|entry| entry.label))
    }

    /// A transaction for derived data only (the token index), which is rebuilt from the
    /// project and is therefore neither a command nor undoable. Project data changes go
    /// through [`Project::execute`].
    pub fn derived_data_transaction(&mut self) -> Result<crate::store::Tx<'_>> {
        self.store.transaction()
    }

    /// Writes a copy of the project for a second coder (see [`Store::copy_for_coder`]).
    pub fn copy_for_coder(
        &self,
        out: &Path,
        coder: &str,
        blind: bool,
    ) -> Result<crate::store::CopyReport> {
        self.store.copy_for_coder(out, coder, blind)
    }

    /// The code tree.
    pub fn code_tree(&self) -> Result<CodeTree> {
        Ok(CodeTree::new(self.read().codes()?))
    }

    /// A code by unique name or full path.
    pub fn resolve_code(&self, address: &str) -> Result<CodeId> {
        self.code_tree()?.resolve(address)
    }

    /// A role by `ROLE` or `FRAME/ROLE`.
    pub fn resolve_role(&self, address: &str) -> Result<RoleId> {
        resolve_role(address, &self.read().frames()?, &self.read().roles()?)
    }

    /// A document by name.
    pub fn document_named(&self, name: &str) -> Result<DocumentInfo> {
        self.read()
            .document_by_name(name)?
            .ok_or_else(|| Error::NoSuchDocument(name.to_owned()))
    }
}

/// Runs `attempt` (one transaction) again while it loses a race on the team server: another
/// coder's serializable transaction changed the same rows, or took the same new id. Each try
/// starts from scratch, so a command that no longer applies fails with its own message.
fn retrying<T>(store: &mut Store, mut attempt: impl FnMut(&mut Store) -> Result<T>) -> Result<T> {
    const TRIES: u32 = 30;
    let mut tries = 0;
    loop {
        match attempt(store) {
            Err(error) if error.is_lost_race() && tries < TRIES => {
                tries += 1;
                // A few milliseconds, growing, with jitter so that the losers do not collide
                // again in step.
                let jitter = u64::from(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |time| time.subsec_nanos())
                        % 7,
                );
                std::thread::sleep(std::time::Duration::from_millis(
                    (2 + jitter) * u64::from(tries.min(10)),
                ));
            }
            other => return other,
        }
    }
}

/// `CASECODE_CODER`, else the login name, else "researcher".
fn default_coder() -> String {
    ["CASECODE_CODER", "USER", "USERNAME"]
        .iter()
        .filter_map(|key| std::env::var(key).ok())
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "researcher".to_owned())
}

fn serialize(command: &Command) -> Result<String> {
    serde_json::to_string(command).map_err(|error| Error::BadHistory(error.to_string()))
}

fn deserialize(json: &str) -> Result<Command> {
    serde_json::from_str(json).map_err(|error| Error::BadHistory(error.to_string()))
}
