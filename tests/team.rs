//! Team coding from the command line, on the sample study where 山田 and 鈴木 both coded:
//! coders as rows (rename, merge, undo), the distinct-passages rule in the matrix, and
//! inter-coder agreement checked against a computation written here.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Sandbox, list};
use serde_json::Value;

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn run_ok(sandbox: &Sandbox, args: &[&str]) -> common::Run {
    sandbox.run(args).ok()
}

/// (document, start, end, code, coder, text) of every coding.
fn codings(
    sandbox: &Sandbox,
    project: &str,
) -> BTreeSet<(String, u64, u64, String, String, String)> {
    list(sandbox, std::path::Path::new(project), "codings")
        .as_array()
        .expect("codings")
        .iter()
        .map(|c| {
            (
                text(&c["document"]),
                c["start"].as_u64().expect("start"),
                c["end"].as_u64().expect("end"),
                text(&c["code_path"]),
                text(&c["coder"]),
                text(&c["text"]),
            )
        })
        .collect()
}

fn coders(sandbox: &Sandbox, project: &str) -> BTreeMap<String, (String, u64)> {
    run_ok(sandbox, &["coders", project, "list", "--json"])
        .json()
        .as_array()
        .expect("coders")
        .iter()
        .map(|c| {
            (
                text(&c["name"]),
                (text(&c["guid"]), c["codings"].as_u64().expect("count")),
            )
        })
        .collect()
}

#[test]
fn renaming_a_coder_keeps_its_guid_and_every_coding_and_undo_brings_the_name_back() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let before = coders(&sandbox, project);
    let (guid, count) = before.get("山田").cloned().expect("山田 is a coder");
    assert!(count > 300, "山田 coded most of the sample ({count})");
    assert!(before.contains_key("鈴木"));
    let codings_before = codings(&sandbox, project);

    run_ok(&sandbox, &["coders", project, "rename", "山田", "山田太郎"]);
    let after = coders(&sandbox, project);
    assert!(!after.contains_key("山田"));
    assert_eq!(after.get("山田太郎"), Some(&(guid.clone(), count)));
    let renamed: BTreeSet<_> = codings_before
        .iter()
        .map(|(d, s, e, code, coder, t)| {
            let coder = if coder == "山田" {
                "山田太郎"
            } else {
                coder
            };
            (d.clone(), *s, *e, code.clone(), coder.to_owned(), t.clone())
        })
        .collect();
    assert_eq!(codings(&sandbox, project), renamed);

    let refused = sandbox.run(["coders", project, "rename", "山田太郎", "鈴木"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("merge"), "{}", refused.stderr);

    run_ok(&sandbox, &["undo", project]);
    assert_eq!(coders(&sandbox, project).get("山田"), Some(&(guid, count)));
    assert_eq!(codings(&sandbox, project), codings_before);
}

#[test]
fn merging_two_coders_makes_their_identical_codings_one_and_undo_restores_both() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let before = codings(&sandbox, project);
    let spans = |coder: &str| -> BTreeSet<(String, u64, u64, String)> {
        before
            .iter()
            .filter(|c| c.4 == coder)
            .map(|c| (c.0.clone(), c.1, c.2, c.3.clone()))
            .collect()
    };
    let (yamada, suzuki) = (spans("山田"), spans("鈴木"));
    let identical = yamada.intersection(&suzuki).count();
    assert!(identical > 0, "the sample has double-coded spans");

    let out = run_ok(&sandbox, &["coders", project, "merge", "鈴木", "山田"]).stdout;
    assert!(
        out.contains(&format!("{identical} identical coding(s)")),
        "{out}"
    );
    let merged = codings(&sandbox, project);
    assert_eq!(merged.len(), before.len() - identical);
    assert!(merged.iter().all(|c| c.4 != "鈴木"));
    // Every span either coder had is still there, with its exact text.
    let expected: BTreeSet<_> = before
        .iter()
        .map(|(d, s, e, code, coder, t)| {
            let coder = if coder == "鈴木" { "山田" } else { coder };
            (d.clone(), *s, *e, code.clone(), coder.to_owned(), t.clone())
        })
        .collect();
    assert_eq!(merged, expected);
    assert!(!coders(&sandbox, project).contains_key("鈴木"));

    run_ok(&sandbox, &["undo", project]);
    assert_eq!(codings(&sandbox, project), before);
    run_ok(&sandbox, &["redo", project]);
    assert_eq!(codings(&sandbox, project), expected);
}

/// The matrix as JSON with the segments of each cell.
fn matrix(sandbox: &Sandbox, project: &str, extra: &[&str]) -> Value {
    let mut args = vec!["matrix", project, "--format", "json", "--cell", "segments"];
    args.extend_from_slice(extra);
    run_ok(sandbox, &args).json()
}

fn cell<'a>(json: &'a Value, case: &str, column: &str) -> &'a Value {
    let row = json["rows"]
        .as_array()
        .and_then(|rows| rows.iter().position(|r| r["name"] == case))
        .expect("case row");
    let col = json["columns"]
        .as_array()
        .and_then(|cols| cols.iter().position(|c| c["name"] == column))
        .expect("column");
    json["cells"]
        .as_array()
        .and_then(|cells| cells.iter().find(|c| c["row"] == row && c["column"] == col))
        .expect("cell")
}

#[test]
fn role_matrix_b_family_support_lists_b12_twice() {
    // Issue 11, bug 3: B × 家族支援 listed B-12 「予備のカニューレ…」 twice, because two codes of
    // the 家族支援 role cover the same span. A role cell counts distinct passages.
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let json = matrix(
        &sandbox,
        project,
        &["--level", "role:コーディネーターの役割"],
    );
    let family = cell(&json, "B", "家族支援");
    let segments = family["segments"].as_u64().expect("segments");
    let codings = family["codings"].as_u64().expect("codings");
    assert!(
        segments < codings,
        "{segments} passages of {codings} codings"
    );
    let rendered = run_ok(
        &sandbox,
        &[
            "matrix",
            project,
            "--level",
            "role:コーディネーターの役割",
            "--cell",
            "segments",
        ],
    )
    .stdout;
    let header: Vec<&str> = rendered
        .lines()
        .next()
        .expect("header")
        .split('\t')
        .collect();
    let family_column = header
        .iter()
        .position(|name| name.contains("家族支援"))
        .expect("家族支援 column");
    let b_row = rendered
        .lines()
        .find(|line| line.starts_with("B\t"))
        .expect("row B");
    let family_cell = b_row.split('\t').nth(family_column).expect("B × 家族支援");
    assert_eq!(
        family_cell.matches("予備のカニューレ").count(),
        1,
        "{family_cell}"
    );
}

#[test]
fn a_span_coded_by_both_coders_counts_once_with_both_coders_named() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let json = matrix(&sandbox, project, &[]);
    let both = cell(&json, "B", "[退院前からの関わり]");
    assert_eq!(both["segments"], 1);
    assert_eq!(both["codings"], 2);
    let rendered = run_ok(&sandbox, &["matrix", project, "--cell", "segments"]).stdout;
    assert!(
        rendered.contains("「NICUに何回か面会に行って、お母さんと顔を合わせておいて、で、家に帰ったら「あ、あの人だ」って思ってもらえるように。」（山田・鈴木）"),
        "quoted once with both coders"
    );
    // One coder's scope sees its own coding.
    let suzuki = matrix(&sandbox, project, &["--coders", "鈴木"]);
    assert_eq!(cell(&suzuki, "B", "[退院前からの関わり]")["codings"], 1);
}

/// Character-level 2 × 2 counts of one code, computed here from the listed codings.
fn independent_counts(
    codings: &BTreeSet<(String, u64, u64, String, String, String)>,
    chars: &BTreeMap<String, u64>,
    code: &str,
) -> (u64, u64, u64, u64) {
    let mut counts = (0, 0, 0, 0);
    for (document, length) in chars {
        let covered = |coder: &str| -> BTreeSet<u64> {
            codings
                .iter()
                .filter(|c| &c.0 == document && c.3 == code && c.4 == coder)
                .flat_map(|c| c.1..c.2)
                .collect()
        };
        let (a, b) = (covered("山田"), covered("鈴木"));
        let both = a.intersection(&b).count() as u64;
        let a_only = a.len() as u64 - both;
        let b_only = b.len() as u64 - both;
        counts.0 += both;
        counts.1 += a_only;
        counts.2 += b_only;
        counts.3 += length - both - a_only - b_only;
    }
    counts
}

#[test]
fn agreement_counts_every_character_and_matches_an_independent_computation() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let json = run_ok(
        &sandbox,
        &["agreement", project, "--coders", "山田,鈴木", "--json"],
    )
    .json();
    assert_eq!(json["coders"], serde_json::json!(["山田", "鈴木"]));
    assert_eq!(json["unit"], "character");
    let all = codings(&sandbox, project);
    let chars: BTreeMap<String, u64> = list(&sandbox, std::path::Path::new(project), "documents")
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| (text(&d["name"]), d["chars"].as_u64().expect("chars")))
        .collect();
    let codes = json["codes"].as_array().expect("codes");
    assert!(!codes.is_empty());
    for code in codes {
        let path = text(&code["code_path"]);
        let (a, b, c, d) = independent_counts(&all, &chars, &path);
        let pooled = &code["pooled"];
        assert_eq!(
            (
                pooled["both"].as_u64(),
                pooled["a_only"].as_u64(),
                pooled["b_only"].as_u64(),
                pooled["neither"].as_u64()
            ),
            (Some(a), Some(b), Some(c), Some(d)),
            "{path}"
        );
        let n = (a + b + c + d) as f64;
        let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
        let po = (a + d) / n;
        let pe = ((a + b) * (a + c) + (c + d) * (b + d)) / (n * n);
        assert!((pooled["agreement"].as_f64().expect("agreement") - po).abs() < 1e-9);
        if (1.0 - pe).abs() > 1e-12 {
            let kappa = (po - pe) / (1.0 - pe);
            assert!(
                (pooled["kappa"].as_f64().expect("kappa") - kappa).abs() < 1e-9,
                "{path}"
            );
        } else {
            assert!(pooled["kappa"].is_null());
        }
        for document in code["documents"].as_array().expect("documents") {
            for field in [
                "document",
                "both",
                "a_only",
                "b_only",
                "neither",
                "agreement",
                "kappa",
            ] {
                assert!(document.get(field).is_some(), "{field} in {document}");
            }
        }
    }
    for field in ["agreement", "kappa", "alpha"] {
        assert!(json["overall"][field].is_number(), "overall {field}");
    }
    // A code only 山田 used has segments without a partner, listed with their text.
    let lonely = codes
        .iter()
        .find(|code| code["pooled"]["b_only"] == 0 && code["pooled"]["both"] == 0)
        .expect("a code only 山田 used");
    let unmatched = lonely["segments"]["unmatched"]
        .as_array()
        .expect("unmatched");
    assert!(!unmatched.is_empty());
    assert!(
        unmatched
            .iter()
            .all(|s| s["coder"] == "山田" && !text(&s["text"]).is_empty())
    );
    // Each is quoted with exactly its coding's stored words.
    for segment in unmatched {
        let key = (
            text(&segment["document"]),
            segment["start"].as_u64().expect("start"),
            segment["end"].as_u64().expect("end"),
        );
        assert!(
            all.iter().any(|c| (c.0.clone(), c.1, c.2) == key
                && c.4 == "山田"
                && c.5 == text(&segment["text"])),
            "{segment}"
        );
    }
    let kappa = lonely["pooled"]["kappa"].as_f64().expect("κ is defined");
    assert!(
        kappa.abs() < 1e-9,
        "one coder alone agrees no better than chance: {kappa}"
    );
}

#[test]
fn agreement_by_utterance_counts_turns_and_refuses_an_unknown_coder() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let json = run_ok(
        &sandbox,
        &[
            "agreement",
            project,
            "--coders",
            "山田,鈴木",
            "--unit",
            "utterance",
            "--json",
        ],
    )
    .json();
    let utterances: u64 = list(&sandbox, std::path::Path::new(project), "documents")
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["utterances"].as_u64().expect("utterances"))
        .sum();
    assert_eq!(json["units_per_code"], utterances);
    let refused = sandbox.run(["agreement", project, "--coders", "山田,佐藤"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("no coder named '佐藤'"),
        "{}",
        refused.stderr
    );
}

/// `casecode code` as a given coder.
fn code_as(
    sandbox: &Sandbox,
    project: &str,
    coder: &str,
    doc: &str,
    span: (usize, usize),
    code: &str,
) {
    let (start, end) = (span.0.to_string(), span.1.to_string());
    run_ok(
        sandbox,
        &[
            "--coder", coder, "code", project, "--doc", doc, "--start", &start, "--end", &end,
            "--code", code,
        ],
    );
}

#[test]
fn a_blind_copy_coded_differently_and_merged_back_gives_the_union_with_exact_texts() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let blind = sandbox.path("suzuki.casecode");
    let blind = blind.to_str().expect("utf-8 path");
    let out = run_ok(
        &sandbox,
        &["copy-for-coder", project, "--for", "鈴木", blind, "--blind"],
    )
    .stdout;
    assert!(out.contains("(blind)"), "{out}");
    // The blind copy has only 鈴木's codings, and no history to read 山田's from.
    let copy = codings(&sandbox, blind);
    assert!(!copy.is_empty());
    assert!(copy.iter().all(|c| c.4 == "鈴木"));
    assert_eq!(
        run_ok(&sandbox, &["undo", blind]).stdout.trim(),
        "nothing to undo"
    );
    let documents = list(&sandbox, std::path::Path::new(project), "documents");
    let copied = list(&sandbox, std::path::Path::new(blind), "documents");
    assert_eq!(documents, copied, "same documents, GUIDs included");

    // 鈴木 codes something new in the copy; the original gets a change of its own.
    code_as(
        &sandbox,
        blind,
        "鈴木",
        "A",
        (100, 130),
        "[退院前からの関わり]",
    );
    code_as(
        &sandbox,
        project,
        "山田",
        "A",
        (200, 230),
        "[退院前からの関わり]",
    );
    let before = codings(&sandbox, project);
    let in_copy = codings(&sandbox, blind);

    let dry = run_ok(&sandbox, &["merge", project, blind, "--dry-run"]).stdout;
    assert!(dry.contains("codings: 1 added"), "{dry}");
    assert!(dry.contains("dry run: nothing changed"), "{dry}");
    assert_eq!(
        codings(&sandbox, project),
        before,
        "a dry run changes nothing"
    );

    run_ok(&sandbox, &["merge", project, blind]);
    let merged = codings(&sandbox, project);
    let union: BTreeSet<_> = before.union(&in_copy).cloned().collect();
    assert_eq!(merged, union, "the union, every text exact");
    let new = merged
        .iter()
        .find(|c| c.0 == "A" && c.1 == 100 && c.4 == "鈴木")
        .expect("鈴木's new coding");
    let stored = run_ok(
        &sandbox,
        &[
            "text", project, "--doc", "A", "--start", "100", "--end", "130",
        ],
    )
    .stdout;
    assert_eq!(format!("{}\n", new.5), stored);
    // Merging again adds nothing; undo takes the merge back.
    let again = run_ok(&sandbox, &["merge", project, blind, "--dry-run"]).stdout;
    assert!(again.contains("codings: 0 added"), "{again}");
    run_ok(&sandbox, &["undo", project]);
    assert_eq!(codings(&sandbox, project), before);
}

#[test]
fn merge_refuses_a_document_whose_text_differs_and_keeps_both_memos() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let other = sandbox.path("other.casecode");
    let other = other.to_str().expect("utf-8 path");
    run_ok(
        &sandbox,
        &["copy-for-coder", project, "--for", "鈴木", other],
    );
    // One side corrects a typo in B's transcript (by hand, as another tool would), and both
    // write the project memo differently.
    {
        let connection = rusqlite::Connection::open(other).expect("open sqlite");
        connection
            .execute(
                "UPDATE documents SET text = replace(text, 'NICU', 'ＮＩＣＵ') WHERE name = 'B'",
                [],
            )
            .expect("edit");
    }
    run_ok(
        &sandbox,
        &["memo", project, "--project-memo", "--text", "山田の考察"],
    );
    run_ok(
        &sandbox,
        &["memo", other, "--project-memo", "--text", "鈴木の考察"],
    );
    code_as(
        &sandbox,
        other,
        "鈴木",
        "B",
        (10, 20),
        "[退院前からの関わり]",
    );
    let before = codings(&sandbox, project);
    let report = run_ok(&sandbox, &["merge", project, other]).stdout;
    assert!(
        report.contains("refused: document 'B' has a different text"),
        "{report}"
    );
    assert!(report.contains("conflict: 1 memo(s)"), "{report}");
    assert_eq!(
        codings(&sandbox, project),
        before,
        "nothing lands on B's shifted text"
    );
    let memo = run_ok(&sandbox, &["memo", project, "--project-memo", "--show"]).stdout;
    assert!(memo.contains("山田の考察"), "{memo}");
    assert!(
        memo.contains("【統合の競合: other.casecode の記述】"),
        "{memo}"
    );
    assert!(memo.contains("鈴木の考察"), "{memo}");
}

#[test]
fn reconciling_takes_the_union_as_consensus_and_the_consensus_is_a_coder_scope() {
    let sandbox = Sandbox::new();
    let project = project_with_two_coders(&sandbox);
    let project = project.to_str().expect("utf-8 path");
    run_ok(
        &sandbox,
        &[
            "--coder",
            "佐藤",
            "reconcile",
            project,
            "--doc",
            "P",
            "--code",
            "[レスパイト]",
            "--coders",
            "山田,鈴木",
            "--take",
            "union",
        ],
    );
    let consensus: Vec<_> = codings(&sandbox, project)
        .into_iter()
        .filter(|c| c.4 == "合意")
        .collect();
    assert_eq!(consensus.len(), 1);
    let (_, start, end, _, _, stored) = &consensus[0];
    assert_eq!((*start, *end), (11, 30), "山田 [11, 26) ∪ 鈴木 [15, 30)");
    assert_eq!(stored, "レスパイトときょうだいの話です。\nＩ：");
    let listed = list(&sandbox, std::path::Path::new(project), "codings");
    let memo = listed
        .as_array()
        .and_then(|all| all.iter().find(|c| c["coder"] == "合意"))
        .map(|c| text(&c["memo"]))
        .unwrap_or_default();
    assert_eq!(memo, "合意: 山田 と 鈴木 の和（佐藤 が調整）");
    let matrix = matrix(&sandbox, project, &["--coders", "consensus"]);
    assert_eq!(cell(&matrix, "P", "[レスパイト]")["codings"], 1);
    // Taking A's instead replaces the consensus there; undo brings the union back.
    run_ok(
        &sandbox,
        &[
            "reconcile",
            project,
            "--doc",
            "P",
            "--code",
            "[レスパイト]",
            "--coders",
            "山田,鈴木",
            "--take",
            "a",
        ],
    );
    let spans: Vec<_> = codings(&sandbox, project)
        .into_iter()
        .filter(|c| c.4 == "合意")
        .map(|c| (c.1, c.2))
        .collect();
    assert_eq!(spans, [(11, 26)]);
    run_ok(&sandbox, &["undo", project]);
    let spans: Vec<_> = codings(&sandbox, project)
        .into_iter()
        .filter(|c| c.4 == "合意")
        .map(|c| (c.1, c.2))
        .collect();
    assert_eq!(spans, [(11, 30)]);
}

/// One transcript P, the code [レスパイト], and two coders' overlapping spans.
fn project_with_two_coders(sandbox: &Sandbox) -> std::path::PathBuf {
    let project = sandbox.new_project("two.casecode");
    let path = project.to_str().expect("utf-8 path").to_owned();
    sandbox.write(
        "two/P.txt",
        "Ｉ：どうですか。\nＡ：レスパイトときょうだいの話です。\nＩ：ほかには。\nＡ：情報をもらいました。\n",
    );
    let folder = sandbox.path("two");
    run_ok(
        sandbox,
        &["import", &path, folder.to_str().expect("utf-8 path")],
    );
    run_ok(sandbox, &["codes", &path, "add", "[レスパイト]"]);
    code_as(sandbox, &path, "山田", "P", (11, 26), "[レスパイト]");
    code_as(sandbox, &path, "鈴木", "P", (15, 30), "[レスパイト]");
    project
}

#[test]
fn a_renamed_coder_keeps_its_guid_through_a_refi_qda_round_trip() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let project = project.to_str().expect("utf-8 path");
    let guid = coders(&sandbox, project)["山田"].0.clone();
    run_ok(&sandbox, &["coders", project, "rename", "山田", "山田太郎"]);
    let exported = sandbox.path("study.qdpx");
    let exported = exported.to_str().expect("utf-8 path");
    run_ok(&sandbox, &["export", project, "--qdpx", exported]);
    let back = sandbox.new_project("back.casecode");
    let back = back.to_str().expect("utf-8 path");
    run_ok(&sandbox, &["import-qdpx", exported, back]);
    let imported = coders(&sandbox, back);
    assert_eq!(
        imported.get("山田太郎").map(|c| c.0.clone()),
        Some(guid.clone()),
        "the User GUID is the coder's"
    );
    // A project where the coder still has the old name takes the file's codings as that
    // coder's: matched by GUID, not by name.
    let old = sample_project_named(&sandbox, "old.casecode");
    let old = old.to_str().expect("utf-8 path");
    let other = sandbox.new_project("other.casecode");
    let other = other.to_str().expect("utf-8 path");
    run_ok(&sandbox, &["import-qdpx", exported, other]);
    let merged = run_ok(&sandbox, &["merge", old, other, "--dry-run"]).stdout;
    assert!(
        merged.contains("coder '山田太郎' is '山田' here (same GUID)"),
        "{merged}"
    );
}

/// The sample study under another file name.
fn sample_project_named(sandbox: &Sandbox, name: &str) -> std::path::PathBuf {
    let project = sandbox.path(name);
    sandbox
        .run([
            "demo".as_ref(),
            common::sample_dir().as_os_str(),
            "--project".as_ref(),
            project.as_os_str(),
        ])
        .ok();
    project
}

/// Turns a project back into schema version 5, keeping its data: coder names as text on
/// codings, summaries and journal lines, no coders table.
const BACK_TO_VERSION_5: &str = "PRAGMA foreign_keys = OFF;
    CREATE TABLE codings_v5 (
        id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, document_id INTEGER NOT NULL
            REFERENCES documents (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        start INTEGER NOT NULL, end INTEGER NOT NULL, coder TEXT NOT NULL,
        memo TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
        exemplar INTEGER NOT NULL DEFAULT 0, UNIQUE (code_id, document_id, start, end, coder));
    INSERT INTO codings_v5 SELECT c.id, c.guid, c.document_id, c.code_id, c.start, c.end,
        k.name, c.memo, c.created_at, c.exemplar FROM codings c JOIN coders k ON k.id = c.coder_id;
    DROP TABLE codings; ALTER TABLE codings_v5 RENAME TO codings;
    CREATE INDEX codings_document ON codings (document_id, start);
    CREATE TABLE summaries_v5 (
        id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, case_id INTEGER NOT NULL
            REFERENCES cases (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        text TEXT NOT NULL, author TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (case_id, code_id));
    INSERT INTO summaries_v5 SELECT s.id, s.guid, s.case_id, s.code_id, s.text, k.name,
        s.updated_at FROM summaries s JOIN coders k ON k.id = s.author_id;
    DROP TABLE summaries; ALTER TABLE summaries_v5 RENAME TO summaries;
    CREATE INDEX summaries_code ON summaries (code_id);
    CREATE TABLE journal_v5 (id INTEGER PRIMARY KEY, at TEXT NOT NULL, coder TEXT NOT NULL,
        action TEXT NOT NULL, label TEXT NOT NULL, detail TEXT NOT NULL);
    INSERT INTO journal_v5 SELECT id, at, coder, action, label, detail FROM journal;
    DROP TABLE journal; ALTER TABLE journal_v5 RENAME TO journal;
    DROP TABLE coders;
    PRAGMA user_version = 5;";

#[test]
fn a_project_from_before_coders_upgrades_with_every_coding_summary_and_link() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let path = project.to_str().expect("utf-8 path");
    let ids: Vec<String> = list(&sandbox, &project, "codings")
        .as_array()
        .expect("codings")
        .iter()
        .filter(|c| c["document"] == "B" && text(&c["code"]) == "[退院前からの関わり]")
        .map(|c| c["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 2, "山田's and 鈴木's");
    let ids = ids.join(",");
    run_ok(
        &sandbox,
        &[
            "summary",
            path,
            "set",
            "--case",
            "B",
            "--code",
            "[退院前からの関わり]",
            "--text",
            "退院前から関わる",
            "--segments",
            &ids,
        ],
    );
    let codings_before = codings(&sandbox, path);
    let matrix_before = matrix(&sandbox, path, &[]);
    let journal_before = run_ok(&sandbox, &["history", path, "--json"]).json();
    {
        let connection = rusqlite::Connection::open(&project).expect("open sqlite");
        connection
            .execute_batch(common::DROP_TABLES_AFTER_CODERS)
            .expect("downgrade");
        connection
            .execute_batch(BACK_TO_VERSION_5)
            .expect("downgrade");
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("version");
        assert_eq!(version, 5);
    }
    // Opening upgrades: the same codings, summaries with their links, journal.
    assert_eq!(codings(&sandbox, path), codings_before);
    assert_eq!(matrix(&sandbox, path, &[]), matrix_before);
    let journal_after = run_ok(&sandbox, &["history", path, "--json"]).json();
    assert_eq!(journal_after, journal_before);
    let coders = coders(&sandbox, path);
    assert!(coders.contains_key("山田") && coders.contains_key("鈴木"));
    let check = run_ok(&sandbox, &["check", path]).stdout;
    assert!(check.starts_with("integrity: ok"), "{check}");
}

/// Found in the workbench: the segment list ignored `--coders` while the matrix honoured it.
#[test]
fn the_segments_csv_scoped_to_one_coder_lists_only_that_coders_codings() {
    let sandbox = Sandbox::new();
    let project = sample_project_named(&sandbox, "scoped.casecode");
    let path = project.to_str().expect("utf-8 path");
    let suzuki: BTreeSet<_> = codings(&sandbox, path)
        .into_iter()
        .filter(|coding| coding.4 == "鈴木")
        .map(|(document, start, end, code, _, text)| (document, start, end, code, text))
        .collect();
    assert!(suzuki.len() > 50, "the sample has 鈴木's codings");
    let out = sandbox.path("scoped.csv");
    let out_path = out.to_str().expect("utf-8 path");
    run_ok(
        &sandbox,
        &["export", path, "--csv", out_path, "--coders", "鈴木"],
    );
    let mut reader = csv::Reader::from_path(&out).expect("read the CSV");
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (document, start, end, code, text, coder) = (
        column("文書"),
        column("開始"),
        column("終了"),
        column("コード"),
        column("テキスト"),
        column("コーダー"),
    );
    let mut listed = BTreeSet::new();
    for record in reader.records() {
        let record = record.expect("row");
        assert_eq!(&record[coder], "鈴木", "{record:?}");
        listed.insert((
            record[document].to_owned(),
            record[start].parse::<u64>().expect("start"),
            record[end].parse::<u64>().expect("end"),
            record[code].to_owned(),
            record[text].to_owned(),
        ));
    }
    assert_eq!(listed, suzuki);
    // A coder scope and the 一致率 sheet of two coders do not mix: refused, nothing written.
    let refused = sandbox.path("both.xlsx");
    let run = sandbox.run([
        "export",
        path,
        "--xlsx",
        refused.to_str().expect("utf-8 path"),
        "--coders",
        "鈴木",
        "--agreement",
        "山田,鈴木",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--agreement"), "{}", run.stderr);
    assert!(!refused.exists());
}
