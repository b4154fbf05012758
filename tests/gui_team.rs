//! Team coding in the workbench, driven as a researcher drives it, headless with egui_kittest
//! on the sample study: the 一致率 tab compares 山田 and 鈴木, a click on a disagreement opens
//! the 調整 tab, 和 writes the consensus (coder 合意) with the exact text of both coders' spans,
//! and 編集 ▸ 元に戻す takes it back. Assertions are on the project file's codings.
#![cfg(feature = "gui")]

use casecode::analysis::AnalysisData;
use casecode::model::{CONSENSUS_CODER, CodeId, DocumentId};
use casecode::project::Project;
use casecode::ui::centre::CentreTab;
use casecode::ui::start::sample_study::ensure_sample_project;
use eframe::egui::vec2;
use egui_kittest::kittest::Queryable;

mod gui_support;
use gui_support::{assert_japanese_font, open_workbench, project, undo_from_menu};

/// `(start, end, coder)` of one code's codings in one document, sorted.
fn spans(
    project: &Project,
    document_id: DocumentId,
    code_id: CodeId,
) -> Vec<(usize, usize, String)> {
    let mut spans: Vec<_> = (project.read().codings_of_document(document_id))
        .expect("codings")
        .into_iter()
        .filter(|coding| coding.code_id == code_id)
        .map(|coding| (coding.span.start, coding.span.end, coding.coder))
        .collect();
    spans.sort();
    spans
}

/// The union of spans, written here independently of the core: every character either covers.
fn union_of(spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let covered: std::collections::BTreeSet<usize> =
        spans.iter().flat_map(|(start, end)| *start..*end).collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for at in covered {
        match out.last_mut() {
            Some(last) if last.1 == at => last.1 = at + 1,
            _ => out.push((at, at + 1)),
        }
    }
    out
}

#[test]
fn a_disagreement_from_the_agreement_tab_is_reconciled_by_union_and_undone_from_the_edit_menu() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = ensure_sample_project(dir.path(), false).expect("sample study");
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));

    // The 一致率 tab: 山田 against 鈴木, character unit, computed in the background.
    harness.get_by_label("一致率").click();
    harness.run();
    (harness
        .state_mut()
        .session_mut()
        .expect("session")
        .centre_mut()
        .agreement)
        .set_coders("山田", "鈴木");
    harness.run();
    harness.get_by_label("計算").click();
    // One frame starts the job (it repaints while it runs, so no `run` until it is done).
    harness.step();
    harness.state_mut().wait_for_background();
    harness.run();
    let agreement = (harness
        .state()
        .session()
        .expect("session")
        .centre()
        .agreement)
        .agreement()
        .expect("the agreement was computed")
        .clone();
    assert_eq!(agreement.coders, ("山田".to_owned(), "鈴木".to_owned()));
    let worry = (agreement.codes.iter())
        .find(|code| code.code_path.ends_with("[不安の受け止め]"))
        .expect("[不安の受け止め] is compared");
    let in_i = (worry.documents.iter())
        .find(|document| document.document == "I")
        .expect("document I");
    assert!(
        in_i.counts.both > 0 && in_i.counts.a_only > 0 && in_i.counts.b_only > 0,
        "in I the two coders overlap and each codes more: {:?}",
        in_i.counts
    );
    // Every statistic reads as a number or as the dash, never NaN.
    assert!(harness.query_by_label_contains("NaN").is_none());

    // A click on the disagreement opens the 調整 tab with both coders' lanes.
    let link = harness.get_by_label("[不安の受け止め] × I を調整…");
    link.scroll_to_me();
    harness.run();
    harness.get_by_label("[不安の受け止め] × I を調整…").click();
    harness.run();
    assert_eq!(
        harness.state().session().expect("session").centre().tab,
        CentreTab::Reconcile
    );
    assert!(harness.query_by_label_contains("A 山田").is_some());
    assert!(harness.query_by_label_contains("B 鈴木").is_some());

    let document_id = project(&harness).document_named("I").expect("I").id;
    let code_id = project(&harness)
        .resolve_code("[不安の受け止め]")
        .expect("code");
    let before = spans(project(&harness), document_id, code_id);
    let both: Vec<(usize, usize)> = (before.iter())
        .filter(|(_, _, coder)| coder == "山田" || coder == "鈴木")
        .map(|(start, end, _)| (*start, *end))
        .collect();
    let expected = union_of(&both);
    assert!(!before.iter().any(|(_, _, coder)| coder == CONSENSUS_CODER));

    // 和: the consensus codes every character either coder coded, with its exact text.
    harness.get_by_label("和").click();
    harness.run();
    let after = spans(project(&harness), document_id, code_id);
    let consensus: Vec<(usize, usize)> = (after.iter())
        .filter(|(_, _, coder)| coder == CONSENSUS_CODER)
        .map(|(start, end, _)| (*start, *end))
        .collect();
    assert_eq!(consensus, expected);
    let text = (project(&harness).read().document_text(document_id))
        .expect("read")
        .expect("text");
    let chars: Vec<char> = text.chars().collect();
    let data = AnalysisData::load(project(&harness)).expect("analysis data");
    let consensus_texts: Vec<&str> = (data.segments())
        .filter(|s| s.document_id == document_id && s.code_id == code_id)
        .filter(|s| s.coder == CONSENSUS_CODER)
        .map(|s| s.text.as_str())
        .collect();
    let expected_texts: Vec<String> = (expected.iter())
        .map(|(start, end)| chars[*start..*end].iter().collect())
        .collect();
    assert_eq!(consensus_texts, expected_texts);
    assert!(
        expected_texts.iter().all(|text| !text.is_empty()),
        "{expected_texts:?}"
    );
    let codings = project(&harness)
        .read()
        .codings_of_document(document_id)
        .expect("codings");
    for coding in codings.iter().filter(|c| c.coder == CONSENSUS_CODER) {
        assert_eq!(coding.memo, "合意: 山田 と 鈴木 の和（テスト が調整）");
    }
    // The consensus lane shows it.
    assert!(harness.query_by_label_contains("合意（現在）").is_some());

    // 編集 ▸ 元に戻す: the consensus goes; the two coders' codings stay as they were.
    undo_from_menu(&mut harness, "合意の記録（和）");
    assert_eq!(spans(project(&harness), document_id, code_id), before);
}

#[test]
fn hiding_other_coders_draws_and_counts_only_ones_own_codings_and_the_project_keeps_them() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = ensure_sample_project(dir.path(), false).expect("sample study");
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    // 鈴木 codes blind, in document B (which both coders coded).
    harness.state_mut().set_coder("鈴木");
    harness.run();
    let document_id = project(&harness).document_named("B").expect("B").id;
    (harness.state_mut().session_mut().expect("session"))
        .open_document(document_id)
        .expect("open B");
    harness.run();
    let stored = project(&harness)
        .read()
        .codings_of_document(document_id)
        .expect("codings");
    let suzuki: Vec<_> = stored
        .iter()
        .filter(|c| c.coder == "鈴木")
        .map(|c| c.id)
        .collect();
    assert!(
        !suzuki.is_empty() && suzuki.len() < stored.len(),
        "both coders coded B"
    );
    let drawn = |harness: &egui_kittest::Harness<'_, casecode::ui::Workbench>| {
        let view = harness.state().transcript().expect("transcript");
        view.codings().iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(drawn(&harness).len(), stored.len());
    let all_codings = project(&harness).read().codings().expect("codings");
    let code_id = project(&harness)
        .resolve_code("[在宅生活のサポート]")
        .expect("code");
    let count_in_tree = |harness: &egui_kittest::Harness<'_, casecode::ui::Workbench>| {
        let session = harness.state().session().expect("session");
        session
            .snapshot()
            .segments
            .get(&code_id)
            .copied()
            .unwrap_or(0)
    };
    let everyone = all_codings.iter().filter(|c| c.code_id == code_id).count();
    let own = (all_codings.iter())
        .filter(|c| c.code_id == code_id && c.coder == "鈴木")
        .count();
    assert!(
        own < everyone,
        "山田 coded [在宅生活のサポート] where 鈴木 did not"
    );
    assert_eq!(count_in_tree(&harness), everyone);

    harness.get_by_label("他のコーダーを隠す").click();
    harness.run();
    assert!(harness.state().session().expect("session").is_blind());
    let mut hidden = drawn(&harness);
    hidden.sort();
    let mut expected = suzuki.clone();
    expected.sort();
    assert_eq!(hidden, expected, "only 鈴木's codings are drawn");
    assert_eq!(
        count_in_tree(&harness),
        own,
        "the tree counts only 鈴木's codings"
    );
    // The project keeps 山田's codings.
    assert_eq!(
        project(&harness).read().codings().expect("codings").len(),
        all_codings.len()
    );

    harness.get_by_label("他のコーダーを隠す").click();
    harness.run();
    assert!(!harness.state().session().expect("session").is_blind());
    assert_eq!(drawn(&harness).len(), stored.len());
    assert_eq!(count_in_tree(&harness), everyone);
}

#[test]
fn the_filters_coder_scope_makes_the_matrix_export_count_only_the_chosen_coder() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = ensure_sample_project(dir.path(), false).expect("sample study");
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1600.0, 1000.0));
    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("エクスポート").click();
    harness.run();
    harness.get_by_label("マトリックス（CSV）…").click();
    harness.run();
    // 絞り込み ▸ コーダー: tick 鈴木 only.
    harness.get_by_label_contains("絞り込み:").click();
    harness.run();
    let suzuki = harness.get_by_label("鈴木");
    suzuki.scroll_to_me();
    harness.run();
    harness.get_by_label("鈴木").click();
    harness.run();
    harness.key_press(eframe::egui::Key::Escape);
    harness.run();
    harness.get_by_label_contains("絞り込み: 鈴木");
    harness.get_by_label("書き出す").click();
    harness.run();
    let written = path.with_file_name("sample-matrix.csv");
    let csv = std::fs::read_to_string(&written).expect("the matrix CSV was written");
    // Every cell is a count of 鈴木's segments: their sum is the number of distinct spans
    // (document, code, start, end) 鈴木 coded, counted here from the project itself.
    let total: usize = (csv.lines().skip(1))
        .flat_map(|line| line.split(',').skip(2))
        .filter_map(|cell| cell.trim().parse::<usize>().ok())
        .sum();
    let distinct: std::collections::BTreeSet<_> = (project(&harness).read().codings())
        .expect("codings")
        .into_iter()
        .filter(|coding| coding.coder == "鈴木")
        .map(|coding| {
            (
                coding.document_id,
                coding.code_id,
                coding.span.start,
                coding.span.end,
            )
        })
        .collect();
    let everyone = project(&harness).read().codings().expect("codings").len();
    assert!(distinct.len() < everyone);
    assert_eq!(
        total,
        distinct.len(),
        "{}",
        harness.state().status().unwrap_or("")
    );
}

#[test]
fn merging_a_second_coders_copy_shows_the_dry_run_first_then_merges_as_one_undoable_command() {
    use casecode::command::{Command, NewCoding};
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = ensure_sample_project(dir.path(), false).expect("sample study");
    // 佐藤's copy: the same project, with one coding of 佐藤's own.
    let other = dir.path().join("sato.casecode");
    std::fs::copy(&path, &other).expect("copy");
    let (document_id, code_id) = {
        let mut copy = Project::open(&other).expect("open the copy");
        let document_id = copy.document_named("C").expect("C").id;
        let code_id = copy.resolve_code("[不安の受け止め]").expect("code");
        copy.execute(Command::AddCodings {
            codings: vec![NewCoding {
                document_id,
                code_id,
                start: 40,
                end: 60,
                coder: "佐藤".to_owned(),
                memo: String::new(),
            }],
        })
        .expect("佐藤 codes");
        (document_id, code_id)
    };
    let sato = |harness: &egui_kittest::Harness<'_, casecode::ui::Workbench>| {
        spans(project(harness), document_id, code_id)
            .into_iter()
            .filter(|(_, _, coder)| coder == "佐藤")
            .map(|(start, end, _)| (start, end))
            .collect::<Vec<_>>()
    };
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    let before = project(&harness).read().codings().expect("codings").len();
    harness.get_by_label("ファイル").click();
    harness.run();
    harness.get_by_label("プロジェクトを統合…").click();
    harness.run();
    harness.get_by_label("統合するプロジェクト").click();
    harness.run();
    gui_support::replace_text(&mut harness, &other.display().to_string());
    harness.get_by_label("確認（何も変更しません）").click();
    harness.run();
    // The dry run is shown and nothing changed yet.
    harness.get_by_label_contains("追加されるコーディング 1 件");
    let report = (harness.state().session().expect("session").merge_window())
        .report()
        .expect("a report")
        .to_vec();
    assert!(!report.is_empty());
    assert_eq!(
        project(&harness).read().codings().expect("codings").len(),
        before
    );
    assert!(sato(&harness).is_empty());

    harness.get_by_label("統合").click();
    harness.run();
    assert_eq!(sato(&harness), [(40, 60)], "{:?}", harness.state().status());
    assert_eq!(
        project(&harness).read().codings().expect("codings").len(),
        before + 1
    );
    undo_from_menu(&mut harness, "プロジェクト「sato.casecode」の統合");
    assert!(sato(&harness).is_empty());
    assert_eq!(
        project(&harness).read().codings().expect("codings").len(),
        before
    );
}

#[test]
fn stripes_can_be_coloured_by_coder_from_the_transcript_header() {
    assert_japanese_font();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = ensure_sample_project(dir.path(), false).expect("sample study");
    let mut harness = open_workbench(&path, dir.path().join("settings.ron"), vec2(1400.0, 900.0));
    assert!(
        !harness
            .state()
            .transcript()
            .expect("transcript")
            .stripes_by_coder()
    );
    harness.get_by_label("コーダー別の色").click();
    harness.run();
    assert!(
        harness
            .state()
            .transcript()
            .expect("transcript")
            .stripes_by_coder()
    );
    // The colours are the coders' stored ones (山田 and 鈴木 differ).
    let coders = project(&harness).read().coders().expect("coders");
    let stored = |name: &str| {
        coders
            .iter()
            .find(|coder| coder.name == name)
            .and_then(|coder| coder.color.clone())
            .expect("a stored colour")
    };
    let snapshot = harness.state().session().expect("session").snapshot();
    let hex = |[r, g, b]: [u8; 3]| format!("#{r:02X}{g:02X}{b:02X}");
    assert_eq!(
        hex(snapshot.coder_color("山田")),
        stored("山田").to_uppercase()
    );
    assert_eq!(
        hex(snapshot.coder_color("鈴木")),
        stored("鈴木").to_uppercase()
    );
    assert_ne!(snapshot.coder_color("山田"), snapshot.coder_color("鈴木"));
}
