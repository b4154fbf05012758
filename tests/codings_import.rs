//! A researcher brings codings in from a CSV (another tool's export, a colleague's file), then
//! changes their mind and undoes the import, and redoes it — each step a separate run of
//! `casecode`, so every step reopens the project from disk. The codings that come back are the
//! same rows: the same ids, spans, codes, coders, memos and, above all, the same stored text.

mod common;

use common::{Sandbox, list, sample_dir};

/// Every coding as one comparable line: id, document, span, code path, coder, memo, text and
/// utterance, sorted by id.
fn codings(sandbox: &Sandbox, project: &std::path::Path) -> Vec<String> {
    let listed = list(sandbox, project, "codings");
    let mut rows: Vec<(i64, String)> = listed
        .as_array()
        .expect("codings array")
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().expect("id"),
                format!(
                    "{}|{}|{}|{}|{}|{}|{}|{}|{}",
                    c["id"],
                    c["document"],
                    c["start"],
                    c["end"],
                    c["code_path"],
                    c["coder"],
                    c["memo"],
                    c["text"],
                    c["utterance"]
                ),
            )
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, row)| row).collect()
}

fn texts(rows: &[String]) -> Vec<String> {
    let mut texts: Vec<String> = rows
        .iter()
        .map(|row| row.split('|').nth(7).unwrap_or_default().to_owned())
        .collect();
    texts.sort();
    texts
}

#[test]
fn imported_codings_survive_undo_redo_and_restarts_with_their_texts() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let exported = sandbox.path("codings.csv");
    sandbox
        .run([
            "codings",
            p,
            "export",
            exported.to_str().unwrap_or_default(),
        ])
        .ok();
    let sample = codings(&sandbox, &project);
    assert!(sample.len() > 400, "the sample study has its codings");
    // Take every coding out (undoably), so that the file brings them back.
    let ids: Vec<String> = list(&sandbox, &project, "codings")
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["id"].to_string())
        .collect();
    sandbox.run(["uncode", p, "--coding", &ids.join(",")]).ok();
    assert!(codings(&sandbox, &project).is_empty());

    // A colleague's extra row: a coder the project has never seen, with a memo, and its text
    // checked against the transcript by the `text` column.
    let mut csv = std::fs::read_to_string(&exported).expect("read export");
    csv.push_str("A,602,679,[資源の不足の認識],佐藤,佐藤さんの読み,うちの施設も短期入所のベッドは持ってるんですけど、えー、4床しかなくて、しかも呼吸器の子は看護師の配置の関係で、同時に1人か2人しか受けられないんですよ。\n");
    let file = sandbox.write("colleague.csv", csv);
    let imported = sandbox
        .run(["codings", p, "import", file.to_str().unwrap_or_default()])
        .ok();
    assert!(
        imported
            .stdout
            .contains(&format!("imported {} coding(s)", sample.len() + 1)),
        "{}",
        imported.stdout
    );
    let after_import = codings(&sandbox, &project);
    assert_eq!(after_import.len(), sample.len() + 1);
    let mut expected_texts = texts(&sample);
    expected_texts.push(
        "\"うちの施設も短期入所のベッドは持ってるんですけど、えー、4床しかなくて、しかも呼吸器の子は看護師の配置の関係で、同時に1人か2人しか受けられないんですよ。\""
            .to_owned(),
    );
    expected_texts.sort();
    assert_eq!(texts(&after_import), expected_texts);
    let sato: Vec<&String> = after_import
        .iter()
        .filter(|row| row.contains("|\"佐藤\"|"))
        .collect();
    assert_eq!(sato.len(), 1);
    assert!(sato[0].contains("\"佐藤さんの読み\""), "{}", sato[0]);
    assert!(
        sato[0].contains("|\"A-"),
        "cited by its utterance: {}",
        sato[0]
    );
    // Apart from their new ids, the sample's codings are back as they were.
    let without_id = |rows: &[String]| -> Vec<String> {
        let mut rows: Vec<String> = rows
            .iter()
            .map(|row| row.split_once('|').map_or("", |(_, rest)| rest).to_owned())
            .collect();
        rows.sort();
        rows
    };
    let mut sample_and_sato = without_id(&sample);
    sample_and_sato.extend(
        without_id(&after_import)
            .into_iter()
            .filter(|row| row.contains("|\"佐藤\"|")),
    );
    sample_and_sato.sort();
    assert_eq!(without_id(&after_import), sample_and_sato);

    // Undo (a new process): the import goes as one step.
    let undone = sandbox.run(["undo", p]).ok();
    assert!(
        undone
            .stdout
            .contains(&format!("undone: コードの適用（{} 件）", sample.len() + 1)),
        "{}",
        undone.stdout
    );
    assert!(codings(&sandbox, &project).is_empty());
    // Redo (another process): the very same rows, ids included.
    sandbox.run(["redo", p]).ok();
    assert_eq!(codings(&sandbox, &project), after_import);
    // And once more, to be sure the redo left an undo that works across restarts.
    sandbox.run(["undo", p]).ok();
    assert!(codings(&sandbox, &project).is_empty());
    sandbox.run(["redo", p]).ok();
    assert_eq!(codings(&sandbox, &project), after_import);
}

#[test]
fn a_file_repeating_a_coding_or_one_already_stored_is_refused_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let exported = sandbox.path("codings.csv");
    sandbox
        .run([
            "codings",
            p,
            "export",
            exported.to_str().unwrap_or_default(),
        ])
        .ok();
    let before = codings(&sandbox, &project);
    // Every coding of the file is stored already.
    let again = sandbox.run([
        "codings",
        p,
        "import",
        exported.to_str().unwrap_or_default(),
    ]);
    assert_ne!(again.code, 0);
    assert!(
        again.stderr.contains("already has this code from coder"),
        "{}",
        again.stderr
    );
    assert_eq!(codings(&sandbox, &project), before);
    // A file of new codings that names one of them twice (40 rows: the bulk path).
    let mut csv = forty_codings_by_sato(false);
    csv.push_str("A,7,12,[資源の不足の認識],佐藤\n");
    let file = sandbox.write("repeats.csv", csv);
    let repeated = sandbox.run(["codings", p, "import", file.to_str().unwrap_or_default()]);
    assert_ne!(repeated.code, 0);
    assert!(
        repeated
            .stderr
            .contains("[7, 12) already has this code from coder '佐藤'"),
        "{}",
        repeated.stderr
    );
    assert_eq!(codings(&sandbox, &project), before);
}

/// A codings CSV of forty overlapping spans of A by 佐藤 (enough for the bulk path), with an
/// empty memo column when `memo`.
fn forty_codings_by_sato(memo: bool) -> String {
    let (header, end) = if memo { (",memo", ",") } else { ("", "") };
    let mut csv = format!("document,start,end,code,coder{header}\n");
    for start in 0..40 {
        csv.push_str(&format!(
            "A,{start},{},[資源の不足の認識],佐藤{end}\n",
            start + 5
        ));
    }
    csv
}

/// SQLite's page size of a project file.
fn page_size(project: &std::path::Path) -> i64 {
    rusqlite::Connection::open(project)
        .expect("open the project file")
        .pragma_query_value(None, "page_size", |row| row.get(0))
        .expect("page size")
}

/// A new project file keeps its rows in 16 KB pages; a file made before, in SQLite's 4 KB
/// pages, is not converted and takes the same import to the same codings.
#[test]
fn a_project_file_of_either_page_size_takes_the_same_import() {
    let sandbox = Sandbox::new();
    let new = sandbox.path("new.casecode");
    sandbox
        .run([
            "demo".as_ref(),
            sample_dir().as_os_str(),
            "--project".as_ref(),
            new.as_os_str(),
        ])
        .ok();
    assert_eq!(page_size(&new), 16_384);
    let old = sandbox.path("old.casecode");
    std::fs::copy(&new, &old).expect("copy the project");
    rusqlite::Connection::open(&old)
        .expect("open the copy")
        .execute_batch(
            "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; \
             PRAGMA journal_mode = WAL;",
        )
        .expect("convert to 4 KB pages");
    assert_eq!(page_size(&old), 4_096);
    // Forty codings by a new coder (the bulk path) and one with a memo.
    let mut csv = forty_codings_by_sato(true);
    csv.push_str("B,3,9,[資源の不足の認識],佐藤,読み直す\n");
    let file = sandbox.write("colleague.csv", csv);
    for project in [&new, &old] {
        let p = project.to_str().unwrap_or_default();
        sandbox
            .run(["codings", p, "import", file.to_str().unwrap_or_default()])
            .ok();
    }
    let (from_new, from_old) = (codings(&sandbox, &new), codings(&sandbox, &old));
    assert!(
        from_new
            .iter()
            .any(|row| row.contains("\"佐藤\"|\"読み直す\"")),
        "{from_new:?}"
    );
    assert_eq!(from_new, from_old);
    assert_eq!(page_size(&old), 4_096, "an old file keeps its pages");
}
