//! Applying commands. User-facing commands validate, then compile to a batch of primitives;
//! applying a primitive returns its exact inverse, so the inverse of any command is exact too.

use std::collections::BTreeSet;

use super::add_codings::add_codings;
use super::codes::{add_code, existing_code, merge_codes, move_code, recode_codings, reorder_code};
pub(super) use super::codes::{checked_color, checked_name};
use super::imports::{import_attributes, import_codebook, import_documents};
use super::{Command, NewCoding};
use crate::codebook::CodeTree;
use crate::model::{
    CaseId, CodeId, CodingId, RowKeys, Rows, Summary, SummaryId, SummarySegment, UserTerm,
};
use crate::store::{IdTable, Tx};
use crate::{Error, Result};

impl Command {
    /// Applies the command inside `tx` and returns its inverse.
    pub(crate) fn apply(self, tx: &Tx<'_>) -> Result<Command> {
        match self {
            Command::ImportDocuments { documents } => import_documents(tx, documents),
            Command::ImportAttributes { table } => import_attributes(tx, table),
            Command::ImportCases {
                documents, table, ..
            } => Command::Batch(vec![
                // Attributes first: cases are created in the table's row order.
                Command::ImportAttributes { table },
                Command::ImportDocuments { documents },
            ])
            .apply(tx),
            Command::ImportCodebook { codebook } => import_codebook(tx, &codebook),
            Command::ImportExchange { exchange } => {
                super::import_exchange::import_exchange(tx, *exchange)
            }
            Command::AddCode {
                parent_id,
                name,
                definition,
                color,
                roles,
            } => add_code(tx, parent_id, &name, definition, color, &roles),
            Command::RenameCode { code_id, name } => {
                let mut code = existing_code(tx, code_id)?;
                code.name = checked_name(&name)?;
                Command::UpdateCodes(vec![code]).apply(tx)
            }
            Command::MoveCode { code_id, parent_id } => move_code(tx, code_id, parent_id),
            Command::ReorderCode { code_id, before } => reorder_code(tx, code_id, before),
            Command::EditCode {
                code_id,
                definition,
                color,
                memo,
                roles,
            } => {
                let mut code = existing_code(tx, code_id)?;
                if let Some(definition) = definition {
                    code.definition = definition;
                }
                if let Some(color) = color {
                    code.color = checked_color(color)?;
                }
                if let Some(memo) = memo {
                    code.memo = memo;
                }
                let mut steps = vec![Command::UpdateCodes(vec![code])];
                if let Some(roles) = roles {
                    steps.push(Command::SetCodeRoles(vec![(code_id, roles)]));
                }
                Command::Batch(steps).apply(tx)
            }
            Command::MergeCodes {
                source_id,
                target_id,
            } => merge_codes(tx, source_id, target_id),
            Command::DeleteCode { code_id } => {
                existing_code(tx, code_id)?;
                Command::DeleteRows(RowKeys {
                    codes: vec![code_id],
                    ..RowKeys::default()
                })
                .apply(tx)
            }
            Command::AddCodings { codings } => add_codings(tx, codings),
            Command::RecodeCodings {
                coding_ids,
                code_id,
            } => recode_codings(tx, &coding_ids, code_id),
            Command::CodeInVivo {
                parent_id,
                name,
                coding,
            } => {
                let remove_code = add_code(tx, parent_id, &name, String::new(), None, &[])?;
                let tree = CodeTree::new(tx.read().codes()?);
                let Some(code_id) = tree.child_named(parent_id, name.trim()) else {
                    return Err(Error::NoSuchCode(name));
                };
                let remove_coding = add_codings(tx, vec![NewCoding { code_id, ..coding }])?;
                Ok(Command::Batch(vec![remove_coding, remove_code]))
            }
            Command::RemoveCodings { coding_ids } => {
                for coding_id in &coding_ids {
                    if tx.read().coding(*coding_id)?.is_none() {
                        return Err(Error::NoSuchCoding(coding_id.0));
                    }
                }
                Command::DeleteRows(RowKeys {
                    codings: coding_ids,
                    ..RowKeys::default()
                })
                .apply(tx)
            }
            Command::SetSummary {
                case_id,
                code_id,
                text,
                coding_ids,
                author,
            } => set_summary(tx, (case_id, code_id), text, coding_ids, author),
            Command::SetCellState {
                case_id,
                code_id,
                mark,
            } => {
                if tx.read().code(code_id)?.is_none() {
                    return Err(Error::NoSuchCode(code_id.to_string()));
                }
                if !tx.read().cases()?.iter().any(|case| case.id == case_id) {
                    return Err(Error::NoSuchCase(case_id.to_string()));
                }
                Command::SetCellStates(vec![(case_id, code_id, mark)]).apply(tx)
            }
            Command::SetExemplar {
                coding_ids,
                exemplar,
            } => Command::SetExemplars(coding_ids.into_iter().map(|id| (id, exemplar)).collect())
                .apply(tx),
            Command::SetCodingMemo { coding_id, memo } => {
                Command::SetCodingMemos(vec![(coding_id, memo)]).apply(tx)
            }
            Command::AddUserTerms { terms } => {
                let mut changes = Vec::with_capacity(terms.len());
                for term in terms {
                    let term = checked_term(term)?;
                    changes.push((term.surface.clone(), Some(term)));
                }
                Command::SetUserTerms(changes).apply(tx)
            }
            Command::RemoveUserTerms { surfaces } => {
                let known: BTreeSet<String> = tx
                    .read()
                    .user_terms()?
                    .into_iter()
                    .map(|term| term.surface)
                    .collect();
                for surface in &surfaces {
                    if !known.contains(surface) {
                        return Err(Error::Conflict(format!(
                            "'{surface}' is not in the project's user dictionary"
                        )));
                    }
                }
                Command::SetUserTerms(surfaces.into_iter().map(|s| (s, None)).collect()).apply(tx)
            }
            Command::SetAttributeValue {
                case_id,
                attribute_id,
                value,
            } => super::values::set_attribute_value(tx, case_id, attribute_id, value),
            Command::SetMemo { target, text } => {
                super::values::checked_memo_target(tx, target)?;
                Command::SetMemos(vec![(target, text)]).apply(tx)
            }

            Command::InsertRows(rows) => {
                tx.insert_rows(&rows)?;
                Ok(Command::DeleteRows(rows.keys()))
            }
            Command::DeleteRows(keys) => Ok(Command::InsertRows(Box::new(tx.delete_rows(&keys)?))),
            Command::UpdateCodes(codes) => {
                let mut previous = tx.update_codes(&codes)?;
                previous.reverse();
                Ok(Command::UpdateCodes(previous))
            }
            Command::SetCodeRoles(assignments) => {
                let mut previous = Vec::with_capacity(assignments.len());
                for (code_id, roles) in &assignments {
                    previous.push((*code_id, tx.set_code_roles(*code_id, roles)?));
                }
                previous.reverse();
                Ok(Command::SetCodeRoles(previous))
            }
            Command::ReassignCodings(moves) => {
                let mut previous = tx.reassign_codings(&moves)?;
                previous.reverse();
                Ok(Command::ReassignCodings(previous))
            }
            Command::SetAttributeValues(values) => {
                let mut previous = tx.set_attribute_values(&values)?;
                previous.reverse();
                Ok(Command::SetAttributeValues(previous))
            }
            Command::UpdateAttributes(attributes) => {
                let mut previous = tx.update_attributes(&attributes)?;
                previous.reverse();
                Ok(Command::UpdateAttributes(previous))
            }
            Command::ReplaceSummary { summary, links } => {
                let (summary, links) = tx.replace_summary(&summary, &links)?;
                Ok(Command::ReplaceSummary { summary, links })
            }
            Command::SetCellStates(states) => {
                let mut previous = tx.set_cell_states(&states)?;
                previous.reverse();
                Ok(Command::SetCellStates(previous))
            }
            Command::SetExemplars(flags) => {
                let mut previous = tx.set_exemplars(&flags)?;
                previous.reverse();
                Ok(Command::SetExemplars(previous))
            }
            Command::SetCodingMemos(memos) => {
                let mut previous = tx.set_coding_memos(&memos)?;
                previous.reverse();
                Ok(Command::SetCodingMemos(previous))
            }
            Command::SetMemos(memos) => {
                let mut previous = tx.set_memos(&memos)?;
                previous.reverse();
                Ok(Command::SetMemos(previous))
            }
            Command::SetUserTerms(terms) => {
                let mut previous = tx.set_user_terms(&terms)?;
                previous.reverse();
                Ok(Command::SetUserTerms(previous))
            }
            Command::SetRefiGuids(guids) => {
                let mut previous = tx.set_refi_guids(&guids)?;
                previous.reverse();
                Ok(Command::SetRefiGuids(previous))
            }
            Command::ReviseDocument {
                document_id,
                edits,
                utterances,
            } => super::revise::revise_document(tx, document_id, edits, utterances),
            Command::ReplaceText {
                find,
                with,
                document_ids,
            } => super::revise::replace_text(tx, &find, &with, document_ids),
            Command::ReattachOrphan {
                orphan_id,
                start,
                end,
            } => super::revise::reattach_orphan(tx, orphan_id, start, end),
            Command::DeleteOrphans { orphan_ids } => Command::RemoveOrphans(orphan_ids).apply(tx),
            Command::EditText { document_id, edits } => Ok(Command::EditText {
                document_id,
                edits: tx.edit_document_text(document_id, &edits)?,
            }),
            Command::SetUtterances {
                document_id,
                utterances,
            } => Ok(Command::SetUtterances {
                document_id,
                utterances: tx.set_utterances(document_id, &utterances)?,
            }),
            Command::SetCodingSpans(spans) => {
                let mut previous = tx.set_coding_spans(&spans)?;
                previous.reverse();
                Ok(Command::SetCodingSpans(previous))
            }
            Command::SetCodingReviews(reviews) => {
                let mut previous = tx.set_coding_reviews(&reviews)?;
                previous.reverse();
                Ok(Command::SetCodingReviews(previous))
            }
            Command::InsertOrphans(orphans) => {
                tx.insert_orphans(&orphans)?;
                Ok(Command::RemoveOrphans(
                    orphans.iter().map(|orphan| orphan.id).collect(),
                ))
            }
            Command::RemoveOrphans(orphan_ids) => {
                Ok(Command::InsertOrphans(tx.delete_orphans(&orphan_ids)?))
            }
            Command::AddStopWords { words } => super::corpus_filters::add_stop_words(tx, words),
            Command::RemoveStopWords { words } => {
                super::corpus_filters::remove_stop_words(tx, words)
            }
            Command::SetSpeakerRoles { roles } => {
                super::corpus_filters::set_speaker_roles(tx, &roles)
            }
            Command::SetStopWords(words) => super::corpus_filters::set_stop_words(tx, &words),
            Command::Scat(command) => command.apply(tx),
            Command::Mgta(command) => command.apply(tx),
            Command::RenameCoder { name, new_name } => {
                super::coders::rename_coder(tx, &name, &new_name)
            }
            Command::MergeCoders { source, target } => {
                super::coders::merge_coders(tx, &source, &target)
            }
            Command::MergeProject { source } => {
                let plan = super::merge::plan_merge(&tx.read(), &source)?;
                Command::Batch(plan.steps).apply(tx)
            }
            Command::Reconcile { decision } => super::reconcile::reconcile(tx, decision),
            Command::SetCoders(coders) => {
                let mut previous = tx.set_coders(&coders)?;
                previous.reverse();
                Ok(Command::SetCoders(previous))
            }
            Command::ReassignCoders(references) => Ok(Command::ReassignCoders(Box::new(
                tx.reassign_coders(&references)?,
            ))),
            Command::Batch(commands) => {
                let mut inverses = Vec::with_capacity(commands.len());
                for command in commands {
                    inverses.push(command.apply(tx)?);
                }
                inverses.reverse();
                Ok(Command::Batch(inverses))
            }
        }
    }
}

/// A new REFI-QDA GUID.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Hands out consecutive ids of one table within a transaction.
pub(super) struct Ids(i64);

impl Ids {
    pub(super) fn of(tx: &Tx<'_>, table: IdTable) -> Result<Ids> {
        Ok(Ids(tx.next_id(table)?))
    }

    pub(super) fn take(&mut self) -> i64 {
        self.0 += 1;
        self.0 - 1
    }
}

fn set_summary(
    tx: &Tx<'_>,
    (case_id, code_id): (CaseId, CodeId),
    text: String,
    coding_ids: Option<Vec<CodingId>>,
    author: String,
) -> Result<Command> {
    let reader = tx.read();
    let tree = CodeTree::new(reader.codes()?);
    if tree.get(code_id).is_none() {
        return Err(Error::NoSuchCode(code_id.to_string()));
    }
    if !reader.cases()?.iter().any(|case| case.id == case_id) {
        return Err(Error::NoSuchCase(case_id.to_string()));
    }
    let existing = reader.summary(case_id, code_id)?;
    let links = match coding_ids {
        Some(ids) => {
            // A summary links only segments of its own cell: the case's documents, the code or
            // a code below it.
            let subtree = tree.subtree(code_id);
            let mut links = Vec::with_capacity(ids.len());
            for coding_id in ids {
                let Some(coding) = reader.coding(coding_id)? else {
                    return Err(Error::NoSuchCoding(coding_id.0));
                };
                let in_case = reader
                    .document_info(coding.document_id)?
                    .is_some_and(|document| document.case_id == case_id);
                if !in_case || !subtree.contains(&coding.code_id) {
                    return Err(Error::Conflict(format!(
                        "coding {coding_id} is not a segment of this cell (case and code)"
                    )));
                }
                links.push(coding_id);
            }
            links.sort();
            links.dedup();
            links
        }
        None => match &existing {
            Some(summary) => reader.summary_links(summary.id)?,
            None => Vec::new(),
        },
    };
    let now = tx.now()?;
    match existing {
        Some(summary) if text.trim().is_empty() && links.is_empty() => {
            Command::DeleteRows(RowKeys {
                summaries: vec![summary.id],
                ..RowKeys::default()
            })
            .apply(tx)
        }
        Some(summary) => Command::ReplaceSummary {
            summary: Summary {
                text,
                author,
                updated_at: now,
                ..summary
            },
            links,
        }
        .apply(tx),
        None if text.trim().is_empty() && links.is_empty() => Ok(Command::Batch(Vec::new())),
        None => {
            let summary_id = SummaryId(tx.next_id(IdTable::Summaries)?);
            let rows = Rows {
                summaries: vec![Summary {
                    id: summary_id,
                    guid: new_guid(),
                    case_id,
                    code_id,
                    text,
                    author,
                    updated_at: now,
                }],
                summary_segments: links
                    .into_iter()
                    .map(|coding_id| SummarySegment {
                        summary_id,
                        coding_id,
                    })
                    .collect(),
                ..Rows::default()
            };
            Command::InsertRows(Box::new(rows)).apply(tx)
        }
    }
}

/// A user dictionary term: a surface without commas or line breaks (lindera's CSV), a reading
/// in katakana, and a part of speech (名詞 by default).
fn checked_term(term: UserTerm) -> Result<UserTerm> {
    let surface = term.surface.trim().to_owned();
    let reading = term.reading.trim().to_owned();
    let part_of_speech = match term.part_of_speech.trim() {
        "" => "名詞".to_owned(),
        other => other.to_owned(),
    };
    let bad = |field: &str| field.is_empty() || field.contains([',', '\n', '\r', '"']);
    if bad(&surface) || bad(&part_of_speech) {
        return Err(Error::Conflict(format!(
            "'{}' cannot be a dictionary term (empty, or with a comma, quote or line break)",
            term.surface
        )));
    }
    if reading.is_empty()
        || !reading
            .chars()
            .all(|c| ('\u{30A1}'..='\u{30FC}').contains(&c))
    {
        return Err(Error::Conflict(format!(
            "the reading of '{surface}' must be full-width katakana (e.g. イリョウテキケアジ), not '{reading}'"
        )));
    }
    Ok(UserTerm {
        surface,
        part_of_speech,
        reading,
    })
}
