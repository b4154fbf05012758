//! Benchmark of the analysis layer (issue 4). Generates a project of 1,000 transcripts (shorter
//! than in `core`), 500 focus codes under 4 categories and 20 subcategories, two roles per
//! code, an 8-valued 所属組織, and 100,000 codings; then prints: snapshot load, full matrix
//! build at each level, incremental update after one new coding, crosstab, co-occurrence and
//! frequencies. Run: `cargo bench --bench matrix` (add `-- --small` for a quick run).

mod common;
mod study;

use std::time::Instant;

use casecode::analysis::{
    AnalysisData, Cooccurrence, CooccurrenceMode, Count, Crosstab, Filter, Frequencies, Level,
    Matrix, MatrixOptions, Update,
};
use casecode::model::{Coding, CodingId, Span};
use study::{generated_study, median_seconds};

/// [`median_seconds`] in milliseconds.
fn median_ms_of(rounds: usize, work: impl FnMut()) -> f64 {
    median_seconds(rounds, work) * 1e3
}

fn main() {
    let small = std::env::args().any(|arg| arg == "--small");
    let (documents, chars, focus_per_subcategory, codings) = if small {
        (100, 2_000, 5, 10_000)
    } else {
        (1_000, 3_000, 25, 100_000)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let project = generated_study(
        dir.path(),
        7,
        (documents, chars, focus_per_subcategory, codings),
    );
    let tree = project.code_tree().expect("tree");
    let leaves: Vec<_> = tree
        .walk()
        .into_iter()
        .filter(|code_id| tree.depth(*code_id) == 2)
        .collect();
    let infos = project.read().document_infos().expect("documents");
    println!(
        "casecode matrix benchmark: {documents} documents, {} codes ({} focus codes), {codings} codings",
        tree.len(),
        leaves.len()
    );
    // Wall-clock figures depend on what else runs: print the load they were taken under.
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "machine: {cores} cores, load average {} (medians of repeated runs below)",
        load.split_whitespace().next().unwrap_or("?")
    );

    let started = Instant::now();
    let mut data = AnalysisData::load(&project).expect("load");
    println!(
        "snapshot load (AnalysisData::load, all codings with text): {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let frame = data.frames()[0].id;
    let organisation = data.attribute_named("所属組織").expect("attribute").clone();
    let rounds = if small { 5 } else { 11 };
    for (name, level) in [
        ("focus code", Level::CODE),
        ("subcategory", Level::SUBCATEGORY),
        ("category", Level::CATEGORY),
        ("role", Level::Roles(frame)),
    ] {
        let options = MatrixOptions {
            level,
            group_by: Some(organisation.id),
            ..MatrixOptions::default()
        };
        let full = median_ms_of(rounds, || {
            std::hint::black_box(Matrix::build(&data, options.clone()));
        });
        println!(
            "full matrix build, {name} level (grouped by 所属組織): {full:.1} ms (target < 50 ms)"
        );
    }

    let mut matrix = Matrix::build(
        &data,
        MatrixOptions {
            level: Level::SUBCATEGORY,
            ..MatrixOptions::default()
        },
    );
    let updates = 1_000;
    let mut next_id = 10_000_000;
    let mut matrix_only = 0.0;
    let started = Instant::now();
    for round in 0..updates {
        let info = &infos[round % infos.len()];
        next_id += 1;
        let coding = Coding {
            id: CodingId(next_id),
            guid: String::new(),
            document_id: info.id,
            code_id: leaves[round % leaves.len()],
            span: Span {
                start: 30,
                end: 60 + round % 50,
            },
            coder: "計測".into(),
            memo: String::new(),
            created_at: String::new(),
            exemplar: false,
        };
        let segment = data.add_coding(coding).expect("add").clone();
        let inner = Instant::now();
        let update = matrix.insert_segment(&segment);
        matrix_only += inner.elapsed().as_secs_f64();
        assert_eq!(update, Update::Applied);
    }
    let per_update = started.elapsed().as_secs_f64() * 1e3 / updates as f64;
    println!(
        "incremental update after one new coding (snapshot + matrix): {:.3} ms, of which the matrix {:.4} ms (target < 1 ms)",
        per_update,
        matrix_only * 1e3 / updates as f64
    );
    let rebuilt = Matrix::build(&data, matrix.options.clone());
    assert!(rebuilt == matrix, "the updated matrix equals a rebuild");

    for (name, count) in [("segments", Count::Segments), ("cases", Count::Cases)] {
        let time = median_ms_of(rounds, || {
            std::hint::black_box(Crosstab::build(
                &data,
                Level::CODE,
                &organisation,
                count,
                &Filter::default(),
            ));
        });
        println!(
            "crosstab focus codes × 所属組織, {name}, with χ² and residuals: {time:.1} ms (target < 50 ms)"
        );
    }
    let time = median_ms_of(rounds, || {
        std::hint::black_box(Frequencies::build(&data, Level::CODE, &Filter::default()));
    });
    println!("frequencies, focus codes: {time:.1} ms");
    for (name, mode) in [
        ("overlap", CooccurrenceMode::Overlap),
        ("utterance", CooccurrenceMode::Utterance),
    ] {
        let time = median_ms_of(3, || {
            std::hint::black_box(Cooccurrence::build(
                &data,
                Level::CODE,
                mode,
                &Filter::default(),
            ));
        });
        println!("co-occurrence ({name}), focus codes: {time:.0} ms");
    }
}
