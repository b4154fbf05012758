//! What a command touches, for per-coder undo on a team server: undoing your command is
//! refused when a later command of another coder used what yours made or changed.
//!
//! A footprint is read from the serialized command and its inverse, so that every command,
//! present and future, has one without a hand-written list per command:
//! - the `id` of every row they carry (a coding, a code, a document …, named by the list or the
//!   low-level command that holds it), the ids in key lists (`codings: [12, 13]`,
//!   `coding_ids`), and the first element of each pair in the low-level pair lists
//!   (`ReassignCodings [[coding, code]]`) are what the command *makes or changes*: its primary
//!   keys;
//! - every id it names (`code_id`, `document_id`, a pair's other elements …) and every GUID is
//!   something it *uses*.
//!
//! Command B depends on command A when B uses (or changes) something A made or changed:
//! `A.primary ∩ B.all ≠ ∅`. Two coders coding with the same code do not depend on each other
//! (the code is only used); coding with a code someone just created does.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Command;

/// The keys (`coding:12`, `code:3`, `guid:…`) a command makes or changes, and all it names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footprint {
    pub primary: BTreeSet<String>,
    pub all: BTreeSet<String>,
}

impl Footprint {
    /// The footprint of `command`, whose inverse is `inverse`.
    pub fn of(command: &Command, inverse: &Command) -> Footprint {
        let mut footprint = Footprint::default();
        for value in [
            serde_json::to_value(command).unwrap_or(Value::Null),
            serde_json::to_value(inverse).unwrap_or(Value::Null),
        ] {
            walk(&value, None, &mut footprint);
        }
        footprint.all.extend(footprint.primary.iter().cloned());
        footprint
    }

    /// True when `later` uses or changes something this footprint made or changed.
    pub fn is_used_by(&self, later: &Footprint) -> bool {
        self.primary.iter().any(|key| later.all.contains(key))
    }

    /// As stored on the undo stack.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// As read back; an empty or unreadable text is the empty footprint.
    pub fn from_json(json: &str) -> Footprint {
        serde_json::from_str(json).unwrap_or_default()
    }
}

/// The row kind a list, field or low-level command holds: `codings` → `coding`.
fn kind_of(name: &str) -> Option<&'static str> {
    let kind = match name {
        "codings" | "coding_ids" | "coding_id" | "Coding" | "ReassignCodings" | "SetExemplars"
        | "SetCodingMemos" | "SetCodingSpans" => "coding",
        "codes" | "code_ids" | "code_id" | "Code" | "UpdateCodes" | "SetCodeRoles"
        | "parent_id" => "code",
        "documents" | "document_id" | "document_ids" | "Document" => "document",
        "cases" | "case_id" | "case_ids" | "Case" | "SetAttributeValues" => "case",
        "attributes" | "attribute_id" | "UpdateAttributes" => "attribute",
        "frames" | "frame_id" => "frame",
        "roles" | "role_id" | "role_ids" => "role",
        "summaries" | "summary_id" | "summary_ids" | "ReplaceSummary" => "summary",
        "coders" | "coder_id" | "SetCoders" => "coder",
        "orphans" | "orphan_id" | "orphan_ids" | "InsertOrphans" | "RemoveOrphans"
        | "DeleteOrphans" => "orphan",
        "SetCellStates" => "case",
        _ => return None,
    };
    Some(kind)
}

/// The kinds of the elements after the first in a low-level command's pairs.
fn pair_kinds(holder: &str) -> &'static [&'static str] {
    match holder {
        "ReassignCodings" => &["code"],
        "SetCellStates" => &["code"],
        "SetAttributeValues" => &["attribute"],
        "SetCodeRoles" => &["role"],
        // `CoderReferences`: codings, summaries and journal lines pointed at coders.
        "codings" | "summaries" => &["coder"],
        _ => &[],
    }
}

fn key(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

fn walk(value: &Value, holder: Option<&str>, out: &mut Footprint) {
    match value {
        Value::Object(map) => {
            for (field, inner) in map {
                match (field.as_str(), inner) {
                    ("id", Value::Number(number)) => {
                        if let (Some(kind), Some(id)) = (holder.and_then(kind_of), number.as_i64())
                        {
                            out.primary.insert(key(kind, id));
                        }
                    }
                    // `{"Coding": 12}`: a memo target and the like, the row itself.
                    (name, Value::Number(number)) if name.starts_with(char::is_uppercase) => {
                        if let (Some(kind), Some(id)) = (kind_of(name), number.as_i64()) {
                            out.primary.insert(key(kind, id));
                        }
                    }
                    (name, Value::Number(number)) if name.ends_with("_id") => {
                        if let (Some(kind), Some(id)) = (kind_of(name), number.as_i64()) {
                            out.all.insert(key(kind, id));
                        }
                    }
                    (name, Value::String(guid)) if name == "guid" || name.ends_with("_guid") => {
                        out.all.insert(format!("guid:{guid}"));
                    }
                    (name, Value::Array(items)) if name.ends_with("_ids") => {
                        if let Some(kind) = kind_of(name) {
                            for id in items.iter().filter_map(Value::as_i64) {
                                out.primary.insert(key(kind, id));
                            }
                        }
                    }
                    // `codings: [12, 13]` in a list of keys: the rows themselves.
                    (name, Value::Array(items)) if items.iter().all(Value::is_i64) => {
                        if let Some(kind) = kind_of(name) {
                            for id in items.iter().filter_map(Value::as_i64) {
                                out.primary.insert(key(kind, id));
                            }
                        }
                    }
                    (name, inner) => {
                        let holder =
                            if kind_of(name).is_some() || name.starts_with(char::is_uppercase) {
                                Some(name)
                            } else {
                                holder
                            };
                        walk(inner, holder, out);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    // A pair list of a low-level command: the first element is the row changed.
                    Value::Array(pair) if holder.and_then(kind_of).is_some() => {
                        let kind = holder.and_then(kind_of).unwrap_or_default();
                        if let Some(id) = pair.first().and_then(Value::as_i64) {
                            out.primary.insert(key(kind, id));
                        }
                        let kinds = holder.map_or(&[][..], pair_kinds);
                        for (index, rest) in pair.iter().skip(1).enumerate() {
                            match (kinds.get(index), rest) {
                                (Some(kind), Value::Number(number)) => {
                                    if let Some(id) = number.as_i64() {
                                        out.all.insert(key(kind, id));
                                    }
                                }
                                (Some(kind), Value::Array(ids)) => {
                                    for id in ids.iter().filter_map(Value::as_i64) {
                                        out.all.insert(key(kind, id));
                                    }
                                }
                                _ => walk(rest, None, out),
                            }
                        }
                    }
                    Value::Number(number) => {
                        if let (Some(kind), Some(id)) = (holder.and_then(kind_of), number.as_i64())
                        {
                            out.primary.insert(key(kind, id));
                        }
                    }
                    other => walk(other, holder, out),
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CodeId, CodingId, RowKeys};

    fn footprint(command: Command, inverse: Command) -> Footprint {
        Footprint::of(&command, &inverse)
    }

    #[test]
    fn coding_with_a_code_uses_it_and_recoding_changes_the_coding() {
        let recode = footprint(
            Command::ReassignCodings(vec![(CodingId(12), CodeId(3))]),
            Command::ReassignCodings(vec![(CodingId(12), CodeId(5))]),
        );
        assert!(recode.primary.contains("coding:12"));
        assert!(recode.all.contains("code:3") && recode.all.contains("code:5"));
        assert!(!recode.primary.contains("code:3"));
        let deleted = footprint(
            Command::RemoveCodings {
                coding_ids: vec![CodingId(12)],
            },
            Command::DeleteRows(RowKeys {
                codings: vec![CodingId(12)],
                ..RowKeys::default()
            }),
        );
        assert!(deleted.primary.contains("coding:12"));
        assert!(recode.is_used_by(&deleted));
        let memo = footprint(
            Command::SetCodingMemo {
                coding_id: CodingId(13),
                memo: "確認".to_owned(),
            },
            Command::SetCodingMemos(vec![(CodingId(13), String::new())]),
        );
        assert!(!recode.is_used_by(&memo), "another coding is independent");
        assert!(memo.primary.contains("coding:13"));
        let back = Footprint::from_json(&memo.to_json());
        assert_eq!(back, memo);
    }
}
