//! Codings from a CSV with columns `document,start,end,code[,coder][,memo][,text]`. Offsets are
//! code points, half-open. When a `text` column is present, each row's text must equal the
//! document's text at that span: a guard against offsets counted in bytes or UTF-16 units.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::read_text_file;
use crate::command::NewCoding;
use crate::model::{CodeId, DocumentId, Span};
use crate::project::Project;
use crate::text::CharIndex;
use crate::{Error, Result};

/// Reads a codings CSV, resolving documents and codes in `project`. The records are read one
/// at a time and each code name is resolved once, so a million rows take seconds. The codings
/// come back sorted by document, span, code and coder.
pub fn read_codings_csv(path: &Path, project: &Project) -> Result<Vec<NewCoding>> {
    let text = read_text_file(path)?;
    let bad = |message: String| Error::bad_input(path.display(), message);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|error| bad(format!("cannot read the header: {error}")))?
        .iter()
        .map(|field| field.trim().to_owned())
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|field| field.eq_ignore_ascii_case(name))
    };
    let (Some(document_column), Some(start_column), Some(end_column), Some(code_column)) = (
        column("document"),
        column("start"),
        column("end"),
        column("code"),
    ) else {
        return Err(bad(
            "the header needs the columns document,start,end,code (and optionally coder,memo,text)"
                .to_owned(),
        ));
    };
    let (coder_column, memo_column, text_column) =
        (column("coder"), column("memo"), column("text"));
    let tree = project.code_tree()?;
    let mut documents: BTreeMap<String, (DocumentId, CharIndex)> = BTreeMap::new();
    let mut codes: HashMap<String, CodeId> = HashMap::new();
    let mut codings = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|error| {
            let line = error.position().map_or(0, |position| position.line());
            bad(format!("line {line}: {error}"))
        })?;
        if !more {
            break;
        }
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |position| position.line()) as usize;
        let field = |index: Option<usize>| -> &str {
            index.and_then(|index| record.get(index)).unwrap_or("")
        };
        let document_name = field(Some(document_column)).trim();
        if !documents.contains_key(document_name) {
            let info = project
                .document_named(document_name)
                .map_err(|error| bad(format!("line {line}: {error}")))?;
            let text = project.read().document_text(info.id)?.unwrap_or_default();
            documents.insert(document_name.to_owned(), (info.id, CharIndex::new(text)));
        }
        let Some((document_id, index)) = documents.get(document_name) else {
            continue;
        };
        let number = |index: usize, what: &str| -> Result<usize> {
            let value = field(Some(index)).trim();
            value.parse::<usize>().map_err(|_| {
                bad(format!(
                    "line {line}: {what} '{value}' is not a whole number ≥ 0"
                ))
            })
        };
        let (start, end) = (number(start_column, "start")?, number(end_column, "end")?);
        Span::new(document_name, index.chars(), start, end)
            .map_err(|error| bad(format!("line {line}: {error}")))?;
        if let Some(expected) = text_column.map(|index| field(Some(index)))
            && !expected.is_empty()
        {
            let found = index.slice(start, end).unwrap_or_default();
            if found != expected {
                return Err(bad(format!(
                    "line {line}: the text column does not match document '{document_name}' at [{start}, {end}): the file says 「{}」, the document has 「{}」",
                    abbreviate(expected),
                    abbreviate(found)
                )));
            }
        }
        let code_name = field(Some(code_column));
        let code_id = match codes.get(code_name) {
            Some(code_id) => *code_id,
            None => {
                let code_id = tree
                    .resolve(code_name)
                    .map_err(|error| bad(format!("line {line}: {error}")))?;
                codes.insert(code_name.to_owned(), code_id);
                code_id
            }
        };
        let coder = field(coder_column).trim();
        codings.push(NewCoding {
            document_id: *document_id,
            code_id,
            start,
            end,
            coder: if coder.is_empty() {
                project.coder().to_owned()
            } else {
                coder.to_owned()
            },
            memo: field(memo_column).to_owned(),
        });
    }
    // Document and span order: the ids are given in this order, and rows stored in the order
    // of the table's indexes are what make a million of them take seconds, not minutes.
    // Unstable and on every core: the keys are unique but for repeats, which are refused.
    use rayon::prelude::*;
    codings.par_sort_unstable_by(|a, b| {
        (a.document_id, a.start, a.end, a.code_id, &a.coder).cmp(&(
            b.document_id,
            b.start,
            b.end,
            b.code_id,
            &b.coder,
        ))
    });
    Ok(codings)
}

fn abbreviate(text: &str) -> String {
    let mut short: String = text.chars().take(30).collect();
    if text.chars().count() > 30 {
        short.push('…');
    }
    short
}
