//! What the word-frequency list and KWIC read, as a KH Coder user expects: the interviewee's
//! speech only (when the interviewer's label is known), without （笑） and the like, without
//! the project's stop words; each choice can be changed, and the changes undo. Also the
//! KWIC export and the co-occurrence network picture.

mod common;

use common::Sandbox;

/// An interview where the interviewer says 看護師 once and the interviewee once, and both
/// laugh. (IPADIC splits 看護師 into 看護 | 師: the word list counts 看護.)
const INTERVIEW: &str = "事例Ｋ　逐語録\nＩ：看護師の方についてうかがいます（笑）。\nＫ：看護師が足りません（笑）。ヘルパーも足りません。\nＩ：ヘルパーですか。\n";

fn project_with_interview(sandbox: &Sandbox) -> String {
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write("K.txt", INTERVIEW);
    let p = project.to_str().unwrap_or_default().to_owned();
    sandbox
        .run(["import", &p, file.to_str().unwrap_or_default()])
        .ok();
    p
}

/// `freq` as (base form, count).
fn counts(sandbox: &Sandbox, p: &str, extra: &[&str]) -> Vec<(String, u64)> {
    let mut args = vec!["freq", p, "--json"];
    args.extend_from_slice(extra);
    sandbox
        .run(&args)
        .ok()
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|row| {
            (
                row["base_form"].as_str().unwrap_or_default().to_owned(),
                row["count"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn count_of(rows: &[(String, u64)], word: &str) -> u64 {
    rows.iter()
        .find(|(w, _)| w == word)
        .map_or(0, |(_, count)| *count)
}

#[test]
fn word_frequencies_count_only_the_interviewee_without_laughter_by_default() {
    let sandbox = Sandbox::new();
    let p = project_with_interview(&sandbox);
    let default = counts(&sandbox, &p, &[]);
    assert_eq!(count_of(&default, "看護"), 1, "{default:?}");
    assert_eq!(count_of(&default, "ヘルパー"), 1, "{default:?}");
    assert!(
        !default.iter().any(|(w, _)| w.contains('笑')),
        "（笑） is a note, not a word: {default:?}"
    );
    assert_eq!(count_of(&default, "K"), 0, "labels are no words");
    assert_eq!(count_of(&default, "事例"), 0, "the title is no speech");
    let everything = counts(&sandbox, &p, &["--speakers", "all"]);
    assert_eq!(count_of(&everything, "看護"), 2);
    assert!(
        everything.iter().any(|(w, _)| w.contains('笑')),
        "--speakers all reads the whole text: {everything:?}"
    );
    let with_notes = counts(&sandbox, &p, &["--keep-notes"]);
    assert_eq!(count_of(&with_notes, "看護"), 1);
    assert!(with_notes.iter().any(|(w, _)| w.contains('笑')));
    let interviewer = counts(&sandbox, &p, &["--speakers", "Ｉ"]);
    assert_eq!(count_of(&interviewer, "看護"), 1);
    assert_eq!(count_of(&interviewer, "ヘルパー"), 1, "「ヘルパーですか」");
    assert_eq!(count_of(&interviewer, "足りる"), 0);
    let unknown = sandbox.run(["freq", &p, "--speakers", "X"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no speaker 'X'") && unknown.stderr.contains("I, K"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn stop_words_are_kept_in_the_project_and_adding_them_undoes() {
    let sandbox = Sandbox::new();
    let p = project_with_interview(&sandbox);
    let added = sandbox
        .run(["stopwords", &p, "add", "ヘルパー", "足りる"])
        .ok();
    assert!(
        added.stdout.contains("ストップワード 2 語の追加"),
        "{}",
        added.stdout
    );
    assert_eq!(
        sandbox.run(["stopwords", &p, "list"]).ok().stdout,
        "ヘルパー\n足りる\n"
    );
    let rows = counts(&sandbox, &p, &[]);
    assert_eq!(count_of(&rows, "ヘルパー"), 0);
    assert_eq!(count_of(&rows, "足りる"), 0);
    assert_eq!(count_of(&rows, "看護"), 1);
    let kept = counts(&sandbox, &p, &["--keep-stopwords"]);
    assert_eq!(count_of(&kept, "ヘルパー"), 1);
    let again = sandbox.run(["stopwords", &p, "add", "ヘルパー"]);
    assert_eq!(again.code, 2, "nothing new to add");
    let missing = sandbox.run(["stopwords", &p, "remove", "看護師"]);
    assert!(
        missing.stderr.contains("'看護師' is not a stop word"),
        "{}",
        missing.stderr
    );
    sandbox.run(["stopwords", &p, "remove", "足りる"]).ok();
    assert_eq!(
        sandbox.run(["stopwords", &p, "list"]).ok().stdout,
        "ヘルパー\n"
    );
    sandbox.run(["undo", &p]).ok();
    assert_eq!(
        sandbox.run(["stopwords", &p, "list"]).ok().stdout,
        "ヘルパー\n足りる\n"
    );
    sandbox.run(["undo", &p]).ok();
    assert_eq!(sandbox.run(["stopwords", &p, "list"]).ok().stdout, "");
    let file = sandbox.write("stop.txt", "# KH Coder 風\nこと\n\n思う\n");
    sandbox
        .run(["stopwords", &p, "import", file.to_str().unwrap_or_default()])
        .ok();
    assert_eq!(
        sandbox.run(["stopwords", &p, "list"]).ok().stdout,
        "こと\n思う\n"
    );
}

#[test]
fn the_interviewer_is_guessed_from_the_label_and_the_researcher_can_say_otherwise() {
    let sandbox = Sandbox::new();
    let p = project_with_interview(&sandbox);
    let speakers = sandbox.run(["speakers", &p, "--json"]).ok().json();
    let roles: Vec<(String, bool, bool)> = speakers
        .as_array()
        .expect("array")
        .iter()
        .map(|s| {
            (
                s["speaker"].as_str().unwrap_or_default().to_owned(),
                s["interviewer"].as_bool().unwrap_or_default(),
                s["set_by_researcher"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("I".to_owned(), true, false),
            ("K".to_owned(), false, false)
        ]
    );
    // The researcher says Ｉ is not the interviewer: its words count from now on.
    sandbox.run(["speakers", &p, "interviewee", "Ｉ"]).ok();
    assert_eq!(count_of(&counts(&sandbox, &p, &[]), "看護"), 2);
    let listed = sandbox.run(["speakers", &p]).ok().stdout;
    assert_eq!(listed, "I\t2\tinterviewee\nK\t1\tinterviewee (guessed)\n");
    sandbox.run(["speakers", &p, "interviewer", "K"]).ok();
    assert_eq!(count_of(&counts(&sandbox, &p, &[]), "足りる"), 0);
    sandbox.run(["undo", &p, "2"]).ok();
    assert_eq!(count_of(&counts(&sandbox, &p, &[]), "看護"), 1);
    let bad = sandbox.run(["speakers", &p, "interviewer", "母"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no speaker '母'"), "{}", bad.stderr);
}

#[test]
fn kwic_reads_the_interviewee_by_default_and_exports_csv_and_xlsx() {
    let sandbox = Sandbox::new();
    let p = project_with_interview(&sandbox);
    let lines = sandbox.run(["kwic", &p, "看護師", "--json"]).ok().json();
    let lines = lines.as_array().expect("array");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["utterance"], "K-2");
    assert_eq!(lines[0]["keyword"], "看護師");
    let all = sandbox
        .run(["kwic", &p, "看護師", "--speakers", "all", "--json"])
        .ok()
        .json();
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    // Search reads everything unless asked.
    let hits = sandbox.run(["search", &p, "看護師", "--json"]).ok().json();
    assert_eq!(hits.as_array().map(Vec::len), Some(2));
    let hits = sandbox
        .run([
            "search",
            &p,
            "ヘルパー",
            "--speakers",
            "interviewees",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(hits.as_array().map(Vec::len), Some(1));
    let csv = sandbox.path("kwic.csv");
    let wrote = sandbox
        .run([
            "kwic",
            &p,
            "看護師",
            "--speakers",
            "all",
            "--width",
            "4",
            "--sort",
            "doc",
            "--out",
            csv.to_str().unwrap_or_default(),
        ])
        .ok();
    assert!(wrote.stdout.contains("wrote 2 line(s)"), "{}", wrote.stdout);
    let text = std::fs::read_to_string(&csv).expect("csv");
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows[0], "事例,文書,発話,開始,終了,左文脈,キーワード,右文脈");
    assert_eq!(rows[1], "K,K,K-1,10,13,録 Ｉ：,看護師,の方につ");
    assert_eq!(rows[2], "K,K,K-2,32,35,。 Ｋ：,看護師,が足りま");
    let xlsx = sandbox.path("hits.xlsx");
    sandbox
        .run([
            "search",
            &p,
            "足りません",
            "--out",
            xlsx.to_str().unwrap_or_default(),
        ])
        .ok();
    let bytes = std::fs::read(&xlsx).expect("xlsx");
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");
    let bad = sandbox.run(["kwic", &p, "看護師", "--out", "k.txt"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("k.txt"), "{}", bad.stderr);
}

#[test]
fn the_cooccurrence_network_of_the_sample_study_is_drawn_as_svg() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let svg = sandbox.path("network.svg");
    let run = sandbox
        .run([
            "cooccurrence",
            p,
            "--level",
            "subcategory",
            "--mode",
            "utterance",
            "--min-jaccard",
            "0.05",
            "--network",
            svg.to_str().unwrap_or_default(),
        ])
        .ok();
    assert!(run.stderr.contains("network: "), "{}", run.stderr);
    let picture = std::fs::read_to_string(&svg).expect("svg");
    assert!(picture.starts_with("<svg"));
    let circles = picture.matches("<circle").count();
    let lines = picture.matches("<line").count();
    assert!(circles >= 2 && lines >= 1, "{circles} nodes, {lines} edges");
    let bad = sandbox.run([
        "cooccurrence",
        p,
        "--min-jaccard",
        "2",
        "--network",
        "n.svg",
    ]);
    assert_eq!(bad.code, 2);
}
