//! Case attributes from a CSV: the first column names the case, the header names the
//! attributes (`勤務年数` or `勤務年数:integer`). Types are inferred (integer, number, date,
//! text) unless declared. Excel's CP932 and UTF-8-with-BOM files work.

use std::collections::BTreeSet;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::{parse_csv, read_text_file};
use crate::command::{AttributeColumn, AttributeTable};
use crate::model::AttributeKind;
use crate::{Error, Result};

/// Reads an attributes CSV.
pub fn read_attributes_csv(path: &Path) -> Result<AttributeTable> {
    let text = read_text_file(path)?;
    let (header, records) = parse_csv(path, &text)?;
    let bad = |message: String| Error::bad_input(path.display(), message);
    if header.len() < 2 || header.first().is_none_or(|name| name.is_empty()) {
        return Err(bad(
            "the first column must name the cases (e.g. 事例) and at least one attribute column must follow"
                .to_owned(),
        ));
    }
    let mut declared_columns = Vec::new();
    let mut names = BTreeSet::new();
    for (index, field) in header.iter().enumerate().skip(1) {
        let (name, declared) = match field.rsplit_once([':', '：']) {
            Some((name, kind)) => match AttributeKind::parse(kind) {
                Some(kind) => (name.trim().to_owned(), Some(kind)),
                None => {
                    return Err(bad(format!(
                        "header column {}: unknown type '{kind}' (integer, number, date or text)",
                        index + 1
                    )));
                }
            },
            None => (field.clone(), None),
        };
        if name.is_empty() {
            return Err(bad(format!("header column {} has no name", index + 1)));
        }
        if !names.insert(name.clone()) {
            return Err(bad(format!(
                "attribute '{name}' appears twice in the header"
            )));
        }
        declared_columns.push((name, declared));
    }
    let mut cases = BTreeSet::new();
    for (line, record) in &records {
        let case = record.first().map(|name| name.trim()).unwrap_or_default();
        if case.is_empty() {
            return Err(bad(format!(
                "line {line}: the case name (first column) is empty"
            )));
        }
        if !cases.insert(case.to_owned()) {
            return Err(bad(format!("line {line}: case '{case}' appears twice")));
        }
    }
    let mut columns = Vec::with_capacity(declared_columns.len());
    for (index, (name, declared)) in declared_columns.iter().enumerate() {
        let values = records
            .iter()
            .filter_map(|(_, record)| record.get(index + 1))
            .map(|value| value.trim())
            .filter(|value| !value.is_empty());
        let kind = declared.unwrap_or_else(|| infer_kind(values));
        columns.push(AttributeColumn {
            name: name.clone(),
            kind,
            declared: declared.is_some(),
        });
    }
    let mut rows = Vec::with_capacity(records.len());
    for (line, record) in records {
        let case = record
            .first()
            .map(|name| name.trim().to_owned())
            .unwrap_or_default();
        let mut values = Vec::with_capacity(columns.len());
        for (index, column) in columns.iter().enumerate() {
            let raw = record
                .get(index + 1)
                .map(|value| value.trim())
                .unwrap_or_default();
            if raw.is_empty() {
                values.push(None);
                continue;
            }
            let Some(value) = canonical_value(column.kind, raw) else {
                return Err(bad(format!(
                    "line {line}, column '{}': '{raw}' is not a valid {}",
                    column.name,
                    column.kind.as_str()
                )));
            };
            values.push(Some(value));
        }
        rows.push((case, values));
    }
    Ok(AttributeTable { columns, rows })
}

/// A typed table from raw cells: each column gets the most specific kind all its values fit
/// ([`infer_kind`]) and values are stored in canonical form; empty cells become `None`. Column
/// names must be distinct and each row as long as `names`.
pub fn typed_table(names: &[String], rows: Vec<(String, Vec<Option<String>>)>) -> AttributeTable {
    let columns: Vec<AttributeColumn> = names
        .iter()
        .enumerate()
        .map(|(index, name)| AttributeColumn {
            name: name.clone(),
            kind: infer_kind(
                rows.iter()
                    .filter_map(move |(_, values)| values.get(index).and_then(Option::as_deref))
                    .map(str::trim)
                    .filter(|value| !value.is_empty()),
            ),
            declared: false,
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|(case, values)| {
            let values = columns
                .iter()
                .enumerate()
                .map(|(index, column)| {
                    values
                        .get(index)
                        .and_then(Option::as_deref)
                        .and_then(|raw| canonical_value(column.kind, raw))
                })
                .collect();
            (case, values)
        })
        .collect();
    AttributeTable { columns, rows }
}

/// The most specific kind that every value fits; text when there are no values.
pub fn infer_kind<'a>(values: impl Iterator<Item = &'a str> + Clone) -> AttributeKind {
    let mut any = false;
    for kind in [
        AttributeKind::Integer,
        AttributeKind::Number,
        AttributeKind::Date,
    ] {
        let mut fits = true;
        for value in values.clone() {
            any = true;
            if canonical_value(kind, value).is_none() {
                fits = false;
                break;
            }
        }
        if fits && any {
            return kind;
        }
    }
    AttributeKind::Text
}

/// The kind that holds values of both kinds.
pub fn widen(a: AttributeKind, b: AttributeKind) -> AttributeKind {
    use AttributeKind::{Integer, Number, Text};
    match (a, b) {
        _ if a == b => a,
        (Integer, Number) | (Number, Integer) => Number,
        _ => Text,
    }
}

/// The stored form of a value of `kind`, or `None` when it does not fit. Numbers and dates
/// are read after NFKC (full-width digits are common in Japanese spreadsheets); text is kept
/// as written, only trimmed.
pub fn canonical_value(kind: AttributeKind, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if kind == AttributeKind::Text {
        return Some(raw.to_owned());
    }
    let folded: String = raw.nfkc().collect::<String>().trim().to_owned();
    match kind {
        AttributeKind::Integer => folded.parse::<i64>().ok().map(|value| value.to_string()),
        AttributeKind::Number => folded
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .map(|value| value.to_string()),
        AttributeKind::Date => canonical_date(&folded),
        AttributeKind::Text => Some(raw.to_owned()),
    }
}

/// `2024-08-05`, `2024/8/5`, `2024.8.5`, `2024年8月5日` → `2024-08-05`, checking the calendar.
fn canonical_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || month.is_empty() || month.len() > 2 || day.is_empty() || day.len() > 2 {
        return None;
    }
    let (year, month, day): (i32, u32, u32) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_inferred_from_every_value() {
        assert_eq!(infer_kind(["12", "９"].into_iter()), AttributeKind::Integer);
        assert_eq!(infer_kind(["12", "9.5"].into_iter()), AttributeKind::Number);
        assert_eq!(
            infer_kind(["2024-08-05", "2024年9月2日"].into_iter()),
            AttributeKind::Date
        );
        assert_eq!(
            infer_kind(["看護師", "12"].into_iter()),
            AttributeKind::Text
        );
        assert_eq!(canonical_value(AttributeKind::Date, "2024/2/30"), None);
        assert_eq!(
            canonical_value(AttributeKind::Integer, "１８"),
            Some("18".to_owned())
        );
    }
}
