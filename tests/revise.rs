//! Revising transcripts after coding, as researchers do: a typo fixed inside a coded sentence,
//! a name anonymised in every document, a whole utterance deleted (its codings kept as orphans,
//! one re-attached), a paragraph inserted before everything, the same transcript saved again as
//! CP932 with CRLF (no change at all), a Word version with one corrected word. Every test
//! asserts the stored text of every coding, not only how many there are, and that undo
//! restores the project exactly.

mod common;

use std::io::Write;
use std::path::Path;

use casecode::command::{Command, NewCoding};
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::model::{CodingId, DocumentId};
use casecode::project::Project;
use casecode::revise::{Revision, TextEdit};
use common::Sandbox;

const TRANSCRIPT: &str = "\
Ｉ：今日はよろしくお願いします。
Ａ：山田です。相談支援専門員をしています。
Ｉ：お仕事で大変なことは？
Ａ：医療的ケア児の家族支援がむずかしいです。夜も眠れないと聞きます。
Ａ：地域の資源が足りないと感じます。山田の地区は特に。
";

/// A project with the transcript above as document `A` (read from a UTF-8 file, as `import`
/// does), three codes, and codings on five passages.
fn coded_project(dir: &Path) -> Project {
    let path = dir.join("A.txt");
    std::fs::write(&path, TRANSCRIPT).expect("write");
    let document = read_transcript(&path, &TxtOptions::default()).expect("read");
    let mut project = Project::create(&dir.join("p.casecode")).expect("create");
    project.set_coder("山田");
    project
        .execute(Command::ImportDocuments {
            documents: vec![document],
        })
        .expect("import");
    for name in ["職業", "家族支援", "地域資源"] {
        project
            .execute(Command::AddCode {
                parent_id: None,
                name: name.to_owned(),
                definition: String::new(),
                color: None,
                roles: Vec::new(),
            })
            .expect("code");
    }
    code(&mut project, "A", "相談支援専門員をしています。", "職業");
    code(
        &mut project,
        "A",
        "医療的ケア児の家族支援がむずかしいです。",
        "家族支援",
    );
    code(&mut project, "A", "夜も眠れないと聞きます。", "家族支援");
    code(&mut project, "A", "地域の資源が足りない", "地域資源");
    code(&mut project, "A", "山田の地区は特に。", "地域資源");
    project
}

/// Codes the first occurrence of `passage` in `document` with `code`.
fn code(project: &mut Project, document: &str, passage: &str, code: &str) -> CodingId {
    let info = project.document_named(document).expect("document");
    let text = project
        .read()
        .document_text(info.id)
        .expect("text")
        .expect("some");
    let byte = text.find(passage).expect("passage in text");
    let start = text[..byte].chars().count();
    let code_id = project.resolve_code(code).expect("code");
    project
        .execute(Command::AddCodings {
            codings: vec![NewCoding {
                document_id: info.id,
                code_id,
                start,
                end: start + passage.chars().count(),
                coder: "山田".to_owned(),
                memo: String::new(),
            }],
        })
        .expect("coding");
    project
        .read()
        .codings()
        .expect("codings")
        .last()
        .expect("added")
        .id
}

/// (code name, stored text) of every coding, by coding id.
fn coded_texts(project: &Project) -> Vec<(String, String)> {
    let reader = project.read();
    let tree = project.code_tree().expect("tree");
    let mut codings = reader.codings().expect("codings");
    codings.sort_by_key(|coding| coding.id);
    codings
        .iter()
        .map(|coding| {
            let text: String = reader
                .document_text(coding.document_id)
                .expect("text")
                .expect("some")
                .chars()
                .skip(coding.span.start)
                .take(coding.span.len())
                .collect();
            (tree.path_string(coding.code_id), text)
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(code, text)| ((*code).to_owned(), (*text).to_owned()))
        .collect()
}

fn document_id(project: &Project, name: &str) -> DocumentId {
    project.document_named(name).expect("document").id
}

fn text_of(project: &Project, name: &str) -> String {
    project
        .read()
        .document_text(document_id(project, name))
        .expect("text")
        .expect("some")
}

/// Undoes the latest command and checks the project is exactly as `before`.
fn undo_restores(project: &mut Project, before: &str) {
    project.undo().expect("undo").expect("something to undo");
    assert_eq!(project.read().dump().expect("dump"), before);
}

#[test]
fn fixing_a_typo_inside_a_coded_sentence_keeps_every_coding_on_its_words() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = coded_project(dir.path());
    let before = project.read().dump().expect("dump");
    let info = project.document_named("A").expect("A");
    let new_text = TRANSCRIPT.replace("むずかしい", "難しい");
    let revision = Revision::to_text(&project, info, &new_text).expect("plan");
    assert_eq!(revision.edits.len(), 1, "{:?}", revision.edits);
    let [unchanged, moved, resized, review, orphaned] = revision.plan.counts();
    assert_eq!(
        (unchanged, moved, resized, review, orphaned),
        (1, 3, 1, 0, 0)
    );
    project.execute(revision.command()).expect("revise");

    assert_eq!(text_of(&project, "A"), new_text);
    assert_eq!(
        coded_texts(&project),
        pairs(&[
            ("職業", "相談支援専門員をしています。"),
            ("家族支援", "医療的ケア児の家族支援が難しいです。"),
            ("家族支援", "夜も眠れないと聞きます。"),
            ("地域資源", "地域の資源が足りない"),
            ("地域資源", "山田の地区は特に。"),
        ])
    );
    // The journal records the diff's size, not the text.
    let journal = project.read().journal().expect("journal");
    let last = journal.last().expect("entry");
    assert!(last.label.contains("+1 −3"), "{}", last.label);
    assert!(
        last.detail.contains("\"deleted_chars\":3"),
        "{}",
        last.detail
    );
    undo_restores(&mut project, &before);
    assert!(coded_texts(&project)[1].1.contains("むずかしい"));
}

#[test]
fn anonymising_a_name_in_all_documents_keeps_codings_inside_and_outside_it() {
    let sandbox = Sandbox::new();
    let mut project = coded_project(sandbox.dir.path());
    // A second interview that names 山田 too, coded on the name's sentence.
    let second = sandbox.write(
        "B.txt",
        "Ｉ：どなたに相談しますか？\nＡ：山田さんに相談します。山田さんは頼りになります。\n",
    );
    project
        .execute(Command::ImportDocuments {
            documents: vec![read_transcript(&second, &TxtOptions::default()).expect("read")],
        })
        .expect("import B");
    code(&mut project, "B", "山田さんに相談します。", "家族支援");
    code(&mut project, "B", "山田", "職業");
    let path = project.path().to_owned();
    let before = project.read().dump().expect("dump");
    drop(project);

    let run = sandbox
        .run([
            "replace".as_ref(),
            path.as_os_str(),
            "--find".as_ref(),
            "山田".as_ref(),
            "--with".as_ref(),
            "○○".as_ref(),
        ])
        .ok();
    assert!(
        run.stdout.contains("4 time(s) in 2 document(s)"),
        "{}",
        run.stdout
    );

    let mut project = Project::open(&path).expect("open");
    assert!(!text_of(&project, "A").contains("山田"));
    assert!(!text_of(&project, "B").contains("山田"));
    assert_eq!(
        coded_texts(&project),
        pairs(&[
            ("職業", "相談支援専門員をしています。"),
            ("家族支援", "医療的ケア児の家族支援がむずかしいです。"),
            ("家族支援", "夜も眠れないと聞きます。"),
            ("地域資源", "地域の資源が足りない"),
            // The name at the start of a coding is replaced inside it.
            ("地域資源", "○○の地区は特に。"),
            ("家族支援", "○○さんに相談します。"),
            // A coding of exactly the name moves onto the replacement, flagged 要確認.
            ("職業", "○○"),
        ])
    );
    let reviews = project.read().coding_reviews().expect("reviews");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].old_text, "山田");
    // The utterances are found again: B-2 still starts at the second line.
    let utterances = project
        .read()
        .utterances(document_id(&project, "B"))
        .expect("utterances");
    assert_eq!(utterances.len(), 2);
    assert_eq!(utterances[1].speaker, "A");
    // One undo reverts the whole anonymisation.
    undo_restores(&mut project, &before);
}

#[test]
fn deleting_an_utterance_orphans_its_two_codings_and_one_is_reattached() {
    let sandbox = Sandbox::new();
    let mut project = coded_project(sandbox.dir.path());
    let family = project.resolve_code("家族支援").expect("code");
    let case_id = project.read().cases().expect("cases")[0].id;
    let codings = project.read().codings().expect("codings");
    let (first, second) = (codings[1].id, codings[2].id);
    // The researcher had written a memo, flagged an exemplar and linked a summary.
    project
        .execute(Command::SetCodingMemo {
            coding_id: first,
            memo: "家族の負担".to_owned(),
        })
        .expect("memo");
    project
        .execute(Command::SetExemplar {
            coding_ids: vec![first],
            exemplar: true,
        })
        .expect("exemplar");
    project
        .execute(Command::SetSummary {
            case_id,
            code_id: family,
            text: "家族支援の難しさ".to_owned(),
            coding_ids: Some(vec![first, second]),
            author: "山田".to_owned(),
        })
        .expect("summary");
    let path = project.path().to_owned();
    let before = project.read().dump().expect("dump");
    let text = text_of(&project, "A");
    let line = "Ａ：医療的ケア児の家族支援がむずかしいです。夜も眠れないと聞きます。\n";
    let start = text[..text.find(line).expect("line")].chars().count();
    let end = start + line.chars().count();
    drop(project);

    let run = sandbox
        .run([
            "edit".as_ref(),
            path.as_os_str(),
            "--doc".as_ref(),
            "A".as_ref(),
            "--start".as_ref(),
            start.to_string().as_ref(),
            "--end".as_ref(),
            end.to_string().as_ref(),
            "--text".as_ref(),
            "".as_ref(),
        ])
        .ok();
    assert!(run.stdout.contains("2 orphaned"), "{}", run.stdout);

    let project = Project::open(&path).expect("open");
    assert_eq!(
        coded_texts(&project),
        pairs(&[
            ("職業", "相談支援専門員をしています。"),
            ("地域資源", "地域の資源が足りない"),
            ("地域資源", "山田の地区は特に。"),
        ])
    );
    let orphans = project.read().orphans().expect("orphans");
    let kept: Vec<(&str, &str, bool, usize)> = orphans
        .iter()
        .map(|o| {
            (
                o.old_text.as_str(),
                o.coding.memo.as_str(),
                o.coding.exemplar,
                o.summary_ids.len(),
            )
        })
        .collect();
    assert_eq!(
        kept,
        vec![
            (
                "医療的ケア児の家族支援がむずかしいです。",
                "家族の負担",
                true,
                1
            ),
            ("夜も眠れないと聞きます。", "", false, 1),
        ]
    );
    // The remaining utterances are numbered again: A's last turn is now utterance 4.
    let utterances = project
        .read()
        .utterances(document_id(&project, "A"))
        .expect("utterances");
    assert_eq!(utterances.len(), 4);
    drop(project);

    // The researcher re-attaches the first orphan to the sentence that now says it.
    let listed = sandbox.run(["orphans".as_ref(), path.as_os_str()]).ok();
    assert!(
        listed.stdout.contains("「夜も眠れないと聞きます。」"),
        "{}",
        listed.stdout
    );
    let new_text = text_of(&Project::open(&path).expect("open"), "A");
    let target = "地域の資源が足りないと感じます。";
    let at = new_text[..new_text.find(target).expect("target")]
        .chars()
        .count();
    let orphan_id = orphans[0].id.to_string();
    sandbox
        .run([
            "orphans".as_ref(),
            path.as_os_str(),
            "reattach".as_ref(),
            orphan_id.as_ref(),
            "--start".as_ref(),
            at.to_string().as_ref(),
            "--end".as_ref(),
            (at + target.chars().count()).to_string().as_ref(),
        ])
        .ok();
    let mut project = Project::open(&path).expect("open");
    let back = project
        .read()
        .coding(first)
        .expect("read")
        .expect("re-attached with its id");
    assert_eq!((back.memo.as_str(), back.exemplar), ("家族の負担", true));
    let summary = project
        .read()
        .summary(case_id, family)
        .expect("read")
        .expect("summary");
    assert_eq!(
        project.read().summary_links(summary.id).expect("links"),
        vec![first]
    );
    assert_eq!(
        coded_texts(&project),
        pairs(&[
            ("職業", "相談支援専門員をしています。"),
            ("家族支援", "地域の資源が足りないと感じます。"),
            ("地域資源", "地域の資源が足りない"),
            ("地域資源", "山田の地区は特に。"),
        ])
    );
    assert_eq!(project.read().orphans().expect("orphans").len(), 1);

    // Deleting the other orphan, then undoing everything, restores the project exactly.
    project
        .execute(Command::DeleteOrphans {
            orphan_ids: vec![orphans[1].id],
        })
        .expect("delete orphan");
    assert!(project.read().orphans().expect("orphans").is_empty());
    project.undo().expect("undo delete");
    project.undo().expect("undo reattach");
    undo_restores(&mut project, &before);
}

#[test]
fn a_paragraph_inserted_before_all_codings_moves_every_coding() {
    let sandbox = Sandbox::new();
    let project = coded_project(sandbox.dir.path());
    let before_texts = coded_texts(&project);
    let first_start = project.read().codings().expect("codings")[0].span.start;
    let before = project.read().dump().expect("dump");
    let path = project.path().to_owned();
    drop(project);
    let paragraph = "（2024年8月5日、事業所の相談室にて）\n\n";
    let revised = sandbox.write("A_改訂.txt", format!("{paragraph}{TRANSCRIPT}"));
    let run = sandbox
        .run([
            "revise".as_ref(),
            path.as_os_str(),
            "--doc".as_ref(),
            "A".as_ref(),
            revised.as_os_str(),
        ])
        .ok();
    assert!(
        run.stdout.contains("0 unchanged, 5 moved"),
        "{}",
        run.stdout
    );
    let mut project = Project::open(&path).expect("open");
    assert_eq!(coded_texts(&project), before_texts);
    let codings = project.read().codings().expect("codings");
    assert_eq!(
        codings[0].span.start,
        first_start + paragraph.chars().count()
    );
    // The stored hash is that of the new text.
    let hash = project
        .read()
        .document_hash(document_id(&project, "A"))
        .expect("hash")
        .expect("some");
    assert_eq!(hash, casecode::revise::text_hash(&text_of(&project, "A")));
    undo_restores(&mut project, &before);
}

#[test]
fn the_same_transcript_saved_as_cp932_with_crlf_is_no_change() {
    let sandbox = Sandbox::new();
    let project = coded_project(sandbox.dir.path());
    let path = project.path().to_owned();
    let before = project.read().dump().expect("dump");
    let journal = project.read().journal().expect("journal").len();
    drop(project);
    let crlf = TRANSCRIPT.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&crlf);
    assert!(!unmappable);
    let file = sandbox.write("A_cp932.txt", &bytes);
    let run = sandbox
        .run([
            "revise".as_ref(),
            path.as_os_str(),
            "--doc".as_ref(),
            "A".as_ref(),
            file.as_os_str(),
        ])
        .ok();
    assert!(run.stdout.starts_with("no change"), "{}", run.stdout);
    let project = Project::open(&path).expect("open");
    assert_eq!(project.read().dump().expect("dump"), before);
    assert_eq!(project.read().journal().expect("journal").len(), journal);
}

#[test]
fn a_word_version_with_one_corrected_word_resizes_only_its_coding() {
    let sandbox = Sandbox::new();
    let project = coded_project(sandbox.dir.path());
    let path = project.path().to_owned();
    drop(project);
    let corrected = TRANSCRIPT.replace("資源", "社会資源");
    let paragraphs: String = corrected
        .lines()
        .map(|line| format!("<w:p><w:r><w:t xml:space=\"preserve\">{line}</w:t></w:r></w:p>"))
        .collect();
    let docx = sandbox.write("A.docx", docx_of(&paragraphs));
    let run = sandbox
        .run([
            "revise".as_ref(),
            path.as_os_str(),
            "--doc".as_ref(),
            "A".as_ref(),
            docx.as_os_str(),
        ])
        .ok();
    assert!(
        run.stdout.contains("3 unchanged, 1 moved, 1 resized"),
        "{}",
        run.stdout
    );
    let project = Project::open(&path).expect("open");
    assert_eq!(text_of(&project, "A"), corrected);
    assert_eq!(
        coded_texts(&project),
        pairs(&[
            ("職業", "相談支援専門員をしています。"),
            ("家族支援", "医療的ケア児の家族支援がむずかしいです。"),
            ("家族支援", "夜も眠れないと聞きます。"),
            ("地域資源", "地域の社会資源が足りない"),
            ("地域資源", "山田の地区は特に。"),
        ])
    );
}

#[test]
fn a_deletion_across_a_coding_boundary_clips_it_and_flags_it() {
    let dir = tempfile::tempdir().expect("dir");
    let mut project = coded_project(dir.path());
    let text = text_of(&project, "A");
    // Delete "と聞きます。\nＡ：地域の" : the end of one coding and the start of another.
    let cut = "と聞きます。\nＡ：地域の";
    let start = text[..text.find(cut).expect("cut")].chars().count();
    let id = document_id(&project, "A");
    project
        .execute(Command::ReviseDocument {
            document_id: id,
            edits: vec![TextEdit {
                start,
                end: start + cut.chars().count(),
                text: String::new(),
            }],
            utterances: None,
        })
        .expect("revise");
    assert_eq!(
        coded_texts(&project),
        pairs(&[
            ("職業", "相談支援専門員をしています。"),
            ("家族支援", "医療的ケア児の家族支援がむずかしいです。"),
            ("家族支援", "夜も眠れない"),
            ("地域資源", "資源が足りない"),
            ("地域資源", "山田の地区は特に。"),
        ])
    );
    let mut reviews: Vec<String> = project
        .read()
        .coding_reviews()
        .expect("reviews")
        .into_iter()
        .map(|review| review.old_text)
        .collect();
    reviews.sort();
    assert_eq!(
        reviews,
        vec!["地域の資源が足りない", "夜も眠れないと聞きます。"]
    );
}

/// A minimal Word package with the given body.
fn docx_of(body: &str) -> Vec<u8> {
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document.xml"/></Relationships>"#;
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in [
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ] {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        writer.write_all(bytes).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

#[test]
fn a_qdpx_of_an_older_version_is_named_a_revised_document_not_the_same_one() {
    let sandbox = Sandbox::new();
    let project = coded_project(sandbox.dir.path());
    let path = project.path().to_owned();
    drop(project);
    let exported = sandbox.path("before.qdpx");
    sandbox
        .run([
            "export".as_ref(),
            path.as_os_str(),
            "--qdpx".as_ref(),
            exported.as_os_str(),
        ])
        .ok();
    sandbox
        .run([
            "replace".as_ref(),
            path.as_os_str(),
            "--find".as_ref(),
            "山田".as_ref(),
            "--with".as_ref(),
            "○○".as_ref(),
        ])
        .ok();
    let run = sandbox.run([
        "import-qdpx".as_ref(),
        exported.as_os_str(),
        path.as_os_str(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("is already in the project as 'A' with another text (a revised version)"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_revisions_are_refused_with_the_problem_named_and_change_nothing() {
    let sandbox = Sandbox::new();
    let project = coded_project(sandbox.dir.path());
    let path = project.path().to_owned();
    let before = project.read().dump().expect("dump");
    drop(project);
    let p = path.as_os_str();
    let past_end = sandbox.run([
        "edit".as_ref(),
        p,
        "--doc".as_ref(),
        "A".as_ref(),
        "--start".as_ref(),
        "5".as_ref(),
        "--end".as_ref(),
        "9999".as_ref(),
        "--text".as_ref(),
        "x".as_ref(),
    ]);
    assert_eq!(past_end.code, 2);
    assert!(
        past_end.stderr.contains("is not a span of A"),
        "{}",
        past_end.stderr
    );
    let missing = sandbox.path("nowhere.txt");
    let no_file = sandbox.run([
        "revise".as_ref(),
        p,
        "--doc".as_ref(),
        "A".as_ref(),
        missing.as_os_str(),
    ]);
    assert_eq!(no_file.code, 2);
    assert!(no_file.stderr.contains("nowhere.txt"), "{}", no_file.stderr);
    let no_orphan = sandbox.run([
        "orphans".as_ref(),
        p,
        "reattach".as_ref(),
        "7".as_ref(),
        "--start".as_ref(),
        "0".as_ref(),
        "--end".as_ref(),
        "3".as_ref(),
    ]);
    assert_eq!(no_orphan.code, 2);
    assert!(
        no_orphan.stderr.contains("no orphan with id 7"),
        "{}",
        no_orphan.stderr
    );
    let nowhere = sandbox.run([
        "replace".as_ref(),
        p,
        "--find".as_ref(),
        "佐藤".as_ref(),
        "--with".as_ref(),
        "○○".as_ref(),
    ]);
    assert_eq!(nowhere.code, 2);
    assert!(
        nowhere.stderr.contains("'佐藤' occurs in no document"),
        "{}",
        nowhere.stderr
    );
    // A dry run prints what would happen and changes nothing.
    let corrected = sandbox.write("A2.txt", TRANSCRIPT.replace("夜も眠れないと聞きます。", ""));
    let dry = sandbox
        .run([
            "revise".as_ref(),
            p,
            "--doc".as_ref(),
            "A".as_ref(),
            corrected.as_os_str(),
            "--dry-run".as_ref(),
        ])
        .ok();
    assert!(
        dry.stdout
            .contains("orphaned: 本文が削除された: 「夜も眠れないと聞きます。」 → (orphan)"),
        "{}",
        dry.stdout
    );
    assert_eq!(
        Project::open(&path)
            .expect("open")
            .read()
            .dump()
            .expect("dump"),
        before
    );
}

#[test]
fn every_document_carries_the_sha256_of_its_text_also_in_projects_from_before_schema_7() {
    let dir = tempfile::tempdir().expect("dir");
    let project = coded_project(dir.path());
    let id = document_id(&project, "A");
    let hash = project
        .read()
        .document_hash(id)
        .expect("hash")
        .expect("some");
    // SHA-256 of the UTF-8 text, 64 hex digits.
    assert_eq!(hash, casecode::revise::text_hash(TRANSCRIPT));
    assert_eq!(hash.len(), 64);
    assert_eq!(
        casecode::revise::text_hash(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let path = project.path().to_owned();
    drop(project);
    // A project written before schema 7 has no hash: upgrading it fills it in.
    let connection = rusqlite::Connection::open(&path).expect("sqlite");
    connection
        .execute_batch(common::DROP_TABLES_AFTER_CODERS)
        .expect("back to schema 6");
    connection
        .execute_batch("PRAGMA user_version = 6;")
        .expect("back to schema 6");
    drop(connection);
    let project = Project::open(&path).expect("open");
    assert_eq!(project.read().document_hash(id).expect("hash"), Some(hash));
}
