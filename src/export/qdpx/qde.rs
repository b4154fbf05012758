//! The XML of `project.qde` and of a `.qdc` codebook, in the element order of the schemas'
//! `xsd:sequence`s, never with an empty container.

use std::collections::{BTreeMap, BTreeSet};

use super::provenance::{History, Stamp};
use super::xml::Xml;
use super::{
    CODEBOOK_NAMESPACE, CodingsOf, EXEMPLAR_NOTE, ExchangeSnapshot, ORIGIN, PROJECT_NAMESPACE,
    ROLE_SET_PREFIX, SUMMARY_CASE_LINK, SUMMARY_SEGMENT_LINK, guids,
};
use crate::Result;
use crate::model::{AttributeKind, CodeId, Coding, MemoTarget, Summary};
use crate::text::CharIndex;

/// A Note: a memo or a 要約, with who wrote it first and last, and when.
struct Note {
    guid: String,
    name: String,
    history: History,
    text: String,
}

/// The same stamp as creation and latest change.
fn once(stamp: Stamp) -> History {
    History {
        created: stamp.clone(),
        modified: stamp,
    }
}

/// `creatingUser`, `creationDateTime` and, when it differs from the creation,
/// `modifyingUser`/`modifiedDateTime`, with user names turned into User GUIDs.
fn audit_attributes(
    snapshot: &ExchangeSnapshot,
    history: &History,
    user_key: (&'static str, &'static str),
) -> Vec<(&'static str, String)> {
    let (creating, modifying) = user_key;
    let mut attributes = vec![
        (creating, snapshot.user_guid(&history.created.user)),
        ("creationDateTime", history.created.at.clone()),
    ];
    if history.modified != history.created {
        attributes.push((modifying, snapshot.user_guid(&history.modified.user)));
        attributes.push(("modifiedDateTime", history.modified.at.clone()));
    }
    attributes
}

/// Attributes as the writer takes them.
fn borrowed<'a>(attributes: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    attributes
        .iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect()
}

const SOURCE_USERS: (&str, &str) = ("creatingUser", "modifyingUser");

/// The `project.qde` of the snapshot, written to `sink` as it is made, never held whole; the
/// codings are read one document at a time from `codings_of`.
pub fn write_project_xml(
    snapshot: &ExchangeSnapshot,
    codings_of: CodingsOf<'_>,
    sink: &mut dyn std::io::Write,
) -> Result<()> {
    let mut xml = Xml::streaming(sink)?;
    project_into(&mut xml, snapshot, codings_of)?;
    xml.finish_into_sink()
}

fn project_into(
    xml: &mut Xml<'_>,
    snapshot: &ExchangeSnapshot,
    codings_of: CodingsOf<'_>,
) -> Result<()> {
    let provenance = &snapshot.provenance;
    let project = History {
        created: provenance.project_created(),
        modified: provenance.fallback(),
    };
    let mut attributes = vec![
        ("xmlns", PROJECT_NAMESPACE.to_owned()),
        ("name", snapshot.name.clone()),
        ("origin", ORIGIN.to_owned()),
    ];
    attributes.extend(audit_attributes(
        snapshot,
        &project,
        ("creatingUserGUID", "modifyingUserGUID"),
    ));
    xml.start("Project", &borrowed(&attributes))?;
    let mut notes: Vec<Note> = Vec::new();
    users_xml(xml, snapshot)?;
    let summaries_by_code = summaries_by_code(snapshot);
    if !snapshot.tree.is_empty() {
        xml.start("CodeBook", &[])?;
        xml.start("Codes", &[])?;
        codes_xml(xml, snapshot, None, &summaries_by_code, &mut notes, true)?;
        xml.end("Codes")?;
        xml.end("CodeBook")?;
    }
    variables_xml(xml, snapshot)?;
    cases_xml(xml, snapshot)?;
    sources_xml(xml, snapshot, codings_of, &mut notes)?;
    if snapshot.any_exemplar {
        notes.push(Note {
            guid: guids::exemplar_note(),
            name: EXEMPLAR_NOTE.to_owned(),
            history: (provenance.exemplars().cloned())
                .unwrap_or_else(|| once(provenance.fallback())),
            text: "casecode: この注記を参照するコーディングは代表的語り（表2に引く語り）です。"
                .to_owned(),
        });
    }
    if !notes.is_empty() {
        xml.start("Notes", &[])?;
        for note in &notes {
            let mut attributes = vec![("guid", note.guid.clone()), ("name", note.name.clone())];
            attributes.extend(audit_attributes(snapshot, &note.history, SOURCE_USERS));
            xml.start("Note", &borrowed(&attributes))?;
            xml.text_element("PlainTextContent", &note.text)?;
            xml.end("Note")?;
        }
        xml.end("Notes")?;
    }
    links_xml(xml, snapshot, &summaries_by_code)?;
    role_sets_xml(xml, snapshot, "MemberCode", "targetGUID")?;
    // The project memo is the Project's Description (after Sets and Graphs in the sequence),
    // where QualCoder, NVivo and MAXQDA read a project's memo.
    if !snapshot.project_memo.is_empty() {
        xml.text_element("Description", &snapshot.project_memo)?;
    }
    xml.end("Project")
}

/// The `.qdc` codebook of the snapshot: codes and role sets.
pub fn codebook_xml(snapshot: &ExchangeSnapshot) -> Result<String> {
    let mut xml = Xml::new()?;
    xml.start(
        "CodeBook",
        &[("xmlns", CODEBOOK_NAMESPACE), ("origin", ORIGIN)],
    )?;
    xml.start("Codes", &[])?;
    codes_xml(
        &mut xml,
        snapshot,
        None,
        &BTreeMap::new(),
        &mut Vec::new(),
        false,
    )?;
    xml.end("Codes")?;
    role_sets_xml(&mut xml, snapshot, "MemberCode", "guid")?;
    xml.end("CodeBook")?;
    xml.finish()
}

/// Every coder, summary author and journalled user: whoever an element may name.
fn users_xml(xml: &mut Xml, snapshot: &ExchangeSnapshot) -> Result<()> {
    let journalled = snapshot.provenance.users();
    let names: BTreeSet<&str> = snapshot
        .coding_coders
        .iter()
        .map(String::as_str)
        .chain(snapshot.summaries.iter().map(|s| s.author.as_str()))
        .chain(journalled.iter().map(String::as_str))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    xml.start("Users", &[])?;
    for name in names {
        xml.empty(
            "User",
            &[("guid", &snapshot.user_guid(name)), ("name", name)],
        )?;
    }
    xml.end("Users")
}

/// Summaries per code, each code's in case-name order.
fn summaries_by_code(snapshot: &ExchangeSnapshot) -> BTreeMap<CodeId, Vec<&Summary>> {
    let case_names: BTreeMap<_, _> = snapshot.cases.iter().map(|c| (c.id, &c.name)).collect();
    let mut by_code: BTreeMap<CodeId, Vec<&Summary>> = BTreeMap::new();
    for summary in &snapshot.summaries {
        by_code.entry(summary.code_id).or_default().push(summary);
    }
    for summaries in by_code.values_mut() {
        summaries.sort_by(|a, b| case_names.get(&a.case_id).cmp(&case_names.get(&b.case_id)));
    }
    by_code
}

fn codes_xml(
    xml: &mut Xml,
    snapshot: &ExchangeSnapshot,
    parent_id: Option<CodeId>,
    summaries: &BTreeMap<CodeId, Vec<&Summary>>,
    notes: &mut Vec<Note>,
    project: bool,
) -> Result<()> {
    let case_names: BTreeMap<_, _> = snapshot.cases.iter().map(|c| (c.id, &c.name)).collect();
    for code_id in snapshot.tree.children(parent_id) {
        let Some(code) = snapshot.tree.get(*code_id) else {
            continue;
        };
        let mut attributes = vec![
            ("guid", code.guid.as_str()),
            ("name", code.name.as_str()),
            ("isCodable", "true"),
        ];
        if let Some(color) = &code.color {
            attributes.push(("color", color));
        }
        xml.start("Code", &attributes)?;
        if !code.definition.is_empty() {
            xml.text_element("Description", &code.definition)?;
        }
        if project {
            let path = snapshot.tree.path_string(*code_id);
            if !code.memo.is_empty() {
                let guid = snapshot.memo_note_guid(&code.guid);
                xml.empty("NoteRef", &[("targetGUID", &guid)])?;
                let provenance = &snapshot.provenance;
                notes.push(Note {
                    guid,
                    name: format!("コードのメモ: {path}"),
                    history: (provenance.memo(MemoTarget::Code(*code_id)).cloned())
                        .unwrap_or_else(|| once(provenance.fallback())),
                    text: code.memo.clone(),
                });
            }
            for summary in summaries.get(code_id).into_iter().flatten() {
                xml.empty("NoteRef", &[("targetGUID", &summary.guid)])?;
                let case = case_names.get(&summary.case_id).map_or("", |n| n.as_str());
                notes.push(Note {
                    guid: summary.guid.clone(),
                    name: format!("要約: {case} × {path}"),
                    history: once(summary_stamp(snapshot, summary)),
                    text: summary.text.clone(),
                });
            }
        }
        codes_xml(xml, snapshot, Some(*code_id), summaries, notes, project)?;
        xml.end("Code")?;
    }
    Ok(())
}

/// A summary's author and time of its latest change.
fn summary_stamp(snapshot: &ExchangeSnapshot, summary: &Summary) -> Stamp {
    let stored = snapshot.provenance.stamp_at(&summary.updated_at);
    Stamp {
        user: summary.author.clone(),
        at: stored.at,
    }
}

fn variables_xml(xml: &mut Xml, snapshot: &ExchangeSnapshot) -> Result<()> {
    if snapshot.attributes.is_empty() {
        return Ok(());
    }
    let mut attributes: Vec<_> = snapshot.attributes.iter().collect();
    attributes.sort_by_key(|attribute| (attribute.position, attribute.id));
    xml.start("Variables", &[])?;
    for attribute in attributes {
        let kind = match attribute.kind {
            AttributeKind::Integer => "Integer",
            AttributeKind::Number => "Float",
            AttributeKind::Date => "Date",
            AttributeKind::Text => "Text",
        };
        xml.empty(
            "Variable",
            &[
                ("guid", &attribute.guid),
                ("name", &attribute.name),
                ("typeOfVariable", kind),
            ],
        )?;
    }
    xml.end("Variables")
}

/// The value element of an attribute value: typed by the attribute's kind, text when the
/// stored value does not fit the XML type (it always should).
fn value_element(kind: AttributeKind, value: &str) -> &'static str {
    let decimal = || {
        let digits = value.strip_prefix('-').unwrap_or(value);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.matches('.').count() <= 1
    };
    match kind {
        AttributeKind::Integer if value.parse::<i64>().is_ok() => "IntegerValue",
        AttributeKind::Number if decimal() => "FloatValue",
        AttributeKind::Date if value.len() == 10 && value.as_bytes().get(4) == Some(&b'-') => {
            "DateValue"
        }
        _ => "TextValue",
    }
}

fn cases_xml(xml: &mut Xml, snapshot: &ExchangeSnapshot) -> Result<()> {
    if snapshot.cases.is_empty() {
        return Ok(());
    }
    let mut cases: Vec<_> = snapshot.cases.iter().collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    let mut attributes: Vec<_> = snapshot.attributes.iter().collect();
    attributes.sort_by_key(|attribute| (attribute.position, attribute.id));
    let values: BTreeMap<_, _> = snapshot
        .attribute_values
        .iter()
        .map(|v| ((v.case_id, v.attribute_id), v.value.as_str()))
        .collect();
    xml.start("Cases", &[])?;
    for case in cases {
        xml.start("Case", &[("guid", &case.guid), ("name", &case.name)])?;
        if !case.memo.is_empty() {
            xml.text_element("Description", &case.memo)?;
        }
        for attribute in &attributes {
            let Some(value) = values.get(&(case.id, attribute.id)) else {
                continue;
            };
            xml.start("VariableValue", &[])?;
            xml.empty("VariableRef", &[("targetGUID", &attribute.guid)])?;
            xml.text_element(value_element(attribute.kind, value), value)?;
            xml.end("VariableValue")?;
        }
        for document in snapshot
            .documents
            .iter()
            .filter(|d| d.info.case_id == case.id)
        {
            xml.empty("SourceRef", &[("targetGUID", &document.info.guid)])?;
        }
        xml.end("Case")?;
    }
    xml.end("Cases")
}

fn sources_xml(
    xml: &mut Xml,
    snapshot: &ExchangeSnapshot,
    codings_of: CodingsOf<'_>,
    notes: &mut Vec<Note>,
) -> Result<()> {
    if snapshot.documents.is_empty() {
        return Ok(());
    }
    let provenance = &snapshot.provenance;
    xml.start("Sources", &[])?;
    for document in &snapshot.documents {
        let info = &document.info;
        let path = format!("internal://{}.txt", info.guid);
        let imported = provenance.stamp_at(&info.imported_at);
        let history = match provenance.memo(MemoTarget::Document(info.id)) {
            Some(memo) => History {
                created: imported.clone(),
                modified: memo.modified.clone(),
            },
            None => once(imported.clone()),
        };
        let mut attributes = vec![
            ("guid", info.guid.clone()),
            ("name", info.name.clone()),
            ("plainTextPath", path),
        ];
        attributes.extend(audit_attributes(snapshot, &history, SOURCE_USERS));
        xml.start("TextSource", &borrowed(&attributes))?;
        // The memo also as Description: QualCoder and MAXQDA read a source's memo there.
        if !info.memo.is_empty() {
            xml.text_element("Description", &info.memo)?;
        }
        let text = CharIndex::new(document.text.clone());
        // Per span, per coder and memo: each group is one PlainTextSelection. The codings come
        // by start, end, code and id; a stable sort keeps that order within a group.
        let codings = codings_of(info.id)?;
        let mut sorted: Vec<&Coding> = codings.iter().collect();
        sorted.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.coder, &a.memo).cmp(&(
                b.span.start,
                b.span.end,
                &b.coder,
                &b.memo,
            ))
        });
        for same_span in sorted.chunk_by(|a, b| a.span == b.span) {
            let mut nth_of_coder: BTreeMap<&str, usize> = BTreeMap::new();
            let groups = same_span.chunk_by(|a, b| (&a.coder, &a.memo) == (&b.coder, &b.memo));
            for (index, group) in groups.enumerate() {
                let Some(first) = group.first() else {
                    continue;
                };
                let span = (first.span.start, first.span.end);
                let nth = nth_of_coder.entry(&first.coder).or_default();
                let guid =
                    snapshot.selection_guid(&info.guid, span, &first.coder, *nth, index == 0);
                *nth += 1;
                selection_xml(xml, snapshot, &guid, &text, span, group, notes)?;
            }
        }
        if !info.memo.is_empty() {
            let guid = snapshot.memo_note_guid(&info.guid);
            xml.empty("NoteRef", &[("targetGUID", &guid)])?;
            notes.push(Note {
                guid,
                name: format!("文書のメモ: {}", info.name),
                history: (provenance.memo(MemoTarget::Document(info.id)).cloned())
                    .unwrap_or_else(|| once(imported.clone())),
                text: info.memo.clone(),
            });
        }
        xml.end("TextSource")?;
    }
    xml.end("Sources")
}

/// A coding's coder and creation time (the fallback when it holds no `dateTime`).
fn coding_stamp(snapshot: &ExchangeSnapshot, coding: &Coding) -> Stamp {
    Stamp {
        user: coding.coder.clone(),
        at: snapshot.provenance.time_at(&coding.created_at),
    }
}

/// One selection: codings of one coder on one span, all with the same memo (its Description).
fn selection_xml(
    xml: &mut Xml,
    snapshot: &ExchangeSnapshot,
    guid: &str,
    text: &CharIndex,
    (start, end): (usize, usize),
    codings: &[&Coding],
    notes: &mut Vec<Note>,
) -> Result<()> {
    let mut codings = codings.to_vec();
    codings.sort_by(|a, b| (&a.created_at, &a.guid).cmp(&(&b.created_at, &b.guid)));
    let Some(first) = codings.first() else {
        return Ok(());
    };
    let stamps: Vec<Stamp> = codings.iter().map(|c| coding_stamp(snapshot, c)).collect();
    let earliest = stamps.iter().min_by(|a, b| a.at.cmp(&b.at));
    let latest = stamps.iter().max_by(|a, b| a.at.cmp(&b.at));
    let (Some(earliest), Some(latest)) = (earliest, latest) else {
        return Ok(());
    };
    let history = History {
        created: earliest.clone(),
        modified: latest.clone(),
    };
    let mut attributes = vec![
        ("guid", guid.to_owned()),
        (
            "name",
            text.slice(start, end).unwrap_or_default().to_owned(),
        ),
        ("startPosition", start.to_string()),
        ("endPosition", end.to_string()),
    ];
    attributes.extend(audit_attributes(snapshot, &history, SOURCE_USERS));
    xml.start("PlainTextSelection", &borrowed(&attributes))?;
    if !first.memo.is_empty() {
        xml.text_element("Description", &first.memo)?;
    }
    for (coding, stamp) in codings.iter().zip(&stamps) {
        let user = snapshot.user_guid(&coding.coder);
        xml.start(
            "Coding",
            &[
                ("guid", coding.guid.as_str()),
                ("creatingUser", &user),
                ("creationDateTime", &stamp.at),
            ],
        )?;
        let code_guid = snapshot
            .tree
            .get(coding.code_id)
            .map_or("", |code| code.guid.as_str());
        xml.empty("CodeRef", &[("targetGUID", code_guid)])?;
        if coding.exemplar {
            xml.empty("NoteRef", &[("targetGUID", &guids::exemplar_note())])?;
        }
        if !coding.memo.is_empty() {
            let guid = snapshot.memo_note_guid(&coding.guid);
            xml.empty("NoteRef", &[("targetGUID", &guid)])?;
            notes.push(Note {
                guid,
                name: format!("コーディングのメモ [{start}, {end})"),
                history: snapshot.provenance.coding_memo(coding.id, stamp.clone()),
                text: coding.memo.clone(),
            });
        }
        xml.end("Coding")?;
    }
    xml.end("PlainTextSelection")
}

fn links_xml(
    xml: &mut Xml,
    snapshot: &ExchangeSnapshot,
    summaries: &BTreeMap<CodeId, Vec<&Summary>>,
) -> Result<()> {
    let case_guids: BTreeMap<_, _> = snapshot.cases.iter().map(|c| (c.id, &c.guid)).collect();
    let coding_guids = &snapshot.cited_codings;
    let mut links: Vec<(String, &str, &str, &str)> = Vec::new();
    for code_id in snapshot.tree.walk() {
        for summary in summaries.get(&code_id).into_iter().flatten() {
            if let Some(case_guid) = case_guids.get(&summary.case_id) {
                links.push((
                    guids::link(&summary.guid, case_guid),
                    SUMMARY_CASE_LINK,
                    &summary.guid,
                    case_guid,
                ));
            }
            let mut segments: Vec<&str> = snapshot
                .summary_segments
                .iter()
                .filter(|segment| segment.summary_id == summary.id)
                .filter_map(|segment| coding_guids.get(&segment.coding_id))
                .map(|guid| guid.as_str())
                .collect();
            segments.sort();
            for coding_guid in segments {
                links.push((
                    guids::link(&summary.guid, coding_guid),
                    SUMMARY_SEGMENT_LINK,
                    &summary.guid,
                    coding_guid,
                ));
            }
        }
    }
    if links.is_empty() {
        return Ok(());
    }
    xml.start("Links", &[])?;
    for (guid, name, origin, target) in links {
        xml.empty(
            "Link",
            &[
                ("guid", &guid),
                ("name", name),
                ("direction", "OneWay"),
                ("originGUID", origin),
                ("targetGUID", target),
            ],
        )?;
    }
    xml.end("Links")
}

/// One Set per role of each role frame, members in code-tree order.
fn role_sets_xml(
    xml: &mut Xml,
    snapshot: &ExchangeSnapshot,
    member: &str,
    member_attribute: &str,
) -> Result<()> {
    if snapshot.roles.is_empty() {
        return Ok(());
    }
    let mut frames: Vec<_> = snapshot.frames.iter().collect();
    frames.sort_by_key(|frame| (frame.position, frame.id));
    let order: Vec<CodeId> = snapshot.tree.walk();
    xml.start("Sets", &[])?;
    for frame in frames {
        let mut roles: Vec<_> = snapshot
            .roles
            .iter()
            .filter(|r| r.frame_id == frame.id)
            .collect();
        roles.sort_by_key(|role| (role.position, role.id));
        for role in roles {
            let guid = guids::role_set(&frame.name, &role.name);
            xml.start("Set", &[("guid", &guid), ("name", &role.name)])?;
            xml.text_element("Description", &format!("{ROLE_SET_PREFIX}{}", frame.name))?;
            let members: BTreeSet<CodeId> = snapshot
                .code_roles
                .iter()
                .filter(|link| link.role_id == role.id)
                .map(|link| link.code_id)
                .collect();
            for code_id in order.iter().filter(|id| members.contains(id)) {
                if let Some(code) = snapshot.tree.get(*code_id) {
                    xml.empty(member, &[(member_attribute, &code.guid)])?;
                }
            }
            xml.end("Set")?;
        }
    }
    xml.end("Sets")
}
