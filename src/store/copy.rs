//! A copy of the project for a second coder: the same documents, codebook, cases and GUIDs
//! (so that the copies merge back by GUID), optionally blind: without any other coder's
//! codings (with their memos), summaries, undo history and journal.

use std::path::Path;

use rusqlite::params;

use super::{Backend, Store, busy_or};
use crate::{Error, Result};

/// What a copy left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CopyReport {
    /// Codings of other coders left out.
    pub codings_removed: usize,
    /// Summaries written by other coders left out.
    pub summaries_removed: usize,
    /// Codings kept (the coder's own).
    pub codings_kept: usize,
}

impl Store {
    /// Writes a copy of the project to `out` (which must not exist) for `coder`; with `blind`
    /// the copy keeps only that coder's codings and summaries, and no history another coder's
    /// work could be read from.
    pub fn copy_for_coder(&self, out: &Path, coder: &str, blind: bool) -> Result<CopyReport> {
        if out.exists() {
            return Err(Error::ProjectExists(out.to_owned()));
        }
        match &self.backend {
            Backend::Lite(connection) => {
                let target = out.to_string_lossy().into_owned();
                connection
                    .execute("VACUUM INTO ?1", params![&target])
                    .map_err(|error| busy_or(error, &self.path))?;
            }
            Backend::Pg(_) => {
                self.download(out)?;
            }
        }
        let mut copy = Store::open(out)?;
        let tx = copy.transaction()?;
        let coder_id = tx.ensure_coder(coder)?;
        let mut report = CopyReport::default();
        if blind {
            report.codings_removed = tx.transaction().execute(
                "DELETE FROM codings WHERE coder_id <> ?1",
                params![coder_id.0],
            )?;
            report.summaries_removed = tx.transaction().execute(
                "DELETE FROM summaries WHERE author_id <> ?1",
                params![coder_id.0],
            )?;
            tx.transaction()
                .execute("DELETE FROM undo_stack", params![])?;
            tx.transaction().execute("DELETE FROM journal", params![])?;
        }
        report.codings_kept = tx.transaction().query_row(
            "SELECT count(*) FROM codings WHERE coder_id = ?1",
            params![coder_id.0],
            |row| row.get::<i64>(0),
        )? as usize;
        let label = if blind {
            format!("コーダー「{coder}」用のブラインド・コピー")
        } else {
            format!("コーダー「{coder}」用のコピー")
        };
        tx.transaction().execute(
            "INSERT INTO journal (at, coder, action, label, detail, coder_id)
             VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, 'do', ?2, ?3, ?4)",
            params![
                coder,
                label,
                serde_json::json!({ "blind": blind, "codings_removed": report.codings_removed })
                    .to_string(),
                coder_id.0
            ],
        )?;
        tx.commit()?;
        drop(copy);
        Ok(report)
    }
}
