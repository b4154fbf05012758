//! The code tree: the codebook file format (RON), path and address resolution, and tree walks.
//! Levels by depth: カテゴリー ▸ サブカテゴリー ▸ 焦点コード (any depth is allowed).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{Code, CodeId, Frame, Role, RoleId};
use crate::{Error, Result};

/// Separator of code paths on the command line and in files.
pub const PATH_SEPARATOR: char = '/';

/// A codebook as written in `codebook.ron`: role frames and the code tree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename = "Codebook")]
pub struct Codebook {
    pub frames: Vec<FrameSpec>,
    pub codes: Vec<CodeSpec>,
}

/// A role frame in a codebook file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename = "Frame")]
pub struct FrameSpec {
    pub name: String,
    pub roles: Vec<String>,
}

/// A code in a codebook file. `roles` are `ROLE` (unique across frames) or `FRAME/ROLE`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename = "Code")]
pub struct CodeSpec {
    pub name: String,
    pub definition: String,
    pub color: Option<String>,
    pub memo: String,
    pub roles: Vec<String>,
    pub children: Vec<CodeSpec>,
}

impl Codebook {
    /// Number of codes at every level.
    pub fn code_count(&self) -> usize {
        fn count(codes: &[CodeSpec]) -> usize {
            codes.iter().map(|code| 1 + count(&code.children)).sum()
        }
        count(&self.codes)
    }
}

/// The project's codes arranged as a tree.
#[derive(Clone, Debug, Default)]
pub struct CodeTree {
    codes: BTreeMap<CodeId, Code>,
    /// Children of each parent (`None` = top level), in display order.
    children: BTreeMap<Option<CodeId>, Vec<CodeId>>,
}

impl CodeTree {
    /// Builds the tree from rows sorted by parent, position and name.
    pub fn new(codes: Vec<Code>) -> CodeTree {
        let mut children: BTreeMap<Option<CodeId>, Vec<CodeId>> = BTreeMap::new();
        for code in &codes {
            children.entry(code.parent_id).or_default().push(code.id);
        }
        let codes = codes
            .into_iter()
            .map(|code| (code.id, code))
            .collect::<BTreeMap<_, _>>();
        for siblings in children.values_mut() {
            siblings.sort_by(|a, b| {
                let (a, b) = (&codes[a], &codes[b]);
                (a.position, &a.name, a.id).cmp(&(b.position, &b.name, b.id))
            });
        }
        CodeTree { codes, children }
    }

    /// One code.
    pub fn get(&self, code_id: CodeId) -> Option<&Code> {
        self.codes.get(&code_id)
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when there are no codes.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Children of a code (or the top-level codes for `None`), in display order.
    pub fn children(&self, parent_id: Option<CodeId>) -> &[CodeId] {
        self.children.get(&parent_id).map_or(&[], Vec::as_slice)
    }

    /// Names from the top down to the code.
    pub fn path(&self, code_id: CodeId) -> Vec<String> {
        let mut names = Vec::new();
        let mut current = self.codes.get(&code_id);
        while let Some(code) = current {
            names.push(code.name.clone());
            current = code.parent_id.and_then(|parent| self.codes.get(&parent));
            if names.len() > self.codes.len() {
                break; // a cycle cannot be stored, but never loop on bad data
            }
        }
        names.reverse();
        names
    }

    /// The path joined with `/`.
    pub fn path_string(&self, code_id: CodeId) -> String {
        self.path(code_id).join(&PATH_SEPARATOR.to_string())
    }

    /// 0 for a top-level code (カテゴリー), 1 for its children, and so on.
    pub fn depth(&self, code_id: CodeId) -> usize {
        self.path(code_id).len().saturating_sub(1)
    }

    /// Every code in pre-order (a parent before its children, siblings in display order).
    pub fn walk(&self) -> Vec<CodeId> {
        let mut order = Vec::with_capacity(self.codes.len());
        let mut stack: Vec<CodeId> = self.children(None).iter().rev().copied().collect();
        while let Some(code_id) = stack.pop() {
            order.push(code_id);
            stack.extend(self.children(Some(code_id)).iter().rev().copied());
        }
        order
    }

    /// The code and all codes below it.
    pub fn subtree(&self, code_id: CodeId) -> BTreeSet<CodeId> {
        let mut found = BTreeSet::new();
        let mut stack = vec![code_id];
        while let Some(current) = stack.pop() {
            if found.insert(current) {
                stack.extend(self.children(Some(current)).iter().copied());
            }
        }
        found
    }

    /// The child of `parent_id` named `name`.
    pub fn child_named(&self, parent_id: Option<CodeId>, name: &str) -> Option<CodeId> {
        self.children(parent_id)
            .iter()
            .copied()
            .find(|id| self.codes.get(id).is_some_and(|code| code.name == name))
    }

    /// The next free sibling position under `parent_id`.
    pub fn next_position(&self, parent_id: Option<CodeId>) -> i64 {
        self.children(parent_id)
            .iter()
            .filter_map(|id| self.codes.get(id))
            .map(|code| code.position + 1)
            .max()
            .unwrap_or(0)
    }

    /// Finds a code by its full path (`カテゴリー/サブカテゴリー/[焦点コード]`) or, failing
    /// that, by a name that is unique in the whole tree.
    pub fn resolve(&self, address: &str) -> Result<CodeId> {
        let address = address.trim();
        if let Some(code_id) = self.resolve_path(address) {
            return Ok(code_id);
        }
        let named: Vec<CodeId> = self
            .codes
            .values()
            .filter(|code| code.name == address)
            .map(|code| code.id)
            .collect();
        match named.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::NoSuchCode(address.to_owned())),
            many => Err(Error::AmbiguousCode {
                name: address.to_owned(),
                candidates: many
                    .iter()
                    .map(|id| self.path_string(*id))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    fn resolve_path(&self, address: &str) -> Option<CodeId> {
        let mut current = None;
        for name in address.split(PATH_SEPARATOR) {
            current = Some(self.child_named(current, name)?);
        }
        current
    }
}

/// Finds a role by `FRAME/ROLE`, or by a role name unique across frames.
pub fn resolve_role(address: &str, frames: &[Frame], roles: &[Role]) -> Result<RoleId> {
    let address = address.trim();
    if let Some((frame_name, role_name)) = address.split_once(PATH_SEPARATOR)
        && let Some(frame) = frames.iter().find(|frame| frame.name == frame_name.trim())
        && let Some(role) = roles
            .iter()
            .find(|role| role.frame_id == frame.id && role.name == role_name.trim())
    {
        return Ok(role.id);
    }
    let named: Vec<&Role> = roles.iter().filter(|role| role.name == address).collect();
    match named.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::NoSuchRole(address.to_owned())),
        many => Err(Error::AmbiguousRole {
            name: address.to_owned(),
            candidates: many
                .iter()
                .map(|role| role_address(role, frames))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// `FRAME/ROLE` for a role.
pub fn role_address(role: &Role, frames: &[Frame]) -> String {
    let frame = frames
        .iter()
        .find(|frame| frame.id == role.frame_id)
        .map_or("?", |frame| frame.name.as_str());
    format!("{frame}{PATH_SEPARATOR}{}", role.name)
}

/// The default role frame of a new project: the three roles of a 医療的ケア児等コーディネーター.
pub const DEFAULT_FRAME: (&str, [&str; 3]) = (
    "コーディネーターの役割",
    ["発達支援", "家族支援", "地域支援"],
);

/// True for `#RRGGBB`.
pub fn valid_color(color: &str) -> bool {
    color.len() == 7
        && color.starts_with('#')
        && color.chars().skip(1).all(|c| c.is_ascii_hexdigit())
}
