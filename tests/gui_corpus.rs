//! The corpus views driven as a researcher drives them, headless with egui_kittest on a real
//! project file: 頻出語 and KWIC read the interviewee's speech without （笑）, the speaker
//! filter and the interviewer setting change that, stop words are added from the list and
//! undone, KWIC lines are exported, the co-occurrence network shows the codes, and auto-coding
//! suggestions are accepted one by one or all at once. Assertions are on the project, the
//! files written, or the rows the views show.
#![cfg(feature = "gui")]

use std::path::PathBuf;

use casecode::analysis::AnalysisData;
use casecode::command::{Command, NewCoding};
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::project::Project;
use casecode::ui::Workbench;
use eframe::egui::{Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod gui_support;
use gui_support::{assert_japanese_font, open_workbench, project, replace_text, undo_from_menu};

/// The interviewer (Ｉ) says 看護師 and ヘルパー once each; the interviewee (Ｋ) says 看護師
/// twice and ヘルパー once; both laugh.
const K: &str = "事例Ｋ　逐語録\nＩ：看護師の方についてうかがいます（笑）。\nＫ：看護師が足りません（笑）。ヘルパーも足りません。\nＩ：ヘルパーですか。\nＫ：はい、訪問看護の看護師も足りません。\n";

struct Study {
    _dir: tempfile::TempDir,
    project: PathBuf,
    settings: PathBuf,
}

/// One interview; codes [人手不足] and [ヘルパー] overlapping on K-2, [看護] on K-4.
fn study() -> Study {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("study.casecode");
    let mut setup = Project::create(&project).expect("create project");
    let file = dir.path().join("K.txt");
    std::fs::write(&file, K).expect("write transcript");
    let document = read_transcript(&file, &TxtOptions::default()).expect("read");
    setup
        .execute(Command::ImportDocuments {
            documents: vec![document],
        })
        .expect("import");
    for name in ["[人手不足]", "[ヘルパー]", "[看護]"] {
        setup
            .execute(Command::AddCode {
                parent_id: None,
                name: name.to_owned(),
                definition: String::new(),
                color: None,
                roles: Vec::new(),
            })
            .expect("add code");
    }
    let document_id = setup.document_named("K").expect("K").id;
    let span = |text: &str| {
        let byte = K.find(text).expect("text in K");
        let start = K[..byte].chars().count();
        (start, start + text.chars().count())
    };
    let coding = |code: &str, (start, end): (usize, usize)| NewCoding {
        document_id,
        code_id: setup.resolve_code(code).expect("code"),
        start,
        end,
        coder: "tester".to_owned(),
        memo: String::new(),
    };
    let codings = vec![
        coding(
            "[人手不足]",
            span("看護師が足りません（笑）。ヘルパーも足りません。"),
        ),
        coding("[ヘルパー]", span("ヘルパーも足りません。")),
        coding("[看護]", span("訪問看護の看護師")),
    ];
    setup
        .execute(Command::AddCodings { codings })
        .expect("code");
    drop(setup);
    Study {
        settings: dir.path().join("settings.ron"),
        _dir: dir,
        project,
    }
}

fn workbench(study: &Study) -> Harness<'static, Workbench> {
    open_workbench(&study.project, study.settings.clone(), vec2(1400.0, 860.0))
}

/// Clicks 頻出語 and waits for the morphological index built on a thread.
fn show_frequency_list(harness: &mut Harness<'static, Workbench>) {
    harness.get_by_label("頻出語").click();
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
}

/// Waits for background work (the index after a change), then runs frames: one frame takes
/// the click and executes its command, the next starts the index job.
fn settle(harness: &mut Harness<'static, Workbench>) {
    harness.step();
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
}

/// The word counts the list shows.
fn counts(harness: &Harness<'_, Workbench>) -> Vec<(String, usize)> {
    harness
        .state()
        .session()
        .expect("session")
        .centre()
        .search
        .frequency()
        .rows()
        .iter()
        .map(|row| (row.base_form.clone(), row.count))
        .collect()
}

fn count_of(rows: &[(String, usize)], word: &str) -> usize {
    rows.iter().find(|(w, _)| w == word).map_or(0, |(_, c)| *c)
}

#[test]
fn the_word_list_counts_the_interviewee_without_laughter_and_stop_words_undo() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("検索・KWIC").click();
    harness.run();
    show_frequency_list(&mut harness);
    let rows = counts(&harness);
    assert_eq!(
        count_of(&rows, "ヘルパー"),
        1,
        "K-2 only, not the interviewer's K-3: {rows:?}"
    );
    assert!(!rows.iter().any(|(w, _)| w.contains('笑')), "{rows:?}");

    harness
        .get_by_label("全文（話者ラベル・見出しを含む）")
        .click();
    settle(&mut harness);
    let rows = counts(&harness);
    assert_eq!(
        count_of(&rows, "ヘルパー"),
        2,
        "the interviewer's too: {rows:?}"
    );
    assert!(rows.iter().any(|(w, _)| w.contains('笑')), "{rows:?}");
    harness.get_by_label("対象者のみ（聞き手を除く）").click();
    settle(&mut harness);

    harness.get_by_label("ストップワード（0）").click();
    harness.run();
    harness.get_by_label("除外する語（基本形）").click();
    harness.run();
    replace_text(&mut harness, "ヘルパー");
    harness.get_by_label("追加").click();
    settle(&mut harness);
    assert_eq!(
        project(&harness).read().stop_words().expect("stop words"),
        ["ヘルパー"]
    );
    let rows = counts(&harness);
    assert_eq!(count_of(&rows, "ヘルパー"), 0, "{rows:?}");
    assert!(count_of(&rows, "看護") > 0, "other words stay: {rows:?}");
    harness.get_by_label("ヘルパー ×");

    // 編集 ▸ 元に戻す (by hand: the undo starts an index job, so the frames are stepped).
    harness.get_by_label("編集").click();
    harness.run();
    harness
        .get_by_label_contains("元に戻す: ストップワード「ヘルパー」の追加")
        .click();
    settle(&mut harness);
    assert!(
        project(&harness)
            .read()
            .stop_words()
            .expect("stop words")
            .is_empty()
    );
    assert_eq!(count_of(&counts(&harness), "ヘルパー"), 1);
}

#[test]
fn marking_the_interviewer_label_as_an_interviewee_counts_its_words_and_is_stored() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("検索・KWIC").click();
    harness.run();
    show_frequency_list(&mut harness);
    assert_eq!(count_of(&counts(&harness), "ヘルパー"), 1);
    harness.get_by_label("話者の一覧と聞き手の設定").click();
    harness.run();
    harness.get_by_label("I は聞き手").click();
    settle(&mut harness);
    assert_eq!(
        project(&harness)
            .read()
            .speaker_roles()
            .expect("roles")
            .get("I")
            .copied(),
        Some(false)
    );
    assert_eq!(count_of(&counts(&harness), "ヘルパー"), 2);
    // Only K's speech, chosen by hand.
    harness.get_by_label("I（2 発話）").click();
    settle(&mut harness);
    assert_eq!(count_of(&counts(&harness), "ヘルパー"), 1);
}

#[test]
fn kwic_lines_follow_the_speaker_filter_and_are_exported_to_csv() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("検索・KWIC").click();
    harness.run();
    harness.get_by_label("検索語").click();
    harness.run();
    replace_text(&mut harness, "看護師");
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    let lines = |harness: &Harness<'_, Workbench>| -> Vec<String> {
        harness
            .state()
            .session()
            .expect("session")
            .centre()
            .search
            .rows()
            .iter()
            .map(|row| row.hit.utterance.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(lines(&harness), ["K-2", "K-4"]);
    harness
        .get_by_label("全文（話者ラベル・見出しを含む）")
        .click();
    harness.run();
    harness.run();
    assert_eq!(lines(&harness), ["K-1", "K-2", "K-4"]);

    harness.get_by_label("書き出す…").click();
    harness.run();
    let csv = study.project.with_file_name("kwic.csv");
    harness.get_by_label("書き出し先").click();
    harness.run();
    replace_text(&mut harness, &csv.display().to_string());
    harness.get_by_label("書き出す").click();
    harness.run();
    let text = std::fs::read_to_string(&csv).expect("the CSV was written");
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows[1].starts_with("K,K,K-1,"), "{text}");
    assert!(
        rows[1].contains(",看護師,の方についてうかがいます"),
        "{text}"
    );
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("3 行を"), "{status}");
}

#[test]
fn the_cooccurrence_network_shows_the_overlapping_codes_and_the_threshold_hides_edges() {
    let study = study();
    let mut harness = workbench(&study);
    harness.get_by_label("共起").click();
    harness.run();
    let network = |harness: &Harness<'_, Workbench>| {
        harness
            .state()
            .session()
            .expect("session")
            .centre()
            .cooccurrence
            .network()
            .cloned()
            .expect("a network")
    };
    let shown = network(&harness);
    let names: Vec<&str> = shown.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["[人手不足]", "[ヘルパー]"],
        "[看護] overlaps nothing"
    );
    assert_eq!(shown.edges.len(), 1);
    // ヘルパーも足りません。 (11) of 看護師が足りません（笑）。ヘルパーも足りません。 (24).
    assert!((shown.edges[0].jaccard - 11.0 / 24.0).abs() < 1e-9);
    // Each node is a widget with the code's name (the code tree shows the name too).
    let labelled =
        |harness: &Harness<'_, Workbench>| harness.get_all_by_label("[人手不足]").count();
    let with_node = labelled(&harness);

    harness
        .state_mut()
        .session_mut()
        .expect("session")
        .centre_mut()
        .cooccurrence
        .set_min_jaccard(0.5);
    harness.run();
    assert!(network(&harness).edges.is_empty());
    assert_eq!(labelled(&harness), with_node - 1, "the node is gone");
    harness.get_by_label("この条件で共起するコードはありません（下限を下げてみてください）");
    harness.get_by_label("表").click();
    harness.run();
    harness.get_by_label("0.458");
}

#[test]
fn auto_coding_suggestions_are_accepted_one_by_one_or_all_at_once_and_undone() {
    let study = study();
    let rules = study.project.with_file_name("rules.cod");
    std::fs::write(&rules, "＊[看護]\n'看護師'\n＊[ヘルパー]\nヘルパー\n").expect("rules");
    let mut harness = workbench(&study);
    harness.get_by_label("自動コーディング").click();
    harness.run();
    harness.get_by_label("ルールファイル").click();
    harness.run();
    replace_text(&mut harness, &rules.display().to_string());
    harness.get_by_label("発話").click();
    harness.run();
    harness.get_by_label("読み込んで候補を出す").click();
    settle(&mut harness);
    let proposals: Vec<(String, String)> = harness
        .state()
        .session()
        .expect("session")
        .centre()
        .autocode
        .loaded()
        .expect("suggestions")
        .proposals
        .iter()
        .map(|p| {
            (
                p.suggestion.code.clone(),
                p.suggestion.utterance.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        proposals,
        [
            ("[ヘルパー]".to_owned(), "K-2".to_owned()),
            ("[看護]".to_owned(), "K-2".to_owned()),
            ("[看護]".to_owned(), "K-4".to_owned()),
        ],
        "the interviewer's K-1 and K-3 are left out by default"
    );
    let codings = |harness: &Harness<'_, Workbench>| {
        AnalysisData::load(project(harness))
            .expect("data")
            .segments()
            .count()
    };
    assert_eq!(codings(&harness), 3);
    harness
        .get_all_by_label("採用")
        .next()
        .expect("an accept button")
        .click();
    harness.run();
    assert_eq!(codings(&harness), 4);
    let helper = project(&harness).resolve_code("[ヘルパー]").expect("code");
    let data = AnalysisData::load(project(&harness)).expect("data");
    let mut texts: Vec<&str> = data
        .segments()
        .filter(|s| s.code_id == helper)
        .map(|s| s.text.as_str())
        .collect();
    texts.sort_unstable();
    assert_eq!(
        texts,
        [
            "ヘルパーも足りません。",
            "看護師が足りません（笑）。ヘルパーも足りません。"
        ],
        "K-2's whole speech is coded [ヘルパー] (the unit is the utterance)"
    );
    harness.get_by_label("未採用をすべて採用").click();
    harness.run();
    assert_eq!(codings(&harness), 6);
    assert_eq!(
        project(&harness).undo_label().expect("label").as_deref(),
        Some("コードの適用（2 件）")
    );
    undo_from_menu(&mut harness, "コードの適用（2 件）");
    assert_eq!(codings(&harness), 4);

    let bad = study.project.with_file_name("bad.cod");
    std::fs::write(&bad, "＊[看護]\n看護師 and (\n").expect("rules");
    harness.get_by_label("ルールファイル").click();
    harness.run();
    replace_text(&mut harness, &bad.display().to_string());
    harness.get_by_label("読み込んで候補を出す").click();
    harness.run();
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("bad.cod: line 2"), "{status}");
}
