//! Reorganising the code tree (focused coding): rename, move, merge, delete — lossless and
//! undoable — and codebook/codings files that round-trip.

mod common;

use common::{Sandbox, list, snapshot};

fn codings_of(sandbox: &Sandbox, project: &std::path::Path, code: &str) -> usize {
    list(sandbox, project, "codings")
        .as_array()
        .expect("array")
        .iter()
        .filter(|c| c["code"] == code)
        .count()
}

#[test]
fn merging_two_codes_keeps_every_segment() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let (source, target) = ("[母親の休息の確保]", "[レスパイトの調整]");
    let all = list(&sandbox, &project, "codings");
    let all = all.as_array().expect("array");
    let segments = |code: &str| -> std::collections::BTreeSet<(String, u64, u64, String)> {
        all.iter()
            .filter(|c| c["code"] == code)
            .map(|c| {
                (
                    c["document"].to_string(),
                    c["start"].as_u64().unwrap_or(0),
                    c["end"].as_u64().unwrap_or(0),
                    c["coder"].to_string(),
                )
            })
            .collect()
    };
    let union: std::collections::BTreeSet<_> =
        segments(source).union(&segments(target)).cloned().collect();
    assert!(!segments(source).is_empty() && !segments(target).is_empty());
    let before = snapshot(&sandbox, &project);
    sandbox.run(["codes", p, "merge", source, target]).ok();
    assert_eq!(codings_of(&sandbox, &project, source), 0);
    // Identical (span, coder) pairs collapse into one; nothing else is lost.
    assert_eq!(codings_of(&sandbox, &project, target), union.len());
    assert!(
        !list(&sandbox, &project, "codes")
            .as_array()
            .expect("array")
            .iter()
            .any(|c| c["name"] == source)
    );
    sandbox.run(["undo", p]).ok();
    assert_eq!(
        snapshot(&sandbox, &project),
        before,
        "undo restores the exact state"
    );
}

#[test]
fn rename_move_and_delete_are_undoable_and_keep_segments_where_promised() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let before = snapshot(&sandbox, &project);
    let count = codings_of(&sandbox, &project, "[研修での学び]");
    assert!(count > 0);

    sandbox
        .run(["codes", p, "rename", "[研修での学び]", "[研修から得たもの]"])
        .ok();
    assert_eq!(codings_of(&sandbox, &project, "[研修から得たもの]"), count);

    sandbox
        .run([
            "codes",
            p,
            "move",
            "[研修から得たもの]",
            "--to",
            "コーディネーターとしての課題と工夫/専門性の限界",
        ])
        .ok();
    let codes = list(&sandbox, &project, "codes");
    let moved = codes
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["name"] == "[研修から得たもの]")
        .expect("moved");
    assert_eq!(
        moved["path"],
        "コーディネーターとしての課題と工夫/専門性の限界/[研修から得たもの]"
    );

    // A code cannot move into its own subtree.
    let refused = sandbox.run([
        "codes",
        p,
        "move",
        "コーディネーターとしての課題と工夫",
        "--to",
        "コーディネーターとしての課題と工夫/専門性の限界",
    ]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("into itself"), "{}", refused.stderr);

    let subtree_segments: usize = [
        "[役割が定まらない戸惑い]",
        "[業務として位置づけられていない]",
        "[所属組織による役割の違い]",
    ]
    .iter()
    .map(|code| codings_of(&sandbox, &project, code))
    .sum();
    let deleted = sandbox
        .run([
            "codes",
            p,
            "delete",
            "コーディネーターとしての課題と工夫/役割の曖昧さ",
        ])
        .ok();
    assert!(
        deleted
            .stderr
            .contains(&format!("3 subcode(s) and {subtree_segments} segment(s)")),
        "{}",
        deleted.stderr
    );
    assert_eq!(
        codings_of(&sandbox, &project, "[役割が定まらない戸惑い]"),
        0
    );

    let undone = sandbox.run(["undo", p, "3"]).ok();
    assert_eq!(undone.stdout.lines().count(), 3, "{}", undone.stdout);
    assert_eq!(snapshot(&sandbox, &project), before);

    // Redo replays the same three changes.
    sandbox.run(["redo", p, "3"]).ok();
    assert_eq!(
        codings_of(&sandbox, &project, "[役割が定まらない戸惑い]"),
        0
    );
    assert_eq!(codings_of(&sandbox, &project, "[研修から得たもの]"), count);
}

#[test]
fn sibling_names_are_unique_and_codes_are_addressed_by_name_or_path() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let p = project.to_str().unwrap_or_default();
    sandbox.run(["codes", p, "add", "家族支援"]).ok();
    sandbox.run(["codes", p, "add", "地域支援"]).ok();
    sandbox
        .run([
            "codes",
            p,
            "add",
            "家族支援/[相談]",
            "--roles",
            "家族支援",
            "--color",
            "#aabbcc",
        ])
        .ok();
    sandbox.run(["codes", p, "add", "地域支援/[相談]"]).ok();
    let again = sandbox.run(["codes", p, "add", "家族支援/[相談]"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let ambiguous = sandbox.run(["codes", p, "rename", "[相談]", "x"]);
    assert_eq!(ambiguous.code, 2);
    assert!(
        ambiguous.stderr.contains("家族支援/[相談]")
            && ambiguous.stderr.contains("地域支援/[相談]"),
        "{}",
        ambiguous.stderr
    );
    sandbox
        .run(["codes", p, "rename", "家族支援/[相談]", "[家族の相談]"])
        .ok();
    let codes = list(&sandbox, &project, "codes");
    let renamed = codes
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["name"] == "[家族の相談]")
        .expect("renamed");
    assert_eq!(renamed["roles"], serde_json::json!(["家族支援"]));
    assert_eq!(renamed["color"], "#AABBCC");
    assert!(renamed["parent"].is_i64());
}

#[test]
fn codebook_round_trips_through_ron_and_csv() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    for file in ["book.ron", "book.csv"] {
        let exported = sandbox.path(file);
        sandbox
            .run([
                "codebook",
                p,
                "export",
                exported.to_str().unwrap_or_default(),
            ])
            .ok();
        let fresh = sandbox.new_project(&format!("{file}.casecode"));
        let f = fresh.to_str().unwrap_or_default();
        sandbox
            .run([
                "codebook",
                f,
                "import",
                exported.to_str().unwrap_or_default(),
            ])
            .ok();
        let strip = |codes: serde_json::Value| -> Vec<serde_json::Value> {
            codes
                .as_array()
                .expect("array")
                .iter()
                .map(|c| {
                    // A CSV has no frame list, so the order of roles within a frame follows
                    // first use there; compare role sets.
                    let mut roles: Vec<String> = c["roles"]
                        .as_array()
                        .expect("roles")
                        .iter()
                        .map(|r| r.to_string())
                        .collect();
                    if file.ends_with("csv") {
                        roles.sort();
                    }
                    let memo = if file.ends_with("ron") {
                        c["memo"].clone()
                    } else {
                        serde_json::Value::Null
                    };
                    serde_json::json!([c["path"], roles, c["definition"], c["color"], memo])
                })
                .collect()
        };
        let theirs = list(&sandbox, &fresh, "codes");
        let ours = list(&sandbox, &project, "codes");
        // Frames come along: roles of the second frame resolve in the fresh project.
        assert_eq!(strip(theirs), strip(ours), "{file}");
        // Exporting again gives the same file.
        let again = sandbox.path(&format!("again-{file}"));
        sandbox
            .run(["codebook", f, "export", again.to_str().unwrap_or_default()])
            .ok();
        if file.ends_with("ron") {
            assert_eq!(
                std::fs::read(&exported).expect("read"),
                std::fs::read(&again).expect("read")
            );
        } else {
            let rows = |path: &std::path::Path| -> Vec<Vec<String>> {
                let mut reader = csv::Reader::from_path(path).expect("csv");
                reader
                    .records()
                    .map(|record| {
                        let mut row: Vec<String> =
                            record.expect("record").iter().map(str::to_owned).collect();
                        let mut roles: Vec<&str> = row[3].split(';').collect();
                        roles.sort();
                        row[3] = roles.join(";");
                        row
                    })
                    .collect()
            };
            assert_eq!(rows(&exported), rows(&again));
        }
    }
}

#[test]
fn codings_round_trip_through_csv() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let exported = sandbox.path("codings-out.csv");
    sandbox
        .run([
            "codings",
            p,
            "export",
            exported.to_str().unwrap_or_default(),
        ])
        .ok();
    let before = list(&sandbox, &project, "codings");
    // Remove every coding (undoably), then load them back from the export.
    let ids: Vec<String> = before
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["id"].to_string())
        .collect();
    sandbox.run(["uncode", p, "--coding", &ids.join(",")]).ok();
    assert_eq!(
        list(&sandbox, &project, "codings")
            .as_array()
            .expect("array")
            .len(),
        0
    );
    sandbox
        .run([
            "codings",
            p,
            "import",
            exported.to_str().unwrap_or_default(),
        ])
        .ok();
    let strip = |codings: &serde_json::Value| -> Vec<String> {
        let mut rows: Vec<String> = codings
            .as_array()
            .expect("array")
            .iter()
            .map(|c| {
                format!(
                    "{}|{}|{}|{}|{}|{}|{}|{}",
                    c["document"],
                    c["start"],
                    c["end"],
                    c["code_path"],
                    c["coder"],
                    c["memo"],
                    c["text"],
                    c["utterance"]
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(strip(&list(&sandbox, &project, "codings")), strip(&before));
}

#[test]
fn the_same_code_span_and_coder_twice_is_refused() {
    // On a team server the coder is the signed-in role and `--coder` is ignored; this test
    // of several coders through `--coder` runs on project files (tests/server.rs covers
    // coders on a server, as roles).
    if Sandbox::on_server() {
        return;
    }
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let args = [
        "code",
        p,
        "--doc",
        "A",
        "--start",
        "3",
        "--end",
        "9",
        "--code",
        "[研修での学び]",
    ];
    sandbox.run(args).ok();
    let again = sandbox.run(args);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("already has this code"),
        "{}",
        again.stderr
    );
    // Another coder may code the same span (double coding for agreement).
    sandbox
        .run([
            "code",
            p,
            "--doc",
            "A",
            "--start",
            "3",
            "--end",
            "9",
            "--code",
            "[研修での学び]",
            "--coder",
            "佐藤",
        ])
        .ok();
}

#[test]
fn an_in_vivo_code_takes_the_span_s_words_and_one_undo_removes_code_and_coding() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let words = sandbox
        .run(["text", p, "--doc", "A", "--start", "3", "--end", "9"])
        .ok()
        .stdout
        .trim_end_matches('\n')
        .to_owned();
    assert_eq!(words.chars().count(), 6, "{words:?}");
    // The name drops the full-width space the span starts with; the coded span keeps it.
    let name = words.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_ne!(name, words);
    let before = list(&sandbox, &project, "codings");
    let run = sandbox
        .run([
            "code",
            p,
            "--doc",
            "A",
            "--start",
            "3",
            "--end",
            "9",
            "--in-vivo",
            "--parent",
            "在宅生活への移行支援",
        ])
        .ok();
    assert!(
        run.stdout.contains(&format!("created code {name}\n")),
        "{}",
        run.stdout
    );
    let codings = list(&sandbox, &project, "codings");
    let added: Vec<&serde_json::Value> = codings
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["code_path"]
                .as_str()
                .is_some_and(|path| path.ends_with(&format!("/{name}")))
        })
        .collect();
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["start"], 3);
    assert_eq!(added[0]["end"], 9);
    assert_eq!(added[0]["text"], words.as_str());
    sandbox.run(["undo", p]).ok();
    assert_eq!(list(&sandbox, &project, "codings"), before);
    let codes = sandbox.run(["list", p, "codes", "--json"]).ok().stdout;
    assert!(
        !codes.contains(&words),
        "the in-vivo code went with the undo"
    );
}

#[test]
fn recoding_moves_a_coding_to_another_code_and_refuses_a_duplicate() {
    // On a team server the coder is the signed-in role and `--coder` is ignored; this test
    // of several coders through `--coder` runs on project files (tests/server.rs covers
    // coders on a server, as roles).
    if Sandbox::on_server() {
        return;
    }
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let codings = list(&sandbox, &project, "codings");
    let first = &codings[0];
    let id = first["id"].as_i64().unwrap_or_default().to_string();
    let other = codings
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["code_path"].as_str().unwrap_or_default())
        .find(|path| *path != first["code_path"].as_str().unwrap_or_default())
        .unwrap_or_default()
        .to_owned();
    sandbox
        .run(["recode", p, "--coding", &id, "--code", &other])
        .ok();
    let after = list(&sandbox, &project, "codings");
    let moved = after
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == first["id"])
        .cloned()
        .unwrap_or_default();
    assert_eq!(moved["code_path"], other.as_str());
    for key in ["start", "end", "text", "coder", "memo"] {
        assert_eq!(moved[key], first[key], "{key} stays");
    }
    // A second coding on the same span by the same coder cannot take the code it already has.
    sandbox
        .run([
            "code",
            p,
            "--doc",
            first["document"].as_str().unwrap_or_default(),
            "--start",
            &first["start"].to_string(),
            "--end",
            &first["end"].to_string(),
            "--code",
            first["code_path"].as_str().unwrap_or_default(),
            "--coder",
            first["coder"].as_str().unwrap_or_default(),
        ])
        .ok();
    let again = list(&sandbox, &project, "codings");
    let twin = again
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| {
            c["code_path"] == first["code_path"]
                && c["start"] == first["start"]
                && c["id"] != first["id"]
                && c["coder"] == first["coder"]
        })
        .and_then(|c| c["id"].as_i64())
        .unwrap_or_default()
        .to_string();
    let refused = sandbox.run(["recode", p, "--coding", &twin, "--code", &other]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("already has it"),
        "{}",
        refused.stderr
    );
    sandbox.run(["undo", p]).ok();
    sandbox.run(["undo", p]).ok();
    assert_eq!(list(&sandbox, &project, "codings"), codings);
}

#[test]
fn history_records_every_command_and_undo_works_across_processes() {
    // On a team server the coder is the signed-in role and `--coder` is ignored; this test
    // of several coders through `--coder` runs on project files (tests/server.rs covers
    // coders on a server, as roles).
    if Sandbox::on_server() {
        return;
    }
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    sandbox
        .run(["codes", p, "add", "[新しいコード]", "--coder", "山田"])
        .ok();
    sandbox.run(["undo", p]).ok();
    sandbox.run(["redo", p]).ok();
    let history = sandbox.run(["history", p, "--json"]).ok().json();
    let actions: Vec<(String, String)> = history
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["label"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(actions.len(), 7, "{actions:?}");
    assert_eq!(actions[0].1, "文書 10 件の取り込み");
    assert_eq!(
        &actions[4..],
        &[
            ("do".to_owned(), "コード「[新しいコード]」の作成".to_owned()),
            (
                "undo".to_owned(),
                "コード「[新しいコード]」の作成".to_owned()
            ),
            (
                "redo".to_owned(),
                "コード「[新しいコード]」の作成".to_owned()
            ),
        ]
    );
    assert_eq!(history[4]["coder"], "山田");
    // Undo everything, back to an empty project, then nothing more to undo.
    let undone = sandbox.run(["undo", p, "10"]).ok();
    assert!(
        undone.stdout.ends_with("nothing to undo\n"),
        "{}",
        undone.stdout
    );
    assert_eq!(
        list(&sandbox, &project, "documents")
            .as_array()
            .expect("array")
            .len(),
        0
    );
    assert_eq!(
        list(&sandbox, &project, "cases")
            .as_array()
            .expect("array")
            .len(),
        0
    );
    sandbox.run(["redo", p, "10"]).ok();
    assert_eq!(
        list(&sandbox, &project, "codings")
            .as_array()
            .expect("array")
            .len(),
        441
    );
}

#[test]
fn merging_keeps_summary_links_to_segments_both_codes_had() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let p = project.to_str().unwrap_or_default();
    let file = sandbox.write("A.txt", "Ａ：母親のレスパイトを調整しました。\n");
    sandbox
        .run(["import", p, file.to_str().unwrap_or_default()])
        .ok();
    sandbox.run(["codes", p, "add", "[a]"]).ok();
    sandbox.run(["codes", p, "add", "[b]"]).ok();
    for code in ["[a]", "[b]"] {
        sandbox
            .run([
                "code", p, "--doc", "A", "--start", "2", "--end", "10", "--code", code,
            ])
            .ok();
    }
    let codings = list(&sandbox, &project, "codings");
    let a_id = codings
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == "[a]"))
        .map(|c| c["id"].to_string())
        .expect("a");
    let b_id = codings
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == "[b]"))
        .map(|c| c["id"].to_string())
        .expect("b");
    sandbox
        .run([
            "summary",
            p,
            "set",
            "--case",
            "A",
            "--code",
            "[a]",
            "--text",
            "調整",
            "--segments",
            &a_id,
        ])
        .ok();
    sandbox.run(["codes", p, "merge", "[a]", "[b]"]).ok();
    let matrix = sandbox
        .run(["matrix", p, "--cell", "summary", "--format", "json"])
        .ok()
        .json();
    let summary = &matrix["cells"][0]["summary"];
    assert_eq!(
        summary["text"], "調整",
        "the summary moved to [b]: {matrix}"
    );
    assert_eq!(
        summary["segment_ids"],
        serde_json::json!([b_id.parse::<i64>().expect("id")]),
        "the link points at the surviving coding"
    );
    let _ = a_id;
}
