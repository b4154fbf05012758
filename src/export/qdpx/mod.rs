//! REFI-QDA export: a `.qdpx` project (a zip of `project.qde` and `sources/<guid>.txt`) and a
//! `.qdc` codebook, valid against the standard's `Project.xsd` / `Codebook.xsd`.
//!
//! What goes where: coders are Users; the code tree is the CodeBook (definition as
//! Description, colour as `color`); each role of a role frame is a Set of codes whose
//! Description is `役割フレーム: <frame>`; attributes are Variables, typed by kind; cases hold
//! their VariableValues, memo (as Description) and SourceRefs; each coded span is one
//! PlainTextSelection per coder (its `name` is the selected text, its `creatingUser` that coder;
//! a coder's codings of one span with different memos go to separate selections, so that the
//! selection's Description can carry the memo for readers that take it from there) with one
//! Coding per code;
//! memos of codes, documents and codings are Notes (NoteRef from their owner); a 要約 is a Note
//! referenced by its code, with Links to its case and to the codings that support it; an
//! exemplar coding (代表的語り) refers to the one Note named [`EXEMPLAR_NOTE`].
//! Every element whose schema type has `creatingUser`/`creationDateTime` carries them (see
//! [`provenance`]: stored times and the journal). Nothing depends on the clock (unless a project
//! recorded no time at all): two exports of the same project are byte-identical.

pub mod guids;
pub mod provenance;
mod qde;
mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::codebook::CodeTree;
use crate::model::{
    Attribute, AttributeValue, Case, CodeRole, Coding, CodingId, Document, DocumentId, Frame,
    MemoTarget, Role, Summary, SummarySegment,
};
use crate::project::Project;
use crate::{Error, Result};
use provenance::Provenance;

pub use qde::{codebook_xml, write_project_xml};

/// The namespace of `project.qde`.
pub const PROJECT_NAMESPACE: &str = "urn:QDA-XML:project:1.0";
/// The namespace of a `.qdc` codebook.
pub const CODEBOOK_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";
/// Written as `origin` of every export.
pub const ORIGIN: &str = concat!("casecode ", env!("CARGO_PKG_VERSION"));
/// Description that marks a Set as a role of a role frame.
pub const ROLE_SET_PREFIX: &str = "役割フレーム: ";
/// Name of the Link from a 要約 note to its case.
pub const SUMMARY_CASE_LINK: &str = "要約の事例";
/// Name of the Links from a 要約 note to its supporting codings.
pub const SUMMARY_SEGMENT_LINK: &str = "要約のセグメント";

/// Name of the Note that exemplar codings refer to.
pub const EXEMPLAR_NOTE: &str = "代表的語り";

/// Everything an export reads, in one consistent snapshot.
pub struct ExchangeSnapshot {
    /// Written as the Project's `name`.
    pub name: String,
    /// The project memo, written as the Project's `Description` (empty: none).
    pub project_memo: String,
    pub attributes: Vec<Attribute>,
    pub cases: Vec<Case>,
    pub attribute_values: Vec<AttributeValue>,
    pub frames: Vec<Frame>,
    pub roles: Vec<Role>,
    pub tree: CodeTree,
    pub code_roles: Vec<CodeRole>,
    pub documents: Vec<Document>,
    /// The coders who made codings (the codings themselves are read one document at a time
    /// as they are written, never all at once).
    pub coding_coders: BTreeSet<String>,
    /// Whether any coding is an exemplar (代表的語り): then the exemplar Note is written.
    pub any_exemplar: bool,
    /// The GUIDs of the codings that summaries cite, by id (for the summaries' Links).
    pub cited_codings: BTreeMap<CodingId, String>,
    pub summaries: Vec<Summary>,
    pub summary_segments: Vec<SummarySegment>,
    /// GUIDs a REFI-QDA import gave to users, selections and memo notes, by (kind, key).
    pub refi_guids: BTreeMap<(String, String), String>,
    /// Who did what when, from the journal and the stored times.
    pub provenance: Provenance,
    /// The coders' own GUIDs by name: a coder is one REFI-QDA User.
    pub coder_guids: BTreeMap<String, String>,
    /// [`ExchangeSnapshot::user_guid`] of every name the export may write, made once (each of
    /// a million codings names its coder's GUID).
    user_guids: BTreeMap<String, String>,
    /// Whether `refi_guids` holds any selection GUID (else none is looked up per selection).
    any_selection_guid: bool,
}

impl ExchangeSnapshot {
    /// Reads the project, all but its codings (see [`ExchangeSnapshot::codings_of`]).
    pub fn read(project: &Project) -> Result<ExchangeSnapshot> {
        let reader = project.read();
        let mut documents = Vec::new();
        for info in reader.document_infos()? {
            if let Some(document) = reader.document(info.id)? {
                documents.push(document);
            }
        }
        documents.sort_by(|a, b| a.info.name.cmp(&b.info.name));
        let name = project
            .path()
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "casecode".to_owned());
        let mut snapshot = ExchangeSnapshot {
            name,
            project_memo: reader.memo(MemoTarget::Project)?.unwrap_or_default(),
            attributes: reader.attributes()?,
            cases: reader.cases()?,
            attribute_values: reader.attribute_values()?,
            frames: reader.frames()?,
            roles: reader.roles()?,
            tree: CodeTree::new(reader.codes()?),
            code_roles: reader.code_roles()?,
            documents,
            coding_coders: reader.coding_coders()?,
            any_exemplar: reader.any_exemplar()?,
            cited_codings: reader.summary_coding_guids()?,
            summaries: reader.summaries()?,
            summary_segments: reader.summary_segments()?,
            refi_guids: (reader.refi_guids()?.into_iter())
                .map(|(kind, key, guid)| ((kind, key), guid))
                .collect(),
            provenance: Provenance::read(&reader, project.coder())?,
            coder_guids: (reader.coders()?.into_iter())
                .map(|coder| (coder.name, coder.guid))
                .collect(),
            user_guids: BTreeMap::new(),
            any_selection_guid: false,
        };
        snapshot.any_selection_guid =
            (snapshot.refi_guids.keys()).any(|(kind, _)| kind == "selection");
        let names: BTreeSet<String> = (snapshot.coding_coders.iter().cloned())
            .chain(snapshot.coder_guids.keys().cloned())
            .chain(snapshot.summaries.iter().map(|s| s.author.clone()))
            .chain(snapshot.provenance.users())
            .collect();
        snapshot.user_guids = (names.into_iter())
            .map(|name| {
                let guid = snapshot.user_guid(&name);
                (name, guid)
            })
            .collect();
        Ok(snapshot)
    }

    /// The codings of one document, by start, end, code and id.
    pub fn codings_of(project: &Project, document_id: DocumentId) -> Result<Vec<Coding>> {
        project.read().codings_of_document(document_id)
    }

    fn stored_guid(&self, kind: &str, key: String) -> Option<String> {
        self.refi_guids.get(&(kind.to_owned(), key)).cloned()
    }

    /// The GUID of the user that stands for a coder.
    pub fn user_guid(&self, name: &str) -> String {
        if let Some(guid) = self.user_guids.get(name) {
            return guid.clone();
        }
        (self.coder_guids.get(name).cloned())
            .or_else(|| self.stored_guid("user", name.to_owned()))
            .unwrap_or_else(|| guids::user(name))
    }

    /// The GUID of a coder's selection `[start, end)` of a document; `nth` counts that coder's
    /// selections of the span (several only when their codings' memos differ), `first` says it
    /// is the span's first selection, which may keep a GUID stored before selections were
    /// written per coder.
    pub fn selection_guid(
        &self,
        document_guid: &str,
        (start, end): (usize, usize),
        coder: &str,
        nth: usize,
        first: bool,
    ) -> String {
        let stored = (nth == 0 && self.any_selection_guid)
            .then(|| {
                self.stored_guid(
                    "selection",
                    selection_key(document_guid, start, end, Some(coder)),
                )
            })
            .flatten();
        let legacy = || {
            (first && self.any_selection_guid)
                .then(|| {
                    self.stored_guid("selection", selection_key(document_guid, start, end, None))
                })
                .flatten()
        };
        stored
            .or_else(legacy)
            .unwrap_or_else(|| guids::selection(document_guid, start, end, coder, nth))
    }

    /// The GUID of the note that carries the memo of a code, document or coding.
    pub fn memo_note_guid(&self, owner_guid: &str) -> String {
        self.stored_guid("note", owner_guid.to_owned())
            .unwrap_or_else(|| guids::memo_note(owner_guid))
    }
}

/// The key of a selection in `refi_guids`: `<document>:<start>:<end>:<coder>`, or without the
/// coder as stored before selections were written per coder.
pub fn selection_key(document_guid: &str, start: usize, end: usize, coder: Option<&str>) -> String {
    match coder {
        Some(coder) => format!("{document_guid}:{start}:{end}:{coder}"),
        None => format!("{document_guid}:{start}:{end}"),
    }
}

/// The deflate level of the archive's entries. Measured on the `project.qde` of a million
/// codings (768 MB of XML, zlib-rs, one core): level 6 (the default) 4.05 s and 83.4 MB,
/// level 3 2.32 s and 90.8 MB, level 2 2.01 s and 98.1 MB, level 1 1.37 s and 137 MB. Level 3
/// takes 43 % less time for a file 9 % larger.
const DEFLATE_LEVEL: i64 = 3;

/// The codings of one document, by start, end, code and id: where an export reads them.
pub type CodingsOf<'a> = &'a mut dyn FnMut(DocumentId) -> Result<Vec<Coding>>;

/// The bytes of a `.qdpx` archive of the project.
pub fn qdpx_bytes(project: &Project) -> Result<Vec<u8>> {
    let mut bytes = Cursor::new(Vec::new());
    let reader = project.read();
    reader.consistently(|| {
        let snapshot = ExchangeSnapshot::read(project)?;
        write_archive(
            &snapshot,
            &mut |id| ExchangeSnapshot::codings_of(project, id),
            &mut bytes,
        )
    })?;
    Ok(bytes.into_inner())
}

/// Writes the `.qdpx` archive of the project to `out`, the XML compressed as it is made.
fn write_archive<W: Write + std::io::Seek + Send>(
    snapshot: &ExchangeSnapshot,
    codings_of: CodingsOf<'_>,
    out: W,
) -> Result<()> {
    let zip_error = |error: zip::result::ZipError| {
        Error::Conflict(format!("cannot build the .qdpx archive: {error}"))
    };
    let io_error =
        |error: std::io::Error| Error::Conflict(format!("cannot build the .qdpx archive: {error}"));
    // A fixed timestamp (1980-01-01) keeps the archive byte-stable across exports.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL))
        .last_modified_time(zip::DateTime::default())
        .large_file(false);
    let mut zip = ZipWriter::new(out);
    zip.start_file("project.qde", options).map_err(zip_error)?;
    // The XML is compressed on another thread as it is made: deflating takes about as long
    // as writing the XML of a million codings, and the machine has two cores.
    let (pieces, compressor_pieces) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let (zip, written) = std::thread::scope(|scope| {
        let compressor = scope.spawn(move || -> std::io::Result<ZipWriter<W>> {
            for piece in compressor_pieces {
                zip.write_all(&piece)?;
            }
            Ok(zip)
        });
        let mut pipe = Pipe(pieces);
        let written = write_project_xml(snapshot, codings_of, &mut pipe);
        drop(pipe);
        let zip = compressor
            .join()
            .map_err(|_| {
                Error::Conflict("cannot build the .qdpx archive: the compressor stopped".to_owned())
            })
            .and_then(|zip| zip.map_err(io_error));
        (zip, written)
    });
    // The compressor's error first: a failed write makes the XML's sending fail too.
    let mut zip = zip?;
    written?;
    let mut documents: Vec<&Document> = snapshot.documents.iter().collect();
    documents.sort_by(|a, b| a.info.guid.cmp(&b.info.guid));
    for document in documents {
        zip.start_file(format!("sources/{}.txt", document.info.guid), options)
            .map_err(zip_error)?;
        zip.write_all(document.text.as_bytes()).map_err(io_error)?;
    }
    zip.finish().map_err(zip_error)?;
    Ok(())
}

/// Bytes handed to the compressing thread (copied, a piece of about a megabyte at a time).
struct Pipe(std::sync::mpsc::SyncSender<Vec<u8>>);

impl Write for Pipe {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .send(bytes.to_vec())
            .map_err(|_| std::io::Error::other("the compressor stopped"))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes the project as a `.qdpx` file (atomically); returns the number of sources. The
/// archive is written as it is made: a million codings never sit in memory as XML.
pub fn write_qdpx(project: &Project, path: &Path) -> Result<usize> {
    let reader = project.read();
    reader.consistently(|| {
        let snapshot = ExchangeSnapshot::read(project)?;
        crate::export::write_file_with(path, &mut |file| {
            let mut codings_of = |id| ExchangeSnapshot::codings_of(project, id);
            write_archive(&snapshot, &mut codings_of, file)
        })?;
        Ok(snapshot.documents.len())
    })
}

/// Writes the project's codebook as a `.qdc` file (atomically); returns the number of codes.
pub fn write_qdc(project: &Project, path: &Path) -> Result<usize> {
    let snapshot = ExchangeSnapshot::read(project)?;
    if snapshot.tree.is_empty() {
        return Err(Error::Conflict(format!(
            "{}: the project has no codes, and a .qdc codebook needs at least one",
            path.display()
        )));
    }
    crate::export::write_file(path, codebook_xml(&snapshot)?.as_bytes())?;
    Ok(snapshot.tree.len())
}
