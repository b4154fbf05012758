//! Revising transcripts after coding: `revise` re-imports a corrected file, `edit` replaces one
//! span, `replace` replaces a text in one or all documents (anonymising), `orphans` lists the
//! codings whose text a revision deleted and re-attaches or deletes them. Each change is one
//! undoable command; every coding is re-anchored (see `casecode::revise`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;

use super::open;
use crate::command::Command;
use crate::import::txt::TxtFlags;
use crate::model::{DocumentId, Orphan};
use crate::project::Project;
use crate::revise::{Fate, Revision, TextEdit, replace_all};

/// The subcommands of this file, flattened into the top level.
#[derive(Debug, Subcommand)]
pub enum ReviseCommand {
    /// Replace a document's text with a corrected version of the transcript (.txt in any
    /// encoding, .docx), keeping every coding: each is moved, resized, flagged 要確認 or kept as
    /// an orphan. The same text re-encoded or with other line ends is no change.
    Revise {
        project: PathBuf,
        /// The document to revise (its name).
        #[arg(long)]
        doc: String,
        /// The corrected transcript.
        file: PathBuf,
        /// Print what would happen to each coding and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// auto | utf-8 | shift_jis | cp932 | euc-jp | utf-16le | utf-16be (.txt only)
        #[arg(long, default_value = "auto")]
        encoding: String,
        /// Cleanup filters as for `import` (default: those the document was imported with).
        #[arg(long = "filter", value_name = "NAMES")]
        filters: Vec<String>,
        /// Remove lines matching this regex, as for `import`; repeatable.
        #[arg(long = "drop-lines", value_name = "REGEX")]
        drop_lines: Vec<String>,
    },
    /// Replace the span [start, end) of a document (code points) with a text; an empty span
    /// inserts, an empty text deletes.
    Edit {
        project: PathBuf,
        #[arg(long)]
        doc: String,
        #[arg(long)]
        start: usize,
        #[arg(long)]
        end: usize,
        /// The new text of the span.
        #[arg(long, allow_hyphen_values = true)]
        text: String,
    },
    /// Replace every occurrence of a text, in all documents or in those given (e.g. a name
    /// with ○○ to anonymise a transcript).
    Replace {
        project: PathBuf,
        #[arg(long)]
        find: String,
        #[arg(long = "with", allow_hyphen_values = true)]
        with: String,
        /// Only this document (repeatable).
        #[arg(long = "doc")]
        docs: Vec<String>,
    },
    /// List orphans (codings whose text a revision deleted) and codings flagged 要確認;
    /// re-attach or delete orphans.
    Orphans {
        project: PathBuf,
        #[command(subcommand)]
        action: Option<OrphanAction>,
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What to do with orphans.
#[derive(Debug, Subcommand)]
pub enum OrphanAction {
    /// Put an orphan back on the span [start, end) of its document.
    Reattach {
        orphan: i64,
        #[arg(long)]
        start: usize,
        #[arg(long)]
        end: usize,
    },
    /// Delete orphans for good (undoable like every change).
    Delete {
        #[arg(required = true)]
        orphans: Vec<i64>,
    },
}

/// Runs one revision subcommand; errors change nothing in the project.
pub fn run(
    command: ReviseCommand,
    coder: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        ReviseCommand::Revise {
            project,
            doc,
            file,
            dry_run,
            encoding,
            filters,
            drop_lines,
        } => {
            let mut project = open(&project, coder)?;
            let document = project.document_named(&doc)?;
            let flags =
                (encoding != "auto" || !filters.is_empty() || !drop_lines.is_empty()).then(|| {
                    TxtFlags {
                        encoding,
                        filters,
                        drop_lines,
                        ..TxtFlags::default()
                    }
                });
            let revision = Revision::from_file(&project, document, &file, flags.as_ref())?;
            for warning in &revision.warnings {
                eprintln!("warning: {}: {warning}", file.display());
            }
            if revision.is_unchanged() {
                writeln!(
                    out,
                    "no change: {} has the same text as {doc}",
                    file.display()
                )?;
                return Ok(());
            }
            report(&project, &revision, out)?;
            if dry_run {
                writeln!(out, "(dry run: nothing changed)")?;
            } else {
                project.execute(revision.command())?;
                writeln!(out, "revised {doc} from {}", file.display())?;
            }
        }
        ReviseCommand::Edit {
            project,
            doc,
            start,
            end,
            text,
        } => {
            let mut project = open(&project, coder)?;
            let document = project.document_named(&doc)?;
            if start > end || end > document.chars {
                bail!(
                    "[{start}, {end}) is not a span of {doc}: the document has {} characters",
                    document.chars
                );
            }
            let old_text = project
                .read()
                .document_text(document.id)?
                .unwrap_or_default();
            let edits = vec![TextEdit { start, end, text }];
            let revision = Revision::by_edits(&project, document, &old_text, edits)?;
            report(&project, &revision, out)?;
            project.execute(revision.command())?;
            writeln!(out, "edited {doc} [{start}, {end})")?;
        }
        ReviseCommand::Replace {
            project,
            find,
            with,
            docs,
        } => {
            let mut project = open(&project, coder)?;
            let mut document_ids: Vec<DocumentId> = Vec::new();
            for name in &docs {
                document_ids.push(project.document_named(name)?.id);
            }
            let scope = (!document_ids.is_empty()).then_some(document_ids);
            let mut found = Vec::new();
            for info in project.read().document_infos()? {
                if scope.as_ref().is_some_and(|ids| !ids.contains(&info.id)) {
                    continue;
                }
                let text = project.read().document_text(info.id)?.unwrap_or_default();
                let count = replace_all(&text, &find, &with).len();
                if count > 0 {
                    found.push((info.name, count));
                }
            }
            if found.is_empty() {
                bail!("'{find}' occurs in no document");
            }
            let before = project.read().orphans()?.len();
            project.execute(Command::ReplaceText {
                find: find.clone(),
                with: with.clone(),
                document_ids: scope,
            })?;
            let total: usize = found.iter().map(|(_, count)| count).sum();
            writeln!(
                out,
                "replaced 「{find}」 with 「{with}」 {total} time(s) in {} document(s):",
                found.len()
            )?;
            for (name, count) in &found {
                writeln!(out, "  {name}: {count}")?;
            }
            let orphaned = project.read().orphans()?.len().saturating_sub(before);
            if orphaned > 0 {
                writeln!(
                    out,
                    "{orphaned} coding(s) lost their text and became orphans: see `casecode orphans`"
                )?;
            }
        }
        ReviseCommand::Orphans {
            project,
            action,
            json,
        } => {
            let mut project = open(&project, coder)?;
            match action {
                None => list_orphans(&project, json, out)?,
                Some(OrphanAction::Reattach { orphan, start, end }) => {
                    project.execute(Command::ReattachOrphan {
                        orphan_id: orphan,
                        start,
                        end,
                    })?;
                    writeln!(out, "re-attached orphan {orphan} to [{start}, {end})")?;
                }
                Some(OrphanAction::Delete { orphans }) => {
                    let count = orphans.len();
                    project.execute(Command::DeleteOrphans {
                        orphan_ids: orphans,
                    })?;
                    writeln!(out, "deleted {count} orphan(s)")?;
                }
            }
        }
    }
    Ok(())
}

/// Prints the revision's summary and each coding whose text it changes (moved ones are only
/// counted).
fn report(project: &Project, revision: &Revision, out: &mut impl Write) -> anyhow::Result<()> {
    let tree = project.code_tree()?;
    writeln!(out, "{}: {}", revision.document.name, revision.summary())?;
    // Moved codings keep their text: only those whose text changed or is gone are listed.
    for change in &revision.changes {
        let what = match change.fate {
            Fate::Unchanged | Fate::Moved => continue,
            Fate::Resized => "resized".to_owned(),
            Fate::Review(reason) => reason.label().to_owned(),
            Fate::Orphaned(reason) => format!("orphaned: {}", reason.label()),
        };
        writeln!(
            out,
            "  coding {} [{}] {what}: 「{}」 → {}",
            change.coding_id,
            tree.path_string(change.code_id),
            change.old_text,
            change
                .new_text
                .as_deref()
                .map_or_else(|| "(orphan)".to_owned(), |text| format!("「{text}」"))
        )?;
    }
    Ok(())
}

fn list_orphans(project: &Project, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let reader = project.read();
    let orphans = reader.orphans()?;
    let reviews = reader.coding_reviews()?;
    if json {
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({ "orphans": orphans, "reviews": reviews }),
        )?;
        writeln!(out)?;
        return Ok(());
    }
    let tree = project.code_tree()?;
    let names: std::collections::BTreeMap<DocumentId, String> = reader
        .document_infos()?
        .into_iter()
        .map(|info| (info.id, info.name))
        .collect();
    if orphans.is_empty() {
        writeln!(out, "no orphans")?;
    }
    for Orphan {
        id,
        coding,
        old_text,
        summary_ids,
        reason,
        orphaned_at,
    } in &orphans
    {
        let code = match tree.get(coding.code_id) {
            Some(_) => tree.path_string(coding.code_id),
            None => format!("(deleted code {})", coding.code_id),
        };
        writeln!(
            out,
            "orphan {id}  {}  [{code}]  coder {}  was [{}, {}) 「{old_text}」  {}  {orphaned_at}{}{}",
            names
                .get(&coding.document_id)
                .map_or("(deleted document)", String::as_str),
            coding.coder,
            coding.span.start,
            coding.span.end,
            reason.label(),
            if coding.memo.is_empty() {
                String::new()
            } else {
                format!("  memo: {}", coding.memo)
            },
            if summary_ids.is_empty() {
                String::new()
            } else {
                format!("  cited by {} summary(ies)", summary_ids.len())
            }
        )?;
    }
    if !reviews.is_empty() {
        let codings = reader.codings()?;
        writeln!(out, "要確認 ({}):", reviews.len())?;
        for review in &reviews {
            let Some(coding) = codings.iter().find(|c| c.guid == review.coding_guid) else {
                continue;
            };
            writeln!(
                out,
                "  coding {}  {}  [{}]  [{}, {})  {}  was 「{}」",
                coding.id,
                names
                    .get(&coding.document_id)
                    .map_or("(deleted document)", String::as_str),
                tree.path_string(coding.code_id),
                coding.span.start,
                coding.span.end,
                review.reason.label(),
                review.old_text
            )?;
        }
    }
    Ok(())
}
