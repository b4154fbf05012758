//! REFI-QDA files from other tools come in despite their quirks, with a warning for everything
//! casecode cannot keep; broken or hostile files are refused with a clear error and leave the
//! project as it was.

mod common;
mod qdpx_support;

use std::path::PathBuf;

use common::{Sandbox, list, snapshot};
use qdpx_support::{import_qdpx, unzip, write_zip};
use serde_json::json;

const USER: &str = "{AAAAAAAA-0000-4000-8000-000000000001}";
const PARENT: &str = "C0000000-0000-4000-8000-000000000001";
const CODE: &str = "c0000000-0000-4000-8000-000000000002";
const SOURCE: &str = "d1000000-0000-4000-8000-000000000001";

/// A project as MAXQDA-like tools write it.
fn foreign_qde(namespace: &str, selections: &str, extra_sources: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{namespace}" name="他ツールの研究" origin="OtherQDA 2022">
  <Users><User guid="{USER}" name="佐藤"/></Users>
  <CodeBook><Codes>
    <Code guid="{PARENT}" name="家族支援" isCodable="false" color="#f80">
      <Code guid="{CODE}" name="[きょうだい児への配慮]" isCodable="true"><Description>きょうだいへの配慮の定義</Description></Code>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="e1000000-0000-4000-8000-000000000001" name="勤務年数" typeOfVariable="Integer"/>
    <Variable guid="e1000000-0000-4000-8000-000000000002" name="所属組織" typeOfVariable="Text"/>
  </Variables>
  <Cases/>
  <Sources>
    <TextSource guid="{SOURCE}" name="インタビューA" plainTextPath="internal://{SOURCE}.txt" creatingUser="{USER}">
{selections}
      <VariableValue><VariableRef targetGUID="e1000000-0000-4000-8000-000000000001"/><IntegerValue>12</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="E1000000-0000-4000-8000-000000000002"/><TextValue>訪問看護</TextValue></VariableValue>
    </TextSource>
{extra_sources}
  </Sources>
  <Notes/>
  <Sets><Set guid="f1000000-0000-4000-8000-000000000001" name="訪問看護グループ"><MemberSource targetGUID="{SOURCE}"/></Set></Sets>
  <Graphs><Graph guid="f2000000-0000-4000-8000-000000000001" name="関係図"/></Graphs>
</Project>"##
    )
}

fn selection(guid_suffix: u32, name: &str, start: usize, end: usize) -> String {
    format!(
        r#"      <PlainTextSelection guid="5e000000-0000-4000-8000-{guid_suffix:012}" name="{name}" startPosition="{start}" endPosition="{end}" creatingUser="{USER}">
        <Coding guid="c0d00000-0000-4000-8000-{guid_suffix:012}" creatingUser="{USER}"><CodeRef targetGUID="{{{}}}"/></Coding>
      </PlainTextSelection>"#,
        CODE.to_uppercase()
    )
}

const SOURCE_TEXT: &str = "Ａ：きょうだいの運動会に行けるように\r\nＩ：はい\r\nＡ：𠮷田さんと\r\n";

fn stored(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Code-point position of `needle` in the stored (LF) text.
fn position(needle: &str) -> (usize, usize) {
    let text = stored(SOURCE_TEXT);
    let byte = text.find(needle).expect("needle");
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

#[test]
fn a_qdpx_from_another_tool_imports_despite_its_quirks_and_says_what_it_dropped() {
    let sandbox = Sandbox::new();
    let (a, b) = (position("きょうだい"), position("𠮷田さん"));
    // CRLF counted as one character, as some vendors do; the selection texts tell.
    let selections = [
        selection(1, "きょうだい", a.0, a.1),
        selection(2, "𠮷田さん", b.0, b.1),
    ]
    .join("\n");
    let pdf = r#"    <PDFSource guid="9d000000-0000-4000-8000-000000000001" name="資料.pdf" path="internal://x.pdf"/>"#;
    let qde = foreign_qde("urn:QDA-XML:project:0:4", &selections, pdf);
    let mut source = b"\xEF\xBB\xBF".to_vec();
    source.extend_from_slice(SOURCE_TEXT.as_bytes());
    let file = write_zip(
        &sandbox,
        "other.qdpx",
        &[
            ("他ツールの研究.qde", qde.as_bytes()),
            (&format!("Sources/{}.txt", SOURCE.to_uppercase()), &source),
        ],
    );
    let project = sandbox.new_project("study.casecode");
    let run = import_qdpx(&sandbox, &file, &project).ok();
    let f = file.display();
    assert_eq!(
        run.stderr,
        format!(
            "warning: {f}: source 'インタビューA' has CRLF line ends counted as one character (checked against the selection texts)\n\
             warning: {f}: PDF source '資料.pdf' dropped with its 0 selections (casecode keeps text sources only)\n\
             warning: {f}: 1 sets of sources (document groups) became the case attribute '文書グループ'\n\
             warning: {f}: graph '関係図' dropped (casecode has no graphs)\n"
        )
    );
    assert_eq!(
        sandbox
            .run([
                "text".as_ref(),
                project.as_os_str(),
                "--doc".as_ref(),
                "インタビューA".as_ref()
            ])
            .ok()
            .stdout,
        stored(SOURCE_TEXT),
        "BOM removed, LF line ends"
    );
    let codings = list(&sandbox, &project, "codings");
    let spans: Vec<_> = codings
        .as_array()
        .expect("test setup")
        .iter()
        .map(|c| {
            (
                c["start"].clone(),
                c["end"].clone(),
                c["text"].clone(),
                c["coder"].clone(),
                c["code_path"].clone(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            (
                json!(a.0),
                json!(a.1),
                json!("きょうだい"),
                json!("佐藤"),
                json!("家族支援/[きょうだい児への配慮]")
            ),
            (
                json!(b.0),
                json!(b.1),
                json!("𠮷田さん"),
                json!("佐藤"),
                json!("家族支援/[きょうだい児への配慮]")
            ),
        ]
    );
    let cases = list(&sandbox, &project, "cases");
    assert_eq!(
        cases[0]["name"], "インタビューA",
        "a source without a case becomes its own case"
    );
    assert_eq!(
        cases[0]["attributes"],
        json!({"勤務年数": 12, "所属組織": "訪問看護", "文書グループ": "訪問看護グループ"}),
        "document variables (on the source) and document groups land on the case"
    );
    let codes = list(&sandbox, &project, "codes");
    assert_eq!(codes[0]["color"], "#FF8800", "#RGB widened");
    assert_eq!(codes[1]["definition"], "きょうだいへの配慮の定義");
}

#[test]
fn crlf_without_selection_texts_is_counted_as_written_with_a_warning() {
    let sandbox = Sandbox::new();
    let target = position("𠮷田さん");
    // As written, each CRLF before the span counts twice: two line ends precede it.
    let selections = selection(1, "", target.0 + 2, target.1 + 2);
    let qde = foreign_qde("urn:QDA-XML:project:1.0", &selections, "");
    let file = write_zip(
        &sandbox,
        "written.qdpx",
        &[
            ("project.qde", qde.as_bytes()),
            (&format!("sources/{SOURCE}.txt"), SOURCE_TEXT.as_bytes()),
        ],
    );
    let project = sandbox.new_project("study.casecode");
    let run = import_qdpx(&sandbox, &file, &project).ok();
    assert!(run.stderr.starts_with(&format!(
        "warning: {}: source 'インタビューA' has CRLF line ends and no selection text to tell how the tool counted them; positions are counted as written (CRLF = 2 characters)\n",
        file.display()
    )), "{}", run.stderr);
    assert_eq!(list(&sandbox, &project, "codings")[0]["text"], "𠮷田さん");
}

#[test]
fn a_selection_whose_text_does_not_match_its_span_is_imported_with_a_warning() {
    let sandbox = Sandbox::new();
    let (start, end) = position("きょうだい");
    let qde = foreign_qde(
        "urn:QDA-XML:project:1.0",
        &selection(1, "運動会", start, end),
        "",
    );
    let file = write_zip(
        &sandbox,
        "mismatch.qdpx",
        &[
            ("project.qde", qde.as_bytes()),
            (
                &format!("sources/{SOURCE}.txt"),
                stored(SOURCE_TEXT).as_bytes(),
            ),
        ],
    );
    let project = sandbox.new_project("study.casecode");
    let run = import_qdpx(&sandbox, &file, &project).ok();
    assert!(run.stderr.starts_with(&format!(
        "warning: {}: source 'インタビューA': selection 5e000000-0000-4000-8000-000000000001 [{start}, {end}) should read '運動会' but the text there is 'きょうだい'; imported at the given position\n",
        file.display()
    )), "{}", run.stderr);
    assert_eq!(list(&sandbox, &project, "codings")[0]["text"], "きょうだい");
}

#[test]
fn a_qdc_from_another_tool_with_an_old_namespace_and_member_code_guids_brings_roles() {
    let sandbox = Sandbox::new();
    let qdc = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="OtherQDA">
  <Codes>
    <Code guid="{PARENT}" name="家族支援" isCodable="true">
      <Code guid="{CODE}" name="[きょうだい児への配慮]" isCodable="true"/>
    </Code>
  </Codes>
  <Sets><Set guid="f1000000-0000-4000-8000-000000000009" name="重要"><MemberCode guid="{CODE}"/></Set></Sets>
</CodeBook>"#
    );
    let file = sandbox.write("other.qdc", qdc);
    let project = sandbox.new_project("study.casecode");
    import_qdpx(&sandbox, &file, &project).ok();
    let codes = list(&sandbox, &project, "codes");
    assert_eq!(codes[1]["path"], "家族支援/[きょうだい児への配慮]");
    assert_eq!(codes[1]["roles"], json!(["重要"]));
}

/// Each bad file gets its error and leaves the sample project exactly as it was.
#[test]
fn broken_or_hostile_files_are_refused_with_a_clear_error_and_import_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let good = sandbox.path("good.qdpx");
    sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdpx".as_ref(),
            good.as_os_str(),
        ])
        .ok();
    let before = snapshot(&sandbox, &project);
    let good_bytes = std::fs::read(&good).expect("test setup");

    let truncated = sandbox.write("truncated.qdpx", &good_bytes[..good_bytes.len() / 2]);
    let malformed = write_zip(
        &sandbox,
        "malformed.qdpx",
        &[("project.qde", b"<Project name=\"x\"><CodeBook><Codes>")],
    );
    let slip = write_zip(
        &sandbox,
        "slip.qdpx",
        &[
            ("project.qde", b"<Project name=\"x\"/>"),
            ("../evil.txt", b"x"),
        ],
    );
    let absolute = write_zip(
        &sandbox,
        "absolute.qdpx",
        &[
            ("/etc/evil.txt", b"x"),
            ("project.qde", b"<Project name=\"x\"/>"),
        ],
    );
    let bomb = b"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]>\n<Project name=\"&lol2;\"/>";
    let bomb = write_zip(&sandbox, "bomb.qdpx", &[("project.qde", bomb)]);
    let no_qde = write_zip(&sandbox, "empty.qdpx", &[("readme.txt", b"hello")]);
    let not_refi = sandbox.write("other.qdc", "<Codebook><Codes/></Codebook>");
    let cases: Vec<(PathBuf, String)> = vec![
        (
            truncated.clone(),
            format!(
                "{}: the zip archive is damaged or truncated (",
                truncated.display()
            ),
        ),
        (
            malformed.clone(),
            format!(
                "{}: malformed XML: the file ends inside an element (truncated?)\n",
                malformed.display()
            ),
        ),
        (
            slip.clone(),
            format!(
                "{}: refusing the archive: entry '../evil.txt' climbs out of its folder with '..'\n",
                slip.display()
            ),
        ),
        (
            absolute.clone(),
            format!(
                "{}: refusing the archive: entry '/etc/evil.txt' is an absolute path\n",
                absolute.display()
            ),
        ),
        (
            bomb.clone(),
            format!(
                "{}: the XML has a DTD (<!DOCTYPE …>); REFI-QDA files have none, and casecode refuses one because its entities can expand without bound\n",
                bomb.display()
            ),
        ),
        (
            no_qde.clone(),
            format!(
                "{}: the archive holds no project.qde (nor any other .qde); not a REFI-QDA project\n",
                no_qde.display()
            ),
        ),
        (
            not_refi.clone(),
            format!(
                "{}: the root element is <Codebook>, not a REFI-QDA <Project> or <CodeBook>\n",
                not_refi.display()
            ),
        ),
    ];
    for (file, expected) in cases {
        let run = import_qdpx(&sandbox, &file, &project);
        assert_eq!(run.code, 2, "{}", file.display());
        assert!(
            run.stderr.starts_with(&format!("casecode: {expected}")),
            "{}:\n{}",
            file.display(),
            run.stderr
        );
        assert_eq!(
            snapshot(&sandbox, &project),
            before,
            "{} changed the project",
            file.display()
        );
    }
}

/// A bare project.qde with inline texts, as some tools write: notes become the memos of codes,
/// codings and documents, a note linked to a case becomes that cell's 要約, and what is attached
/// to nothing is reported.
#[test]
fn notes_from_another_tool_become_memos_and_summaries_and_loose_ones_are_reported() {
    let sandbox = Sandbox::new();
    let (user, code, case, source, coding) = (
        "a0000000-0000-4000-8000-000000000001",
        "c0000000-0000-4000-8000-000000000001",
        "ca000000-0000-4000-8000-000000000001",
        "d0000000-0000-4000-8000-000000000001",
        "c0d00000-0000-4000-8000-000000000001",
    );
    let note = |n: u32| format!("00000000-0000-4000-8000-00000000000{n}");
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="メモの研究">
  <Users><User guid="{user}" name="田中"/></Users>
  <CodeBook><Codes><Code guid="{code}" name="[不安の受け止め]" isCodable="true"><NoteRef targetGUID="{n1}"/><NoteRef targetGUID="{n5}"/></Code></Codes></CodeBook>
  <Cases><Case guid="{case}" name="B"><Description>訪問看護の事例</Description><SourceRef targetGUID="{source}"/></Case></Cases>
  <Sources>
    <TextSource guid="{source}" name="B">
      <PlainTextContent>Ａ：不安でした。</PlainTextContent>
      <PlainTextSelection guid="5e000000-0000-4000-8000-000000000001" startPosition="2" endPosition="6" creatingUser="{user}">
        <Coding guid="{coding}" creatingUser="{user}"><CodeRef targetGUID="{code}"/><NoteRef targetGUID="{n2}"/></Coding>
      </PlainTextSelection>
      <NoteRef targetGUID="{n3}"/>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{n1}" name="コードのメモ"><PlainTextContent>受け止めの定義メモ</PlainTextContent></Note>
    <Note guid="{n2}" name="コーディングのメモ"><PlainTextContent>語尾に注意</PlainTextContent></Note>
    <Note guid="{n3}" name="文書のメモ"><PlainTextContent>電話での聞き取り</PlainTextContent></Note>
    <Note guid="{n4}" name="浮いたメモ"><PlainTextContent>どこにも付かない</PlainTextContent></Note>
    <Note guid="{n5}" name="要約" creatingUser="{user}"><PlainTextContent>不安を受け止めた</PlainTextContent></Note>
  </Notes>
  <Links>
    <Link guid="11000000-0000-4000-8000-000000000001" originGUID="{n5}" targetGUID="{case}"/>
    <Link guid="11000000-0000-4000-8000-000000000002" originGUID="{n5}" targetGUID="{coding}"/>
    <Link guid="11000000-0000-4000-8000-000000000003" name="関連" originGUID="{code}" targetGUID="{case}"/>
  </Links>
</Project>"#,
        n1 = note(1),
        n2 = note(2),
        n3 = note(3),
        n4 = note(4),
        n5 = note(5),
    );
    let file = sandbox.write("memos.qde", qde);
    let project = sandbox.new_project("study.casecode");
    let empty = dump(&project);
    let run = import_qdpx(&sandbox, &file, &project).ok();
    let f = file.display();
    assert_eq!(
        run.stderr,
        format!(
            "warning: {f}: link '関連' from {code} to {case} dropped (casecode keeps links only between a 要約 and its case and segments)\n\
             warning: {f}: note '浮いたメモ' is attached to nothing casecode keeps; dropped\n"
        )
    );
    assert_eq!(
        list(&sandbox, &project, "codes")[0]["memo"],
        "受け止めの定義メモ"
    );
    let coding_row = &list(&sandbox, &project, "codings")[0];
    assert_eq!(
        (
            &coding_row["text"],
            &coding_row["coder"],
            &coding_row["memo"]
        ),
        (&json!("不安でし"), &json!("田中"), &json!("語尾に注意"))
    );
    let matrix = sandbox
        .run([
            "matrix".as_ref(),
            project.as_os_str(),
            "--cell".as_ref(),
            "summary".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .ok()
        .json();
    let summary = &matrix["cells"][0]["summary"];
    assert_eq!(summary["text"], "不安を受け止めた");
    assert_eq!(summary["author"], "田中");
    assert_eq!(summary["segment_ids"], json!([coding_row["id"]]));
    // The case and document memos have no list column; they come back out in an export.
    let out = sandbox.path("out.qdpx");
    sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdpx".as_ref(),
            out.as_os_str(),
        ])
        .ok();
    let xml = String::from_utf8(unzip(&out)[0].1.clone()).expect("UTF-8");
    assert!(
        xml.contains("<Description>訪問看護の事例</Description>"),
        "{xml}"
    );
    assert!(
        xml.contains("<PlainTextContent>電話での聞き取り</PlainTextContent>"),
        "{xml}"
    );
    // The file's GUIDs of the user, the selection and the memo notes go back out unchanged.
    for kept in [
        format!("<User guid=\"{user}\" name=\"田中\"/>"),
        "<PlainTextSelection guid=\"5e000000-0000-4000-8000-000000000001\"".to_owned(),
        format!(
            "<Note guid=\"{}\" name=\"コードのメモ: [不安の受け止め]\" creatingUser=",
            note(1)
        ),
        format!("<NoteRef targetGUID=\"{}\"/>", note(2)),
        format!("<NoteRef targetGUID=\"{}\"/>", note(3)),
        format!(
            "<Note guid=\"{}\" name=\"要約: B × [不安の受け止め]\"",
            note(5)
        ),
    ] {
        assert!(xml.contains(&kept), "{kept} not in\n{xml}");
    }
    // Undo takes every row back out, the stored GUIDs included.
    sandbox.run(["undo".as_ref(), project.as_os_str()]).ok();
    assert_eq!(dump(&project), empty);
}

/// Every row of every project table, for "exactly as before" comparisons.
fn dump(project: &std::path::Path) -> String {
    casecode::project::Project::open(project)
        .expect("open the project")
        .read()
        .dump()
        .expect("dump")
}

/// MAXQDA and QualCoder keep a coded segment's comment as its selection's Description and a
/// document's memo as the source's Description: both arrive as memos, a coding's own memo note
/// taking precedence over the selection's Description.
#[test]
fn descriptions_of_selections_and_sources_become_coding_and_document_memos() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("study.casecode");
    let text = "Ａ：きょうだいの運動会に行けるように\n";
    let (a, b) = ((2, 7), (8, 11));
    let note = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="MAXQDA 2022">
  <Users><User guid="{USER}" name="佐藤"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="[きょうだい児への配慮]" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="{SOURCE}" name="インタビューA" plainTextPath="internal://{SOURCE}.txt" creatingUser="{USER}" creationDateTime="2024-08-05T10:00:00Z">
      <Description>電話での聞き取り</Description>
      <PlainTextSelection guid="5e000000-0000-4000-8000-000000000001" startPosition="{}" endPosition="{}" creatingUser="{USER}" creationDateTime="2024-08-05T10:01:00Z">
        <Description>運動会の話</Description>
        <Coding guid="c0d00000-0000-4000-8000-000000000001" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="5e000000-0000-4000-8000-000000000002" startPosition="{}" endPosition="{}" creatingUser="{USER}" creationDateTime="2024-08-05T10:02:00Z">
        <Description>選択の説明</Description>
        <Coding guid="c0d00000-0000-4000-8000-000000000002" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/><NoteRef targetGUID="{note}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes><Note guid="{note}" name="メモ" creationDateTime="2024-08-05T10:03:00Z"><PlainTextContent>コーディング自身のメモ</PlainTextContent></Note></Notes>
</Project>"#,
        a.0, a.1, b.0, b.1
    );
    let file = write_zip(
        &sandbox,
        "maxqda.qdpx",
        &[
            ("project.qde", qde.as_bytes()),
            (&format!("sources/{SOURCE}.txt"), text.as_bytes()),
        ],
    );
    let run = import_qdpx(&sandbox, &file, &project).ok();
    assert_eq!(run.stderr, "");
    let codings = list(&sandbox, &project, "codings");
    let memos: Vec<(&str, &str, &str)> = codings
        .as_array()
        .expect("rows")
        .iter()
        .map(|c| {
            (
                c["text"].as_str().expect("text"),
                c["coder"].as_str().expect("coder"),
                c["memo"].as_str().expect("memo"),
            )
        })
        .collect();
    assert_eq!(
        memos,
        [
            ("きょうだい", "佐藤", "運動会の話"),
            ("運動会", "佐藤", "コーディング自身のメモ"),
        ]
    );
    let run = sandbox
        .run([
            "memo".as_ref(),
            project.as_os_str(),
            "--document".as_ref(),
            "インタビューA".as_ref(),
            "--show".as_ref(),
        ])
        .ok();
    assert_eq!(run.stdout.trim_end(), "電話での聞き取り");
}
