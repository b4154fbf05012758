//! Benchmark of REFI-QDA exchange (issue 5): `.qdpx` export and import for the sample study and
//! for a generated project of 1,000 transcripts (≈30 MB of Japanese text), 500 codes and
//! 100,000 codings. Prints wall times, archive size and peak memory.
//! Run: `cargo bench --no-default-features --bench qdpx` (add `-- --small` for a quick run).

mod common;

use std::path::Path;
use std::time::Instant;

use casecode::codebook::{CodeSpec, Codebook};
use casecode::command::{Command, NewCoding};
use casecode::export::qdpx::write_qdpx;
use casecode::import::qdpx::read_exchange_file;
use casecode::import::txt::{TxtOptions, collect_transcripts};
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

/// Exports `project` to `qdpx`, imports it into a new project in `dir`, and prints the times.
fn round_trip(label: &str, project: &Project, dir: &Path, rounds: usize) {
    let qdpx = dir.join(format!("{label}.qdpx"));
    let mut export = f64::INFINITY;
    for _ in 0..rounds {
        let started = Instant::now();
        write_qdpx(project, &qdpx).expect("export");
        export = export.min(started.elapsed().as_secs_f64());
    }
    let size = std::fs::metadata(&qdpx).map_or(0, |meta| meta.len());
    let (mut read, mut apply) = (f64::INFINITY, f64::INFINITY);
    for round in 0..rounds {
        let started = Instant::now();
        let (exchange, warnings) = read_exchange_file(&qdpx).expect("read");
        read = read.min(started.elapsed().as_secs_f64());
        assert!(warnings.is_empty(), "{warnings:?}");
        let mut target =
            Project::create(&dir.join(format!("{label}-{round}.casecode"))).expect("create");
        let started = Instant::now();
        target
            .execute(Command::ImportExchange {
                exchange: Box::new(exchange),
            })
            .expect("import");
        apply = apply.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{label}: export {:.0} ms ({:.1} MB .qdpx); import {:.0} ms = read + check {:.0} ms + store (one command) {:.0} ms  [best of {rounds}]",
        export * 1e3,
        size as f64 / 1e6,
        (read + apply) * 1e3,
        read * 1e3,
        apply * 1e3
    );
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    let dir = tempfile::tempdir().expect("temp dir");

    let sample_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
    let sample_path = dir.path().join("sample.casecode");
    casecode::sample::build_study(&sample_dir, &sample_path, Some("bench")).expect("sample");
    let sample = Project::open(&sample_path).expect("open sample");
    round_trip(
        "sample study (10 documents, 63 codes, 441 codings)",
        &sample,
        dir.path(),
        5,
    );

    let (documents, chars_per_document, codes, codings) = if small {
        (100, 10_000, 100, 10_000)
    } else {
        (1_000, 10_000, 500, 100_000)
    };
    let folder = dir.path().join("transcripts");
    let mut random = Lcg(42);
    let bytes = write_transcripts(&folder, &mut random, documents, chars_per_document, (3, 6));
    let mut project = Project::create(&dir.path().join("large.casecode")).expect("create");
    let collected = collect_transcripts(std::slice::from_ref(&folder), &TxtOptions::default())
        .expect("collect");
    project
        .execute(Command::ImportDocuments {
            documents: collected.documents,
        })
        .expect("import");
    let codebook = Codebook {
        frames: Vec::new(),
        codes: (0..4)
            .map(|category| CodeSpec {
                name: format!("カテゴリー{category}"),
                children: (0..codes / 4)
                    .map(|code| CodeSpec {
                        name: format!("[焦点コード{category}-{code}]"),
                        definition: "定義".into(),
                        color: Some("#4E79A7".into()),
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
    let leaves: Vec<_> = (project.read().codes().expect("codes").into_iter())
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
                coder: if index % 4 == 0 { "鈴木" } else { "山田" }.into(),
                memo: if index % 10 == 0 {
                    "メモ".into()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    project
        .execute(Command::AddCodings {
            codings: new_codings,
        })
        .expect("codings");
    let label = format!(
        "{documents} documents ({:.1} MB of text), {codes} codes, {codings} codings",
        bytes as f64 / 1e6
    );
    round_trip(&label, &project, dir.path(), 2);
    println!("peak memory (VmHWM): {:.0} MB", peak_rss_mb());
}
