//! The workbench keeps one search index in memory for the whole corpus. After a researcher
//! revises one transcript (a mis-heard word corrected in the editor), the index takes the new
//! text of that document only: the next search finds the corrected word at its new offsets with
//! its citation, no longer finds the old one, and every other document is neither read nor
//! folded again. Undo brings the old text back the same way.

use casecode::command::Command;
use casecode::corpus::{Hit, SearchIndex, SearchMode};
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::project::Project;
use casecode::revise::diff_texts;

const A: &str = "Ｉ：お仕事で大変なことは？\nＡ：医療的ケア児の家族支援がむずかしいです。\n";
const B: &str = "Ｉ：夜はどうですか？\nＢ：家族が眠れない日が続きます。\n";
const C: &str = "Ｉ：地域はどうですか？\nＣ：資源が足りないです。\n";

fn project(dir: &std::path::Path) -> Project {
    let mut documents = Vec::new();
    for (name, text) in [("A", A), ("B", B), ("C", C)] {
        let file = dir.join(format!("{name}.txt"));
        std::fs::write(&file, text).expect("write");
        documents.push(read_transcript(&file, &TxtOptions::default()).expect("read"));
    }
    let mut project = Project::create(&dir.join("p.casecode")).expect("create");
    project
        .execute(Command::ImportDocuments { documents })
        .expect("import");
    project
}

/// (document, start, end, text, citation) of every hit.
fn found(
    index: &SearchIndex,
    project: &Project,
    query: &str,
) -> Vec<(String, usize, usize, String, Option<String>)> {
    (index.search(project, query, SearchMode::Substring, None))
        .expect("search")
        .into_iter()
        .map(|hit: Hit| (hit.document, hit.start, hit.end, hit.text, hit.utterance))
        .collect()
}

#[test]
fn a_revised_transcript_is_searched_in_its_new_text_and_only_it_is_read_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = project(dir.path());
    let mut index = SearchIndex::build(&project).expect("index");
    assert_eq!(
        found(&index, &project, "家族"),
        vec![
            (
                "A".to_owned(),
                23,
                25,
                "家族".to_owned(),
                Some("A-2".to_owned())
            ),
            (
                "B".to_owned(),
                13,
                15,
                "家族".to_owned(),
                Some("B-2".to_owned())
            ),
        ]
    );
    assert_eq!(
        index.refresh(&project).expect("refresh"),
        0,
        "nothing changed"
    );

    // 「医療的ケア児の家族」 is corrected to 「医療的ケアが必要な子どもの家族」 in A.
    let a = project.document_named("A").expect("A").id;
    let revised = A.replacen("医療的ケア児", "医療的ケアが必要な子ども", 1);
    project
        .execute(Command::ReviseDocument {
            document_id: a,
            edits: diff_texts(A, &revised),
            utterances: None,
        })
        .expect("revise");
    assert_eq!(
        index.refresh(&project).expect("refresh"),
        1,
        "only A is read again"
    );
    assert_eq!(
        found(&index, &project, "家族"),
        vec![
            (
                "A".to_owned(),
                29,
                31,
                "家族".to_owned(),
                Some("A-2".to_owned())
            ),
            (
                "B".to_owned(),
                13,
                15,
                "家族".to_owned(),
                Some("B-2".to_owned())
            ),
        ],
        "A's hit moved with the text; B's did not"
    );
    assert_eq!(
        found(&index, &project, "子ども"),
        vec![(
            "A".to_owned(),
            25,
            28,
            "子ども".to_owned(),
            Some("A-2".to_owned())
        )]
    );
    assert!(
        found(&index, &project, "ケア児").is_empty(),
        "the old word is gone"
    );

    // Undo: A's old text is back, again by reading A alone.
    project.undo().expect("undo");
    assert_eq!(index.refresh(&project).expect("refresh"), 1);
    assert_eq!(
        found(&index, &project, "ケア児"),
        vec![(
            "A".to_owned(),
            19,
            22,
            "ケア児".to_owned(),
            Some("A-2".to_owned())
        )]
    );
    assert!(found(&index, &project, "子ども").is_empty());

    // The refreshed index answers as one built from scratch does.
    let rebuilt = SearchIndex::build(&project).expect("index");
    for query in ["家族", "眠れない", "資源", "ど"] {
        assert_eq!(
            found(&index, &project, query),
            found(&rebuilt, &project, query),
            "{query}"
        );
    }
}
