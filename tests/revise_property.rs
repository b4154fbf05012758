//! Property: random revisions of a coded transcript. After each revision every coding's stored
//! text, every orphan and every 要確認 flag equal what an independent reference computes by
//! following each character (which old characters survive, which inserted ones a coding takes
//! in), not by the interval arithmetic of `revise::anchor`. Orphans are re-attached and deleted
//! in between; undoing everything restores the project exactly, redoing everything restores
//! the end state.

use std::collections::{BTreeMap, BTreeSet};

use casecode::command::{Command, NewCoding, NewDocument};
use casecode::model::{CodeId, CodingId, DocumentId};
use casecode::project::Project;
use casecode::revise::{TextEdit, apply_edits};
use proptest::prelude::*;

/// Characters of the random texts: kana, kanji, a non-BMP 𠮷, line ends and ○.
const ALPHABET: &[char] = &['あ', 'い', 'う', '山', '田', '𠮷', '\n', '○', 'Ａ', '：'];

#[derive(Clone, Debug)]
enum Op {
    /// Edits as (gap before, deleted length, inserted text) from left to right.
    Revise(Vec<(usize, usize, Vec<usize>)>),
    Reattach {
        orphan: usize,
        start: usize,
        len: usize,
    },
    DeleteOrphan(usize),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => prop::collection::vec(
            (0usize..12, 0usize..6, prop::collection::vec(0usize..ALPHABET.len(), 0..4)),
            1..5
        )
        .prop_map(Op::Revise),
        1 => (any::<usize>(), 0usize..40, 1usize..6)
            .prop_map(|(orphan, start, len)| Op::Reattach { orphan, start, len }),
        1 => any::<usize>().prop_map(Op::DeleteOrphan),
        1 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

/// Turns (gap, deleted, inserted) triples into valid edits of a text of `chars` code points;
/// `None` when they change nothing.
fn edits_of(raw: &[(usize, usize, Vec<usize>)], chars: usize) -> Option<Vec<TextEdit>> {
    let mut edits: Vec<TextEdit> = Vec::new();
    let mut position = 0usize;
    for (gap, deleted, inserted) in raw {
        let start = (position + gap).min(chars);
        let end = (start + deleted).min(chars);
        let text: String = inserted.iter().map(|i| ALPHABET[*i]).collect();
        if start == end && text.is_empty() {
            continue;
        }
        if let Some(last) = edits.last()
            && (start < last.end || (last.start == last.end && start == end && start == last.end))
        {
            continue;
        }
        edits.push(TextEdit { start, end, text });
        position = end;
    }
    (!edits.is_empty()).then_some(edits)
}

/// Where one character of the new text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    Old(usize),
    Inserted(usize),
}

/// The reference: for each coding (by id) its new text or `None` for an orphan, and whether it
/// is flagged. A coding keeps its surviving old characters and the text of edits that lie
/// within it (an insertion strictly inside, a replacement of part of its own text, or of
/// exactly its text); it is flagged when an edit takes only part of it, or when none of its
/// own characters survive. Of two codings of one code and coder landing on one span, the later
/// one is an orphan.
fn reference(
    old: &str,
    edits: &[TextEdit],
    codings: &[(CodingId, CodeId, String, usize, usize)],
) -> BTreeMap<CodingId, (Option<String>, bool)> {
    let old_chars: Vec<char> = old.chars().collect();
    let mut origins: Vec<(Origin, char)> = Vec::new();
    let mut next = 0usize;
    for (index, edit) in edits.iter().enumerate() {
        for (i, c) in old_chars.iter().enumerate().take(edit.start).skip(next) {
            origins.push((Origin::Old(i), *c));
        }
        for c in edit.text.chars() {
            origins.push((Origin::Inserted(index), c));
        }
        next = edit.end;
    }
    for (i, c) in old_chars.iter().enumerate().skip(next) {
        origins.push((Origin::Old(i), *c));
    }
    let mut taken = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (coding_id, code_id, coder, s, e) in codings {
        let (s, e) = (*s, *e);
        let within = |edit: &TextEdit| {
            if edit.start == edit.end {
                s < edit.start && edit.start < e
            } else {
                s <= edit.start && edit.end <= e
            }
        };
        let kept: Vec<usize> = origins
            .iter()
            .enumerate()
            .filter(|(_, (origin, _))| match origin {
                Origin::Old(i) => s <= *i && *i < e,
                Origin::Inserted(index) => within(&edits[*index]),
            })
            .map(|(position, _)| position)
            .collect();
        let survivors = origins
            .iter()
            .filter(|(origin, _)| matches!(origin, Origin::Old(i) if s <= *i && *i < e))
            .count();
        let partial = edits.iter().any(|edit| {
            edit.start < edit.end
                && ((edit.start < s && s < edit.end && edit.end < e)
                    || (s < edit.start && edit.start < e && e < edit.end))
        });
        let result = match (kept.first(), kept.last()) {
            (Some(first), Some(last)) => {
                let key = (*code_id, coder.clone(), *first, *last);
                if taken.insert(key) {
                    let text: String = origins[*first..=*last].iter().map(|(_, c)| *c).collect();
                    (Some(text), partial || survivors == 0)
                } else {
                    (None, false)
                }
            }
            _ => (None, false),
        };
        out.insert(*coding_id, result);
    }
    out
}

/// Every coding as (id, code, coder, start, end), by id.
fn codings_of(project: &Project) -> Vec<(CodingId, CodeId, String, usize, usize)> {
    let mut codings: Vec<_> = project
        .read()
        .codings()
        .expect("codings")
        .into_iter()
        .map(|c| (c.id, c.code_id, c.coder, c.span.start, c.span.end))
        .collect();
    codings.sort();
    codings
}

fn text(project: &Project, document_id: DocumentId) -> String {
    project
        .read()
        .document_text(document_id)
        .expect("text")
        .expect("some")
}

/// Stored text of each coding, by id.
fn stored(project: &Project, document_id: DocumentId) -> BTreeMap<CodingId, String> {
    let chars: Vec<char> = text(project, document_id).chars().collect();
    codings_of(project)
        .into_iter()
        .map(|(id, _, _, s, e)| (id, chars[s..e].iter().collect()))
        .collect()
}

fn flagged(project: &Project) -> BTreeSet<CodingId> {
    let guids: BTreeSet<String> = project
        .read()
        .coding_reviews()
        .expect("reviews")
        .into_iter()
        .map(|r| r.coding_guid)
        .collect();
    project
        .read()
        .codings()
        .expect("codings")
        .into_iter()
        .filter(|c| guids.contains(&c.guid))
        .map(|c| c.id)
        .collect()
}

/// A project with the text as document D and codings on the given spans; also the dump of the
/// project as created, before any command.
fn setup(
    path: &std::path::Path,
    text: &str,
    spans: &[(usize, usize, usize)],
) -> (Project, DocumentId, String) {
    let mut project = Project::create(path).expect("create");
    let empty = project.read().dump().expect("dump");
    project
        .execute(Command::ImportDocuments {
            documents: vec![NewDocument {
                name: "D".to_owned(),
                case_name: "C".to_owned(),
                text: text.to_owned(),
                encoding: "utf-8".to_owned(),
                source_path: "D.txt".to_owned(),
                utterances: Vec::new(),
                metadata: Default::default(),
            }],
        })
        .expect("import");
    for name in ["a", "b"] {
        project
            .execute(Command::AddCode {
                parent_id: None,
                name: name.to_owned(),
                definition: String::new(),
                color: None,
                roles: Vec::new(),
            })
            .expect("code");
    }
    let document_id = project.document_named("D").expect("D").id;
    let codes: Vec<CodeId> = project
        .read()
        .codes()
        .expect("codes")
        .iter()
        .map(|c| c.id)
        .collect();
    let chars = text.chars().count();
    for (start, len, code) in spans {
        let start = start % chars;
        let end = (start + len).min(chars);
        if start >= end {
            continue;
        }
        // Duplicates are refused; that is fine, the rest are coded.
        let _ = project.execute(Command::AddCodings {
            codings: vec![NewCoding {
                document_id,
                code_id: codes[code % codes.len()],
                start,
                end,
                coder: "山田".to_owned(),
                memo: format!("メモ{start}"),
            }],
        });
    }
    (project, document_id, empty)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn revisions_reanchor_like_the_reference_and_undo_restores_everything(
        text in prop::collection::vec(0usize..ALPHABET.len(), 20..60),
        spans in prop::collection::vec((0usize..60, 1usize..12, 0usize..2), 1..10),
        ops in prop::collection::vec(op(), 1..8),
    ) {
        let text: String = text.iter().map(|i| ALPHABET[*i]).collect();
        let dir = tempfile::tempdir().expect("dir");
        let (mut project, document_id, empty) = setup(&dir.path().join("p.casecode"), &text, &spans);
        for op in &ops {
            match op {
                Op::Revise(raw) => {
                    let old = super_text(&project, document_id);
                    let Some(edits) = edits_of(raw, old.chars().count()) else { continue };
                    let before = codings_of(&project);
                    let flagged_before = flagged(&project);
                    let memos: BTreeMap<CodingId, String> = project.read().codings().expect("codings")
                        .into_iter().map(|c| (c.id, c.memo)).collect();
                    let orphans_before = project.read().orphans().expect("orphans").len();
                    let dump_before = project.read().dump().expect("dump");
                    let expected = reference(&old, &edits, &before);
                    project.execute(Command::ReviseDocument {
                        document_id,
                        edits: edits.clone(),
                        utterances: None,
                    }).expect("revise");
                    prop_assert_eq!(super_text(&project, document_id), apply_edits(&old, &edits));
                    let stored = stored(&project, document_id);
                    let flags = flagged(&project);
                    let mut orphaned = 0;
                    for (coding_id, (text, flag)) in &expected {
                        match text {
                            Some(text) => {
                                prop_assert_eq!(stored.get(coding_id), Some(text), "coding {}", coding_id);
                                let was = flagged_before.contains(coding_id);
                                prop_assert_eq!(flags.contains(coding_id), *flag || was, "flag of coding {}", coding_id);
                            }
                            None => {
                                prop_assert!(!stored.contains_key(coding_id), "coding {} should be an orphan", coding_id);
                                orphaned += 1;
                            }
                        }
                    }
                    let orphans = project.read().orphans().expect("orphans");
                    prop_assert_eq!(orphans.len(), orphans_before + orphaned);
                    // An orphan keeps its old text and memo.
                    for orphan in &orphans[orphans_before..] {
                        let (_, _, _, s, e) = before.iter().find(|c| c.0 == orphan.coding.id).expect("was a coding");
                        let old_text: String = old.chars().skip(*s).take(e - s).collect();
                        prop_assert_eq!(&orphan.old_text, &old_text);
                        prop_assert_eq!(Some(&orphan.coding.memo), memos.get(&orphan.coding.id));
                    }
                    // Undo restores the old text and every coding exactly; redo the revision.
                    let dump_after = project.read().dump().expect("dump");
                    project.undo().expect("undo");
                    prop_assert_eq!(project.read().dump().expect("dump"), dump_before);
                    project.redo().expect("redo");
                    prop_assert_eq!(project.read().dump().expect("dump"), dump_after);
                }
                Op::Reattach { orphan, start, len } => {
                    let orphans = project.read().orphans().expect("orphans");
                    if orphans.is_empty() { continue; }
                    let chars = super_text(&project, document_id).chars().count();
                    let start = start % chars.max(1);
                    let before = project.read().dump().expect("dump");
                    let result = project.execute(Command::ReattachOrphan {
                        orphan_id: orphans[orphan % orphans.len()].id,
                        start,
                        end: (start + len).min(chars),
                    });
                    if result.is_err() {
                        prop_assert_eq!(project.read().dump().expect("dump"), before);
                    }
                }
                Op::DeleteOrphan(orphan) => {
                    let orphans = project.read().orphans().expect("orphans");
                    if orphans.is_empty() { continue; }
                    project.execute(Command::DeleteOrphans {
                        orphan_ids: vec![orphans[orphan % orphans.len()].id],
                    }).expect("delete orphan");
                }
                Op::Undo => { project.undo().expect("undo"); }
                Op::Redo => { project.redo().expect("redo"); }
            }
        }
        while project.redo().expect("redo").is_some() {}
        let end = project.read().dump().expect("dump");
        while project.undo().expect("undo").is_some() {}
        prop_assert_eq!(project.read().dump().expect("dump"), empty);
        while project.redo().expect("redo").is_some() {}
        prop_assert_eq!(project.read().dump().expect("dump"), end);
        prop_assert_eq!(project.integrity_check().expect("check"), "ok");
    }
}

fn super_text(project: &Project, document_id: DocumentId) -> String {
    text(project, document_id)
}
