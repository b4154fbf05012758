//! The Japanese text layer as a researcher uses it: the dictionary, tokens, search of any
//! length, KWIC, word frequency, the user dictionary and auto-coding rules.

mod common;

use common::{Sandbox, list};

fn json(sandbox: &Sandbox, args: &[&str]) -> serde_json::Value {
    sandbox.run(args).ok().json()
}

#[test]
fn the_dictionary_is_built_from_an_ipadic_source_once_and_then_found_in_the_cache() {
    let sandbox = Sandbox::new();
    let cache = sandbox.path("cache");
    let source = "/usr/share/mecab/dic/ipadic";
    assert!(
        std::path::Path::new(source).join("matrix.def").is_file(),
        "the test set-up installs Debian's mecab-ipadic (scripts/setup.sh)"
    );
    let status = |sandbox: &Sandbox| {
        let output = sandbox
            .command(["dictionary", "status"])
            .env("CASECODE_CACHE_DIR", &cache)
            .env("CASECODE_IPADIC_SOURCE", source)
            .output()
            .expect("run");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let first = status(&sandbox);
    assert!(first.contains("(built now)"), "{first}");
    assert!(
        first.contains("EUC-JP"),
        "Debian's source is EUC-JP: {first}"
    );
    let second = status(&sandbox);
    assert!(second.contains("(cache)"), "{second}");
}

#[test]
fn tokens_have_code_point_spans_and_the_domain_dictionary_keeps_terms_whole() {
    let sandbox = Sandbox::new();
    let tokens = json(
        &sandbox,
        &[
            "tokenize",
            "--text",
            "𠮷田さんは医療的ケア児の相談支援専門員です。",
            "--json",
        ],
    );
    let surfaces: Vec<&str> = tokens
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|t| t["surface"].as_str())
        .collect();
    assert!(surfaces.contains(&"医療的ケア児"), "{surfaces:?}");
    assert!(surfaces.contains(&"相談支援専門員"), "{surfaces:?}");
    let term = tokens
        .as_array()
        .and_then(|t| t.iter().find(|t| t["surface"] == "医療的ケア児"))
        .expect("term");
    // 𠮷田さんは is five code points.
    assert_eq!(
        (term["start"].as_u64(), term["end"].as_u64()),
        (Some(5), Some(11))
    );
}

#[test]
fn search_finds_one_two_and_longer_terms_with_width_variants_at_exact_offsets() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let p = project.to_str().unwrap_or_default();
    let file = sandbox.write(
        "K.txt",
        "Ｉ：どうですか。\nＫ：𠮷田さんとＮＩＣＵの児の支援を、nicuでも支援して。\n",
    );
    sandbox
        .run(["import", p, file.to_str().unwrap_or_default()])
        .ok();
    let hits = |query: &str, extra: &[&str]| -> Vec<(u64, u64, String)> {
        let mut args = vec!["search", p, query, "--json"];
        args.extend(extra);
        json(&sandbox, &args)
            .as_array()
            .expect("array")
            .iter()
            .map(|h| {
                (
                    h["start"].as_u64().unwrap_or(0),
                    h["end"].as_u64().unwrap_or(0),
                    h["text"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    // Ｉ：どうですか。⏎ is 9 code points; Ｋ：𠮷田さんと is 7 more.
    assert_eq!(hits("児", &[]), [(21, 22, "児".to_owned())]);
    assert_eq!(
        hits("支援", &[]),
        [(23, 25, "支援".into()), (33, 35, "支援".into())]
    );
    assert_eq!(
        hits("NICU", &[]),
        [(16, 20, "ＮＩＣＵ".into()), (27, 31, "nicu".into())]
    );
    assert_eq!(
        hits("支援し[てた]", &["--regex"]),
        [(33, 37, "支援して".into())]
    );
    let hit = &json(&sandbox, &["search", p, "𠮷", "--json"])[0];
    assert_eq!(
        (hit["start"].as_u64(), hit["utterance"].as_str()),
        (Some(11), Some("K-2"))
    );
}

#[test]
fn base_form_search_and_kwic_find_inflected_forms() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let p = project.to_str().unwrap_or_default();
    let file = sandbox.write(
        "S.txt",
        "Ａ：母親を支援した。\nＡ：きょうだいも支援しています。\nＡ：地域で支援する。\n",
    );
    sandbox
        .run(["import", p, file.to_str().unwrap_or_default()])
        .ok();
    let hits = json(
        &sandbox,
        &["search", p, "支援する", "--base-form", "--json"],
    );
    let texts: Vec<&str> = hits
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|h| h["text"].as_str())
        .collect();
    assert_eq!(texts, ["支援し", "支援し", "支援する"]);
    let lines = json(
        &sandbox,
        &[
            "kwic",
            p,
            "支援する",
            "--width",
            "4",
            "--sort",
            "doc",
            "--json",
        ],
    );
    let lines = lines.as_array().expect("array");
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["left"], "：母親を");
    assert_eq!(lines[0]["keyword"], "支援し");
    assert_eq!(lines[0]["right"], "た。 Ａ");
    // Sorted by the left context read backwards: を < も < で in code point order.
    let left_sorted = json(
        &sandbox,
        &[
            "kwic", p, "支援", "--width", "3", "--sort", "left", "--json",
        ],
    );
    let ends: Vec<String> = left_sorted
        .as_array()
        .expect("array")
        .iter()
        .map(|l| {
            l["left"]
                .as_str()
                .unwrap_or("")
                .chars()
                .last()
                .map(String::from)
                .unwrap_or_default()
        })
        .collect();
    let mut sorted = ends.clone();
    sorted.sort();
    assert_eq!(ends, sorted);
}

#[test]
fn word_frequencies_by_organisation_type_add_up() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let rows = json(
        &sandbox,
        &["freq", p, "--pos", "名詞", "--by", "所属組織", "--json"],
    );
    let rows = rows.as_array().expect("array");
    assert!(rows.len() > 50);
    let top = &rows[0];
    assert_eq!(top["pos"], "名詞");
    let group_sum: u64 = top["groups"]
        .as_object()
        .expect("groups")
        .values()
        .filter_map(|v| v.as_u64())
        .sum();
    assert_eq!(group_sum, top["count"].as_u64().expect("count"));
    assert!(top["documents"].as_u64().expect("df") <= 10);
    // The domain dictionary counts 医療的ケア児 as one word.
    assert!(
        rows.iter().any(|r| r["base_form"] == "医療的ケア児"),
        "医療的ケア児 is a word"
    );
    let counts: Vec<u64> = rows.iter().filter_map(|r| r["count"].as_u64()).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first"
    );
}

#[test]
fn content_words_leave_out_function_nouns_like_koto_and_sore_but_keep_the_rest() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let words = |extra: &[&str]| -> Vec<(String, u64)> {
        // The whole text, labels included (the default reads the interviewees' speech).
        let mut args = vec!["freq", p, "--pos", "名詞", "--speakers", "all", "--json"];
        args.extend_from_slice(extra);
        json(&sandbox, &args)
            .as_array()
            .expect("array")
            .iter()
            .map(|r| {
                (
                    r["base_form"].as_str().unwrap_or_default().to_owned(),
                    r["count"].as_u64().unwrap_or_default(),
                )
            })
            .collect()
    };
    let all = words(&[]);
    let content = words(&["--content-words"]);
    let has = |rows: &[(String, u64)], word: &str| rows.iter().any(|(w, _)| w == word);
    // D.txt's half-width `I:` labels make IPADIC tag `:` as a noun; it is no word.
    for function in ["こと", "ん", "よう", "それ", ":"] {
        assert!(has(&all, function), "{function} is a noun in IPADIC");
        assert!(!has(&content, function), "{function} is left out");
    }
    // Content words keep their counts.
    let count =
        |rows: &[(String, u64)], word: &str| rows.iter().find(|(w, _)| w == word).map(|(_, c)| *c);
    assert!(count(&all, "看護").is_some());
    assert_eq!(count(&all, "看護"), count(&content, "看護"));
}

#[test]
fn a_new_user_term_re_tokenizes_only_the_documents_that_contain_it() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let p = project.to_str().unwrap_or_default();
    sandbox.write("in/A.txt", "Ａ：ケアラーズカフェを開きました。\n");
    sandbox.write("in/B.txt", "Ｂ：連絡会に出ました。\n");
    sandbox
        .run(["import", p, sandbox.path("in").to_str().unwrap_or_default()])
        .ok();
    // Index once, then add a term found only in A.
    sandbox.run(["search", p, "カフェ", "--base-form"]).ok();
    let added = sandbox
        .run([
            "words",
            p,
            "add",
            "ケアラーズカフェ",
            "--reading",
            "ケアラーズカフェ",
        ])
        .ok();
    assert!(
        added.stdout.contains("re-tokenized 1 of 2 document(s)"),
        "{}",
        added.stdout
    );
    let hits = json(
        &sandbox,
        &["search", p, "ケアラーズカフェ", "--base-form", "--json"],
    );
    assert_eq!(hits.as_array().map(Vec::len), Some(1));
    let bad = sandbox.run(["words", p, "add", "連絡会", "--reading", "れんらくかい"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("katakana"), "{}", bad.stderr);
    sandbox.run(["undo", p]).ok();
    assert_eq!(sandbox.run(["words", p, "list"]).ok().stdout, "");
}

#[test]
fn auto_coding_rules_suggest_first_and_apply_as_one_undoable_command() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let p = project.to_str().unwrap_or_default();
    let rules = sandbox.write(
        "rules.cod",
        "# KH Coder style\n＊[レスパイトの調整]\nレスパイト or 短期入所\n＊[個別避難計画の作成]\n'避難' and 計画\n",
    );
    let before = list(&sandbox, &project, "codings")
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    let suggestions = json(
        &sandbox,
        &[
            "autocode",
            p,
            rules.to_str().unwrap_or_default(),
            "--dry-run",
            "--json",
        ],
    );
    let suggestions = suggestions.as_array().expect("array");
    assert!(!suggestions.is_empty());
    for suggestion in suggestions {
        let text = suggestion["text"].as_str().unwrap_or_default();
        match suggestion["code"].as_str() {
            Some("[レスパイトの調整]") => assert!(
                text.contains("レスパイト") || text.contains("短期入所"),
                "{text}"
            ),
            Some(_) => assert!(text.contains("避難") && text.contains("計画"), "{text}"),
            None => panic!("no code"),
        }
    }
    assert_eq!(
        list(&sandbox, &project, "codings").as_array().map(Vec::len),
        Some(before),
        "dry run changes nothing"
    );
    let applied = sandbox
        .run(["autocode", p, rules.to_str().unwrap_or_default(), "--apply"])
        .ok();
    assert!(applied.stdout.starts_with("applied "), "{}", applied.stdout);
    let after = list(&sandbox, &project, "codings")
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!(after > before);
    sandbox.run(["undo", p]).ok();
    assert_eq!(
        list(&sandbox, &project, "codings").as_array().map(Vec::len),
        Some(before)
    );
    let bad = sandbox.write(
        "bad.cod",
        "＊[レスパイトの調整]\nレスパイト or (短期入所 and\n",
    );
    let run = sandbox.run(["autocode", p, bad.to_str().unwrap_or_default(), "--dry-run"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.cod: line 2"), "{}", run.stderr);
}
