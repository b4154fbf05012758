//! Codebooks: casecode's RON format and a CSV with one code per row
//! (`category,subcategory,code,roles,definition,color`).

use std::path::Path;

use super::{parse_csv, read_text_file};
use crate::codebook::{CodeSpec, Codebook};
use crate::{Error, Result};

/// Reads a codebook; `.csv` files as CSV, everything else as RON.
pub fn read_codebook(path: &Path) -> Result<Codebook> {
    let text = read_text_file(path)?;
    let is_csv = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
    if is_csv {
        codebook_from_csv(path, &text)
    } else {
        codebook_from_ron(path, &text)
    }
}

/// Parses the RON format; errors give line and column.
pub fn codebook_from_ron(path: &Path, text: &str) -> Result<Codebook> {
    ron::from_str::<Codebook>(text).map_err(|error| {
        Error::bad_input(
            path.display(),
            format!(
                "line {}, column {}: {}",
                error.span.start.line, error.span.start.col, error.code
            ),
        )
    })
}

/// Column names accepted in a codebook CSV header (English or Japanese).
const COLUMNS: [(&str, &[&str]); 6] = [
    ("category", &["category", "カテゴリー", "カテゴリ"]),
    (
        "subcategory",
        &["subcategory", "サブカテゴリー", "サブカテゴリ"],
    ),
    ("code", &["code", "焦点コード", "コード"]),
    ("roles", &["roles", "役割"]),
    ("definition", &["definition", "定義"]),
    ("color", &["color", "colour", "色"]),
];

/// Parses a codebook CSV. Each row defines its deepest non-empty level; the levels above are
/// created as needed.
pub fn codebook_from_csv(path: &Path, text: &str) -> Result<Codebook> {
    let (header, records) = parse_csv(path, text)?;
    let position = |key: &str| -> Option<usize> {
        let (_, names) = COLUMNS.iter().find(|(name, _)| *name == key)?;
        header
            .iter()
            .position(|field| names.iter().any(|name| field.eq_ignore_ascii_case(name)))
    };
    let Some(category_column) = position("category") else {
        return Err(Error::bad_input(
            path.display(),
            "the header needs a 'category' column: category,subcategory,code,roles,definition,color",
        ));
    };
    let levels = [
        Some(category_column),
        position("subcategory"),
        position("code"),
    ];
    let (roles, definition, color) = (position("roles"), position("definition"), position("color"));
    let field = |record: &[String], column: Option<usize>| -> String {
        column
            .and_then(|index| record.get(index))
            .map(|value| value.trim().to_owned())
            .unwrap_or_default()
    };
    let mut codebook = Codebook::default();
    for (line, record) in records {
        let path_names: Vec<String> = levels
            .iter()
            .map(|column| field(&record, *column))
            .take_while(|name| !name.is_empty())
            .collect();
        if path_names.is_empty() {
            return Err(Error::bad_input(
                path.display(),
                format!("line {line}: the category is empty"),
            ));
        }
        let node = ensure_path(&mut codebook.codes, &path_names);
        if let Some(node) = node {
            let role_list = field(&record, roles);
            node.roles = role_list
                .split([';', '|', '、', '，', ','])
                .map(str::trim)
                .filter(|role| !role.is_empty())
                .map(str::to_owned)
                .collect();
            node.definition = field(&record, definition);
            let colour = field(&record, color);
            node.color = (!colour.is_empty()).then_some(colour);
        }
    }
    Ok(codebook)
}

/// The node at `path`, creating the missing levels.
fn ensure_path<'a>(codes: &'a mut Vec<CodeSpec>, path: &[String]) -> Option<&'a mut CodeSpec> {
    let (first, rest) = path.split_first()?;
    let index = match codes.iter().position(|code| &code.name == first) {
        Some(index) => index,
        None => {
            codes.push(CodeSpec {
                name: first.clone(),
                ..CodeSpec::default()
            });
            codes.len() - 1
        }
    };
    let code = codes.get_mut(index)?;
    if rest.is_empty() {
        Some(code)
    } else {
        ensure_path(&mut code.children, rest)
    }
}
