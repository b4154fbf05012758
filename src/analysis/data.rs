//! One snapshot of everything the analyses read: cases and their attribute values, documents,
//! the code tree, role frames, codings resolved to segments (with their text and utterance),
//! cell summaries and cell marks. It is read once through the [`Reader`](crate::store::Reader)
//! ([`AnalysisData::load`]) or built from plain rows ([`AnalysisData::from_rows`]), so that every
//! analysis is a pure function over it and can be tested with hand-built data.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::codebook::CodeTree;
use crate::model::{
    Attribute, AttributeId, AttributeKind, Case, CaseId, CellMark, CodeId, Coding, CodingId,
    DocumentId, Frame, FrameId, Role, RoleId, Rows, SummaryId, Utterance,
};
use crate::project::Project;
use crate::text::CharIndex;
use crate::text::speakers::utterance_at;
use crate::{Error, Result};

/// A coding with everything needed to show it: its case, text and utterance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub coding_id: CodingId,
    pub document_id: DocumentId,
    /// The case that owns the document.
    pub case_id: CaseId,
    pub code_id: CodeId,
    /// Code points, half-open `[start, end)`.
    pub start: usize,
    pub end: usize,
    pub coder: String,
    /// Flagged as 代表的語り.
    pub exemplar: bool,
    /// Exactly the stored text of `[start, end)`.
    pub text: String,
    /// The first and last utterance the span touches (an utterance reaches up to the next
    /// label); `None` when the span lies before the first speaker turn.
    pub utterances: Option<(u32, u32)>,
    /// `A-23`: the case and the utterance where the span starts, as `list codings` prints it.
    pub citation: Option<String>,
}

/// A document as the analyses need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentEntry {
    pub id: DocumentId,
    pub name: String,
    pub case_id: CaseId,
    /// Length in code points.
    pub chars: usize,
    /// The stored text (for the text of new codings and for context).
    pub text: String,
    /// Speaker turns, by number.
    pub utterances: Vec<Utterance>,
}

/// The 要約 of one cell (case × code) with the codings linked to it, sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellSummary {
    pub summary_id: SummaryId,
    pub case_id: CaseId,
    pub code_id: CodeId,
    pub text: String,
    pub author: String,
    pub updated_at: String,
    pub coding_ids: Vec<CodingId>,
}

/// The codings as counting needs them (see [`AnalysisData::load_for_counting`]): ids, case,
/// offsets and coder, by coding id, without a [`Segment`] each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodingTable {
    /// By coding id; only codings of documents the snapshot has.
    pub codings: Vec<CountedCoding>,
    /// Coder names; [`CountedCoding::coder`] indexes this.
    pub coders: Vec<String>,
}

/// One coding of a [`CodingTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountedCoding {
    pub coding_id: CodingId,
    pub document_id: DocumentId,
    /// The case that owns the document.
    pub case_id: CaseId,
    pub code_id: CodeId,
    /// Code points, half-open `[start, end)`.
    pub start: usize,
    pub end: usize,
    /// Index into [`CodingTable::coders`].
    pub coder: u32,
}

/// The snapshot. Every list it returns is sorted as its doc says.
#[derive(Clone, Debug, Default)]
pub struct AnalysisData {
    cases: Vec<Case>,
    /// Position of each case in `cases`.
    case_positions: BTreeMap<CaseId, usize>,
    attributes: Vec<Attribute>,
    values: BTreeMap<(CaseId, AttributeId), String>,
    documents: BTreeMap<DocumentId, DocumentEntry>,
    tree: CodeTree,
    frames: Vec<Frame>,
    roles: Vec<Role>,
    direct_roles: BTreeMap<CodeId, BTreeSet<RoleId>>,
    segments: BTreeMap<CodingId, Segment>,
    /// Number of segments of each exact code.
    code_counts: BTreeMap<CodeId, usize>,
    summaries: BTreeMap<(CaseId, CodeId), CellSummary>,
    marks: BTreeMap<(CaseId, CodeId), CellMark>,
    /// The coders of the codings a counting snapshot holds as a [`CodingTable`] instead of
    /// segments (empty otherwise).
    counted_coders: BTreeSet<String>,
}

impl AnalysisData {
    /// Reads the whole project once.
    pub fn load(project: &Project) -> Result<AnalysisData> {
        AnalysisData::load_with(project, true)
    }

    /// [`AnalysisData::load`] without the text of segments (each `Segment::text` is empty):
    /// for the analyses that count (matrix counts, crosstabs, frequencies, co-occurrence),
    /// which at a million codings spent most of their time and memory copying quotes.
    pub fn load_without_text(project: &Project) -> Result<AnalysisData> {
        AnalysisData::load_with(project, false)
    }

    /// The snapshot without segments, and the codings as a [`CodingTable`]: what counting the
    /// matrix needs ([`Matrix::build_counted`](super::Matrix::build_counted)). Everything else
    /// reads as in [`AnalysisData::load_without_text`] (the code counts and the coders too),
    /// except [`AnalysisData::segments`], which is empty.
    pub fn load_for_counting(project: &Project) -> Result<(AnalysisData, CodingTable)> {
        let (rows, cores, coders) = project.read().project_rows_for_counting()?;
        let mut data = AnalysisData::from_rows_with(rows, false);
        let names: BTreeMap<crate::model::CoderId, String> = coders
            .into_iter()
            .map(|coder| (coder.id, coder.name))
            .collect();
        let mut table = CodingTable::default();
        let mut coder_index: BTreeMap<crate::model::CoderId, u32> = BTreeMap::new();
        let case_of: super::idhash::IdMap<DocumentId, CaseId> = data
            .documents
            .values()
            .map(|document| (document.id, document.case_id))
            .collect();
        let mut code_counts: super::idhash::IdMap<CodeId, usize> = Default::default();
        table.codings.reserve(cores.len());
        for core in cores {
            let Some(case_id) = case_of.get(&core.document_id) else {
                continue;
            };
            let coder = match coder_index.get(&core.coder_id) {
                Some(index) => *index,
                None => {
                    let index = u32::try_from(table.coders.len()).unwrap_or(u32::MAX);
                    let name = names.get(&core.coder_id).cloned().unwrap_or_default();
                    data.counted_coders.insert(name.clone());
                    table.coders.push(name);
                    coder_index.insert(core.coder_id, index);
                    index
                }
            };
            *code_counts.entry(core.code_id).or_default() += 1;
            table.codings.push(CountedCoding {
                coding_id: core.coding_id,
                document_id: core.document_id,
                case_id: *case_id,
                code_id: core.code_id,
                start: core.start,
                end: core.end,
                coder,
            });
        }
        data.code_counts = code_counts.into_iter().collect();
        Ok((data, table))
    }

    fn load_with(project: &Project, segment_text: bool) -> Result<AnalysisData> {
        let rows = project.read().project_rows(segment_text)?;
        Ok(AnalysisData::from_rows_with(rows, segment_text))
    }

    /// Builds the snapshot from rows (as [`Rows`] holds them). Rows that point at something
    /// missing (a coding of an unknown document) are left out.
    pub fn from_rows(rows: Rows) -> AnalysisData {
        AnalysisData::from_rows_with(rows, true)
    }

    /// [`AnalysisData::from_rows`]; `segment_text`: whether segments get their text.
    fn from_rows_with(rows: Rows, segment_text: bool) -> AnalysisData {
        let mut cases = rows.cases;
        cases.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        let mut attributes = rows.attributes;
        attributes.sort_by_key(|attribute| (attribute.position, attribute.id));
        let mut frames = rows.frames;
        frames.sort_by_key(|frame| (frame.position, frame.id));
        let frame_order: BTreeMap<FrameId, usize> = frames
            .iter()
            .enumerate()
            .map(|(index, frame)| (frame.id, index))
            .collect();
        let mut roles = rows.roles;
        roles.sort_by_key(|role| {
            (
                frame_order
                    .get(&role.frame_id)
                    .copied()
                    .unwrap_or(usize::MAX),
                role.position,
                role.id,
            )
        });
        let mut direct_roles: BTreeMap<CodeId, BTreeSet<RoleId>> = BTreeMap::new();
        for membership in rows.code_roles {
            direct_roles
                .entry(membership.code_id)
                .or_default()
                .insert(membership.role_id);
        }
        let mut turns: BTreeMap<DocumentId, Vec<Utterance>> = BTreeMap::new();
        for utterance in rows.utterances {
            turns
                .entry(utterance.document_id)
                .or_default()
                .push(utterance);
        }
        let documents = rows
            .documents
            .into_iter()
            .map(|document| {
                let mut utterances = turns.remove(&document.info.id).unwrap_or_default();
                utterances.sort_by_key(|utterance| utterance.number);
                let entry = DocumentEntry {
                    id: document.info.id,
                    name: document.info.name,
                    case_id: document.info.case_id,
                    chars: document.info.chars,
                    text: document.text,
                    utterances,
                };
                (entry.id, entry)
            })
            .collect();
        let case_positions = cases
            .iter()
            .enumerate()
            .map(|(position, case)| (case.id, position))
            .collect();
        let mut data = AnalysisData {
            case_positions,
            values: rows
                .attribute_values
                .into_iter()
                .map(|value| ((value.case_id, value.attribute_id), value.value))
                .collect(),
            tree: CodeTree::new(rows.codes),
            cases,
            attributes,
            documents,
            frames,
            roles,
            direct_roles,
            ..AnalysisData::default()
        };
        data.insert_codings(rows.codings, segment_text);
        let mut links: BTreeMap<SummaryId, Vec<CodingId>> = BTreeMap::new();
        for link in rows.summary_segments {
            links
                .entry(link.summary_id)
                .or_default()
                .push(link.coding_id);
        }
        for summary in rows.summaries {
            let mut coding_ids = links.remove(&summary.id).unwrap_or_default();
            coding_ids.sort();
            coding_ids.dedup();
            data.summaries.insert(
                (summary.case_id, summary.code_id),
                CellSummary {
                    summary_id: summary.id,
                    case_id: summary.case_id,
                    code_id: summary.code_id,
                    text: summary.text,
                    author: summary.author,
                    updated_at: summary.updated_at,
                    coding_ids,
                },
            );
        }
        data.marks = rows
            .cell_states
            .into_iter()
            .map(|state| ((state.case_id, state.code_id), state.mark))
            .collect();
        data
    }

    /// Adds many codings, indexing each document's text once. The segments are collected and
    /// the map built from them sorted by id: inserting a million one by one, in document
    /// order, was most of the time of loading a snapshot.
    fn insert_codings(&mut self, mut codings: Vec<Coding>, segment_text: bool) {
        codings.sort_unstable_by_key(|coding| (coding.document_id, coding.id));
        let mut index: Option<(DocumentId, CharIndex)> = None;
        let mut segments = Vec::with_capacity(codings.len());
        for coding in codings {
            let Some(document) = self.documents.get(&coding.document_id) else {
                continue;
            };
            if !segment_text {
                segments.push(self.segment_of(coding, String::new(), document));
                continue;
            }
            if index.as_ref().is_none_or(|(id, _)| *id != document.id) {
                index = Some((document.id, CharIndex::new(document.text.clone())));
            }
            let text = index
                .as_ref()
                .and_then(|(_, chars)| chars.slice(coding.span.start, coding.span.end))
                .unwrap_or_default()
                .to_owned();
            segments.push(self.segment_of(coding, text, document));
        }
        if !self.segments.is_empty() {
            for segment in segments {
                self.insert_segment(segment);
            }
            return;
        }
        // Stable: of two codings with one id (not in a stored project), the later one stays,
        // as `insert_segment` would keep it.
        segments.sort_by_key(|segment| segment.coding_id);
        self.segments = segments
            .into_iter()
            .map(|segment| (segment.coding_id, segment))
            .collect();
        self.code_counts.clear();
        for segment in self.segments.values() {
            *self.code_counts.entry(segment.code_id).or_default() += 1;
        }
    }

    /// Stores a segment (replacing one with the same coding id) and keeps the counts.
    fn insert_segment(&mut self, segment: Segment) {
        *self.code_counts.entry(segment.code_id).or_default() += 1;
        if let Some(old) = self.segments.insert(segment.coding_id, segment) {
            self.uncount(old.code_id);
        }
    }

    fn uncount(&mut self, code_id: CodeId) {
        if let Some(count) = self.code_counts.get_mut(&code_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.code_counts.remove(&code_id);
            }
        }
    }

    fn segment_of(&self, coding: Coding, text: String, document: &DocumentEntry) -> Segment {
        let turns = &document.utterances;
        let first = utterance_at(turns, coding.span.start, |turn| turn.start);
        let last_offset = coding.span.end.saturating_sub(1).max(coding.span.start);
        let last = utterance_at(turns, last_offset, |turn| turn.start);
        let utterances = last.map(|last| {
            let first = first.or(turns.first()).map_or(last.number, |u| u.number);
            (first, last.number)
        });
        let citation =
            first.map(|turn| format!("{}-{}", self.case_name(document.case_id), turn.number));
        Segment {
            coding_id: coding.id,
            document_id: document.id,
            case_id: document.case_id,
            code_id: coding.code_id,
            start: coding.span.start,
            end: coding.span.end,
            coder: coding.coder,
            exemplar: coding.exemplar,
            text,
            utterances,
            citation,
        }
    }

    /// Adds one new coding (after `AddCodings` was executed) and returns its segment; for
    /// incremental updates without reloading. Slicing its text costs one pass over its
    /// document.
    pub fn add_coding(&mut self, coding: Coding) -> Result<&Segment> {
        let Some(document) = self.documents.get(&coding.document_id) else {
            return Err(Error::NoSuchDocument(coding.document_id.to_string()));
        };
        let index = CharIndex::new(document.text.clone());
        let Some(text) = index.slice(coding.span.start, coding.span.end) else {
            return Err(Error::InvalidSpan {
                document: document.name.clone(),
                start: coding.span.start,
                end: coding.span.end,
                reason: format!("the document has {} code points", index.chars()),
            });
        };
        let segment = self.segment_of(coding, text.to_owned(), document);
        let coding_id = segment.coding_id;
        self.insert_segment(segment);
        self.segments
            .get(&coding_id)
            .ok_or(Error::NoSuchCoding(coding_id.0))
    }

    /// Removes a coding (after `RemoveCodings`); returns its segment if it was there.
    pub fn remove_coding(&mut self, coding_id: CodingId) -> Option<Segment> {
        let segment = self.segments.remove(&coding_id)?;
        self.uncount(segment.code_id);
        Some(segment)
    }

    /// All cases, by name.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// One case.
    pub fn case(&self, case_id: CaseId) -> Option<&Case> {
        self.case_positions
            .get(&case_id)
            .and_then(|position| self.cases.get(*position))
    }

    /// The name of a case, empty when unknown.
    pub fn case_name(&self, case_id: CaseId) -> &str {
        self.case(case_id).map_or("", |case| case.name.as_str())
    }

    /// The case with this name.
    pub fn case_named(&self, name: &str) -> Option<&Case> {
        self.cases.iter().find(|case| case.name == name)
    }

    /// All attributes, in column order.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }

    /// The attribute with this name.
    pub fn attribute_named(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name == name.trim())
    }

    /// One case's value of one attribute (canonical text).
    pub fn value(&self, case_id: CaseId, attribute_id: AttributeId) -> Option<&str> {
        self.values
            .get(&(case_id, attribute_id))
            .map(String::as_str)
    }

    /// Every value of an attribute that some case has, in typed order (see [`compare_values`]).
    pub fn values_of(&self, attribute: &Attribute) -> Vec<String> {
        let mut values: Vec<String> = self
            .values
            .iter()
            .filter(|((_, attribute_id), _)| *attribute_id == attribute.id)
            .map(|(_, value)| value.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        values.sort_by(|a, b| compare_values(attribute.kind, a, b));
        values
    }

    /// All documents, by id.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentEntry> {
        self.documents.values()
    }

    /// One document.
    pub fn document(&self, document_id: DocumentId) -> Option<&DocumentEntry> {
        self.documents.get(&document_id)
    }

    /// The document with this name.
    pub fn document_named(&self, name: &str) -> Option<&DocumentEntry> {
        self.documents
            .values()
            .find(|document| document.name == name.trim())
    }

    /// The code tree.
    pub fn tree(&self) -> &CodeTree {
        &self.tree
    }

    /// Role frames, in order.
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// The frame with this name.
    pub fn frame_named(&self, name: &str) -> Option<&Frame> {
        self.frames.iter().find(|frame| frame.name == name.trim())
    }

    /// The roles of one frame, in order.
    pub fn roles_of_frame(&self, frame_id: FrameId) -> Vec<&Role> {
        self.roles
            .iter()
            .filter(|role| role.frame_id == frame_id)
            .collect()
    }

    /// The roles a code belongs to: its own and those of its ancestors, by id.
    pub fn roles_of_code(&self, code_id: CodeId) -> BTreeSet<RoleId> {
        let mut roles = BTreeSet::new();
        let mut current = Some(code_id);
        let mut steps = 0;
        while let Some(code_id) = current {
            roles.extend(
                self.direct_roles
                    .get(&code_id)
                    .into_iter()
                    .flatten()
                    .copied(),
            );
            current = self.tree.get(code_id).and_then(|code| code.parent_id);
            steps += 1;
            if steps > self.tree.len() {
                break; // never loop on bad data
            }
        }
        roles
    }

    /// All segments, by coding id.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.values()
    }

    /// Number of segments.
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// Number of segments coded with exactly this code (not its children).
    pub fn own_segment_count(&self, code_id: CodeId) -> usize {
        self.code_counts.get(&code_id).copied().unwrap_or(0)
    }

    /// One segment.
    pub fn segment(&self, coding_id: CodingId) -> Option<&Segment> {
        self.segments.get(&coding_id)
    }

    /// Every coder who has a coding, sorted.
    pub fn coders(&self) -> BTreeSet<&str> {
        self.segments
            .values()
            .map(|segment| segment.coder.as_str())
            .chain(self.counted_coders.iter().map(String::as_str))
            .collect()
    }

    /// The summary of a cell (case × exact code).
    pub fn summary(&self, case_id: CaseId, code_id: CodeId) -> Option<&CellSummary> {
        self.summaries.get(&(case_id, code_id))
    }

    /// All summaries, by case id then code id.
    pub fn summaries(&self) -> impl Iterator<Item = &CellSummary> {
        self.summaries.values()
    }

    /// The mark of a cell (case × exact code).
    pub fn mark(&self, case_id: CaseId, code_id: CodeId) -> Option<CellMark> {
        self.marks.get(&(case_id, code_id)).copied()
    }

    /// All marks, by case id then code id.
    pub fn marks(&self) -> impl Iterator<Item = (CaseId, CodeId, CellMark)> + '_ {
        self.marks
            .iter()
            .map(|((case_id, code_id), mark)| (*case_id, *code_id, *mark))
    }
}

/// Typed order of two attribute values: numbers numerically, dates and text by their text
/// (canonical dates `YYYY-MM-DD` sort chronologically as text). A value that does not parse
/// as a number sorts after the numbers.
pub fn compare_values(kind: AttributeKind, a: &str, b: &str) -> Ordering {
    match kind {
        AttributeKind::Integer | AttributeKind::Number => {
            match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                (Ok(x), Ok(y)) => x.total_cmp(&y).then_with(|| a.cmp(b)),
                (Ok(_), Err(_)) => Ordering::Less,
                (Err(_), Ok(_)) => Ordering::Greater,
                (Err(_), Err(_)) => a.cmp(b),
            }
        }
        AttributeKind::Date | AttributeKind::Text => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_attributes_sort_as_numbers_not_as_text() {
        let mut values = vec!["18", "9", "21", "不明"];
        values.sort_by(|a, b| compare_values(AttributeKind::Integer, a, b));
        assert_eq!(values, ["9", "18", "21", "不明"]);
    }
}
