//! Benchmark of the core (issue: foundation). Generates a project of 1,000 transcripts (≈30 MB
//! of Japanese text), 500 codes and 100,000 codings, and prints: import throughput, project
//! open time, `list codings --json` time, one coding command, file size, peak memory.
//! Run: `cargo bench --bench core` (add `-- --small` for a quick run).

mod common;

use std::path::Path;
use std::time::Instant;

use casecode::codebook::{CodeSpec, Codebook};
use casecode::command::{Command, NewCoding};
use casecode::import::txt::{TxtOptions, collect_transcripts};
use casecode::listing;
use casecode::project::Project;
use common::{Lcg, write_transcripts};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    let (documents, chars_per_document, codes, codings) = if small {
        (100, 10_000, 100, 10_000)
    } else {
        (1_000, 10_000, 500, 100_000)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("transcripts");
    let mut random = Lcg(42);
    let bytes = write_transcripts(&folder, &mut random, documents, chars_per_document, (3, 6));
    let project_path = dir.path().join("bench.casecode");
    println!(
        "casecode core benchmark: {documents} documents, {:.1} MB of text, {codes} codes, {codings} codings",
        bytes as f64 / 1e6
    );

    let started = Instant::now();
    let mut project = Project::create(&project_path).expect("create");
    let collected = collect_transcripts(std::slice::from_ref(&folder), &TxtOptions::default())
        .expect("collect");
    project
        .execute(Command::ImportDocuments {
            documents: collected.documents,
        })
        .expect("import");
    let import = started.elapsed().as_secs_f64();
    println!(
        "import (read, decode, speakers, store): {import:.2} s = {:.1} MB/s (target ≥ 20 MB/s)",
        bytes as f64 / 1e6 / import
    );

    let codebook = Codebook {
        frames: Vec::new(),
        codes: (0..4)
            .map(|category| CodeSpec {
                name: format!("カテゴリー{category}"),
                children: (0..codes / 4)
                    .map(|code| CodeSpec {
                        name: format!("[焦点コード{category}-{code}]"),
                        roles: vec!["家族支援".into()],
                        ..CodeSpec::default()
                    })
                    .collect(),
                ..CodeSpec::default()
            })
            .collect(),
    };
    project
        .execute(Command::ImportCodebook { codebook })
        .expect("codebook");
    let leaves: Vec<_> = project
        .read()
        .codes()
        .expect("codes")
        .into_iter()
        .filter(|c| c.parent_id.is_some())
        .map(|c| c.id)
        .collect();
    let infos = project.read().document_infos().expect("documents");
    let new_codings: Vec<NewCoding> = (0..codings)
        .map(|index| {
            let info = &infos[index % infos.len()];
            let start = random.next() % (info.chars - 200);
            NewCoding {
                document_id: info.id,
                code_id: leaves[random.next() % leaves.len()],
                start,
                end: start + 20 + random.next() % 150,
                coder: if index % 4 == 0 {
                    "鈴木".into()
                } else {
                    "山田".into()
                },
                memo: String::new(),
            }
        })
        .collect();
    let started = Instant::now();
    project
        .execute(Command::AddCodings {
            codings: new_codings,
        })
        .expect("codings");
    println!(
        "bulk coding of {codings} segments (one command): {:.2} s",
        started.elapsed().as_secs_f64()
    );
    drop(project);

    let started = Instant::now();
    let mut project = Project::open(&project_path).expect("open");
    let open = started.elapsed().as_secs_f64() * 1e3;
    println!("project open: {open:.1} ms (target < 1 s)");

    let started = Instant::now();
    let rows = listing::codings(&project).expect("list");
    let json = serde_json::to_string(&rows).expect("json");
    println!(
        "list codings --json: {:.0} ms for {} codings ({:.1} MB of JSON)",
        started.elapsed().as_secs_f64() * 1e3,
        rows.len(),
        json.len() as f64 / 1e6
    );

    let rounds = 200;
    let started = Instant::now();
    for round in 0..rounds {
        project
            .execute(Command::AddCodings {
                codings: vec![NewCoding {
                    document_id: infos[round % infos.len()].id,
                    code_id: leaves[round % leaves.len()],
                    start: 5,
                    end: 25 + round,
                    coder: "計測".into(),
                    memo: String::new(),
                }],
            })
            .expect("code");
    }
    let one = started.elapsed().as_secs_f64() * 1e3 / rounds as f64;
    println!(
        "one coding command (transaction + undo entry + journal): {one:.2} ms (target < 5 ms)"
    );
    let started = Instant::now();
    project.undo().expect("undo");
    println!(
        "undo of one coding: {:.2} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let size = file_size(&project_path);
    println!(
        "project file: {:.1} MB (text {:.1} MB)",
        size as f64 / 1e6,
        bytes as f64 / 1e6
    );
    println!("peak memory (VmHWM): {:.0} MB", peak_rss_mb());
}

fn file_size(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
        .map(|meta| meta.len())
        .sum()
}
