//! Benchmark of transcript revisions (issue 14), on the paths a researcher waits for, through
//! the real `casecode` binary (process start, project open, diff, re-anchoring, one
//! transaction):
//! - `casecode revise P --doc D FILE`: a 100,000-character transcript holding 2,000 codings,
//!   re-imported with a dozen corrections (target < 100 ms; the core step alone is printed too);
//! - `casecode edit …`: one correction typed into the same transcript;
//! - `casecode replace P --find 山田 --with ○○`: one name anonymised across 1,000 documents
//!   (target < 5 s).
//!
//! Each figure is the median of several runs (undone in between). Run: `cargo bench --bench
//! revise` (add `-- --small` for a quick run).

// Only the transcript generator is used here.
#[allow(dead_code)]
mod common;

use std::path::Path;
use std::process::Command as Process;
use std::time::Instant;

use casecode::command::{Command, NewCoding};
use casecode::import::txt::{TxtOptions, read_transcript};
use casecode::project::Project;
use casecode::revise::Revision;
use common::{Lcg, transcript};

fn casecode(args: &[&str]) -> f64 {
    let started = Instant::now();
    let output = Process::new(env!("CARGO_BIN_EXE_casecode"))
        .args(args)
        .output()
        .expect("run casecode");
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "casecode {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    seconds
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    let (chars, codings, documents, runs) = if small {
        (20_000, 400, 100, 3)
    } else {
        (100_000, 2_000, 1_000, 7)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut random = Lcg(14);
    println!(
        "casecode revision benchmark: one {chars}-character transcript with {codings} codings; {documents} documents to anonymise"
    );

    // One long transcript with many codings.
    let long = dir.path().join("long.txt");
    let text = transcript(&mut random, chars, 3, 6);
    std::fs::write(&long, &text).expect("write");
    let project_path = dir.path().join("revise.casecode");
    let mut project = Project::create(&project_path).expect("create");
    project
        .execute(Command::ImportDocuments {
            documents: vec![read_transcript(&long, &TxtOptions::default()).expect("read")],
        })
        .expect("import");
    project
        .execute(Command::AddCode {
            parent_id: None,
            name: "[家族支援]".into(),
            definition: String::new(),
            color: None,
            roles: Vec::new(),
        })
        .expect("code");
    let code_id = project.read().codes().expect("codes")[0].id;
    let info = project.document_named("long").expect("document");
    let mut spans = std::collections::BTreeSet::new();
    while spans.len() < codings {
        let start = random.next() % (info.chars - 200);
        spans.insert((start, start + 10 + random.next() % 120));
    }
    let new_codings: Vec<NewCoding> = spans
        .into_iter()
        .enumerate()
        .map(|(index, (start, end))| NewCoding {
            document_id: info.id,
            code_id,
            start,
            end,
            coder: if index % 4 == 0 { "鈴木" } else { "山田" }.into(),
            memo: String::new(),
        })
        .collect();
    project
        .execute(Command::AddCodings {
            codings: new_codings,
        })
        .expect("codings");

    // The corrected version: a dozen corrections spread over the transcript.
    let mut corrected: Vec<char> = text.chars().collect();
    for round in 0..12 {
        let at = (round * 7_919 + 101) % (corrected.len() - 20);
        let replacement: Vec<char> = if round % 3 == 0 {
            Vec::new()
        } else {
            "（聞き取り不能）".chars().collect()
        };
        corrected.splice(at..at + 4, replacement);
    }
    let corrected: String = corrected.into_iter().collect();
    let corrected_file = dir.path().join("long_corrected.txt");
    std::fs::write(&corrected_file, &corrected).expect("write");

    let started = Instant::now();
    let revision = Revision::to_text(&project, info.clone(), &corrected).expect("plan");
    let plan_ms = started.elapsed().as_secs_f64() * 1e3;
    println!("  {}", revision.summary());
    let mut core = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let revision = Revision::to_text(&project, info.clone(), &corrected).expect("plan");
        project.execute(revision.command()).expect("revise");
        core.push(started.elapsed().as_secs_f64() * 1e3);
        project.undo().expect("undo");
    }
    println!(
        "core revision (diff + re-anchor {codings} codings + one transaction): median {:.1} ms (plan alone {plan_ms:.1} ms)",
        median(core)
    );
    drop(project);

    let project_arg = path_str(&project_path);
    let mut cli = Vec::new();
    for _ in 0..runs {
        cli.push(casecode(&[
            "revise",
            project_arg,
            "--doc",
            "long",
            path_str(&corrected_file),
        ]));
        casecode(&["undo", project_arg]);
    }
    println!(
        "casecode revise ({chars} characters, {codings} codings), end to end: median {:.0} ms (target < 100 ms)",
        median(cli) * 1e3
    );
    let mut edit = Vec::new();
    for _ in 0..runs {
        edit.push(casecode(&[
            "edit",
            project_arg,
            "--doc",
            "long",
            "--start",
            "5000",
            "--end",
            "5002",
            "--text",
            "○○",
        ]));
        casecode(&["undo", project_arg]);
    }
    println!(
        "casecode edit (one correction, {codings} codings re-anchored), end to end: median {:.0} ms",
        median(edit) * 1e3
    );

    // A thousand interviews that name the same person.
    let folder = dir.path().join("many");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let mut occurrences = 0;
    for index in 0..documents {
        let mut text = transcript(&mut random, 3_000, 3, 6);
        text.insert_str(text.find('\n').unwrap_or(0), "（山田さん同席）");
        text.push_str("Ａ：山田さんにも相談しました。\n");
        occurrences += 2;
        std::fs::write(folder.join(format!("doc{index:04}.txt")), text).expect("write");
    }
    let many_path = dir.path().join("many.casecode");
    let mut many = Project::create(&many_path).expect("create");
    let collected = casecode::import::txt::collect_transcripts(
        std::slice::from_ref(&folder),
        &TxtOptions::default(),
    )
    .expect("collect");
    many.execute(Command::ImportDocuments {
        documents: collected.documents,
    })
    .expect("import");
    drop(many);
    let many_arg = path_str(&many_path);
    let mut replace = Vec::new();
    for _ in 0..3 {
        replace.push(casecode(&[
            "replace", many_arg, "--find", "山田", "--with", "○○",
        ]));
        casecode(&["undo", many_arg]);
    }
    println!(
        "casecode replace 山田 → ○○ ({occurrences} occurrences in {documents} documents), end to end: median {:.2} s (target < 5 s)",
        median(replace)
    );
}
