//! A revision before it is applied: the edits that turn a document's stored text into a new
//! version (typed in the workbench, or read from a corrected file by the importers) and what
//! they would do to each coding, for the CLI's report and the workbench's preview.

use std::path::Path;

use super::anchor::{Fate, RevisionPlan, plan_revision};
use super::edits::{TextEdit, check_edits, diff_texts};
use crate::command::{Command, NewUtterance};
use crate::import::txt::{TxtFlags, TxtOptions, read_document};
use crate::model::{CodeId, CodingId, DocumentInfo};
use crate::project::Project;
use crate::text::CharIndex;
use crate::{Error, Result};

/// What would happen to one coding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodingPreview {
    pub coding_id: CodingId,
    pub code_id: CodeId,
    pub fate: Fate,
    /// The coding's text now.
    pub old_text: String,
    /// Its text after the revision; `None` for an orphan.
    pub new_text: Option<String>,
}

/// A revision of one document, ready to preview and apply.
#[derive(Clone, Debug)]
pub struct Revision {
    pub document: DocumentInfo,
    pub edits: Vec<TextEdit>,
    /// The utterances an import found in the new text (`None`: found again when applied).
    pub utterances: Option<Vec<NewUtterance>>,
    pub plan: RevisionPlan,
    /// Every coding that would change, by coding id (unchanged ones are left out).
    pub changes: Vec<CodingPreview>,
    /// What reading the new file noted (tracked changes accepted …).
    pub warnings: Vec<String>,
}

impl Revision {
    /// Plans the revision of `document` into `new_text`.
    pub fn to_text(project: &Project, document: DocumentInfo, new_text: &str) -> Result<Revision> {
        let old_text = project
            .read()
            .document_text(document.id)?
            .ok_or_else(|| Error::NoSuchDocument(document.name.clone()))?;
        let edits = diff_texts(&old_text, new_text);
        Revision::by_edits(project, document, &old_text, edits)
    }

    /// Plans the revision of `document` by explicit edits of its stored text.
    pub fn by_edits(
        project: &Project,
        document: DocumentInfo,
        old_text: &str,
        edits: Vec<TextEdit>,
    ) -> Result<Revision> {
        check_edits(&edits, document.chars).map_err(|message| {
            Error::Conflict(format!("document '{}': {message}", document.name))
        })?;
        let codings = project.read().codings_of_document(document.id)?;
        let plan = plan_revision(&codings, &edits);
        let old_index = CharIndex::new(old_text.to_owned());
        let new_index = CharIndex::new(super::edits::apply_edits(old_text, &edits));
        let mut changes = Vec::new();
        for coding in &codings {
            let Some(change) = plan.changes.get(&coding.id) else {
                continue;
            };
            if change.fate == Fate::Unchanged {
                continue;
            }
            changes.push(CodingPreview {
                coding_id: coding.id,
                code_id: coding.code_id,
                fate: change.fate,
                old_text: old_index
                    .slice(coding.span.start, coding.span.end)
                    .unwrap_or_default()
                    .to_owned(),
                new_text: change
                    .span
                    .and_then(|span| new_index.slice(span.start, span.end))
                    .map(str::to_owned),
            });
        }
        changes.sort_by_key(|preview| preview.coding_id);
        Ok(Revision {
            document,
            edits,
            utterances: None,
            plan,
            changes,
            warnings: Vec::new(),
        })
    }

    /// Plans the revision of `document` into a corrected file, read by the transcript importer
    /// (.txt in any encoding it knows, .docx). Without `flags`, the file is read with the
    /// cleanup filters the document was first imported with.
    pub fn from_file(
        project: &Project,
        document: DocumentInfo,
        path: &Path,
        flags: Option<&TxtFlags>,
    ) -> Result<Revision> {
        let options = match flags {
            Some(flags) => flags.options(),
            None => recorded_options(&document),
        }
        .map_err(|message| Error::bad_input(path.display(), message))?;
        let read = read_document(path, &options)?;
        let mut revision = Revision::to_text(project, document, &read.document.text)?;
        revision.utterances = Some(read.document.utterances);
        revision.warnings = read.warnings;
        Ok(revision)
    }

    /// True when the new version has the same text (the same file re-encoded or with other line
    /// ends): there is nothing to apply.
    pub fn is_unchanged(&self) -> bool {
        self.edits.is_empty()
    }

    /// Code points deleted and inserted.
    pub fn diff_size(&self) -> (usize, usize) {
        self.edits.iter().fold((0, 0), |(deleted, inserted), edit| {
            (deleted + edit.deleted(), inserted + edit.inserted())
        })
    }

    /// The command that applies it.
    pub fn command(&self) -> Command {
        Command::ReviseDocument {
            document_id: self.document.id,
            edits: self.edits.clone(),
            utterances: self.utterances.clone(),
        }
    }

    /// One line: `3 edits (−5 +4 characters); codings: 10 unchanged, 3 moved, …`.
    pub fn summary(&self) -> String {
        let (deleted, inserted) = self.diff_size();
        let [unchanged, moved, resized, review, orphaned] = self.plan.counts();
        format!(
            "{} edit(s) (−{deleted} +{inserted} characters); codings: {unchanged} unchanged, {moved} moved, {resized} resized, {review} flagged 要確認, {orphaned} orphaned",
            self.edits.len()
        )
    }
}

/// The import options a document was first read with: its recorded cleanup filters
/// (`aozora`, `drop-lines:REGEX` …), automatic encoding, the usual speaker labels.
fn recorded_options(document: &DocumentInfo) -> std::result::Result<TxtOptions, String> {
    let mut flags = TxtFlags::default();
    for filter in &document.metadata.filters {
        match filter.strip_prefix("drop-lines:") {
            Some(regex) => flags.drop_lines.push(regex.to_owned()),
            None => flags.filters.push(filter.clone()),
        }
    }
    flags.options()
}
