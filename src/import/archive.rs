//! Safe reading of zip containers (.docx, .xlsx, .qdpx). Owns every decision about what an
//! archive may contain: entry names that would escape a folder (zip slip), encrypted entries and
//! entries that expand past a limit are refused with an error naming the file, before anything
//! is imported.
//!
//! The declared sizes in a zip header are not trusted: every read is limited by the bytes that
//! actually come out of the decompressor (`take(cap + 1)`), and a total across all reads of one
//! archive is enforced as well. Entry names are compared exactly by [`Archive::read`]; OPC
//! formats (Office, REFI-QDA) match part names case-insensitively, so [`Archive::find`] offers that
//! lookup.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zip::ZipArchive;
use zip::result::ZipError;

use crate::{Error, Result};

/// The first bytes of an OLE compound file: an encrypted Office file or an old .doc/.xls.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// How much an archive may expand to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes one entry may expand to.
    pub entry_bytes: u64,
    /// Bytes all reads from one archive may expand to together.
    pub total_bytes: u64,
}

impl Default for Limits {
    /// 256 MiB per entry and 1 GiB in total: far above any transcript or survey, far below what
    /// would exhaust memory.
    fn default() -> Self {
        Limits {
            entry_bytes: 256 * 1024 * 1024,
            total_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Anything a zip archive can be read from (`Send`: a `.qdpx` is read on several threads, each
/// with its own opening).
trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

/// Where an archive came from, so that it can be opened a second time.
#[derive(Clone)]
enum Origin {
    Path(PathBuf),
    Bytes(SharedBytes),
}

impl Origin {
    /// The size of the archive in bytes (0 when it cannot be read).
    fn len(&self) -> u64 {
        match self {
            Origin::Path(path) => std::fs::metadata(path).map_or(0, |meta| meta.len()),
            Origin::Bytes(shared) => shared.as_ref().len() as u64,
        }
    }
}

/// Bytes held once and read by every opening of an in-memory archive.
#[derive(Clone)]
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// An opened zip archive whose entry names have all been checked.
pub struct Archive {
    /// How errors name the archive (its path).
    file: String,
    zip: ZipArchive<Box<dyn Source>>,
    /// Entry names in archive order, index = zip index.
    names: Vec<String>,
    limits: Limits,
    /// Bytes read so far, counted against `limits.total_bytes`.
    read_bytes: u64,
    origin: Origin,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Archive")
            .field("file", &self.file)
            .field("names", &self.names)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Archive {
    /// Opens the archive at `path` with the default [`Limits`].
    pub fn open(path: &Path) -> Result<Archive> {
        Archive::open_with_limits(path, Limits::default())
    }

    /// Opens the archive at `path`; errors name the path.
    pub fn open_with_limits(path: &Path, limits: Limits) -> Result<Archive> {
        let io_error = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = File::open(path).map_err(io_error)?;
        let mut magic = Vec::with_capacity(OLE_MAGIC.len());
        (&mut file)
            .take(OLE_MAGIC.len() as u64)
            .read_to_end(&mut magic)
            .map_err(io_error)?;
        file.rewind().map_err(io_error)?;
        let source: Box<dyn Source> = Box::new(BufReader::new(file));
        Archive::from_source(
            path.display().to_string(),
            &magic,
            source,
            limits,
            Origin::Path(path.to_owned()),
        )
    }

    /// Opens an archive held in memory; `file` is how errors name it.
    pub fn from_bytes(
        file: impl std::fmt::Display,
        bytes: Vec<u8>,
        limits: Limits,
    ) -> Result<Archive> {
        let magic = bytes.get(..OLE_MAGIC.len()).unwrap_or(&bytes).to_vec();
        let shared = SharedBytes(Arc::new(bytes));
        Archive::from_source(
            file.to_string(),
            &magic,
            Box::new(Cursor::new(shared.clone())),
            limits,
            Origin::Bytes(shared),
        )
    }

    /// The same archive opened a second time (same limits, nothing read yet): a reader of one
    /// entry that is streamed while other entries are read.
    pub fn reopen(&self) -> Result<Archive> {
        match &self.origin {
            Origin::Path(path) => {
                let mut again = Archive::open_with_limits(path, self.limits)?;
                again.file.clone_from(&self.file);
                Ok(again)
            }
            Origin::Bytes(shared) => {
                let magic = shared
                    .as_ref()
                    .get(..OLE_MAGIC.len())
                    .unwrap_or(shared.as_ref())
                    .to_vec();
                Archive::from_source(
                    self.file.clone(),
                    &magic,
                    Box::new(Cursor::new(shared.clone())),
                    self.limits,
                    self.origin.clone(),
                )
            }
        }
    }

    /// The same archive opened again for a worker thread: each entry it reads is held to the
    /// entry limit only, and the opening that reads in document order counts the bytes against
    /// the total with [`Archive::charge`], so that the total is reached where it would be if
    /// that opening had read them itself.
    pub fn reopen_uncounted(&self) -> Result<Archive> {
        let mut again = self.reopen()?;
        again.limits.total_bytes = u64::MAX;
        Ok(again)
    }

    /// Counts `read` bytes of the entry `name`, read by an opening of
    /// [`Archive::reopen_uncounted`], against the total, with the error [`Archive::read`] would
    /// have given past it.
    pub fn charge(&mut self, name: &str, read: u64) -> Result<()> {
        let remaining = self.limits.total_bytes.saturating_sub(self.read_bytes);
        let cap = self.limits.entry_bytes.min(remaining);
        if read > cap {
            return Err(self.past_limit(name, cap));
        }
        self.read_bytes = self.read_bytes.saturating_add(read);
        Ok(())
    }

    /// The error of an entry that expands past `cap` (the entry limit or what is left of the
    /// total).
    fn past_limit(&self, name: &str, cap: u64) -> Error {
        let message = if cap == self.limits.entry_bytes {
            format!(
                "entry '{name}' expands past the limit of {} bytes; refusing it",
                self.limits.entry_bytes
            )
        } else {
            format!(
                "the archive expands past the limit of {} bytes in total; refusing it",
                self.limits.total_bytes
            )
        };
        Error::bad_input(&self.file, message)
    }

    fn from_source(
        file: String,
        magic: &[u8],
        source: Box<dyn Source>,
        limits: Limits,
        origin: Origin,
    ) -> Result<Archive> {
        if magic == OLE_MAGIC {
            return Err(Error::bad_input(
                &file,
                "this is an OLE compound file, not a zip archive: an encrypted (password-protected) \
                 Office file or an old .doc/.xls; remove the password or save it again in the \
                 current format (.docx/.xlsx)",
            ));
        }
        if !magic.starts_with(b"PK") {
            return Err(Error::bad_input(&file, "not a zip archive"));
        }
        let mut zip = ZipArchive::new(source).map_err(|error| {
            Error::bad_input(
                &file,
                format!("the zip archive is damaged or truncated ({error})"),
            )
        })?;
        let mut names = Vec::with_capacity(zip.len());
        for index in 0..zip.len() {
            let entry = zip.by_index_raw(index).map_err(|error| {
                Error::bad_input(
                    &file,
                    format!("the zip archive is damaged or truncated ({error})"),
                )
            })?;
            let name = entry
                .name()
                .map_err(|error| {
                    Error::bad_input(&file, format!("an entry name cannot be read ({error})"))
                })?
                .into_owned();
            if let Some(reason) = unsafe_name_reason(&name) {
                return Err(Error::bad_input(
                    &file,
                    format!("refusing the archive: entry '{name}' {reason}"),
                ));
            }
            if entry.encrypted() {
                return Err(Error::bad_input(
                    &file,
                    format!(
                        "entry '{name}' is encrypted (password-protected); remove the password first"
                    ),
                ));
            }
            names.push(name);
        }
        Ok(Archive {
            file,
            zip,
            names,
            limits,
            read_bytes: 0,
            origin,
        })
    }

    /// How errors name this archive.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Every entry name (folders end in `/`), sorted.
    pub fn entry_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Whether an entry of exactly this name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|entry| entry == name)
    }

    /// The stored name of the entry matching `name` case-insensitively (ASCII), as OPC part names
    /// are compared; an exact match wins, then the first in sorted order.
    pub fn find(&self, name: &str) -> Option<&str> {
        let name = name.trim_start_matches('/');
        if let Some(exact) = self.names.iter().find(|entry| *entry == name) {
            return Some(exact);
        }
        self.names
            .iter()
            .filter(|entry| entry.eq_ignore_ascii_case(name))
            .min()
            .map(String::as_str)
    }

    /// The bytes of the entry named exactly `name`, within the limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        let Some(index) = self.names.iter().position(|entry| entry == name) else {
            return Err(Error::bad_input(
                &self.file,
                format!("the archive has no entry '{name}'"),
            ));
        };
        let remaining = self.limits.total_bytes.saturating_sub(self.read_bytes);
        let cap = self.limits.entry_bytes.min(remaining);
        let file = &self.file;
        let mut entry = self
            .zip
            .by_index(index)
            .map_err(|error| entry_error(file, name, &error))?;
        let mut bytes = Vec::new();
        (&mut entry)
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| {
                Error::bad_input(
                    file,
                    format!("entry '{name}' cannot be read: damaged or truncated ({error})"),
                )
            })?;
        drop(entry);
        let read = bytes.len() as u64;
        if read > cap {
            return Err(self.past_limit(name, cap));
        }
        self.read_bytes = self.read_bytes.saturating_add(read);
        Ok(bytes)
    }

    /// The cap [`Archive::stream`] should hold an entry to: the archive's entry limit, or 64
    /// times the entry's compressed size when that is more (XML compresses about 10:1, a zip
    /// bomb a thousand to one), never more than `ceiling`.
    pub fn stream_cap(&mut self, name: &str, ceiling: u64) -> u64 {
        let compressed = self
            .names
            .iter()
            .position(|entry| entry == name)
            .and_then(|index| self.zip.by_index_raw(index).ok())
            .map_or(0, |entry| entry.compressed_size())
            // A header's size is not trusted (a zip64 entry may even read as 4 GiB): no entry
            // is larger than its archive.
            .min(self.origin.len());
        compressed
            .saturating_mul(64)
            .max(self.limits.entry_bytes)
            .min(ceiling)
    }

    /// A reader of the entry named exactly `name`, decompressed as it is read, for a part too
    /// large to hold (the `project.qde` of a million codings). It is held to `cap` bytes, not
    /// to the archive's limits (which bound what is held in memory): reading past `cap` fails
    /// with an error saying so. A leading UTF-8 BOM is left for the XML reader.
    pub fn stream(&mut self, name: &str, cap: u64) -> Result<impl BufRead + '_> {
        let Some(index) = self.names.iter().position(|entry| entry == name) else {
            return Err(Error::bad_input(
                &self.file,
                format!("the archive has no entry '{name}'"),
            ));
        };
        let file = &self.file;
        let entry = self
            .zip
            .by_index(index)
            .map_err(|error| entry_error(file, name, &error))?;
        Ok(BufReader::with_capacity(
            64 * 1024,
            Capped {
                inner: entry,
                left: cap,
                cap,
                name: name.to_owned(),
            },
        ))
    }

    /// The entry named exactly `name` as UTF-8 text (an XML part, a .txt source), with a leading
    /// UTF-8 BOM removed.
    pub fn read_utf8(&mut self, name: &str) -> Result<String> {
        let bytes = self.read(name)?;
        String::from_utf8(strip_utf8_bom(&bytes).to_vec())
            .map_err(|_| Error::bad_input(&self.file, format!("entry '{name}' is not valid UTF-8")))
    }
}

/// A zip entry's reader that fails past `cap` bytes; its errors are whole sentences, which the
/// reader of the entry shows after the archive's name.
struct Capped<R> {
    inner: R,
    left: u64,
    cap: u64,
    name: String,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        // One byte past the cap tells a too-long entry from one of exactly `cap` bytes.
        let room = usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX);
        let wanted = buffer.len().min(room);
        let Some(buffer) = buffer.get_mut(..wanted) else {
            return Ok(0);
        };
        let read = self.inner.read(buffer).map_err(|error| {
            std::io::Error::other(format!(
                "entry '{}' cannot be read: damaged or truncated ({error})",
                self.name
            ))
        })?;
        if read as u64 > self.left {
            return Err(std::io::Error::other(format!(
                "entry '{}' expands past the limit of {} bytes; refusing it",
                self.name, self.cap
            )));
        }
        self.left -= read as u64;
        Ok(read)
    }
}

fn entry_error(file: &str, name: &str, error: &ZipError) -> Error {
    match error {
        ZipError::UnsupportedArchive(_) | ZipError::CompressionMethodNotSupported(_) => {
            Error::bad_input(
                file,
                format!(
                    "entry '{name}' uses a compression or encryption casecode cannot read ({error})"
                ),
            )
        }
        _ => Error::bad_input(
            file,
            format!("entry '{name}' cannot be read: damaged or truncated ({error})"),
        ),
    }
}

/// `bytes` without a leading UTF-8 byte order mark (XML parts written by some tools start with one).
pub fn strip_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes)
}

/// Why an entry name could escape the folder it is extracted into, or `None` when it is safe:
/// `..` components, absolute paths, drive letters, and the same tricks spelled with backslashes
/// (which Windows treats as separators).
pub fn unsafe_name_reason(name: &str) -> Option<&'static str> {
    if name.contains('\0') {
        return Some("contains a NUL character");
    }
    let slashed = name.replace('\\', "/");
    if slashed.starts_with('/') {
        return Some("is an absolute path");
    }
    let mut chars = slashed.chars();
    if let (Some(letter), Some(':')) = (chars.next(), chars.next())
        && letter.is_ascii_alphabetic()
    {
        return Some("starts with a drive letter");
    }
    if slashed.split('/').any(|component| component == "..") {
        return Some("climbs out of its folder with '..'");
    }
    None
}

/// Resolves a relationship `target` against the folder of the part `source` (both zip entry
/// names, `/`-separated; `source` is the part the relationships belong to, `""` for the
/// package relationships in `_rels/.rels`), as OPC does: an absolute target (`/word/document2.xml`) is
/// taken from the archive root, `.` and `..` are applied. `None` when the target climbs above
/// the root or is a URL (`http:`, `file:` …), which no archive entry can be.
pub fn resolve_part(source: &str, target: &str) -> Option<String> {
    if target.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    if let Some(absolute) = target.strip_prefix('/') {
        return normalise(parts, absolute);
    }
    let mut folder: Vec<&str> = source.split('/').collect();
    folder.pop();
    parts.extend(folder.into_iter().filter(|part| !part.is_empty()));
    normalise(parts, target)
}

fn normalise<'a>(mut parts: Vec<&'a str>, target: &'a str) -> Option<String> {
    for component in target.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .expect("start entry");
            writer.write_all(bytes).expect("write entry");
        }
        writer.finish().expect("finish zip").into_inner()
    }

    fn message(result: Result<Archive>) -> String {
        match result {
            Ok(archive) => panic!("expected an error, opened {archive:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_streamed_entry_is_read_whole_up_to_its_cap_and_refused_past_it() {
        let xml = vec![b' '; 1000];
        let bytes = zip_of(&[("project.qde", &xml)]);
        let mut archive = Archive::from_bytes("p.qdpx", bytes, Limits::default()).expect("open");
        let mut whole = Vec::new();
        archive
            .stream("project.qde", 1000)
            .expect("stream")
            .read_to_end(&mut whole)
            .expect("exactly the cap");
        assert_eq!(whole.len(), 1000);
        // The second opening reads the same entry from the start.
        let mut again = archive.reopen().expect("reopen");
        let error = again
            .stream("project.qde", 999)
            .expect("stream")
            .read_to_end(&mut Vec::new())
            .expect_err("one byte past the cap");
        assert_eq!(
            error.to_string(),
            "entry 'project.qde' expands past the limit of 999 bytes; refusing it"
        );
        assert_eq!(
            archive.stream_cap("project.qde", u64::MAX),
            256 * 1024 * 1024
        );
    }

    #[test]
    fn lists_and_reads_entries_and_finds_them_case_insensitively() {
        let bytes = zip_of(&[
            ("word/Document.xml", b"<w/>"),
            ("[Content_Types].xml", b"\xEF\xBB\xBF<T/>"),
        ]);
        let mut archive = Archive::from_bytes("a.docx", bytes, Limits::default()).expect("open");
        assert_eq!(
            archive.entry_names(),
            ["[Content_Types].xml", "word/Document.xml"]
        );
        assert_eq!(
            archive.find("/word/document.xml"),
            Some("word/Document.xml")
        );
        assert_eq!(archive.find("word/missing.xml"), None);
        assert!(archive.contains("word/Document.xml"));
        assert_eq!(archive.read("word/Document.xml").expect("read"), b"<w/>");
        assert_eq!(
            archive.read_utf8("[Content_Types].xml").expect("read"),
            "<T/>"
        );
        let missing = archive
            .read("word/document.xml")
            .expect_err("exact names only");
        assert_eq!(
            missing.to_string(),
            "a.docx: the archive has no entry 'word/document.xml'"
        );
    }

    #[test]
    fn zip_slip_names_are_refused_when_the_archive_is_opened() {
        for (name, reason) in [
            ("../evil.txt", "climbs out of its folder with '..'"),
            ("word/../../evil.txt", "climbs out of its folder with '..'"),
            ("..\\evil.txt", "climbs out of its folder with '..'"),
            ("/etc/passwd", "is an absolute path"),
            ("\\windows\\evil.txt", "is an absolute path"),
            ("C:/evil.txt", "starts with a drive letter"),
            ("c:evil.txt", "starts with a drive letter"),
        ] {
            let bytes = zip_of(&[("ok.xml", b"<a/>"), (name, b"x")]);
            assert_eq!(
                message(Archive::from_bytes("bad.docx", bytes, Limits::default())),
                format!("bad.docx: refusing the archive: entry '{name}' {reason}"),
                "{name}"
            );
        }
        assert_eq!(unsafe_name_reason("word/media/..image1.png"), None);
        assert_eq!(unsafe_name_reason("sources/インタビュー.txt"), None);
    }

    #[test]
    fn an_entry_larger_than_the_limit_is_refused_whatever_its_header_says() {
        let big = vec![b'a'; 10_000];
        let bytes = zip_of(&[("small.xml", b"12345"), ("big.xml", &big)]);
        let limits = Limits {
            entry_bytes: 9_999,
            total_bytes: 1_000_000,
        };
        let mut archive = Archive::from_bytes("big.docx", bytes.clone(), limits).expect("open");
        assert_eq!(archive.read("small.xml").expect("small fits"), b"12345");
        assert_eq!(
            archive.read("big.xml").expect_err("too big").to_string(),
            "big.docx: entry 'big.xml' expands past the limit of 9999 bytes; refusing it"
        );
        let exact = Limits {
            entry_bytes: 10_000,
            total_bytes: 10_004,
        };
        let mut archive = Archive::from_bytes("big.docx", bytes, exact).expect("open");
        assert_eq!(
            archive.read("big.xml").expect("exactly the limit").len(),
            10_000
        );
        assert_eq!(
            archive
                .read("small.xml")
                .expect_err("total exceeded")
                .to_string(),
            "big.docx: the archive expands past the limit of 10004 bytes in total; refusing it"
        );
    }

    #[test]
    fn an_understated_header_size_does_not_get_past_the_limit() {
        // Patch the declared uncompressed size of a stored entry to 1 byte in both headers.
        let big = vec![b'z'; 5_000];
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        writer.start_file("x.xml", stored).expect("start");
        writer.write_all(&big).expect("write");
        let mut bytes = writer.finish().expect("finish").into_inner();
        for (signature, size_offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            if let Some(at) = bytes.windows(4).position(|window| window == signature) {
                bytes[at + size_offset..at + size_offset + 4].copy_from_slice(&1u32.to_le_bytes());
            }
        }
        let limits = Limits {
            entry_bytes: 100,
            total_bytes: 1_000,
        };
        let outcome = Archive::from_bytes("lie.docx", bytes, limits)
            .and_then(|mut archive| archive.read("x.xml"));
        let Err(error) = outcome else {
            panic!("a 5,000-byte entry passed a 100-byte limit");
        };
        assert!(error.to_string().starts_with("lie.docx: "), "{error}");
    }

    #[test]
    fn non_zip_truncated_and_ole_files_get_a_clear_error() {
        assert_eq!(
            message(Archive::from_bytes(
                "notes.docx",
                b"hello".to_vec(),
                Limits::default()
            )),
            "notes.docx: not a zip archive"
        );
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 504]);
        assert!(
            message(Archive::from_bytes("secret.docx", ole, Limits::default())).starts_with(
                "secret.docx: this is an OLE compound file, not a zip archive: an encrypted"
            )
        );
        let mut truncated = zip_of(&[("a.xml", b"<a/>")]);
        truncated.truncate(truncated.len() / 2);
        assert!(
            message(Archive::from_bytes(
                "cut.docx",
                truncated,
                Limits::default()
            ))
            .starts_with("cut.docx: the zip archive is damaged or truncated")
        );
    }

    #[test]
    fn opening_a_path_names_the_path_in_errors() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("a.docx");
        std::fs::write(&path, zip_of(&[("a.xml", b"<a/>")])).expect("write");
        let mut archive = Archive::open(&path).expect("open");
        assert_eq!(archive.file(), path.display().to_string());
        assert_eq!(archive.read("a.xml").expect("read"), b"<a/>");
        let missing = folder.path().join("none.docx");
        assert!(Archive::open(&missing).is_err());
    }

    #[test]
    fn relationship_targets_resolve_against_the_source_part() {
        assert_eq!(
            resolve_part("", "word/document2.xml").as_deref(),
            Some("word/document2.xml")
        );
        assert_eq!(
            resolve_part("word/document.xml", "media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(
            resolve_part("word/document.xml", "../customXml/item1.xml").as_deref(),
            Some("customXml/item1.xml")
        );
        assert_eq!(
            resolve_part("word/document.xml", "/word/styles.xml").as_deref(),
            Some("word/styles.xml")
        );
        assert_eq!(resolve_part("word/document.xml", "../../etc/passwd"), None);
        assert_eq!(
            resolve_part("word/document.xml", "http://example.com/a"),
            None
        );
        assert_eq!(strip_utf8_bom(b"\xEF\xBB\xBF<a/>"), b"<a/>");
        assert_eq!(strip_utf8_bom(b"<a/>"), b"<a/>");
    }
}
