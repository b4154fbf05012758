//! The セグメント一覧: one row per coding, in case order, then document, start, end, code path,
//! coder and id. At a million codings this is the one long table of the paper exports, so it
//! is never built whole: the order is sorted as small keys, and each row (with its quote, cut
//! from the document being visited) is made while the writer writes it.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use super::grid::{Grid, Value};
use super::quotes::QuoteCutter;
use super::table::{Body, Table};
use super::tables::{attribute_value, case_order, code_path, role_names, roles_text};
use super::{PaperData, SEGMENTS_SHEET};
use crate::Result;
use crate::analysis::Segment;
use crate::model::{Attribute, CodeId, CodingId, DocumentId};

/// The セグメント一覧 as a table whose rows are made as they are written.
pub(super) fn segments(paper: &PaperData) -> Table<'_> {
    let data = &paper.data;
    let attributes = data.attributes();
    let names = role_names(paper);
    let mut header: Vec<Value> = ["文書", "事例"].map(Value::text).to_vec();
    header.extend(attributes.iter().map(|a| Value::text(a.name.clone())));
    header.extend(
        [
            "コード",
            "役割",
            "開始",
            "終了",
            "発話",
            "テキスト",
            "コーダー",
            "メモ",
            "代表的語り",
            "コーディングID",
        ]
        .map(Value::text),
    );
    let mut paths: HashMap<CodeId, (String, String)> = HashMap::new();
    for code_id in data.tree().walk() {
        let path = code_path(paper, code_id).join("/");
        paths.insert(code_id, (path, roles_text(paper, &names, code_id)));
    }
    let order = segment_order(paper, &paths);
    let text_column = 2 + attributes.len() + 5;
    let mut grid = Grid {
        name: SEGMENTS_SHEET.to_owned(),
        header_rows: 1,
        label_columns: 2,
        rows: vec![header],
        fit_width: true,
        ..Grid::default()
    };
    // Widths from the header and the attribute values only: measuring 100,000 quotes costs
    // more than it tells.
    grid.widths = (0..grid.columns())
        .map(|column| {
            let header = grid.value(0, column).width();
            if column == text_column {
                60.0
            } else {
                header
                    .clamp(6.0, 40.0)
                    .max(if column < 2 + attributes.len() {
                        16.0
                    } else {
                        8.0
                    })
            }
        })
        .collect();
    if let Some(width) = grid.widths.get_mut(2 + attributes.len()) {
        *width = 40.0; // the code path
    }
    Table::streamed(
        grid,
        Box::new(SegmentRows {
            paper,
            attributes,
            paths,
            order,
        }),
    )
}

/// The segments in table order: case order, then document name, start, end, code path, coder
/// and id. Sorted as ranks (a document's place, a path's, a coder's) rather than by comparing
/// their strings a million times over.
fn segment_order<'p>(
    paper: &'p PaperData,
    paths: &HashMap<CodeId, (String, String)>,
) -> Vec<&'p Segment> {
    let data = &paper.data;
    let case_rank: HashMap<_, usize> = case_order(paper)
        .iter()
        .enumerate()
        .map(|(rank, case)| (case.case_id, rank + 1))
        .collect();
    // Documents ranked by (case rank, name), equal keys sharing a rank; a case outside the
    // order (rank 0) sorts first, as `None` did.
    let mut documents: Vec<(usize, &str, DocumentId)> = data
        .documents()
        .map(|document| {
            let rank = case_rank.get(&document.case_id).copied().unwrap_or(0);
            (rank, document.name.as_str(), document.id)
        })
        .collect();
    documents.sort_unstable();
    let document_rank = dense_ranks(
        documents
            .iter()
            .map(|(rank, name, id)| ((*rank, *name), *id)),
    );
    let mut path_names: Vec<(&str, CodeId)> = paths
        .iter()
        .map(|(code_id, (path, _))| (path.as_str(), *code_id))
        .collect();
    path_names.sort_unstable();
    // A code outside the tree prints an empty path: it sorts with a printed empty path, if
    // any, else before every path.
    let empty_path = path_names
        .first()
        .filter(|(path, _)| path.is_empty())
        .map_or(0, |_| 1);
    let path_rank = dense_ranks(path_names.into_iter());
    let coders: BTreeSet<&str> = data
        .segments()
        .map(|segment| segment.coder.as_str())
        .collect();
    let coder_rank: HashMap<&str, usize> = coders
        .into_iter()
        .enumerate()
        .map(|(rank, coder)| (coder, rank))
        .collect();
    let mut keyed: Vec<(SortKey, &Segment)> = data
        .segments()
        .map(|segment| {
            let key = (
                document_rank
                    .get(&segment.document_id)
                    .copied()
                    .unwrap_or(0),
                segment.start,
                segment.end,
                path_rank
                    .get(&segment.code_id)
                    .copied()
                    .unwrap_or(empty_path),
                coder_rank.get(segment.coder.as_str()).copied().unwrap_or(0),
                segment.coding_id,
            );
            (key, segment)
        })
        .collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    // A new vector, so that the keys' memory (56 bytes a segment) goes now, not after the
    // table is written (collecting in place would keep it).
    let mut order = Vec::with_capacity(keyed.len());
    order.extend(keyed.iter().map(|(_, segment)| *segment));
    order
}

/// A segment's place: document rank, start, end, path rank, coder rank, id.
type SortKey = (usize, usize, usize, usize, usize, CodingId);

/// Ranks from 1 of sorted `(key, id)` pairs: equal keys share a rank.
fn dense_ranks<K: PartialEq, I: std::hash::Hash + Eq>(
    sorted: impl Iterator<Item = (K, I)>,
) -> HashMap<I, usize> {
    let mut ranks = HashMap::new();
    let mut last: Option<K> = None;
    let mut rank = 0;
    for (key, id) in sorted {
        if last.as_ref() != Some(&key) {
            rank += 1;
            last = Some(key);
        }
        ranks.insert(id, rank);
    }
    ranks
}

/// The rows of the セグメント一覧, made as they are asked for.
struct SegmentRows<'p> {
    paper: &'p PaperData,
    attributes: &'p [Attribute],
    /// Each code's path and roles as printed.
    paths: HashMap<CodeId, (String, String)>,
    order: Vec<&'p Segment>,
}

impl Body for SegmentRows<'_> {
    fn len(&self) -> usize {
        self.order.len()
    }

    fn rows(&self, range: Range<usize>, row: &mut dyn FnMut(&[Value]) -> Result<()>) -> Result<()> {
        let data = &self.paper.data;
        let none = (String::new(), String::new());
        let mut cutter = QuoteCutter::new(data);
        let mut values = Vec::with_capacity(12 + self.attributes.len());
        for segment in self.order.get(range).unwrap_or_default() {
            let (path, roles) = self.paths.get(&segment.code_id).unwrap_or(&none);
            values.clear();
            values.push(Value::text(
                data.document(segment.document_id)
                    .map_or("", |document| document.name.as_str()),
            ));
            values.push(Value::text(data.case_name(segment.case_id)));
            values.extend(
                self.attributes
                    .iter()
                    .map(|attribute| attribute_value(self.paper, segment.case_id, attribute)),
            );
            values.extend([
                Value::text(path.clone()),
                Value::text(roles.clone()),
                Value::count(segment.start),
                Value::count(segment.end),
                Value::text(segment.citation.clone().unwrap_or_default()),
                Value::text(cutter.quote(segment)),
                Value::text(segment.coder.clone()),
                Value::text(
                    self.paper
                        .memos
                        .get(&segment.coding_id)
                        .cloned()
                        .unwrap_or_default(),
                ),
                Value::text(if segment.exemplar { "★" } else { "" }),
                Value::Number(segment.coding_id.0 as f64),
            ]);
            row(&values)?;
        }
        Ok(())
    }
}
