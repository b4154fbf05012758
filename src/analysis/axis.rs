//! The two axes every analysis shares: the code axis at a level (codes at a depth of the tree,
//! or the roles of a role frame) with the rule that maps each code to the columns its codings
//! count in, and the case axis (cases grouped and sorted by an attribute).

use std::collections::{BTreeMap, BTreeSet};

use super::data::{AnalysisData, compare_values};
use super::filter::Filter;
use super::idhash::IdMap;
use crate::codebook::PATH_SEPARATOR;
use crate::model::{AttributeId, CaseId, CodeId, FrameId, RoleId};
use crate::{Error, Result};

/// Which codes make the code axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Codes at this depth of the tree (0 = カテゴリー, 1 = サブカテゴリー, 2 = 焦点コード).
    Depth(usize),
    /// The roles of a role frame.
    Roles(FrameId),
}

impl Level {
    /// 焦点コード.
    pub const CODE: Level = Level::Depth(2);
    /// サブカテゴリー.
    pub const SUBCATEGORY: Level = Level::Depth(1);
    /// カテゴリー.
    pub const CATEGORY: Level = Level::Depth(0);

    /// Parses `code`, `subcategory`, `category`, `depth:N`, `role` (the first frame) or
    /// `role:FRAME`.
    pub fn parse(text: &str, data: &AnalysisData) -> Result<Level> {
        let text = text.trim();
        let bad = |message: String| Error::bad_input(format!("level '{text}'"), message);
        match text {
            "code" | "focus" | "焦点コード" => return Ok(Level::CODE),
            "subcategory" | "サブカテゴリー" => return Ok(Level::SUBCATEGORY),
            "category" | "カテゴリー" => return Ok(Level::CATEGORY),
            "role" => {
                return data
                    .frames()
                    .first()
                    .map(|frame| Level::Roles(frame.id))
                    .ok_or_else(|| bad("the project has no role frame".to_owned()));
            }
            _ => {}
        }
        if let Some(depth) = text.strip_prefix("depth:") {
            return depth
                .trim()
                .parse()
                .map(Level::Depth)
                .map_err(|_| bad("write depth:N with N = 0, 1, 2 …".to_owned()));
        }
        if let Some(name) = text.strip_prefix("role:") {
            return match data.frame_named(name) {
                Some(frame) => Ok(Level::Roles(frame.id)),
                None => {
                    let names: Vec<&str> = data.frames().iter().map(|f| f.name.as_str()).collect();
                    Err(bad(format!(
                        "no role frame '{}' (frames: {})",
                        name.trim(),
                        names.join(", ")
                    )))
                }
            };
        }
        Err(bad(
            "use code, subcategory, category, depth:N, role or role:FRAME".to_owned(),
        ))
    }

    /// The name [`Level::parse`] reads back.
    pub fn name(&self, data: &AnalysisData) -> String {
        match *self {
            Level::CODE => "code".to_owned(),
            Level::SUBCATEGORY => "subcategory".to_owned(),
            Level::CATEGORY => "category".to_owned(),
            Level::Depth(depth) => format!("depth:{depth}"),
            Level::Roles(frame_id) => {
                let frame = data.frames().iter().find(|frame| frame.id == frame_id);
                format!("role:{}", frame.map_or("?", |frame| frame.name.as_str()))
            }
        }
    }
}

/// What a column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnKey {
    Code(CodeId),
    Role(RoleId),
}

/// Which codings a code column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The code's own codings and those of every code below it.
    Subtree,
    /// Only the code's own codings: a code shallower than the level that has children (which
    /// have columns of their own) but also codings of its own.
    Own,
}

/// A column of the code axis (a row, when the matrix is transposed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub key: ColumnKey,
    pub name: String,
    /// Names from the top of the tree (for a role: frame, role).
    pub path: Vec<String>,
    /// Depth in the tree; `None` for a role.
    pub depth: Option<usize>,
    pub scope: Scope,
}

impl Column {
    /// The path joined with `/`.
    pub fn path_string(&self) -> String {
        self.path.join(&PATH_SEPARATOR.to_string())
    }

    /// The code of a code column.
    pub fn code_id(&self) -> Option<CodeId> {
        match self.key {
            ColumnKey::Code(code_id) => Some(code_id),
            ColumnKey::Role(_) => None,
        }
    }
}

/// The code axis at a level, with each code's target columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeAxis {
    /// In tree order (pre-order) or role order.
    pub columns: Vec<Column>,
    /// Hashed: looked up once per coding in every analysis.
    targets: IdMap<CodeId, Vec<usize>>,
    code_columns: BTreeMap<CodeId, usize>,
    /// Codes shallower than the level with neither a column nor codings: a first coding of
    /// one needs a new column, hence a rebuild.
    without_column: BTreeSet<CodeId>,
}

impl CodeAxis {
    /// Builds the axis. At a depth, a code shallower than the level keeps a column when it is
    /// a leaf or has codings of its own, so no coding is lost (see the module docs of
    /// [`analysis`](crate::analysis)).
    pub fn new(data: &AnalysisData, level: Level) -> CodeAxis {
        match level {
            Level::Depth(depth) => depth_axis(data, depth),
            Level::Roles(frame_id) => role_axis(data, frame_id),
        }
    }

    /// The columns, sorted, that a coding of this code counts in (none when the code is
    /// unknown, or in no role of the frame).
    pub fn columns_of(&self, code_id: CodeId) -> &[usize] {
        self.targets.get(&code_id).map_or(&[], Vec::as_slice)
    }

    /// The column that is this code, if any (where its summaries and marks show).
    pub fn column_of_code(&self, code_id: CodeId) -> Option<usize> {
        self.code_columns.get(&code_id).copied()
    }

    /// True when a coding of this code fits the axis as built: the code was in the tree and
    /// does not need a column of its own that the axis lacks.
    pub fn fits(&self, code_id: CodeId) -> bool {
        self.targets.contains_key(&code_id) && !self.without_column.contains(&code_id)
    }
}

fn depth_axis(data: &AnalysisData, depth: usize) -> CodeAxis {
    let tree = data.tree();
    // Each code's chain of ancestors, top first (pre-order: a parent before its children).
    let mut chains: Vec<(CodeId, Vec<CodeId>)> = Vec::with_capacity(tree.len());
    let mut chain_of: BTreeMap<CodeId, usize> = BTreeMap::new();
    for code_id in tree.walk() {
        let mut chain = tree
            .get(code_id)
            .and_then(|code| code.parent_id)
            .and_then(|parent_id| chain_of.get(&parent_id))
            .and_then(|index| chains.get(*index))
            .map(|(_, chain)| chain.clone())
            .unwrap_or_default();
        chain.push(code_id);
        chain_of.insert(code_id, chains.len());
        chains.push((code_id, chain));
    }
    // Shallow codes with children need a column only when they have codings of their own.
    let shallow: BTreeSet<CodeId> = chains
        .iter()
        .filter(|(code_id, chain)| {
            chain.len() <= depth && !tree.children(Some(*code_id)).is_empty()
        })
        .map(|(code_id, _)| *code_id)
        .collect();
    let mut axis = CodeAxis::default();
    for (code_id, chain) in &chains {
        let Some(code) = tree.get(*code_id) else {
            continue;
        };
        let code_depth = chain.len() - 1;
        let own_only = shallow.contains(code_id);
        if code_depth == depth
            || (code_depth < depth && (!own_only || data.own_segment_count(*code_id) > 0))
        {
            axis.code_columns.insert(*code_id, axis.columns.len());
            axis.columns.push(Column {
                key: ColumnKey::Code(*code_id),
                name: code.name.clone(),
                path: tree.path(*code_id),
                depth: Some(code_depth),
                scope: if own_only { Scope::Own } else { Scope::Subtree },
            });
        }
        let target = if code_depth >= depth {
            chain.get(depth).copied()
        } else {
            if !axis.code_columns.contains_key(code_id) {
                axis.without_column.insert(*code_id);
            }
            Some(*code_id)
        };
        let columns = target
            .and_then(|target| axis.code_columns.get(&target).copied())
            .into_iter()
            .collect();
        axis.targets.insert(*code_id, columns);
    }
    axis
}

fn role_axis(data: &AnalysisData, frame_id: FrameId) -> CodeAxis {
    let frame_name = data
        .frames()
        .iter()
        .find(|frame| frame.id == frame_id)
        .map_or_else(String::new, |frame| frame.name.clone());
    let mut axis = CodeAxis::default();
    let mut role_columns = BTreeMap::new();
    for role in data.roles_of_frame(frame_id) {
        role_columns.insert(role.id, axis.columns.len());
        axis.columns.push(Column {
            key: ColumnKey::Role(role.id),
            name: role.name.clone(),
            path: vec![frame_name.clone(), role.name.clone()],
            depth: None,
            scope: Scope::Subtree,
        });
    }
    for code_id in data.tree().walk() {
        let mut columns: Vec<usize> = data
            .roles_of_code(code_id)
            .iter()
            .filter_map(|role_id| role_columns.get(role_id).copied())
            .collect();
        columns.sort_unstable();
        axis.targets.insert(code_id, columns);
    }
    axis
}

/// A case on the case axis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRow {
    pub case_id: CaseId,
    pub name: String,
    /// The case's value of the grouping attribute (`None`: no value, or no grouping).
    pub group: Option<String>,
}

/// The cases that pass the filter, grouped by an attribute's value (typed order, cases
/// without a value last) and by name within a group.
pub fn case_rows(
    data: &AnalysisData,
    filter: &Filter,
    group_by: Option<AttributeId>,
) -> Vec<CaseRow> {
    let attribute = group_by.and_then(|attribute_id| {
        data.attributes()
            .iter()
            .find(|attribute| attribute.id == attribute_id)
    });
    let mut rows: Vec<CaseRow> = filter
        .cases(data)
        .into_iter()
        .map(|case_id| CaseRow {
            case_id,
            name: data.case_name(case_id).to_owned(),
            group: attribute
                .and_then(|attribute| data.value(case_id, attribute.id))
                .map(str::to_owned),
        })
        .collect();
    rows.sort_by(|a, b| {
        let by_group = match (&a.group, &b.group, attribute) {
            (Some(x), Some(y), Some(attribute)) => compare_values(attribute.kind, x, y),
            (x, y, _) => x.is_none().cmp(&y.is_none()),
        };
        by_group.then_with(|| (&a.name, a.case_id).cmp(&(&b.name, b.case_id)))
    });
    rows
}
