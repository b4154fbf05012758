//! Transcripts from files and folders: `.txt` in any encoding `text::encoding` knows and Word
//! `.docx` (`import::docx`), cleaned by the opt-in `import::filters`, speaker turns recognised
//! by `text::speakers` on the cleaned text. A folder is read recursively; what is not a
//! transcript is skipped with the reason (tables: use `import-survey` or `attributes`).

use std::path::{Path, PathBuf};

use super::attributes::typed_table;
use super::docx::read_docx;
use super::filters::{Filter, apply_filters};
use crate::command::{AttributeTable, Command, NewDocument};
use crate::model::DocumentMetadata;
use crate::text::{EncodingChoice, SpeakerPatterns, decode};
use crate::{Error, Result};

/// How to import transcripts.
#[derive(Clone, Debug, Default)]
pub struct TxtOptions {
    pub encoding: EncodingChoice,
    /// Case of every imported document; the file stem when `None`.
    pub case: Option<String>,
    pub speakers: SpeakerPatterns,
    /// Cleanup filters, in the order they run (see `filters::parse_filters`).
    pub filters: Vec<Filter>,
}

/// The import options as a person writes them (the CLI's flags, the import window's fields):
/// an encoding name, a case name (empty: the file stem), speaker-label regexes (none: the
/// usual `Ａ：` and `【Ａ】` forms), filter names and line regexes to drop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxtFlags {
    pub encoding: String,
    pub case: Option<String>,
    pub speaker_patterns: Vec<String>,
    pub filters: Vec<String>,
    pub drop_lines: Vec<String>,
}

impl TxtFlags {
    /// The options these flags name; the error says which flag is wrong and why.
    pub fn options(&self) -> std::result::Result<TxtOptions, String> {
        let encoding = if self.encoding.trim().is_empty() {
            EncodingChoice::Auto
        } else {
            EncodingChoice::parse(&self.encoding).ok_or_else(|| {
                format!(
                    "--encoding {}: unknown; use auto, utf-8, shift_jis, cp932, euc-jp, utf-16le or utf-16be",
                    self.encoding
                )
            })?
        };
        let patterns: Vec<String> = self
            .speaker_patterns
            .iter()
            .filter(|pattern| !pattern.trim().is_empty())
            .cloned()
            .collect();
        let speakers = if patterns.is_empty() {
            SpeakerPatterns::default()
        } else {
            SpeakerPatterns::custom(&patterns)?
        };
        let drop_lines: Vec<String> = self
            .drop_lines
            .iter()
            .filter(|pattern| !pattern.trim().is_empty())
            .cloned()
            .collect();
        Ok(TxtOptions {
            encoding,
            case: self
                .case
                .as_deref()
                .map(str::trim)
                .filter(|case| !case.is_empty())
                .map(str::to_owned),
            speakers,
            filters: super::filters::parse_filters(&self.filters, &drop_lines)?,
        })
    }
}

/// What an import found: documents ready to store, case attributes from `＠` headers, and one
/// line per skipped file (`skipped PATH: reason`) or note (`PATH: tracked changes …`).
#[derive(Clone, Debug, Default)]
pub struct Collected {
    pub documents: Vec<NewDocument>,
    /// Case attributes found by the `nucc-header` filter, typed; `None` when there are none.
    pub attributes: Option<AttributeTable>,
    /// How many files of the given folders were skipped (each has a line in `warnings`).
    pub skipped: usize,
    pub warnings: Vec<String>,
    /// The skipped files with their reasons (the workbench words them in its own language),
    /// in the order of their lines in `warnings`.
    pub skipped_files: Vec<SkippedFile>,
}

/// A file of an imported folder that was not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: SkipReason,
}

/// Why a file of an imported folder was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// `__MACOSX`.
    MacMetadata,
    /// `.DS_Store`, `Thumbs.db`, `desktop.ini`.
    SystemFile,
    /// `~$…` of an open Office file.
    OfficeLock,
    /// A name starting with a dot.
    Hidden,
    /// A link to a folder (not followed: it could loop).
    FolderLink,
    /// A spreadsheet or CSV.
    Table,
    /// An old Word `.doc`.
    OldWord,
    /// Any other file.
    NotTranscript,
}

impl SkipReason {
    /// The reason as the CLI prints it.
    pub fn label(self) -> &'static str {
        match self {
            SkipReason::MacMetadata => "macOS archive metadata",
            SkipReason::SystemFile => "system file",
            SkipReason::OfficeLock => "Office lock file",
            SkipReason::Hidden => "hidden",
            SkipReason::FolderLink => "a link to a folder",
            SkipReason::Table => {
                "a table, not a transcript (survey answers: `casecode import-survey`; case attributes: `casecode attributes`)"
            }
            SkipReason::OldWord => "an old Word .doc; save it as .docx and import that",
            SkipReason::NotTranscript => "not a .txt or .docx file",
        }
    }
}

impl Collected {
    /// The one command that stores what was found: the documents, and with them the case
    /// attributes of `＠` headers when there are any (`source` names the files in its label).
    pub fn into_command(self, source: String) -> Command {
        match self.attributes {
            Some(table) => Command::ImportCases {
                source,
                documents: self.documents,
                table,
            },
            None => Command::ImportDocuments {
                documents: self.documents,
            },
        }
    }
}

/// One transcript file read: the document and what the filters and readers found.
#[derive(Clone, Debug)]
pub struct ReadTranscript {
    pub document: NewDocument,
    /// `＠` header attributes of the document's case, in file order.
    pub attributes: Vec<(String, String)>,
    /// Notes of the reader (tracked changes, parts left out); also in the metadata.
    pub warnings: Vec<String>,
}

/// Reads the given files and, recursively, the `.txt` files of the given folders (sorted by
/// path). Any file that cannot be read or decoded fails the whole import, naming the file.
pub fn collect_transcripts(paths: &[PathBuf], options: &TxtOptions) -> Result<Collected> {
    let mut files = Vec::new();
    let mut collected = Collected::default();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, &mut collected.skipped_files)?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Error::bad_input(path.display(), "no such file or folder"));
        }
    }
    collected.skipped = collected.skipped_files.len();
    collected.warnings = (collected.skipped_files.iter())
        .map(|skipped| {
            format!(
                "skipped {}: {}",
                skipped.path.display(),
                skipped.reason.label()
            )
        })
        .collect();
    let mut case_attributes: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for file in files {
        let read = read_document(&file, options)?;
        collected.warnings.extend(
            read.warnings
                .iter()
                .map(|note| format!("{}: {note}", file.display())),
        );
        if !read.attributes.is_empty() {
            let case = read.document.case_name.clone();
            match case_attributes.iter_mut().find(|(known, _)| *known == case) {
                Some((_, attributes)) => {
                    for (key, value) in read.attributes {
                        if !attributes.iter().any(|(known, _)| *known == key) {
                            attributes.push((key, value));
                        }
                    }
                }
                None => case_attributes.push((case, read.attributes)),
            }
        }
        collected.documents.push(read.document);
    }
    collected.attributes = attribute_table(case_attributes);
    Ok(collected)
}

/// The attributes of `＠` headers as one typed table, columns in first-seen order.
fn attribute_table(cases: Vec<(String, Vec<(String, String)>)>) -> Option<AttributeTable> {
    let mut names: Vec<String> = Vec::new();
    for (_, attributes) in &cases {
        for (key, _) in attributes {
            if !names.contains(key) {
                names.push(key.clone());
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    let rows = cases
        .into_iter()
        .map(|(case, attributes)| {
            let values = names
                .iter()
                .map(|name| {
                    attributes
                        .iter()
                        .find(|(key, _)| key == name)
                        .map(|(_, value)| value.clone())
                })
                .collect();
            (case, values)
        })
        .collect();
    Some(typed_table(&names, rows))
}

/// Reads one transcript file (the document only; see [`read_document`]).
pub fn read_transcript(path: &Path, options: &TxtOptions) -> Result<NewDocument> {
    read_document(path, options).map(|read| read.document)
}

/// Reads one transcript file, `.txt` or `.docx`, applies the filters and finds the turns.
pub fn read_document(path: &Path, options: &TxtOptions) -> Result<ReadTranscript> {
    let extension = extension_of(path);
    if matches!(
        extension.as_str(),
        "doc" | "pdf" | "xlsx" | "xls" | "rtf" | "odt"
    ) {
        return Err(Error::bad_input(
            path.display(),
            format!(
                ".{extension} files are not transcripts casecode reads; save the transcript as .docx or .txt and import that"
            ),
        ));
    }
    let (raw_text, encoding, format, warnings, table_speakers) = if extension == "docx" {
        let docx = read_docx(path)?;
        (
            docx.text,
            "utf-8".to_owned(),
            "docx",
            docx.notes,
            docx.table_speakers,
        )
    } else {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let decoded = decode(&bytes, options.encoding)
            .map_err(|message| Error::bad_input(path.display(), message))?;
        (
            decoded.text,
            decoded.encoding,
            "txt",
            Vec::new(),
            Vec::new(),
        )
    };
    let filtered = apply_filters(&options.filters, &raw_text);
    let name = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().trim().to_owned())
        .unwrap_or_default();
    if name.is_empty() {
        return Err(Error::bad_input(
            path.display(),
            "the file name gives no document name",
        ));
    }
    // A speaker table names its speakers: find the turns by exactly those labels.
    let table_patterns;
    let speakers = if table_speakers.is_empty() {
        &options.speakers
    } else {
        let labels: Vec<String> = table_speakers
            .iter()
            .map(|label| regex::escape(label))
            .collect();
        table_patterns = SpeakerPatterns::custom(&[format!("(?P<speaker>{})：", labels.join("|"))])
            .map_err(|message| Error::bad_input(path.display(), message))?;
        &table_patterns
    };
    let utterances = speakers
        .parse(&filtered.text)
        .into_iter()
        .map(Into::into)
        .collect();
    let metadata = DocumentMetadata {
        format: format.to_owned(),
        filters: options.filters.iter().map(Filter::name).collect(),
        notes: warnings.iter().chain(&filtered.notes).cloned().collect(),
    };
    Ok(ReadTranscript {
        document: NewDocument {
            case_name: options.case.clone().unwrap_or_else(|| name.clone()),
            name,
            text: filtered.text,
            encoding,
            source_path: path.display().to_string(),
            utterances,
            metadata,
        },
        attributes: filtered.attributes,
        warnings,
    })
}

fn extension_of(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Collects `.txt` and `.docx` files below `folder`, skipping anything else with a warning each.
fn walk(folder: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<SkippedFile>) -> Result<()> {
    let entries = std::fs::read_dir(folder).map_err(|source| Error::Io {
        path: folder.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<_>>()
        .map_err(|source| Error::Io {
            path: folder.to_owned(),
            source,
        })?;
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_link = path
            .symlink_metadata()
            .is_ok_and(|meta| meta.file_type().is_symlink());
        let reason = if let Some(reason) = junk_reason(&name, path.is_dir()) {
            Some(reason)
        } else if path.is_dir() {
            if is_link {
                Some(SkipReason::FolderLink)
            } else {
                walk(&path, files, skipped)?;
                None
            }
        } else {
            match extension_of(&path).as_str() {
                "txt" | "docx" => {
                    files.push(path.clone());
                    None
                }
                "csv" | "tsv" | "xlsx" | "xls" => Some(SkipReason::Table),
                "doc" => Some(SkipReason::OldWord),
                _ => Some(SkipReason::NotTranscript),
            }
        };
        if let Some(reason) = reason {
            skipped.push(SkippedFile { path, reason });
        }
    }
    Ok(())
}

fn junk_reason(name: &str, is_dir: bool) -> Option<SkipReason> {
    if name == "__MACOSX" && is_dir {
        Some(SkipReason::MacMetadata)
    } else if name == ".DS_Store" || name == "Thumbs.db" || name == "desktop.ini" {
        Some(SkipReason::SystemFile)
    } else if name.starts_with("~$") {
        Some(SkipReason::OfficeLock)
    } else if name.starts_with('.') {
        Some(SkipReason::Hidden)
    } else {
        None
    }
}
