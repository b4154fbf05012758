//! GUIDs for REFI-QDA objects that casecode does not keep as rows of their own: users (coders),
//! text selections (one per coded span), the notes that carry memos, and summary links.
//!
//! They are name-based UUIDs (version 5) derived from a stored GUID or a name, so every export
//! of the same project writes the same GUIDs without storing anything new: a selection of
//! document `D` at `[120, 176)` coded by 山田 is always `v5(D, "selection:120:176:山田")`.

use uuid::Uuid;

/// casecode's own namespace for names that have no stored GUID (coders, role sets).
const NAMESPACE: Uuid = Uuid::from_u128(0x5a0c_43de_7c1b_4f0e_9d2a_c45e_c0de_0001);

fn derived(base: &str, what: &str) -> String {
    let namespace = Uuid::parse_str(base).unwrap_or(NAMESPACE);
    Uuid::new_v5(&namespace, what.as_bytes()).to_string()
}

/// The user that stands for a coder name.
pub fn user(name: &str) -> String {
    derived("", &format!("user:{name}"))
}

/// A coder's selection of a document's span `[start, end)`; `nth` > 0 for that coder's further
/// selections of the same span (codings with different memos).
pub fn selection(document_guid: &str, start: usize, end: usize, coder: &str, nth: usize) -> String {
    selection_uuid(document_guid, start, end, coder, nth).to_string()
}

/// [`selection`] as a UUID (to compare with a file's GUID without formatting either).
pub fn selection_uuid(
    document_guid: &str,
    start: usize,
    end: usize,
    coder: &str,
    nth: usize,
) -> Uuid {
    let namespace = Uuid::parse_str(document_guid).unwrap_or(NAMESPACE);
    let name = match nth {
        0 => format!("selection:{start}:{end}:{coder}"),
        nth => format!("selection:{start}:{end}:{coder}:{nth}"),
    };
    Uuid::new_v5(&namespace, name.as_bytes())
}

/// The note that carries the memo of a code, document or coding.
pub fn memo_note(owner_guid: &str) -> String {
    derived(owner_guid, "memo")
}

/// A link from a note (a summary) to something it refers to.
pub fn link(origin_guid: &str, target_guid: &str) -> String {
    derived(origin_guid, &format!("link:{target_guid}"))
}

/// The set that stands for a role of a role frame.
pub fn role_set(frame: &str, role: &str) -> String {
    derived("", &format!("role:{frame}/{role}"))
}

/// The one note that marks exemplar codings (代表的語り): each exemplar Coding refers to it.
pub fn exemplar_note() -> String {
    derived("", "exemplar")
}

/// A GUID as compared: lower case, without braces (`{…}` is allowed by the schema).
pub fn normalized(guid: &str) -> String {
    guid.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_guids_are_stable_and_distinct() {
        let document = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let by = |start, end, coder, nth| selection(document, start, end, coder, nth);
        assert_eq!(by(1, 5, "山田", 0), by(1, 5, "山田", 0));
        assert_ne!(by(1, 5, "山田", 0), by(1, 6, "山田", 0));
        assert_ne!(by(1, 5, "山田", 0), by(1, 5, "鈴木", 0));
        assert_ne!(by(1, 5, "山田", 0), by(1, 5, "山田", 1));
        assert_ne!(user("佐藤"), user("鈴木"));
        assert_eq!(
            normalized("{0F8FAD5B-D9CB-469F-A165-70867728950E}"),
            document
        );
    }
}
