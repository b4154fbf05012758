//! REFI-QDA exchange as a researcher meets it: a study goes to another QDA tool as a .qdpx and
//! comes back unchanged, byte for byte; a codebook travels alone as a .qdc; an oversized archive
//! is refused. (Files written by other tools and hostile files: `tests/qdpx_import.rs`.)

mod common;
mod qdpx_support;

use std::io::Write;
use std::path::Path;

use common::{Sandbox, list, snapshot};
use qdpx_support::{CODEBOOK_XSD, PROJECT_XSD, assert_valid, import_qdpx, unzip};
use serde_json::json;

/// `list WHAT --json` without what differs by design between two projects: row ids, parent ids,
/// and where a document was read from.
fn comparable(sandbox: &Sandbox, project: &Path, what: &str) -> Vec<serde_json::Value> {
    let serde_json::Value::Array(rows) = list(sandbox, project, what) else {
        panic!("not a list");
    };
    let mut rows: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|mut row| {
            if let Some(object) = row.as_object_mut() {
                // Where a document came from (file, encoding, format) is not the study's
                // content: an imported .qdpx is the source of the copy.
                for key in ["id", "parent", "source", "encoding", "metadata"] {
                    object.remove(key);
                }
            }
            row
        })
        .collect();
    rows.sort_by_key(|row| row.to_string());
    rows
}

#[test]
fn a_study_goes_to_qdpx_and_back_with_every_code_case_document_coding_memo_and_summary() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let codings = list(&sandbox, &project, "codings");
    let first = &codings[0];
    let (case, code_path) = (
        first["case"].as_str().expect("test setup"),
        first["code_path"].as_str().expect("test setup"),
    );
    let first_id = first["id"].to_string();
    let second_id = codings[1]["id"].to_string();
    for args in [
        vec![
            "codes",
            "P",
            "edit",
            code_path,
            "--memo",
            "境界事例に注意 <&> \"引用\"",
        ],
        vec!["memo", "P", "--coding", &first_id, "--text", "二行の\nメモ"],
        vec!["flag", "P", "--coding", &second_id, "--exemplar"],
        vec![
            "summary",
            "P",
            "set",
            "--case",
            case,
            "--code",
            code_path,
            "--text",
            "退院前から関わる",
            "--segments",
            &first_id,
        ],
    ] {
        let args: Vec<&std::ffi::OsStr> = args
            .iter()
            .map(|arg| {
                if *arg == "P" {
                    project.as_os_str()
                } else {
                    arg.as_ref()
                }
            })
            .collect();
        sandbox.run(args).ok();
    }

    let exported = sandbox.path("study.qdpx");
    let codebook = sandbox.path("study.qdc");
    let run = sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdpx".as_ref(),
            exported.as_os_str(),
            "--qdc".as_ref(),
            codebook.as_os_str(),
        ])
        .ok();
    assert_eq!(
        run.stdout,
        format!(
            "wrote {} (10 sources)\nwrote {} (63 codes)\n",
            exported.display(),
            codebook.display()
        )
    );
    let entries = unzip(&exported);
    assert_eq!(entries[0].0, "project.qde");
    assert_eq!(entries.len(), 11, "project.qde and one source per document");
    assert!(
        entries[1..]
            .iter()
            .all(|(name, bytes)| name.starts_with("sources/")
                && name.ends_with(".txt")
                && !bytes.starts_with(b"\xEF\xBB\xBF")
                && !bytes.contains(&b'\r'))
    );
    let qde = sandbox.write("exported/project.qde", &entries[0].1);
    assert_valid(PROJECT_XSD, &qde);
    assert_valid(CODEBOOK_XSD, &codebook);
    let xml = String::from_utf8(entries[0].1.clone()).expect("test setup");
    assert!(
        xml.contains("境界事例に注意 &lt;&amp;&gt; \"引用\""),
        "memo escaped as text"
    );
    assert!(xml.contains("<Note guid=") && xml.contains("name=\"要約の事例\""));

    // A second export of the same project is byte-identical (GUIDs stored or derived, no clock).
    let again = sandbox.path("again.qdpx");
    sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdpx".as_ref(),
            again.as_os_str(),
        ])
        .ok();
    assert_eq!(
        std::fs::read(&exported).expect("test setup"),
        std::fs::read(&again).expect("test setup")
    );

    // Into a new project (same file name, so the Project name matches), then out again.
    std::fs::create_dir(sandbox.path("back")).expect("test setup");
    let back = sandbox.new_project("back/study.casecode");
    let run = import_qdpx(&sandbox, &exported, &back).ok();
    assert_eq!(
        run.stdout,
        "REFI-QDA の取り込み（10 文書, 63 コード, 441 コーディング）: 10 文書, 10 事例, 63 コード, 441 コーディング, 1 要約\n"
    );
    assert_eq!(run.stderr, "", "a casecode export imports without warnings");
    for what in ["documents", "cases", "codes", "codings"] {
        assert_eq!(
            comparable(&sandbox, &project, what),
            comparable(&sandbox, &back, what),
            "{what}"
        );
    }
    for document in list(&sandbox, &project, "documents")
        .as_array()
        .expect("test setup")
    {
        let name = document["name"].as_str().expect("test setup");
        let text = |p: &Path| {
            sandbox
                .run([
                    "text".as_ref(),
                    p.as_os_str(),
                    "--doc".as_ref(),
                    name.as_ref(),
                ])
                .ok()
                .stdout
        };
        assert_eq!(text(&project), text(&back), "text of {name}");
    }
    // Summaries by case name and code path, with their author, time and linked segment texts.
    let summaries = |p: &Path| {
        let matrix = sandbox
            .run([
                "matrix".as_ref(),
                p.as_os_str(),
                "--cell".as_ref(),
                "summary".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
            ])
            .ok()
            .json();
        let texts: std::collections::BTreeMap<i64, serde_json::Value> =
            list(&sandbox, p, "codings")
                .as_array()
                .expect("test setup")
                .iter()
                .map(|c| (c["id"].as_i64().expect("test setup"), c["text"].clone()))
                .collect();
        let mut found = Vec::new();
        for cell in matrix["cells"].as_array().expect("test setup") {
            let summary = &cell["summary"];
            if summary.is_null() {
                continue;
            }
            let row = cell["row"].as_u64().expect("test setup") as usize;
            let column = cell["column"].as_u64().expect("test setup") as usize;
            let linked: Vec<_> = summary["segment_ids"]
                .as_array()
                .expect("test setup")
                .iter()
                .map(|id| texts[&id.as_i64().expect("test setup")].clone())
                .collect();
            found.push(json!([
                matrix["rows"][row]["name"],
                matrix["columns"][column]["path"],
                summary["text"],
                summary["author"],
                summary["updated_at"],
                linked
            ]));
        }
        found
    };
    let original = summaries(&project);
    assert_eq!(original.len(), 1);
    assert_eq!(original[0][0], json!(case));
    assert_eq!(original[0][2], json!("退院前から関わる"));
    assert_eq!(summaries(&back), original);
    let reexported = sandbox.path("back/study.qdpx");
    sandbox
        .run([
            "export".as_ref(),
            back.as_os_str(),
            "--qdpx".as_ref(),
            reexported.as_os_str(),
        ])
        .ok();
    assert_eq!(
        without_note_and_project_times(
            &String::from_utf8(unzip(&reexported)[0].1.clone()).expect("test setup")
        ),
        without_note_and_project_times(&xml),
        "project.qde survives the round trip unchanged but for when the project and its memos \
         were made: casecode keeps no time of a memo but its journal's, and the copy's journal \
         begins with the import"
    );

    // The import is one undoable command.
    let run = sandbox.run(["undo".as_ref(), back.as_os_str()]).ok();
    assert!(run.stdout.contains("REFI-QDA の取り込み"), "{}", run.stdout);
    assert_eq!(list(&sandbox, &back, "documents"), json!([]));
    assert_eq!(list(&sandbox, &back, "codes"), json!([]));
    assert_eq!(list(&sandbox, &back, "cases"), json!([]));
}

/// The XML without the users and times of the Project and its Notes.
fn without_note_and_project_times(xml: &str) -> String {
    xml.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if !(trimmed.starts_with("<Project ") || trimmed.starts_with("<Note ")) {
                return line.to_owned();
            }
            let mut kept = line.to_owned();
            for attribute in [
                "creatingUserGUID",
                "modifyingUserGUID",
                "creatingUser",
                "modifyingUser",
                "creationDateTime",
                "modifiedDateTime",
            ] {
                let key = format!(" {attribute}=\"");
                if let Some(start) = kept.find(&key) {
                    let value_end = kept[start + key.len()..].find('"').expect("quoted");
                    kept.replace_range(start..start + key.len() + value_end + 1, "");
                }
            }
            kept
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn importing_the_same_qdpx_twice_is_refused_and_changes_nothing() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let exported = sandbox.path("study.qdpx");
    sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdpx".as_ref(),
            exported.as_os_str(),
        ])
        .ok();
    let before = snapshot(&sandbox, &project);
    let run = import_qdpx(&sandbox, &exported, &project);
    assert_eq!(run.code, 2);
    let first_source = list(&sandbox, &project, "documents")[0]["name"]
        .as_str()
        .expect("test setup")
        .to_owned();
    assert!(
        run.stderr.starts_with(&format!(
            "casecode: {}: source '{first_source}' (",
            exported.display()
        )) && run
            .stderr
            .ends_with(
                ") is already in the project with the same text; casecode does not import a document twice\n"
            ),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&sandbox, &project), before);
}

#[test]
fn a_qdc_codebook_brings_codes_and_roles_and_merges_by_guid_when_imported_again() {
    let sandbox = Sandbox::new();
    let project = sandbox.sample_project();
    let codebook = sandbox.path("study.qdc");
    sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdc".as_ref(),
            codebook.as_os_str(),
        ])
        .ok();
    let fresh = sandbox.new_project("fresh.casecode");
    let run = import_qdpx(&sandbox, &codebook, &fresh).ok();
    assert_eq!(
        run.stdout,
        "REFI-QDA の取り込み（0 文書, 63 コード, 0 コーディング）: 0 文書, 0 事例, 63 コード, 0 コーディング, 0 要約\n"
    );
    let codes = |p: &Path| {
        comparable(&sandbox, p, "codes")
            .into_iter()
            .map(|mut code| {
                code.as_object_mut().expect("test setup").remove("segments");
                code.as_object_mut().expect("test setup").remove("memo");
                code
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&fresh),
        codes(&project),
        "paths, colours, definitions and roles"
    );
    import_qdpx(&sandbox, &codebook, &fresh).ok();
    assert_eq!(
        codes(&fresh),
        codes(&project),
        "the same GUIDs are the same codes: nothing doubles"
    );
}

/// An entry that inflates past 256 MiB is refused by the bytes that come out, whatever its
/// header claims.
#[test]
fn an_oversized_entry_is_refused() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("study.casecode");
    let before = snapshot(&sandbox, &project);
    let path = sandbox.path("huge.qdpx");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).expect("test setup"));
    let options = zip::write::SimpleFileOptions::default().large_file(true);
    writer
        .start_file("project.qde", options)
        .expect("test setup");
    let block = vec![b' '; 1 << 20];
    for _ in 0..257 {
        writer.write_all(&block).expect("test setup");
    }
    writer.finish().expect("test setup");
    let run = import_qdpx(&sandbox, &path, &project);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "casecode: {}: entry 'project.qde' expands past the limit of 268435456 bytes; refusing it\n",
            path.display()
        )
    );
    assert_eq!(snapshot(&sandbox, &project), before);
}

/// A new project (only the default role frame) still exports a valid .qdpx with no empty
/// container, but no .qdc: a codebook needs a code.
#[test]
fn an_empty_project_exports_a_valid_qdpx_and_refuses_an_empty_qdc() {
    let sandbox = Sandbox::new();
    let project = sandbox.new_project("empty.casecode");
    let out = sandbox.path("empty.qdpx");
    let run = sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdpx".as_ref(),
            out.as_os_str(),
        ])
        .ok();
    assert_eq!(run.stdout, format!("wrote {} (0 sources)\n", out.display()));
    let entries = unzip(&out);
    assert_eq!(entries.len(), 1);
    let created = casecode::project::Project::open(&project)
        .expect("open")
        .read()
        .meta("created_at")
        .expect("meta")
        .expect("a creation time");
    let tester = casecode::export::qdpx::guids::user("tester");
    assert_eq!(
        String::from_utf8(entries[0].1.clone()).expect("UTF-8"),
        [
            r#"<?xml version="1.0" encoding="utf-8"?>"#,
            format!(
                r#"<Project xmlns="urn:QDA-XML:project:1.0" name="empty" origin="casecode 0.1.0" creatingUserGUID="{tester}" creationDateTime="{created}">"#
            )
            .as_str(),
            r#"  <Users>"#,
            format!(r#"    <User guid="{tester}" name="tester"/>"#).as_str(),
            r#"  </Users>"#,
            r#"  <Sets>"#,
            r#"    <Set guid="894472c3-ae14-55a5-8486-6f3040eef46e" name="発達支援">"#,
            r#"      <Description>役割フレーム: コーディネーターの役割</Description>"#,
            r#"    </Set>"#,
            r#"    <Set guid="431eec0d-289b-5359-9aa1-7e67dd27bec1" name="家族支援">"#,
            r#"      <Description>役割フレーム: コーディネーターの役割</Description>"#,
            r#"    </Set>"#,
            r#"    <Set guid="7cb7297f-5b8c-52a2-92ad-0dfa2ac161cc" name="地域支援">"#,
            r#"      <Description>役割フレーム: コーディネーターの役割</Description>"#,
            r#"    </Set>"#,
            r#"  </Sets>"#,
            r#"</Project>"#,
        ]
        .join("\n"),
        "the exporting user, the project's creation and the default role frame's roles, as Sets \
         without members"
    );
    assert_valid(
        PROJECT_XSD,
        &sandbox.write("empty/project.qde", &entries[0].1),
    );
    let qdc = sandbox.path("empty.qdc");
    let run = sandbox.run([
        "export".as_ref(),
        project.as_os_str(),
        "--qdc".as_ref(),
        qdc.as_os_str(),
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "casecode: exporting {0}: {0}: the project has no codes, and a .qdc codebook needs at least one\n",
            qdc.display()
        )
    );
    assert!(!qdc.exists());
}
