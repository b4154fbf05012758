//! Reading a `.qdpx` gives exactly what it gave before the reader was made parallel (issue 17):
//! the same exchange (documents, codings, coders numbered by first appearance, GUIDs, memos)
//! and the same warnings in the same order. Each file's reading is pinned by a digest of its
//! whole debug dump, taken from the one-thread reader before the change.

mod common;
mod qdpx_support;

use std::path::Path;

use casecode::import::qdpx::read_exchange_file;
use common::Sandbox;
use qdpx_support::write_zip;

/// A version-5 UUID of the whole dump of the reading (a stable SHA-1 digest), with the file's
/// temporary path replaced by `FILE`.
fn digest(file: &Path) -> String {
    let (exchange, warnings) = read_exchange_file(file).expect("read");
    let dump = format!("{exchange:#?}\n{warnings:#?}").replace(&file.display().to_string(), "FILE");
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, dump.as_bytes()).to_string()
}

const U1: &str = "{AAAAAAAA-0000-4000-8000-000000000001}";
const U2: &str = "aaaaaaaa-0000-4000-8000-000000000002";
const CODE_A: &str = "c0000000-0000-4000-8000-00000000000a";
const CODE_B: &str = "C0000000-0000-4000-8000-00000000000B";

/// A selection of `[start, end)` reading `name`, by `user`, with these codings.
fn selection(
    guid: u32,
    name: &str,
    (start, end): (usize, usize),
    user: &str,
    codings: &str,
) -> String {
    format!(
        r#"<PlainTextSelection guid="5e000000-0000-4000-8000-{guid:012}" name="{name}" startPosition="{start}" endPosition="{end}" creatingUser="{user}" creationDateTime="2024-01-02T03:04:{:02}Z">{codings}</PlainTextSelection>"#,
        guid % 60
    )
}

fn coding(guid: u32, code: &str, extra: &str) -> String {
    format!(
        r#"<Coding guid="c0d00000-0000-4000-8000-{guid:012}"{extra}><CodeRef targetGUID="{code}"/></Coding>"#
    )
}

/// A project with most of what other tools write and casecode warns about: several users met
/// in a different order in each source, notes on sources, selections and codings, CRLF text,
/// inline text, a duplicate source name, selections outside the text or of unknown codes,
/// repeated codings, a coding of a whole source, document variables and loose notes.
fn quirky_qde() -> String {
    let first = [
        selection(1, "きょうだい", (0, 5), U2, &coding(1, CODE_A, "")),
        selection(
            2,
            "運動会",
            (6, 9),
            U1,
            &format!(
                "{}{}<NoteRef targetGUID=\"0e000000-0000-4000-8000-000000000001\"/>",
                coding(2, CODE_B, r#" creatingUser="aaaaaaaa-0000-4000-8000-000000000002""#),
                coding(3, CODE_A, "")
            ),
        ),
        selection(3, "違う", (10, 12), U1, &coding(4, CODE_A, "")),
        selection(4, "外", (400, 410), U1, &coding(5, CODE_A, "")),
        selection(5, "きょうだい", (0, 5), U2, &coding(6, "c9999999-0000-4000-8000-000000000000", "")),
        selection(6, "きょうだい", (0, 5), U2, &coding(7, CODE_A, "")),
        selection(
            7,
            "はい",
            (20, 22),
            U2,
            &format!(
                "<Description>選択の説明</Description>{}",
                coding(
                    8,
                    CODE_B,
                    "><NoteRef targetGUID=\"0e000000-0000-4000-8000-000000000002\"/></Coding><Coding guid=\"c0d00000-0000-4000-8000-000000000009\""
                )
            ),
        ),
        r#"<PlainTextSelection guid="5e000000-0000-4000-8000-000000000099" startPosition="x" endPosition="2"/>"#.to_owned(),
    ]
    .join("\n");
    let second = [
        selection(11, "", (0, 3), U1, &coding(11, CODE_B, "")),
        selection(
            12,
            "",
            (2, 4),
            "bbbbbbbb-0000-4000-8000-000000000003",
            &coding(12, CODE_A, ""),
        ),
        selection(13, "", (1, 3), U2, ""),
    ]
    .join("\n");
    format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="癖のある研究" origin="OtherQDA">
  <Users><User guid="{U1}" name="佐藤"/><User guid="{U2}" id="suzuki"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_A}" name="配慮" isCodable="true" color="#f80"><NoteRef targetGUID="0e000000-0000-4000-8000-000000000005"/></Code>
    <Code guid="{CODE_B}" name="支援" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="e1000000-0000-4000-8000-000000000001" name="勤務年数" typeOfVariable="Integer"/>
  </Variables>
  <Cases><Case guid="ca000000-0000-4000-8000-000000000001" name="事例A"><SourceRef targetGUID="D1000000-0000-4000-8000-000000000001"/></Case></Cases>
  <Sources>
    <TextSource guid="d1000000-0000-4000-8000-000000000001" name="インタビュー" plainTextPath="internal://a.txt" creatingUser="{U1}" creationDateTime="2024-01-01T00:00:00Z">
{first}
      <Coding guid="c0d00000-0000-4000-8000-000000000010"><CodeRef targetGUID="{CODE_B}"/></Coding>
      <NoteRef targetGUID="0e000000-0000-4000-8000-000000000003"/>
      <VariableValue><VariableRef targetGUID="e1000000-0000-4000-8000-000000000001"/><IntegerValue>12</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="e1000000-0000-4000-8000-000000000001"/><IntegerValue>x</IntegerValue></VariableValue>
    </TextSource>
    <TextSource guid="d1000000-0000-4000-8000-000000000002" name="インタビュー"><PlainTextContent>あいうえお
かきくけこ</PlainTextContent><Description>二つ目</Description>
{second}
    </TextSource>
    <TextSource guid="d1000000-0000-4000-8000-000000000003" name="ない" plainTextPath="internal://missing.txt"/>
    <TextSource guid="d1000000-0000-4000-8000-000000000004" name="空"><PlainTextContent></PlainTextContent><Coding guid="c0d00000-0000-4000-8000-000000000020"><CodeRef targetGUID="{CODE_A}"/></Coding></TextSource>
    <PDFSource guid="9d000000-0000-4000-8000-000000000001" name="資料.pdf" path="internal://x.pdf"/>
  </Sources>
  <Notes>
    <Note guid="0e000000-0000-4000-8000-000000000001" name="選択メモ"><PlainTextContent>選択の
メモ</PlainTextContent></Note>
    <Note guid="0e000000-0000-4000-8000-000000000002" name="コーディングメモ"><PlainTextContent>コーディングの</PlainTextContent></Note>
    <Note guid="0e000000-0000-4000-8000-000000000003" name="文書メモ"><PlainTextContent>文書の</PlainTextContent></Note>
    <Note guid="0e000000-0000-4000-8000-000000000004" name="浮いたメモ"><PlainTextContent>どこにも</PlainTextContent></Note>
    <Note guid="0e000000-0000-4000-8000-000000000005" name="コードメモ"><PlainTextContent>コードの</PlainTextContent></Note>
  </Notes>
</Project>"##
    )
}

#[test]
fn the_sample_study_export_reads_as_it_did_before() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample_study.qdpx");
    let (exchange, warnings) = read_exchange_file(&file).expect("read");
    assert_eq!(
        (
            exchange.documents.len(),
            exchange.codings.len(),
            warnings.len()
        ),
        (10, 441, 0)
    );
    assert_eq!(digest(&file), "8902cde8-8f2e-5b62-aba6-bea363599aa2");
}

#[test]
fn a_quirky_project_reads_with_the_same_exchange_and_warnings_as_before() {
    let sandbox = Sandbox::new();
    let file = write_zip(
        &sandbox,
        "quirky.qdpx",
        &[
            ("project.qde", quirky_qde().as_bytes()),
            (
                "sources/a.txt",
                "きょうだい\r\n運動会に\r\n行けるように\r\nＩ：はい\r\n".as_bytes(),
            ),
        ],
    );
    let (exchange, warnings) = read_exchange_file(&file).expect("read");
    assert_eq!(exchange.coders.len(), 3, "{:?}", exchange.coders);
    assert!(warnings.len() > 8, "{warnings:#?}");
    assert_eq!(digest(&file), "429915e7-f821-51f5-97aa-942e5e4ffc7b");
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(quirky_qde().as_bytes());
    let bom = write_zip(
        &sandbox,
        "bom.qdpx",
        &[
            ("project.qde", with_bom.as_slice()),
            (
                "sources/a.txt",
                "きょうだい\r\n運動会に\r\n行けるように\r\nＩ：はい\r\n".as_bytes(),
            ),
        ],
    );
    assert_eq!(
        digest(&bom),
        "429915e7-f821-51f5-97aa-942e5e4ffc7b",
        "a BOM before the XML changes nothing"
    );
    let bare = sandbox.write("quirky.qde", quirky_qde());
    assert_eq!(
        digest(&bare),
        "303a2474-ca64-52a7-be56-e0a7ba8f1d1a",
        "a bare .qde, its sources read in the tree"
    );
}

/// A project of `count` sources, each the 100-byte file `sources/N.txt`.
fn project_of_sources(count: usize) -> Vec<u8> {
    let sources: String = (0..count)
        .map(|n| {
            format!(
                r#"<TextSource guid="d1000000-0000-4000-8000-{n:012}" name="文書{n}" plainTextPath="internal://{n}.txt"/>"#
            )
        })
        .collect();
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>{sources}</Sources></Project>"#
    );
    let text = "あ".repeat(33) + "\n";
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("project.qde", options).expect("entry");
    std::io::Write::write_all(&mut writer, qde.as_bytes()).expect("write");
    for n in 0..count {
        writer
            .start_file(format!("sources/{n}.txt"), options)
            .expect("entry");
        std::io::Write::write_all(&mut writer, text.as_bytes()).expect("write");
    }
    writer.finish().expect("zip").into_inner()
}

#[test]
fn the_archive_total_is_reached_at_the_same_source_when_sources_are_read_on_several_threads() {
    use casecode::import::archive::{Archive, Limits};
    use casecode::import::qdpx::read_qdpx;
    let limits = |total_bytes| Limits {
        entry_bytes: 1000,
        total_bytes,
    };
    let bytes = project_of_sources(12);
    let mut archive = Archive::from_bytes("p.qdpx", bytes.clone(), limits(1200)).expect("open");
    let (exchange, warnings) = read_qdpx(&mut archive).expect("12 × 100 bytes fit in 1200");
    assert_eq!((exchange.documents.len(), warnings.len()), (12, 0));
    let last = exchange.documents.last().expect("documents");
    assert_eq!(
        (last.name.as_str(), last.text.chars().count()),
        ("文書11", 34)
    );
    let mut archive = Archive::from_bytes("p.qdpx", bytes, limits(1150)).expect("open");
    let error = read_qdpx(&mut archive).expect_err("the twelfth source is past the total");
    assert_eq!(
        error.to_string(),
        "p.qdpx: the archive expands past the limit of 1150 bytes in total; refusing it"
    );
}
