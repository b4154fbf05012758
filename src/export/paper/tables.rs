//! The table models that are lists: 表1 対象者の概要 (one row per case), 表2 分析結果 (a quote
//! per focus code, exemplars first, categories spanning rows), the コードブック and the
//! セグメント一覧 (one row per coding, in `segments.rs`). Plus the helpers every table shares: the case order,
//! typed attribute values, code labels in the chosen brackets, role names.

use std::collections::{BTreeMap, BTreeSet};

use super::grid::{Grid, Merge, Value, label_widths, tree_labels};
use super::quotes::cut_quotes;
use super::{CODEBOOK_SHEET, PaperData, TABLE1_SHEET, TABLE2_SHEET};
use crate::analysis::axis::{CaseRow, case_rows};
use crate::analysis::{Column, Scope, Segment};
use crate::model::{Attribute, AttributeKind, CaseId, CodeId, RoleId};

/// The cases in table order: grouped by the `group_by` attribute, by name within a group.
pub(super) fn case_order(paper: &PaperData) -> Vec<CaseRow> {
    case_rows(
        &paper.data,
        &paper.options.filter,
        paper.group_by.as_ref().map(|attribute| attribute.id),
    )
}

/// A case's value of an attribute: numbers as numbers, the rest as text.
pub(super) fn attribute_value(paper: &PaperData, case_id: CaseId, attribute: &Attribute) -> Value {
    let Some(text) = paper.data.value(case_id, attribute.id) else {
        return Value::Empty;
    };
    match attribute.kind {
        AttributeKind::Integer | AttributeKind::Number => text
            .trim()
            .parse::<f64>()
            .map_or_else(|_| Value::text(text), Value::Number),
        AttributeKind::Date | AttributeKind::Text => Value::text(text),
    }
}

/// The title of a level of the code tree.
pub(super) fn level_title(depth: usize) -> String {
    match depth {
        0 => "カテゴリー".to_owned(),
        1 => "サブカテゴリー".to_owned(),
        2 => "焦点コード".to_owned(),
        deeper => format!("第{}階層", deeper + 1),
    }
}

/// A code's name as printed: focus codes (depth 2 and below) in the chosen brackets.
pub(super) fn code_name(paper: &PaperData, name: &str, depth: usize) -> String {
    match &paper.options.code_brackets {
        Some(brackets) if depth >= 2 => brackets.rebracket(name),
        _ => name.to_owned(),
    }
}

/// A code's path as printed, from the top.
pub(super) fn code_path(paper: &PaperData, code_id: CodeId) -> Vec<String> {
    paper
        .data
        .tree()
        .path(code_id)
        .iter()
        .enumerate()
        .map(|(depth, name)| code_name(paper, name, depth))
        .collect()
}

/// The label path of a matrix column: the code's path (or frame and role), with `（直接）`
/// under a code whose column counts only its own codings.
pub(super) fn column_path(paper: &PaperData, column: &Column) -> Vec<String> {
    let mut path = match column.code_id() {
        Some(code_id) => code_path(paper, code_id),
        None => column.path.clone(),
    };
    if column.scope == Scope::Own {
        path.push("（直接）".to_owned());
    }
    path
}

/// Each role's name: bare when unique across frames, else `FRAME/ROLE`; in frame order.
pub(super) fn role_names(paper: &PaperData) -> Vec<(RoleId, String)> {
    let roles: Vec<(String, RoleId, String)> = paper
        .data
        .frames()
        .iter()
        .flat_map(|frame| {
            paper
                .data
                .roles_of_frame(frame.id)
                .into_iter()
                .map(|role| (frame.name.clone(), role.id, role.name.clone()))
        })
        .collect();
    roles
        .iter()
        .map(|(frame, role_id, name)| {
            let unique = roles.iter().filter(|(_, _, other)| other == name).count() == 1;
            let shown = if unique {
                name.clone()
            } else {
                format!("{frame}/{name}")
            };
            (*role_id, shown)
        })
        .collect()
}

/// The roles of a code, in frame order, joined with `、`.
pub(super) fn roles_text(paper: &PaperData, names: &[(RoleId, String)], code_id: CodeId) -> String {
    let roles = paper.data.roles_of_code(code_id);
    names
        .iter()
        .filter(|(role_id, _)| roles.contains(role_id))
        .map(|(_, name)| name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// 表1 対象者の概要: one row per case, its attributes in the project's order.
pub(super) fn table1(paper: &PaperData) -> Grid {
    let attributes = paper.data.attributes();
    let mut header = vec![Value::text("事例")];
    header.extend(attributes.iter().map(|a| Value::text(a.name.clone())));
    let mut rows = vec![header];
    for case in case_order(paper) {
        let mut row = vec![Value::text(case.name.clone())];
        row.extend(
            attributes
                .iter()
                .map(|attribute| attribute_value(paper, case.case_id, attribute)),
        );
        rows.push(row);
    }
    let mut grid = Grid {
        name: TABLE1_SHEET.to_owned(),
        header_rows: 1,
        label_columns: 1,
        rows,
        fit_width: true,
        ..Grid::default()
    };
    grid.fit_widths(6.0, 40.0, |_| true);
    grid
}

/// The segments of a code in the order 表2 picks them: exemplars (代表的語り) first, then by
/// case order, document, position and id.
fn quotes_of<'d>(
    paper: &'d PaperData,
    by_code: &BTreeMap<CodeId, Vec<&'d Segment>>,
    case_rank: &BTreeMap<CaseId, usize>,
    code_id: CodeId,
) -> Vec<&'d Segment> {
    let segments = by_code.get(&code_id).map_or(&[][..], Vec::as_slice);
    let document = |segment: &Segment| {
        paper
            .data
            .document(segment.document_id)
            .map_or("", |document| document.name.as_str())
    };
    // Each key once (a code has thousands of segments at a million codings), and only the
    // first few put in order: the keys end with the coding id, so they are all different and
    // selecting the first `wanted` gives exactly the head of the full sort.
    let mut keyed: Vec<_> = segments
        .iter()
        .map(|segment| {
            (
                (
                    !segment.exemplar,
                    case_rank.get(&segment.case_id),
                    document(segment),
                    segment.start,
                    segment.coding_id,
                ),
                *segment,
            )
        })
        .collect();
    let wanted = paper.options.quotes_per_code.max(1);
    if keyed.len() > wanted {
        keyed.select_nth_unstable_by_key(wanted - 1, |(key, _)| *key);
        keyed.truncate(wanted);
    }
    keyed.sort_unstable_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, segment)| segment).collect()
}

/// 表2 分析結果: カテゴリー | サブカテゴリー | 焦点コード | テキスト | 出典, one row per quote
/// (`quotes_per_code` per code, exemplars first), every code that is a leaf or has codings
/// of its own; category and subcategory cells span their rows.
pub(super) fn table2(paper: &PaperData) -> Grid {
    let tree = paper.data.tree();
    let mut by_code: BTreeMap<CodeId, Vec<&Segment>> = BTreeMap::new();
    for segment in paper.data.segments() {
        by_code.entry(segment.code_id).or_default().push(segment);
    }
    let case_rank: BTreeMap<CaseId, usize> = case_order(paper)
        .iter()
        .enumerate()
        .map(|(rank, case)| (case.case_id, rank))
        .collect();
    let mut paths = Vec::new();
    let mut quotes = Vec::new();
    for code_id in tree.walk() {
        let leaf = tree.children(Some(code_id)).is_empty();
        if !leaf && !by_code.contains_key(&code_id) {
            continue;
        }
        let path = code_path(paper, code_id);
        let picked = quotes_of(paper, &by_code, &case_rank, code_id);
        if picked.is_empty() {
            paths.push(path.clone());
            quotes.push(None);
        }
        for segment in picked {
            paths.push(path.clone());
            quotes.push(Some(segment));
        }
    }
    let levels = paths.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut header: Vec<Value> = (0..levels).map(|d| Value::text(level_title(d))).collect();
    header.extend([Value::text("テキスト"), Value::text("出典")]);
    let (lines, spans) = tree_labels(&paths, levels);
    let picked: Vec<&Segment> = quotes.iter().flatten().copied().collect();
    let texts = cut_quotes(&paper.data, &picked);
    let mut rows = vec![header];
    for (index, quote) in quotes.iter().enumerate() {
        let mut row: Vec<Value> = lines
            .iter()
            .map(|line| Value::text(line.get(index).cloned().unwrap_or_default()))
            .collect();
        match quote {
            Some(segment) => row.extend([
                Value::text(
                    paper.options.quote_marks.wrap(
                        texts
                            .get(&segment.coding_id)
                            .map_or(segment.text.as_str(), String::as_str),
                    ),
                ),
                Value::text(segment.citation.clone().unwrap_or_default()),
            ]),
            None => row.extend([Value::Empty, Value::Empty]),
        }
        rows.push(row);
    }
    // Label spans run along the rows here: (level, level, first row, last row).
    let merges = spans
        .into_iter()
        .map(|(first_level, last_level, first, last)| Merge {
            first_row: first + 1,
            first_column: first_level,
            last_row: last + 1,
            last_column: last_level,
        })
        .collect();
    let mut grid = Grid {
        name: TABLE2_SHEET.to_owned(),
        header_rows: 1,
        label_columns: levels,
        rows,
        merges,
        notes: vec![
            "代表的語り（exemplar）に指定したセグメントを優先して掲載。出典は 事例-発話番号。"
                .to_owned(),
        ],
        fit_width: true,
        ..Grid::default()
    };
    grid.fit_widths(8.0, 24.0, |_| true);
    label_widths(&mut grid, levels);
    if let Some(width) = grid.widths.get_mut(levels) {
        *width = 60.0;
    }
    grid
}

/// Segments and distinct cases of each code with everything below it.
fn subtree_counts(paper: &PaperData) -> BTreeMap<CodeId, (usize, BTreeSet<CaseId>)> {
    let tree = paper.data.tree();
    let mut counts: BTreeMap<CodeId, (usize, BTreeSet<CaseId>)> = BTreeMap::new();
    for segment in paper.data.segments() {
        let mut current = Some(segment.code_id);
        let mut steps = 0;
        while let Some(code_id) = current {
            let entry = counts.entry(code_id).or_default();
            entry.0 += 1;
            entry.1.insert(segment.case_id);
            current = tree.get(code_id).and_then(|code| code.parent_id);
            steps += 1;
            if steps > tree.len() {
                break; // never loop on bad data
            }
        }
    }
    counts
}

/// The コードブック: every code in tree order with its path, level, definition, roles,
/// colour (as the cell's fill), segments and cases (the code and everything below it).
pub(super) fn codebook(paper: &PaperData) -> Grid {
    let tree = paper.data.tree();
    let names = role_names(paper);
    let counts = subtree_counts(paper);
    let header = [
        "コード",
        "階層",
        "定義",
        "役割",
        "色",
        "セグメント数（下位を含む）",
        "事例数",
        "メモ",
    ];
    let mut rows = vec![header.iter().map(|title| Value::text(*title)).collect()];
    let mut fills = Vec::new();
    for code_id in tree.walk() {
        let Some(code) = tree.get(code_id) else {
            continue;
        };
        let (segments, cases) = counts
            .get(&code_id)
            .map_or((0, 0), |(segments, cases)| (*segments, cases.len()));
        let color = code.color.clone().unwrap_or_default();
        if !color.is_empty() {
            fills.push((rows.len(), 4, color.clone()));
        }
        rows.push(vec![
            Value::text(code_path(paper, code_id).join("/")),
            Value::text(level_title(tree.depth(code_id))),
            Value::text(code.definition.clone()),
            Value::text(roles_text(paper, &names, code_id)),
            Value::text(color),
            Value::count(segments),
            Value::count(cases),
            Value::text(code.memo.clone()),
        ]);
    }
    let mut grid = Grid {
        name: CODEBOOK_SHEET.to_owned(),
        header_rows: 1,
        label_columns: 1,
        rows,
        fills,
        fit_width: true,
        ..Grid::default()
    };
    grid.fit_widths(6.0, 50.0, |_| true);
    if let Some(width) = grid.widths.get_mut(2) {
        *width = 60.0;
    }
    grid
}
