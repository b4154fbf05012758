//! Importers: each reads files and returns what a command needs (documents, an attribute
//! table, a codebook, codings) plus warnings. They never write to the project themselves.

pub mod archive;
pub mod attributes;
pub mod codebook;
pub mod codings;
pub mod docx;
pub mod filters;
pub mod qdpx;
pub mod survey;
pub mod txt;

use std::path::Path;

use crate::text::{EncodingChoice, decode};
use crate::{Error, Result};

/// Reads a text file (CSV, RON …) in any encoding `auto` detects; BOM removed, LF line ends.
pub fn read_text_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    decode(&bytes, EncodingChoice::Auto)
        .map(|decoded| decoded.text)
        .map_err(|message| Error::bad_input(path.display(), message))
}

/// A CSV's records with their line numbers.
pub(crate) type CsvRecords = Vec<(usize, Vec<String>)>;

/// Parses a CSV held in memory into its header and records; errors name the file and line.
pub(crate) fn parse_csv(file: &Path, text: &str) -> Result<(Vec<String>, CsvRecords)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|error| {
            Error::bad_input(file.display(), format!("cannot read the header: {error}"))
        })?
        .iter()
        .map(|field| field.trim().to_owned())
        .collect::<Vec<_>>();
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |position| position.line());
            Error::bad_input(file.display(), format!("line {line}: {error}"))
        })?;
        let line = record.position().map_or(0, |position| position.line()) as usize;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        records.push((line, record.iter().map(str::to_owned).collect()));
    }
    Ok((header, records))
}
