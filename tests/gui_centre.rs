//! The centre tabs driven as a researcher drives them, headless with egui_kittest on a real
//! project file: open a matrix cell and jump from its segment to the transcript and back, write
//! the cell's 要約 through the IME, mark a cell explicitly negative, search and code every hit,
//! read the crosstab, and import a folder in the background. Assertions are on the project.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use casecode::analysis::{AnalysisData, ColumnKey};
use casecode::command::{Command, NewCoding};
use casecode::import::attributes::read_attributes_csv;
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::model::{CaseId, CodeId, CodingId};
use casecode::project::Project;
use casecode::ui::Workbench;
use casecode::ui::centre::CentreTab;
use casecode::ui::settings::SettingsFile;
use eframe::egui::{self, Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod gui_support;
use gui_support::{
    assert_japanese_font, drag_over_text, open_document, open_workbench, project, replace_text,
    report_frames, right_click, type_with_ime, undo_from_menu, wheel,
};

/// The workbench with the study's project open, wide enough for the matrix and its panels.
fn workbench(study: &Study) -> Harness<'static, Workbench> {
    open_workbench(&study.project, study.settings.clone(), vec2(1400.0, 860.0))
}

const B: &str = "事例Ｂ　インタビュー逐語録\n\
Ｉ：今日はよろしくお願いします。\n\
Ｂ：管理者の𠮷田さんが、もともとNICUにいた人なので、小児の依頼がすごく多いんですね。\n\
Ｉ：なるほど。\n\
Ｂ：レスパイトの受け皿がなくて、小児の依頼を断ることもあります。\n";
const C: &str = "Ｃ：市役所の立場では、小児の依頼は相談支援専門員につなぎます。\n";

struct Study {
    _dir: tempfile::TempDir,
    project: PathBuf,
    settings: PathBuf,
    code_id: CodeId,
    coding_id: CodingId,
    case_b: CaseId,
}

/// Cases B (訪問看護ステーション) and C (市役所), one code with one coding in B.
fn study() -> Study {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("study.casecode");
    let mut setup = Project::create(&project).expect("create project");
    let mut documents = Vec::new();
    for (name, text) in [("B", B), ("C", C)] {
        let file = dir.path().join(format!("{name}.txt"));
        std::fs::write(&file, text).expect("write transcript");
        documents.push(read_transcript(&file, &TxtOptions::default()).expect("read"));
    }
    setup
        .execute(Command::ImportDocuments { documents })
        .expect("import");
    let attributes = dir.path().join("cases.csv");
    std::fs::write(
        &attributes,
        "事例,所属組織\nB,訪問看護ステーション\nC,市役所\n",
    )
    .expect("write csv");
    let table = read_attributes_csv(&attributes).expect("attributes");
    setup
        .execute(Command::ImportAttributes { table })
        .expect("import attributes");
    setup
        .execute(Command::AddCode {
            parent_id: None,
            name: "[小児の依頼]".to_owned(),
            definition: String::new(),
            color: Some("#4C8BD6".to_owned()),
            roles: Vec::new(),
        })
        .expect("add code");
    let code_id = setup.resolve_code("[小児の依頼]").expect("code");
    let document = setup.document_named("B").expect("B");
    let text: Vec<char> = B.chars().collect();
    let start = B
        .find("小児の依頼")
        .map(|byte| B[..byte].chars().count())
        .expect("span");
    assert_eq!(text[start], '小');
    setup
        .execute(Command::AddCodings {
            codings: vec![NewCoding {
                document_id: document.id,
                code_id,
                start,
                end: start + 5,
                coder: "tester".to_owned(),
                memo: String::new(),
            }],
        })
        .expect("code");
    let data = AnalysisData::load(&setup).expect("data");
    let coding_id = data.segments().next().expect("one segment").coding_id;
    let case_b = document.case_id;
    drop(setup);
    Study {
        settings: dir.path().join("settings.ron"),
        _dir: dir,
        project,
        code_id,
        coding_id,
        case_b,
    }
}

fn tab(harness: &Harness<'_, Workbench>) -> CentreTab {
    harness.state().session().expect("session").centre().tab
}

/// Opens the matrix tab with the cell (B, [小児の依頼]) selected.
fn open_cell(harness: &mut Harness<'_, Workbench>, study: &Study) {
    harness.get_by_label("事例-コード・マトリックス").click();
    harness.run();
    assert_eq!(tab(harness), CentreTab::Matrix);
    harness
        .state_mut()
        .session_mut()
        .expect("session")
        .centre_mut()
        .matrix
        .select(study.case_b, ColumnKey::Code(study.code_id));
    harness.run();
}

#[test]
fn a_segment_of_a_matrix_cell_opens_the_transcript_there_and_back_returns() {
    let study = study();
    let mut harness = workbench(&study);
    // Start on C, so that the jump has to switch documents.
    open_document(&mut harness, "C");
    open_cell(&mut harness, &study);
    harness.get_by_label("文書セグメント 1 件");

    harness.get_by_label("B-2「小児の依頼」（tester）").click();
    harness.run();

    assert_eq!(tab(&harness), CentreTab::Transcript);
    let transcript = harness.state().transcript().expect("transcript");
    let b = project(&harness).document_named("B").expect("B").id;
    assert_eq!(transcript.document_id(), b);
    let data = AnalysisData::load(project(&harness)).expect("data");
    let segment = data.segment(study.coding_id).expect("segment");
    assert_eq!(
        transcript.selected_span(),
        Some((segment.start, segment.end)),
        "the segment is selected at its code-point span"
    );
    assert!(!transcript.is_scrolling_to_reveal());
    assert!(
        transcript.point_of_offset(segment.start).is_some(),
        "the segment's line is on screen"
    );

    harness
        .get_by_label("← 事例-コード・マトリックスに戻る")
        .click();
    harness.run();
    assert_eq!(tab(&harness), CentreTab::Matrix);
}

#[test]
fn a_summary_typed_through_the_ime_is_stored_on_the_cell_and_undone_from_the_menu() {
    let study = study();
    let mut harness = workbench(&study);
    open_cell(&mut harness, &study);

    harness.get_by_label("このセルの要約").click();
    harness.run();
    type_with_ime(&mut harness, "しょうにのいらいがおおい", "小児の依頼が多い");
    harness.get_by_label("要約を保存").click();
    harness.run();

    let data = AnalysisData::load(project(&harness)).expect("data");
    let summary = data
        .summary(study.case_b, study.code_id)
        .expect("a summary");
    assert_eq!(summary.text, "小児の依頼が多い");

    undo_from_menu(&mut harness, "");
    let data = AnalysisData::load(project(&harness)).expect("data");
    assert!(data.summary(study.case_b, study.code_id).is_none());
}

#[test]
fn a_cell_marked_explicitly_negative_is_stored_as_a_mark() {
    let study = study();
    let mut harness = workbench(&study);
    let case_c = project(&harness).document_named("C").expect("C").case_id;
    harness.get_by_label("事例-コード・マトリックス").click();
    harness.run();
    harness
        .state_mut()
        .session_mut()
        .expect("session")
        .centre_mut()
        .matrix
        .select(case_c, ColumnKey::Code(study.code_id));
    harness.run();
    harness.get_by_label("この事例にはこのコードのセグメントがありません。");

    harness.get_by_label("明示的に該当なし").click();
    harness.run();

    let data = AnalysisData::load(project(&harness)).expect("data");
    assert!(data.mark(case_c, study.code_id).is_some());
    assert!(data.mark(study.case_b, study.code_id).is_none());
}

#[test]
fn searching_then_coding_all_hits_adds_only_the_uncoded_ones() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("[小児の依頼]").click();
    harness.run();
    harness.get_by_label("検索・KWIC").click();
    harness.run();

    harness.get_by_label("検索語").click();
    harness.run();
    type_with_ime(&mut harness, "しょうにのいらい", "小児の依頼");
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    let rows = harness
        .state()
        .session()
        .expect("session")
        .centre()
        .search
        .rows()
        .len();
    assert_eq!(
        rows,
        3,
        "two in B, one in C: {:?}",
        harness.state().status()
    );
    harness.get_by_label("3 件");
    // 24 code points each side (𠮷 is one), line breaks shown as spaces.
    let first = &harness
        .state()
        .session()
        .expect("session")
        .centre()
        .search
        .rows()[0];
    assert_eq!(
        (first.left.as_str(), first.right.as_str()),
        (
            "者の𠮷田さんが、もともとNICUにいた人なので、",
            "がすごく多いんですね。 Ｉ：なるほど。 Ｂ：レス"
        )
    );

    harness.get_by_label("すべてにコードを付ける…").click();
    harness.run();
    harness.get_by_label(
        "「小児の依頼」の 2 件すべてにコード「[小児の依頼]」を付けますか？（すでに付いている 1 件は除きます。元に戻せます）",
    );
    harness.get_by_label("実行").click();
    harness.run();

    let data = AnalysisData::load(project(&harness)).expect("data");
    let mut spans: Vec<(String, usize, usize)> = data
        .segments()
        .map(|s| {
            (
                data.document(s.document_id).expect("doc").name.clone(),
                s.start,
                s.end,
            )
        })
        .collect();
    spans.sort();
    assert_eq!(spans.len(), 3);
    assert!(data.segments().all(|s| s.text == "小児の依頼"));
    assert_eq!(
        project(&harness).undo_label().expect("label").as_deref(),
        Some("コードの適用（2 件）"),
        "one undoable command for all hits"
    );
}

#[test]
fn the_crosstab_counts_codes_by_organisation_type() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("クロス集計").click();
    harness.run();
    // The values head the columns (the chart's axis names them too).
    assert!(harness.get_all_by_label("訪問看護ステーション").count() >= 1);
    assert!(harness.get_all_by_label("市役所").count() >= 1);
    // B has the one segment (100 % of its one case); C none.
    harness.get_by_label("1 (100%)");
    harness.get_by_label("0 (0%)");
    harness.get_by_label("事例数").click();
    harness.run();
    harness.get_by_label("1 (100%)");
}

#[test]
fn a_folder_dropped_on_the_window_is_imported_in_the_background() {
    let study = study();
    let mut harness = workbench(&study);
    let folder = study.project.with_file_name("more");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("D.txt"), "Ｄ：保健センターです。\n").expect("write");
    harness
        .state_mut()
        .act(casecode::ui::action::Action::ImportPaths(vec![folder]));
    harness.state_mut().wait_for_background();
    harness.run();
    assert!(
        project(&harness).document_named("D").is_ok(),
        "{:?}",
        harness.state().status()
    );
    assert_eq!(harness.state().status(), Some("1 件の文書を取り込みました"));
}

/// `[start, end)` of the first 「小児の依頼」 in B, in code points.
fn first_span(harness: &Harness<'_, Workbench>) -> (usize, usize) {
    let data = AnalysisData::load(project(harness)).expect("data");
    let segment = data.segments().next().expect("the coded span");
    (segment.start, segment.end)
}

#[test]
fn an_in_vivo_code_is_named_after_the_selected_words_and_undone_in_one_step() {
    let study = study();
    let mut harness = workbench(&study);
    open_document(&mut harness, "B");
    // 「レスパイトの受け皿」 in B's second turn.
    let start = B
        .find("レスパイトの受け皿")
        .map(|byte| B[..byte].chars().count())
        .expect("words");
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(start, start + 9);
    harness.run();

    harness.get_by_label("インビボ・コード").click();
    harness.run();

    let code_id = project(&harness)
        .resolve_code("レスパイトの受け皿")
        .expect("the in-vivo code exists");
    let data = AnalysisData::load(project(&harness)).expect("data");
    let spans: Vec<(usize, usize)> = data
        .segments()
        .filter(|s| s.code_id == code_id)
        .map(|s| (s.start, s.end))
        .collect();
    assert_eq!(spans, [(start, start + 9)]);
    assert_eq!(
        project(&harness).undo_label().expect("label").as_deref(),
        Some("インビボ・コード「レスパイトの受け皿」の作成と適用")
    );
    harness.state_mut().act(casecode::ui::action::Action::Undo);
    harness.run();
    assert!(
        project(&harness)
            .resolve_code("レスパイトの受け皿")
            .is_err()
    );
    assert_eq!(
        AnalysisData::load(project(&harness))
            .expect("data")
            .segment_count(),
        1
    );
}

#[test]
fn a_drag_inside_words_snaps_to_whole_words_when_asked() {
    let study = study();
    let mut harness = workbench(&study);
    open_document(&mut harness, "B");
    harness.get_by_label("語の境界に合わせる").click();
    harness.run();
    let (start, end) = first_span(&harness);
    // From inside 小児 to inside 依頼: 「児の依」.
    drag_over_text(&mut harness, start + 1, end - 1);
    assert_eq!(
        harness.state().transcript().and_then(|t| t.selected_span()),
        Some((start, end)),
        "the selection grew to 「小児の依頼」"
    );
}

#[test]
fn a_coding_is_recoded_to_the_code_selected_in_the_tree_from_its_context_menu() {
    let study = study();
    let mut harness = workbench(&study);
    {
        let session = harness.state_mut().session_mut().expect("session");
        session
            .execute(Command::AddCode {
                parent_id: None,
                name: "[受け皿の不足]".to_owned(),
                definition: String::new(),
                color: None,
                roles: Vec::new(),
            })
            .expect("add code");
        session.refresh().expect("refresh");
    }
    harness.run();
    harness.get_by_label("[受け皿の不足]").click();
    harness.run();
    let (start, _) = first_span(&harness);
    let inside = harness
        .state()
        .transcript()
        .and_then(|t| t.point_of_offset(start + 2))
        .expect("visible");
    right_click(&mut harness, inside);
    harness.get_by_label("「[受け皿の不足]」に付け替え").click();
    harness.run();

    let target = project(&harness)
        .resolve_code("[受け皿の不足]")
        .expect("code");
    let data = AnalysisData::load(project(&harness)).expect("data");
    let segment = data.segment(study.coding_id).expect("the same coding");
    assert_eq!(segment.code_id, target, "{:?}", harness.state().status());
    assert_eq!(segment.text, "小児の依頼");
    assert_eq!(
        project(&harness).undo_label().expect("label").as_deref(),
        Some("コードの付け替え")
    );
}

/// Clicks 頻出語 and waits for the morphological index, which is built on a thread (its
/// progress bar keeps repainting, so one frame, then the wait).
fn show_frequency_list(harness: &mut Harness<'static, Workbench>) {
    harness.get_by_label("頻出語").click();
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
}

#[test]
fn the_dictionary_folder_of_the_settings_is_used_and_a_bad_one_is_named() {
    let study = study();
    let mut harness = workbench(&study);
    let set_dictionary = |harness: &mut Harness<'static, Workbench>, folder: &str| {
        harness.get_by_label("設定").click();
        harness.run();
        harness.get_by_label("形態素解析の辞書").focus();
        harness.run();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
        harness.key_press(Key::Backspace);
        harness.run();
        replace_text(harness, folder);
        // The dictionary's 適用 (the font's is above it).
        harness
            .get_all_by_label("適用")
            .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
            .expect("the dictionary's 適用")
            .click();
        harness.run();
        harness.get_by_label("閉じる").click();
        harness.run();
    };
    let missing = study.project.with_file_name("no-such-ipadic");
    set_dictionary(&mut harness, &missing.display().to_string());
    harness.get_by_label("検索・KWIC").click();
    harness.run();
    show_frequency_list(&mut harness);
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains(&format!(
            "{} (from the dictionary folder in 設定)",
            missing.display()
        )),
        "{status}"
    );
    // Back to automatic: the frequency list is built with the usual dictionary.
    set_dictionary(&mut harness, "");
    show_frequency_list(&mut harness);
    let rows = harness
        .state()
        .session()
        .expect("session")
        .centre()
        .search
        .frequency()
        .rows()
        .len();
    assert!(rows > 0, "{:?}", harness.state().status());
}

#[test]
fn the_word_frequency_list_counts_base_forms_and_a_click_opens_the_word_s_kwic() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("検索・KWIC").click();
    harness.run();
    show_frequency_list(&mut harness);
    let rows = harness
        .state()
        .session()
        .expect("session")
        .centre()
        .search
        .frequency()
        .rows()
        .to_vec();
    let row = |word: &str| rows.iter().find(|row| row.base_form == word).cloned();
    let request = row("依頼").expect("依頼 is counted");
    assert_eq!(
        (request.count, request.documents),
        (3, 2),
        "two in B, one in C"
    );
    assert!(
        rows.iter()
            .all(|row| row.pos == "名詞" || row.pos == "カスタム名詞")
    );
    assert!(row("する").is_none(), "verbs are filtered out by default");

    harness.get_by_label("依頼").click();
    harness.run();
    let kwic = harness
        .state()
        .session()
        .expect("session")
        .centre()
        .search
        .rows()
        .len();
    assert_eq!(
        kwic,
        3,
        "the click ran a base-form search for 依頼: {:?}",
        harness.state().status()
    );
}

#[test]
fn ctrl_enter_applies_the_code_selected_in_the_tree_to_the_selected_text() {
    let study = study();
    let mut harness = workbench(&study);
    let start = B
        .find("レスパイトの受け皿")
        .map(|byte| B[..byte].chars().count())
        .expect("words");
    // Select the code first (no text is selected, so the click only selects it).
    harness.get_by_label("[小児の依頼]").click();
    harness.run();
    harness
        .state_mut()
        .transcript_mut()
        .expect("transcript")
        .select(start, start + 5);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    harness.run();
    let data = AnalysisData::load(project(&harness)).expect("data");
    assert!(
        data.segments()
            .any(|s| s.code_id == study.code_id && (s.start, s.end) == (start, start + 5)),
        "{:?}",
        harness.state().status()
    );
}

/// ファイル ▸ エクスポート ▸ `item`, then 書き出す; returns the status line.
fn export_from_menu(harness: &mut Harness<'_, Workbench>, item: &str) -> String {
    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("エクスポート").click();
    harness.run();
    harness.get_by_label(item).click();
    harness.run();
    harness.get_by_label("書き出す").click();
    harness.run();
    harness.state().status().unwrap_or_default().to_owned()
}

#[test]
fn the_export_menu_writes_the_workbook_and_the_qdpx_next_to_the_project_and_names_them() {
    let study = study();
    let mut harness = workbench(&study);

    let status = export_from_menu(&mut harness, "論文用ワークブック（.xlsx）…");
    let workbook = study.project.with_file_name("study.xlsx");
    assert!(workbook.is_file(), "{status}");
    assert!(
        status.starts_with(&format!("{} に書き出しました（", workbook.display())),
        "{status}"
    );
    assert!(status.contains("表1 対象者の概要"), "{status}");
    let bytes = std::fs::read(&workbook).expect("read workbook");
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");

    let status = export_from_menu(&mut harness, "REFI-QDA プロジェクト（.qdpx）…");
    let qdpx = study.project.with_file_name("study.qdpx");
    assert!(qdpx.is_file(), "{status}");
    assert_eq!(status, format!("{} に書き出しました", qdpx.display()));
}

#[test]
fn an_export_to_a_missing_folder_reports_the_file_and_writes_nothing() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("エクスポート").click();
    harness.run();
    harness.get_by_label("セグメント一覧（CSV）…").click();
    harness.run();
    let target = study.project.with_file_name("no-such-folder").join("s.csv");
    harness.get_by_label("書き出し先").click();
    harness.run();
    replace_text(&mut harness, &target.display().to_string());
    harness.get_by_label("書き出す").click();
    harness.run();
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(status.starts_with("エラー"), "{status}");
    assert!(status.contains("s.csv"), "{status}");
    assert!(!target.exists());
}

/// Frame times of the matrix tab on 100 cases × 300 focus codes (4 categories × 5
/// subcategories × 15 codes) with 12,000 codings, scrolling down and right over the grid.
/// Not a pass/fail test; run it in release and read the numbers:
/// `cargo test --release --test gui_centre -- --ignored --nocapture frame_times`.
#[test]
#[ignore = "a benchmark: run with --release --ignored --nocapture"]
fn frame_times_of_a_100_by_300_matrix() {
    use std::time::Instant;

    use eframe::egui;

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("matrix.casecode");
    let mut project = Project::create(&path).expect("create");
    let line = "Ｘ：在宅に移行するときに、相談支援専門員と一緒に入りました。\n";
    let documents = (0..100)
        .map(|index| {
            let file = dir.path().join(format!("事例{index:03}.txt"));
            std::fs::write(&file, line.repeat(40)).expect("write");
            read_transcript(&file, &TxtOptions::default()).expect("read")
        })
        .collect();
    project
        .execute(Command::ImportDocuments { documents })
        .expect("import");
    let mut codes = Vec::new();
    let add = |project: &mut Project, parent_id: Option<CodeId>, name: String| {
        project
            .execute(Command::AddCode {
                parent_id,
                name: name.clone(),
                definition: String::new(),
                color: None,
                roles: Vec::new(),
            })
            .expect("code");
        let path = match parent_id {
            Some(parent) => format!(
                "{}/{name}",
                project.code_tree().expect("tree").path_string(parent)
            ),
            None => name,
        };
        project.resolve_code(&path).expect("id")
    };
    for category in 0..4 {
        let category_id = add(&mut project, None, format!("カテゴリー{category}"));
        for subcategory in 0..5 {
            let subcategory_id = add(
                &mut project,
                Some(category_id),
                format!("サブカテゴリー{category}-{subcategory}"),
            );
            for code in 0..15 {
                codes.push(add(
                    &mut project,
                    Some(subcategory_id),
                    format!("焦点コード{category}-{subcategory}-{code:02}"),
                ));
            }
        }
    }
    let document_ids: Vec<_> = project
        .read()
        .document_infos()
        .expect("documents")
        .into_iter()
        .map(|d| d.id)
        .collect();
    let chars = line.chars().count() * 40;
    let mut seed: u64 = 7;
    let mut next = |bound: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % bound
    };
    let codings = (0..12_000)
        .map(|_| {
            let start = next(chars - 40);
            NewCoding {
                document_id: document_ids[next(document_ids.len())],
                code_id: codes[next(codes.len())],
                start,
                end: start + 5 + next(30),
                coder: "bench".to_owned(),
                memo: String::new(),
            }
        })
        .collect::<Vec<_>>();
    let mut unique = codings;
    unique.sort_by_key(|c| (c.code_id, c.document_id, c.start, c.end));
    unique.dedup_by_key(|c| (c.code_id, c.document_id, c.start, c.end));
    let count = unique.len();
    project
        .execute(Command::AddCodings { codings: unique })
        .expect("codings");
    drop(project);

    let mut workbench = Workbench::new(SettingsFile::in_memory());
    workbench.open_project(&path);
    // Answers the coder prompt (asked when no coder name is set).
    workbench.set_coder("bench");
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    harness.run();
    // The same frames on the transcript tab: what the side panels (cases, the 324-code tree)
    // cost on their own.
    let mut baseline = Vec::new();
    for _ in 0..60 {
        harness.hover_at(egui::pos2(600.0, 450.0));
        let started = Instant::now();
        harness.step();
        baseline.push(started.elapsed());
    }
    let opened = Instant::now();
    harness.get_by_label("事例-コード・マトリックス").click();
    harness.step();
    // From 10,000 codings the matrix is built on a worker (issue 17): wait for it.
    while harness.state().is_busy() {
        harness.state_mut().wait_for_background();
        harness.run_steps(2);
    }
    let first = opened.elapsed();
    let mut steps = Vec::new();
    let mut tessellations = Vec::new();
    for frame in 0..240 {
        let delta = if frame % 2 == 0 {
            vec2(0.0, -60.0)
        } else {
            vec2(-120.0, 0.0)
        };
        wheel(&mut harness, delta);
        harness.hover_at(egui::pos2(600.0, 450.0));
        let started = Instant::now();
        harness.step();
        steps.push(started.elapsed());
        let shapes = harness.output().shapes.clone();
        let started = Instant::now();
        let primitives = harness.ctx.tessellate(shapes, 1.0);
        tessellations.push(started.elapsed());
        assert!(!primitives.is_empty());
    }
    println!("matrix: 100 cases × 300 focus codes, {count} codings");
    println!(
        "switch to the matrix tab until the matrix shows (read the project, build the matrix): {:.1} ms",
        first.as_secs_f64() * 1000.0
    );
    report_frames("frame while scrolling (egui pass + AccessKit)", &mut steps);
    report_frames("tessellation of that frame", &mut tessellations);
    report_frames(
        "frame on the transcript tab (side panels only)",
        &mut baseline,
    );
}
