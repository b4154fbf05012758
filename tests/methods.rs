//! SCAT worksheets and M-GTA analysis worksheets, end to end through the CLI on the sample
//! study, read back as a researcher (or a journal) would: the JSON views, the xlsx files with
//! calamine, the Markdown, HTML, SVG and PNG.

mod common;

use std::path::Path;

use calamine::{Data, Dimensions, Reader, Xlsx, open_workbook};
use common::{Sandbox, list};

const HEADINGS: [&str; 8] = [
    "番号",
    "発話者",
    "テクスト",
    "〈1〉テクスト中の注目すべき語句",
    "〈2〉テクスト中の語句の言いかえ",
    "〈3〉左を説明するようなテクスト外の概念",
    "〈4〉テーマ・構成概念（前後や全体の文脈を考慮して）",
    "〈5〉疑問・課題",
];

fn run(sandbox: &Sandbox, args: &[&str]) -> common::Run {
    sandbox.run(args).ok()
}

fn json(sandbox: &Sandbox, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    sandbox.run(all).ok().json()
}

fn cell(range: &calamine::Range<Data>, row: u32, column: u32) -> String {
    match range.get_value((row, column)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::Float(number)) if number.fract() == 0.0 => format!("{}", *number as i64),
        Some(other) => other.to_string(),
    }
}

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("the workbook opens")
}

#[test]
fn a_scat_worksheet_is_coded_step_by_step_and_exported_in_the_official_layout() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().expect("utf-8");
    let turns = common::turns(&project, "A");

    run(&sandbox, &["scat", p, "--doc", "A", "init"]);
    let sheet = json(&sandbox, &["scat", p, "--doc", "A", "show"]);
    let rows = sheet["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), turns.len(), "one row per utterance");
    assert_eq!(rows[0]["speaker"], "I");
    assert_eq!(rows[1]["speaker"], "A");
    assert_eq!(rows[1]["text"], turns[1].2.as_str());
    assert_eq!(rows[1]["citation"], "A-2");

    // 〈1〉–〈5〉 of the second row, in Japanese, and the three blocks.
    let steps = [
        "相談支援専門員の資格を取って",
        "職種の転換",
        "専門職としてのキャリア形成",
        "生活支援から相談支援への移行",
        "なぜ資格を取ったのか",
    ];
    for (step, text) in steps.iter().enumerate() {
        let changed = json(
            &sandbox,
            &[
                "scat",
                p,
                "--doc",
                "A",
                "set",
                "--row",
                "2",
                "--step",
                &(step + 1).to_string(),
                text,
            ],
        );
        assert_eq!(changed["steps"][step], *text);
    }
    run(
        &sandbox,
        &[
            "scat",
            p,
            "--doc",
            "A",
            "storyline",
            "施設の相談員は生活支援から相談支援への移行を経て…",
        ],
    );
    run(
        &sandbox,
        &[
            "scat",
            p,
            "--doc",
            "A",
            "theory",
            "コーディネーターは職種の転換を経て生まれる。",
        ],
    );
    run(
        &sandbox,
        &[
            "scat",
            p,
            "--doc",
            "A",
            "issues",
            "資格取得の動機を他の事例で確かめる。",
        ],
    );
    let sheet = json(&sandbox, &["scat", p, "--doc", "A", "show"]);
    assert_eq!(sheet["rows"][1]["steps"], serde_json::json!(steps));
    assert_eq!(
        sheet["theory"],
        "コーディネーターは職種の転換を経て生まれる。"
    );
    assert_eq!(
        sheet["themes_missing_from_storyline"],
        serde_json::json!([]),
        "the story line holds the only theme"
    );

    // Split the second row after 5 characters, then join it back: the text is whole again.
    let whole = turns[1].2.clone();
    run(
        &sandbox,
        &["scat", p, "--doc", "A", "split", "--row", "2", "--at", "5"],
    );
    let split = json(&sandbox, &["scat", p, "--doc", "A", "show"]);
    assert_eq!(
        split["rows"].as_array().map(Vec::len),
        Some(turns.len() + 1)
    );
    let first: String = whole.chars().take(5).collect();
    let rest: String = whole.chars().skip(5).collect();
    assert_eq!(split["rows"][1]["text"], first.as_str());
    assert_eq!(split["rows"][2]["text"], rest.as_str());
    assert_eq!(
        split["rows"][1]["steps"][0], steps[0],
        "steps stay with the first part"
    );
    run(&sandbox, &["scat", p, "--doc", "A", "join", "--row", "2"]);
    let joined = json(&sandbox, &["scat", p, "--doc", "A", "show"]);
    assert_eq!(joined["rows"][1]["text"], whole.as_str());
    assert_eq!(joined["rows"][1]["steps"], serde_json::json!(steps));

    // The xlsx in the scatform1 layout, read back.
    let out = sandbox.path("scat_A.xlsx");
    let md = sandbox.path("scat_A.md");
    run(
        &sandbox,
        &[
            "export",
            p,
            "--scat",
            "A",
            "--xlsx",
            out.to_str().expect("utf-8"),
            "--md",
            md.to_str().expect("utf-8"),
        ],
    );
    let mut workbook = book(&out);
    assert_eq!(workbook.sheet_names(), vec!["SCAT_A".to_owned()]);
    let range = workbook.worksheet_range("SCAT_A").expect("sheet");
    let headings: Vec<String> = (0..8).map(|c| cell(&range, 0, c)).collect();
    assert_eq!(headings, HEADINGS);
    assert_eq!(cell(&range, 2, 0), "2");
    assert_eq!(cell(&range, 2, 1), "A");
    assert_eq!(cell(&range, 2, 2), whole);
    assert_eq!(cell(&range, 2, 6), steps[3]);
    let block_row = turns.len() as u32 + 2;
    assert_eq!(cell(&range, block_row, 0), "ストーリー・ライン");
    assert_eq!(cell(&range, block_row + 1, 0), "理論記述");
    assert_eq!(cell(&range, block_row + 2, 0), "さらに追究すべき点・課題");
    assert_eq!(
        cell(&range, block_row + 1, 2),
        "コーディネーターは職種の転換を経て生まれる。"
    );
    let merges = workbook
        .merge_cells_by_sheet_name("SCAT_A")
        .expect("merges");
    for row in block_row..block_row + 3 {
        for (start, end) in [(0, 1), (2, 7)] {
            assert!(
                merges.contains(&Dimensions {
                    start: (row, start),
                    end: (row, end)
                }),
                "row {row} columns {start}–{end} merged: {merges:?}"
            );
        }
    }
    let markdown = std::fs::read_to_string(&md).expect("markdown");
    assert!(markdown.contains(&format!("| {} |", HEADINGS.join(" | "))));
    assert!(markdown.contains("## ストーリー・ライン\n\n施設の相談員は"));
}

#[test]
fn a_theme_becomes_a_code_on_the_rows_text_and_undo_takes_both_back() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().expect("utf-8");
    let turns = common::turns(&project, "A");
    run(&sandbox, &["scat", p, "--doc", "A", "init"]);
    let missing = sandbox.run(["scat", p, "--doc", "A", "theme-code", "--row", "10"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no 〈4〉 theme"),
        "{}",
        missing.stderr
    );

    run(
        &sandbox,
        &[
            "scat",
            p,
            "--doc",
            "A",
            "set",
            "--row",
            "10",
            "--step",
            "4",
            "泊まれる場の不足",
        ],
    );
    let before = common::snapshot(&sandbox, &project);
    run(
        &sandbox,
        &[
            "scat",
            p,
            "--doc",
            "A",
            "theme-code",
            "--row",
            "10",
            "--parent",
            "家族の生活と思いを支える",
        ],
    );
    let codes = list(&sandbox, &project, "codes");
    let code = codes
        .as_array()
        .and_then(|codes| codes.iter().find(|c| c["name"] == "泊まれる場の不足"))
        .expect("the theme is a code");
    assert_eq!(code["path"], "家族の生活と思いを支える/泊まれる場の不足");
    let codings = list(&sandbox, &project, "codings");
    let coding = codings
        .as_array()
        .and_then(|all| all.iter().find(|c| c["code"] == "泊まれる場の不足"))
        .expect("the row is coded");
    assert_eq!(coding["text"], turns[9].2.as_str());
    assert_eq!(coding["utterance"], "A-10");
    assert_eq!(coding["coder"], "tester");

    run(&sandbox, &["undo", p]);
    assert_eq!(common::snapshot(&sandbox, &project), before);
}

#[test]
fn scat_errors_name_the_document_and_the_row() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().expect("utf-8");
    let none = sandbox.run([
        "scat", p, "--doc", "B", "set", "--row", "1", "--step", "1", "x",
    ]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("'B' has no SCAT worksheet"),
        "{}",
        none.stderr
    );
    run(&sandbox, &["scat", p, "--doc", "B", "init"]);
    let again = sandbox.run(["scat", p, "--doc", "B", "init"]);
    assert!(
        again.stderr.contains("already has a SCAT worksheet"),
        "{}",
        again.stderr
    );
    let far = sandbox.run([
        "scat", p, "--doc", "B", "set", "--row", "9999", "--step", "1", "x",
    ]);
    assert_eq!(far.code, 2);
    assert!(far.stderr.contains("not 9999"), "{}", far.stderr);
    let step = sandbox.run([
        "scat", p, "--doc", "B", "set", "--row", "1", "--step", "6", "x",
    ]);
    assert_eq!(step.code, 2);
    let last = sandbox
        .run(["scat", p, "--doc", "B", "show", "--json"])
        .ok()
        .json();
    let count = last["rows"].as_array().map_or(0, Vec::len).to_string();
    let join = sandbox.run(["scat", p, "--doc", "B", "join", "--row", count.as_str()]);
    assert!(join.stderr.contains("last row"), "{}", join.stderr);
}

#[test]
fn every_scat_and_mgta_change_undoes_to_the_exact_state_before() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().expect("utf-8");
    let dump = || {
        casecode::project::Project::open(&project)
            .expect("open")
            .read()
            .dump()
            .expect("dump")
    };
    let initial = dump();
    let steps: Vec<Vec<&str>> = vec![
        vec!["scat", p, "--doc", "C", "init"],
        vec![
            "scat",
            p,
            "--doc",
            "C",
            "set",
            "--row",
            "3",
            "--step",
            "2",
            "言いかえ",
        ],
        vec!["scat", p, "--doc", "C", "split", "--row", "3", "--at", "4"],
        vec!["scat", p, "--doc", "C", "join", "--row", "1"],
        vec!["scat", p, "--doc", "C", "storyline", "物語"],
        vec![
            "mgta",
            p,
            "settings",
            "--theme",
            "テーマ",
            "--focus-person",
            "焦点者",
        ],
        vec![
            "mgta",
            p,
            "memo",
            "--concept",
            "[母親の休息の確保]",
            "対極例を探す",
        ],
        vec!["mgta", p, "memo", "全体の関係について"],
        vec![
            "mgta",
            p,
            "diagram",
            "arrow",
            "--from",
            "[母親の休息の確保]",
            "--to",
            "[レスパイトの調整]",
            "--label",
            "影響",
        ],
        vec![
            "mgta",
            p,
            "diagram",
            "box",
            "--code",
            "[母親の休息の確保]",
            "--x",
            "300",
            "--y",
            "200",
        ],
        vec!["scat", p, "--doc", "C", "remove"],
    ];
    let mut states = vec![initial.clone()];
    for step in &steps {
        run(&sandbox, step);
        let state = dump();
        assert_ne!(
            &state,
            states.last().expect("state"),
            "{step:?} changed nothing"
        );
        states.push(state);
    }
    for expected in states.iter().rev().skip(1) {
        run(&sandbox, &["undo", p]);
        assert_eq!(&dump(), expected);
    }
    assert_eq!(dump(), initial);
    run(&sandbox, &["redo", p, &steps.len().to_string()]);
    assert_eq!(&dump(), states.last().expect("end"));
}

/// The coding ids of a concept's variations, in worksheet order.
fn variation_ids(sheet: &serde_json::Value) -> Vec<i64> {
    sheet["variations"]
        .as_array()
        .expect("variations")
        .iter()
        .map(|v| v["coding_id"].as_i64().expect("id"))
        .collect()
}

#[test]
fn an_mgta_analysis_is_kept_per_concept_and_exported_one_sheet_per_concept() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().expect("utf-8");
    let concept = "[母親の休息の確保]";
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "settings",
            "--focus-person",
            "医療的ケア児コーディネーター",
            "--theme",
            "コーディネーターが家族の生活を支えるプロセス",
        ],
    );

    // Variations are the concept's codings, verbatim, in order of addition.
    let codings = list(&sandbox, &project, "codings");
    let of_concept: Vec<&serde_json::Value> = codings
        .as_array()
        .expect("codings")
        .iter()
        .filter(|c| c["code"] == concept)
        .collect();
    let mut by_addition = of_concept.clone();
    by_addition.sort_by_key(|c| c["id"].as_i64());
    // A span two coders coded is one variation: the earlier coding.
    let mut spans = std::collections::BTreeSet::new();
    let expected: Vec<(i64, String)> = by_addition
        .iter()
        .filter(|c| {
            spans.insert((
                c["document"].to_string(),
                c["start"].as_u64(),
                c["end"].as_u64(),
            ))
        })
        .map(|c| {
            (
                c["id"].as_i64().expect("id"),
                c["text"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    assert!(
        expected.len() < of_concept.len(),
        "the sample has a span coded twice"
    );
    assert!(expected.len() >= 3, "the sample has several: {expected:?}");
    let sheet = json(&sandbox, &["mgta", p, "show", "--concept", concept]);
    assert_eq!(sheet["name"], concept);
    assert!(
        sheet["definition"]
            .as_str()
            .expect("definition")
            .contains("母親の睡眠")
    );
    assert_eq!(
        sheet["category"],
        "家族の生活と思いを支える ▸ 母親の負担軽減"
    );
    let got: Vec<(i64, String)> = sheet["variations"]
        .as_array()
        .expect("variations")
        .iter()
        .map(|v| {
            (
                v["coding_id"].as_i64().expect("id"),
                v["text"].as_str().expect("text").to_owned(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    let first = of_concept
        .iter()
        .find(|c| c["id"].as_i64() == Some(expected[0].0))
        .expect("first");
    assert_eq!(sheet["variations"][0]["citation"], first["utterance"]);
    assert!(
        first["utterance"]
            .as_str()
            .is_some_and(|u| u.starts_with("A-"))
    );

    // Reorder: the last variation first; hide the second.
    let ids = variation_ids(&sheet);
    let last = ids.last().expect("one").to_string();
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "variation",
            "--concept",
            concept,
            "--coding",
            &last,
            "--to",
            "1",
        ],
    );
    let hidden = ids[0].to_string();
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "variation",
            "--concept",
            concept,
            "--coding",
            &hidden,
            "--hide",
        ],
    );
    let sheet = json(&sandbox, &["mgta", p, "show", "--concept", concept]);
    let mut reordered = vec![*ids.last().expect("one")];
    reordered.extend(&ids[..ids.len() - 1]);
    assert_eq!(variation_ids(&sheet), reordered);
    assert_eq!(sheet["variations"][1]["hidden"], true);

    // 理論的メモ on the worksheet and in the notebook, dated, with the coder.
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "memo",
            "--concept",
            concept,
            "--date",
            "2024-09-01",
            "対極例: 母親が休息を拒む語りはないか",
        ],
    );
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "memo",
            "--date",
            "2024-09-02",
            "休息の確保とレスパイトの調整は循環している",
        ],
    );
    let sheet = json(&sandbox, &["mgta", p, "show", "--concept", concept]);
    assert_eq!(sheet["memos"][0]["date"], "2024-09-01");
    assert_eq!(sheet["memos"][0]["coder"], "tester");
    assert_eq!(
        sheet["memos"][0]["text"],
        "対極例: 母親が休息を拒む語りはないか"
    );
    let notebook = json(&sandbox, &["mgta", p, "notebook"]);
    assert_eq!(
        notebook[0]["text"],
        "休息の確保とレスパイトの調整は循環している"
    );
    let bad = sandbox.run(["mgta", p, "memo", "--date", "9月1日", "x"]);
    assert!(bad.stderr.contains("YYYY-MM-DD"), "{}", bad.stderr);

    let concepts = json(&sandbox, &["mgta", p, "concepts"]);
    let concepts = concepts.as_array().expect("concepts");
    let entry = concepts
        .iter()
        .find(|c| c["name"] == concept)
        .expect("listed");
    assert_eq!(
        entry["variations"],
        expected.len() as u64 - 1,
        "the hidden one is not counted"
    );

    // The workbook: summary, notebook, one sheet per concept.
    let out = sandbox.path("mgta.xlsx");
    run(
        &sandbox,
        &["export", p, "--mgta", out.to_str().expect("utf-8")],
    );
    let mut workbook = book(&out);
    let names = workbook.sheet_names();
    assert_eq!(names.len(), 2 + concepts.len());
    assert_eq!(names[0], "カテゴリーと概念");
    assert_eq!(names[1], "理論的メモノート");
    assert!(
        names.contains(&concept.replace('[', "［").replace(']', "］")),
        "{names:?}"
    );
    let summary = workbook
        .worksheet_range("カテゴリーと概念")
        .expect("summary");
    assert_eq!(
        cell(&summary, 0, 1),
        "コーディネーターが家族の生活を支えるプロセス"
    );
    assert_eq!(cell(&summary, 1, 1), "医療的ケア児コーディネーター");
    assert_eq!(
        (0..4).map(|c| cell(&summary, 3, c)).collect::<Vec<_>>(),
        ["カテゴリー", "概念名", "定義", "ヴァリエーション数"]
    );
    let summary_row = (4..summary.height() as u32)
        .find(|row| cell(&summary, *row, 1) == concept)
        .expect("the concept is summarised");
    assert!(cell(&summary, summary_row, 2).contains("母親の睡眠"));
    let name = concept.replace('[', "［").replace(']', "］");
    let range = workbook.worksheet_range(&name).expect("concept sheet");
    let labels: Vec<String> = (0..range.height() as u32)
        .map(|r| cell(&range, r, 0))
        .collect();
    assert_eq!(
        &labels[..5],
        [
            "分析テーマ",
            "分析焦点者",
            "概念名",
            "定義",
            "ヴァリエーション（具体例）"
        ]
    );
    assert_eq!(cell(&range, 2, 1), concept);
    let shown = expected.len() - 1;
    let texts: Vec<String> = (4..4 + shown as u32).map(|r| cell(&range, r, 2)).collect();
    let by_id = |id: i64| {
        expected
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| t.clone())
            .expect("text")
    };
    let wanted: Vec<String> = reordered
        .iter()
        .filter(|id| **id != ids[0])
        .map(|id| by_id(*id))
        .collect();
    assert_eq!(
        texts, wanted,
        "shown variations, one per row, in the researcher's order"
    );
    let memo_row = 4 + shown as u32;
    assert_eq!(cell(&range, memo_row, 0), "理論的メモ");
    assert_eq!(
        cell(&range, memo_row, 2),
        "対極例: 母親が休息を拒む語りはないか"
    );
    let merges = workbook.merge_cells_by_sheet_name(&name).expect("merges");
    assert!(
        merges.contains(&Dimensions {
            start: (4, 0),
            end: (3 + shown as u32, 0)
        }),
        "the label spans the variations: {merges:?}"
    );

    for (extension, heading) in [("md", "\n## 概念: "), ("html", "<h2>概念: ")] {
        let path = sandbox.path(&format!("mgta.{extension}"));
        run(
            &sandbox,
            &["export", p, "--mgta", path.to_str().expect("utf-8")],
        );
        let whole = std::fs::read_to_string(&path).expect("read");
        // The concept's own section: from its heading to the next one.
        let start = whole.find(&format!("{heading}{concept}")).expect("section");
        let rest = &whole[start + heading.len()..];
        let next = heading.trim_start_matches('\n');
        let text = &rest[..rest.find(next).unwrap_or(rest.len())];
        assert!(
            text.contains("対極例: 母親が休息を拒む語りはないか"),
            "{extension}"
        );
        assert!(text.contains(&by_id(reordered[0])), "{extension}");
        assert!(
            !text.contains(&by_id(ids[0])),
            "hidden left out of {extension}"
        );
    }
}

#[test]
fn the_result_diagram_has_labelled_arrows_and_is_drawn_as_svg_and_png() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().expect("utf-8");
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "diagram",
            "box",
            "--code",
            "家族の生活と思いを支える",
            "--x",
            "40",
            "--y",
            "40",
        ],
    );
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "diagram",
            "arrow",
            "--from",
            "[母親の休息の確保]",
            "--to",
            "[レスパイトの調整]",
            "--label",
            "循環",
        ],
    );
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "diagram",
            "arrow",
            "--from",
            "[レスパイトの調整]",
            "--to",
            "[母親の休息の確保]",
            "--label",
            "循環",
        ],
    );
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "diagram",
            "arrow",
            "--from",
            "家族の生活と思いを支える",
            "--to",
            "[母親の休息の確保]",
            "--label",
            "影響",
        ],
    );
    let same = sandbox.run([
        "mgta",
        p,
        "diagram",
        "arrow",
        "--from",
        "[母親の休息の確保]",
        "--to",
        "[母親の休息の確保]",
    ]);
    assert_eq!(same.code, 2);
    let diagram = json(&sandbox, &["mgta", p, "diagram", "show"]);
    let nodes = diagram["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes.iter().filter(|n| n["is_category"] == true).count(), 1);
    let edges = diagram["edges"].as_array().expect("edges");
    let labels: Vec<&str> = edges
        .iter()
        .map(|e| e["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, ["循環", "循環", "影響"]);

    let svg = sandbox.path("diagram.svg");
    let png = sandbox.path("diagram.png");
    run(
        &sandbox,
        &["export", p, "--diagram", svg.to_str().expect("utf-8")],
    );
    run(
        &sandbox,
        &["export", p, "--diagram", png.to_str().expect("utf-8")],
    );
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.starts_with("<svg"));
    for wanted in [
        "[母親の休息の確保]",
        "[レスパイトの調整]",
        "家族の生活と思いを支える",
        ">影響<",
        ">循環<",
    ] {
        assert!(text.contains(wanted), "{wanted} in the SVG");
    }
    assert_eq!(text.matches("marker-end").count(), 3);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png).expect("png"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut pixels).expect("frame");
    assert!(
        info.width > 400 && info.height > 100,
        "{}×{}",
        info.width,
        info.height
    );
    let dark = pixels.chunks(4).filter(|p| p[0] < 128).count();
    assert!(
        dark > 1000,
        "boxes, arrows and glyphs are drawn ({dark} dark pixels)"
    );

    // Removing a box takes its arrows; undo brings them back.
    run(
        &sandbox,
        &[
            "mgta",
            p,
            "diagram",
            "unbox",
            "--code",
            "[母親の休息の確保]",
        ],
    );
    let diagram = json(&sandbox, &["mgta", p, "diagram", "show"]);
    assert_eq!(diagram["edges"].as_array().map(Vec::len), Some(0));
    run(&sandbox, &["undo", p]);
    let diagram = json(&sandbox, &["mgta", p, "diagram", "show"]);
    assert_eq!(diagram["edges"].as_array().map(Vec::len), Some(3));
}
