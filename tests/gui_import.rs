//! The import windows driven as a researcher drives them, headless with egui_kittest: a survey
//! whose columns are assigned in the dialog (case name, free text, attribute, not used) with a
//! preview of what that makes, and a REFI-QDA project from another tool, dropped on the window,
//! whose warnings are listed in the import report. Assertions are on the project.
#![cfg(feature = "gui")]

use std::io::Write as _;
use std::path::{Path, PathBuf};

use casecode::command::{Command, NewCoding};
use casecode::export::qdpx::write_qdpx;
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::project::Project;
use casecode::ui::Workbench;
use casecode::ui::action::Action;
use casecode::ui::settings::SettingsFile;
use casecode::ui::windows::import::ImportKind;
use eframe::egui::{self, Event, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

mod gui_support;
use gui_support::{assert_japanese_font, open_workbench, project, undo_from_menu};

const SURVEY: &str = "回答者,職種,年数,自由記述,備考\n\
R01,看護師,5,家族の不安が大きいときに、まず話を聞くようにしています。,\n\
R02,保健師,12,地域の資源が足りず、訪問看護との連携に苦労しています。,電話\n\
R03,看護師,3,,\n";

struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn new() -> Folder {
        assert_japanese_font();
        Folder {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// An empty project, opened in the workbench.
    fn workbench(&self) -> Harness<'static, Workbench> {
        let project = self.path("study.casecode");
        drop(Project::create(&project).expect("create project"));
        open_workbench(&project, self.path("settings.ron"), vec2(1280.0, 800.0))
    }
}

fn type_into_focused(harness: &mut Harness<'_, Workbench>, text: &str) {
    harness.event(Event::Text(text.to_owned()));
    harness.run();
}

#[test]
fn a_survey_is_imported_with_the_columns_assigned_in_the_dialog() {
    let folder = Folder::new();
    let survey = folder.path("アンケート.csv");
    std::fs::write(&survey, SURVEY).expect("write survey");
    let mut harness = folder.workbench();

    harness.get_by_label("ファイル").click();
    harness.run();
    harness
        .get_by_label("アンケートを取り込む（CSV・XLSX）…")
        .click();
    harness.run();
    // The file field is the window's only text field: focus it by its label and type the path.
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "ファイル")
        .focus();
    harness.run();
    type_into_focused(&mut harness, &survey.display().to_string());
    harness.get_by_label("読み込む").click();
    harness.run();

    // The guess: 回答者 names the cases, 自由記述 is free text, the rest are attributes.
    harness.get_by_label("3 行・5 列（utf-8）");
    harness.get_by_label("3 事例・2 文書（空欄 1 件は除く）");
    harness.get_by_label_contains("属性: 職種（テキスト）、年数（整数）、備考（テキスト）");
    // 備考 is not wanted: the fifth row's 使わない.
    harness
        .get_all_by_label("使わない")
        .nth(4)
        .expect("備考's row")
        .click();
    harness.run();
    harness.get_by_label_contains("属性: 職種（テキスト）、年数（整数）");
    assert!(
        harness.query_by_label_contains("備考（").is_none(),
        "備考 is still an attribute"
    );

    harness.get_by_label("取り込む").click();
    // One frame: the click starts the background job (its progress bar keeps repainting).
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
    assert_eq!(
        harness.state().status(),
        Some("3 事例・2 文書を取り込みました（".to_owned() + &survey.display().to_string() + "）")
            .as_deref()
    );
    let stored = project(&harness);
    let answer = stored.document_named("R02/自由記述").expect("R02's answer");
    assert_eq!(
        stored
            .read()
            .document_text(answer.id)
            .expect("text")
            .as_deref(),
        Some("地域の資源が足りず、訪問看護との連携に苦労しています。")
    );
    let cases: Vec<String> = stored
        .read()
        .cases()
        .expect("cases")
        .into_iter()
        .map(|case| case.name)
        .collect();
    assert_eq!(cases, ["R01", "R02", "R03"]);
    let attributes: Vec<String> = stored
        .read()
        .attributes()
        .expect("attributes")
        .into_iter()
        .map(|attribute| format!("{}:{}", attribute.name, attribute.kind.as_str()))
        .collect();
    assert_eq!(attributes, ["職種:text", "年数:integer"]);

    undo_from_menu(
        &mut harness,
        "「アンケート.csv」の取り込み（事例 3 件・文書 2 件）",
    );
    let stored = project(&harness);
    assert!(stored.read().cases().expect("cases").is_empty());
    assert!(stored.document_named("R02/自由記述").is_err());
}

#[test]
fn a_survey_choice_that_makes_no_documents_cannot_be_imported() {
    let folder = Folder::new();
    let survey = folder.path("アンケート.csv");
    std::fs::write(&survey, SURVEY).expect("write survey");
    let mut harness = folder.workbench();
    harness.state_mut().act(Action::OpenImport {
        kind: ImportKind::Survey,
        path: Some(survey),
    });
    harness.run();
    // 自由記述 (the fourth row) set to 属性: no text column is left.
    harness
        .get_all_by_label("属性")
        .nth(3)
        .expect("自由記述's row")
        .click();
    harness.run();
    harness.get_by_label_contains("name at least one text column");
    harness.get_by_label("取り込む").click();
    harness.run();
    assert!(project(&harness).read().cases().expect("cases").is_empty());
    // The window is still open: the choice can be corrected.
    harness.get_by_label("1 行目の値");
}

const B: &str = "Ｂ：管理者の𠮷田さんが、小児の依頼を受けます。\n";

/// A study of two transcripts and one coded span (after 𠮷, one code point), as a .qdpx.
fn study_qdpx(folder: &Folder) -> (PathBuf, (usize, usize)) {
    let mut project = Project::create(&folder.path("other.casecode")).expect("create");
    let mut documents = Vec::new();
    for (name, text) in [
        ("B", B),
        ("C", "Ｃ：市役所では相談支援専門員につなぎます。\n"),
    ] {
        let file = folder.path(&format!("{name}.txt"));
        std::fs::write(&file, text).expect("write transcript");
        documents.push(read_transcript(&file, &TxtOptions::default()).expect("read"));
    }
    project
        .execute(Command::ImportDocuments { documents })
        .expect("import");
    project
        .execute(Command::AddCode {
            parent_id: None,
            name: "[小児の依頼]".to_owned(),
            definition: "依頼の経路".to_owned(),
            color: None,
            roles: Vec::new(),
        })
        .expect("add code");
    let code_id = project.resolve_code("[小児の依頼]").expect("code");
    let document_id = project.document_named("B").expect("B").id;
    let byte = B.find("小児の依頼").expect("span");
    let start = B[..byte].chars().count();
    let span = (start, start + 5);
    project
        .execute(Command::AddCodings {
            codings: vec![NewCoding {
                document_id,
                code_id,
                start: span.0,
                end: span.1,
                coder: "佐藤".to_owned(),
                memo: String::new(),
            }],
        })
        .expect("code");
    let path = folder.path("他ツール.qdpx");
    write_qdpx(&project, &path).expect("write qdpx");
    (path, span)
}

#[test]
fn a_qdpx_dropped_on_the_window_is_imported_after_a_confirmation_and_undone_in_one_step() {
    let folder = Folder::new();
    let (qdpx, span) = study_qdpx(&folder);
    let mut harness = folder.workbench();
    harness.state_mut().act(Action::OpenImport {
        kind: ImportKind::Exchange,
        path: Some(qdpx),
    });
    harness.run();
    harness.get_by_label("REFI-QDA を取り込む");
    assert!(
        project(&harness).document_named("B").is_err(),
        "nothing before the click"
    );
    harness.get_by_label("取り込む").click();
    // One frame: the click starts the background job (its progress bar keeps repainting).
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("REFI-QDA の取り込み（2 文書, 1 コード, 1 コーディング）"),
        "{status}"
    );
    let project_now = project(&harness);
    let code_id = project_now
        .resolve_code("[小児の依頼]")
        .expect("the code came over");
    let codings = project_now
        .read()
        .codings_of_code(code_id)
        .expect("codings");
    assert_eq!(
        codings
            .iter()
            .map(|c| (c.span.start, c.span.end))
            .collect::<Vec<_>>(),
        [span],
        "the span keeps its code-point offsets"
    );
    assert!(project_now.document_named("C").is_ok());

    undo_from_menu(&mut harness, "REFI-QDA の取り込み");
    assert!(project(&harness).document_named("B").is_err());
    assert!(project(&harness).resolve_code("[小児の依頼]").is_err());
}

#[test]
fn what_a_qdpx_import_cannot_keep_is_listed_in_the_import_report() {
    let folder = Folder::new();
    let qdpx = folder.path("graphs.qdpx");
    write_zip(
        &qdpx,
        &[(
            "project.qde",
            r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="図だけの研究">
  <CodeBook><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="[家族の不安]" isCodable="true"/></Codes></CodeBook>
  <Graphs><Graph guid="f2000000-0000-4000-8000-000000000001" name="関係図"/></Graphs>
</Project>"#,
        )],
    );
    let mut harness = folder.workbench();
    harness.state_mut().act(Action::OpenImport {
        kind: ImportKind::Exchange,
        path: Some(qdpx.clone()),
    });
    harness.run();
    harness.get_by_label("取り込む").click();
    // One frame: the click starts the background job (its progress bar keeps repainting).
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("警告 1 件"), "{status}");
    harness.get_by_label("取り込みの報告");
    harness.get_by_label("1 件の警告");
    harness.get_by_label(&format!(
        "{}: graph '関係図' dropped (casecode has no graphs)",
        qdpx.display()
    ));
    assert!(project(&harness).resolve_code("[家族の不安]").is_ok());
    harness.get_by_label("閉じる").click();
    harness.run();
    assert!(harness.query_by_label("取り込みの報告").is_none());
}

fn write_zip(path: &Path, entries: &[(&str, &str)]) {
    let file = std::fs::File::create(path).expect("create zip");
    let mut zip = zip::ZipWriter::new(file);
    for (name, text) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(text.as_bytes()).expect("write entry");
    }
    zip.finish().expect("finish zip");
}

#[test]
fn transcripts_are_previewed_with_their_options_then_imported_cleaned() {
    let folder = Folder::new();
    let zoom = folder.path("zoom");
    std::fs::create_dir(&zoom).expect("folder");
    std::fs::write(
        zoom.join("E.txt"),
        "[00:00:05] Ｉ：よろしくお願いします。\n－ 1 －\n[00:00:09] Ｅ：保健センターの保健師です。\n",
    )
    .expect("write transcript");
    std::fs::write(zoom.join("名簿.xlsx"), b"PK").expect("write other file");
    let mut harness = folder.workbench();

    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("逐語録を取り込む…").click();
    harness.run();
    harness
        .get_by_label("ファイル・フォルダー（1 行に 1 つ）")
        .focus();
    harness.run();
    type_into_focused(&mut harness, &zoom.display().to_string());
    harness
        .get_by_label("タイムスタンプ [00:12:34] を除く")
        .click();
    harness.run();
    // A broken regex is named at once and nothing can be read or imported.
    harness
        .get_by_label("削除する行（正規表現、1 行に 1 つ）")
        .focus();
    harness.run();
    type_into_focused(&mut harness, "^－ *[0-9+ *－$");
    harness.get_by_label_contains("^－ *[0-9+ *－$");
    assert!(
        harness
            .get_by_label("読み込む")
            .accesskit_node()
            .is_disabled()
    );
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::A);
    type_into_focused(&mut harness, "^－ *[0-9]+ *－$");

    harness.get_by_label("読み込む").click();
    harness.run();
    harness.get_by_label("1 件の文書（スキップ 1 件・警告 0 件）");
    // The skipped table is named in the window's language, not in the CLI's English.
    harness.get_by_label_contains("名簿.xlsx：表のファイルで、逐語録ではありません");
    assert!(
        harness
            .query_by_label_contains("a table, not a transcript")
            .is_none()
    );
    // E: two utterances, both filters listed.
    harness.get_by_label("E");
    harness.get_by_label("2");
    harness.get_by_label_contains("timestamps");
    assert!(
        project(&harness).document_named("E").is_err(),
        "a preview stores nothing"
    );

    harness.get_by_label("取り込む").click();
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
    let stored = project(&harness);
    let document = stored.document_named("E").expect("E was imported");
    assert_eq!(
        stored
            .read()
            .document_text(document.id)
            .expect("text")
            .as_deref(),
        Some("Ｉ：よろしくお願いします。\nＥ：保健センターの保健師です。\n")
    );
    assert_eq!(
        document.metadata.filters.len(),
        2,
        "{:?}",
        document.metadata
    );
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("1 件の文書を取り込みました（警告 1 件"),
        "{status}"
    );
    harness.get_by_label_contains("名簿.xlsx");
}

#[test]
fn a_survey_dropped_on_the_start_screen_asks_for_a_project_first() {
    let folder = Folder::new();
    let survey = folder.path("アンケート.csv");
    std::fs::write(&survey, SURVEY).expect("write survey");
    let workbench = Workbench::new(SettingsFile::at(folder.path("settings.ron")));
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    harness.run();
    harness.state_mut().act(Action::OpenImport {
        kind: ImportKind::Survey,
        path: Some(survey),
    });
    harness.run();
    assert_eq!(
        harness.state().status(),
        Some("エラー: 取り込むには、先にプロジェクトを開くか作成してください")
    );
    assert!(harness.state().project().is_none());
}

/// A file dropped on the window, as the windowing system hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|error| error.to_string())
    }
}

#[test]
fn two_surveys_dropped_together_open_the_first_and_name_the_other() {
    let folder = Folder::new();
    let first = folder.path("一回目.csv");
    let second = folder.path("二回目.csv");
    for path in [&first, &second] {
        std::fs::write(path, SURVEY).expect("write survey");
    }
    let mut harness = folder.workbench();
    for path in [&first, &second] {
        harness
            .input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(path.clone())));
    }
    harness.run();
    harness.get_by_label("アンケートを取り込む");
    harness.get_by_label("3 事例・2 文書（空欄 1 件は除く）");
    assert_eq!(
        harness.state().status().map(str::to_owned),
        Some(format!(
            "エラー: {}: 取り込みの画面は一度に一つです。最初のファイルを開きました。残りは一つずつドロップしてください",
            second.display()
        ))
    );
    assert!(project(&harness).read().cases().expect("cases").is_empty());
}
