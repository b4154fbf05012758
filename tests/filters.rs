//! Cleanup filters on transcripts shaped like the ones researchers receive: an Aozora-style
//! text with ruby, an auto-transcript with timestamps, a NUCC-style corpus file with a `＠`
//! header, and page headers and footers. The filtered text is what is stored, the speaker turns
//! are found on it, the filters are listed in the document's metadata, and `＠` lines become
//! case attributes — all as one undo step.

mod common;

use std::path::Path;

use common::{Sandbox, list, snapshot, stored_text, turns};

fn import(sandbox: &Sandbox, project: &Path, file: &Path, flags: &[&str]) -> common::Run {
    let mut args: Vec<String> = vec![
        "import".into(),
        project.display().to_string(),
        file.display().to_string(),
    ];
    args.extend(flags.iter().map(|flag| (*flag).to_owned()));
    sandbox.run(args)
}

#[test]
fn aozora_ruby_and_notes_are_removed_before_the_text_is_stored() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write(
        "母親Ａ.txt",
        "［＃ページの左右中央］\nＩ：｜医療的ケア児《いりょうてきけあじ》のことを聞かせてください。\nＡ：吸引《きゅういん》が夜中も必要で［＃「夜中」に傍点］、大変でした。\n",
    );
    let run = import(&sandbox, &project, &file, &["--filter", "aozora"]).ok();
    assert!(
        run.stdout
            .contains("母親Ａ (41 chars, utf-8, 2 utterances; filters: aozora)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        stored_text(&sandbox, &project, "母親Ａ"),
        "Ｉ：医療的ケア児のことを聞かせてください。\nＡ：吸引が夜中も必要で、大変でした。\n"
    );
    assert_eq!(
        turns(&project, "母親Ａ"),
        [
            (
                "I".to_owned(),
                0,
                "医療的ケア児のことを聞かせてください。".to_owned()
            ),
            (
                "A".to_owned(),
                22,
                "吸引が夜中も必要で、大変でした。".to_owned()
            ),
        ]
    );
    let documents = list(&sandbox, &project, "documents");
    assert_eq!(
        documents[0]["metadata"],
        serde_json::json!({
            "format": "txt",
            "filters": ["aozora"],
            "notes": ["aozora: removed 2 ruby reading(s) and 2 ［＃…］ note(s), 1 line(s) that held only notes"],
        })
    );
}

#[test]
fn timestamps_and_page_footers_go_and_turns_are_counted_on_what_remains() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write(
        "相談員Ｂ.txt",
        "○○市 相談支援事業所 聞き取り記録\r\n[00:00:05] Ｉ：お仕事の内容を教えてください。\r\n[00:00:12] Ｂ：計画相談が中心です（00:00:15）、はい。\r\n－ 1 －\r\n(00:01)\r\nＩ：ありがとうございました。\r\n",
    );
    import(
        &sandbox,
        &project,
        &file,
        &[
            "--filter",
            "timestamps",
            "--drop-lines",
            "^－ *[0-9]+ *－$",
            "--drop-lines",
            "聞き取り記録$",
        ],
    )
    .ok();
    assert_eq!(
        stored_text(&sandbox, &project, "相談員Ｂ"),
        "Ｉ：お仕事の内容を教えてください。\nＢ：計画相談が中心です、はい。\nＩ：ありがとうございました。\n"
    );
    assert_eq!(
        turns(&project, "相談員Ｂ"),
        [
            (
                "I".to_owned(),
                0,
                "お仕事の内容を教えてください。".to_owned()
            ),
            ("B".to_owned(), 18, "計画相談が中心です、はい。".to_owned()),
            ("I".to_owned(), 34, "ありがとうございました。".to_owned()),
        ]
    );
    let documents = list(&sandbox, &project, "documents");
    assert_eq!(
        documents[0]["metadata"]["filters"],
        serde_json::json!([
            "drop-lines:^－ *[0-9]+ *－$",
            "drop-lines:聞き取り記録$",
            "timestamps"
        ])
    );
}

#[test]
fn a_nucc_header_becomes_case_attributes_in_the_same_undo_step() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let before = snapshot(&sandbox, &project);
    let file = sandbox.write(
        "data001.txt",
        "＠データ１（約３５分）\n＠収集年月日：２００１年１０月１６日\n＠場所：ファミリーレストラン\n＠参加者F107：女性３０代後半、愛知県在住\n＠参加者M023：男性２０代前半、愛知県出身\nF107：＊＊＊の町というのはちいちゃくって。\nM023：うん。\nF107：城壁がこう町全体を囲んでて。\n＠ＥＮＤ\n",
    );
    let run = import(&sandbox, &project, &file, &["--filter", "nucc-header"]).ok();
    assert!(
        run.stdout.contains("set 5 attribute(s) from ＠ headers for 1 case(s): データ:text, 収集年月日:date, 場所:text, 参加者F107:text, 参加者M023:text"),
        "{}",
        run.stdout
    );
    assert_eq!(
        stored_text(&sandbox, &project, "data001"),
        "F107：＊＊＊の町というのはちいちゃくって。\nM023：うん。\nF107：城壁がこう町全体を囲んでて。\n"
    );
    assert_eq!(
        turns(&project, "data001")
            .into_iter()
            .map(|(speaker, start, _)| (speaker, start))
            .collect::<Vec<_>>(),
        [
            ("F107".to_owned(), 0),
            ("M023".to_owned(), 24),
            ("F107".to_owned(), 33)
        ]
    );
    assert_eq!(
        list(&sandbox, &project, "cases"),
        serde_json::json!([{
            "id": 1,
            "name": "data001",
            "attributes": {
                "データ": "データ１（約３５分）",
                "収集年月日": "2001-10-16",
                "場所": "ファミリーレストラン",
                "参加者F107": "女性３０代後半、愛知県在住",
                "参加者M023": "男性２０代前半、愛知県出身",
            },
            "documents": ["data001"],
        }])
    );
    sandbox.run(["undo".as_ref(), project.as_os_str()]).ok();
    assert_eq!(snapshot(&sandbox, &project), before);
}

#[test]
fn an_unknown_filter_or_a_bad_pattern_is_refused_before_anything_is_read() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write("A.txt", "Ａ：はい。\n");
    let unknown = import(&sandbox, &project, &file, &["--filter", "aozora,ruby"]);
    assert_eq!(unknown.code, 2);
    assert_eq!(
        unknown.stderr,
        "casecode: unknown filter 'ruby' (aozora, timestamps, nucc-header; header/footer lines with --drop-lines REGEX)\n"
    );
    let pattern = import(&sandbox, &project, &file, &["--drop-lines", "(unclosed"]);
    assert_eq!(pattern.code, 2);
    assert!(
        pattern
            .stderr
            .starts_with("casecode: --drop-lines '(unclosed' is not a valid regex"),
        "{}",
        pattern.stderr
    );
    assert_eq!(list(&sandbox, &project, "documents"), serde_json::json!([]));
}

/// Takes back schema version 6 (coders) on a project without codings or summaries: the old
/// tables with the coder's name as text.
const UNDO_CODERS_MIGRATION: &str = "PRAGMA foreign_keys = OFF;
    DROP TABLE codings; DROP TABLE summaries; DROP TABLE coders;
    CREATE TABLE codings (
        id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, document_id INTEGER NOT NULL,
        code_id INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        coder TEXT NOT NULL, memo TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
        exemplar INTEGER NOT NULL DEFAULT 0, UNIQUE (code_id, document_id, start, end, coder));
    CREATE INDEX codings_document ON codings (document_id, start);
    CREATE TABLE summaries (
        id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, case_id INTEGER NOT NULL,
        code_id INTEGER NOT NULL, text TEXT NOT NULL, author TEXT NOT NULL,
        updated_at TEXT NOT NULL, UNIQUE (case_id, code_id));
    CREATE INDEX summaries_code ON summaries (code_id);
    CREATE TABLE journal_v5 (id INTEGER PRIMARY KEY, at TEXT NOT NULL, coder TEXT NOT NULL,
        action TEXT NOT NULL, label TEXT NOT NULL, detail TEXT NOT NULL);
    INSERT INTO journal_v5 SELECT id, at, coder, action, label, detail FROM journal;
    DROP TABLE journal; ALTER TABLE journal_v5 RENAME TO journal;";

#[test]
fn a_project_from_before_document_metadata_opens_and_lists_empty_metadata() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("old.casecode");
    let file = sandbox.write("A.txt", "Ａ：はい。\n");
    import(&sandbox, &project, &file, &[]).ok();
    // Turn the file back into a schema-3 project: no metadata column (and no table of the
    // later migrations).
    {
        let connection = rusqlite::Connection::open(&project).expect("open sqlite");
        connection
            .execute_batch(
                "ALTER TABLE documents DROP COLUMN metadata; DROP TABLE refi_guids; \
                 DROP TABLE stop_words; DROP TABLE speaker_roles; \
                 ALTER TABLE documents DROP COLUMN text_hash; DROP TABLE coding_reviews; \
                 DROP TABLE orphans; \
                 DROP TABLE scat_rows; DROP TABLE scat_sheets; DROP TABLE mgta_variations; \
                 DROP TABLE mgta_memos; DROP TABLE mgta_diagram_boxes; \
                 DROP TABLE mgta_diagram_arrows; \
                 PRAGMA user_version = 3;",
            )
            .expect("downgrade");
        connection
            .execute_batch(UNDO_CODERS_MIGRATION)
            .expect("downgrade coders");
    }
    let documents = list(&sandbox, &project, "documents");
    assert_eq!(
        documents[0]["metadata"],
        serde_json::json!({"format": "", "filters": [], "notes": []})
    );
    assert_eq!(stored_text(&sandbox, &project, "A"), "Ａ：はい。\n");
}
