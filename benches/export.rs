//! Benchmark of the paper exports (issue 5): the workbook, the CSV files, Markdown and HTML,
//! for the sample study (target: workbook < 0.2 s) and for a generated study of 1,000 cases ×
//! 500 focus codes × 100,000 codings (target: workbook < 5 s). Each figure is end to end:
//! read the project, build the tables, render, write the file. Run:
//! `cargo bench --no-default-features --bench export` (add `-- --small` for a quick run).

mod common;
mod study;

use std::path::Path;
use std::time::Instant;

use casecode::export::paper::{ExportReport, PaperData, PaperOptions};
use casecode::project::Project;
use study::{generated_study, median_seconds};

/// A `PaperData::write_…` method.
type Writer = fn(&PaperData, &Path) -> casecode::Result<ExportReport>;

/// Times every output for one project and prints one line each.
fn measure(project: &Project, out: &Path, options: &PaperOptions, rounds: usize) {
    let started = Instant::now();
    let paper = PaperData::load(project, options).expect("load");
    println!(
        "  read the project (PaperData::load): {:.3} s",
        started.elapsed().as_secs_f64()
    );
    let tables = median_seconds(rounds, || {
        std::hint::black_box(paper.workbook_grids().expect("tables"));
    });
    let rendered = median_seconds(rounds, || {
        std::hint::black_box(paper.workbook().expect("workbook"));
    });
    println!(
        "  workbook tables (7 grids): {tables:.3} s; tables + xlsx rendering: {rendered:.3} s"
    );
    let mut size = 0;
    let workbook = median_seconds(rounds, || {
        let report = PaperData::load(project, options)
            .and_then(|paper| paper.write_workbook(&out.join("out.xlsx")))
            .expect("workbook");
        size = report.bytes;
    });
    println!(
        "  workbook, end to end (read, 7 sheets, write): {workbook:.3} s, {:.1} MB",
        size as f64 / 1e6
    );
    let outputs: [(&str, &str, Writer); 4] = [
        ("segments CSV", "out.csv", PaperData::write_segments_csv),
        ("matrix CSV", "matrix.csv", PaperData::write_matrix_csv),
        ("Markdown", "out.md", PaperData::write_markdown),
        ("HTML", "out.html", PaperData::write_html),
    ];
    for (name, file, write) in outputs {
        let mut bytes = 0;
        let seconds = median_seconds(rounds, || {
            bytes = write(&paper, &out.join(file)).expect(name).bytes;
        });
        println!(
            "  {name} (tables and write, after the read): {seconds:.3} s, {:.1} MB",
            bytes as f64 / 1e6
        );
    }
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "machine: {cores} cores, load average {} (medians of repeated runs)",
        load.split_whitespace().next().unwrap_or("?")
    );
    let dir = tempfile::tempdir().expect("temp dir");

    let sample = dir.path().join("sample.casecode");
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
    casecode::sample::build_study(&folder, &sample, Some("bench")).expect("sample study");
    let project = Project::open(&sample).expect("open");
    let options = PaperOptions {
        group_by: Some("所属組織".into()),
        ..PaperOptions::default()
    };
    println!("sample study (10 cases, 44 focus codes, 441 codings), cells with quotes:");
    measure(&project, dir.path(), &options, 5);
    println!("  (target: workbook < 0.2 s)");

    let (documents, focus, codings) = if small {
        (100, 5, 10_000)
    } else {
        (1_000, 25, 100_000)
    };
    let big = dir.path().join("big");
    std::fs::create_dir_all(&big).expect("mkdir");
    let project = generated_study(&big, 11, (documents, 3_000, focus, codings));
    println!(
        "generated study ({documents} cases, {} focus codes, {codings} codings), cells with quotes:",
        20 * focus
    );
    measure(&project, &big, &options, if small { 3 } else { 1 });
    println!("  (target: workbook < 5 s)");
}
