//! The code tree and the Sets of a REFI-QDA file (a project's CodeBook or a `.qdc`).

use std::collections::{BTreeMap, BTreeSet};

use super::dom::Element;
use super::{Reading, guid_of};
use crate::codebook::valid_color;
use crate::command::{ExchangeCode, ExchangeFrame, ExchangeRole};
use crate::export::qdpx::ROLE_SET_PREFIX;

/// Frame of Sets of codes that are not casecode role sets.
pub const OTHER_SETS_FRAME: &str = "REFI-QDA セット";

/// `#RGB` and `#rrggbb` as casecode's `#RRGGBB`; anything else is dropped with a warning.
fn color(reading: &mut Reading, code: &str, raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim();
    let expanded = match raw.len() {
        4 => raw.chars().flat_map(|c| [c, c]).skip(1).collect::<String>(),
        _ => raw.to_owned(),
    };
    if valid_color(&expanded) {
        Some(expanded.to_ascii_uppercase())
    } else {
        reading.warn(format!(
            "code '{code}': colour '{raw}' is not #RRGGBB; dropped"
        ));
        None
    }
}

/// Reads the `Code` children of `parent` (depth first, parents before children). Sibling names
/// that repeat get a suffix ` (2)`, ` (3)` … with a warning, since casecode paths must be unique.
pub fn read_codes(
    reading: &mut Reading,
    parent: &Element,
    parent_guid: Option<&str>,
    out: &mut Vec<ExchangeCode>,
) {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for element in parent.children_named("Code") {
        let guid = guid_of(reading, element, "Code");
        let raw_name = element.attribute("name").unwrap_or_default().trim();
        let mut name = if raw_name.is_empty() {
            reading.warn(format!(
                "code {guid} has no name; called it 'コード {guid}'"
            ));
            format!("コード {guid}")
        } else {
            raw_name.to_owned()
        };
        if names.contains(&name) {
            let mut number = 2;
            while names.contains(&format!("{name} ({number})")) {
                number += 1;
            }
            let renamed = format!("{name} ({number})");
            reading.warn(format!(
                "two sibling codes are named '{name}'; the second is imported as '{renamed}'"
            ));
            name = renamed;
        }
        names.insert(name.clone());
        let color = color(reading, &name, element.attribute("color"));
        reading.code_names.insert(guid.clone(), name.clone());
        reading.code_index.insert(guid.clone(), out.len());
        out.push(ExchangeCode {
            guid: guid.clone(),
            parent_guid: parent_guid.map(str::to_owned),
            name,
            definition: element
                .child_text("Description")
                .unwrap_or_default()
                .to_owned(),
            color,
            memo: String::new(),
        });
        reading
            .code_elements
            .push((guid.clone(), note_refs(element)));
        read_codes(reading, element, Some(&guid), out);
    }
}

/// The GUIDs of an element's `NoteRef` children.
pub fn note_refs<'d>(element: impl super::flat::Xml<'d>) -> Vec<String> {
    element
        .children_named("NoteRef")
        .filter_map(|note| note.attribute("targetGUID"))
        .map(crate::export::qdpx::guids::normalized)
        .collect()
}

/// Sets of codes become roles: a casecode role set (Description `役割フレーム: F`) a role of
/// frame F, any other Set of codes a role of the frame [`OTHER_SETS_FRAME`]. Returns the frames
/// and, per Set with sources (MAXQDA document groups), its name and member source GUIDs.
pub fn read_sets(
    reading: &mut Reading,
    sets: Option<&Element>,
) -> (Vec<ExchangeFrame>, Vec<(String, Vec<String>)>) {
    let mut frames: BTreeMap<String, Vec<ExchangeRole>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut groups = Vec::new();
    for set in sets.into_iter().flat_map(|sets| sets.children_named("Set")) {
        let name = set.attribute("name").unwrap_or_default().trim().to_owned();
        let description = set.child_text("Description").unwrap_or_default().trim();
        let members: Vec<String> = set
            .children_named("MemberCode")
            .filter_map(|m| m.attribute("targetGUID").or_else(|| m.attribute("guid")))
            .map(crate::export::qdpx::guids::normalized)
            .filter(|guid| {
                let known = reading.code_names.contains_key(guid);
                if !known {
                    reading.warn(format!(
                        "set '{name}' names an unknown code {guid}; dropped"
                    ));
                }
                known
            })
            .collect();
        let sources: Vec<String> = set
            .children_named("MemberSource")
            .filter_map(|m| m.attribute("targetGUID"))
            .map(crate::export::qdpx::guids::normalized)
            .collect();
        let notes = set.children_named("MemberNote").count();
        if notes > 0 {
            reading.warn(format!(
                "set '{name}': {notes} member notes dropped (casecode has no sets of notes)"
            ));
        }
        if name.is_empty() {
            reading.warn("a set without a name was dropped".to_owned());
            continue;
        }
        if !members.is_empty() || sources.is_empty() {
            let frame = match description.strip_prefix(ROLE_SET_PREFIX.trim_end()) {
                Some(frame) if !frame.trim().is_empty() => frame.trim().to_owned(),
                _ => OTHER_SETS_FRAME.to_owned(),
            };
            if !frames.contains_key(&frame) {
                order.push(frame.clone());
            }
            frames.entry(frame).or_default().push(ExchangeRole {
                name: name.clone(),
                code_guids: members,
            });
        }
        if !sources.is_empty() {
            groups.push((name, sources));
        }
    }
    let frames = order
        .into_iter()
        .filter_map(|name| {
            frames
                .remove(&name)
                .map(|roles| ExchangeFrame { name, roles })
        })
        .collect();
    (frames, groups)
}
