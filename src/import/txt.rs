//! Plain-text transcripts: files and folders of `.txt`, any encoding `text::encoding` knows,
//! speaker turns recognised by `text::speakers`.

use std::path::{Path, PathBuf};

use crate::command::NewDocument;
use crate::text::{EncodingChoice, SpeakerPatterns, decode};
use crate::{Error, Result};

/// How to import transcripts.
#[derive(Clone, Debug, Default)]
pub struct TxtOptions {
    pub encoding: EncodingChoice,
    /// Case of every imported document; the file stem when `None`.
    pub case: Option<String>,
    pub speakers: SpeakerPatterns,
}

/// What an import found: documents ready to store and one warning line per skipped file.
#[derive(Clone, Debug, Default)]
pub struct Collected {
    pub documents: Vec<NewDocument>,
    pub warnings: Vec<String>,
}

/// Reads the given files and, recursively, the `.txt` files of the given folders (sorted by
/// path). Any file that cannot be read or decoded fails the whole import, naming the file.
pub fn collect_transcripts(paths: &[PathBuf], options: &TxtOptions) -> Result<Collected> {
    let mut files = Vec::new();
    let mut collected = Collected::default();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, &mut collected.warnings)?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Error::bad_input(path.display(), "no such file or folder"));
        }
    }
    for file in files {
        collected.documents.push(read_transcript(&file, options)?);
    }
    Ok(collected)
}

/// Reads one transcript file.
pub fn read_transcript(path: &Path, options: &TxtOptions) -> Result<NewDocument> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if matches!(extension.as_str(), "docx" | "doc" | "pdf" | "xlsx" | "rtf") {
        return Err(Error::bad_input(
            path.display(),
            format!(
                ".{extension} files are not plain text; save the transcript as .txt and import that"
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let decoded = decode(&bytes, options.encoding)
        .map_err(|message| Error::bad_input(path.display(), message))?;
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
    let utterances = options
        .speakers
        .parse(&decoded.text)
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(NewDocument {
        case_name: options.case.clone().unwrap_or_else(|| name.clone()),
        name,
        text: decoded.text,
        encoding: decoded.encoding,
        source_path: path.display().to_string(),
        utterances,
    })
}

/// Collects `.txt` files below `folder`, skipping junk with a warning each.
fn walk(folder: &Path, files: &mut Vec<PathBuf>, warnings: &mut Vec<String>) -> Result<()> {
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
        if let Some(reason) = junk_reason(&name, path.is_dir()) {
            warnings.push(format!("skipped {}: {reason}", path.display()));
        } else if path.is_dir() {
            if is_link {
                warnings.push(format!("skipped {}: a link to a folder", path.display()));
            } else {
                walk(&path, files, warnings)?;
            }
        } else if name.to_ascii_lowercase().ends_with(".txt") {
            files.push(path);
        } else {
            warnings.push(format!("skipped {}: not a .txt file", path.display()));
        }
    }
    Ok(())
}

fn junk_reason(name: &str, is_dir: bool) -> Option<&'static str> {
    if name == "__MACOSX" && is_dir {
        Some("macOS archive metadata")
    } else if name == ".DS_Store" || name == "Thumbs.db" || name == "desktop.ini" {
        Some("system file")
    } else if name.starts_with("~$") {
        Some("Office lock file")
    } else if name.starts_with('.') {
        Some("hidden")
    } else {
        None
    }
}
