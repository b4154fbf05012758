//! Word transcripts (.docx): the main document part's text in reading order, found through the
//! package relationships (Word Online names it `word/document2.xml`), never by its name.
//!
//! Kept: paragraphs (one line each), `w:br`/`w:cr` as line breaks, `w:tab` as tabs, every
//! character as written (full-width spaces too), tracked insertions. Dropped: tracked deletions
//! (the text is as accepted, with a note), text boxes (counted). Headers, footers, comments,
//! footnotes and endnotes live in other parts: they are left out and counted. Tables are read row
//! by row, cells separated by tabs; a two-column table whose first column repeats a few short
//! labels is a speaker | utterance transcript, written as `label：utterance` lines and reported
//! in [`DocxText::table_speakers`] so that the importer can find the turns by exactly those labels.
//!
//! Every part goes through [`super::archive`] (zip slip, size caps, OLE/encrypted files), and a
//! part with a DTD is refused, so no entity can expand.

use std::collections::BTreeSet;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::archive::{Archive, Limits, resolve_part};
use crate::{Error, Result};

/// Limits for a Word file: a 500-page transcript's document part is about 5 MB.
pub const DOCX_LIMITS: Limits = Limits {
    entry_bytes: 64 * 1024 * 1024,
    total_bytes: 256 * 1024 * 1024,
};

const OFFICE_DOCUMENT: &str = "/officeDocument";
const MAIN_CONTENT_TYPES: [&str; 3] = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
];

/// The text of a Word file and what reading it noticed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocxText {
    /// Paragraphs as lines (LF), ending with a line end.
    pub text: String,
    /// Labels of a speaker | utterance table, sorted; empty when the file has none.
    pub table_speakers: Vec<String>,
    /// Sentences for the researcher: tracked changes accepted, parts left out.
    pub notes: Vec<String>,
}

/// Reads the .docx at `path`; errors name the path.
pub fn read_docx(path: &Path) -> Result<DocxText> {
    let mut archive = Archive::open_with_limits(path, DOCX_LIMITS)?;
    read_docx_archive(&mut archive)
}

/// Reads an opened .docx archive.
pub fn read_docx_archive(archive: &mut Archive) -> Result<DocxText> {
    let main = main_part(archive)?;
    let xml = archive.read_utf8(&main)?;
    let mut body = Body::default();
    walk_xml(archive.file(), &main, &xml, |event| body.event(event))?;
    let mut docx = body.finish();
    docx.notes.extend(left_out(archive, &main)?);
    Ok(docx)
}

/// The main document part: the package's officeDocument relationship, else the part whose
/// content type is a Word main document.
fn main_part(archive: &mut Archive) -> Result<String> {
    if let Some(rels) = archive.find("_rels/.rels").map(str::to_owned) {
        let relationships = relationships(archive, &rels)?;
        if let Some(target) = relationships
            .iter()
            .find(|relationship| relationship.kind.ends_with(OFFICE_DOCUMENT))
            .and_then(|relationship| resolve_part("", &relationship.target))
        {
            return existing(archive, &target);
        }
    }
    let Some(types) = archive.find("[Content_Types].xml").map(str::to_owned) else {
        return Err(Error::bad_input(
            archive.file(),
            "no [Content_Types].xml and no package relationships: not a Word document",
        ));
    };
    let xml = archive.read_utf8(&types)?;
    let mut main = None;
    walk_xml(archive.file(), &types, &xml, |event| {
        if let XmlEvent::Open(element) = event
            && element.local_name().as_ref() == "Override"
            && attribute(&element, "ContentType")
                .is_some_and(|kind| MAIN_CONTENT_TYPES.contains(&kind.as_str()))
            && main.is_none()
        {
            main = attribute(&element, "PartName");
        }
    })?;
    match main {
        Some(part) => existing(archive, part.trim_start_matches('/')),
        None => Err(Error::bad_input(
            archive.file(),
            "no main document part: not a Word document",
        )),
    }
}

fn existing(archive: &Archive, part: &str) -> Result<String> {
    archive.find(part).map(str::to_owned).ok_or_else(|| {
        Error::bad_input(
            archive.file(),
            format!("the main document part '{part}' is missing from the archive"),
        )
    })
}

/// One `<Relationship>` of a `.rels` part.
struct Relationship {
    kind: String,
    target: String,
}

fn relationships(archive: &mut Archive, rels: &str) -> Result<Vec<Relationship>> {
    let xml = archive.read_utf8(rels)?;
    let mut found = Vec::new();
    walk_xml(archive.file(), rels, &xml, |event| {
        if let XmlEvent::Open(element) = event
            && element.local_name().as_ref() == "Relationship"
            && attribute(&element, "TargetMode").is_none_or(|mode| mode != "External")
            && let (Some(kind), Some(target)) =
                (attribute(&element, "Type"), attribute(&element, "Target"))
        {
            found.push(Relationship { kind, target });
        }
    })?;
    Ok(found)
}

/// Notes on the parts that are not the body: headers and footers with text, comments,
/// footnotes and endnotes.
fn left_out(archive: &mut Archive, main: &str) -> Result<Vec<String>> {
    let (folder, file) = main.rsplit_once('/').unwrap_or(("", main));
    let rels_name = if folder.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{folder}/_rels/{file}.rels")
    };
    let Some(rels) = archive.find(&rels_name).map(str::to_owned) else {
        return Ok(Vec::new());
    };
    let mut counts: [(&str, &str, usize); 5] = [
        ("/header", "header(s) with text", 0),
        ("/footer", "footer(s) with text", 0),
        ("/comments", "comment(s)", 0),
        ("/footnotes", "footnote(s)", 0),
        ("/endnotes", "endnote(s)", 0),
    ];
    let mut seen = BTreeSet::new();
    for relationship in relationships(archive, &rels)? {
        let Some((index, _)) = counts
            .iter()
            .enumerate()
            .find(|(_, (suffix, _, _))| relationship.kind.ends_with(suffix))
        else {
            continue;
        };
        let Some(part) = resolve_part(main, &relationship.target)
            .and_then(|part| archive.find(&part).map(str::to_owned))
        else {
            continue;
        };
        if !seen.insert(part.clone()) {
            continue;
        }
        let xml = archive.read_utf8(&part)?;
        let mut items = 0;
        let mut has_text = false;
        walk_xml(archive.file(), &part, &xml, |event| match event {
            XmlEvent::Open(element) => {
                let name = element.local_name();
                let counted = matches!(name.as_ref(), "comment" | "footnote" | "endnote");
                // Footnote parts start with separator "notes" that no author wrote.
                if counted && attribute(&element, "type").is_none_or(|kind| kind == "normal") {
                    items += 1;
                }
            }
            XmlEvent::Text(text) => has_text |= !text.trim().is_empty(),
            XmlEvent::Close(_) => {}
        })?;
        if let Some((_, _, count)) = counts.get_mut(index) {
            *count += if index < 2 {
                usize::from(has_text)
            } else {
                items
            };
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, _, count)| *count > 0)
        .map(|(_, what, count)| format!("{count} {what}"))
        .collect();
    Ok(if parts.is_empty() {
        Vec::new()
    } else {
        vec![format!("left out of the text: {}", parts.join(", "))]
    })
}

/// What [`walk_xml`] reports: element starts (also of empty elements, followed by their
/// close), text with entities resolved, element ends.
enum XmlEvent<'a> {
    Open(BytesStart<'a>),
    Text(String),
    Close(String),
}

/// Reads `xml` (the part `part` of archive `file`), refusing DTDs.
fn walk_xml(file: &str, part: &str, xml: &str, mut visit: impl FnMut(XmlEvent<'_>)) -> Result<()> {
    let bad = |message: String| Error::bad_input(file, format!("part '{part}': {message}"));
    let mut reader = Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|error| {
            bad(format!(
                "not well-formed XML at byte {} ({error})",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Eof => return Ok(()),
            Event::DocType(_) => {
                return Err(bad(
                    "has a DTD (<!DOCTYPE …>); refused, as a DTD can define expanding entities"
                        .to_owned(),
                ));
            }
            Event::Start(element) => visit(XmlEvent::Open(element)),
            Event::Empty(element) => {
                let name = element.local_name().as_ref().to_owned();
                visit(XmlEvent::Open(element));
                visit(XmlEvent::Close(name));
            }
            Event::End(element) => visit(XmlEvent::Close(element.local_name().as_ref().to_owned())),
            Event::Text(text) => visit(XmlEvent::Text(text.xml10_content().into_owned())),
            Event::CData(text) => visit(XmlEvent::Text(text.into_inner().into_owned())),
            Event::GeneralRef(reference) => {
                let name = reference.xml10_content();
                let escaped = format!("&{name};");
                let resolved = quick_xml::escape::unescape(&escaped)
                    .map_err(|error| bad(format!("unknown entity &{name}; ({error})")))?
                    .into_owned();
                visit(XmlEvent::Text(resolved));
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
}

/// The unescaped value of the attribute whose local name is `name`.
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.local_name().as_ref() == name)
        .and_then(|attribute| {
            let raw: &str = &attribute.value;
            quick_xml::escape::unescape(raw)
                .ok()
                .map(|value| value.into_owned())
        })
}

/// A table being read: finished rows, the row and cell being read.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: Vec<String>,
}

/// The state of reading the main part.
#[derive(Default)]
struct Body {
    out: String,
    paragraph: String,
    tables: Vec<Table>,
    /// Depth inside content that is not part of the accepted text (deletions, fallbacks, boxes).
    skipping: usize,
    in_run: usize,
    in_text: bool,
    insertions: usize,
    deletions: usize,
    text_boxes: usize,
    speakers: BTreeSet<String>,
    speaker_rows: usize,
}

impl Body {
    fn event(&mut self, event: XmlEvent<'_>) {
        match event {
            XmlEvent::Open(element) => self.open(element.local_name().as_ref()),
            XmlEvent::Close(name) => self.close(&name),
            XmlEvent::Text(text) => {
                if self.in_text && self.skipping == 0 {
                    self.paragraph.push_str(&text);
                }
            }
        }
    }

    fn open(&mut self, name: &str) {
        match name {
            "del" | "moveFrom" => {
                if self.skipping == 0 {
                    self.deletions += 1;
                }
                self.skipping += 1;
            }
            "Fallback" => self.skipping += 1,
            "txbxContent" => {
                if self.skipping == 0 {
                    self.text_boxes += 1;
                }
                self.skipping += 1;
            }
            _ if self.skipping > 0 => {}
            "ins" | "moveTo" => self.insertions += 1,
            "r" => self.in_run += 1,
            "t" if self.in_run > 0 => self.in_text = true,
            "br" | "cr" if self.in_run > 0 => self.paragraph.push('\n'),
            "tab" | "ptab" if self.in_run > 0 => self.paragraph.push('\t'),
            "noBreakHyphen" if self.in_run > 0 => self.paragraph.push('\u{2011}'),
            "tbl" => self.tables.push(Table::default()),
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.row.clear();
                }
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    table.cell.clear();
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "del" | "moveFrom" | "Fallback" | "txbxContent" => {
                self.skipping = self.skipping.saturating_sub(1);
            }
            _ if self.skipping > 0 => {}
            "r" => self.in_run = self.in_run.saturating_sub(1),
            "t" => self.in_text = false,
            "p" => {
                let paragraph = std::mem::take(&mut self.paragraph);
                match self.tables.last_mut() {
                    Some(table) => table.cell.push(paragraph),
                    None => {
                        self.out.push_str(&paragraph);
                        self.out.push('\n');
                    }
                }
            }
            "tc" => {
                if let Some(table) = self.tables.last_mut() {
                    let cell = std::mem::take(&mut table.cell).join("\n");
                    table.row.push(cell);
                }
            }
            "tr" => {
                if let Some(table) = self.tables.last_mut() {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            "tbl" => {
                if let Some(table) = self.tables.pop() {
                    match self.tables.last_mut() {
                        // A table in a cell becomes lines of that cell.
                        Some(outer) => outer
                            .cell
                            .push(plain_table(&table.rows).trim_end_matches('\n').to_owned()),
                        None => self.top_level_table(&table.rows),
                    }
                }
            }
            _ => {}
        }
    }

    fn top_level_table(&mut self, rows: &[Vec<String>]) {
        let Some(labels) = speaker_labels(rows) else {
            self.out.push_str(&plain_table(rows));
            return;
        };
        for row in rows {
            match row.as_slice() {
                [label, speech] if labels.contains(label.trim()) => {
                    self.out.push_str(label.trim());
                    self.out.push('：');
                    self.out.push_str(speech);
                    self.speaker_rows += 1;
                }
                // A row without a label continues the turn above; a header row stays as written.
                [label, speech] if label.trim().is_empty() => self.out.push_str(speech),
                cells => self.out.push_str(&cells.join("\t")),
            }
            self.out.push('\n');
        }
        self.speakers.extend(labels);
    }

    fn finish(self) -> DocxText {
        let mut notes = Vec::new();
        if self.insertions + self.deletions > 0 {
            notes.push(format!(
                "the file had tracked changes: the text is as accepted ({} insertion(s) kept, {} deletion(s) dropped)",
                self.insertions, self.deletions
            ));
        }
        if self.text_boxes > 0 {
            notes.push(format!(
                "left out of the text: {} text box(es)",
                self.text_boxes
            ));
        }
        let table_speakers: Vec<String> = self.speakers.into_iter().collect();
        if !table_speakers.is_empty() {
            notes.push(format!(
                "a two-column table was read as {} speaker turn(s) of {}",
                self.speaker_rows,
                table_speakers.join(", ")
            ));
        }
        DocxText {
            text: self.out,
            table_speakers,
            notes,
        }
    }
}

/// Rows as lines, cells separated by tabs.
fn plain_table(rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|row| format!("{}\n", row.join("\t")))
        .collect()
}

/// Header words of a speaker column; such a first row is a header, not a turn.
const SPEAKER_HEADERS: [&str; 6] = ["話者", "発言者", "発話者", "名前", "speaker", "Speaker"];

/// The labels of a speaker | utterance table: every row has two cells, the first (when not
/// empty, and not a header) is one short line, and the labels repeat — at most 10 speakers,
/// fewer labels than labelled rows. `None` for any other table (key | value tables included).
fn speaker_labels(rows: &[Vec<String>]) -> Option<BTreeSet<String>> {
    let mut labels = BTreeSet::new();
    let mut labelled = 0;
    for (index, row) in rows.iter().enumerate() {
        let [label, _] = row.as_slice() else {
            return None;
        };
        let label = label.trim();
        if label.is_empty() || (index == 0 && SPEAKER_HEADERS.contains(&label)) {
            continue;
        }
        if label.chars().count() > 20 || label.contains(['\n', '\t', '：', ':']) {
            return None;
        }
        labelled += 1;
        labels.insert(label.to_owned());
    }
    (labelled >= 2 && labels.len() <= 10 && labels.len() < labelled).then_some(labels)
}
