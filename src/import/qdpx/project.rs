//! The body of a `project.qde`: users, notes, codes, variables, cases, sources, sets and
//! links, turned into an [`Exchange`].

use std::collections::{BTreeMap, BTreeSet};

use super::codes::{read_codes, read_sets};
use super::dom::Element;
use super::flat::{Doc, Xml};
use super::links::{add_document_groups, read_summaries};
use super::local::{Shared, SourceOutcome};
use super::sources::{report_other_sources, source_text};
use super::{Reading, TextSources, canonical_guid, guid_of, parallel};
use crate::Result;
use crate::command::{Exchange, ExchangeCase, ExchangeVariable};
use crate::export::qdpx::guids::{self, normalized};
use crate::import::archive::Archive;
use crate::import::attributes::canonical_value;
use crate::model::AttributeKind;

/// The attribute that holds MAXQDA document groups (Sets of sources).
pub const DOCUMENT_GROUP_ATTRIBUTE: &str = "文書グループ";
/// Coder name when the file names no user.
pub const UNKNOWN_USER: &str = "REFI-QDA";

/// Users by GUID.
pub struct Users(BTreeMap<String, String>);

impl Users {
    /// The name of a user GUID: its `name`, else its `id`, else the GUID itself.
    pub fn name(&self, guid: Option<&str>) -> String {
        match guid {
            Some(guid) => {
                let guid = normalized(guid);
                self.0.get(&guid).cloned().unwrap_or(guid)
            }
            None => UNKNOWN_USER.to_owned(),
        }
    }
}

/// A note as read.
pub(super) struct Note {
    pub(super) name: String,
    pub(super) text: String,
    pub(super) user: Option<String>,
    pub(super) when: Option<String>,
}

/// Notes by GUID, remembering which were attached to something kept.
pub struct Notes {
    pub(super) notes: BTreeMap<String, Note>,
    pub(super) order: Vec<String>,
    pub(super) used: BTreeSet<String>,
}

impl Notes {
    /// The texts of these notes joined by blank lines; they count as kept.
    pub fn take_texts(&mut self, guids: &[String]) -> String {
        let mut texts = Vec::new();
        for guid in guids {
            if let Some(note) = self.notes.get(guid) {
                texts.push(note.text.clone());
                self.used.insert(guid.clone());
            }
        }
        texts.join("\n\n")
    }

    /// The GUIDs among these that name a note of the file.
    pub fn known(&self, guids: Vec<String>) -> Vec<String> {
        guids
            .into_iter()
            .filter(|guid| self.notes.contains_key(guid))
            .collect()
    }
}

/// A `dateTime` as given when it looks like one (`YYYY-MM-DDTHH:MM:SS…`).
pub fn date_time(value: Option<&str>) -> Option<String> {
    date_time_str(value).map(str::to_owned)
}

/// [`date_time`] without a copy.
pub fn date_time_str(value: Option<&str>) -> Option<&str> {
    let value = value?.trim();
    let bytes = value.as_bytes();
    (bytes.len() >= 19 && bytes.get(4) == Some(&b'-') && bytes.get(10) == Some(&b'T'))
        .then_some(value)
}

/// The variable GUID and the raw value of a `VariableValue`.
pub fn variable_value<'d>(element: impl Xml<'d>) -> Option<(String, String)> {
    let variable = element.child("VariableRef")?.attribute("targetGUID")?;
    let value = element.children().find(|child| {
        matches!(
            child.name(),
            "TextValue"
                | "BooleanValue"
                | "IntegerValue"
                | "FloatValue"
                | "DateValue"
                | "DateTimeValue"
        )
    })?;
    Some((normalized(variable), value.text().trim().to_owned()))
}

/// Reads a `<Project>` into `exchange`.
pub fn read_project(
    reading: &mut Reading,
    root: &Element,
    mut archive: Option<&mut Archive>,
    text_sources: TextSources,
    exchange: &mut Exchange,
) -> Result<()> {
    let users = Users(
        root.child("Users")
            .into_iter()
            .flat_map(|users| users.children_named("User"))
            .filter_map(|user| {
                let guid = canonical_guid(user.attribute("guid")?)?;
                let name = (user.attribute("name"))
                    .or(user.attribute("id"))
                    .map(str::trim)
                    .filter(|name| !name.is_empty())?;
                Some((guid, name.to_owned()))
            })
            .collect(),
    );
    for (guid, name) in &users.0 {
        if *guid != guids::user(name) {
            reading
                .guids
                .push(("user".to_owned(), name.clone(), guid.clone()));
        }
    }
    let mut notes = Notes {
        notes: BTreeMap::new(),
        order: Vec::new(),
        used: BTreeSet::new(),
    };
    for note in root
        .child("Notes")
        .into_iter()
        .flat_map(|notes| notes.children_named("Note"))
    {
        let guid = guid_of(reading, note, "Note");
        let name = note.attribute("name").unwrap_or_default().to_owned();
        let Some((text, _, _)) =
            source_text(reading, &mut archive, note, &format!("note '{name}'"))?
        else {
            continue;
        };
        notes.order.push(guid.clone());
        notes.notes.insert(
            guid,
            Note {
                name,
                text: crate::text::encoding::normalize_line_ends(&text),
                user: note.attribute("creatingUser").map(normalized),
                when: date_time(note.attribute("modifiedDateTime"))
                    .or_else(|| date_time(note.attribute("creationDateTime"))),
            },
        );
    }

    if let Some(codes) = root.child("CodeBook").and_then(|book| book.child("Codes")) {
        read_codes(reading, codes, None, &mut exchange.codes);
    }

    let mut kinds: BTreeMap<String, AttributeKind> = BTreeMap::new();
    for variable in root
        .child("Variables")
        .into_iter()
        .flat_map(|variables| variables.children_named("Variable"))
    {
        let guid = guid_of(reading, variable, "Variable");
        let name = variable
            .attribute("name")
            .unwrap_or_default()
            .trim()
            .to_owned();
        if name.is_empty() {
            reading.warn(format!("variable {guid} has no name; dropped"));
            continue;
        }
        let kind = match variable.attribute("typeOfVariable").map(str::trim) {
            Some("Integer") => AttributeKind::Integer,
            Some("Float") => AttributeKind::Number,
            Some("Date") => AttributeKind::Date,
            Some("Text") => AttributeKind::Text,
            other => {
                reading.warn(format!(
                    "variable '{name}' is of type {}; imported as text",
                    other.unwrap_or("(none)")
                ));
                AttributeKind::Text
            }
        };
        kinds.insert(guid.clone(), kind);
        exchange
            .variables
            .push(ExchangeVariable { guid, name, kind });
    }
    let variable_names: BTreeMap<String, String> = (exchange.variables.iter())
        .map(|v| (v.guid.clone(), v.name.clone()))
        .collect();
    let checked_value = |reading: &mut Reading, owner: &str, (guid, raw): (String, String)| {
        let Some(kind) = kinds.get(&guid) else {
            reading.warn(format!(
                "{owner}: a value of an unknown variable {guid}; dropped"
            ));
            return None;
        };
        let raw = match kind {
            AttributeKind::Date => raw.split('T').next().unwrap_or_default().to_owned(),
            _ => raw,
        };
        match canonical_value(*kind, &raw) {
            Some(value) => Some((guid, value)),
            None => {
                if !raw.is_empty() {
                    let name = variable_names.get(&guid).cloned().unwrap_or_default();
                    reading.warn(format!(
                        "{owner}: value '{raw}' of '{name}' is not {}; dropped",
                        kind.as_str()
                    ));
                }
                None
            }
        }
    };

    let mut case_of_source: BTreeMap<String, usize> = BTreeMap::new();
    for case in root
        .child("Cases")
        .into_iter()
        .flat_map(|cases| cases.children_named("Case"))
    {
        let guid = guid_of(reading, case, "Case");
        let name = case
            .attribute("name")
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map_or_else(|| format!("事例 {guid}"), str::to_owned);
        let owner = format!("case '{name}'");
        let values = case
            .children_named("VariableValue")
            .filter_map(variable_value)
            .filter_map(|value| checked_value(reading, &owner, value))
            .collect();
        for (what, count) in [
            (
                "case codings (CodeRef)",
                case.children_named("CodeRef").count(),
            ),
            (
                "selection references",
                case.children_named("SelectionRef").count(),
            ),
        ] {
            if count > 0 {
                reading.warn(format!("{owner}: {count} {what} dropped"));
            }
        }
        let index = exchange.cases.len();
        for source in case.children_named("SourceRef") {
            if let Some(target) = source.attribute("targetGUID") {
                let target = normalized(target);
                match case_of_source.entry(target) {
                    std::collections::btree_map::Entry::Occupied(taken) => reading.warn(format!(
                        "{owner}: source {} already belongs to another case; casecode gives a document one case",
                        taken.key()
                    )),
                    std::collections::btree_map::Entry::Vacant(free) => {
                        free.insert(index);
                    }
                }
            }
        }
        exchange.cases.push(ExchangeCase {
            guid,
            name,
            memo: case
                .child_text("Description")
                .unwrap_or_default()
                .to_owned(),
            values,
        });
    }

    let mut names: BTreeSet<String> = BTreeSet::new();
    if let Some(sources) = root.child("Sources") {
        // What every source's reading consults is set aside while the sources are read (on
        // several threads when they come from an archive) and merged in document order.
        let code_index = std::mem::take(&mut reading.code_index);
        let (file, exemplar_note) = (reading.file.clone(), reading.exemplar_note.clone());
        let shared = Shared {
            file: &file,
            code_index: &code_index,
            users: &users,
            notes: &notes,
            exemplar_note: &exemplar_note,
        };
        let mut used_notes = Vec::new();
        let reopen = |archive: &Option<&mut Archive>| -> Result<Option<Archive>> {
            (archive.as_deref())
                .map(Archive::reopen_uncounted)
                .transpose()
        };
        let workers = match &text_sources {
            TextSources::InTree => vec![(reopen(&archive)?, Doc::default())],
            // Nothing is read again (see `parallel::convert_in_order`).
            TextSources::Sliced(slices) if slices.places.is_empty() => Vec::new(),
            TextSources::Sliced(_) => (0..parallel::worker_count())
                .map(|_| Ok((reopen(&archive)?, Doc::default())))
                .collect::<Result<_>>()?,
        };
        let mut each = |outcome: SourceOutcome| -> Result<()> {
            let Some(mut read) = outcome.merge(reading, &mut archive, &mut used_notes)? else {
                return Ok(());
            };
            let document = exchange.documents.len();
            for coding in &mut read.codings {
                coding.document = document;
            }
            if !names.insert(read.document.name.clone()) {
                let renamed = format!("{} ({})", read.document.name, read.document.guid);
                reading.warn(format!(
                    "two sources are named '{}'; the second is imported as '{renamed}'",
                    read.document.name
                ));
                read.document.name = renamed;
            }
            let case_index = match case_of_source.get(&read.document.guid) {
                Some(index) => *index,
                None => {
                    exchange.cases.push(ExchangeCase {
                        guid: guids::memo_note(&read.document.guid),
                        name: read.document.name.clone(),
                        memo: String::new(),
                        values: Vec::new(),
                    });
                    exchange.cases.len() - 1
                }
            };
            let owner = format!("source '{}'", read.document.name);
            let values: Vec<_> = (read.values.drain(..))
                .filter_map(|value| checked_value(reading, &owner, value))
                .collect();
            if let Some(case) = exchange.cases.get_mut(case_index) {
                read.document.case_guid = case.guid.clone();
                for (variable, value) in values {
                    match case.values.iter().find(|(v, _)| *v == variable) {
                    Some((_, existing)) if *existing != value => reading.warn(format!(
                        "{owner}: document variable value '{value}' differs from '{existing}' already given to case '{}'; kept '{existing}'",
                        case.name
                    )),
                    Some(_) => {}
                    None => case.values.push((variable, value)),
                }
                }
            }
            exchange.documents.push(read.document);
            exchange.codings.extend(read.codings);
            Ok(())
        };
        match text_sources {
            TextSources::InTree => {
                let mut again = workers.into_iter().next().and_then(|(again, _)| again);
                for source in sources.children_named("TextSource") {
                    each(SourceOutcome::read(&shared, again.as_mut(), source))?;
                }
            }
            TextSources::Sliced(slices) => {
                let convert =
                    |(archive, doc): &mut (Option<Archive>, Doc), offset, bytes: &[u8]| {
                        doc.read_text_source(&file, bytes, offset)?;
                        Ok(SourceOutcome::read(&shared, archive.as_mut(), doc.root()))
                    };
                parallel::convert_in_order(slices, workers, &convert, &mut each)?;
            }
        }
        reading.code_index = code_index;
        notes.used.extend(used_notes);
        report_other_sources(reading, sources);
    }

    let (frames, groups) = read_sets(reading, root.child("Sets"));
    exchange.frames = frames;
    add_document_groups(reading, exchange, groups);

    read_summaries(reading, root, &users, &mut notes, exchange);
    for graph in root
        .child("Graphs")
        .into_iter()
        .flat_map(|graphs| graphs.children_named("Graph"))
    {
        reading.warn(format!(
            "graph '{}' dropped (casecode has no graphs)",
            graph.attribute("name").unwrap_or("?")
        ));
    }
    if let Some(description) = root.child("Description") {
        exchange.project_memo = description.text.trim().to_owned();
    }
    for guid in &notes.order {
        if !notes.used.contains(guid)
            && let Some(note) = notes.notes.get(guid)
        {
            reading.warn(format!(
                "note '{}' is attached to nothing casecode keeps; dropped",
                note.name
            ));
        }
    }
    Ok(())
}
