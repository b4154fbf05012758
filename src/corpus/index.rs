//! The tokenizer a project uses and its token index.
//!
//! The dictionary is IPADIC (provisioned by `text::dictionary`) plus two user dictionaries: the
//! domain dictionary shipped in `dictionaries/user_dictionary.csv` (compiled into the binary)
//! and the project's own terms (`user_terms`). A document's index records the key it was made
//! with: the system dictionary and domain dictionary, plus only those project terms that occur
//! in the document. So adding a term re-tokenizes just the documents that contain it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::{DocumentId, UserTerm};
use crate::project::Project;
use crate::text::dictionary::{DictionaryLocations, DictionaryStatus, resolve_dictionary_in};
use crate::text::tokenize::{Token, Tokenizer};
use crate::{Error, Result};

/// The domain user dictionary (医療的ケア児, 相談支援専門員 …), shipped in the binary.
pub const DOMAIN_DICTIONARY: &str = include_str!("../../dictionaries/user_dictionary.csv");

/// A loaded tokenizer with the key that identifies its dictionaries.
pub struct TextLayer {
    pub tokenizer: Tokenizer,
    pub status: DictionaryStatus,
    /// Hash of the system dictionary's path and the domain dictionary.
    base_key: String,
    /// The project terms compiled into `tokenizer`.
    terms: Vec<UserTerm>,
}

impl TextLayer {
    /// Resolves the dictionary (building it on first use; `progress` hears about it) and loads
    /// it with the domain dictionary and the project's terms.
    pub fn load(project: &Project, progress: &mut dyn FnMut(&str)) -> Result<TextLayer> {
        TextLayer::load_from(project, &DictionaryLocations::from_environment(), progress)
    }

    /// [`TextLayer::load`] with the dictionary looked for in `locations` (the workbench's
    /// dictionary setting).
    pub fn load_from(
        project: &Project,
        locations: &DictionaryLocations,
        progress: &mut dyn FnMut(&str),
    ) -> Result<TextLayer> {
        let status = resolve_dictionary_in(locations, progress)?;
        let terms = project.read().user_terms()?;
        TextLayer::with_terms(status, terms)
    }

    /// Loads the tokenizer for a dictionary and a list of project terms.
    pub fn with_terms(status: DictionaryStatus, terms: Vec<UserTerm>) -> Result<TextLayer> {
        let folder = user_dictionary_folder()?;
        let domain = folder.join(format!(
            "domain-{:016x}.csv",
            fnv1a(DOMAIN_DICTIONARY.as_bytes())
        ));
        write_if_changed(&domain, DOMAIN_DICTIONARY)?;
        let mut dictionaries = vec![domain];
        if !terms.is_empty() {
            let csv: String = terms
                .iter()
                .map(|term| {
                    format!(
                        "{},{},{}\n",
                        csv_field(&term.surface),
                        csv_field(&term.part_of_speech),
                        csv_field(&term.reading)
                    )
                })
                .collect();
            let project_file = folder.join(format!("project-{:016x}.csv", fnv1a(csv.as_bytes())));
            write_if_changed(&project_file, &csv)?;
            dictionaries.push(project_file);
        }
        let tokenizer = Tokenizer::load(&status.path, &dictionaries)?;
        let base_key = format!(
            "{:016x}",
            fnv1a(format!("{}\n{}", status.path.display(), DOMAIN_DICTIONARY).as_bytes())
        );
        Ok(TextLayer {
            tokenizer,
            status,
            base_key,
            terms,
        })
    }

    /// The key a document's index must have to be current: the base key plus the project
    /// terms that occur in its text.
    pub fn key_for(&self, text: &str) -> String {
        let present: Vec<&UserTerm> = self
            .terms
            .iter()
            .filter(|term| text.contains(&term.surface))
            .collect();
        if present.is_empty() {
            return self.base_key.clone();
        }
        let listed: String = present
            .iter()
            .map(|term| {
                format!(
                    "{}\t{}\t{}\n",
                    term.surface, term.part_of_speech, term.reading
                )
            })
            .collect();
        format!("{}+{:016x}", self.base_key, fnv1a(listed.as_bytes()))
    }

    /// Tokens of a text (for `casecode tokenize` and queries).
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        self.tokenizer.tokenize(text)
    }
}

/// What [`ensure_index`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexReport {
    pub documents: usize,
    pub tokenized: usize,
    pub tokens: usize,
}

/// Tokenizes every document whose index is missing or stale, in parallel on all cores, and
/// stores the tokens in one transaction (streamed: see [`super::build`]). `progress(done,
/// total)` is called as documents finish.
pub fn ensure_index(
    project: &mut Project,
    layer: &TextLayer,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<IndexReport> {
    let reader = project.read();
    let keys = reader.token_index_keys()?;
    let infos = reader.document_infos()?;
    let mut stale: Vec<(DocumentId, String, String)> = Vec::new();
    for info in &infos {
        let text = reader.document_text(info.id)?.unwrap_or_default();
        let key = layer.key_for(&text);
        if keys.get(&info.id) != Some(&key) {
            stale.push((info.id, key, text));
        }
    }
    let mut report = IndexReport {
        documents: infos.len(),
        tokenized: stale.len(),
        tokens: 0,
    };
    if stale.is_empty() {
        return Ok(report);
    }
    let tx = project.derived_data_transaction()?;
    report.tokens = super::build::index_documents(&tx, &layer.tokenizer, stale, progress)?;
    tx.commit()?;
    Ok(report)
}

/// casecode's folder for compiled user dictionary files, under the user cache.
fn user_dictionary_folder() -> Result<PathBuf> {
    let base = std::env::var_os("CASECODE_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME").map(|dir| PathBuf::from(dir).join("casecode"))
        })
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/casecode"))
        })
        .unwrap_or_else(|| std::env::temp_dir().join("casecode"));
    let folder = base.join("user-dictionaries");
    std::fs::create_dir_all(&folder).map_err(|source| Error::Io {
        path: folder.clone(),
        source,
    })?;
    Ok(folder)
}

/// Writes a file whose name already encodes its content, unless it is there (atomic rename,
/// so parallel processes never read half a file).
fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    crate::export::write_file(path, contents.as_bytes())
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// FNV-1a, 64 bit: a stable hash for cache keys (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Lexemes by id, for reading token blobs.
pub fn lexicon(project: &Project) -> Result<BTreeMap<i64, crate::model::Lexeme>> {
    Ok(project
        .read()
        .lexemes()?
        .into_iter()
        .map(|lexeme| (lexeme.id, lexeme))
        .collect())
}
