//! Our `.qdpx` as other QDA programs read it. QualCoder takes a coding's coder from its
//! selection's `creatingUser`, keeps one coding per (code, document, span, coder) and stops its
//! whole import at a Note without a date; NVivo and MAXQDA read users and dates from the same
//! attributes. So every element whose schema type carries `creatingUser`/`creationDateTime`
//! must have them, each selection must hold one coder's codings, and the file must come back
//! into casecode row for row.

mod common;
mod qdpx_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use casecode::import::qdpx::{Element, parse_xml};
use casecode::project::Project;
use common::{Sandbox, list};
use qdpx_support::{CODEBOOK_XSD, PROJECT_XSD, assert_valid, import_qdpx, unzip};

/// The sample study with one memo of every kind, a summary and an exemplar, exported.
fn annotated_sample(sandbox: &Sandbox) -> (PathBuf, PathBuf) {
    let project = sandbox.sample_project();
    let codings = list(sandbox, &project, "codings");
    let first = &codings[0];
    let (case, document, code_path) = (
        first["case"].as_str().expect("test setup"),
        first["document"].as_str().expect("test setup"),
        first["code_path"].as_str().expect("test setup"),
    );
    let (first_id, second_id) = (first["id"].to_string(), codings[1]["id"].to_string());
    let p = project.to_str().expect("test setup");
    for args in [
        vec!["codes", p, "edit", code_path, "--memo", "境界事例に注意"],
        vec!["memo", p, "--coding", &first_id, "--text", "二行の\nメモ"],
        vec![
            "memo",
            p,
            "--document",
            document,
            "--text",
            "聞き取りは二回",
        ],
        vec!["memo", p, "--case", case, "--text", "訪問看護の事例"],
        vec!["memo", p, "--project-memo", "--text", "十事例の\n比較研究"],
        vec!["flag", p, "--coding", &second_id, "--exemplar"],
        vec![
            "summary",
            p,
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
        sandbox.run(args).ok();
    }
    let exported = sandbox.path("study.qdpx");
    let codebook = sandbox.path("study.qdc");
    sandbox
        .run([
            "export".as_ref(),
            project.as_os_str(),
            "--qdpx".as_ref(),
            exported.as_os_str(),
            "--qdc".as_ref(),
            codebook.as_os_str(),
        ])
        .ok();
    assert_valid(CODEBOOK_XSD, &codebook);
    (project, exported)
}

fn project_qde(sandbox: &Sandbox, exported: &Path) -> Element {
    let entries = unzip(exported);
    let qde = sandbox.write("exported/project.qde", &entries[0].1);
    assert_valid(PROJECT_XSD, &qde);
    parse_xml(
        "project.qde",
        std::str::from_utf8(&entries[0].1).expect("UTF-8"),
    )
    .expect("XML")
}

fn walk<'a>(element: &'a Element, out: &mut Vec<&'a Element>) {
    out.push(element);
    for child in &element.children {
        walk(child, out);
    }
}

fn is_date_time(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 20
        && value.ends_with('Z')
        && [4, 7].iter().all(|&i| b[i] == b'-')
        && b[10] == b'T'
        && [13, 16].iter().all(|&i| b[i] == b':')
}

#[test]
fn every_source_selection_coding_and_note_names_its_user_and_date_and_each_selection_one_coder() {
    let sandbox = Sandbox::new();
    let (project, exported) = annotated_sample(&sandbox);
    let root = project_qde(&sandbox, &exported);
    let users: BTreeMap<&str, &str> = root
        .child("Users")
        .expect("Users")
        .children_named("User")
        .map(|u| {
            (
                u.attribute("guid").expect("test setup"),
                u.attribute("name").expect("test setup"),
            )
        })
        .collect();
    assert!(users.values().any(|n| *n == "山田") && users.values().any(|n| *n == "鈴木"));

    // The Project: who created it when (and who changed it last when, unless that is the same).
    let creator = root
        .attribute("creatingUserGUID")
        .expect("creatingUserGUID");
    assert!(users.contains_key(creator), "the creator is a User");
    let created = root
        .attribute("creationDateTime")
        .expect("creationDateTime");
    assert!(is_date_time(created), "{created}");
    match (
        root.attribute("modifyingUserGUID"),
        root.attribute("modifiedDateTime"),
    ) {
        (None, None) => {}
        (Some(user), Some(modified)) => {
            assert!(users.contains_key(user) && is_date_time(modified) && modified >= created);
        }
        other => panic!("the project's modifying user and time come together: {other:?}"),
    }

    let mut elements = Vec::new();
    walk(&root, &mut elements);
    let mut counted: BTreeMap<&str, usize> = BTreeMap::new();
    for element in &elements {
        let name = element.name.as_str();
        if !["TextSource", "PlainTextSelection", "Coding", "Note"].contains(&name) {
            continue;
        }
        *counted.entry(name).or_default() += 1;
        let what = format!("{name} {}", element.attribute("guid").unwrap_or("?"));
        let user = element.attribute("creatingUser").expect(&what);
        assert!(
            users.contains_key(user),
            "{what}: creatingUser {user} is a User"
        );
        let created = element.attribute("creationDateTime").expect(&what);
        assert!(is_date_time(created), "{what}: {created}");
        match (
            element.attribute("modifyingUser"),
            element.attribute("modifiedDateTime"),
        ) {
            (None, None) => {}
            (Some(user), Some(modified)) => {
                assert!(users.contains_key(user), "{what}: modifyingUser");
                assert!(is_date_time(modified) && modified >= created, "{what}");
            }
            other => panic!("{what}: modifying user and time come together: {other:?}"),
        }
    }
    assert_eq!(counted["TextSource"], 10);
    assert_eq!(counted["Coding"], 441);
    // A note per memo of a code, document or coding, per 要約, and the one exemplar note.
    let stored = Project::open(&project).expect("open");
    let reader = stored.read();
    let memos = reader
        .codes()
        .expect("test setup")
        .iter()
        .filter(|c| !c.memo.is_empty())
        .count()
        + (reader.document_infos().expect("test setup").iter())
            .filter(|d| !d.memo.is_empty())
            .count()
        + (reader.codings().expect("test setup").iter())
            .filter(|c| !c.memo.is_empty())
            .count();
    assert_eq!(
        counted["Note"],
        memos + reader.summaries().expect("test setup").len() + 1
    );
    // Each note keeps its link: a code, source or coding refers to it (NoteRef), and a 要約 also
    // links to its case; every NoteRef and Link ends at something in the file.
    let notes: BTreeSet<&str> = (root.child("Notes").expect("Notes").children_named("Note"))
        .filter_map(|note| note.attribute("guid"))
        .collect();
    let mut referred: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for element in &elements {
        for note_ref in element.children_named("NoteRef") {
            let target = note_ref.attribute("targetGUID").expect("targetGUID");
            assert!(notes.contains(target), "NoteRef to a Note");
            referred
                .entry(target)
                .or_default()
                .insert(element.name.as_str());
        }
    }
    assert_eq!(referred.keys().copied().collect::<BTreeSet<_>>(), notes);
    let owners: BTreeSet<&str> = referred.values().flatten().copied().collect();
    assert_eq!(owners, BTreeSet::from(["Code", "Coding", "TextSource"]));
    let guids: BTreeMap<&str, &str> = (elements.iter())
        .filter_map(|e| Some((e.attribute("guid")?, e.name.as_str())))
        .collect();
    let links: Vec<(&str, &str)> = (root.child("Links").expect("Links").children_named("Link"))
        .map(|link| {
            let end = |key| guids[link.attribute(key).expect("link end")];
            (end("originGUID"), end("targetGUID"))
        })
        .collect();
    assert_eq!(links, [("Note", "Case"), ("Note", "Coding")]);

    // One coder per selection: its codings are all that coder's, and a (span, coder) pair has
    // one selection unless the coder's codings there carry different memos.
    let mut selections: BTreeMap<(String, String, String, String), Vec<Option<String>>> =
        BTreeMap::new();
    let mut coders_per_span: BTreeMap<(String, String, String), BTreeSet<&str>> = BTreeMap::new();
    for source in root
        .child("Sources")
        .expect("test setup")
        .children_named("TextSource")
    {
        let source_guid = source.attribute("guid").expect("test setup").to_owned();
        for selection in source.children_named("PlainTextSelection") {
            let coder = selection.attribute("creatingUser").expect("test setup");
            for coding in selection.children_named("Coding") {
                assert_eq!(
                    coding.attribute("creatingUser"),
                    Some(coder),
                    "a selection holds one coder's codings"
                );
            }
            let span = (
                source_guid.clone(),
                selection
                    .attribute("startPosition")
                    .expect("test setup")
                    .to_owned(),
                selection
                    .attribute("endPosition")
                    .expect("test setup")
                    .to_owned(),
            );
            coders_per_span
                .entry(span.clone())
                .or_default()
                .insert(coder);
            selections
                .entry((span.0, span.1, span.2, coder.to_owned()))
                .or_default()
                .push(selection.child_text("Description").map(str::to_owned));
        }
    }
    for (key, memos) in &selections {
        let distinct: BTreeSet<_> = memos.iter().collect();
        assert_eq!(
            distinct.len(),
            memos.len(),
            "{key:?}: one selection per memo"
        );
    }
    // Exactly the (span, coder) pairs casecode holds; 62 of them share code and span with the
    // other coder, the codings QualCoder dropped when both coders were in one selection.
    let documents: BTreeMap<_, _> = (reader.document_infos().expect("test setup").into_iter())
        .map(|d| (d.id, d.guid))
        .collect();
    let codings = reader.codings().expect("test setup");
    let pairs: BTreeSet<(String, String, String, String)> = codings
        .iter()
        .map(|c| {
            (
                documents[&c.document_id].clone(),
                c.span.start.to_string(),
                c.span.end.to_string(),
                c.coder.clone(),
            )
        })
        .collect();
    let exported: BTreeSet<(String, String, String, String)> = selections
        .keys()
        .map(|(d, s, e, user)| {
            (
                d.clone(),
                s.clone(),
                e.clone(),
                users[user.as_str()].to_owned(),
            )
        })
        .collect();
    assert_eq!(exported, pairs);
    let mut by_code_and_span: BTreeMap<_, BTreeSet<&str>> = BTreeMap::new();
    for c in &codings {
        by_code_and_span
            .entry((c.document_id, c.code_id, c.span.start, c.span.end))
            .or_default()
            .insert(c.coder.as_str());
    }
    assert_eq!(
        by_code_and_span.values().filter(|c| c.len() == 2).count(),
        62
    );
    assert!(coders_per_span.values().any(|coders| coders.len() == 2));
}

/// What casecode holds, keyed by GUIDs and names (not row ids), one line per row.
fn dump(path: &Path) -> Vec<String> {
    let project = Project::open(path).expect("open");
    let reader = project.read();
    let tree = project.code_tree().expect("codes");
    let cases: BTreeMap<_, _> = reader
        .cases()
        .expect("test setup")
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let attributes: BTreeMap<_, _> = reader
        .attributes()
        .expect("test setup")
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let codings = reader.codings().expect("test setup");
    let coding_guids: BTreeMap<_, _> = codings.iter().map(|c| (c.id, c.guid.clone())).collect();
    let mut lines = vec![format!(
        "project memo={:?}",
        reader
            .memo(casecode::model::MemoTarget::Project)
            .expect("test setup")
            .unwrap_or_default()
    )];
    let coders: BTreeSet<&str> = codings.iter().map(|c| c.coder.as_str()).collect();
    lines.push(format!("coders {coders:?}"));
    for code_id in tree.walk() {
        let code = tree.get(code_id).expect("test setup");
        lines.push(format!(
            "code {} {} {:?} {:?} memo={:?}",
            code.guid,
            tree.path_string(code_id),
            code.definition,
            code.color,
            code.memo
        ));
    }
    for case in cases.values() {
        lines.push(format!(
            "case {} {} memo={:?}",
            case.guid, case.name, case.memo
        ));
    }
    for attribute in attributes.values() {
        lines.push(format!(
            "attribute {} {} {:?}",
            attribute.guid, attribute.name, attribute.kind
        ));
    }
    for value in reader.attribute_values().expect("test setup") {
        lines.push(format!(
            "value {} {} {:?}",
            cases[&value.case_id].name, attributes[&value.attribute_id].name, value.value
        ));
    }
    let mut documents = BTreeMap::new();
    for info in reader.document_infos().expect("test setup") {
        let document = reader
            .document(info.id)
            .expect("test setup")
            .expect("test setup");
        lines.push(format!(
            "document {} {} case={} memo={:?} imported={} text={:?}",
            info.guid,
            info.name,
            cases[&info.case_id].name,
            info.memo,
            info.imported_at,
            document.text
        ));
        documents.insert(info.id, info.name.clone());
    }
    for coding in &codings {
        lines.push(format!(
            "coding {} {} [{}, {}) {} by {} at {} exemplar={} memo={:?}",
            coding.guid,
            documents[&coding.document_id],
            coding.span.start,
            coding.span.end,
            tree.path_string(coding.code_id),
            coding.coder,
            coding.created_at,
            coding.exemplar,
            coding.memo
        ));
    }
    let segments = reader.summary_segments().expect("test setup");
    for summary in reader.summaries().expect("test setup") {
        let linked: BTreeSet<&String> = segments
            .iter()
            .filter(|s| s.summary_id == summary.id)
            .map(|s| &coding_guids[&s.coding_id])
            .collect();
        lines.push(format!(
            "summary {} {} × {} {:?} by {} at {} segments={linked:?}",
            summary.guid,
            cases[&summary.case_id].name,
            tree.path_string(summary.code_id),
            summary.text,
            summary.author,
            summary.updated_at
        ));
    }
    lines.sort();
    lines
}

#[test]
fn our_export_imported_back_matches_the_original_row_for_row() {
    let sandbox = Sandbox::new();
    let (project, exported) = annotated_sample(&sandbox);
    std::fs::create_dir(sandbox.path("back")).expect("test setup");
    let back = sandbox.new_project("back/study.casecode");
    let run = import_qdpx(&sandbox, &exported, &back).ok();
    assert_eq!(run.stderr, "", "a casecode export imports without warnings");
    let (original, copy) = (dump(&project), dump(&back));
    assert!(original.len() > 441 + 63 + 10 + 10, "{}", original.len());
    for (line, expected) in [
        ("coders", "coders {\"山田\", \"鈴木\"}"),
        ("memo=\"二行の\\nメモ\"", "a coding memo"),
        ("memo=\"聞き取りは二回\"", "a document memo"),
        ("memo=\"訪問看護の事例\"", "a case memo"),
        ("memo=\"境界事例に注意\"", "a code memo"),
        ("project memo=\"十事例の\\n比較研究\"", "the project memo"),
        ("exemplar=true", "an exemplar"),
        ("\"退院前から関わる\" by tester", "a summary"),
    ] {
        assert!(
            original.iter().any(|l| l.contains(line)),
            "the original has {expected}"
        );
    }
    let missing: Vec<_> = original.iter().filter(|l| !copy.contains(l)).collect();
    let added: Vec<_> = copy.iter().filter(|l| !original.contains(l)).collect();
    assert!(
        missing.is_empty() && added.is_empty(),
        "lost: {missing:#?}\ngained: {added:#?}"
    );
}

/// QualCoder's import, re-implemented in `scripts/qualcoder_refi_import.py` (see there why).
fn qualcoder_import(file: &Path) -> Option<serde_json::Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/qualcoder_refi_import.py");
    let Ok(output) = std::process::Command::new("python3")
        .arg(&script)
        .arg(file)
        .arg("--rows")
        .output()
    else {
        eprintln!("SKIPPED the QualCoder-style import: python3 is not installed");
        return None;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("JSON"))
}

#[test]
fn qualcoder_takes_every_source_code_case_attribute_memo_and_all_441_codings_with_their_coders() {
    let sandbox = Sandbox::new();
    let (project, exported) = annotated_sample(&sandbox);
    let Some(report) = qualcoder_import(&exported) else {
        return;
    };
    assert_eq!(report["aborted"], serde_json::Value::Null, "{report:#}");
    assert_eq!(report["duplicates_dropped"], 0);
    assert_eq!(report["sources"], 10);
    assert_eq!(report["sources_with_memo"], 1);
    assert_eq!(
        (report["codes"].clone(), report["nested_codes"].clone()),
        (63.into(), 59.into())
    );
    assert_eq!(report["cases"], 10);
    let stored = Project::open(&project).expect("open");
    let cases = stored.read().cases().expect("test setup");
    let with_memo = cases.iter().filter(|case| !case.memo.is_empty()).count();
    assert_eq!(report["cases_with_memo"], with_memo);
    assert_eq!(report["attributes"], 5);
    let values = stored.read().attribute_values().expect("test setup").len();
    assert!(values >= 40, "{values}");
    assert_eq!(report["attribute_values"], values);
    let with_memo = |rows: &serde_json::Value| {
        (rows.as_array().expect("test setup").iter())
            .filter(|row| row["memo"].as_str().is_some_and(|memo| !memo.is_empty()))
            .count()
    };
    let codings = list(&sandbox, &project, "codings");
    assert_eq!(report["codings_with_memo"], with_memo(&codings));
    // Every coding of casecode, with its coder, code, exact text and memo.
    let expected: BTreeSet<String> = codings
        .as_array()
        .expect("test setup")
        .iter()
        .map(|c| {
            let code = c["code_path"]
                .as_str()
                .expect("test setup")
                .rsplit('/')
                .next()
                .expect("test setup");
            serde_json::json!([
                c["coder"],
                c["document"],
                c["start"],
                c["end"],
                code,
                c["text"],
                c["memo"]
            ])
            .to_string()
        })
        .collect();
    let arrived: BTreeSet<String> = report["rows"]
        .as_array()
        .expect("test setup")
        .iter()
        .map(|row| row.to_string())
        .collect();
    assert_eq!(expected.len(), 441);
    assert_eq!(arrived, expected);
}

/// The check can fail: our export before this fix (Notes without dates) stops QualCoder's
/// import in parse_notes, as QualCoder 4.0 did.
#[test]
fn a_note_without_a_date_stops_a_qualcoder_import() {
    let sandbox = Sandbox::new();
    let source = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Sources><TextSource guid="{source}" name="A" plainTextPath="internal://{source}.txt" creationDateTime="2024-08-05T10:00:00Z"/></Sources>
  <Notes><Note guid="7c9e6679-7425-40de-944b-e07fc1f90ae7" name="memo"><PlainTextContent>x</PlainTextContent></Note></Notes>
  <Cases><Case guid="16fd2706-8baf-433b-82eb-8c7fada847da" name="A"/></Cases>
</Project>"#
    );
    let file = qdpx_support::write_zip(
        &sandbox,
        "old.qdpx",
        &[
            ("project.qde", qde.as_bytes()),
            (&format!("sources/{source}.txt"), "語り".as_bytes()),
        ],
    );
    let Some(report) = qualcoder_import(&file) else {
        return;
    };
    assert_eq!(
        report["aborted"],
        "AttributeError: 'NoneType' object has no attribute 'replace'"
    );
    assert_eq!(
        (report["sources"].clone(), report["cases"].clone()),
        (1.into(), 0.into())
    );
}
