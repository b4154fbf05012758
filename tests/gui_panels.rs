//! The side panels driven the way a researcher drives them, headless with egui_kittest: recolour
//! a code in its details, drag a code onto another, merge two codes through the dialog, edit a
//! case attribute in place (a bad value and a good one), write memos through the IME, and undo
//! each from the Edit menu. The real `Workbench` runs on a real project file, and the project is
//! what the tests check. A Japanese font is loaded, so any label (and the ※ memo marker) that would
//! render as a box fails the test.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use casecode::command::{AttributeColumn, AttributeTable, Command, NewCoding};
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::model::{AttributeKind, CodeId, MemoTarget};
use casecode::project::Project;
use casecode::ui::Workbench;
use casecode::ui::action::{Action, Outbox};
use eframe::egui::{self, Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

mod gui_support;
use gui_support::{
    assert_japanese_font, drag_and_drop, open_workbench, project, replace_text, report_frames,
    type_with_ime, undo_from_menu, wheel,
};

/// The workbench with the study's project open, at a desktop window size.
fn workbench(study: &Study) -> Harness<'static, Workbench> {
    open_workbench(&study.project, study.settings.clone(), vec2(1280.0, 800.0))
}

const TRANSCRIPT: &str = "事例Ｂ　インタビュー逐語録\n\
Ｉ：今日はよろしくお願いします。\n\
Ｂ：管理者の𠮷田さんが、もともとNICUにいた人なので、小児の依頼がすごく多いんですね。\n\
Ｉ：なるほど。\n";

struct Study {
    _dir: tempfile::TempDir,
    project: PathBuf,
    settings: PathBuf,
}

/// Case B with one transcript and two attributes (勤務年数 12, 所属組織 訪問看護ステーション);
/// codes 家族の生活 ▸ [レスパイト] and a top-level [小児の依頼] (#4C8BD6) with one segment.
fn study() -> Study {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let transcript = dir.path().join("B.txt");
    std::fs::write(&transcript, TRANSCRIPT).expect("write transcript");
    let project = dir.path().join("study.casecode");
    let mut setup = Project::create(&project).expect("create project");
    let document = read_transcript(&transcript, &TxtOptions::default()).expect("read transcript");
    setup
        .execute(Command::ImportDocuments {
            documents: vec![document],
        })
        .expect("import");
    let column = |name: &str, kind| AttributeColumn {
        name: name.to_owned(),
        kind,
        declared: true,
    };
    setup
        .execute(Command::ImportAttributes {
            table: AttributeTable {
                columns: vec![
                    column("所属組織", AttributeKind::Text),
                    column("勤務年数", AttributeKind::Integer),
                ],
                rows: vec![(
                    "B".to_owned(),
                    vec![
                        Some("訪問看護ステーション".to_owned()),
                        Some("12".to_owned()),
                    ],
                )],
            },
        })
        .expect("attributes");
    let mut add = |parent_id: Option<CodeId>, name: &str, color: Option<&str>| {
        setup
            .execute(Command::AddCode {
                parent_id,
                name: name.to_owned(),
                definition: String::new(),
                color: color.map(str::to_owned),
                roles: Vec::new(),
            })
            .expect("add code");
        setup.resolve_code(name).expect("code id")
    };
    let family = add(None, "家族の生活", None);
    add(Some(family), "[レスパイト]", None);
    let referral = add(None, "[小児の依頼]", Some("#4C8BD6"));
    let document_id = setup.document_named("B").expect("B").id;
    setup
        .execute(Command::AddCodings {
            codings: vec![NewCoding {
                document_id,
                code_id: referral,
                start: 40,
                end: 45,
                coder: "山田".to_owned(),
                memo: String::new(),
            }],
        })
        .expect("coding");
    drop(setup);
    Study {
        settings: dir.path().join("settings.ron"),
        _dir: dir,
        project,
    }
}

fn code_id(harness: &Harness<'_, Workbench>, name: &str) -> CodeId {
    project(harness).resolve_code(name).expect("code exists")
}

fn parent_of(harness: &Harness<'_, Workbench>, name: &str) -> Option<CodeId> {
    project(harness)
        .read()
        .code(code_id(harness, name))
        .expect("read")
        .expect("code row")
        .parent_id
}

fn attribute_value(harness: &Harness<'_, Workbench>, name: &str) -> Option<String> {
    let project = project(harness);
    let attribute = project
        .read()
        .attributes()
        .expect("attributes")
        .into_iter()
        .find(|attribute| attribute.name == name)
        .expect("attribute");
    project
        .read()
        .attribute_values()
        .expect("values")
        .into_iter()
        .find(|value| value.attribute_id == attribute.id)
        .map(|value| value.value)
}

#[test]
fn a_code_recoloured_in_its_details_has_the_new_colour_until_undone() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("[小児の依頼]").click();
    harness.run();
    harness.get_by_label("詳細…").click();
    harness.run();

    harness.get_by_label("色").click();
    harness.run();
    replace_text(&mut harness, "#e4575b");
    harness.get_by_label("保存").click();
    harness.run();

    let code = project(&harness)
        .read()
        .code(code_id(&harness, "[小児の依頼]"))
        .expect("read")
        .expect("code");
    assert_eq!(
        code.color.as_deref(),
        Some("#E4575B"),
        "{:?}",
        harness.state().status()
    );

    undo_from_menu(&mut harness, "コードの編集");
    let code = project(&harness)
        .read()
        .code(code_id(&harness, "[小児の依頼]"))
        .expect("read")
        .expect("code");
    assert_eq!(code.color.as_deref(), Some("#4C8BD6"));
}

#[test]
fn a_code_dragged_onto_another_moves_under_it_but_never_into_its_own_subtree() {
    let study = study();
    let mut harness = workbench(&study);
    let family = code_id(&harness, "家族の生活");
    let from = harness.get_by_label("[小児の依頼]").rect().center();
    let to = harness.get_by_label("家族の生活").rect().center();
    drag_and_drop(&mut harness, from, to);
    assert_eq!(
        parent_of(&harness, "[小児の依頼]"),
        Some(family),
        "{:?}",
        harness.state().status()
    );

    // 家族の生活 onto its own subcode: refused with a message, nothing moves.
    let from = harness.get_by_label("家族の生活").rect().center();
    let to = harness.get_by_label("[レスパイト]").rect().center();
    drag_and_drop(&mut harness, from, to);
    assert_eq!(parent_of(&harness, "家族の生活"), None);
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("「家族の生活」はそれ自身やその下位コードの中には移動できません"),
        "{status}"
    );

    undo_from_menu(&mut harness, "コードの移動");
    assert_eq!(parent_of(&harness, "[小児の依頼]"), None);
}

#[test]
fn a_code_dropped_on_the_top_level_zone_leaves_its_category() {
    let study = study();
    let mut harness = workbench(&study);
    assert!(
        harness
            .query_by_label("ここにドロップすると最上位へ移動")
            .is_none(),
        "the zone shows only while a code is dragged"
    );
    let from = harness.get_by_label("[レスパイト]").rect().center();
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    harness.hover_at(from + vec2(0.0, 30.0));
    harness.step();
    harness.step();
    let zone = harness
        .get_by_label("ここにドロップすると最上位へ移動")
        .rect()
        .center();
    harness.hover_at(zone);
    harness.step();
    harness.drop_at(zone);
    harness.run();
    assert_eq!(
        parent_of(&harness, "[レスパイト]"),
        None,
        "{:?}",
        harness.state().status()
    );
    assert!(
        harness
            .query_by_label("ここにドロップすると最上位へ移動")
            .is_none()
    );
}

#[test]
fn merging_through_the_dialog_names_the_segments_and_moves_them() {
    let study = study();
    let mut harness = workbench(&study);
    let source = code_id(&harness, "[小児の依頼]");
    harness.get_by_label("[小児の依頼]").click();
    harness.run();
    harness.get_by_label("統合…").click();
    harness.run();
    // The target list shows full paths; the tree row shows only the name.
    harness.get_by_label("家族の生活/[レスパイト]").click();
    harness.run();
    harness.get_by_label_contains(
        "「[小児の依頼]」を「[レスパイト]」に統合しますか？ 文書セグメント 1 件",
    );
    harness.get_by_label("統合").click();
    harness.run();

    let target = code_id(&harness, "[レスパイト]");
    assert!(project(&harness).resolve_code("[小児の依頼]").is_err());
    let codings = project(&harness).read().codings().expect("codings");
    assert_eq!(codings.len(), 1);
    assert_eq!(codings[0].code_id, target, "{:?}", harness.state().status());

    undo_from_menu(&mut harness, "コードの統合");
    assert_eq!(code_id(&harness, "[小児の依頼]"), source);
    let codings = project(&harness).read().codings().expect("codings");
    assert_eq!(codings[0].code_id, source);
}

#[test]
fn an_attribute_is_edited_in_place_and_a_bad_value_changes_nothing() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("12").click();
    harness.run();
    assert!(harness.get_by_label("勤務年数").is_focused());
    replace_text(&mut harness, "十二年");
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label_contains("「十二年」は整数として読めません");
    assert_eq!(attribute_value(&harness, "勤務年数").as_deref(), Some("12"));

    replace_text(&mut harness, "１５");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        attribute_value(&harness, "勤務年数").as_deref(),
        Some("15"),
        "full-width digits are stored canonical: {:?}",
        harness.state().status()
    );
    assert!(harness.query_by_label_contains("読めません").is_none());

    undo_from_menu(&mut harness, "属性値の編集");
    assert_eq!(attribute_value(&harness, "勤務年数").as_deref(), Some("12"));
}

#[test]
fn cases_are_grouped_under_the_values_of_the_chosen_attribute() {
    let study = study();
    let mut harness = workbench(&study);
    assert!(
        harness
            .query_by_label("訪問看護ステーション（1）")
            .is_none()
    );
    harness.get_by_label("グループ").click();
    harness.run();
    // The option in the popup (the case's attribute row says 所属組織 too).
    harness
        .get_all_by_label("所属組織")
        .find(|node| node.accesskit_node().role() != egui::accesskit::Role::Label)
        .expect("option")
        .click();
    harness.run();
    harness.get_by_label("訪問看護ステーション（1）");
}

#[test]
fn a_case_folds_to_its_name_and_unfolds_again() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("訪問看護ステーション");
    harness.get_by_label_contains("B (");
    // The case's ▼ (the code tree's arrows are further right).
    harness
        .get_all_by_label("▼")
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .expect("the case's ▼")
        .click();
    harness.run();
    assert!(harness.query_by_label("訪問看護ステーション").is_none());
    assert!(harness.query_by_label_contains("B (").is_none());
    harness
        .get_all_by_label("▶")
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .expect("the case's ▶")
        .click();
    harness.run();
    harness.get_by_label("訪問看護ステーション");
    harness.get_by_label_contains("B (");
}

#[test]
fn a_case_memo_typed_through_the_ime_is_stored_and_marked() {
    let study = study();
    let mut harness = workbench(&study);
    let case_id = project(&harness).read().cases().expect("cases")[0].id;
    assert!(harness.query_by_label("※").is_none());

    // The case's header in the left panel (the transcript's title says B too).
    let header = harness
        .get_all_by_label("B")
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .expect("case B");
    header.click_secondary();
    harness.run();
    harness.get_by_label("メモを編集…").click();
    harness.run();
    harness.get_by_label("メモ").click();
    harness.run();
    type_with_ime(&mut harness, "かんりしゃ", "管理者はNICU出身");
    harness.get_by_label("保存").click();
    harness.run();

    let memo = project(&harness)
        .read()
        .memo(MemoTarget::Case(case_id))
        .expect("read");
    assert_eq!(memo.as_deref(), Some("管理者はNICU出身"));
    harness.get_by_label("※");

    undo_from_menu(&mut harness, "事例のメモの編集");
    let memo = project(&harness)
        .read()
        .memo(MemoTarget::Case(case_id))
        .expect("read");
    assert_eq!(memo.as_deref(), Some(""));
}

#[test]
fn the_project_memo_and_a_code_memo_are_written_from_the_panels() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("プロジェクトメモ").click();
    harness.run();
    harness.get_by_label("メモ").click();
    harness.run();
    type_with_ime(&mut harness, "けんきゅうめも", "研究全体のメモ");
    harness.get_by_label("保存").click();
    harness.run();
    assert_eq!(
        project(&harness)
            .read()
            .memo(MemoTarget::Project)
            .expect("read")
            .as_deref(),
        Some("研究全体のメモ")
    );

    harness.get_by_label("[レスパイト]").click();
    harness.run();
    harness.get_by_label("メモを編集…").click();
    harness.run();
    harness.get_by_label("メモ").click();
    harness.run();
    type_with_ime(&mut harness, "たんきにゅうしょ", "短期入所を含む");
    harness.get_by_label("保存").click();
    harness.run();
    let respite = code_id(&harness, "[レスパイト]");
    assert_eq!(
        project(&harness)
            .read()
            .code(respite)
            .expect("read")
            .expect("code")
            .memo,
        "短期入所を含む"
    );

    undo_from_menu(&mut harness, "コードのメモの編集");
    assert_eq!(
        project(&harness)
            .read()
            .code(respite)
            .expect("read")
            .expect("code")
            .memo,
        ""
    );
    assert_eq!(
        project(&harness)
            .read()
            .memo(MemoTarget::Project)
            .expect("read")
            .as_deref(),
        Some("研究全体のメモ"),
        "only the latest command was undone"
    );
}

#[test]
fn the_details_window_edits_the_definition_and_the_roles_in_one_undoable_step() {
    let study = study();
    let mut harness = workbench(&study);
    let respite = code_id(&harness, "[レスパイト]");
    harness.get_by_label("[レスパイト]").click();
    harness.run();
    harness.get_by_label("詳細…").click();
    harness.run();
    harness.get_by_label("定義").click();
    harness.run();
    type_with_ime(
        &mut harness,
        "かぞくのきゅうそく",
        "家族の休息のための一時的な預かり",
    );
    // The default frame's roles are checkboxes: 家族支援 on.
    harness.get_by_label("家族支援").click();
    harness.run();
    harness.get_by_label("保存").click();
    harness.run();

    let code = project(&harness)
        .read()
        .code(respite)
        .expect("read")
        .expect("code");
    assert_eq!(code.definition, "家族の休息のための一時的な預かり");
    let roles = project(&harness)
        .read()
        .roles_of_code(respite)
        .expect("roles");
    let family_role = project(&harness).resolve_role("家族支援").expect("role");
    assert_eq!(roles, vec![family_role], "{:?}", harness.state().status());
    // The window closed; the role's badge shows on the tree row.
    harness.get_by_label("家族支援");

    undo_from_menu(&mut harness, "コードの編集");
    let code = project(&harness)
        .read()
        .code(respite)
        .expect("read")
        .expect("code");
    assert_eq!(code.definition, "");
    assert!(
        project(&harness)
            .read()
            .roles_of_code(respite)
            .expect("roles")
            .is_empty()
    );
}

#[test]
fn a_document_memo_is_written_from_the_documents_context_menu() {
    let study = study();
    let mut harness = workbench(&study);
    let document_id = project(&harness).document_named("B").expect("B").id;
    harness.get_by_label_contains("B (").click_secondary();
    harness.run();
    harness.get_by_label("メモを編集…").click();
    harness.run();
    harness.get_by_label("メモ").click();
    harness.run();
    type_with_ime(&mut harness, "ろくおん", "録音の冒頭が欠けている");
    harness.get_by_label("保存").click();
    harness.run();
    assert_eq!(
        project(&harness)
            .read()
            .memo(MemoTarget::Document(document_id))
            .expect("read")
            .as_deref(),
        Some("録音の冒頭が欠けている")
    );
    undo_from_menu(&mut harness, "文書のメモの編集");
    assert_eq!(
        project(&harness)
            .read()
            .memo(MemoTarget::Document(document_id))
            .expect("read")
            .as_deref(),
        Some("")
    );
}

/// The lead's menus and the transcript can open the same window through an `Action`; a
/// coding's memo is read from the project (the snapshot does not hold codings), so saving
/// never overwrites it with an empty text.
#[test]
fn the_memo_window_opened_on_a_coding_starts_from_its_stored_memo() {
    let study = study();
    let mut harness = workbench(&study);
    let coding_id = project(&harness).read().codings().expect("codings")[0].id;
    let mut outbox = Outbox::default();
    outbox.command(Command::SetCodingMemo {
        coding_id,
        memo: "既存のメモ".to_owned(),
    });
    harness.state_mut().apply(outbox);
    harness
        .state_mut()
        .act(Action::EditMemo(MemoTarget::Coding(coding_id)));
    harness.run();
    // The window's title names the coding's code.
    harness.get_by_label("メモ: コーディング（[小児の依頼]）");
    assert_eq!(
        harness.get_by_label("メモ").value().as_deref(),
        Some("既存のメモ")
    );
    harness.get_by_label("メモ").click();
    harness.run();
    harness.key_press(Key::End);
    type_with_ime(&mut harness, "ついき", "。追記");
    harness.get_by_label("保存").click();
    harness.run();
    assert_eq!(
        project(&harness)
            .read()
            .memo(MemoTarget::Coding(coding_id))
            .expect("read")
            .as_deref(),
        Some("既存のメモ。追記")
    );
}

/// Frame times of the cases panel with a large survey: 5,000 respondents, each with four
/// attributes and one answer, scrolled through ungrouped and then grouped by 職種.
/// `cargo test --release --test gui_panels -- --ignored --nocapture frame_times`.
#[test]
#[ignore = "a benchmark: run with --release --ignored --nocapture"]
fn frame_times_of_the_cases_panel_with_5000_respondents() {
    use std::fmt::Write as _;
    use std::time::Instant;

    use casecode::import::survey::{AttributeColumns, SurveyOptions, read_survey};
    use casecode::ui::settings::SettingsFile;

    const RESPONDENTS: usize = 5_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut csv = "回答ID,職種,経験年数,所属,地域,自由記述\n".to_owned();
    let jobs = ["看護師", "保健師", "相談支援専門員", "行政職員", "保育士"];
    for row in 0..RESPONDENTS {
        writeln!(
            csv,
            "R{row:05},{},{},事業所{},地域{},研修で学んだことを、明日からの家族支援に生かしたいと思います。{row}",
            jobs[row % jobs.len()],
            1 + row % 30,
            row % 97,
            row % 12
        )
        .expect("write");
    }
    let survey_path = dir.path().join("survey.csv");
    std::fs::write(&survey_path, csv).expect("write survey");
    let survey = read_survey(
        &survey_path,
        &SurveyOptions {
            id_column: Some("回答ID".to_owned()),
            text_columns: vec!["自由記述".to_owned()],
            attributes: AttributeColumns::AllOther,
            sheet: None,
        },
    )
    .expect("read survey");
    let path = dir.path().join("survey.casecode");
    let mut project = Project::create(&path).expect("create");
    project
        .execute(Command::ImportCases {
            source: "survey.csv".to_owned(),
            documents: survey.documents,
            table: survey.table,
        })
        .expect("import");
    drop(project);

    let mut workbench = Workbench::new(SettingsFile::in_memory());
    let opened = Instant::now();
    workbench.open_project(&path);
    // Answers the coder prompt (asked when no coder name is set).
    workbench.set_coder("bench");
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    harness.step();
    let first = opened.elapsed();
    let scroll = |harness: &mut Harness<'_, Workbench>, frames: usize| {
        let mut times = Vec::new();
        for _ in 0..frames {
            wheel(harness, vec2(0.0, -400.0));
            harness.hover_at(egui::pos2(120.0, 450.0));
            let started = Instant::now();
            harness.step();
            times.push(started.elapsed());
        }
        times
    };
    println!("cases panel: {RESPONDENTS} cases × 4 attributes, {RESPONDENTS} documents");
    println!(
        "open the project + first frame: {:.1} ms",
        first.as_secs_f64() * 1000.0
    );
    report_frames(
        "frame while scrolling the cases",
        &mut scroll(&mut harness, 120),
    );
    // The cases panel's own グループ box (the leftmost), then 職種 in its popup.
    harness
        .get_all_by_label("グループ")
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .expect("the cases panel's group box")
        .click();
    harness.run();
    harness
        .get_all_by_label("職種")
        .find(|node| node.accesskit_node().role() != egui::accesskit::Role::Label)
        .expect("option")
        .click();
    harness.run();
    // Back to the top: the first of five groups of 1,000.
    wheel(&mut harness, vec2(0.0, 1.0e7));
    harness.hover_at(egui::pos2(120.0, 450.0));
    harness.run_steps(10);
    harness.get_by_label("保健師（1000）");
    report_frames(
        "frame while scrolling, grouped by 職種",
        &mut scroll(&mut harness, 120),
    );
}
