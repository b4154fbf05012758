//! Codebook files: RON (every level, frames, roles, memos) and CSV (three levels).

use std::collections::BTreeMap;

use crate::codebook::{
    CodeSpec, CodeTree, Codebook, DEFAULT_FRAME, FrameSpec, PATH_SEPARATOR, role_address,
};
use crate::listing::role_names;
use crate::model::{CodeId, RoleId};
use crate::project::Project;
use crate::{Error, Result};

/// The project's frames and code tree as a [`Codebook`].
pub fn codebook_of(project: &Project) -> Result<Codebook> {
    let reader = project.read();
    let roles = reader.roles()?;
    let frames = reader
        .frames()?
        .into_iter()
        .map(|frame| FrameSpec {
            roles: roles
                .iter()
                .filter(|role| role.frame_id == frame.id)
                .map(|role| role.name.clone())
                .collect(),
            name: frame.name,
        })
        .collect();
    // Roles of the default frame by bare name, all others as FRAME/ROLE, so that the file
    // (a CSV in particular, which has no frame list) recreates them in any project.
    let frame_list = reader.frames()?;
    let names: BTreeMap<RoleId, String> = role_names(project)?
        .into_iter()
        .map(|(role_id, name)| {
            let role = roles.iter().find(|role| role.id == role_id);
            let in_default = role
                .and_then(|role| frame_list.iter().find(|frame| frame.id == role.frame_id))
                .is_some_and(|frame| frame.name == DEFAULT_FRAME.0);
            match role {
                Some(role) if !in_default || name.contains(PATH_SEPARATOR) => {
                    (role_id, role_address(role, &frame_list))
                }
                _ => (role_id, name),
            }
        })
        .collect();
    let mut memberships: BTreeMap<CodeId, Vec<RoleId>> = BTreeMap::new();
    for membership in reader.code_roles()? {
        memberships
            .entry(membership.code_id)
            .or_default()
            .push(membership.role_id);
    }
    // Roles in frame order, as the researcher defined them.
    let order: BTreeMap<RoleId, usize> = roles.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for list in memberships.values_mut() {
        list.sort_by_key(|role_id| order.get(role_id).copied().unwrap_or(usize::MAX));
    }
    let tree = project.code_tree()?;
    let spec = |code_id: CodeId| -> CodeSpec { build(&tree, code_id, &memberships, &names) };
    Ok(Codebook {
        frames,
        codes: tree.children(None).iter().map(|id| spec(*id)).collect(),
    })
}

fn build(
    tree: &CodeTree,
    code_id: CodeId,
    memberships: &BTreeMap<CodeId, Vec<RoleId>>,
    names: &BTreeMap<RoleId, String>,
) -> CodeSpec {
    let Some(code) = tree.get(code_id) else {
        return CodeSpec::default();
    };
    CodeSpec {
        name: code.name.clone(),
        definition: code.definition.clone(),
        color: code.color.clone(),
        memo: code.memo.clone(),
        roles: memberships
            .get(&code_id)
            .into_iter()
            .flatten()
            .filter_map(|role_id| names.get(role_id).cloned())
            .collect(),
        children: tree
            .children(Some(code_id))
            .iter()
            .map(|child| build(tree, *child, memberships, names))
            .collect(),
    }
}

/// The codebook in RON.
pub fn to_ron(codebook: &Codebook) -> Result<String> {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ".to_owned());
    let body = ron::ser::to_string_pretty(codebook, config)
        .map_err(|error| Error::Conflict(format!("cannot write the codebook as RON: {error}")))?;
    Ok(format!("// casecode codebook\n{body}\n"))
}

/// The codebook as CSV, one row per code; only for trees of at most three levels.
pub fn to_csv(codebook: &Codebook) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |error: csv::Error| Error::Conflict(format!("cannot write CSV: {error}"));
    writer
        .write_record([
            "category",
            "subcategory",
            "code",
            "roles",
            "definition",
            "color",
        ])
        .map_err(csv_error)?;
    fn rows(codes: &[CodeSpec], path: &mut Vec<String>, out: &mut Vec<[String; 6]>) -> Result<()> {
        for code in codes {
            path.push(code.name.clone());
            if path.len() > 3 {
                return Err(Error::Conflict(format!(
                    "the code '{}' is at level {}; CSV codebooks hold three levels, export as .ron",
                    path.join("/"),
                    path.len()
                )));
            }
            let level = |index: usize| path.get(index).cloned().unwrap_or_default();
            out.push([
                level(0),
                level(1),
                level(2),
                code.roles.join(";"),
                code.definition.clone(),
                code.color.clone().unwrap_or_default(),
            ]);
            rows(&code.children, path, out)?;
            path.pop();
        }
        Ok(())
    }
    let mut out = Vec::new();
    rows(&codebook.codes, &mut Vec::new(), &mut out)?;
    for row in out {
        writer.write_record(row).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| Error::Conflict(format!("cannot write CSV: {error}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
