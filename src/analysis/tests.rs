//! Unit tests of the analyses over the hand-built study of [`fixture`](super::fixture): the
//! counting rules at every level, roles, cell states, summaries, filters, incremental updates,
//! crosstab, co-occurrence and frequencies.

use super::axis::{ColumnKey, Level, Scope};
use super::cooccurrence::{Cooccurrence, CooccurrenceMode};
use super::crosstab::{Count, Crosstab};
use super::fixture::sample;
use super::frequency::Frequencies;
use super::matrix::{CellStatus, Matrix, MatrixOptions, Orientation, Update};
use super::render::{self, CellMode, Format};
use super::{AnalysisData, Filter};
use crate::model::{CodeId, Coding, CodingId, FrameId, Span};

fn build(data: &AnalysisData, level: Level) -> Matrix {
    Matrix::build(
        data,
        MatrixOptions {
            level,
            ..MatrixOptions::default()
        },
    )
}

fn column(matrix: &Matrix, code_id: CodeId) -> usize {
    matrix
        .axis
        .column_of_code(code_id)
        .unwrap_or_else(|| panic!("no column for {code_id}"))
}

fn frame_of(data: &AnalysisData) -> FrameId {
    data.frames()[0].id
}

#[test]
fn two_focus_codes_on_one_span_count_once_as_a_passage_when_they_roll_up_together() {
    let sample = sample();
    let data = sample.study.data();
    let [a, b, c] = sample.cases;

    let codes = build(&data, Level::CODE);
    let names: Vec<&str> = codes.columns().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["[レスパイト]", "[きょうだい]", "[情報提供]", "地域"]
    );
    assert_eq!(codes.cell(a, column(&codes, sample.respite)).segments(), 1);
    assert_eq!(codes.cell(a, column(&codes, sample.siblings)).segments(), 1);

    let subcategories = build(&data, Level::SUBCATEGORY);
    let burden = column(&subcategories, sample.burden);
    assert_eq!(
        subcategories.cell(a, burden).segments(),
        1,
        "one passage under two codes of one subcategory"
    );
    assert_eq!(subcategories.cell(a, burden).codings(), 2, "two codings");
    assert_eq!(
        subcategories.cell(a, burden).presence(),
        1,
        "once for the case"
    );
    assert_eq!(subcategories.column_totals()[burden].segments, 2);
    assert_eq!(subcategories.column_totals()[burden].codings, 3);
    assert_eq!(
        subcategories.column_totals()[burden].coded,
        2,
        "cases A and B"
    );

    let categories = build(&data, Level::CATEGORY);
    let family = column(&categories, sample.category);
    assert_eq!(categories.cell(a, family).segments(), 2);
    assert_eq!(categories.cell(a, family).codings(), 3);
    assert_eq!(categories.column_totals()[family].segments, 3);
    assert_eq!(categories.column_totals()[family].coded, 2);
    assert_eq!(
        categories.cell(c, family).status(),
        CellStatus::NotMentioned
    );
    assert_eq!(
        categories
            .cell(b, column(&categories, sample.region))
            .segments(),
        0
    );
    // At every depth each coding lands in exactly one column: coding totals agree.
    for matrix in [&codes, &subcategories, &categories] {
        let total: usize = [a, b, c]
            .iter()
            .map(|case| matrix.case_totals(*case).codings)
            .sum();
        assert_eq!(total, sample.codings.len());
    }
}

#[test]
fn a_code_shallower_than_the_level_keeps_its_own_codings() {
    let mut sample = sample();
    let document = sample.documents[1];
    sample.study.coding(document, sample.burden, 28, 34, "山田");
    let data = sample.study.data();
    let matrix = build(&data, Level::CODE);
    let own = column(&matrix, sample.burden);
    assert_eq!(matrix.columns()[own].scope, Scope::Own);
    assert_eq!(matrix.cell(sample.cases[1], own).segments(), 1);
    // Its children keep only their own codings.
    let respite = column(&matrix, sample.respite);
    assert_eq!(matrix.cell(sample.cases[1], respite).segments(), 1);
    // One level up it is an ordinary subtree column again.
    let up = build(&data, Level::SUBCATEGORY);
    let burden = column(&up, sample.burden);
    assert_eq!(up.columns()[burden].scope, Scope::Subtree);
    assert_eq!(up.cell(sample.cases[1], burden).segments(), 2);
}

#[test]
fn a_code_in_two_roles_counts_in_both_and_roles_are_inherited() {
    let mut sample = sample();
    let [a, _, c] = sample.cases;
    let data = sample.study.data();
    let frame = frame_of(&data);
    let matrix = build(&data, Level::Roles(frame));
    let keys: Vec<ColumnKey> = matrix.columns().iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        [
            ColumnKey::Role(sample.roles[0]),
            ColumnKey::Role(sample.roles[1])
        ]
    );
    assert_eq!(
        matrix.cell(a, 0).segments(),
        1,
        "respite and siblings on one span: one passage"
    );
    assert_eq!(matrix.cell(a, 0).codings(), 2);
    assert_eq!(matrix.cell(a, 1).segments(), 1, "siblings is in both roles");
    assert_eq!(matrix.cell(c, 1).segments(), 1);
    assert_eq!(matrix.case_totals(a).codings, 3, "information has no role");

    // A role on the category reaches every code below it: three codings, two passages.
    let role = sample.roles[0];
    sample.study.role_of(sample.category, role);
    let data = sample.study.data();
    let matrix = build(&data, Level::Roles(frame));
    assert_eq!(matrix.cell(a, 0).codings(), 3);
    assert_eq!(matrix.cell(a, 0).segments(), 2);
}

#[test]
fn an_explicitly_negative_cell_reads_differently_from_a_not_mentioned_one() {
    let mut sample = sample();
    let [a, b, c] = sample.cases;
    sample.study.negative(b, sample.siblings);
    sample.study.negative(a, sample.respite);
    let data = sample.study.data();
    let matrix = build(&data, Level::CODE);
    let siblings = column(&matrix, sample.siblings);
    assert_eq!(matrix.cell(b, siblings).status(), CellStatus::Negative);
    assert_eq!(matrix.cell(c, siblings).status(), CellStatus::NotMentioned);
    let respite = matrix.cell(a, column(&matrix, sample.respite));
    assert_eq!(respite.status(), CellStatus::Coded);
    assert!(respite.negative, "the contradiction stays visible");
    let table = render::matrix(&matrix, &data, CellMode::Count, Format::Tsv);
    let line_b = table
        .lines()
        .find(|l| l.starts_with("B\t"))
        .unwrap_or_default();
    assert_eq!(line_b, "B\t1\t×\t0\t0\t1");
    assert!(table.contains("A\t1 (×)\t1\t1\t0\t3"), "{table}");
}

#[test]
fn summaries_show_on_the_code_they_were_written_on() {
    let mut sample = sample();
    let [a, ..] = sample.cases;
    let links = [sample.codings[0], sample.codings[1]];
    sample
        .study
        .summary(a, sample.burden, "母親の休息を確保", &links);
    let data = sample.study.data();
    let up = build(&data, Level::SUBCATEGORY);
    let cell = up.cell(a, column(&up, sample.burden));
    let summary = cell.summary.expect("summary");
    assert_eq!(summary.text, "母親の休息を確保");
    assert_eq!(summary.coding_ids, links);
    let down = build(&data, Level::CODE);
    assert!(down.axis.column_of_code(sample.burden).is_none());
    let text = render::matrix(&up, &data, CellMode::SegmentsAndSummary, Format::Markdown);
    assert!(
        text.contains("母親の休息を確保<br>A-2「レスパイトときょうだいの話です」"),
        "{text}"
    );
}

#[test]
fn a_cell_decompresses_to_its_segments_with_document_and_span() {
    let sample = sample();
    let data = sample.study.data();
    let matrix = build(&data, Level::CATEGORY);
    let family = column(&matrix, sample.category);
    let segments = matrix.segments_of(&data, sample.cases[0], family);
    let found: Vec<(&str, usize, usize, Option<&str>, &str)> = segments
        .iter()
        .map(|(document, s)| {
            (
                *document,
                s.start,
                s.end,
                s.citation.as_deref(),
                s.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("A", 11, 26, Some("A-2"), "レスパイトときょうだいの話です"),
            ("A", 11, 26, Some("A-2"), "レスパイトときょうだいの話です"),
            ("A", 38, 47, Some("A-4"), "情報をもらいました"),
        ]
    );
}

#[test]
fn filters_by_coder_document_and_attribute() {
    let sample = sample();
    let data = sample.study.data();
    let [a, b, c] = sample.cases;
    let only = |coders: &[&str], documents: &[&str], conditions: &[&str]| {
        let owned = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let filter = Filter::resolve(&data, &owned(coders), &owned(documents), &owned(conditions))
            .expect("filter");
        Matrix::build(
            &data,
            MatrixOptions {
                filter,
                ..MatrixOptions::default()
            },
        )
    };
    let suzuki = only(&["鈴木"], &[], &[]);
    assert_eq!(suzuki.case_totals(a).segments, 1);
    assert_eq!(suzuki.case_totals(b).segments, 0);
    let city = only(&[], &[], &["所属組織=市役所"]);
    let rows: Vec<_> = city.cases.iter().map(|row| row.case_id).collect();
    assert_eq!(rows, [a, c]);
    let documents = only(&[], &["B"], &[]);
    assert_eq!(documents.cases.len(), 1);
    assert_eq!(documents.case_totals(b).segments, 1);
    for (coders, conditions) in [(vec!["佐藤"], vec![]), (vec![], vec!["所属組織=病院"])] {
        let owned = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(Filter::resolve(&data, &owned(&coders), &[], &owned(&conditions)).is_err());
    }
}

#[test]
fn grouping_sorts_cases_by_attribute_then_name_and_transposition_swaps_axes() {
    let sample = sample();
    let data = sample.study.data();
    let attribute = data.attribute_named("所属組織").expect("attribute").id;
    let matrix = Matrix::build(
        &data,
        MatrixOptions {
            group_by: Some(attribute),
            level: Level::SUBCATEGORY,
            ..MatrixOptions::default()
        },
    );
    let order: Vec<&str> = matrix.cases.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(order, ["A", "C", "B"]);
    let wide = render::matrix(&matrix, &data, CellMode::Count, Format::Tsv);
    let tall = render::matrix(
        &matrix.clone().transposed(),
        &data,
        CellMode::Count,
        Format::Tsv,
    );
    assert_eq!(
        wide.lines().next(),
        Some("case\t所属組織\t家族支援/負担軽減\t家族支援/情報\t地域\ttotal")
    );
    assert_eq!(tall.lines().next(), Some("code\tA\tC\tB\ttotal"));
    assert_eq!(
        tall.lines().nth(1),
        Some("所属組織\t市役所\t市役所\t訪問看護\t")
    );
    assert_eq!(
        tall.lines().nth(2),
        Some("家族支援/負担軽減\t1 [2]\t0\t1\t2"),
        "passages, with the codings beside where they differ"
    );
    let json: serde_json::Value = serde_json::from_str(&render::matrix(
        &matrix,
        &data,
        CellMode::Count,
        Format::Json,
    ))
    .expect("json");
    let flipped = matrix.transposed();
    assert_eq!(flipped.options.orientation, Orientation::CodesAsRows);
    let json_tall: serde_json::Value = serde_json::from_str(&render::matrix(
        &flipped,
        &data,
        CellMode::Count,
        Format::Json,
    ))
    .expect("json");
    assert_eq!(json["rows"], json_tall["columns"]);
    assert_eq!(json["columns"], json_tall["rows"]);
    let cell = |json: &serde_json::Value, row: usize, column: usize| {
        json["cells"]
            .as_array()
            .and_then(|cells| {
                cells
                    .iter()
                    .find(|c| c["row"] == row && c["column"] == column)
            })
            .cloned()
            .expect("cell")
    };
    assert_eq!(cell(&json, 0, 0)["segments"], 1);
    assert_eq!(cell(&json, 0, 0)["codings"], 2);
    assert_eq!(
        cell(&json, 0, 0)["segments"],
        cell(&json_tall, 0, 0)["segments"]
    );
    assert_eq!(
        cell(&json, 2, 0)["segment_ids"],
        cell(&json_tall, 0, 2)["segment_ids"]
    );
}

#[test]
fn one_new_coding_updates_the_matrix_like_a_rebuild() {
    let mut sample = sample();
    let mut data = sample.study.data();
    for level in [
        Level::CODE,
        Level::SUBCATEGORY,
        Level::CATEGORY,
        Level::Roles(frame_of(&data)),
    ] {
        let mut matrix = build(&data, level);
        let coding = Coding {
            id: CodingId(1000),
            guid: String::new(),
            document_id: sample.documents[2],
            code_id: sample.siblings,
            span: Span { start: 30, end: 33 },
            coder: "山田".to_owned(),
            memo: String::new(),
            created_at: String::new(),
            exemplar: false,
        };
        let segment = data.add_coding(coding).expect("add").clone();
        assert_eq!(segment.text, "ほかに");
        assert_eq!(segment.citation.as_deref(), Some("C-3"));
        assert_eq!(matrix.insert_segment(&segment), Update::Applied);
        assert_eq!(matrix, build(&data, level), "{level:?}");
        assert_eq!(matrix.insert_segment(&segment), Update::Unchanged);
        data.remove_coding(segment.coding_id);
        assert_eq!(matrix.remove_segment(&segment), Update::Applied);
        assert_eq!(matrix, build(&data, level), "{level:?}");
    }
    // A first coding of a code that needs a column of its own asks for a rebuild.
    let matrix = build(&data, Level::CODE);
    let coding_id = sample
        .study
        .coding(sample.documents[0], sample.burden, 0, 2, "山田");
    let data = sample.study.data();
    let segment = data.segment(coding_id).expect("segment");
    assert_eq!(matrix.clone().insert_segment(segment), Update::Rebuild);
}

#[test]
fn crosstab_counts_segments_and_cases_per_group_with_percent_of_cases() {
    let sample = sample();
    let data = sample.study.data();
    let attribute = data.attribute_named("所属組織").expect("attribute").clone();
    let table = Crosstab::build(
        &data,
        Level::SUBCATEGORY,
        &attribute,
        Count::Segments,
        &Filter::default(),
    );
    let groups: Vec<(Option<&str>, usize)> = table
        .groups
        .iter()
        .map(|g| (g.value.as_deref(), g.cases))
        .collect();
    assert_eq!(groups, [(Some("市役所"), 2), (Some("訪問看護"), 1)]);
    let burden = &table.rows[0];
    assert_eq!(burden.column.name, "負担軽減");
    assert_eq!(
        burden.segments,
        [1, 1],
        "A's one span under two codes is one passage"
    );
    assert_eq!(burden.cases, [1, 1]);
    assert_eq!(
        burden.percent_of_cases(&table.groups),
        [Some(50.0), Some(100.0)]
    );
    assert_eq!(table.column_totals(), [3, 1]);
    assert_eq!(table.grand_total(), 4);
    let by_cases = Crosstab::build(
        &data,
        Level::SUBCATEGORY,
        &attribute,
        Count::Cases,
        &Filter::default(),
    );
    assert_eq!(by_cases.column_totals(), [3, 1]);
    let test = table.test.as_ref().expect("a 3×2 table is tested");
    assert_eq!(test.df, 2, "3 codes × 2 groups");
    assert!(test.warning().is_some());
}

#[test]
fn overlapping_spans_and_shared_utterances_co_occur() {
    let sample = sample();
    let data = sample.study.data();
    let overlap = Cooccurrence::build(
        &data,
        Level::CODE,
        CooccurrenceMode::Overlap,
        &Filter::default(),
    );
    assert_eq!(overlap.pairs.len(), 1);
    let pair = &overlap.pairs[0];
    assert_eq!((pair.first, pair.second, pair.count), (0, 1, 1));
    assert!(
        (pair.jaccard - 0.75).abs() < 1e-12,
        "15 code points shared of 20 (B's respite)"
    );
    let turns = Cooccurrence::build(
        &data,
        Level::CODE,
        CooccurrenceMode::Utterance,
        &Filter::default(),
    );
    let pair = &turns.pairs[0];
    assert_eq!((pair.first, pair.second, pair.count), (0, 1, 1));
    assert!(
        (pair.jaccard - 0.5).abs() < 1e-12,
        "respite in A-2 and B-2, siblings in A-2"
    );
    let rolled = Cooccurrence::build(
        &data,
        Level::SUBCATEGORY,
        CooccurrenceMode::Overlap,
        &Filter::default(),
    );
    assert!(
        rolled.pairs.is_empty(),
        "two codes of one subcategory are one column"
    );
}

#[test]
fn frequencies_count_segments_cases_and_code_points() {
    let sample = sample();
    let data = sample.study.data();
    let table = Frequencies::build(&data, Level::CODE, &Filter::default());
    let respite = &table.rows[0];
    assert_eq!((respite.segments, respite.cases, respite.chars), (2, 2, 20));
    assert_eq!(table.total_cases, 3);
    let percent = respite.percent_of_cases.unwrap_or_default();
    assert!((percent - 200.0 / 3.0).abs() < 1e-9);
    let up = Frequencies::build(&data, Level::SUBCATEGORY, &Filter::default());
    assert_eq!(
        (up.rows[0].segments, up.rows[0].cases, up.rows[0].chars),
        (2, 2, 20),
        "A's span under two codes is one passage, covered once"
    );
}
