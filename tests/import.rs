//! Importing transcripts as they arrive: every encoding researchers meet, junk in folders,
//! speaker labels, and bad files that must fail cleanly without touching the project.

mod common;

use common::{Sandbox, list, snapshot, stored_text};
use encoding_rs::{EUC_JP, SHIFT_JIS};

fn import(sandbox: &Sandbox, project: &std::path::Path, file: &std::path::Path) -> common::Run {
    sandbox.run(["import".as_ref(), project.as_os_str(), file.as_os_str()])
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn every_japanese_encoding_imports_to_the_same_exact_text() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let text = "Ｉ：①について、Ⅱ期の話を伺えますか。\nＡ：はい。㈱○○の件で、\n　全角スペースも残ります。\n";
    let crlf = text.replace('\n', "\r\n");
    let (cp932, _, lossy) = SHIFT_JIS.encode(&crlf);
    assert!(!lossy);
    let plain = "Ｉ：医療的ケア児の支援について伺います。\nＡ：はい、訪問看護ステーションです。\n";
    let (euc, _, lossy) = EUC_JP.encode(plain);
    assert!(!lossy);
    let kichi = "Ａ：𠮷田さんと、ええ、相談しました。\n";
    let files: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("sjis.txt", cp932.into_owned(), "cp932", text),
        ("eucjp.txt", euc.into_owned(), "euc-jp", plain),
        (
            "bom.txt",
            [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat(),
            "utf-8-bom",
            text,
        ),
        ("le.txt", utf16(&crlf, true), "utf-16le", text),
        ("be.txt", utf16(kichi, false), "utf-16be", kichi),
        (
            "cr.txt",
            text.replace('\n', "\r").into_bytes(),
            "utf-8",
            text,
        ),
    ];
    for (name, bytes, _, _) in &files {
        let path = sandbox.write(name, bytes);
        import(&sandbox, &project, &path).ok();
    }
    let documents = list(&sandbox, &project, "documents");
    for (name, _, encoding, expected) in &files {
        let stem = name.trim_end_matches(".txt");
        assert_eq!(&stored_text(&sandbox, &project, stem), expected, "{name}");
        let listed = documents
            .as_array()
            .and_then(|d| d.iter().find(|d| d["name"] == stem))
            .expect("listed");
        assert_eq!(listed["encoding"], *encoding, "{name}");
        assert_eq!(listed["chars"], expected.chars().count(), "{name}");
    }
}

#[test]
fn a_span_after_a_non_bmp_character_is_coded_in_code_points() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write(
        "K.txt",
        "Ｉ：どなたと？\nＫ：𠮷田さんと相談支援専門員さんです。\n",
    );
    import(&sandbox, &project, &file).ok();
    sandbox
        .run([
            "codes".as_ref(),
            project.as_os_str(),
            "add".as_ref(),
            "[連携]".as_ref(),
        ])
        .ok();
    // "相談支援専門員" starts at code point 15: Ｉ：どなたと？⏎ is 8, Ｋ：𠮷田さんと is 7 more.
    sandbox
        .run([
            "code",
            project.to_str().unwrap_or_default(),
            "--doc",
            "K",
            "--start",
            "15",
            "--end",
            "22",
            "--code",
            "[連携]",
        ])
        .ok();
    let codings = list(&sandbox, &project, "codings");
    assert_eq!(codings[0]["text"], "相談支援専門員");
    assert_eq!(codings[0]["utterance"], "K-2");
    assert_eq!(codings[0]["coder"], "tester");
}

#[test]
fn a_folder_imports_its_transcripts_and_skips_junk_with_a_warning_each() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    sandbox.write("in/A.txt", "Ａ：はい。\n");
    sandbox.write("in/sub/B.txt", "Ｂ：ええ。\n");
    sandbox.write("in/.DS_Store", [0u8, 1, 2]);
    sandbox.write("in/__MACOSX/A.txt", "junk");
    sandbox.write("in/~$draft.txt", "lock");
    sandbox.write("in/.hidden.txt", "hidden");
    sandbox.write("in/notes.pdf", "%PDF");
    let run = sandbox
        .run([
            "import".as_ref(),
            project.as_os_str(),
            sandbox.path("in").as_os_str(),
        ])
        .ok();
    let names: Vec<String> = list(&sandbox, &project, "documents")
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["A", "B"]);
    for junk in [
        ".DS_Store",
        "__MACOSX",
        "~$draft.txt",
        ".hidden.txt",
        "notes.pdf",
    ] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("warning: skipped") && l.contains(junk)),
            "{junk}: {}",
            run.stderr
        );
    }
}

#[test]
fn speaker_labels_of_many_styles_become_numbered_utterances() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let text = "事例Ｘ　逐語録\n\nインタビュアー：最初に。\nＸ：はい（笑）。\n続けて話します。\n【X】括弧の形式。\n[X] 角括弧。\nX: half width\nＦ１０７：番号付き\n";
    let file = sandbox.write("X.txt", text);
    let run = import(&sandbox, &project, &file).ok();
    assert!(run.stdout.contains("6 utterances"), "{}", run.stdout);
    sandbox
        .run([
            "codes".as_ref(),
            project.as_os_str(),
            "add".as_ref(),
            "c".as_ref(),
        ])
        .ok();
    // Code the continuation line: it belongs to utterance 2.
    let start = text
        .find("続けて")
        .map(|b| text[..b].chars().count())
        .expect("found");
    let project_arg = project.to_str().unwrap_or_default();
    sandbox
        .run([
            "code",
            project_arg,
            "--doc",
            "X",
            "--start",
            &start.to_string(),
            "--end",
            &(start + 3).to_string(),
            "--code",
            "c",
        ])
        .ok();
    assert_eq!(list(&sandbox, &project, "codings")[0]["utterance"], "X-2");
    // Before the first label there is no utterance.
    sandbox
        .run([
            "code",
            project_arg,
            "--doc",
            "X",
            "--start",
            "0",
            "--end",
            "3",
            "--code",
            "c",
        ])
        .ok();
    let codings = list(&sandbox, &project, "codings");
    assert!(
        codings
            .as_array()
            .expect("array")
            .iter()
            .any(|c| c["utterance"].is_null())
    );
}

#[test]
fn custom_speaker_patterns_replace_the_defaults() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let file = sandbox.write("M.txt", "母：はい。\n父：ええ。\nＡ：これは続き。\n");
    let run = sandbox
        .run([
            "import".as_ref(),
            project.as_os_str(),
            file.as_os_str(),
            "--speaker-pattern".as_ref(),
            "(?P<speaker>母|父)：".as_ref(),
        ])
        .ok();
    assert!(run.stdout.contains("2 utterances"), "{}", run.stdout);
    let bad = sandbox.run([
        "import".as_ref(),
        project.as_os_str(),
        file.as_os_str(),
        "--speaker-pattern".as_ref(),
        "(母|父)：".as_ref(),
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("speaker"), "{}", bad.stderr);
}

#[test]
fn bad_input_gives_one_line_naming_the_problem_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let before = snapshot(&sandbox, &project);
    let p = project.to_str().unwrap_or_default().to_owned();
    let empty = sandbox.write("empty.txt", "");
    let binary = sandbox.write("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    let invalid = sandbox.write("broken.txt", b"\xE3\x81\x82\xFF\xFE\x80\x80");
    let docx = sandbox.write("interview.docx", b"PK\x03\x04");
    let no_case_column = sandbox.write("cases.csv", "所属組織\n市役所\n");
    let bad_value = sandbox.write("typed.csv", "事例,勤務年数:integer\nA,十年\n");
    let bad_codings = sandbox.write(
        "codings.csv",
        "document,start,end,code,text\nA,0,5,[研修での学び],これは違う\n",
    );
    let bad_codebook = sandbox.write("book.ron", "Codebook(codes: [Code(name: \"x\",, ])");
    let duplicate = sandbox.write("A.txt", "Ａ：もう一度。\n");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["import".into(), p.clone(), empty.display().to_string()],
            "empty.txt: the file is empty",
        ),
        (
            vec!["import".into(), p.clone(), binary.display().to_string()],
            "image.txt: binary file",
        ),
        (
            vec![
                "import".into(),
                p.clone(),
                invalid.display().to_string(),
                "--encoding".into(),
                "utf-8".into(),
            ],
            "broken.txt: invalid UTF-8 byte sequence at byte 3",
        ),
        (
            vec!["import".into(), p.clone(), docx.display().to_string()],
            "interview.docx",
        ),
        (
            vec!["import".into(), p.clone(), duplicate.display().to_string()],
            "a document named 'A' already exists",
        ),
        (
            vec![
                "import".into(),
                p.clone(),
                sandbox.path("missing.txt").display().to_string(),
            ],
            "missing.txt: no such file or folder",
        ),
        (
            vec![
                "import".into(),
                p.clone(),
                empty.display().to_string(),
                "--encoding".into(),
                "latin9".into(),
            ],
            "--encoding latin9",
        ),
        (
            vec![
                "code".into(),
                p.clone(),
                "--doc".into(),
                "A".into(),
                "--start".into(),
                "10".into(),
                "--end".into(),
                "999999".into(),
                "--code".into(),
                "[研修での学び]".into(),
            ],
            "the document has only",
        ),
        (
            vec![
                "code".into(),
                p.clone(),
                "--doc".into(),
                "A".into(),
                "--start".into(),
                "10".into(),
                "--end".into(),
                "5".into(),
                "--code".into(),
                "[研修での学び]".into(),
            ],
            "start is after end",
        ),
        (
            vec![
                "code".into(),
                p.clone(),
                "--doc".into(),
                "A".into(),
                "--start".into(),
                "1".into(),
                "--end".into(),
                "5".into(),
                "--code".into(),
                "[ない]".into(),
            ],
            "no code '[ない]'",
        ),
        (
            vec![
                "code".into(),
                p.clone(),
                "--doc".into(),
                "Z".into(),
                "--start".into(),
                "1".into(),
                "--end".into(),
                "5".into(),
                "--code".into(),
                "[研修での学び]".into(),
            ],
            "no document named 'Z'",
        ),
        (
            vec![
                "attributes".into(),
                p.clone(),
                no_case_column.display().to_string(),
            ],
            "cases.csv: the first column must name the cases",
        ),
        (
            vec![
                "attributes".into(),
                p.clone(),
                bad_value.display().to_string(),
            ],
            "typed.csv: line 2, column '勤務年数': '十年' is not a valid integer",
        ),
        (
            vec![
                "codings".into(),
                p.clone(),
                "import".into(),
                bad_codings.display().to_string(),
            ],
            "codings.csv: line 2: the text column does not match",
        ),
        (
            vec![
                "codebook".into(),
                p.clone(),
                "import".into(),
                bad_codebook.display().to_string(),
            ],
            "book.ron: line 1, column",
        ),
        (
            vec!["list".into(), empty.display().to_string(), "codes".into()],
            "empty.txt: not a casecode project",
        ),
        (
            vec![
                "list".into(),
                sandbox.path("nope.casecode").display().to_string(),
                "codes".into(),
            ],
            "no such project file",
        ),
    ];
    for (args, expected) in cases {
        let run = sandbox.run(&args);
        assert_eq!(run.code, 2, "{args:?} should fail: {}", run.stdout);
        assert!(
            run.stderr.contains(expected),
            "{args:?}: expected «{expected}» in «{}»",
            run.stderr
        );
        assert_eq!(
            run.stderr.trim_end().lines().count(),
            1,
            "one line: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert_eq!(snapshot(&sandbox, &project), before);
}

#[test]
fn new_never_overwrites_an_existing_file() {
    let sandbox = Sandbox::new();
    let existing = sandbox.write("important.casecode", "my thesis");
    let run = sandbox.run(["new".as_ref(), existing.as_os_str()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(existing).expect("read"),
        "my thesis"
    );
}

#[test]
fn excel_csv_in_cp932_and_utf8_bom_both_set_typed_attributes() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let csv = "事例,所属組織,勤務年数,研修受講年度:text,インタビュー日\r\nA,市役所,１２,2019,2024/8/5\r\nB,保健センター,9,2020,2024年9月2日\r\n";
    let (cp932, _, _) = SHIFT_JIS.encode(csv);
    let cp932_file = sandbox.write("cp932.csv", cp932);
    sandbox
        .run([
            "attributes".as_ref(),
            project.as_os_str(),
            cp932_file.as_os_str(),
        ])
        .ok();
    let cases = list(&sandbox, &project, "cases");
    assert_eq!(cases[0]["attributes"]["勤務年数"], 12);
    assert_eq!(
        cases[0]["attributes"]["研修受講年度"], "2019",
        "declared text stays text"
    );
    assert_eq!(cases[1]["attributes"]["インタビュー日"], "2024-09-02");
    let bom_file = sandbox.write("bom.csv", "\u{feff}事例,所有資格\nA,保健師\nC,看護師\n");
    sandbox
        .run([
            "attributes".as_ref(),
            project.as_os_str(),
            bom_file.as_os_str(),
        ])
        .ok();
    let cases = list(&sandbox, &project, "cases");
    assert_eq!(cases[0]["attributes"]["所有資格"], "保健師");
    assert_eq!(
        cases[0]["attributes"]["所属組織"], "市役所",
        "earlier attributes stay"
    );
    assert_eq!(cases[2]["name"], "C", "a case may exist without documents");
}
