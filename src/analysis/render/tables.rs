//! Co-occurrence and frequency tables as TSV, JSON or Markdown.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{COUNTING_NOTE, ColumnJson, Format, column_label, decimal, header, json, line};
use crate::analysis::cooccurrence::Cooccurrence;
use crate::analysis::data::AnalysisData;
use crate::analysis::frequency::Frequencies;

/// Renders the co-occurrence pairs: one line per pair with a count above zero, in column
/// order.
pub fn cooccurrence(table: &Cooccurrence, data: &AnalysisData, format: Format) -> String {
    let label = |index: usize| {
        table
            .columns
            .get(index)
            .map(column_label)
            .unwrap_or_default()
    };
    if format == Format::Json {
        return json(&CooccurrenceJson {
            analysis: "cooccurrence",
            level: table.level.name(data),
            mode: table.mode.as_str(),
            filter: table.filter.describe(data),
            columns: table
                .columns
                .iter()
                .zip(&table.extent)
                .map(|(column, extent)| ExtentJson {
                    column: ColumnJson::of(column),
                    extent: *extent,
                })
                .collect(),
            pairs: table
                .pairs
                .iter()
                .map(|pair| PairJson {
                    first: pair.first,
                    second: pair.second,
                    first_path: label(pair.first),
                    second_path: label(pair.second),
                    count: pair.count,
                    jaccard: pair.jaccard,
                })
                .collect(),
        });
    }
    let mut out = header(
        format,
        &[
            "code".to_owned(),
            "co-occurring code".to_owned(),
            format!("count ({})", table.mode.as_str()),
            "jaccard".to_owned(),
        ],
    );
    for pair in &table.pairs {
        out.push_str(&line(
            format,
            &[
                label(pair.first),
                label(pair.second),
                pair.count.to_string(),
                format!("{:.3}", pair.jaccard),
            ],
        ));
    }
    out
}

#[derive(Serialize)]
struct CooccurrenceJson {
    analysis: &'static str,
    level: String,
    /// `overlap` or `utterance`.
    mode: &'static str,
    filter: BTreeMap<String, Vec<String>>,
    columns: Vec<ExtentJson>,
    pairs: Vec<PairJson>,
}

#[derive(Serialize)]
struct ExtentJson {
    #[serde(flatten)]
    column: ColumnJson,
    /// Code points coded (overlap) or utterances touched (utterance).
    extent: usize,
}

#[derive(Serialize)]
struct PairJson {
    /// Indices into `columns`.
    first: usize,
    second: usize,
    first_path: String,
    second_path: String,
    count: usize,
    jaccard: f64,
}

/// Renders the frequency table.
pub fn frequencies(table: &Frequencies, data: &AnalysisData, format: Format) -> String {
    if format == Format::Json {
        return json(&FrequenciesJson {
            analysis: "frequencies",
            level: table.level.name(data),
            filter: table.filter.describe(data),
            counting: COUNTING_NOTE,
            total_cases: table.total_cases,
            rows: table
                .rows
                .iter()
                .map(|row| FrequencyJson {
                    column: ColumnJson::of(&row.column),
                    segments: row.segments,
                    cases: row.cases,
                    chars: row.chars,
                    percent_of_cases: row.percent_of_cases,
                })
                .collect(),
        });
    }
    let mut out = header(
        format,
        &[
            "code".to_owned(),
            "segments".to_owned(),
            "cases".to_owned(),
            "chars".to_owned(),
            format!("% of cases (n = {})", table.total_cases),
        ],
    );
    for row in &table.rows {
        out.push_str(&line(
            format,
            &[
                column_label(&row.column),
                row.segments.to_string(),
                row.cases.to_string(),
                row.chars.to_string(),
                decimal(row.percent_of_cases, 1),
            ],
        ));
    }
    if format == Format::Markdown {
        out.push_str(&format!(
            "\n{COUNTING_NOTE}; chars: code points covered, counted once.\n"
        ));
    }
    out
}

#[derive(Serialize)]
struct FrequenciesJson {
    analysis: &'static str,
    level: String,
    filter: BTreeMap<String, Vec<String>>,
    counting: &'static str,
    total_cases: usize,
    rows: Vec<FrequencyJson>,
}

#[derive(Serialize)]
struct FrequencyJson {
    #[serde(flatten)]
    column: ColumnJson,
    segments: usize,
    cases: usize,
    chars: usize,
    percent_of_cases: Option<f64>,
}
