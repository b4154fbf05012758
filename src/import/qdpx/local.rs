//! One `TextSource`'s reading, on whichever thread converts it. What it adds to the file's
//! reading (warnings, GUIDs, the coders it meets, the notes it uses, the archive bytes it reads)
//! is kept apart and merged in document order, so that the result is the one-thread reading's:
//! warnings in the same order, coders numbered by first appearance in the file.

use std::collections::HashMap;

use super::flat::Xml;
use super::project::{Notes, Users};
use super::sources::{SourceRead, read_text_source};
use super::{Reading, Warnings};
use crate::Result;
use crate::import::archive::Archive;

/// What every source's reading consults and none changes: read once the rest of the file is.
pub(crate) struct Shared<'c> {
    pub file: &'c str,
    /// Code GUID → its index in the exchange's codes.
    pub code_index: &'c HashMap<String, usize>,
    pub users: &'c Users,
    pub notes: &'c Notes,
    /// The GUID of casecode's exemplar note (代表的語り).
    pub exemplar_note: &'c str,
}

impl Shared<'_> {
    /// The index of the code a `CodeRef` names (by GUID), when the file has that code.
    pub fn code_of(&self, target: &str) -> Option<usize> {
        match self.code_index.get(target) {
            Some(index) => Some(*index),
            None => (self
                .code_index
                .get(&crate::export::qdpx::guids::normalized(target)))
            .copied(),
        }
    }
}

/// One source's reading under way.
pub(crate) struct SourceReading<'c> {
    pub shared: &'c Shared<'c>,
    warnings: Vec<String>,
    /// The source's GUIDs of selections and memo notes: (kind, key, GUID).
    pub guids: Vec<(String, String, String)>,
    /// The coders this source names, in the order met; codings hold indices into it.
    coders: Vec<String>,
    coder_index: HashMap<String, usize>,
    /// The coder of each `creatingUser` value met so far (as written), and of none.
    coder_of_user: HashMap<String, usize>,
    coder_of_nobody: Option<usize>,
    /// Notes whose text was taken or that count as kept.
    used_notes: Vec<String>,
    /// Each entry read from the archive: its bytes, or `None` when the read failed.
    reads: Vec<(String, Option<u64>)>,
}

impl<'c> SourceReading<'c> {
    pub fn new(shared: &'c Shared<'c>) -> SourceReading<'c> {
        SourceReading {
            shared,
            warnings: Vec::new(),
            guids: Vec::new(),
            coders: Vec::new(),
            coder_index: HashMap::new(),
            coder_of_user: HashMap::new(),
            coder_of_nobody: None,
            used_notes: Vec::new(),
            reads: Vec::new(),
        }
    }

    /// The index (in this source's coders) of the coder a `creatingUser` names (see
    /// [`Users::name`]); each value is looked up once.
    pub fn coder_of(&mut self, user: Option<&str>) -> usize {
        let known = match user {
            Some(user) => self.coder_of_user.get(user).copied(),
            None => self.coder_of_nobody,
        };
        if let Some(index) = known {
            return index;
        }
        let name = self.shared.users.name(user);
        let index = match self.coder_index.get(&name) {
            Some(index) => *index,
            None => {
                self.coders.push(name.clone());
                self.coder_index.insert(name, self.coders.len() - 1);
                self.coders.len() - 1
            }
        };
        match user {
            Some(user) => {
                self.coder_of_user.insert(user.to_owned(), index);
            }
            None => self.coder_of_nobody = Some(index),
        }
        index
    }

    /// The name of a coder index of [`SourceReading::coder_of`].
    pub fn coder_name(&self, index: usize) -> &str {
        self.coders.get(index).map_or("", String::as_str)
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

    /// The texts of these notes joined by blank lines; they count as kept.
    pub fn take_note_texts(&mut self, guids: &[String]) -> String {
        let mut texts = Vec::new();
        for guid in guids {
            if let Some(note) = self.shared.notes.notes.get(guid) {
                texts.push(note.text.clone());
                self.used_notes.push(guid.clone());
            }
        }
        texts.join("\n\n")
    }

    /// Counts a note as kept without taking its text.
    pub fn mark_note_used(&mut self, guid: &str) {
        self.used_notes.push(guid.to_owned());
    }
}

impl Warnings for SourceReading<'_> {
    fn file(&self) -> &str {
        self.shared.file
    }

    fn warn(&mut self, message: String) {
        self.warnings
            .push(format!("{}: {message}", self.shared.file));
    }

    fn read_entry(&mut self, archive: &mut Archive, entry: &str) -> Result<Vec<u8>> {
        let read = archive.read(entry);
        let size = read.as_ref().ok().map(|bytes| bytes.len() as u64);
        self.reads.push((entry.to_owned(), size));
        read
    }
}

/// A source read apart, to be merged with [`SourceOutcome::merge`].
pub(crate) struct SourceOutcome {
    read: Result<Option<SourceRead>>,
    warnings: Vec<String>,
    guids: Vec<(String, String, String)>,
    coders: Vec<String>,
    used_notes: Vec<String>,
    reads: Vec<(String, Option<u64>)>,
}

impl SourceOutcome {
    /// Reads one `TextSource`; `archive` is an opening of [`Archive::reopen_uncounted`].
    pub fn read<'d>(
        shared: &Shared<'_>,
        archive: Option<&mut Archive>,
        source: impl Xml<'d>,
    ) -> Self {
        let mut reading = SourceReading::new(shared);
        let mut archive = archive;
        let read = read_text_source(&mut reading, &mut archive, source);
        SourceOutcome {
            read,
            warnings: reading.warnings,
            guids: reading.guids,
            coders: reading.coders,
            used_notes: reading.used_notes,
            reads: reading.reads,
        }
    }

    /// Adds what the source's reading found to the file's, as if the file's reading had read
    /// it at this point: archive bytes counted against the total (a failed read made again by
    /// `archive`, for its error), warnings and GUIDs appended, coders numbered in the file's
    /// order (the codings' coder indices with them), notes used added to `used_notes`.
    pub fn merge(
        self,
        reading: &mut Reading,
        archive: &mut Option<&mut Archive>,
        used_notes: &mut Vec<String>,
    ) -> Result<Option<SourceRead>> {
        for (entry, size) in &self.reads {
            match (size, archive.as_deref_mut()) {
                (Some(size), Some(archive)) => archive.charge(entry, *size)?,
                (None, Some(archive)) => drop(archive.read(entry)?),
                (_, None) => {}
            }
        }
        let mut read = self.read?;
        reading.warnings.extend(self.warnings);
        reading.guids.extend(self.guids);
        let coders: Vec<usize> = (self.coders.iter())
            .map(|name| reading.coder_named(name))
            .collect();
        used_notes.extend(self.used_notes);
        if let Some(read) = &mut read {
            for coding in &mut read.codings {
                coding.coder = coders.get(coding.coder).copied().unwrap_or_default();
            }
        }
        Ok(read)
    }
}
