//! The matrix, crosstab, co-occurrence and frequencies as a researcher reads them through the
//! CLI. Every number of the sample study is checked against an independent count made here,
//! with plain loops over `list codings --json` and `list cases --json`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{Sandbox, list};
use serde_json::Value;

/// `casecode ARGS…` in the sandbox; must succeed.
fn run(sandbox: &Sandbox, args: &[&str]) -> common::Run {
    sandbox.run(args).ok()
}

/// `casecode WHAT PROJECT ARGS… --format json`, parsed.
fn analysis(sandbox: &Sandbox, what: &str, project: &Path, args: &[&str]) -> Value {
    let project = project.to_str().expect("utf-8 path");
    let mut all = vec![what, project];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    run(sandbox, &all).json()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn number(value: &Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not a count: {value}"))
}

/// The first `depth + 1` names of a code path: its column at that level.
fn rolled_up(path: &str, depth: usize) -> String {
    path.split('/')
        .take(depth + 1)
        .collect::<Vec<_>>()
        .join("/")
}

/// A coding's span as the passage rule reads it: (document, start, end, code path).
type Span = (String, u64, u64, String);

fn span_of(coding: &Value) -> Span {
    (
        text(&coding["document"]),
        number(&coding["start"]),
        number(&coding["end"]),
        text(&coding["code_path"]),
    )
}

/// Distinct passages among spans, counted naively: two spans are one passage when they are
/// identical, or when their codes differ and they overlap in one document; joined groups
/// are one passage.
fn passages(spans: &[Span]) -> u64 {
    let mut group: Vec<usize> = (0..spans.len()).collect();
    let related = |a: &Span, b: &Span| {
        a.0 == b.0 && ((a.1, a.2) == (b.1, b.2) || (a.3 != b.3 && a.1 < b.2 && b.1 < a.2))
    };
    loop {
        let mut changed = false;
        for i in 0..spans.len() {
            for j in 0..spans.len() {
                if related(&spans[i], &spans[j]) && group[i] != group[j] {
                    let low = group[i].min(group[j]);
                    group[i] = low;
                    group[j] = low;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    group.iter().collect::<BTreeSet<_>>().len() as u64
}

/// (case, column path) → (segments, cases) read from a matrix JSON.
fn matrix_cells(json: &Value) -> BTreeMap<(String, String), (u64, u64)> {
    let rows = json["rows"].as_array().expect("rows");
    let columns = json["columns"].as_array().expect("columns");
    let mut cells = BTreeMap::new();
    for cell in json["cells"].as_array().expect("cells") {
        let row = &rows[number(&cell["row"]) as usize];
        let column = &columns[number(&cell["column"]) as usize];
        let (case, path) = if json["rows_are"] == "cases" {
            (text(&row["name"]), text(&column["path"]))
        } else {
            (text(&column["name"]), text(&row["path"]))
        };
        let segments = number(&cell["segments"]);
        assert_eq!(
            number(&cell["codings"]),
            cell["segment_ids"].as_array().map_or(0, Vec::len) as u64
        );
        assert!(segments <= number(&cell["codings"]));
        cells.insert((case, path), (segments, number(&cell["presence"])));
    }
    cells
}

#[test]
fn the_sample_matrix_agrees_with_an_independent_count_at_every_level() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let codings = list(&sandbox, &project, "codings");
    let codings = codings.as_array().expect("codings");
    let cases: Vec<String> = list(&sandbox, &project, "cases")
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| text(&case["name"]))
        .collect();
    for code in codings {
        assert_eq!(
            text(&code["code_path"]).split('/').count(),
            3,
            "sample codes focus codes"
        );
    }
    for (level, depth) in [("code", 2), ("subcategory", 1), ("category", 0)] {
        for coder in [None, Some("鈴木")] {
            let mut spans: BTreeMap<(String, String), Vec<Span>> = BTreeMap::new();
            for coding in codings {
                if coder.is_some_and(|coder| coding["coder"] != coder) {
                    continue;
                }
                let key = (
                    text(&coding["case"]),
                    rolled_up(&text(&coding["code_path"]), depth),
                );
                spans.entry(key).or_default().push(span_of(coding));
            }
            let expected: BTreeMap<(String, String), u64> = spans
                .iter()
                .map(|(key, spans)| (key.clone(), passages(spans)))
                .collect();
            let mut args = vec!["--level", level];
            if let Some(coder) = coder {
                args.extend(["--filter-coder", coder]);
            }
            let json = analysis(&sandbox, "matrix", &project, &args);
            let cells = matrix_cells(&json);
            let columns = json["columns"].as_array().expect("columns").len();
            assert_eq!(cells.len(), cases.len() * columns, "every cell is listed");
            for ((case, path), (segments, presence)) in &cells {
                let want = expected
                    .get(&(case.clone(), path.clone()))
                    .copied()
                    .unwrap_or(0);
                assert_eq!(*segments, want, "{level} {coder:?} {case} × {path}");
                assert_eq!(*presence, u64::from(want > 0));
            }
            let covered: u64 = cells.values().map(|(segments, _)| segments).sum();
            assert_eq!(
                covered,
                expected.values().sum::<u64>(),
                "no passage is lost"
            );
            // Column totals: segments and distinct cases.
            for (index, column) in json["columns"]
                .as_array()
                .expect("columns")
                .iter()
                .enumerate()
            {
                let path = text(&column["path"]);
                let segments: u64 = expected
                    .iter()
                    .filter(|((_, p), _)| *p == path)
                    .map(|(_, n)| n)
                    .sum();
                let with = expected.keys().filter(|(_, p)| *p == path).count() as u64;
                assert_eq!(number(&json["column_totals"][index]["segments"]), segments);
                assert_eq!(number(&json["column_totals"][index]["coded"]), with);
            }
        }
    }
}

#[test]
fn the_sample_crosstab_by_organisation_agrees_with_an_independent_count() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let organisation: BTreeMap<String, String> = list(&sandbox, &project, "cases")
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| (text(&case["name"]), text(&case["attributes"]["所属組織"])))
        .collect();
    let mut group_sizes: BTreeMap<String, u64> = BTreeMap::new();
    for value in organisation.values() {
        *group_sizes.entry(value.clone()).or_default() += 1;
    }
    let mut spans: BTreeMap<(String, String), Vec<Span>> = BTreeMap::new();
    let mut cases: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for coding in list(&sandbox, &project, "codings")
        .as_array()
        .expect("codings")
    {
        let case = text(&coding["case"]);
        let key = (
            rolled_up(&text(&coding["code_path"]), 1),
            organisation[&case].clone(),
        );
        spans.entry(key.clone()).or_default().push(span_of(coding));
        cases.entry(key).or_default().insert(case);
    }
    let segments: BTreeMap<(String, String), u64> = spans
        .iter()
        .map(|(key, spans)| (key.clone(), passages(spans)))
        .collect();
    for count in ["segments", "cases"] {
        let json = analysis(
            &sandbox,
            "crosstab",
            &project,
            &[
                "--by",
                "所属組織",
                "--level",
                "subcategory",
                "--count",
                count,
            ],
        );
        let groups: Vec<String> = json["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|group| text(&group["value"]))
            .collect();
        for group in json["groups"].as_array().expect("groups") {
            assert_eq!(number(&group["cases"]), group_sizes[&text(&group["value"])]);
        }
        assert_eq!(groups.len(), group_sizes.len());
        for row in json["rows"].as_array().expect("rows") {
            let path = text(&row["column"]["path"]);
            for (index, group) in groups.iter().enumerate() {
                let key = (path.clone(), group.clone());
                let want_segments = segments.get(&key).copied().unwrap_or(0);
                let want_cases = cases.get(&key).map_or(0, |set| set.len() as u64);
                assert_eq!(
                    number(&row["segments"][index]),
                    want_segments,
                    "{path} {group}"
                );
                assert_eq!(number(&row["cases"][index]), want_cases, "{path} {group}");
                let shown = if count == "segments" {
                    want_segments
                } else {
                    want_cases
                };
                assert_eq!(number(&row["counts"][index]), shown);
                let percent = row["percent_of_cases"][index].as_f64().expect("percent");
                let want = want_cases as f64 * 100.0 / group_sizes[group] as f64;
                assert!((percent - want).abs() < 1e-9);
            }
        }
        let test = &json["test"];
        assert!(test["exploratory"] == true);
        assert!(test["df"].as_u64().expect("df") > 0);
        assert!(
            text(&test["warning"]).contains("expected count below 5"),
            "ten cases: the warning must show"
        );
    }
    let table = run(
        &sandbox,
        &[
            "crosstab",
            project.to_str().expect("path"),
            "--by",
            "所属組織",
            "--format",
            "md",
        ],
    )
    .stdout;
    assert!(table.contains("exploratory (探索的)"), "{table}");
}

/// Overlap pairs and Jaccard of the focus codes, counted independently.
#[test]
fn the_sample_co_occurrence_and_frequencies_agree_with_an_independent_count() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let codings = list(&sandbox, &project, "codings");
    let codings = codings.as_array().expect("codings");
    let mut pairs: BTreeMap<BTreeSet<String>, u64> = BTreeMap::new();
    for (index, first) in codings.iter().enumerate() {
        for second in &codings[index + 1..] {
            let overlaps = first["document"] == second["document"]
                && number(&first["start"]) < number(&second["end"])
                && number(&second["start"]) < number(&first["end"]);
            if overlaps && first["code_path"] != second["code_path"] {
                let key = BTreeSet::from([text(&first["code_path"]), text(&second["code_path"])]);
                *pairs.entry(key).or_default() += 1;
            }
        }
    }
    let mut covered: BTreeMap<String, BTreeSet<(String, u64)>> = BTreeMap::new();
    let mut cases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut spans: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for coding in codings {
        let path = text(&coding["code_path"]);
        for offset in number(&coding["start"])..number(&coding["end"]) {
            covered
                .entry(path.clone())
                .or_default()
                .insert((text(&coding["document"]), offset));
        }
        cases
            .entry(path.clone())
            .or_default()
            .insert(text(&coding["case"]));
        spans.entry(path).or_default().push(span_of(coding));
    }
    let segments: BTreeMap<String, u64> = spans
        .iter()
        .map(|(path, spans)| (path.clone(), passages(spans)))
        .collect();
    let json = analysis(&sandbox, "cooccurrence", &project, &[]);
    let listed: BTreeMap<BTreeSet<String>, u64> = json["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|pair| {
            let key = BTreeSet::from([text(&pair["first_path"]), text(&pair["second_path"])]);
            let (a, b) = (
                &covered[&text(&pair["first_path"])],
                &covered[&text(&pair["second_path"])],
            );
            let jaccard = a.intersection(b).count() as f64 / a.union(b).count() as f64;
            assert!((pair["jaccard"].as_f64().expect("jaccard") - jaccard).abs() < 1e-9);
            (key, number(&pair["count"]))
        })
        .collect();
    assert!(!pairs.is_empty(), "the sample has double-coded spans");
    assert_eq!(listed, pairs);

    let json = analysis(&sandbox, "frequencies", &project, &[]);
    assert_eq!(number(&json["total_cases"]), 10);
    for row in json["rows"].as_array().expect("rows") {
        let path = text(&row["path"]);
        assert_eq!(
            number(&row["segments"]),
            segments.get(&path).copied().unwrap_or(0)
        );
        let with = cases.get(&path).map_or(0, BTreeSet::len) as u64;
        assert_eq!(number(&row["cases"]), with);
        assert_eq!(
            number(&row["chars"]),
            covered.get(&path).map_or(0, BTreeSet::len) as u64
        );
        let percent = row["percent_of_cases"].as_f64().expect("percent");
        assert!((percent - with as f64 * 10.0).abs() < 1e-9);
    }
}

/// A tiny study: cases P, Q (市役所), R, S (病院), each one transcript of four turns.
fn tiny_study(sandbox: &Sandbox) -> PathBuf {
    let project = sandbox.new_project("tiny.casecode");
    for name in ["P", "Q", "R", "S"] {
        sandbox.write(
            &format!("tiny/{name}.txt"),
            "Ｉ：どうですか。\nＡ：レスパイトときょうだいの話です。\nＩ：ほかには。\nＡ：情報をもらいました。\n",
        );
    }
    sandbox.write(
        "tiny.csv",
        "事例,所属組織\nP,市役所\nQ,市役所\nR,病院\nS,病院\n",
    );
    let path = project.to_str().expect("path");
    let folder = sandbox.path("tiny");
    run(sandbox, &["import", path, folder.to_str().expect("path")]);
    run(
        sandbox,
        &[
            "attributes",
            path,
            sandbox.path("tiny.csv").to_str().expect("path"),
        ],
    );
    for (code, roles) in [
        ("家族支援", ""),
        ("家族支援/負担軽減", ""),
        ("家族支援/負担軽減/[レスパイト]", "家族支援"),
        ("家族支援/負担軽減/[きょうだい]", "家族支援,地域支援"),
        ("家族支援/情報", ""),
        ("家族支援/情報/[情報提供]", "発達支援"),
    ] {
        let mut args = vec!["codes", path, "add", code];
        if !roles.is_empty() {
            args.extend(["--roles", roles]);
        }
        run(sandbox, &args);
    }
    project
}

fn code(sandbox: &Sandbox, project: &Path, document: &str, span: (usize, usize), code: &str) {
    let (start, end) = (span.0.to_string(), span.1.to_string());
    run(
        sandbox,
        &[
            "code",
            project.to_str().expect("path"),
            "--doc",
            document,
            "--start",
            &start,
            "--end",
            &end,
            "--code",
            code,
        ],
    );
}

fn cell(json: &Value, case: &str, path: &str) -> Value {
    let rows = json["rows"].as_array().expect("rows");
    let columns = json["columns"].as_array().expect("columns");
    let row = rows
        .iter()
        .position(|row| row["name"] == case)
        .expect("case row");
    let column = columns
        .iter()
        .position(|column| column["path"] == path || column["name"] == path)
        .unwrap_or_else(|| panic!("no column {path}"));
    json["cells"]
        .as_array()
        .and_then(|cells| {
            cells
                .iter()
                .find(|c| c["row"] == row && c["column"] == column)
        })
        .cloned()
        .expect("cell")
}

#[test]
fn one_span_with_two_focus_codes_is_one_passage_where_they_roll_up_together() {
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    code(&sandbox, &project, "P", (11, 26), "[レスパイト]");
    code(&sandbox, &project, "P", (11, 26), "[きょうだい]");
    let sub = analysis(&sandbox, "matrix", &project, &["--level", "subcategory"]);
    let burden = cell(&sub, "P", "家族支援/負担軽減");
    assert_eq!(
        (
            burden["segments"].clone(),
            burden["codings"].clone(),
            burden["presence"].clone()
        ),
        (1.into(), 2.into(), 1.into())
    );
    let top = analysis(&sandbox, "matrix", &project, &["--level", "category"]);
    assert_eq!(cell(&top, "P", "家族支援")["segments"], 1);
    assert_eq!(cell(&top, "P", "家族支援")["codings"], 2);
    let focus = analysis(&sandbox, "matrix", &project, &["--level", "code"]);
    assert_eq!(
        cell(&focus, "P", "家族支援/負担軽減/[レスパイト]")["segments"],
        1
    );
    assert_eq!(
        cell(&focus, "P", "家族支援/負担軽減/[きょうだい]")["segments"],
        1
    );
    for (count, want) in [("segments", 1), ("cases", 1)] {
        let table = analysis(
            &sandbox,
            "crosstab",
            &project,
            &[
                "--by",
                "所属組織",
                "--level",
                "subcategory",
                "--count",
                count,
            ],
        );
        let row = &table["rows"][0];
        assert_eq!(row["column"]["path"], "家族支援/負担軽減");
        assert_eq!(row["counts"][0], want, "{count}");
    }
    let frequencies = analysis(&sandbox, "frequencies", &project, &["--level", "category"]);
    assert_eq!(frequencies["rows"][0]["segments"], 1);
    assert_eq!(frequencies["rows"][0]["cases"], 1);
    assert_eq!(
        frequencies["rows"][0]["chars"], 15,
        "the same text counts once"
    );
}

#[test]
fn transposing_puts_the_codes_down_the_side_with_the_same_cells() {
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    code(&sandbox, &project, "Q", (38, 47), "[情報提供]");
    let wide = analysis(&sandbox, "matrix", &project, &["--group-by", "所属組織"]);
    let tall = analysis(
        &sandbox,
        "matrix",
        &project,
        &["--group-by", "所属組織", "--rows", "codes"],
    );
    assert_eq!(tall["rows_are"], "codes");
    assert_eq!(wide["rows"], tall["columns"]);
    assert_eq!(wide["columns"], tall["rows"]);
    assert_eq!(matrix_cells(&wide), matrix_cells(&tall));
    let path = project.to_str().expect("path");
    let printed = run(
        &sandbox,
        &["matrix", path, "--rows", "codes", "--cell", "segments"],
    )
    .stdout;
    assert!(printed.starts_with("code\tP\tQ\tR\tS\n"), "{printed}");
    assert!(
        printed.contains("\tQ-4「情報をもらいました」\t"),
        "{printed}"
    );
}

#[test]
fn role_frames_count_a_code_in_every_role_it_plays() {
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    code(&sandbox, &project, "P", (11, 26), "[きょうだい]");
    code(&sandbox, &project, "R", (11, 16), "[レスパイト]");
    code(&sandbox, &project, "R", (38, 47), "[情報提供]");
    let json = analysis(
        &sandbox,
        "matrix",
        &project,
        &["--level", "role:コーディネーターの役割"],
    );
    let roles: Vec<String> = json["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| text(&c["name"]))
        .collect();
    assert_eq!(roles, ["発達支援", "家族支援", "地域支援"]);
    assert_eq!(cell(&json, "P", "家族支援")["segments"], 1);
    assert_eq!(
        cell(&json, "P", "地域支援")["segments"],
        1,
        "[きょうだい] plays two roles"
    );
    assert_eq!(cell(&json, "P", "発達支援")["state"], "not_mentioned");
    assert_eq!(cell(&json, "R", "家族支援")["segments"], 1);
    assert_eq!(cell(&json, "R", "発達支援")["segments"], 1);
    let table = analysis(
        &sandbox,
        "crosstab",
        &project,
        &["--by", "所属組織", "--level", "role", "--count", "cases"],
    );
    let counts: Vec<Value> = table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["counts"].clone())
        .collect();
    assert_eq!(
        counts,
        [
            serde_json::json!([0, 1]),
            serde_json::json!([1, 1]),
            serde_json::json!([1, 0])
        ]
    );
}

fn summary_of(sandbox: &Sandbox, project: &Path, case: &str, path: &str) -> Value {
    let json = analysis(sandbox, "matrix", project, &["--cell", "summary"]);
    cell(&json, case, path)["summary"].clone()
}

#[test]
fn summaries_survive_renaming_moving_and_merging_their_code() {
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    let path = project.to_str().expect("path");
    code(&sandbox, &project, "P", (11, 26), "[レスパイト]");
    code(&sandbox, &project, "P", (11, 16), "[きょうだい]");
    let respite = list(&sandbox, &project, "codings")
        .as_array()
        .and_then(|codings| codings.iter().find(|c| c["code"] == "[レスパイト]"))
        .map(|c| number(&c["id"]))
        .expect("the coding of [レスパイト]");
    let segments = respite.to_string();
    run(
        &sandbox,
        &[
            "summary",
            path,
            "set",
            "--case",
            "P",
            "--code",
            "[レスパイト]",
            "--text",
            "短期入所で休息",
            "--segments",
            &segments,
        ],
    );
    run(
        &sandbox,
        &[
            "cell",
            path,
            "--case",
            "Q",
            "--code",
            "[レスパイト]",
            "--state",
            "negative",
        ],
    );

    run(
        &sandbox,
        &["codes", path, "rename", "[レスパイト]", "[休息の確保]"],
    );
    let summary = summary_of(&sandbox, &project, "P", "家族支援/負担軽減/[休息の確保]");
    assert_eq!(summary["text"], "短期入所で休息");

    run(
        &sandbox,
        &[
            "codes",
            path,
            "move",
            "[休息の確保]",
            "--to",
            "家族支援/情報",
        ],
    );
    let summary = summary_of(&sandbox, &project, "P", "家族支援/情報/[休息の確保]");
    assert_eq!(summary["text"], "短期入所で休息");
    assert_eq!(summary["segment_ids"], serde_json::json!([respite]));

    run(
        &sandbox,
        &["codes", path, "merge", "[休息の確保]", "[きょうだい]"],
    );
    let json = analysis(&sandbox, "matrix", &project, &["--cell", "summary"]);
    let merged = cell(&json, "P", "家族支援/負担軽減/[きょうだい]");
    assert_eq!(merged["summary"]["text"], "短期入所で休息");
    assert_eq!(merged["segments"], 2, "both segments now in the target");
    assert_eq!(
        cell(&json, "Q", "家族支援/負担軽減/[きょうだい]")["state"],
        "negative",
        "the mark moved too"
    );

    run(&sandbox, &["undo", path]);
    let summary = summary_of(&sandbox, &project, "P", "家族支援/情報/[休息の確保]");
    assert_eq!(
        summary["text"], "短期入所で休息",
        "undoing the merge puts it back"
    );
}

#[test]
fn undoing_a_summary_edit_restores_the_previous_text_in_the_matrix() {
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    let path = project.to_str().expect("path");
    code(&sandbox, &project, "S", (38, 47), "[情報提供]");
    for text in ["第一稿", "第二稿"] {
        run(
            &sandbox,
            &[
                "summary",
                path,
                "set",
                "--case",
                "S",
                "--code",
                "[情報提供]",
                "--text",
                text,
            ],
        );
    }
    let at = "家族支援/情報/[情報提供]";
    assert_eq!(summary_of(&sandbox, &project, "S", at)["text"], "第二稿");
    run(&sandbox, &["undo", path]);
    assert_eq!(summary_of(&sandbox, &project, "S", at)["text"], "第一稿");
    run(&sandbox, &["undo", path]);
    assert_eq!(summary_of(&sandbox, &project, "S", at), Value::Null);
    run(&sandbox, &["redo", path]);
    assert_eq!(summary_of(&sandbox, &project, "S", at)["text"], "第一稿");
}

#[test]
fn an_explicitly_negative_cell_reads_differently_from_a_not_mentioned_one() {
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    let path = project.to_str().expect("path");
    code(&sandbox, &project, "P", (38, 47), "[情報提供]");
    run(
        &sandbox,
        &[
            "cell",
            path,
            "--case",
            "Q",
            "--code",
            "[情報提供]",
            "--state",
            "negative",
        ],
    );
    let json = analysis(&sandbox, "matrix", &project, &[]);
    let at = "家族支援/情報/[情報提供]";
    assert_eq!(cell(&json, "P", at)["state"], "coded");
    assert_eq!(cell(&json, "Q", at)["state"], "negative");
    assert_eq!(cell(&json, "R", at)["state"], "not_mentioned");
    let printed = run(&sandbox, &["matrix", path, "--rows", "codes"]).stdout;
    let line = printed
        .lines()
        .find(|line| line.starts_with(at))
        .expect("row");
    assert_eq!(line, format!("{at}\t1\t×\t0\t0\t1"));
    let markdown = run(&sandbox, &["matrix", path, "--format", "md"]).stdout;
    assert!(markdown.contains("× = explicitly negative"), "{markdown}");
}

#[test]
fn a_two_by_two_crosstab_gives_chi_square_and_fishers_exact_test() {
    // 市役所 (P, Q) mention [レスパイト] 3 times and [情報提供] once; 病院 (R, S) the reverse:
    // [[3, 1], [1, 3]], every E = 2, χ² = 4 · 1²/2 = 2.0, df 1, p = erfc(1) = 0.157299;
    // Fisher's exact test, two-sided: 17/35 = 0.485714.
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    for (document, span, code_name) in [
        ("P", (11, 16), "[レスパイト]"),
        ("P", (16, 20), "[レスパイト]"),
        ("Q", (11, 16), "[レスパイト]"),
        ("Q", (38, 47), "[情報提供]"),
        ("R", (11, 16), "[レスパイト]"),
        ("R", (38, 47), "[情報提供]"),
        ("S", (38, 42), "[情報提供]"),
        ("S", (42, 47), "[情報提供]"),
    ] {
        code(&sandbox, &project, document, span, code_name);
    }
    let json = analysis(
        &sandbox,
        "crosstab",
        &project,
        &[
            "--by",
            "所属組織",
            "--where",
            "所属組織=市役所",
            "--where",
            "所属組織=病院",
        ],
    );
    let test = &json["test"];
    assert_eq!(test["df"], 1);
    assert!((test["statistic"].as_f64().expect("χ²") - 2.0).abs() < 1e-12);
    assert!((test["p"].as_f64().expect("p") - 0.157_299).abs() < 1e-6);
    assert!((test["fisher_p"].as_f64().expect("Fisher") - 17.0 / 35.0).abs() < 1e-9);
    assert!((test["residuals"][0][0].as_f64().expect("residual") - 2f64.sqrt()).abs() < 1e-9);
    assert!(text(&test["warning"]).contains("4 of 4 cells"));
}

#[test]
fn an_unknown_attribute_or_level_is_refused_with_the_choices() {
    let sandbox = Sandbox::new();
    let project = tiny_study(&sandbox);
    let path = project.to_str().expect("path");
    let failed = sandbox.run(["crosstab", path, "--by", "所属"]);
    assert_eq!(failed.code, 2);
    assert!(
        failed
            .stderr
            .contains("--by 所属: no such attribute (attributes: 所属組織)"),
        "{}",
        failed.stderr
    );
    let failed = sandbox.run(["matrix", path, "--level", "role:支援"]);
    assert_eq!(failed.code, 2);
    assert!(
        failed.stderr.contains("コーディネーターの役割"),
        "{}",
        failed.stderr
    );
    let failed = sandbox.run(["matrix", path, "--where", "所属組織=大学"]);
    assert!(
        failed.stderr.contains("values: 市役所, 病院"),
        "{}",
        failed.stderr
    );
}
