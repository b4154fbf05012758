//! The M-GTA analysis as it is read and printed: one 分析ワークシート per concept (概念名, 定義,
//! ヴァリエーション with citations, 理論的メモ), the 理論的メモノート, 分析焦点者 and 分析テーマ,
//! and the 結果図 with its boxes named. A concept is a code without subcodes; the codes above
//! it are its categories. No frequencies are printed beyond the number of variations, which
//! shows saturation (理論的飽和).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use serde::Serialize;

use crate::Result;
use crate::codebook::CodeTree;
use crate::command::full_variation_order;
use crate::model::{
    CodeId, CodingId, DocumentId, DocumentInfo, MgtaSettings, TheoreticalMemo, Utterance,
};
use crate::store::Reader;
use crate::text::CharIndex;

/// One variation (具体例): a coding of the concept, verbatim, with its citation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Variation {
    pub coding_id: CodingId,
    pub document_id: DocumentId,
    pub document: String,
    pub start: usize,
    pub end: usize,
    /// Exactly the stored text of `[start, end)`.
    pub text: String,
    /// `A-23`.
    pub citation: Option<String>,
    pub coder: String,
    /// Left out of the worksheet by the researcher (the coding stays).
    pub hidden: bool,
}

/// The 分析ワークシート of one concept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConceptSheet {
    pub code_id: CodeId,
    pub code_guid: String,
    /// 概念名: the code's name.
    pub name: String,
    /// The categories above the concept, from the top, joined with ` ▸ ` (empty at the top).
    pub category: String,
    /// 定義: the code's definition.
    pub definition: String,
    /// In the researcher's order; hidden ones included and flagged; one per span (a span two
    /// coders coded is one variation, the earlier coding).
    pub variations: Vec<Variation>,
    /// 理論的メモ, by date.
    pub memos: Vec<TheoreticalMemo>,
}

impl ConceptSheet {
    /// The variations printed on the worksheet.
    pub fn shown_variations(&self) -> impl Iterator<Item = &Variation> {
        self.variations.iter().filter(|v| !v.hidden)
    }
}

/// A box of the 結果図 with its code's name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiagramNode {
    pub code_id: CodeId,
    pub name: String,
    /// A code with subcodes (カテゴリー) rather than a concept.
    pub is_category: bool,
    pub x: f64,
    pub y: f64,
}

/// An arrow of the 結果図 between two nodes (indices into [`DiagramView::nodes`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiagramEdge {
    pub arrow_id: i64,
    pub from: usize,
    pub to: usize,
    pub label: String,
}

/// The 結果図 ready to draw: boxes whose codes exist, arrows between them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DiagramView {
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<DiagramEdge>,
}

/// Everything an M-GTA export or view needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MgtaAnalysis {
    pub settings: MgtaSettings,
    /// Concepts in code-tree order.
    pub concepts: Vec<ConceptSheet>,
    /// 理論的メモノート, by date.
    pub notebook: Vec<TheoreticalMemo>,
    pub diagram: DiagramView,
}

impl MgtaAnalysis {
    /// Reads the whole analysis.
    pub fn load(read: Reader<'_>) -> Result<MgtaAnalysis> {
        let tree = CodeTree::new(read.codes()?);
        let cases = read.cases()?;
        let documents: BTreeMap<DocumentId, DocumentInfo> = read
            .document_infos()?
            .into_iter()
            .map(|document| (document.id, document))
            .collect();
        let mut texts: BTreeMap<DocumentId, (CharIndex, Vec<Utterance>)> = BTreeMap::new();
        let mut concepts = Vec::new();
        for code_id in tree.walk() {
            if !tree.children(Some(code_id)).is_empty() {
                continue;
            }
            let Some(code) = tree.get(code_id) else {
                continue;
            };
            let mut codings = read.codings_of_code(code_id)?;
            codings.sort_by_key(|coding| coding.id);
            let guids: Vec<(CodingId, String)> =
                codings.iter().map(|c| (c.id, c.guid.clone())).collect();
            let order = full_variation_order(&read.variation_entries(&code.guid)?, &guids);
            let mut variations = Vec::with_capacity(order.len());
            // Two coders on the same span are one 具体例: the first coding stands for it.
            let mut spans = std::collections::BTreeSet::new();
            for entry in order {
                let Some(coding) = codings.iter().find(|c| c.guid == entry.coding_guid) else {
                    continue;
                };
                if !spans.insert((coding.document_id, coding.span.start, coding.span.end)) {
                    continue;
                }
                let Some(document) = documents.get(&coding.document_id) else {
                    continue;
                };
                let (text, utterances) = match texts.entry(document.id) {
                    Entry::Occupied(entry) => entry.into_mut(),
                    Entry::Vacant(entry) => {
                        let text =
                            CharIndex::new(read.document_text(document.id)?.unwrap_or_default());
                        entry.insert((text, read.utterances(document.id)?))
                    }
                };
                variations.push(Variation {
                    coding_id: coding.id,
                    document_id: document.id,
                    document: document.name.clone(),
                    start: coding.span.start,
                    end: coding.span.end,
                    text: text
                        .slice(coding.span.start, coding.span.end)
                        .unwrap_or_default()
                        .to_owned(),
                    citation: super::citation(document, &cases, utterances, coding.span.start),
                    coder: coding.coder.clone(),
                    hidden: entry.hidden,
                });
            }
            let mut path = tree.path(code_id);
            path.pop();
            concepts.push(ConceptSheet {
                code_id,
                code_guid: code.guid.clone(),
                name: code.name.clone(),
                category: path.join(" ▸ "),
                definition: code.definition.clone(),
                variations,
                memos: read.theoretical_memos(Some(&code.guid))?,
            });
        }
        let diagram = read.result_diagram()?;
        let by_guid: BTreeMap<&str, CodeId> = tree
            .walk()
            .into_iter()
            .filter_map(|id| tree.get(id).map(|code| (code.guid.as_str(), id)))
            .collect();
        let mut nodes = Vec::new();
        let mut node_guids: Vec<&str> = Vec::new();
        for diagram_box in &diagram.boxes {
            let Some(code) = by_guid
                .get(diagram_box.code_guid.as_str())
                .and_then(|id| tree.get(*id))
            else {
                continue;
            };
            node_guids.push(&diagram_box.code_guid);
            nodes.push(DiagramNode {
                code_id: code.id,
                name: code.name.clone(),
                is_category: !tree.children(Some(code.id)).is_empty(),
                x: diagram_box.x,
                y: diagram_box.y,
            });
        }
        let index_of = |guid: &str| node_guids.iter().position(|g| *g == guid);
        let edges = diagram
            .arrows
            .iter()
            .filter_map(|arrow| {
                Some(DiagramEdge {
                    arrow_id: arrow.id,
                    from: index_of(&arrow.from_guid)?,
                    to: index_of(&arrow.to_guid)?,
                    label: arrow.label.clone(),
                })
            })
            .collect();
        Ok(MgtaAnalysis {
            settings: read.mgta_settings()?,
            concepts,
            notebook: read.theoretical_memos(None)?,
            diagram: DiagramView { nodes, edges },
        })
    }

    /// The concept of a code, if it is one.
    pub fn concept(&self, code_id: CodeId) -> Option<&ConceptSheet> {
        self.concepts.iter().find(|c| c.code_id == code_id)
    }
}
