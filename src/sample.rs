//! The sample study: builds a complete project (documents, case attributes, codebook,
//! codings) from a folder laid out like `sample_transcripts/`, each part as its own command.

use std::path::{Path, PathBuf};

use crate::command::Command;
use crate::import::attributes::read_attributes_csv;
use crate::import::codebook::read_codebook;
use crate::import::codings::read_codings_csv;
use crate::import::txt::{TxtOptions, collect_transcripts};
use crate::project::Project;
use crate::{Error, Result};

/// What [`build_study`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StudySummary {
    pub documents: usize,
    pub cases: usize,
    pub codes: usize,
    pub codings: usize,
    pub warnings: Vec<String>,
}

/// Creates `project_path` from `folder`: every `*.txt` there, then `cases.csv`,
/// `codebook.ron` (or `codebook.csv`) and `codings.csv` when present.
pub fn build_study(
    folder: &Path,
    project_path: &Path,
    coder: Option<&str>,
) -> Result<StudySummary> {
    let entries = std::fs::read_dir(folder).map_err(|source| Error::Io {
        path: folder.to_owned(),
        source,
    })?;
    let mut transcripts: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|extension| extension.eq_ignore_ascii_case("txt"))
                && !path
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with(['.', '~']))
        })
        .collect();
    transcripts.sort();
    if transcripts.is_empty() {
        return Err(Error::bad_input(
            folder.display(),
            "no .txt transcripts in this folder",
        ));
    }
    let collected = collect_transcripts(&transcripts, &TxtOptions::default())?;
    let mut project = Project::create(project_path)?;
    if let Some(coder) = coder {
        project.set_coder(coder);
    }
    project.execute(Command::ImportDocuments {
        documents: collected.documents,
    })?;
    let cases = folder.join("cases.csv");
    if cases.is_file() {
        project.execute(Command::ImportAttributes {
            table: read_attributes_csv(&cases)?,
        })?;
    }
    for name in ["codebook.ron", "codebook.csv"] {
        let file = folder.join(name);
        if file.is_file() {
            project.execute(Command::ImportCodebook {
                codebook: read_codebook(&file)?,
            })?;
            break;
        }
    }
    let codings = folder.join("codings.csv");
    if codings.is_file() {
        let codings = read_codings_csv(&codings, &project)?;
        if !codings.is_empty() {
            project.execute(Command::AddCodings { codings })?;
        }
    }
    let [documents, cases, codes, codings] = project.read().counts()?;
    Ok(StudySummary {
        documents,
        cases,
        codes,
        codings,
        warnings: collected.warnings,
    })
}
