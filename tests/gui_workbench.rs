//! The workbench bugs of issue 11, pinned on the sample study at the window sizes where they
//! were found: a drag must store exactly the characters under the pointer (nothing in the
//! layout may move while the button is down), and a click on a code in the tree only selects
//! it — applying a code is an explicit act.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use casecode::model::{CodeId, Coding, DocumentId, Span};
use casecode::project::Project;
use casecode::ui::Workbench;
use eframe::egui::{self, Key, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod gui_support;
use gui_support::{assert_japanese_font, drag_over_text, open_document, open_workbench, project};

struct Study {
    _dir: tempfile::TempDir,
    project: PathBuf,
    settings: PathBuf,
}

/// The sample study of `sample_transcripts/` (10 cases, 63 codes), built fresh.
fn sample_study() -> Study {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("sample.casecode");
    let sources = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
    casecode::sample::build_study(&sources, &project, Some("佐藤")).expect("sample study");
    Study {
        settings: dir.path().join("settings.ron"),
        _dir: dir,
        project,
    }
}

fn workbench(study: &Study, size: Vec2) -> Harness<'static, Workbench> {
    let mut harness = open_workbench(&study.project, study.settings.clone(), size);
    open_document(&mut harness, "A");
    harness
}

fn document(harness: &Harness<'_, Workbench>, name: &str) -> DocumentId {
    project(harness).document_named(name).expect("document").id
}

fn text_of(project: &Project, document_id: DocumentId) -> Vec<char> {
    project
        .read()
        .document_text(document_id)
        .expect("read")
        .expect("text")
        .chars()
        .collect()
}

/// The code point where `needle` starts in the document.
fn offset_of(text: &[char], needle: &str) -> usize {
    let needle: Vec<char> = needle.chars().collect();
    text.windows(needle.len())
        .position(|window| window == needle.as_slice())
        .expect("the words are in the transcript")
}

fn slice(text: &[char], start: usize, end: usize) -> String {
    text[start..end].iter().collect()
}

fn codings(harness: &Harness<'_, Workbench>, document_id: DocumentId) -> Vec<Coding> {
    project(harness)
        .read()
        .codings_of_document(document_id)
        .expect("codings")
}

fn code(harness: &Harness<'_, Workbench>, path: &str) -> CodeId {
    project(harness).resolve_code(path).expect("code")
}

fn selected_span(harness: &Harness<'_, Workbench>) -> Option<(usize, usize)> {
    harness.state().transcript().and_then(|t| t.selected_span())
}

/// The rows of `[start, end)` on screen: the y of the row of each end.
fn rows_of(harness: &Harness<'_, Workbench>, start: usize, end: usize) -> (f32, f32) {
    let transcript = harness.state().transcript().expect("transcript");
    let from = transcript.point_of_offset(start).expect("start on screen");
    let to = transcript.point_of_offset(end).expect("end on screen");
    (from.y, to.y)
}

#[test]
fn a_long_drag_over_two_rows_at_1280x720_stores_exactly_the_characters_dragged_over() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1280.0, 720.0));
    let a = document(&harness, "A");
    let text = text_of(project(&harness), a);
    // 「では最初に、今のお仕事の内容と、コーディネーターとしての関わりについて教えていただ」:
    // Ｉ's question on line 3, over two rows of the transcript column.
    let start = offset_of(&text, "では最初に");
    let end = offset_of(&text, "いただけますか") + 3;
    let (first_row, last_row) = rows_of(&harness, start, end);
    assert!(
        last_row > first_row + 10.0,
        "the drag goes over two rows ({first_row} → {last_row})"
    );
    // Select the code first: with no text selected, the click only selects it.
    harness.get_by_label("[医療的ケアの手技の確認]").click();
    harness.run();

    drag_over_text(&mut harness, start, end);
    assert_eq!(
        selected_span(&harness),
        Some((start, end)),
        "the selection is 「{}」, the characters under the pointer",
        slice(&text, start, end)
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    harness.run();
    let stored = codings(&harness, a);
    let code_id = code(&harness, "[医療的ケアの手技の確認]");
    let new: Vec<&Coding> = stored
        .iter()
        .filter(|c| c.code_id == code_id && c.span == Span { start, end })
        .collect();
    assert_eq!(new.len(), 1, "{:?}", harness.state().status());

    // A long selection exists; a new short drag along one row elsewhere must not move the text
    // either (the header used to unwrap and pull the text up under the pointer).
    let start = offset_of(&text, "重症心身障害児施設で");
    let end = start + 8;
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(
            offset_of(&text, "では最初に"),
            offset_of(&text, "いただけますか") + 3,
        );
    harness.run();
    drag_over_text(&mut harness, start, end);
    assert_eq!(
        selected_span(&harness),
        Some((start, end)),
        "the new selection is 「{}」",
        slice(&text, start, end)
    );
}

#[test]
fn a_drag_after_scrolling_at_1280x720_selects_the_row_under_the_pointer() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1280.0, 720.0));
    let a = document(&harness, "A");
    let text = text_of(project(&harness), a);
    let start = offset_of(&text, "お母さんって、自分から");
    let end = start + 12;
    // Scroll the way a wheel does (over the text) until the words are on screen.
    let over_text = harness
        .state()
        .transcript()
        .and_then(|t| t.point_of_offset(offset_of(&text, "では最初に")))
        .expect("the top of A is on screen");
    harness.hover_at(over_text);
    harness.run();
    for _ in 0..200 {
        let visible = harness
            .state()
            .transcript()
            .and_then(|t| t.point_of_offset(start).zip(t.point_of_offset(end)))
            .is_some_and(|(from, _)| from.y > 300.0 && from.y < 600.0);
        if visible {
            break;
        }
        gui_support::wheel(&mut harness, vec2(0.0, -50.0));
        // Steps, not run: a coding's tooltip under the pointer keeps repainting.
        harness.step();
        harness.step();
    }
    drag_over_text(&mut harness, start, end);
    assert_eq!(
        selected_span(&harness),
        Some((start, end)),
        "the selection is 「{}」",
        slice(&text, start, end)
    );
}

#[test]
fn a_click_on_a_code_in_the_tree_only_selects_it_and_never_codes_a_leftover_selection() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1600.0, 1000.0));
    let a = document(&harness, "A");
    let text = text_of(project(&harness), a);
    let before = codings(&harness, a).len();
    let start = offset_of(&text, "では最初に");
    let end = start + 9;

    drag_over_text(&mut harness, start, end);
    assert_eq!(selected_span(&harness), Some((start, end)));
    harness.get_by_label("[医療的ケアの手技の確認]").click();
    harness.run();
    assert_eq!(
        codings(&harness, a).len(),
        before,
        "a click selects the code; it does not apply it: {:?}",
        harness.state().status()
    );
    let skills = code(&harness, "[医療的ケアの手技の確認]");
    assert_eq!(
        harness.state().session().expect("session").selected_code(),
        Some(skills)
    );

    // The explicit act: the ✓ button on the selected code's row.
    harness.get_by_label("✓").click();
    harness.run();
    let stored = codings(&harness, a);
    assert_eq!(stored.len(), before + 1, "{:?}", harness.state().status());
    assert!(
        stored
            .iter()
            .any(|c| c.code_id == skills && c.span == Span { start, end }),
        "「{}」 is coded",
        slice(&text, start, end)
    );
    assert_eq!(
        selected_span(&harness),
        None,
        "the selection clears after coding"
    );

    // Selecting the subcategory only to rename it codes nothing.
    harness.get_by_label("在宅生活への移行支援").click();
    harness.run();
    assert_eq!(codings(&harness, a).len(), before + 1);

    // The same code on the same span by the same coder is refused with a message.
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(start, end);
    harness.run();
    harness.get_by_label("[医療的ケアの手技の確認]").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    harness.run();
    assert_eq!(codings(&harness, a).len(), before + 1);
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("すでに") && status.contains("[医療的ケアの手技の確認]"),
        "the refusal names the code: {status}"
    );
}

/// The 8 values of 所属組織 in the sample study.
const ORGANISATIONS: [&str; 8] = [
    "重症心身障害児施設",
    "訪問看護ステーション",
    "小児科等診療所",
    "大学病院",
    "市役所",
    "基幹相談支援センター",
    "障害者相談支援センター",
    "保健センター",
];

#[test]
fn the_crosstab_chart_names_every_group_has_round_ticks_and_room_at_1920x1080() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1920.0, 1080.0));
    harness.get_by_label("クロス集計").click();
    harness.run();
    let title = harness.get_by_label_contains("属性値ごとの件数").rect();
    // Every value under its bar (the table's header names it too).
    let mut lowest = title.bottom();
    for name in ORGANISATIONS {
        // (The cases panel on the left names the values too.)
        let under_chart: Vec<egui::Rect> = harness
            .get_all_by_label(name)
            .map(|node| node.rect())
            .filter(|rect| rect.top() > title.bottom() && rect.left() >= title.left() - 1.0)
            .collect();
        assert_eq!(
            under_chart.len(),
            1,
            "「{name}」 names its bar under the chart"
        );
        lowest = lowest.max(under_chart[0].bottom());
    }
    // The y axis has round ticks, not only 「0」.
    let ticks: Vec<usize> = (0..=200)
        .filter(|tick| {
            harness.query_all_by_label(&tick.to_string()).any(|node| {
                node.rect().top() > title.bottom() && node.rect().left() >= title.left() - 1.0
            })
        })
        .collect();
    assert!(ticks.len() >= 3, "ticks {ticks:?}");
    assert_eq!(ticks[0], 0);
    // The plot has room: from its title to the names under the bars.
    assert!(
        lowest - title.bottom() >= 240.0,
        "the chart is {} px tall",
        lowest - title.bottom()
    );
}

#[test]
fn the_crosstab_keeps_the_code_names_in_place_while_the_counts_scroll_sideways() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1280.0, 720.0));
    harness.get_by_label("クロス集計").click();
    harness.run();
    let name = "[退院前からの関わり]";
    // The crosstab's row, left of the code tree's.
    let row_of = |harness: &Harness<'_, Workbench>| {
        harness
            .get_all_by_label(name)
            .map(|node| node.rect())
            .min_by(|a, b| a.left().total_cmp(&b.left()))
            .expect("the code's row")
    };
    let before = row_of(&harness);
    let far = harness
        .get_all_by_label("保健センター")
        .next()
        .expect("header")
        .rect();
    harness.hover_at(far.center());
    harness.run();
    for _ in 0..20 {
        gui_support::wheel(&mut harness, vec2(-120.0, 0.0));
        harness.step();
        harness.step();
    }
    let after = row_of(&harness);
    assert_eq!(
        before.left(),
        after.left(),
        "the code name stays at the left"
    );
    let moved = harness
        .get_all_by_label("保健センター")
        .next()
        .expect("header")
        .rect();
    assert!(moved.left() < far.left(), "the counts scrolled sideways");
}

fn settings_file(study: &Study, text: &str) {
    std::fs::write(&study.settings, text).expect("settings");
}

#[test]
fn the_english_status_line_counts_cases_documents_and_codes_in_lower_case_and_names_the_coder() {
    let study = sample_study();
    settings_file(&study, "(language: English, coder: \"Sato\")");
    let harness = workbench(&study, vec2(1600.0, 1000.0));
    harness.get_by_label_contains("10 cases · 10 documents · 63 codes");
    harness.get_by_label("Coder: Sato");
}

#[test]
fn a_project_opened_without_a_coder_name_asks_for_one_and_codes_with_it() {
    let study = sample_study();
    let mut workbench = Workbench::new(casecode::ui::settings::SettingsFile::at(
        study.settings.clone(),
    ));
    workbench.open_project(&study.project);
    let mut harness = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    harness.run();
    assert!(harness.state().is_asking_for_coder());
    // Prefilled with the login name, when the system knows one.
    let login = ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|key| std::env::var(key).ok())
        .find(|name| !name.trim().is_empty())
        .unwrap_or_default();
    assert_eq!(
        harness
            .get_by_label("コーダー名")
            .value()
            .unwrap_or_default(),
        login.trim()
    );
    harness.get_by_label("コーダー名").click();
    harness.run();
    gui_support::replace_text(&mut harness, "佐藤");
    harness.get_by_label("この名前で始める").click();
    harness.run();
    assert!(!harness.state().is_asking_for_coder());
    harness.get_by_label("コーダー: 佐藤");
    assert_eq!(harness.state().settings().coder, "佐藤", "remembered");

    let a = document(&harness, "A");
    let text = text_of(project(&harness), a);
    let start = offset_of(&text, "では最初に");
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(start, start + 5);
    harness.run();
    gui_support::apply_code(&mut harness, "[医療的ケアの手技の確認]");
    let coded = codings(&harness, a)
        .into_iter()
        .find(|c| {
            c.span
                == Span {
                    start,
                    end: start + 5,
                }
        })
        .expect("coded");
    assert_eq!(coded.coder, "佐藤");
}

#[test]
fn the_matrix_filter_keeps_only_the_cases_with_the_chosen_value() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1600.0, 1000.0));
    harness.get_by_label("事例-コード・マトリックス").click();
    harness.run();
    harness.get_by_label_contains("10 事例 ×");
    harness.get_by_label_contains("すべての事例と文書").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::DisclosureTriangle, "所属組織")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, "訪問看護ステーション")
        .click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label_contains("3 事例 ×");
    harness.get_by_label_contains("所属組織 = 訪問看護ステーション");
}

#[test]
fn an_export_with_a_filter_writes_only_the_segments_of_the_chosen_cases() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1600.0, 1000.0));
    let city = project(&harness)
        .read()
        .attributes()
        .expect("attributes")
        .into_iter()
        .find(|attribute| attribute.name == "所属組織")
        .expect("所属組織")
        .id;
    harness
        .state_mut()
        .session_mut()
        .expect("session")
        .export_window_mut()
        .filter_mut()
        .add_condition(city, "市役所");
    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("エクスポート").click();
    harness.run();
    harness.get_by_label("セグメント一覧（CSV）…").click();
    harness.run();
    harness.get_by_label_contains("所属組織 = 市役所");
    harness.get_by_label("書き出す").click();
    harness.run();
    let csv = std::fs::read_to_string(study.project.with_file_name("sample-segments.csv"))
        .expect("the CSV was written");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{:?}", harness.state().status());
    assert!(
        rows.iter().all(|row| row.starts_with("G,G,")),
        "only G (市役所): {:?}",
        rows.first()
    );
}

#[test]
fn a_code_dropped_on_the_upper_edge_of_a_sibling_moves_before_it() {
    let study = sample_study();
    let mut harness = workbench(&study, vec2(1600.0, 1000.0));
    let order = |harness: &Harness<'_, Workbench>| -> Vec<String> {
        let tree = project(harness).code_tree().expect("tree");
        let parent = tree
            .resolve("医療的ケア児の育ちと生活を支える/在宅生活への移行支援")
            .expect("subcategory");
        tree.children(Some(parent))
            .iter()
            .map(|code_id| tree.get(*code_id).expect("code").name.clone())
            .collect()
    };
    assert_eq!(
        order(&harness)[..2],
        ["[退院前からの関わり]", "[在宅生活のサポート]"]
    );
    let from = harness.get_by_label("[在宅生活のサポート]").rect().center();
    let target = harness.get_by_label("[退院前からの関わり]").rect();
    gui_support::drag_and_drop(
        &mut harness,
        from,
        egui::pos2(target.center().x, target.top() + 1.0),
    );
    assert_eq!(
        order(&harness)[..2],
        ["[在宅生活のサポート]", "[退院前からの関わり]"],
        "{:?}",
        harness.state().status()
    );
    // It stayed in its subcategory, and one undo puts it back.
    gui_support::undo_from_menu(&mut harness, "コードの並べ替え");
    assert_eq!(
        order(&harness)[..2],
        ["[退院前からの関わり]", "[在宅生活のサポート]"]
    );
}
