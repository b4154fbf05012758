//! The command line counts the matrix from bare codings (ids and offsets, no segment per
//! coding) when its cells only count. That is a second way to the same matrix: on the sample
//! study, with two coders, at every level, with every kind of filter, grouped and transposed,
//! it must be the very matrix — and print the very bytes — that the segments give.

mod common;

use casecode::analysis::render::{self, CellMode, Format};
use casecode::analysis::{AnalysisData, Filter, Level, Matrix, MatrixOptions, Orientation};
use casecode::project::Project;
use common::Sandbox;

fn options(data: &AnalysisData, level: &str, filter: Filter, group: bool) -> MatrixOptions {
    MatrixOptions {
        level: Level::parse(level, data).expect("level"),
        group_by: group.then(|| {
            data.attribute_named("所属組織")
                .expect("the sample study has 所属組織")
                .id
        }),
        filter,
        orientation: Orientation::CasesAsRows,
    }
}

#[test]
fn counting_from_bare_codings_gives_the_matrix_the_segments_give() {
    let sandbox = Sandbox::new();
    let path = sandbox.sample_project();
    let project = Project::open(&path).expect("open");
    let full = AnalysisData::load_without_text(&project).expect("load");
    let (lean, table) = AnalysisData::load_for_counting(&project).expect("load for counting");
    assert_eq!(table.codings.len(), full.segment_count());
    assert_eq!(lean.segment_count(), 0, "no segment per coding");
    assert_eq!(lean.coders(), full.coders());
    assert!(full.coders().len() >= 2, "the sample study has two coders");
    for code_id in full.tree().walk() {
        assert_eq!(
            lean.own_segment_count(code_id),
            full.own_segment_count(code_id)
        );
    }
    // (name, coders, documents, conditions)
    type Filters<'a> = Vec<(&'a str, Vec<String>, Vec<String>, Vec<String>)>;
    let filters: Filters = vec![
        ("none", vec![], vec![], vec![]),
        ("one coder", vec!["鈴木".to_owned()], vec![], vec![]),
        (
            "two documents",
            vec![],
            vec!["A".to_owned(), "C".to_owned()],
            vec![],
        ),
        (
            "an attribute",
            vec![],
            vec![],
            vec!["所属組織=訪問看護ステーション".to_owned()],
        ),
    ];
    let mut compared = 0;
    for level in ["code", "subcategory", "category", "role"] {
        for (name, coders, documents, conditions) in &filters {
            for group in [false, true] {
                let filter = |data: &AnalysisData| {
                    Filter::resolve(data, coders, documents, conditions).expect("filter")
                };
                let expected = Matrix::build(&full, options(&full, level, filter(&full), group));
                let counted = Matrix::build_counted(
                    &lean,
                    &table,
                    options(&lean, level, filter(&lean), group),
                );
                assert_eq!(
                    counted, expected,
                    "level {level}, filter {name}, group {group}"
                );
                for (matrix, transposed) in
                    [(expected.clone(), false), (expected.transposed(), true)]
                {
                    let counted = if transposed {
                        counted.clone().transposed()
                    } else {
                        counted.clone()
                    };
                    for format in [Format::Json, Format::Tsv] {
                        for mode in [CellMode::Count, CellMode::Presence, CellMode::Summary] {
                            let mut printed = Vec::new();
                            render::write_matrix(&mut printed, &counted, &lean, mode, format)
                                .expect("write");
                            assert_eq!(
                                String::from_utf8(printed).expect("utf-8"),
                                render::matrix(&matrix, &full, mode, format),
                                "level {level}, filter {name}, group {group}, transposed {transposed}"
                            );
                            compared += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(compared, 4 * 4 * 2 * 2 * 2 * 3);
}

#[test]
fn the_matrix_command_prints_the_same_json_as_before_the_counting_path() {
    // The command line (counting path) against the library's segment path, on the sample.
    let sandbox = Sandbox::new();
    let path = sandbox.sample_project();
    let project = Project::open(&path).expect("open");
    let full = AnalysisData::load_without_text(&project).expect("load");
    let p = path.to_str().unwrap_or_default();
    for (args, level, coders) in [
        (vec![], "code", vec![]),
        (vec!["--rows", "codes"], "code", vec![]),
        (vec!["--level", "category"], "category", vec![]),
        (
            vec!["--filter-coder", "山田"],
            "code",
            vec!["山田".to_owned()],
        ),
    ] {
        let mut all = vec!["matrix", p];
        all.extend_from_slice(&args);
        all.extend_from_slice(&["--format", "json"]);
        let printed = sandbox.run(&all).ok().stdout;
        let filter = Filter::resolve(&full, &coders, &[], &[]).expect("filter");
        let mut matrix = Matrix::build(&full, options(&full, level, filter, false));
        if args.contains(&"codes") {
            matrix = matrix.transposed();
        }
        assert_eq!(
            printed,
            render::matrix(&matrix, &full, CellMode::Count, Format::Json),
            "{args:?}"
        );
    }
}
