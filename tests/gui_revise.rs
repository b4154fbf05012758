//! Revising transcripts in the workbench, driven as a researcher drives it, headless with
//! egui_kittest: a revision deleted the utterance that held a coding, the 要確認 count in the
//! status line and 編集 ▸ 孤立コーディングと要確認… open the orphan review window, 再付与 puts the
//! coding back on the text selected in the transcript (the same coding: code, coder, GUID),
//! 削除 drops it, and 編集 ▸ 元に戻す takes either back. 逐語録を編集 turns the transcript into a
//! text field: a word typed through the IME over a selection is saved as one revision that
//! keeps every later coding on its exact text; Esc and キャンセル leave the project as it was.
//! ファイル ▸ 改訂版を取り込む… previews a corrected file (what moves, what is orphaned) before
//! 取り込む changes anything.
//! Assertions are on the project file.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};

use casecode::command::{Command, NewCoding};
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::project::Project;
use casecode::revise::TextEdit;
use eframe::egui::{Key, vec2};
use egui_kittest::kittest::Queryable;

mod gui_support;
use gui_support::{
    assert_japanese_font, drag_over_text, open_workbench, project, type_with_ime, undo_from_menu,
};

const TRANSCRIPT: &str = "\
Ｉ：お仕事で大変なことは？
Ａ：医療的ケア児の家族支援がむずかしいです。夜も眠れないと聞きます。
Ａ：家族の負担が大きい。地域の資源が足りないと感じます。
";

/// A second transcript, document `B`, uncoded.
const OTHER: &str = "Ｉ：夜はどうですか？\nＢ：眠れない日が続きます。\n";

/// The utterance the revision deletes, with its line end.
const DELETED: &str = "Ａ：医療的ケア児の家族支援がむずかしいです。夜も眠れないと聞きます。\n";

/// Code points before the first occurrence of `passage` in `text`.
fn offset_of(text: &str, passage: &str) -> usize {
    text[..text.find(passage).expect("passage in text")]
        .chars()
        .count()
}

/// A project with the transcript as document `A` (and [`OTHER`] as `B`), codes 家族支援 and 地域資源 on
/// 「夜も眠れないと聞きます。」 and 「地域の資源が足りない」.
fn coded_project(dir: &Path) -> (PathBuf, Project) {
    let file = dir.join("A.txt");
    std::fs::write(&file, TRANSCRIPT).expect("write");
    let document = read_transcript(&file, &TxtOptions::default()).expect("read");
    let other = dir.join("B.txt");
    std::fs::write(&other, OTHER).expect("write");
    let other = read_transcript(&other, &TxtOptions::default()).expect("read");
    let path = dir.join("p.casecode");
    let mut project = Project::create(&path).expect("create");
    project.set_coder("山田");
    project
        .execute(Command::ImportDocuments {
            documents: vec![document, other],
        })
        .expect("import");
    let document_id = project.document_named("A").expect("A").id;
    for (code, passage) in [
        ("家族支援", "夜も眠れないと聞きます。"),
        ("地域資源", "地域の資源が足りない"),
    ] {
        project
            .execute(Command::AddCode {
                parent_id: None,
                name: code.to_owned(),
                definition: String::new(),
                color: None,
                roles: Vec::new(),
            })
            .expect("code");
        let start = offset_of(TRANSCRIPT, passage);
        project
            .execute(Command::AddCodings {
                codings: vec![NewCoding {
                    document_id,
                    code_id: project.resolve_code(code).expect("code id"),
                    start,
                    end: start + passage.chars().count(),
                    coder: "山田".to_owned(),
                    memo: String::new(),
                }],
            })
            .expect("coding");
    }
    (path, project)
}

/// The coded project, revised by the core command: the utterance holding 「夜も眠れない…」 is
/// deleted, so that coding is an orphan.
fn revised_project(dir: &Path) -> PathBuf {
    let (path, mut project) = coded_project(dir);
    let document_id = project.document_named("A").expect("A").id;
    let start = offset_of(TRANSCRIPT, DELETED);
    project
        .execute(Command::ReviseDocument {
            document_id,
            edits: vec![TextEdit {
                start,
                end: start + DELETED.chars().count(),
                text: String::new(),
            }],
            utterances: None,
        })
        .expect("revise");
    path
}

/// (code, coder, stored text, GUID) of every coding of document `A`, sorted.
fn codings_of_a(project: &Project) -> Vec<(String, String, String, String)> {
    let reader = project.read();
    let tree = project.code_tree().expect("tree");
    let document_id = project.document_named("A").expect("A").id;
    let text: Vec<char> = (reader.document_text(document_id))
        .expect("text")
        .expect("some")
        .chars()
        .collect();
    let mut rows: Vec<_> = (reader.codings_of_document(document_id))
        .expect("codings")
        .into_iter()
        .map(|coding| {
            (
                tree.path_string(coding.code_id),
                coding.coder,
                text[coding.span.start..coding.span.end].iter().collect(),
                coding.guid,
            )
        })
        .collect();
    rows.sort();
    rows
}

/// (old text, code, GUID) of every orphan.
fn orphans(project: &Project) -> Vec<(String, String, String)> {
    let tree = project.code_tree().expect("tree");
    (project.read().orphans())
        .expect("orphans")
        .into_iter()
        .map(|orphan| {
            (
                orphan.old_text,
                tree.path_string(orphan.coding.code_id),
                orphan.coding.guid,
            )
        })
        .collect()
}

#[test]
fn an_orphan_is_reattached_to_selected_text_from_the_review_window_and_undone() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = revised_project(dir.path());
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let before = orphans(project(&harness));
    assert_eq!(before.len(), 1, "the revision left one orphan: {before:?}");
    assert_eq!(
        (before[0].0.as_str(), before[0].1.as_str()),
        ("夜も眠れないと聞きます。", "家族支援")
    );
    let guid = before[0].2.clone();

    // The researcher selects the passage the coding belongs to now, in the transcript.
    let text = (project(&harness).read())
        .document_text(project(&harness).document_named("A").expect("A").id)
        .expect("text")
        .expect("some");
    assert!(!text.contains("夜も眠れない"), "the utterance is gone");
    let start = offset_of(&text, "家族の負担が大きい。");
    drag_over_text(
        &mut harness,
        start,
        start + "家族の負担が大きい。".chars().count(),
    );
    assert_eq!(
        harness
            .state()
            .transcript()
            .expect("transcript")
            .selected_text(),
        Some("家族の負担が大きい。")
    );

    // The status line counts what is to review; 編集 ▸ 孤立コーディングと要確認… opens the list.
    harness.get_by_label("要確認 1");
    harness.get_by_label("編集").click();
    harness.run();
    harness.get_by_label("孤立コーディングと要確認…").click();
    harness.run();
    harness.get_by_label("夜も眠れないと聞きます。");
    harness.get_by_label("再付与").click();
    harness.run();

    assert!(
        orphans(project(&harness)).is_empty(),
        "the orphan left the list"
    );
    let codings = codings_of_a(project(&harness));
    assert_eq!(
        codings
            .iter()
            .map(|(code, coder, text, _)| (code.as_str(), coder.as_str(), text.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("地域資源", "山田", "地域の資源が足りない"),
            ("家族支援", "山田", "家族の負担が大きい。"),
        ]
    );
    let reattached = codings
        .iter()
        .find(|row| row.0 == "家族支援")
        .expect("家族支援");
    assert_eq!(reattached.3, guid, "the coding it was, not a new one");
    assert!(
        harness.query_by_label("要確認 1").is_none(),
        "nothing left to review"
    );
    harness.get_by_label("孤立コーディングはありません");

    // 編集 ▸ 元に戻す: the coding is an orphan again, with its old text.
    undo_from_menu(&mut harness, "孤立コーディングの再配置");
    assert_eq!(orphans(project(&harness)), before);
    assert_eq!(
        codings_of_a(project(&harness))
            .into_iter()
            .map(|(code, _, text, _)| (code, text))
            .collect::<Vec<_>>(),
        vec![("地域資源".to_owned(), "地域の資源が足りない".to_owned())]
    );
    harness.get_by_label("要確認 1");
}

#[test]
fn an_orphan_deleted_from_the_status_line_count_comes_back_with_undo() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = revised_project(dir.path());
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let before = orphans(project(&harness));
    assert_eq!(before.len(), 1);

    // Nothing selected: 再付与 is not offered; the count in the status line opens the window.
    harness.get_by_label("要確認 1").click();
    harness.run();
    assert!(harness.state().session().expect("session").orphans_open());
    harness.get_by_label("再付与").click();
    harness.run();
    assert_eq!(
        orphans(project(&harness)),
        before,
        "a disabled 再付与 did nothing"
    );

    harness.get_by_label("削除").click();
    harness.run();
    assert!(orphans(project(&harness)).is_empty());
    assert_eq!(
        codings_of_a(project(&harness))
            .into_iter()
            .map(|(code, _, text, _)| (code, text))
            .collect::<Vec<_>>(),
        vec![("地域資源".to_owned(), "地域の資源が足りない".to_owned())]
    );

    undo_from_menu(&mut harness, "孤立コーディングの削除（1 件）");
    assert_eq!(orphans(project(&harness)), before);
}

/// The stored text of document `A`.
fn text_of_a(project: &Project) -> String {
    let document_id = project.document_named("A").expect("A").id;
    (project.read().document_text(document_id))
        .expect("text")
        .expect("some")
}

/// (code, stored text) of every coding of document `A`, sorted.
fn coded_texts(project: &Project) -> Vec<(String, String)> {
    codings_of_a(project)
        .into_iter()
        .map(|(code, _, text, _)| (code, text))
        .collect()
}

#[test]
fn a_word_typed_in_the_transcript_editor_is_saved_and_later_codings_keep_their_text() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, project_file) = coded_project(dir.path());
    drop(project_file);
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let coded_before = coded_texts(project(&harness));
    assert_eq!(
        coded_before,
        vec![
            ("地域資源".to_owned(), "地域の資源が足りない".to_owned()),
            ("家族支援".to_owned(), "夜も眠れないと聞きます。".to_owned()),
        ]
    );

    // The researcher selects the mis-heard 「大変な」, before every coding, and edits.
    let start = offset_of(TRANSCRIPT, "大変な");
    drag_over_text(&mut harness, start, start + 3);
    harness.get_by_label("逐語録を編集").click();
    harness.run();
    assert!(
        harness
            .state()
            .session()
            .expect("session")
            .editor()
            .is_some()
    );
    type_with_ime(&mut harness, "いちばんこまっている", "一番困っている");
    let expected = TRANSCRIPT.replacen("大変な", "一番困っている", 1);
    assert_eq!(
        (harness.state().session().expect("session").editor())
            .expect("editing")
            .text(),
        expected,
        "the IME's word replaced the selection in the field"
    );
    assert_eq!(text_of_a(project(&harness)), TRANSCRIPT, "not saved yet");

    harness.get_by_label("保存").click();
    harness.run();
    assert!(
        harness
            .state()
            .session()
            .expect("session")
            .editor()
            .is_none()
    );
    assert_eq!(text_of_a(project(&harness)), expected);
    assert_eq!(
        coded_texts(project(&harness)),
        coded_before,
        "both codings after the edit point moved with their text"
    );
    assert!(orphans(project(&harness)).is_empty());

    // One step back: the old text and the codings where they were.
    undo_from_menu(&mut harness, "逐語録の改訂");
    assert_eq!(text_of_a(project(&harness)), TRANSCRIPT);
    assert_eq!(coded_texts(project(&harness)), coded_before);
}

#[test]
fn escape_and_cancel_in_the_transcript_editor_leave_the_project_unchanged() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, project_file) = coded_project(dir.path());
    drop(project_file);
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let coded_before = coded_texts(project(&harness));
    let undo_before = project(&harness).undo_label().expect("undo label");

    for discard in ["Esc", "キャンセル"] {
        harness.get_by_label("逐語録を編集").click();
        harness.run();
        type_with_ime(&mut harness, "まるまる", "○○");
        assert_ne!(
            (harness.state().session().expect("session").editor())
                .expect("editing")
                .text(),
            TRANSCRIPT,
            "the field holds the typed word ({discard})"
        );
        if discard == "Esc" {
            harness.key_press(Key::Escape);
        } else {
            harness.get_by_label("キャンセル").click();
        }
        harness.run();
        assert!(
            harness
                .state()
                .session()
                .expect("session")
                .editor()
                .is_none(),
            "{discard} closed the editor"
        );
        assert_eq!(
            text_of_a(project(&harness)),
            TRANSCRIPT,
            "{discard} saved nothing"
        );
        assert_eq!(coded_texts(project(&harness)), coded_before);
        assert_eq!(
            project(&harness).undo_label().expect("undo label"),
            undo_before,
            "{discard} added nothing to undo"
        );
    }
}

#[test]
fn a_corrected_file_is_previewed_then_imported_from_the_file_menu() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, project_file) = coded_project(dir.path());
    drop(project_file);
    // The corrected transcript: a phrase added at the start, the middle utterance deleted.
    let corrected = TRANSCRIPT
        .replacen("お仕事で", "日々のお仕事で", 1)
        .replacen(DELETED, "", 1);
    let file = dir.path().join("A_修正版.txt");
    std::fs::write(&file, &corrected).expect("write");
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));

    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("改訂版を取り込む…").click();
    harness.run();
    assert!(harness.state().session().expect("session").reimport_open());
    harness.get_by_label("改訂版のファイル").click();
    harness.run();
    gui_support::replace_text(&mut harness, &file.display().to_string());
    harness.get_by_label("プレビュー").click();
    // The click starts the background job; its spinner repaints until the job is done, so
    // the frames are stepped rather than run to a settled state.
    harness.run_steps(2);
    // The file is read and compared in the background.
    harness.state_mut().wait_for_background();
    harness.run();

    // The preview says what would happen, and nothing has changed yet.
    harness.get_by_label_contains("移動 1・伸縮 0・要確認 0・孤立 1");
    harness.get_by_label("孤立（本文が削除された）");
    harness.get_by_label("移動");
    assert_eq!(text_of_a(project(&harness)), TRANSCRIPT);
    assert!(orphans(project(&harness)).is_empty());

    harness.get_by_label("取り込む").click();
    harness.run();
    assert_eq!(text_of_a(project(&harness)), corrected);
    assert_eq!(
        coded_texts(project(&harness)),
        vec![("地域資源".to_owned(), "地域の資源が足りない".to_owned())]
    );
    let kept: Vec<_> = orphans(project(&harness))
        .into_iter()
        .map(|(old_text, code, _)| (old_text, code))
        .collect();
    assert_eq!(
        kept,
        vec![("夜も眠れないと聞きます。".to_owned(), "家族支援".to_owned())]
    );
    assert!(!harness.state().session().expect("session").reimport_open());
}

/// The stored text of document `B`.
fn text_of_b(project: &Project) -> String {
    let document_id = project.document_named("B").expect("B").id;
    (project.read().document_text(document_id))
        .expect("text")
        .expect("some")
}

#[test]
fn find_and_replace_in_the_editor_works_in_one_document_and_in_all() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, project_file) = coded_project(dir.path());
    drop(project_file);
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let field = |harness: &mut egui_kittest::Harness<'_, casecode::ui::Workbench>,
                 label: &str,
                 text: &str| {
        harness.get_by_label(label).click();
        harness.run();
        gui_support::replace_text(harness, text);
    };

    // In this document: 家族 → ○○ in the field, then 保存.
    harness.get_by_label("逐語録を編集").click();
    harness.run();
    field(&mut harness, "検索する語", "家族");
    field(&mut harness, "置換後の語", "○○");
    harness.get_by_label("この文書で置換").click();
    harness.run();
    let anonymised = TRANSCRIPT.replace("家族", "○○");
    assert_eq!(
        (harness.state().session().expect("session").editor())
            .expect("editing")
            .text(),
        anonymised
    );
    assert_eq!(text_of_a(project(&harness)), TRANSCRIPT, "not saved yet");
    harness.get_by_label("保存").click();
    harness.run();
    assert_eq!(text_of_a(project(&harness)), anonymised);
    assert_eq!(text_of_b(project(&harness)), OTHER, "only this document");
    assert_eq!(
        coded_texts(project(&harness)),
        vec![
            ("地域資源".to_owned(), "地域の資源が足りない".to_owned()),
            ("家族支援".to_owned(), "夜も眠れないと聞きます。".to_owned()),
        ]
    );

    // In all documents, inside a coding too: 眠れない → 寝られない, one step.
    harness.get_by_label("逐語録を編集").click();
    harness.run();
    field(&mut harness, "検索する語", "眠れない");
    field(&mut harness, "置換後の語", "寝られない");
    harness.get_by_label("全文書で置換").click();
    harness.run();
    assert!(
        harness
            .state()
            .session()
            .expect("session")
            .editor()
            .is_none()
    );
    assert_eq!(
        text_of_a(project(&harness)),
        anonymised.replace("眠れない", "寝られない")
    );
    assert_eq!(
        text_of_b(project(&harness)),
        OTHER.replace("眠れない", "寝られない")
    );
    assert_eq!(
        coded_texts(project(&harness)),
        vec![
            ("地域資源".to_owned(), "地域の資源が足りない".to_owned()),
            (
                "家族支援".to_owned(),
                "夜も寝られないと聞きます。".to_owned()
            ),
        ]
    );
    undo_from_menu(&mut harness, "「眠れない」を「寝られない」に置換");
    assert_eq!(text_of_a(project(&harness)), anonymised);
    assert_eq!(text_of_b(project(&harness)), OTHER);
}

#[test]
fn a_clipped_coding_is_shown_for_review_and_marked_reviewed_then_undone() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, mut project_file) = coded_project(dir.path());
    // A deletion takes 「大きい。地域の」: text outside the coding and the start of 地域資源's.
    let document_id = project_file.document_named("A").expect("A").id;
    let start = offset_of(TRANSCRIPT, "大きい。地域の");
    project_file
        .execute(Command::ReviseDocument {
            document_id,
            edits: vec![TextEdit {
                start,
                end: start + "大きい。地域の".chars().count(),
                text: String::new(),
            }],
            utterances: None,
        })
        .expect("revise");
    drop(project_file);
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let flags = |harness: &egui_kittest::Harness<'_, casecode::ui::Workbench>| {
        (project(harness).read().coding_reviews())
            .expect("reviews")
            .into_iter()
            .map(|review| review.old_text)
            .collect::<Vec<_>>()
    };
    assert_eq!(flags(&harness), vec!["地域の資源が足りない".to_owned()]);

    harness.get_by_label("要確認 1").click();
    harness.run();
    // The clipped coding, its text now and before.
    harness.get_by_label("資源が足りない");
    harness.get_by_label("地域の資源が足りない");
    harness.get_by_label("要確認（一部削除）");
    harness.get_by_label("確認済み").click();
    harness.run();
    assert!(flags(&harness).is_empty(), "the flag is gone");
    assert_eq!(
        coded_texts(project(&harness)),
        vec![
            ("地域資源".to_owned(), "資源が足りない".to_owned()),
            ("家族支援".to_owned(), "夜も眠れないと聞きます。".to_owned()),
        ],
        "the coding itself did not change"
    );
    harness.get_by_label("要確認のコーディングはありません");

    undo_from_menu(&mut harness, "要確認の設定");
    assert_eq!(flags(&harness), vec!["地域の資源が足りない".to_owned()]);
}

/// (code, span text in the editor's field) of every coding drawn on the editor, or the code and
/// `None` for a coding that saving would orphan; sorted.
fn marks_in_editor(
    harness: &egui_kittest::Harness<'_, casecode::ui::Workbench>,
) -> Vec<(String, Option<String>)> {
    let session = harness.state().session().expect("session");
    let editor = session.editor().expect("editing");
    let tree = project(harness).code_tree().expect("tree");
    let text: Vec<char> = editor.text().chars().collect();
    let mut rows: Vec<_> = (editor.live_marks().into_iter())
        .map(|mark| {
            (
                tree.path_string(mark.code_id),
                mark.span
                    .map(|span| text[span.start..span.end].iter().collect::<String>()),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn codings_stay_drawn_on_the_editor_and_follow_the_typing_until_saved() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, project_file) = coded_project(dir.path());
    drop(project_file);
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let family = offset_of(TRANSCRIPT, "夜も眠れないと聞きます。");
    let region = offset_of(TRANSCRIPT, "地域の資源が足りない");

    // The editor opens with both codings drawn where the transcript draws them.
    let start = offset_of(TRANSCRIPT, "大変な");
    drag_over_text(&mut harness, start, start + 3);
    harness.get_by_label("逐語録を編集").click();
    harness.run();
    let spans = |harness: &egui_kittest::Harness<'_, casecode::ui::Workbench>| {
        let editor = (harness.state().session().expect("session").editor()).expect("editing");
        let mut spans: Vec<_> = (editor.live_marks().into_iter())
            .map(|mark| mark.span.map(|span| (span.start, span.end)))
            .collect();
        spans.sort();
        spans
    };
    assert_eq!(
        spans(&harness),
        vec![Some((family, family + 12)), Some((region, region + 10))]
    );

    // Typed through the IME before both codings (3 characters become 7): both marks move 4
    // characters on, still over their own words.
    type_with_ime(&mut harness, "いちばんこまっている", "一番困っている");
    assert_eq!(
        spans(&harness),
        vec![
            Some((family + 4, family + 16)),
            Some((region + 4, region + 14))
        ]
    );
    assert_eq!(
        marks_in_editor(&harness),
        vec![
            (
                "地域資源".to_owned(),
                Some("地域の資源が足りない".to_owned())
            ),
            (
                "家族支援".to_owned(),
                Some("夜も眠れないと聞きます。".to_owned())
            ),
        ]
    );
    harness.get_by_label("保存").click();
    harness.run();
    let typed = TRANSCRIPT.replacen("大変な", "一番困っている", 1);
    assert_eq!(text_of_a(project(&harness)), typed);
    assert_eq!(
        harness.state().transcript().expect("transcript").text(),
        typed,
        "the transcript shows the saved text, not the text before the edit"
    );

    // A second edit deletes the whole coded sentence 「夜も眠れないと聞きます。」: its mark
    // leaves the text and it is listed as an orphan-to-be; the later coding moves back.
    let gone = offset_of(&typed, "夜も眠れないと聞きます。");
    drag_over_text(&mut harness, gone, gone + 12);
    harness.get_by_label("逐語録を編集").click();
    harness.run();
    harness.key_press(Key::Backspace);
    harness.run();
    assert_eq!(
        marks_in_editor(&harness),
        vec![
            (
                "地域資源".to_owned(),
                Some("地域の資源が足りない".to_owned())
            ),
            ("家族支援".to_owned(), None),
        ]
    );
    harness.get_by_label("保存すると孤立：家族支援「夜も眠れないと聞きます。」");
    assert_eq!(text_of_a(project(&harness)), typed, "not saved yet");

    harness.get_by_label("保存").click();
    harness.run();
    assert_eq!(
        coded_texts(project(&harness)),
        vec![("地域資源".to_owned(), "地域の資源が足りない".to_owned())]
    );
    let kept: Vec<_> = orphans(project(&harness))
        .into_iter()
        .map(|(old_text, code, _)| (old_text, code))
        .collect();
    assert_eq!(
        kept,
        vec![("夜も眠れないと聞きます。".to_owned(), "家族支援".to_owned())]
    );
}

/// The re-import preview reads its file on a background job: while the file cannot be read yet
/// (a named pipe whose writer waits for the test, standing in for a slow share or a long
/// transcript), frames keep coming, the window shows that it is reading, and the menus still
/// open; the preview appears once the job has finished. Before the job, the click that asked
/// for the preview froze the window until the file was read.
#[cfg(unix)]
#[test]
fn the_reimport_preview_is_read_in_the_background_and_appears_when_done() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, project_file) = coded_project(dir.path());
    drop(project_file);
    let pipe = dir.path().join("A_修正版.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let corrected = TRANSCRIPT.replacen("お仕事で", "日々のお仕事で", 1);
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let writer = {
        let pipe = pipe.clone();
        let corrected = corrected.clone();
        std::thread::spawn(move || {
            // Without the signal (a regression that reads on the UI thread), write anyway after
            // a while so that the test fails instead of hanging.
            let _ = wait.recv_timeout(std::time::Duration::from_secs(10));
            std::fs::write(&pipe, corrected).expect("write the pipe");
        })
    };
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("改訂版を取り込む…").click();
    harness.run();
    harness.get_by_label("改訂版のファイル").click();
    harness.run();
    gui_support::replace_text(&mut harness, &pipe.display().to_string());
    harness.get_by_label("プレビュー").click();
    for _ in 0..5 {
        harness.step();
    }
    assert!(
        harness
            .state()
            .session()
            .expect("session")
            .reimport_reading(),
        "the file is still being read"
    );
    harness.get_by_label_contains("今の本文と比べています");
    assert!(
        harness.query_by_label_contains("移動 0").is_none(),
        "no preview yet"
    );
    // The window answers meanwhile: the 編集 menu opens and closes.
    harness.get_by_label("編集").click();
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("孤立コーディングと要確認…");
    harness.key_press(Key::Escape);
    for _ in 0..3 {
        harness.step();
    }

    go.send(()).expect("signal the writer");
    harness.state_mut().wait_for_background();
    harness.run();
    writer.join().expect("writer");
    assert!(
        !harness
            .state()
            .session()
            .expect("session")
            .reimport_reading()
    );
    harness.get_by_label_contains("変化なし 0・移動 2・伸縮 0・要確認 0・孤立 0");
    assert_eq!(
        text_of_a(project(&harness)),
        TRANSCRIPT,
        "nothing applied yet"
    );
    harness.get_by_label("取り込む").click();
    harness.run();
    assert_eq!(text_of_a(project(&harness)), corrected);
    assert_eq!(
        coded_texts(project(&harness)),
        vec![
            ("地域資源".to_owned(), "地域の資源が足りない".to_owned()),
            ("家族支援".to_owned(), "夜も眠れないと聞きます。".to_owned()),
        ]
    );
}

/// The hits of the search tab: (document, start, text).
fn search_rows(
    harness: &egui_kittest::Harness<'_, casecode::ui::Workbench>,
) -> Vec<(String, usize, String)> {
    (harness
        .state()
        .session()
        .expect("session")
        .centre()
        .search
        .rows()
        .iter())
    .map(|row| {
        (
            row.hit.document.clone(),
            row.hit.start,
            row.hit.text.clone(),
        )
    })
    .collect()
}

/// Searches from the 検索・KWIC tab.
fn search_for(harness: &mut egui_kittest::Harness<'_, casecode::ui::Workbench>, query: &str) {
    harness.get_by_label("検索・KWIC").click();
    harness.run();
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::TextInput, "検索語")
        .click();
    harness.run();
    gui_support::replace_text(harness, query);
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
}

#[test]
fn the_search_tab_finds_the_saved_correction_and_not_the_old_word() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, project_file) = coded_project(dir.path());
    drop(project_file);
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    // The search tab reads the interviewees' speech (Ａ, Ｂ) by default.
    search_for(&mut harness, "眠れない");
    let night = offset_of(TRANSCRIPT, "眠れない");
    assert_eq!(
        search_rows(&harness),
        vec![
            ("A".to_owned(), night, "眠れない".to_owned()),
            ("B".to_owned(), 13, "眠れない".to_owned()),
        ]
    );

    // Back in the transcript, A's 「むずかしい」 becomes 「難しい」 and is saved.
    harness.get_by_label("逐語録").click();
    harness.run();
    let start = offset_of(TRANSCRIPT, "むずかしい");
    drag_over_text(&mut harness, start, start + 5);
    harness.get_by_label("逐語録を編集").click();
    harness.run();
    type_with_ime(&mut harness, "むずかしい", "難しい");
    harness.get_by_label("保存").click();
    harness.run();
    assert_eq!(
        text_of_a(project(&harness)),
        TRANSCRIPT.replacen("むずかしい", "難しい", 1)
    );

    // The search index took A's new text: A's hit moved back two characters, B's did not.
    search_for(&mut harness, "眠れない");
    assert_eq!(
        search_rows(&harness),
        vec![
            ("A".to_owned(), night - 2, "眠れない".to_owned()),
            ("B".to_owned(), 13, "眠れない".to_owned()),
        ]
    );
    search_for(&mut harness, "難しい");
    assert_eq!(
        search_rows(&harness),
        vec![("A".to_owned(), start, "難しい".to_owned())]
    );
    search_for(&mut harness, "むずかしい");
    assert!(search_rows(&harness).is_empty(), "the old word is gone");
}
