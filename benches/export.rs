//! Benchmark of the paper exports (issue 5): the workbook, the CSV files, Markdown and HTML,
//! for the sample study (target: workbook < 0.2 s) and for a generated study of 1,000 cases ×
//! 500 focus codes × 100,000 codings (target: workbook < 5 s). Each figure is end to end:
//! read the project, build the tables, render, write the file. Run:
//! `cargo bench --no-default-features --bench export` (add `-- --small` for a quick run).

mod common;

use std::path::Path;
use std::time::Instant;

use casecode::codebook::{CodeSpec, Codebook};
use casecode::command::{AttributeColumn, AttributeTable, Command, NewCoding};
use casecode::export::paper::{ExportReport, PaperData, PaperOptions};
use casecode::import::txt::{TxtOptions, collect_transcripts};
use casecode::model::AttributeKind;
use casecode::project::Project;
use common::{Lcg, write_transcripts};

const ORGANISATIONS: [&str; 8] = [
    "重症心身障害児施設",
    "訪問看護ステーション",
    "小児科等診療所",
    "大学病院",
    "市役所",
    "基幹相談支援センター",
    "障害者相談支援センター",
    "保健センター",
];

/// Runs `work` `rounds` times and returns the median in seconds.
fn median_s(rounds: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// A project like the matrix benchmark's: `documents` transcripts (one case each), 4
/// categories × 5 subcategories × `focus` focus codes with two roles each, an 8-valued
/// 所属組織, and `codings` codings of 20–170 code points.
fn generated_study(dir: &Path, documents: usize, focus: usize, codings: usize) -> Project {
    let folder = dir.join("transcripts");
    let mut random = Lcg(11);
    write_transcripts(&folder, &mut random, documents, 3_000, (2, 4));
    let mut project = Project::create(&dir.join("bench.casecode")).expect("create");
    let collected = collect_transcripts(std::slice::from_ref(&folder), &TxtOptions::default())
        .expect("collect");
    project
        .execute(Command::ImportDocuments {
            documents: collected.documents,
        })
        .expect("import");
    let roles = ["発達支援", "家族支援", "地域支援"];
    let codebook = Codebook {
        frames: Vec::new(),
        codes: (0..4)
            .map(|category| CodeSpec {
                name: format!("カテゴリー{category}"),
                children: (0..5)
                    .map(|sub| CodeSpec {
                        name: format!("サブカテゴリー{category}-{sub}"),
                        children: (0..focus)
                            .map(|code| CodeSpec {
                                name: format!("[焦点コード{category}-{sub}-{code}]"),
                                roles: vec![
                                    roles[code % 3].into(),
                                    roles[(code + category) % 3].into(),
                                ],
                                ..CodeSpec::default()
                            })
                            .collect(),
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
    let infos = project.read().document_infos().expect("documents");
    project
        .execute(Command::ImportAttributes {
            table: AttributeTable {
                columns: vec![AttributeColumn {
                    name: "所属組織".into(),
                    kind: AttributeKind::Text,
                    declared: true,
                }],
                rows: infos
                    .iter()
                    .enumerate()
                    .map(|(index, info)| {
                        let value = ORGANISATIONS[index % ORGANISATIONS.len()];
                        (info.name.clone(), vec![Some(value.to_owned())])
                    })
                    .collect(),
            },
        })
        .expect("attributes");
    let tree = project.code_tree().expect("tree");
    let leaves: Vec<_> = tree
        .walk()
        .into_iter()
        .filter(|code_id| tree.depth(*code_id) == 2)
        .collect();
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
                memo: String::new(),
            }
        })
        .collect();
    project
        .execute(Command::AddCodings {
            codings: new_codings,
        })
        .expect("codings");
    project
}

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
    let tables = median_s(rounds, || {
        std::hint::black_box(paper.workbook_grids());
    });
    let rendered = median_s(rounds, || {
        std::hint::black_box(paper.workbook().expect("workbook"));
    });
    println!(
        "  workbook tables (7 grids): {tables:.3} s; tables + xlsx rendering: {rendered:.3} s"
    );
    let mut size = 0;
    let workbook = median_s(rounds, || {
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
        let seconds = median_s(rounds, || {
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
    let project = generated_study(&big, documents, focus, codings);
    println!(
        "generated study ({documents} cases, {} focus codes, {codings} codings), cells with quotes:",
        20 * focus
    );
    measure(&project, &big, &options, if small { 3 } else { 1 });
    println!("  (target: workbook < 5 s)");
}
