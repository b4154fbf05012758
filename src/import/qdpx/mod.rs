//! REFI-QDA import: a `.qdpx` project (zip with a `*.qde` and its sources) or a `.qdc`
//! codebook, read leniently into an [`Exchange`] that one undoable command applies.
//!
//! Lenient where real tools differ (`Sources/` capitalised, any `*.qde` name, a BOM in source
//! files with positions counted after it, CRLF counted as one or two characters, namespace
//! variants, empty containers, document variables on sources, document groups as Sets);
//! strict where safety is at stake (zip slip, oversized entries, a DTD, malformed XML, a
//! truncated zip: an error naming the file, nothing imported). Everything casecode cannot keep
//! (PDF, picture, audio and video sources, graphs, other links, notes attached to nothing) is
//! reported as a warning, as is every selection whose text does not match its span.

mod codes;
mod dom;
mod flat;
mod links;
mod local;
mod parallel;
mod project;
mod sources;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::command::{Exchange, new_guid};
use crate::import::archive::{Archive, strip_utf8_bom};
use crate::{Error, Result};

pub use dom::{Element, parse as parse_xml};

/// The largest bare `.qdc`/`.qde` file read (a `.qdpx` is limited by the archive reader).
const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;

/// The largest `project.qde` read from a `.qdpx`. It is streamed, never held whole (a million
/// codings are about 0.8 GB of XML), and held to 64 times its compressed size (at least the
/// archive's entry limit): the limits only stop an archive that expands without end.
const MAX_STREAMED_XML_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Where the `TextSource` elements of a project come from.
pub(crate) enum TextSources {
    /// In the parsed tree, under `Sources`.
    InTree,
    /// Read again from the archive's entry, each from its place in the XML.
    Sliced(parallel::Slices),
}

/// What reads a file's elements: it names the file, takes warnings and reads entries of the
/// archive (the whole file's reading, or one source's on a worker thread).
pub(crate) trait Warnings {
    /// How messages name the file.
    fn file(&self) -> &str;

    /// Records a warning; it is prefixed with the file name.
    fn warn(&mut self, message: String);

    /// The bytes of an entry of the archive.
    fn read_entry(&mut self, archive: &mut Archive, entry: &str) -> Result<Vec<u8>> {
        archive.read(entry)
    }
}

/// State shared while reading one file: its name, warnings, what was seen so far.
pub(crate) struct Reading {
    pub file: String,
    pub warnings: Vec<String>,
    /// Code GUID → imported name.
    pub code_names: BTreeMap<String, String>,
    /// Code GUID → the notes it refers to.
    pub code_elements: Vec<(String, Vec<String>)>,
    /// The file's GUIDs of users, selections and memo notes: (kind, key, GUID).
    pub guids: Vec<(String, String, String)>,
    /// Code GUID → its index in the exchange's codes.
    pub code_index: HashMap<String, usize>,
    /// The coders named so far ([`Exchange::coders`]) and each one's index.
    pub coders: Vec<String>,
    coder_index: HashMap<String, usize>,
    /// The GUID of casecode's exemplar note (代表的語り), derived once.
    pub exemplar_note: String,
}

impl Reading {
    fn new(file: &str) -> Reading {
        Reading {
            file: file.to_owned(),
            warnings: Vec::new(),
            code_names: BTreeMap::new(),
            code_elements: Vec::new(),
            guids: Vec::new(),
            code_index: HashMap::new(),
            coders: Vec::new(),
            coder_index: HashMap::new(),
            exemplar_note: crate::export::qdpx::guids::exemplar_note(),
        }
    }

    /// The index in [`Reading::coders`] of the coder of this name, numbered in the order
    /// coders are first met.
    pub(crate) fn coder_named(&mut self, name: &str) -> usize {
        if let Some(index) = self.coder_index.get(name) {
            return *index;
        }
        self.coders.push(name.to_owned());
        self.coder_index
            .insert(name.to_owned(), self.coders.len() - 1);
        self.coders.len() - 1
    }

    /// Remembers the file's GUID of a memo note (when it is not the one casecode would derive).
    pub fn keep_note_guid(&mut self, owner_guid: &str, note_guids: &[String]) {
        if let [note] = note_guids
            && *note != crate::export::qdpx::guids::memo_note(owner_guid)
        {
            self.guids
                .push(("note".to_owned(), owner_guid.to_owned(), note.clone()));
        }
    }

    /// Records a warning; it is prefixed with the file name.
    pub fn warn(&mut self, message: String) {
        self.warnings.push(format!("{}: {message}", self.file));
    }
}

impl Warnings for Reading {
    fn file(&self) -> &str {
        &self.file
    }

    fn warn(&mut self, message: String) {
        Reading::warn(self, message);
    }
}

/// A GUID in casecode's form (lower case, hyphenated), or `None` when it is not one.
pub fn canonical_guid(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if is_canonical_guid(raw) {
        // What parsing and formatting would give back (casecode's own files write these).
        return Some(raw.to_owned());
    }
    uuid::Uuid::parse_str(raw).ok().map(|uuid| uuid.to_string())
}

/// Whether `raw` is a GUID already in casecode's form: 36 characters, lower-case hexadecimal
/// digits with hyphens after the 8th, 12th, 16th and 20th.
fn is_canonical_guid(raw: &str) -> bool {
    raw.len() == 36
        && raw.bytes().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => matches!(byte, b'0'..=b'9' | b'a'..=b'f'),
        })
}

/// The element's `guid`, canonical; a missing or malformed one is replaced by a new GUID with a
/// warning.
pub(crate) fn guid_of<'d>(
    reading: &mut impl Warnings,
    element: impl flat::Xml<'d>,
    what: &str,
) -> String {
    match element.attribute("guid").and_then(canonical_guid) {
        Some(guid) => guid,
        None => {
            let guid = new_guid();
            let name = element.attribute("name").unwrap_or_default();
            reading.warn(format!(
                "{what} '{name}' has no valid guid ({}); gave it {guid}",
                element.attribute("guid").unwrap_or("none")
            ));
            guid
        }
    }
}

/// Reads a `.qdpx` project or a `.qdc` codebook (told apart by content, not by name) and
/// returns what to import plus the warnings. Nothing is written anywhere.
pub fn read_exchange_file(path: &Path) -> Result<(Exchange, Vec<String>)> {
    let file = path.display().to_string();
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let mut head = Vec::new();
    {
        use std::io::Read;
        std::fs::File::open(path)
            .map_err(io)?
            .take(4)
            .read_to_end(&mut head)
            .map_err(io)?;
    }
    if head.starts_with(b"PK") {
        let mut archive = Archive::open(path)?;
        return read_qdpx(&mut archive);
    }
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_XML_BYTES {
        return Err(Error::bad_input(
            &file,
            format!("the file is larger than {MAX_XML_BYTES} bytes; refusing it"),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let xml = String::from_utf8(strip_utf8_bom(&bytes).to_vec()).map_err(|_| {
        Error::bad_input(
            &file,
            "neither a zip archive (.qdpx) nor UTF-8 XML (.qdc); refusing it",
        )
    })?;
    read_xml(&file, &xml, None)
}

/// Reads a `.qdpx` archive already opened.
pub fn read_qdpx(archive: &mut Archive) -> Result<(Exchange, Vec<String>)> {
    let file = archive.file().to_owned();
    let mut candidates: Vec<String> = archive
        .entry_names()
        .into_iter()
        .filter(|name| name.to_ascii_lowercase().ends_with(".qde"))
        .map(str::to_owned)
        .collect();
    candidates.sort_by_key(|name| {
        (
            name.contains('/'),
            !name.eq_ignore_ascii_case("project.qde"),
        )
    });
    let Some(entry) = candidates.first().cloned() else {
        return Err(Error::bad_input(
            &file,
            "the archive holds no project.qde (nor any other .qde); not a REFI-QDA project",
        ));
    };
    // The project is read twice as it is decompressed: first everything but the sources of
    // text, noting where each is, then those, each from its bytes, on every core: memory holds
    // the selections of a few sources at once, not the whole file's.
    let cap = archive.stream_cap(&entry, MAX_STREAMED_XML_BYTES);
    let stream = archive.stream(&entry, cap)?;
    let (root, places) = parallel::read_ahead(stream, |piped| {
        dom::parse_without_text_sources(&file, piped)
    })?;
    let again = archive.reopen()?;
    let slices = parallel::Slices {
        archive: again,
        entry: entry.clone(),
        cap,
        places,
    };
    let (exchange, mut warnings) =
        read_tree(&file, &root, Some(archive), TextSources::Sliced(slices))?;
    if candidates.len() > 1 {
        warnings.insert(
            0,
            format!(
                "{file}: the archive holds {} .qde files; read '{entry}' and ignored the others",
                candidates.len()
            ),
        );
    }
    Ok((exchange, warnings))
}

/// Reads the XML of a project or codebook; sources come from `archive` when there is one.
fn read_xml(
    file: &str,
    xml: &str,
    archive: Option<&mut Archive>,
) -> Result<(Exchange, Vec<String>)> {
    let root = dom::parse(file, xml)?;
    read_tree(file, &root, archive, TextSources::InTree)
}

/// Reads a parsed project or codebook.
fn read_tree(
    file: &str,
    root: &Element,
    archive: Option<&mut Archive>,
    text_sources: TextSources,
) -> Result<(Exchange, Vec<String>)> {
    let mut reading = Reading::new(file);
    let mut exchange = Exchange {
        file: file.to_owned(),
        ..Exchange::default()
    };
    match root.name.as_str() {
        "CodeBook" => {
            if let Some(codes) = root.child("Codes") {
                codes::read_codes(&mut reading, codes, None, &mut exchange.codes);
            }
            let (frames, groups) = codes::read_sets(&mut reading, root.child("Sets"));
            exchange.frames = frames;
            if !groups.is_empty() {
                reading.warn(format!(
                    "{} sets of sources dropped (a codebook has no sources)",
                    groups.len()
                ));
            }
            if exchange.codes.is_empty() {
                return Err(Error::bad_input(file, "the codebook holds no codes"));
            }
        }
        "Project" => {
            project::read_project(&mut reading, root, archive, text_sources, &mut exchange)?;
        }
        other => {
            return Err(Error::bad_input(
                file,
                format!("the root element is <{other}>, not a REFI-QDA <Project> or <CodeBook>"),
            ));
        }
    }
    exchange.guids = reading.guids;
    exchange.coders = reading.coders;
    Ok((exchange, reading.warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guid_is_given_in_casecode_form_with_or_without_the_short_cut() {
        for raw in [
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            " 0f8fad5b-d9cb-469f-a165-70867728950e\n",
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "0f8fad5bd9cb469fa16570867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            "0f8fad5b+d9cb-469f-a165-70867728950e",
            "",
        ] {
            let slow = uuid::Uuid::parse_str(raw.trim())
                .ok()
                .map(|u| u.to_string());
            assert_eq!(canonical_guid(raw), slow, "{raw:?}");
        }
        assert!(is_canonical_guid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(!is_canonical_guid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
    }
}
