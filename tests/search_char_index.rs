//! A researcher searches a large project from the command line, and the answer comes from the
//! stored character index instead of a scan of every text (issue 17). The index must never
//! change an answer: for every query — one and two characters, full- and half-width forms,
//! kana and case folding, a hit across a line break — the hits (document, offsets, text,
//! citation, order) are exactly the scan's, before the index exists, after it is stored, and
//! after the texts change by editing, revising, replacing, undo and redo.

mod common;

use casecode::command::Command;
use casecode::corpus::{Hit, IndexedSearch, SearchMode, search};
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::project::Project;
use casecode::revise::{TextEdit, diff_texts};
use common::Sandbox;

/// The scan's answer (the search every other path uses).
fn scanned(project: &Project, query: &str) -> Vec<Hit> {
    search(project, query, SearchMode::Substring, None).expect("scan")
}

/// The indexed answer, and how many documents that search had to scan and indexed.
fn indexed(project: &mut Project, query: &str) -> (Vec<Hit>, usize) {
    let mut found = IndexedSearch::run(project, query).expect("indexed search");
    let stored = found.store(project).expect("store the index");
    (found.hits, stored)
}

fn same_answers(project: &mut Project, queries: &[String]) {
    for query in queries {
        let (hits, _) = indexed(project, query);
        assert_eq!(hits, scanned(project, query), "query {query:?}");
    }
}

/// Queries drawn from the texts themselves: every distinct character of the first document,
/// and two-, three- and five-character pieces (line breaks included) taken along every text.
fn queries_from(project: &Project) -> Vec<String> {
    let reader = project.read();
    let mut queries = std::collections::BTreeSet::new();
    for (position, info) in reader
        .document_infos()
        .expect("documents")
        .iter()
        .enumerate()
    {
        let text: Vec<char> = reader
            .document_text(info.id)
            .expect("text")
            .unwrap_or_default()
            .chars()
            .collect();
        if position == 0 {
            queries.extend(text.iter().map(|c| c.to_string()));
        }
        for length in [2, 3, 5] {
            for start in (0..text.len().saturating_sub(length)).step_by(97) {
                queries.insert(text[start..start + length].iter().collect::<String>());
            }
        }
    }
    queries.extend(
        [
            "ＮＩＣＵ",
            "nicu",
            "ｹｱ",
            "ケア",
            "a：",
            "Ａ：",
            "a:",
            "。\n",
            "\n",
            "（笑）",
            "(笑)",
            "医ケア児",
            "1",
            "①",
            "Ｉ",
            "i",
            "ー",
            "、",
        ]
        .map(str::to_owned),
    );
    queries
        .into_iter()
        .filter(|q| !q.trim().is_empty())
        .collect()
}

#[test]
fn the_character_index_answers_exactly_as_the_scan_on_the_sample_study() {
    let sandbox = Sandbox::new();
    let path = sandbox.sample_project();
    if Sandbox::on_server() {
        return; // A server project is scanned: nothing to compare.
    }
    let mut project = Project::open(&path).expect("open");
    let documents = project.read().document_infos().expect("documents").len();
    let queries = queries_from(&project);
    assert!(queries.len() > 300, "{} queries", queries.len());

    // The first search finds no index: it scans every document and indexes it.
    let (hits, stored) = indexed(&mut project, "支援");
    assert_eq!(
        stored, documents,
        "every document indexed by the first search"
    );
    assert_eq!(hits, scanned(&project, "支援"));
    assert!(hits.len() > 10 && hits.iter().all(|hit| hit.text == "支援"));

    // From now on every answer comes from the index, and is the scan's.
    same_answers(&mut project, &queries);
    let (_, stored) = indexed(&mut project, "支援");
    assert_eq!(stored, 0, "nothing left to index");
}

/// A project of one document per text.
fn project_of(dir: &std::path::Path, texts: &[(&str, &str)]) -> Project {
    let mut documents = Vec::new();
    for (name, text) in texts {
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
fn spans(hits: &[Hit]) -> Vec<(&str, usize, usize, &str, Option<&str>)> {
    hits.iter()
        .map(|hit| {
            (
                hit.document.as_str(),
                hit.start,
                hit.end,
                hit.text.as_str(),
                hit.utterance.as_deref(),
            )
        })
        .collect()
}

#[test]
fn folded_forms_one_character_terms_and_line_breaks_are_found_at_their_stored_offsets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "Ｉ：𠮷田さん、ＮＩＣＵの話を。\nＡ：ｶﾞｲﾄﾞﾍﾙﾊﾟｰと㈱ケアの①番、nicu。\nああああ\n";
    let mut project = project_of(dir.path(), &[("X", text), ("Y", "Ｉ：児。\n")]);
    let queries: Vec<String> = [
        "児",
        "𠮷",
        "nicu",
        "ＮＩＣＵ",
        "ガイド",
        "ｶﾞ",
        "(株)",
        "株",
        "1",
        "①番",
        "。\nＡ",
        "ああ",
        "i：",
        "：",
        "ー",
        "と㈱ケ",
        "x",
        "の話を。\nａ：ガ",
        "を。",
    ]
    .map(str::to_owned)
    .to_vec();
    indexed(&mut project, "児");
    same_answers(&mut project, &queries);
    // What the researcher sees, spelled out.
    let (hits, _) = indexed(&mut project, "nicu");
    assert_eq!(
        spans(&hits),
        [
            ("X", 7, 11, "ＮＩＣＵ", Some("X-1")),
            ("X", 36, 40, "nicu", Some("X-2"))
        ]
    );
    let (hits, _) = indexed(&mut project, "ガイド");
    assert_eq!(spans(&hits), [("X", 18, 23, "ｶﾞｲﾄﾞ", Some("X-2"))]);
    let (hits, _) = indexed(&mut project, "を。\nａ");
    assert_eq!(spans(&hits), [("X", 13, 17, "を。\nＡ", Some("X-1"))]);
    let (hits, _) = indexed(&mut project, "ああ");
    assert_eq!(
        spans(&hits),
        [
            ("X", 42, 44, "ああ", Some("X-2")),
            ("X", 43, 45, "ああ", Some("X-2")),
            ("X", 44, 46, "ああ", Some("X-2"))
        ]
    );
    let (hits, _) = indexed(&mut project, "株");
    assert_eq!(spans(&hits), [("X", 29, 30, "㈱", Some("X-2"))]);
}

const A: &str = "Ｉ：お仕事で大変なことは？\nＡ：医療的ケア児の家族支援がむずかしいです。\n";
const B: &str = "Ｉ：夜はどうですか？\nＢ：家族が眠れない日が続きます。\n";
const C: &str = "Ｉ：地域はどうですか？\nＣ：資源が足りないです。\n";

#[test]
fn the_index_follows_every_change_of_a_text_and_its_undo_and_redo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = project_of(dir.path(), &[("A", A), ("B", B), ("C", C)]);
    let queries: Vec<String> = [
        "家族",
        "ケア児",
        "子ども",
        "○○",
        "資源",
        "ど",
        "。\nａ",
        "眠る",
    ]
    .map(str::to_owned)
    .to_vec();
    assert_eq!(indexed(&mut project, "家族").1, 3);
    let a = project.document_named("A").expect("A").id;
    let c = project.document_named("C").expect("C").id;

    // A revision (保存 in the editor, 取り込む): only A is scanned and indexed again.
    let revised = A.replacen("医療的ケア児", "医療的ケアが必要な子ども", 1);
    project
        .execute(Command::ReviseDocument {
            document_id: a,
            edits: diff_texts(A, &revised),
            utterances: None,
        })
        .expect("revise");
    let (hits, stored) = indexed(&mut project, "子ども");
    assert_eq!(stored, 1, "only the revised document is read again");
    assert_eq!(spans(&hits), [("A", 25, 28, "子ども", Some("A-2"))]);
    assert!(
        indexed(&mut project, "ケア児").0.is_empty(),
        "the old word is gone"
    );
    same_answers(&mut project, &queries);

    // Undo brings the old text back; redo the new one: the index follows both.
    project.undo().expect("undo");
    assert_eq!(
        spans(&indexed(&mut project, "ケア児").0),
        [("A", 19, 22, "ケア児", Some("A-2"))]
    );
    assert!(indexed(&mut project, "子ども").0.is_empty());
    same_answers(&mut project, &queries);
    project.redo().expect("redo");
    assert!(indexed(&mut project, "ケア児").0.is_empty());
    same_answers(&mut project, &queries);

    // Replacing across documents (anonymising) and a plain edit of one text.
    project
        .execute(Command::ReplaceText {
            find: "家族".to_owned(),
            with: "○○".to_owned(),
            document_ids: None,
        })
        .expect("replace");
    assert!(indexed(&mut project, "家族").0.is_empty());
    assert_eq!(indexed(&mut project, "○○").0.len(), 2);
    same_answers(&mut project, &queries);
    project
        .execute(Command::EditText {
            document_id: c,
            edits: vec![TextEdit {
                start: 14,
                end: 16,
                text: "人手".to_owned(),
            }],
        })
        .expect("edit");
    assert!(indexed(&mut project, "資源").0.is_empty());
    assert_eq!(
        spans(&indexed(&mut project, "人手").0),
        [("C", 14, 16, "人手", Some("C-2"))]
    );
    same_answers(&mut project, &queries);
    project.undo().expect("undo the edit");
    project.undo().expect("undo the replacement");
    assert_eq!(indexed(&mut project, "家族").0.len(), 2);
    same_answers(&mut project, &queries);
}

/// A search in one process reads a text; before it stores that text's index, another process
/// (a colleague's workbench on the same file) revises the text. The index of the old text must
/// not be taken for the new one.
#[test]
fn an_index_made_from_a_text_changed_meanwhile_is_not_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut project = project_of(dir.path(), &[("A", A), ("B", B)]);
    let mut first = IndexedSearch::run(&project, "家族").expect("search");
    let mut other = Project::open(&dir.path().join("p.casecode")).expect("second process");
    let a = other.document_named("A").expect("A").id;
    let revised = A.replacen("家族支援", "きょうだい支援", 1);
    other
        .execute(Command::ReviseDocument {
            document_id: a,
            edits: diff_texts(A, &revised),
            utterances: None,
        })
        .expect("revise");
    first.store(&mut project).expect("store");
    let (hits, stored) = indexed(&mut project, "家族");
    assert_eq!(
        stored, 1,
        "A is read again: its stored index was of the old text"
    );
    assert_eq!(spans(&hits), [("B", 13, 15, "家族", Some("B-2"))]);
    assert_eq!(hits, scanned(&project, "家族"));
}
