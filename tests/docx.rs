//! Word transcripts as researchers receive them: breaks, tabs and full-width spaces, tracked
//! changes, speaker tables, Word Online's document2.xml, BOMs, headers and comments, and files
//! that must fail cleanly (corrupt, encrypted, zip slip, zip bomb, DTD) without touching the
//! project. Every .docx here is written by the small writer below.

mod common;

use std::io::Write;
use std::path::Path;

use common::{Sandbox, list, snapshot, stored_text};
use zip::write::SimpleFileOptions;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A zip of the given entries, deflated.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .expect("start entry");
        writer.write_all(bytes).expect("write entry");
    }
    writer.finish().expect("finish").into_inner()
}

/// A minimal Word package: content types, package relationships pointing at `main`, the
/// main part with `body`, and `extra` parts (with the main part's relationships if given).
fn docx_at(main: &str, body: &str, extra: &[(&str, String)]) -> Vec<u8> {
    let types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/{main}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/{main}"/></Relationships>"#
    );
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let mut entries = vec![
        ("[Content_Types].xml", types.into_bytes()),
        ("_rels/.rels", rels.into_bytes()),
        (main, document.into_bytes()),
    ];
    entries.extend(
        extra
            .iter()
            .map(|(name, xml)| (*name, xml.clone().into_bytes())),
    );
    zip_of(&entries)
}

fn docx(body: &str) -> Vec<u8> {
    docx_at("word/document.xml", body, &[])
}

/// A paragraph of one run.
fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn import(sandbox: &Sandbox, project: &Path, file: &Path) -> common::Run {
    sandbox.run(["import".as_ref(), project.as_os_str(), file.as_os_str()])
}

/// (speaker, speech) of every utterance of a document, read back from the project.
fn turns(project: &Path, doc: &str) -> Vec<(String, String)> {
    common::turns(project, doc)
        .into_iter()
        .map(|(speaker, _, speech)| (speaker, speech))
        .collect()
}

fn document_row(sandbox: &Sandbox, project: &Path, name: &str) -> serde_json::Value {
    list(sandbox, project, "documents")
        .as_array()
        .expect("array")
        .iter()
        .find(|row| row["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no document {name}"))
}

#[test]
fn a_word_transcript_keeps_breaks_tabs_and_full_width_spaces_and_finds_the_turns() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let body = [
        p("事例Ｋ　逐語録"),
        p("Ｉ：今日は　よろしくお願いします。"),
        "<w:p><w:r><w:t>Ｋ：はい。</w:t><w:br/><w:t>二行目です。</w:t><w:tab/><w:t>タブの後 &amp; 記号。</w:t></w:r></w:p>".to_owned(),
        "<w:p/>".to_owned(),
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr><w:r><w:t>Ｉ：</w:t></w:r><w:r><w:t>分かれた</w:t></w:r><w:r><w:t>ラン。</w:t></w:r></w:p>".to_owned(),
    ]
    .concat();
    let file = sandbox.write("K.docx", docx(&body));
    let run = import(&sandbox, &project, &file).ok();
    assert_eq!(
        run.stdout.lines().nth(1),
        Some("  K (61 chars, docx, 3 utterances)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        stored_text(&sandbox, &project, "K"),
        "事例Ｋ　逐語録\nＩ：今日は　よろしくお願いします。\nＫ：はい。\n二行目です。\tタブの後 & 記号。\n\nＩ：分かれたラン。\n"
    );
    assert_eq!(
        turns(&project, "K"),
        [
            ("I".to_owned(), "今日は　よろしくお願いします。".to_owned()),
            (
                "K".to_owned(),
                "はい。\n二行目です。\tタブの後 & 記号。".to_owned()
            ),
            ("I".to_owned(), "分かれたラン。".to_owned()),
        ]
    );
    let row = document_row(&sandbox, &project, "K");
    assert_eq!(
        row["metadata"],
        serde_json::json!({"format": "docx", "filters": [], "notes": []})
    );
}

#[test]
fn tracked_changes_import_as_accepted_with_a_warning() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let body = concat!(
        "<w:p><w:r><w:t>Ａ：研修は</w:t></w:r>",
        "<w:del w:id=\"1\" w:author=\"校閲者\"><w:r><w:delText>とても</w:delText></w:r></w:del>",
        "<w:ins w:id=\"2\" w:author=\"校閲者\"><w:r><w:t>かなり</w:t></w:r></w:ins>",
        "<w:r><w:t>役に立ちました。</w:t></w:r></w:p>",
        "<w:p><w:moveFrom w:id=\"3\"><w:r><w:t>移動前</w:t></w:r></w:moveFrom><w:r><w:t>Ｂ：ええ。</w:t></w:r></w:p>",
    );
    let file = sandbox.write("A.docx", docx(body));
    let run = import(&sandbox, &project, &file).ok();
    let note = "the file had tracked changes: the text is as accepted (1 insertion(s) kept, 2 deletion(s) dropped)";
    assert_eq!(run.stderr, format!("warning: {}: {note}\n", file.display()));
    assert!(
        run.stdout
            .ends_with("skipped 0 file(s), 1 warning(s) (listed above)\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        stored_text(&sandbox, &project, "A"),
        "Ａ：研修はかなり役に立ちました。\nＢ：ええ。\n"
    );
    assert_eq!(
        document_row(&sandbox, &project, "A")["metadata"]["notes"],
        serde_json::json!([note])
    );
}

#[test]
fn a_two_column_speaker_table_becomes_speaker_turns() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let row = |speaker: &str, speech: &str| {
        format!(
            "<w:tr><w:tc>{}</w:tc><w:tc>{speech}</w:tc></w:tr>",
            p(speaker)
        )
    };
    let table = [
        "<w:tbl>".to_owned(),
        row("話者", &p("発言")),
        row("聞き手", &p("どのような支援をしていますか。")),
        row(
            "山田",
            &[p("訪問看護と連携しています。"), p("月に二回です。")].concat(),
        ),
        row("", &p("（沈黙）")),
        row("聞き手", &p("ありがとうございます。")),
        "</w:tbl>".to_owned(),
    ]
    .concat();
    let file = sandbox.write("山田.docx", docx(&(p("インタビュー記録") + &table)));
    let run = import(&sandbox, &project, &file).ok();
    assert_eq!(
        run.stderr,
        format!(
            "warning: {}: a two-column table was read as 3 speaker turn(s) of 山田, 聞き手\n",
            file.display()
        )
    );
    assert_eq!(
        stored_text(&sandbox, &project, "山田"),
        "インタビュー記録\n話者\t発言\n聞き手：どのような支援をしていますか。\n山田：訪問看護と連携しています。\n月に二回です。\n（沈黙）\n聞き手：ありがとうございます。\n"
    );
    assert_eq!(
        turns(&project, "山田"),
        [
            (
                "聞き手".to_owned(),
                "どのような支援をしていますか。".to_owned()
            ),
            (
                "山田".to_owned(),
                "訪問看護と連携しています。\n月に二回です。\n（沈黙）".to_owned()
            ),
            ("聞き手".to_owned(), "ありがとうございます。".to_owned()),
        ]
    );
}

#[test]
fn a_plain_table_is_read_row_by_row_with_tabs_between_cells() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let cell = |text: &str| format!("<w:tc>{}</w:tc>", p(text));
    let table = format!(
        "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        cell("所属"),
        cell("勤務年数"),
        cell("職種"),
        cell("相談支援事業所"),
        cell("１２"),
        cell("相談支援専門員")
    );
    let file = sandbox.write("属性表.docx", docx(&(table + &p("Ａ：以上です。"))));
    import(&sandbox, &project, &file).ok();
    assert_eq!(
        stored_text(&sandbox, &project, "属性表"),
        "所属\t勤務年数\t職種\n相談支援事業所\t１２\t相談支援専門員\nＡ：以上です。\n"
    );
}

#[test]
fn word_online_document2_with_bom_parts_is_found_through_the_relationships() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let mut bytes = docx_at(
        "word/document2.xml",
        &p("Ａ：ワード・オンラインで保存。"),
        &[],
    );
    // Rewrite the package with a BOM in front of every XML part.
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(std::mem::take(&mut bytes))).expect("zip");
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let mut content = b"\xEF\xBB\xBF".to_vec();
        std::io::Read::read_to_end(&mut entry, &mut content).expect("read");
        entries.push((entry.name().expect("name").into_owned(), content));
    }
    let named: Vec<(&str, Vec<u8>)> = entries
        .iter()
        .map(|(name, content)| (name.as_str(), content.clone()))
        .collect();
    let file = sandbox.write("online.docx", zip_of(&named));
    import(&sandbox, &project, &file).ok();
    assert_eq!(
        stored_text(&sandbox, &project, "online"),
        "Ａ：ワード・オンラインで保存。\n"
    );
}

#[test]
fn headers_footers_comments_and_footnotes_are_left_out_and_counted() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let part = |root: &str, inner: &str| {
        format!(r#"<?xml version="1.0"?><w:{root} xmlns:w="{W}">{inner}</w:{root}>"#)
    };
    let rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{R}/header" Target="header1.xml"/>
<Relationship Id="rId2" Type="{R}/header" Target="header2.xml"/>
<Relationship Id="rId3" Type="{R}/footer" Target="footer1.xml"/>
<Relationship Id="rId4" Type="{R}/comments" Target="comments.xml"/>
<Relationship Id="rId5" Type="{R}/footnotes" Target="footnotes.xml"/>
<Relationship Id="rId6" Type="{R}/hyperlink" Target="https://example.jp/" TargetMode="External"/>
</Relationships>"#
    );
    let extra = [
        ("word/_rels/document.xml.rels", rels),
        ("word/header1.xml", part("hdr", &p("社外秘　聞き取り記録"))),
        ("word/header2.xml", part("hdr", "<w:p/>")),
        ("word/footer1.xml", part("ftr", &p("－ 1 －"))),
        (
            "word/comments.xml",
            part(
                "comments",
                &format!(
                    "<w:comment w:id=\"0\">{}</w:comment><w:comment w:id=\"1\">{}</w:comment>",
                    p("要確認"),
                    p("匿名化")
                ),
            ),
        ),
        (
            "word/footnotes.xml",
            part(
                "footnotes",
                &format!(
                    "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p/></w:footnote><w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p/></w:footnote><w:footnote w:id=\"1\">{}</w:footnote>",
                    p("注：仮名")
                ),
            ),
        ),
    ];
    let body = "<w:p><w:r><w:t>Ａ：本文です。</w:t></w:r><w:commentRangeStart w:id=\"0\"/><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>";
    let file = sandbox.write("notes.docx", docx_at("word/document.xml", body, &extra));
    let run = import(&sandbox, &project, &file).ok();
    assert_eq!(
        run.stderr,
        format!(
            "warning: {}: left out of the text: 1 header(s) with text, 1 footer(s) with text, 2 comment(s), 1 footnote(s)\n",
            file.display()
        )
    );
    assert_eq!(stored_text(&sandbox, &project, "notes"), "Ａ：本文です。\n");
}

#[test]
fn bad_word_files_fail_with_one_line_naming_the_file_and_change_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let before = snapshot(&sandbox, &project);
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    let mut truncated = docx(&p("Ａ：途中で切れたファイル。"));
    truncated.truncate(truncated.len() - 30);
    let slip = zip_of(&[
        ("[Content_Types].xml", b"<Types/>".to_vec()),
        ("../../evil.xml", b"<x/>".to_vec()),
    ]);
    let bomb = docx(&p(&"あ".repeat(23 * 1024 * 1024)));
    let dtd = zip_of(&[(
        "word/document.xml",
        format!(r#"<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><w:document xmlns:w="{W}"><w:body>{}</w:body></w:document>"#, p("&lol;")).into_bytes(),
    ), ("[Content_Types].xml", br#"<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_vec())]);
    let cases = [
        (
            "encrypted.docx",
            ole,
            "this is an OLE compound file, not a zip archive: an encrypted (password-protected) Office file or an old .doc/.xls",
        ),
        (
            "truncated.docx",
            truncated,
            "the zip archive is damaged or truncated",
        ),
        (
            "slip.docx",
            slip,
            "refusing the archive: entry '../../evil.xml' climbs out of its folder with '..'",
        ),
        (
            "bomb.docx",
            bomb,
            "entry 'word/document.xml' expands past the limit of 67108864 bytes; refusing it",
        ),
        (
            "dtd.docx",
            dtd,
            "part 'word/document.xml': has a DTD (<!DOCTYPE …>); refused, as a DTD can define expanding entities",
        ),
        (
            "text.docx",
            "これはテキストです".as_bytes().to_vec(),
            "not a zip archive",
        ),
    ];
    for (name, bytes, message) in cases {
        let file = sandbox.write(name, &bytes);
        let run = import(&sandbox, &project, &file);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        let expected = format!("casecode: {}: {message}", file.display());
        assert!(
            run.stderr.starts_with(&expected),
            "{name}:\n{}\nexpected: {expected}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
        assert_eq!(
            snapshot(&sandbox, &project),
            before,
            "{name} changed the project"
        );
    }
}

#[test]
fn a_mixed_folder_imports_txt_and_docx_and_says_what_it_skipped() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    sandbox.write("in/A.txt", "Ａ：テキストです。\n");
    sandbox.write("in/B.docx", docx(&p("Ｂ：ワードです。")));
    sandbox.write("in/survey.csv", "id,回答\n1,はい\n");
    sandbox.write("in/old.doc", [0xD0u8, 0xCF, 0x11, 0xE0]);
    sandbox.write("in/~$B.docx", "lock");
    let folder = sandbox.path("in");
    let run = import(&sandbox, &project, &folder).ok();
    let path = |name: &str| folder.join(name).display().to_string();
    assert_eq!(
        run.stderr,
        [
            format!("warning: skipped {}: an old Word .doc; save it as .docx and import that", path("old.doc")),
            format!("warning: skipped {}: a table, not a transcript (survey answers: `casecode import-survey`; case attributes: `casecode attributes`)", path("survey.csv")),
            format!("warning: skipped {}: Office lock file", path("~$B.docx")),
            String::new(),
        ]
        .join("\n")
    );
    assert_eq!(
        run.stdout,
        format!(
            "imported 2 document(s) into {}:\n  A (10 chars, utf-8, 1 utterances)\n  B (9 chars, docx, 1 utterances)\nskipped 3 file(s), 0 warning(s) (listed above)\n",
            project.display()
        )
    );
    let formats: Vec<String> = list(&sandbox, &project, "documents")
        .as_array()
        .expect("array")
        .iter()
        .map(|row| {
            format!(
                "{} {}",
                row["name"].as_str().unwrap_or_default(),
                row["metadata"]["format"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(formats, ["A txt", "B docx"]);
}

#[test]
fn a_text_box_is_left_out_once_and_reported() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("p.casecode");
    let text_box = format!("<w:txbxContent>{}</w:txbxContent>", p("枠内のメモ"));
    let body = format!(
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>{text_box}</w:drawing></mc:Choice><mc:Fallback><w:pict>{text_box}</w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Ａ：本文です。</w:t></w:r></w:p>"
    );
    let file = sandbox.write("box.docx", docx(&body));
    let run = import(&sandbox, &project, &file).ok();
    assert_eq!(
        run.stderr,
        format!(
            "warning: {}: left out of the text: 1 text box(es)\n",
            file.display()
        )
    );
    assert_eq!(stored_text(&sandbox, &project, "box"), "Ａ：本文です。\n");
}
