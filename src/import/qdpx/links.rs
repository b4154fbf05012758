//! What ties notes and sources together: a 要約 (a note a code refers to, linked to a case and
//! to its supporting codings), code memos, and document groups (Sets of sources).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::Reading;
use super::dom::Element;
use super::project::{DOCUMENT_GROUP_ATTRIBUTE, Notes, Users};
use crate::command::{Exchange, ExchangeSummary, ExchangeVariable};
use crate::export::qdpx::guids::{self, normalized};
use crate::export::qdpx::{SUMMARY_CASE_LINK, SUMMARY_SEGMENT_LINK};
use crate::model::AttributeKind;

/// MAXQDA document groups (Sets of sources) become the text attribute 文書グループ of the
/// documents' cases (several groups joined with `・`).
pub(super) fn add_document_groups(
    reading: &mut Reading,
    exchange: &mut Exchange,
    groups: Vec<(String, Vec<String>)>,
) {
    if groups.is_empty() {
        return;
    }
    let case_of: BTreeMap<&str, &str> = (exchange.documents.iter())
        .map(|d| (d.guid.as_str(), d.case_guid.as_str()))
        .collect();
    let mut per_case: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (group, members) in &groups {
        for member in members {
            match case_of.get(member.as_str()) {
                Some(case) => {
                    per_case
                        .entry((*case).to_owned())
                        .or_default()
                        .insert(group.clone());
                }
                None => reading.warn(format!(
                    "set '{group}' names source {member}, which was not imported"
                )),
            }
        }
    }
    let guid = guids::role_set("", DOCUMENT_GROUP_ATTRIBUTE);
    exchange.variables.push(ExchangeVariable {
        guid: guid.clone(),
        name: DOCUMENT_GROUP_ATTRIBUTE.to_owned(),
        kind: AttributeKind::Text,
    });
    for case in &mut exchange.cases {
        if let Some(names) = per_case.get(&case.guid) {
            let joined: Vec<&str> = names.iter().map(String::as_str).collect();
            case.values.push((guid.clone(), joined.join("・")));
        }
    }
    reading.warn(format!(
        "{} sets of sources (document groups) became the case attribute '{DOCUMENT_GROUP_ATTRIBUTE}'",
        groups.len()
    ));
}

/// Notes referenced by codes: a 要約 when linked to a case, else the code's memo.
pub(super) fn read_summaries(
    reading: &mut Reading,
    root: &Element,
    users: &Users,
    notes: &mut Notes,
    exchange: &mut Exchange,
) {
    let case_guids: BTreeSet<&str> = exchange.cases.iter().map(|c| c.guid.as_str()).collect();
    let links: Vec<(String, String, String)> = root
        .child("Links")
        .into_iter()
        .flat_map(|links| links.children_named("Link"))
        .map(|link| {
            (
                link.attribute("name").unwrap_or_default().to_owned(),
                normalized(link.attribute("originGUID").unwrap_or_default()),
                normalized(link.attribute("targetGUID").unwrap_or_default()),
            )
        })
        .collect();
    // The codings that links point to (a million codings are not all put in a set).
    let targets: HashSet<&str> = links.iter().map(|(_, _, target)| target.as_str()).collect();
    let coding_guids: HashSet<&str> = (exchange.codings.iter())
        .map(|coding| coding.guid.as_str())
        .filter(|guid| targets.contains(guid))
        .collect();
    let mut used_links = BTreeSet::new();
    let mut memos: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut summaries = Vec::new();
    for (code_guid, note_guids) in &reading.code_elements {
        for note_guid in note_guids {
            let cases: Vec<usize> = (0..links.len())
                .filter(|&i| {
                    links.get(i).is_some_and(|(_, origin, target)| {
                        origin == note_guid && case_guids.contains(target.as_str())
                    })
                })
                .collect();
            let Some(first_case) = cases.first().and_then(|&i| links.get(i)) else {
                memos
                    .entry(code_guid.clone())
                    .or_default()
                    .push(note_guid.clone());
                continue;
            };
            let Some(note) = notes.notes.get(note_guid) else {
                continue;
            };
            used_links.extend(cases.iter().copied());
            let mut coding_links = Vec::new();
            for (i, (_, origin, target)) in links.iter().enumerate() {
                if origin == note_guid && coding_guids.contains(target.as_str()) {
                    coding_links.push(target.clone());
                    used_links.insert(i);
                }
            }
            notes.used.insert(note_guid.clone());
            summaries.push(ExchangeSummary {
                guid: note_guid.clone(),
                case_guid: first_case.2.clone(),
                code_guid: code_guid.clone(),
                text: note.text.clone(),
                author: users.name(note.user.as_deref()),
                updated_at: note.when.clone(),
                coding_guids: coding_links,
            });
        }
    }
    for (code_guid, note_guids) in memos {
        let note_guids: Vec<String> = (note_guids.into_iter())
            .filter(|guid| notes.notes.contains_key(guid))
            .collect();
        reading.keep_note_guid(&code_guid, &note_guids);
        let memo = notes.take_texts(&note_guids);
        if let Some(code) = exchange.codes.iter_mut().find(|c| c.guid == code_guid) {
            code.memo = memo;
        }
    }
    exchange.summaries = summaries;
    for (i, (name, origin, target)) in links.iter().enumerate() {
        if !used_links.contains(&i) {
            let known = name == SUMMARY_CASE_LINK || name == SUMMARY_SEGMENT_LINK;
            reading.warn(format!(
                "link '{name}' from {origin} to {target} dropped{}",
                if known {
                    " (its 要約 or target was not imported)"
                } else {
                    " (casecode keeps links only between a 要約 and its case and segments)"
                }
            ));
        }
    }
}
