//! The matrix as TSV, JSON or Markdown, in either orientation and any cell mode.
//!
//! In tables a cell reads: a count (or 1/0 for presence) when coded, `0` when not mentioned,
//! `×` when explicitly negative, so that a marked cell never looks empty. A coded cell that is
//! also marked negative shows both (`3 (×)`). In segment lists `★` marks an exemplar
//! (代表的語り).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{COUNTING_NOTE, ColumnJson, Format, column_label, header, json, line};
use crate::Result;
use crate::analysis::axis::Column;
use crate::analysis::data::AnalysisData;
use crate::analysis::matrix::{Cell, CellStatus, Matrix, Orientation, Totals};
use crate::listing::typed_json;
use crate::model::CaseId;
use crate::{Error, analysis::axis::CaseRow};

/// What a cell shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellMode {
    /// Number of segments.
    #[default]
    Count,
    /// 1 when coded, 0 when not.
    Presence,
    /// The segments: utterance and text.
    Segments,
    /// The 要約.
    Summary,
    /// 要約 and segments side by side.
    SegmentsAndSummary,
}

impl CellMode {
    /// Parses `count`, `presence`, `segments`, `summary` or `segments+summary`.
    pub fn parse(name: &str) -> Result<CellMode> {
        match name.trim() {
            "count" => Ok(CellMode::Count),
            "presence" => Ok(CellMode::Presence),
            "segments" => Ok(CellMode::Segments),
            "summary" => Ok(CellMode::Summary),
            "segments+summary" | "summary+segments" => Ok(CellMode::SegmentsAndSummary),
            other => Err(Error::bad_input(
                format!("cell '{other}'"),
                "use count, presence, segments, summary or segments+summary",
            )),
        }
    }

    /// The name [`CellMode::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            CellMode::Count => "count",
            CellMode::Presence => "presence",
            CellMode::Segments => "segments",
            CellMode::Summary => "summary",
            CellMode::SegmentsAndSummary => "segments+summary",
        }
    }

    /// Whether cells show their segments (and so need their text).
    pub fn lists_segments(self) -> bool {
        matches!(self, CellMode::Segments | CellMode::SegmentsAndSummary)
    }
}

/// Renders the matrix.
pub fn matrix(matrix: &Matrix, data: &AnalysisData, mode: CellMode, format: Format) -> String {
    match format {
        Format::Json => json(&matrix_json(matrix, data, mode)),
        Format::Tsv | Format::Markdown => matrix_table(matrix, data, mode, format),
    }
}

/// [`matrix`] written to `out`; JSON is streamed (at a million codings it is tens of
/// megabytes), byte for byte what [`matrix`] returns.
pub fn write_matrix(
    out: &mut dyn std::io::Write,
    matrix: &Matrix,
    data: &AnalysisData,
    mode: CellMode,
    format: Format,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            use std::io::Write;
            let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
            serde_json::to_writer_pretty(&mut buffered, &matrix_json(matrix, data, mode))?;
            buffered.write_all(b"\n")?;
            buffered.flush()
        }
        Format::Tsv | Format::Markdown => {
            out.write_all(matrix_table(matrix, data, mode, format).as_bytes())
        }
    }
}

fn matrix_table(matrix: &Matrix, data: &AnalysisData, mode: CellMode, format: Format) -> String {
    let group_name = matrix.options.group_by.and_then(|attribute_id| {
        data.attributes()
            .iter()
            .find(|attribute| attribute.id == attribute_id)
            .map(|attribute| attribute.name.clone())
    });
    let totals = matches!(mode, CellMode::Count | CellMode::Presence);
    let total_of = |totals: Totals| match mode {
        CellMode::Presence => totals.coded.to_string(),
        _ => totals.segments.to_string(),
    };
    let columns = matrix.columns();
    let column_totals = matrix.column_totals();
    let column_total = |column: usize| {
        column_totals
            .get(column)
            .copied()
            .map_or_else(String::new, total_of)
    };
    let mut out = String::new();
    match matrix.options.orientation {
        Orientation::CasesAsRows => {
            let mut head = vec!["case".to_owned()];
            head.extend(group_name.clone());
            head.extend(columns.iter().map(column_label));
            if totals {
                head.push("total".to_owned());
            }
            out.push_str(&header(format, &head));
            for case in &matrix.cases {
                let mut cells = vec![case.name.clone()];
                if group_name.is_some() {
                    cells.push(case.group.clone().unwrap_or_default());
                }
                for column in 0..columns.len() {
                    cells.push(cell_text(data, matrix.cell(case.case_id, column), mode));
                }
                if totals {
                    cells.push(total_of(matrix.case_totals(case.case_id)));
                }
                out.push_str(&line(format, &cells));
            }
            if totals {
                let mut cells = vec!["total".to_owned()];
                if group_name.is_some() {
                    cells.push(String::new());
                }
                cells.extend((0..columns.len()).map(column_total));
                cells.push(total_of(grand_total(&column_totals)));
                out.push_str(&line(format, &cells));
            }
        }
        Orientation::CodesAsRows => {
            let mut head = vec!["code".to_owned()];
            head.extend(matrix.cases.iter().map(|case| case.name.clone()));
            if totals {
                head.push("total".to_owned());
            }
            out.push_str(&header(format, &head));
            if let Some(name) = &group_name {
                let mut cells = vec![name.clone()];
                cells.extend(
                    matrix
                        .cases
                        .iter()
                        .map(|case| case.group.clone().unwrap_or_default()),
                );
                if totals {
                    cells.push(String::new());
                }
                out.push_str(&line(format, &cells));
            }
            for (index, column) in columns.iter().enumerate() {
                let mut cells = vec![column_label(column)];
                for case in &matrix.cases {
                    cells.push(cell_text(data, matrix.cell(case.case_id, index), mode));
                }
                if totals {
                    cells.push(column_total(index));
                }
                out.push_str(&line(format, &cells));
            }
            if totals {
                let mut cells = vec!["total".to_owned()];
                cells.extend(
                    matrix
                        .cases
                        .iter()
                        .map(|case| total_of(matrix.case_totals(case.case_id))),
                );
                cells.push(total_of(grand_total(&column_totals)));
                out.push_str(&line(format, &cells));
            }
        }
    }
    if format == Format::Markdown {
        out.push_str("\n× = explicitly negative (明確に否定), 0 = not mentioned; ★ = exemplar. ");
        out.push_str(COUNTING_NOTE);
        out.push('\n');
    }
    out
}

fn grand_total(column_totals: &[Totals]) -> Totals {
    let mut total = Totals::default();
    for column in column_totals {
        total.segments += column.segments;
        total.codings += column.codings;
        total.coded += column.coded;
    }
    total
}

/// A cell as table text in a mode.
fn cell_text(data: &AnalysisData, cell: Cell<'_>, mode: CellMode) -> String {
    let negative = "×";
    let status = cell.status();
    let number = |value: usize| match status {
        CellStatus::Negative => negative.to_owned(),
        CellStatus::Coded if cell.negative => format!("{value} ({negative})"),
        CellStatus::Coded | CellStatus::NotMentioned => value.to_string(),
    };
    // Identical spans are quoted once, with their coders when more than one coded them.
    let segments = || {
        let listed: Vec<&crate::analysis::Segment> = cell
            .coding_ids
            .iter()
            .filter_map(|coding_id| data.segment(*coding_id))
            .collect();
        crate::analysis::passages::distinct_quotes(&listed)
            .into_iter()
            .map(|(segment, coders)| {
                format!(
                    "{}{}「{}」{}",
                    if segment.exemplar { "★" } else { "" },
                    segment.citation.as_deref().unwrap_or("?"),
                    segment.text,
                    if coders.len() > 1 {
                        format!("（{}）", coders.join("・"))
                    } else {
                        String::new()
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let summary = || {
        cell.summary
            .as_ref()
            .map_or("", |summary| summary.text.as_str())
    };
    let mark = if status == CellStatus::Negative {
        negative
    } else {
        ""
    };
    match mode {
        CellMode::Count if cell.codings() != cell.segments() => {
            format!("{} [{}]", number(cell.segments()), cell.codings())
        }
        CellMode::Count => number(cell.segments()),
        CellMode::Presence => number(cell.presence()),
        CellMode::Segments => format!("{mark}{}", segments()),
        CellMode::Summary => format!("{mark}{}", summary()),
        CellMode::SegmentsAndSummary => {
            let parts: Vec<String> = [mark.to_owned(), summary().to_owned(), segments()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect();
            parts.join("\n")
        }
    }
}

/// The matrix as JSON (field names fixed).
#[derive(Serialize)]
struct MatrixJson {
    analysis: &'static str,
    level: String,
    rows_are: &'static str,
    cell: &'static str,
    group_by: Option<String>,
    filter: BTreeMap<String, Vec<String>>,
    counting: &'static str,
    rows: Vec<HeaderJson>,
    columns: Vec<HeaderJson>,
    /// Every (row, column), by row then column.
    cells: Vec<CellJson>,
    row_totals: Vec<TotalsJson>,
    column_totals: Vec<TotalsJson>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum HeaderJson {
    Case(CaseJson),
    Column(ColumnJson),
}

#[derive(Serialize)]
struct CaseJson {
    kind: &'static str,
    id: i64,
    name: String,
    group: Option<String>,
    attributes: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct CellJson {
    row: usize,
    column: usize,
    case: i64,
    /// The column's code or role id.
    code: i64,
    /// Distinct passages.
    segments: usize,
    /// Codings (each coder's each code on each span).
    codings: usize,
    presence: usize,
    /// `coded`, `not_mentioned` or `negative`.
    state: &'static str,
    /// The researcher marked the cell negative (also when it is coded).
    negative_mark: bool,
    segment_ids: Vec<i64>,
    summary: Option<SummaryJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    segment_list: Option<Vec<SegmentJson>>,
}

#[derive(Serialize)]
struct SummaryJson {
    id: i64,
    text: String,
    author: String,
    updated_at: String,
    segment_ids: Vec<i64>,
}

/// A segment as JSON: where it is and what it says.
#[derive(Serialize)]
pub(crate) struct SegmentJson {
    pub coding_id: i64,
    pub document: String,
    pub utterance: Option<String>,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub coder: String,
    pub exemplar: bool,
    /// Linked to the cell's 要約 as supporting it.
    pub linked: bool,
}

#[derive(Serialize)]
struct TotalsJson {
    /// Distinct passages.
    segments: usize,
    /// Codings.
    codings: usize,
    coded: usize,
}

fn case_json(data: &AnalysisData, case: &CaseRow) -> CaseJson {
    let attributes = data
        .attributes()
        .iter()
        .filter_map(|attribute| {
            data.value(case.case_id, attribute.id)
                .map(|value| (attribute.name.clone(), typed_json(attribute.kind, value)))
        })
        .collect();
    CaseJson {
        kind: "case",
        id: case.case_id.0,
        name: case.name.clone(),
        group: case.group.clone(),
        attributes,
    }
}

fn cell_json(
    data: &AnalysisData,
    matrix: &Matrix,
    (row, column): (usize, usize),
    (case_id, index): (CaseId, usize),
    mode: CellMode,
) -> CellJson {
    let cell = matrix.cell(case_id, index);
    let code = matrix
        .columns()
        .get(index)
        .map_or(0, |column: &Column| match column.key {
            crate::analysis::ColumnKey::Code(code_id) => code_id.0,
            crate::analysis::ColumnKey::Role(role_id) => role_id.0,
        });
    CellJson {
        row,
        column,
        case: case_id.0,
        code,
        segments: cell.segments(),
        codings: cell.codings(),
        presence: cell.presence(),
        state: cell.status().as_str(),
        negative_mark: cell.negative,
        segment_ids: cell.coding_ids.iter().map(|id| id.0).collect(),
        summary: cell.summary.map(|summary| SummaryJson {
            id: summary.summary_id.0,
            text: summary.text.clone(),
            author: summary.author.clone(),
            updated_at: summary.updated_at.clone(),
            segment_ids: summary.coding_ids.iter().map(|id| id.0).collect(),
        }),
        segment_list: mode.lists_segments().then(|| {
            matrix
                .segments_of(data, case_id, index)
                .into_iter()
                .map(|(document, segment)| {
                    let linked = cell.summary.is_some_and(|summary| {
                        summary.coding_ids.binary_search(&segment.coding_id).is_ok()
                    });
                    segment_json(document, segment, linked)
                })
                .collect()
        }),
    }
}

/// The JSON view of a segment.
pub(crate) fn segment_json(
    document: &str,
    segment: &crate::analysis::Segment,
    linked: bool,
) -> SegmentJson {
    SegmentJson {
        coding_id: segment.coding_id.0,
        document: document.to_owned(),
        utterance: segment.citation.clone(),
        start: segment.start,
        end: segment.end,
        text: segment.text.clone(),
        coder: segment.coder.clone(),
        exemplar: segment.exemplar,
        linked,
    }
}

fn matrix_json(matrix: &Matrix, data: &AnalysisData, mode: CellMode) -> MatrixJson {
    let cases: Vec<HeaderJson> = matrix
        .cases
        .iter()
        .map(|case| HeaderJson::Case(case_json(data, case)))
        .collect();
    let columns: Vec<HeaderJson> = matrix
        .columns()
        .iter()
        .map(|column| HeaderJson::Column(ColumnJson::of(column)))
        .collect();
    let case_totals: Vec<TotalsJson> = matrix
        .cases
        .iter()
        .map(|case| totals_json(matrix.case_totals(case.case_id)))
        .collect();
    let column_totals: Vec<TotalsJson> = matrix
        .column_totals()
        .into_iter()
        .map(totals_json)
        .collect();
    let mut cells = Vec::new();
    let transposed = matrix.options.orientation == Orientation::CodesAsRows;
    let (row_count, column_count) = if transposed {
        (matrix.columns().len(), matrix.cases.len())
    } else {
        (matrix.cases.len(), matrix.columns().len())
    };
    for row in 0..row_count {
        for column in 0..column_count {
            let (case_position, index) = if transposed {
                (column, row)
            } else {
                (row, column)
            };
            let Some(case) = matrix.cases.get(case_position) else {
                continue;
            };
            cells.push(cell_json(
                data,
                matrix,
                (row, column),
                (case.case_id, index),
                mode,
            ));
        }
    }
    let (rows, columns, row_totals, column_totals) = if transposed {
        (columns, cases, column_totals, case_totals)
    } else {
        (cases, columns, case_totals, column_totals)
    };
    MatrixJson {
        analysis: "matrix",
        level: matrix.options.level.name(data),
        rows_are: if transposed { "codes" } else { "cases" },
        cell: mode.as_str(),
        group_by: matrix.options.group_by.and_then(|attribute_id| {
            data.attributes()
                .iter()
                .find(|attribute| attribute.id == attribute_id)
                .map(|attribute| attribute.name.clone())
        }),
        filter: matrix.options.filter.describe(data),
        counting: COUNTING_NOTE,
        rows,
        columns,
        cells,
        row_totals,
        column_totals,
    }
}

fn totals_json(totals: Totals) -> TotalsJson {
    TotalsJson {
        segments: totals.segments,
        codings: totals.codings,
        coded: totals.coded,
    }
}
