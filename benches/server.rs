//! Benchmark of the team server (issue 15) against a local PostgreSQL cluster started for the
//! run (a throwaway one, as the tests use), side by side with the same work on a SQLite file:
//! - one coding command round trip (open project, one `AddCodings` transaction) — target < 10 ms;
//! - opening a 100,000-coding project as the workbench does (project open + the analysis
//!   snapshot) — target < 2 s;
//! - the matrix of that project (the snapshot's matrix build, and `casecode matrix` end to
//!   end) — target < 200 ms for the build;
//! - five coders coding at once, each in its own connection, 200 codings each — target
//!   ≥ 200 codings/s in total.
//!
//! Run: `cargo bench --bench server` (add `-- --small` for a quick run).

#[allow(dead_code)]
mod common;
#[allow(dead_code)]
#[path = "../tests/common/pg.rs"]
mod pg;
#[allow(dead_code)]
mod study;

use std::path::Path;
use std::process::Command as Process;
use std::time::Instant;

use casecode::analysis::AnalysisData;
use casecode::analysis::matrix::{Matrix, MatrixOptions};
use casecode::command::{Command, NewCoding};
use casecode::project::Project;
use casecode::store::{ServerAddress, Store};
use study::{generated_study, median_seconds};

fn one_coding(project: &mut Project, index: usize) {
    let document = project.read().document_infos().expect("documents")[index % 50].clone();
    let code = project.read().codes().expect("codes")[30 + index % 20].id;
    let start = 5 + (index * 7) % (document.chars - 40);
    project
        .execute(Command::AddCodings {
            codings: vec![NewCoding {
                document_id: document.id,
                code_id: code,
                start,
                end: start + 12 + index % 5,
                coder: project.coder().to_owned(),
                memo: String::new(),
            }],
        })
        .expect("code");
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    let (documents, chars, codings, per_coder) = if small {
        (60, 8_000, 10_000, 40)
    } else {
        (129, 20_000, 100_000, 200)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let cluster = pg::Cluster::start();
    let admin = ServerAddress::parse(&cluster.database_url("postgres")).expect("url");
    Store::server_init(&admin).expect("server init");
    for coder in ["c1", "c2", "c3", "c4", "c5"] {
        Store::server_grant(&admin, coder, casecode::store::Grant::Coder).expect("grant");
    }
    println!(
        "team server benchmark: {documents} transcripts of ~{chars} chars, {codings} codings; PostgreSQL at 127.0.0.1:{} (local), load average {}",
        cluster.port,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let project = generated_study(dir.path(), 15, (documents, chars, 20, codings));
    let file = dir.path().join("bench.casecode");
    drop(project);
    let url = cluster.url("postgres", "bench");
    let started = Instant::now();
    Store::publish(&file, &ServerAddress::parse(&url).expect("url")).expect("publish");
    println!(
        "publish {codings} codings: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    // One coding command round trip, on an open project.
    for (label, address) in [
        ("SQLite file", file.to_str().expect("utf-8")),
        ("server", url.as_str()),
    ] {
        let mut project = Project::open(Path::new(address)).expect("open");
        let mut index = 0;
        let seconds = median_seconds(if small { 15 } else { 41 }, || {
            one_coding(&mut project, index);
            index += 1;
        });
        println!(
            "one coding command ({label}): {:.1} ms (target < 10 ms on the server)",
            seconds * 1e3
        );
    }
    // Opening the project as the workbench does, and its matrix.
    for (label, address) in [
        ("SQLite file", file.to_str().expect("utf-8")),
        ("server", url.as_str()),
    ] {
        let mut data = None;
        let open = median_seconds(5, || {
            let project = Project::open(Path::new(address)).expect("open");
            data = Some(AnalysisData::load(&project).expect("load"));
        });
        let data = data.expect("loaded");
        let build = median_seconds(5, || {
            std::hint::black_box(Matrix::build(&data, MatrixOptions::default()));
        });
        let cli = median_seconds(3, || {
            let output = Process::new(env!("CARGO_BIN_EXE_casecode"))
                .args(["matrix", address, "--format", "json"])
                .output()
                .expect("matrix");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        });
        println!(
            "open {} codings ({label}): {:.2} s (target < 2 s) · matrix build {:.0} ms (target < 200 ms) · `casecode matrix` end to end {:.2} s",
            data.segment_count(),
            open,
            build * 1e3,
            cli
        );
    }
    // Five coders at once, each with its own connection.
    for (label, role) in [("server", true), ("SQLite file", false)] {
        let started = Instant::now();
        let threads: Vec<_> = (0..5)
            .map(|coder| {
                let address = if role {
                    cluster.url(&format!("c{}", coder + 1), "bench")
                } else {
                    file.to_string_lossy().into_owned()
                };
                std::thread::spawn(move || {
                    let mut project = Project::open(Path::new(&address)).expect("open");
                    project.set_coder(&format!("c{}", coder + 1));
                    for index in 0..per_coder {
                        one_coding(&mut project, 100_000 + coder * per_coder + index);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("coder thread");
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "5 coders × {per_coder} codings at once ({label}): {:.2} s, {:.0} codings/s (target ≥ 200/s on the server)",
            seconds,
            (5 * per_coder) as f64 / seconds
        );
    }
}
