//! Text sources of a REFI-QDA project: their text (from `sources/` in the archive or inline),
//! their selections and codings, positions mapped onto casecode's stored text (no BOM, LF).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use super::dom::Element;
use super::flat::Xml;
use super::local::SourceReading;
use super::project::{date_time, date_time_str};
use super::{Warnings, guid_of};
use crate::command::{ExchangeCoding, ExchangeDocument};
use crate::import::archive::Archive;
use crate::text::{CharIndex, EncodingChoice, SpeakerPatterns, decode};

/// A source read: the document, its codings and its variable values (MAXQDA writes document
/// variables on sources).
pub struct SourceRead {
    pub document: ExchangeDocument,
    pub codings: Vec<ExchangeCoding>,
    pub values: Vec<(String, String)>,
}

/// The text of a source or note: inline `PlainTextContent`, or the `plainTextPath` file in the
/// archive (`internal://x.txt` is `sources/x.txt`, matched case-insensitively). Returns the
/// text as written (BOM removed, line ends untouched) and its encoding and origin.
pub fn source_text<'d>(
    reading: &mut impl Warnings,
    archive: &mut Option<&mut Archive>,
    element: impl Xml<'d>,
    what: &str,
) -> crate::Result<Option<(String, String, String)>> {
    if let Some(content) = element.child_text("PlainTextContent") {
        return Ok(Some((
            content.to_owned(),
            "utf-8".to_owned(),
            format!("{}: PlainTextContent", reading.file()),
        )));
    }
    let Some(path) = element.attribute("plainTextPath") else {
        reading.warn(format!(
            "{what} has neither text nor plainTextPath; dropped"
        ));
        return Ok(None);
    };
    let inner = path
        .strip_prefix("internal://")
        .map(|name| format!("sources/{name}"));
    let entry = match (inner, archive.as_deref()) {
        (Some(name), Some(archive)) => archive
            .find(&name)
            .or_else(|| archive.find(name.trim_start_matches("sources/")))
            .map(str::to_owned),
        _ => None,
    };
    let (Some(entry), Some(archive)) = (entry, archive.as_deref_mut()) else {
        reading.warn(format!(
            "{what}: its text '{path}' is not inside the file; dropped"
        ));
        return Ok(None);
    };
    let bytes = reading.read_entry(archive, &entry)?;
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()) {
        Some(body) => (true, body),
        None => (false, bytes.as_slice()),
    };
    let origin = format!("{}:{entry}", reading.file());
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Some((
            text.to_owned(),
            if bom { "utf-8-bom" } else { "utf-8" }.to_owned(),
            origin,
        ))),
        Err(_) => match decode(&bytes, EncodingChoice::Auto) {
            Ok(decoded) => {
                reading.warn(format!(
                    "{what}: '{entry}' is not UTF-8; decoded as {}",
                    decoded.encoding
                ));
                Ok(Some((decoded.text, decoded.encoding, origin)))
            }
            Err(message) => {
                reading.warn(format!(
                    "{what}: '{entry}' cannot be decoded ({message}); dropped"
                ));
                Ok(None)
            }
        },
    }
}

/// How positions of a text with CRLF line ends are counted.
struct LineEnds {
    /// Char indices (as written) of each `\r` followed by `\n`.
    crlf: Vec<usize>,
    /// True: CRLF counts as two characters (positions as written); false: as one.
    as_written: bool,
}

impl LineEnds {
    fn map(&self, position: usize) -> usize {
        if self.as_written {
            position - self.crlf.partition_point(|&index| index < position)
        } else {
            position
        }
    }
}

/// A selection as the file gives it.
struct RawSelection<N> {
    element: N,
    start: usize,
    end: usize,
}

fn same_text(expected: &str, actual: &str) -> bool {
    let expected = match expected.contains('\r') {
        true => Cow::Owned(expected.replace("\r\n", "\n")),
        false => Cow::Borrowed(expected),
    };
    if expected == actual {
        return true;
    }
    // Tools shorten long selections in `name`.
    for ellipsis in ["...", "…"] {
        if let Some(prefix) = expected.strip_suffix(ellipsis)
            && !prefix.is_empty()
            && actual.starts_with(prefix)
        {
            return true;
        }
    }
    false
}

/// Reads one `TextSource`. Its codings' `document` is 0 and their `coder` an index of the
/// source's own coders, until [`super::local::SourceOutcome::merge`] places them in the file.
pub fn read_text_source<'d>(
    reading: &mut SourceReading<'_>,
    archive: &mut Option<&mut Archive>,
    source: impl Xml<'d>,
) -> crate::Result<Option<SourceRead>> {
    let document = 0;
    let guid = guid_of(reading, source, "TextSource");
    let name = source
        .attribute("name")
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map_or_else(|| format!("文書 {guid}"), str::to_owned);
    let what = format!("source '{name}'");
    let Some((raw, encoding, origin)) = source_text(reading, archive, source, &what)? else {
        return Ok(None);
    };
    let text = crate::text::encoding::normalize_line_ends(&raw);
    let index = CharIndex::new(text);
    let chars = index.chars();
    let mut crlf = Vec::new();
    let mut previous_cr: Option<usize> = None;
    for (position, c) in raw.chars().enumerate() {
        if c == '\n'
            && let Some(cr) = previous_cr
            && cr + 1 == position
        {
            crlf.push(cr);
        }
        previous_cr = (c == '\r').then_some(position);
    }
    let mut selections = Vec::new();
    for element in source.children_named("PlainTextSelection") {
        let position = |key: &str| {
            element
                .attribute(key)
                .and_then(|value| value.trim().parse::<usize>().ok())
        };
        match (position("startPosition"), position("endPosition")) {
            (Some(start), Some(end)) => selections.push(RawSelection {
                element,
                start,
                end,
            }),
            _ => reading.warn(format!(
                "{what}: selection {} has no valid startPosition/endPosition; dropped",
                element.attribute("guid").unwrap_or("?")
            )),
        }
    }
    let mut line_ends = LineEnds {
        crlf,
        as_written: true,
    };
    if !line_ends.crlf.is_empty() {
        let matches = |line_ends: &LineEnds| {
            selections
                .iter()
                .filter(|s| {
                    let expected = s.element.attribute("name").unwrap_or_default();
                    let (start, end) = (line_ends.map(s.start), line_ends.map(s.end));
                    !expected.is_empty()
                        && index
                            .slice(start, end)
                            .is_some_and(|actual| same_text(expected, actual))
                })
                .count()
        };
        let written = matches(&line_ends);
        line_ends.as_written = false;
        let single = matches(&line_ends);
        line_ends.as_written = single <= written;
        if written == 0 && single == 0 {
            reading.warn(format!(
                "{what} has CRLF line ends and no selection text to tell how the tool counted \
                 them; positions are counted as written (CRLF = 2 characters)"
            ));
        } else if !line_ends.as_written {
            reading.warn(format!(
                "{what} has CRLF line ends counted as one character (checked against the \
                 selection texts)"
            ));
        }
    }
    let mut codings = Vec::new();
    let mut seen = HashSet::new();
    let source_user = source.attribute("creatingUser");
    for selection in &selections {
        let element = selection.element;
        let selection_guid = element.attribute("guid").unwrap_or("?");
        let (start, end) = (line_ends.map(selection.start), line_ends.map(selection.end));
        if start >= end || end > chars {
            reading.warn(format!(
                "{what}: selection {selection_guid} [{}, {}) lies outside the text ({chars} characters) or is empty; dropped",
                selection.start, selection.end
            ));
            continue;
        }
        let actual = index.slice(start, end).unwrap_or_default();
        if let Some(expected) = element.attribute("name").filter(|n| !n.is_empty())
            && !same_text(expected, actual)
        {
            reading.warn(format!(
                "{what}: selection {selection_guid} [{start}, {end}) should read '{}' but the text there is '{}'; imported at the given position",
                preview(expected),
                preview(actual)
            ));
        }
        let selection_memo = reading.take_note_texts(&super::codes::note_refs(element));
        // A selection's Description is its codings' memo in QualCoder and MAXQDA; casecode
        // writes it too, beside each coding's own memo note, which wins when there is one.
        let description = element
            .child_text("Description")
            .map(crate::text::encoding::normalize_line_ends)
            .unwrap_or_default();
        let user = element.attribute("creatingUser").or(source_user);
        let when = date_time_str(element.attribute("creationDateTime"));
        let mut any = false;
        for coding in element.children_named("Coding") {
            if let Some(read) = read_coding(
                reading,
                coding,
                (document, start, end),
                (user, when, &selection_memo, &description),
                &mut seen,
            ) {
                codings.push(read);
                any = true;
            }
        }
        if any && let Some(file_guid) = element.attribute("guid") {
            let coder = reading.coder_of(user);
            let coder = reading.coder_name(coder);
            let derived = crate::export::qdpx::guids::selection_uuid(&guid, start, end, coder, 0);
            if let Ok(file_guid) = uuid::Uuid::parse_str(file_guid.trim())
                && file_guid != derived
            {
                let key = crate::export::qdpx::selection_key(&guid, start, end, Some(coder));
                reading
                    .guids
                    .push(("selection".to_owned(), key, file_guid.to_string()));
            }
        }
        if !any {
            reading.warn(format!(
                "{what}: selection {selection_guid} [{start}, {end}) carries no coding casecode can keep; dropped"
            ));
        }
    }
    for coding in source.children_named("Coding") {
        if chars == 0 {
            reading.warn(format!(
                "{what}: a coding of the whole source dropped, the text is empty"
            ));
            continue;
        }
        if let Some(read) = read_coding(
            reading,
            coding,
            (document, 0, chars),
            (source_user, None, "", ""),
            &mut seen,
        ) {
            codings.push(read);
        }
    }
    let memo_notes = (reading.shared.notes).known(super::codes::note_refs(source));
    reading.keep_note_guid(&guid, &memo_notes);
    let mut memo = reading.take_note_texts(&memo_notes);
    // A source's Description is its memo (QualCoder, MAXQDA); casecode writes both, equal.
    if let Some(description) = source
        .child_text("Description")
        .map(crate::text::encoding::normalize_line_ends)
        .filter(|description| !description.trim().is_empty() && *description != memo)
    {
        memo = match memo.is_empty() {
            true => description,
            false => format!("{description}\n\n{memo}"),
        };
    }
    let values = source
        .children_named("VariableValue")
        .filter_map(super::project::variable_value)
        .collect();
    let text = index.text().to_owned();
    let utterances = SpeakerPatterns::default()
        .parse(&text)
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Some(SourceRead {
        document: ExchangeDocument {
            guid,
            name,
            case_guid: String::new(),
            text,
            memo,
            encoding,
            source_path: origin,
            imported_at: date_time(source.attribute("creationDateTime")),
            utterances,
        },
        codings,
        values,
    }))
}

/// The first 30 characters, for messages.
fn preview(text: &str) -> String {
    let mut short: String = text.chars().take(30).collect();
    if text.chars().nth(30).is_some() {
        short.push('…');
    }
    short
}

/// Codings already read from one source: code, span and coder (indices of the exchange).
type Seen = HashSet<(usize, usize, usize, usize)>;

fn read_coding<'d>(
    reading: &mut SourceReading<'_>,
    coding: impl Xml<'d>,
    (document, start, end): (usize, usize, usize),
    (user, when, selection_memo, description): (Option<&str>, Option<&str>, &str, &str),
    seen: &mut Seen,
) -> Option<ExchangeCoding> {
    let guid = guid_of(reading, coding, "Coding");
    let Some(code) = coding
        .child("CodeRef")
        .and_then(|code| code.attribute("targetGUID"))
        .and_then(|target| reading.shared.code_of(target))
    else {
        reading.warn(format!(
            "coding {guid} refers to no code of the codebook; dropped"
        ));
        return None;
    };
    let coder = reading.coder_of(coding.attribute("creatingUser").or(user));
    if !seen.insert((code, start, end, coder)) {
        reading.warn(format!(
            "coding {guid} repeats the same code on the same span by the same user; dropped"
        ));
        return None;
    }
    let refs = super::codes::note_refs(coding);
    let exemplar_note = reading.shared.exemplar_note;
    let exemplar = refs.iter().any(|r| r == exemplar_note);
    let refs: Vec<String> =
        (reading.shared.notes).known((refs.into_iter()).filter(|r| *r != exemplar_note).collect());
    reading.keep_note_guid(&guid, &refs);
    if exemplar {
        reading.mark_note_used(exemplar_note);
    }
    let mut own = reading.take_note_texts(&refs);
    if own.is_empty() {
        own = description.to_owned();
    }
    let memo = match (own.is_empty(), selection_memo.is_empty()) {
        (false, false) => format!("{selection_memo}\n\n{own}"),
        (true, _) => selection_memo.to_owned(),
        (false, true) => own,
    };
    Some(ExchangeCoding {
        guid,
        document,
        code,
        start,
        end,
        coder,
        memo,
        created_at: date_time(coding.attribute("creationDateTime"))
            .or_else(|| when.map(str::to_owned)),
        exemplar,
    })
}

/// Sources that are not text: each is reported with what it held.
pub fn report_other_sources(reading: &mut super::Reading, sources: &Element) {
    let mut dropped: BTreeMap<&str, usize> = BTreeMap::new();
    for child in &sources.children {
        let kind = match child.name.as_str() {
            "TextSource" => continue,
            "PDFSource" => "PDF",
            "PictureSource" => "picture",
            "AudioSource" => "audio",
            "VideoSource" => "video",
            other => other,
        };
        *dropped.entry(kind).or_default() += 1;
        let selections = child
            .children
            .iter()
            .filter(|c| c.name.ends_with("Selection"))
            .count();
        reading.warn(format!(
            "{kind} source '{}' dropped with its {selections} selections (casecode keeps text sources only)",
            child.attribute("name").unwrap_or("?")
        ));
    }
}
