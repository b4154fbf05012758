//! Benchmark of team coding (issue 13): inter-coder agreement (character unit) and merging a
//! second coder's copy, on a generated project of 1,000 transcripts, 500 codes and two coders
//! with 50,000 codings each (half of 鈴木's spans are 山田's exactly, the rest drawn anew).
//! Targets: agreement < 1 s, merge < 10 s. Prints medians.
//! Run: `cargo bench --no-default-features --bench team` (add `-- --small` for a quick run).

mod common;

use std::path::Path;
use std::time::Instant;

use casecode::analysis::AnalysisData;
use casecode::analysis::agreement::{Agreement, AgreementOptions};
use casecode::codebook::{CodeSpec, Codebook};
use casecode::command::{Command, NewCoding, merge_source};
use casecode::import::txt::{TxtOptions, collect_transcripts};
use casecode::project::Project;
use common::{Lcg, write_transcripts};

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}

fn build(dir: &Path, documents: usize, codes: usize, per_coder: usize) -> Project {
    let folder = dir.join("transcripts");
    let mut random = Lcg(7);
    write_transcripts(&folder, &mut random, documents, 10_000, (3, 6));
    let mut project = Project::create(&dir.join("both.casecode")).expect("create");
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
    let mut yamada = Vec::with_capacity(per_coder);
    let mut seen = std::collections::BTreeSet::new();
    while yamada.len() < per_coder {
        let info = &infos[random.next() % infos.len()];
        let start = random.next() % (info.chars - 200);
        let coding = NewCoding {
            document_id: info.id,
            code_id: leaves[random.next() % leaves.len()],
            start,
            end: start + 20 + random.next() % 150,
            coder: "山田".into(),
            memo: String::new(),
        };
        if seen.insert((coding.document_id, coding.code_id, coding.start, coding.end)) {
            yamada.push(coding);
        }
    }
    let mut suzuki: Vec<NewCoding> = yamada
        .iter()
        .step_by(2)
        .map(|coding| NewCoding {
            coder: "鈴木".into(),
            ..coding.clone()
        })
        .collect();
    while suzuki.len() < per_coder {
        let info = &infos[random.next() % infos.len()];
        let start = random.next() % (info.chars - 200);
        let coding = NewCoding {
            document_id: info.id,
            code_id: leaves[random.next() % leaves.len()],
            start,
            end: start + 20 + random.next() % 150,
            coder: "鈴木".into(),
            memo: String::new(),
        };
        if seen.insert((coding.document_id, coding.code_id, coding.start, coding.end)) {
            suzuki.push(coding);
        }
    }
    yamada.extend(suzuki);
    project
        .execute(Command::AddCodings { codings: yamada })
        .expect("codings");
    project
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    let (documents, codes, per_coder) = if small {
        (100, 100, 5_000)
    } else {
        (1_000, 500, 50_000)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let both = build(dir.path(), documents, codes, per_coder);
    println!(
        "built {documents} documents × {codes} codes, 2 coders × {per_coder} codings in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut load_times = Vec::new();
    let mut compute_times = Vec::new();
    let mut overall = None;
    for _ in 0..5 {
        let started = Instant::now();
        let data = AnalysisData::load_without_text(&both).expect("load");
        load_times.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let agreement = Agreement::compute(&data, &AgreementOptions::new("山田", "鈴木"));
        compute_times.push(started.elapsed().as_secs_f64());
        overall = Some(agreement.overall);
    }
    let (load, compute) = (median(load_times), median(compute_times));
    if let Some(overall) = overall {
        println!(
            "agreement (character unit): {:.0} ms = load {:.0} ms + compute {:.0} ms (median of 5; target < 1000 ms); overall κ = {:.3}",
            (load + compute) * 1e3,
            load * 1e3,
            compute * 1e3,
            overall.kappa().unwrap_or(f64::NAN)
        );
    }

    // Two blind copies, as two coders would have them, merged back.
    let mine = dir.path().join("yamada.casecode");
    let theirs = dir.path().join("suzuki.casecode");
    both.copy_for_coder(&mine, "山田", true).expect("copy");
    both.copy_for_coder(&theirs, "鈴木", true).expect("copy");
    let mut merge_times = Vec::new();
    for round in 0..3 {
        let target_path = dir.path().join(format!("target-{round}.casecode"));
        Project::open(&mine)
            .expect("open")
            .copy_for_coder(&target_path, "山田", false)
            .expect("copy");
        let started = Instant::now();
        let mut target = Project::open(&target_path).expect("open target");
        let source = merge_source(
            &Project::open(&theirs).expect("open").read(),
            "suzuki.casecode",
        )
        .expect("read other");
        let before = target.read().counts().expect("counts")[3];
        target
            .execute(Command::MergeProject {
                source: Box::new(source),
            })
            .expect("merge");
        merge_times.push(started.elapsed().as_secs_f64());
        let after = target.read().counts().expect("counts")[3];
        assert_eq!(after - before, per_coder, "every coding of 鈴木 comes over");
    }
    println!(
        "merge of a second coder's copy ({per_coder} codings): {:.0} ms (median of 3, end to end: open, read, plan, apply; target < 10000 ms)",
        median(merge_times) * 1e3
    );
}
