//! The SCAT and M-GTA tabs driven as a researcher drives them, headless with egui_kittest on
//! the sample study: a step of a SCAT row typed through the IME, a 〈4〉 theme turned into a
//! code, a 理論的メモ entry on a concept's worksheet, and a labelled arrow on the 結果図.
//! Assertions are on the project file's contents.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};

use casecode::command::{Command, ScatCommand};
use casecode::methods::scat::ScatWorksheet;
use casecode::model::{CodeId, DocumentId};
use casecode::project::Project;
use casecode::ui::Workbench;
use casecode::ui::centre::CentreTab;
use casecode::ui::mgta::diagram::{ADD_ARROW, ARROW_LABEL};
use casecode::ui::mgta::view::{ADD_MEMO, MgtaPage, NEW_MEMO};
use casecode::ui::scat::view::{SAVE_ROW, THEME_TO_CODE};
use eframe::egui::accesskit::Role;
use eframe::egui::{Event, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod gui_support;
use gui_support::{assert_japanese_font, open_workbench, project, type_with_ime};

struct Study {
    _dir: tempfile::TempDir,
    project: PathBuf,
    settings: PathBuf,
    document_a: DocumentId,
}

/// The sample study with a SCAT worksheet on document A.
fn study() -> Study {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("study.casecode");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
    casecode::sample::build_study(&samples, &project, Some("tester")).expect("sample study");
    let mut setup = Project::open(&project).expect("open");
    let document_a = setup.document_named("A").expect("A").id;
    setup
        .execute(Command::Scat(ScatCommand::Init {
            document_id: document_a,
        }))
        .expect("init");
    Study {
        settings: dir.path().join("settings.ron"),
        _dir: dir,
        project,
        document_a,
    }
}

/// The workbench on `tab`, tall enough that a whole worksheet shows without scrolling.
fn workbench(study: &Study, tab: CentreTab) -> Harness<'static, Workbench> {
    let mut harness = open_workbench(&study.project, study.settings.clone(), vec2(1400.0, 2400.0));
    let session = harness.state_mut().session_mut().expect("session");
    session.centre_mut().tab = tab;
    session.centre_mut().scat.document_id = Some(study.document_a);
    session.centre_mut().scat.selected_row = 4;
    harness.run();
    harness
}

/// The multi-line text field labelled `label` (the table's heading has the same words).
fn field<'h>(harness: &'h Harness<'_, Workbench>, label: &'h str) -> egui_kittest::Node<'h> {
    harness.get_by_role_and_label(Role::MultilineTextInput, label)
}

fn row_four(harness: &Harness<'_, Workbench>) -> casecode::methods::scat::ScatRowView {
    ScatWorksheet::load(project(harness).read(), "A")
        .expect("worksheet")
        .rows
        .into_iter()
        .nth(3)
        .expect("row 4")
}

#[test]
fn a_scat_step_typed_through_the_ime_is_stored_on_its_row() {
    let study = study();
    let mut harness = workbench(&study, CentreTab::Scat);
    field(&harness, "〈1〉テクスト中の注目すべき語句").click();
    harness.run();
    type_with_ime(&mut harness, "そうだんしえんせんもんいん", "相談支援専門員");
    harness.get_by_label(SAVE_ROW).click();
    harness.run();
    let row = row_four(&harness);
    assert_eq!(row.steps[0], "相談支援専門員");
    assert_eq!(row.speaker, "A");
}

#[test]
fn a_theme_becomes_a_code_that_codes_the_rows_text() {
    let study = study();
    let mut harness = workbench(&study, CentreTab::Scat);
    field(
        &harness,
        "〈4〉テーマ・構成概念（前後や全体の文脈を考慮して）",
    )
    .click();
    harness.run();
    type_with_ime(&mut harness, "しょくしゅのてんかん", "職種の転換");
    harness.get_by_label(SAVE_ROW).click();
    harness.run();
    harness.get_by_label(THEME_TO_CODE).click();
    harness.run();
    let project = project(&harness);
    let code_id = project
        .resolve_code("職種の転換")
        .expect("the theme is a code");
    let codings = project.read().codings_of_code(code_id).expect("codings");
    let row = row_four(&harness);
    let [coding] = codings.as_slice() else {
        panic!("one coding: {codings:?}");
    };
    assert_eq!((coding.span.start, coding.span.end), (row.start, row.end));
    assert_eq!(coding.coder, project.coder(), "the workbench's coder");
}

fn concept(harness: &Harness<'_, Workbench>, name: &str) -> CodeId {
    project(harness).resolve_code(name).expect("concept")
}

#[test]
fn a_memo_entry_is_added_to_a_concepts_worksheet_with_date_and_coder() {
    let study = study();
    let mut harness = workbench(&study, CentreTab::Mgta);
    let code_id = concept(&harness, "[母親の休息の確保]");
    harness
        .state_mut()
        .session_mut()
        .expect("session")
        .centre_mut()
        .mgta
        .concept = Some(code_id);
    harness.run();
    field(&harness, NEW_MEMO).click();
    harness.run();
    type_with_ime(&mut harness, "たいきょくれい", "対極例を探す");
    harness.get_by_label(ADD_MEMO).click();
    harness.run();
    let project = project(&harness);
    let guid = project
        .read()
        .code(code_id)
        .expect("read")
        .expect("code")
        .guid;
    let memos = project
        .read()
        .theoretical_memos(Some(&guid))
        .expect("memos");
    let [memo] = memos.as_slice() else {
        panic!("one memo: {memos:?}");
    };
    assert_eq!(memo.text, "対極例を探す");
    assert_eq!(memo.coder, project.coder(), "the workbench's coder");
    assert_eq!(memo.date.len(), 10, "dated YYYY-MM-DD: {}", memo.date);
}

#[test]
fn a_labelled_arrow_is_drawn_between_two_concepts() {
    let study = study();
    let mut harness = workbench(&study, CentreTab::Mgta);
    let from = concept(&harness, "[母親の休息の確保]");
    let to = concept(&harness, "[レスパイトの調整]");
    {
        let mgta = &mut harness
            .state_mut()
            .session_mut()
            .expect("session")
            .centre_mut()
            .mgta;
        mgta.page = MgtaPage::Diagram;
        mgta.canvas.from = Some(from);
        mgta.canvas.to = Some(to);
    }
    harness.run();
    harness.get_by_label(ARROW_LABEL).click();
    harness.run();
    harness.event(Event::Text("循環".to_owned()));
    harness.run();
    harness.get_by_label(ADD_ARROW).click();
    harness.run();
    let diagram = project(&harness).read().result_diagram().expect("diagram");
    assert_eq!(diagram.boxes.len(), 2, "both concepts got a box");
    let [arrow] = diagram.arrows.as_slice() else {
        panic!("one arrow: {:?}", diagram.arrows);
    };
    assert_eq!(arrow.label, "循環");
    let guid = |id: CodeId| {
        project(&harness)
            .read()
            .code(id)
            .expect("read")
            .expect("code")
            .guid
    };
    assert_eq!(
        (arrow.from_guid.clone(), arrow.to_guid.clone()),
        (guid(from), guid(to))
    );
}
