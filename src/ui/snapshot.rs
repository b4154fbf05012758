//! What the panels read each frame: the project's cases, documents, attributes and code tree,
//! read once after each command instead of querying SQLite every frame. It is a plain copy; the
//! panels never write to it, they send commands. The counts of codings ([`CodingCounts`]) are
//! the one part that grows with the codings: a large project reads them on a worker thread
//! after a change, and the panels show the previous counts meanwhile (issue 17).

use std::collections::{BTreeMap, BTreeSet};

use crate::Result;
use crate::codebook::CodeTree;
use crate::listing::role_names;
use crate::model::{
    Attribute, AttributeId, Case, CaseId, CodeId, DocumentInfo, Frame, MemoTarget, Role, RoleId,
};
use crate::project::Project;

/// The palette for codes without a colour of their own (and no coloured ancestor).
const PALETTE: [[u8; 3]; 10] = [
    [0xE4, 0x57, 0x5B],
    [0x4C, 0x8B, 0xD6],
    [0x5C, 0xAE, 0x5A],
    [0xE0, 0x9A, 0x2B],
    [0x9B, 0x6B, 0xC8],
    [0x2E, 0xAA, 0xA8],
    [0xD4, 0x6F, 0xA8],
    [0x8C, 0x8C, 0x3A],
    [0x6E, 0x7F, 0x99],
    [0xB5, 0x6A, 0x3E],
];

/// A read-only copy of the project for the panels.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Cases by name.
    pub cases: Vec<Case>,
    /// Attributes in column order.
    pub attributes: Vec<Attribute>,
    /// Attribute values by case and attribute.
    pub values: BTreeMap<(CaseId, AttributeId), String>,
    /// Documents by name.
    pub documents: Vec<DocumentInfo>,
    /// The code tree.
    pub tree: CodeTree,
    /// Segments coded with exactly this code.
    pub segments: BTreeMap<CodeId, usize>,
    /// Role names of each code, in frame and role order.
    pub roles: BTreeMap<CodeId, Vec<String>>,
    /// Each code's display colour `[r, g, b]` (its own, an ancestor's, or from the palette).
    pub colors: BTreeMap<CodeId, [u8; 3]>,
    /// Distinct cases with a segment of the code or of a code below it.
    pub subtree_cases: BTreeMap<CodeId, usize>,
    /// The role frames in order, each with its roles in order.
    pub frames: Vec<(Frame, Vec<Role>)>,
    /// The roles of each code.
    pub role_ids: BTreeMap<CodeId, BTreeSet<RoleId>>,
    /// The project's memo.
    pub project_memo: String,
    /// Label of what undo would revert.
    pub undo_label: Option<String>,
    /// Label of what redo would re-apply.
    pub redo_label: Option<String>,
    /// Different for every snapshot read, so that panels can keep what they built from one
    /// (the cases panel's lines) until the next.
    pub generation: u64,
    /// Every coder who has a coding (the consensus layer 合意 among them), by name.
    pub coders: Vec<String>,
    /// Each stored coder's colour, by name (stripes coloured by coder).
    pub coder_colors: BTreeMap<String, [u8; 3]>,
    /// Orphans (codings whose text a revision deleted) and codings flagged 要確認, together:
    /// what the status line counts and the orphan review window lists.
    pub to_review: usize,
    /// Every coding of the project, whatever coder (see [`CodingCounts::codings`]).
    pub codings: usize,
}

/// The generation of the latest snapshot read.
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// What the panels count of the codings: segments per code, cases per subtree, the coders.
#[derive(Clone, Debug, Default)]
pub struct CodingCounts {
    /// Segments coded with exactly this code.
    pub segments: BTreeMap<CodeId, usize>,
    /// Distinct cases with a segment of the code or of a code below it.
    pub subtree_cases: BTreeMap<CodeId, usize>,
    /// Every coder who has a coding, by name.
    pub coders: Vec<String>,
    /// Every coding of the project (whatever coder), which decides whether the next count runs
    /// on a worker thread.
    pub codings: usize,
}

impl CodingCounts {
    /// Counts the project's codings, only `only_coder`'s when given (blind mode).
    pub fn read(project: &Project, only_coder: Option<&str>) -> Result<CodingCounts> {
        let tree = project.code_tree()?;
        let documents = project.read().document_infos()?;
        CodingCounts::read_with(project, only_coder, &tree, &documents)
    }

    fn read_with(
        project: &Project,
        only_coder: Option<&str>,
        tree: &CodeTree,
        documents: &[DocumentInfo],
    ) -> Result<CodingCounts> {
        let case_of: BTreeMap<_, _> = documents.iter().map(|d| (d.id, d.case_id)).collect();
        let mut segments: BTreeMap<CodeId, usize> = BTreeMap::new();
        let mut cases_below: BTreeMap<CodeId, BTreeSet<CaseId>> = BTreeMap::new();
        let mut coders: BTreeSet<String> = BTreeSet::new();
        let mut codings = 0;
        for coding in project.read().codings()? {
            codings += 1;
            if !coders.contains(&coding.coder) {
                coders.insert(coding.coder.clone());
            }
            if only_coder.is_some_and(|coder| coding.coder != coder) {
                continue;
            }
            *segments.entry(coding.code_id).or_default() += 1;
            let Some(case_id) = case_of.get(&coding.document_id) else {
                continue;
            };
            // The code and each of its ancestors count the case once.
            let mut code = Some(coding.code_id);
            while let Some(code_id) = code {
                cases_below.entry(code_id).or_default().insert(*case_id);
                code = tree.get(code_id).and_then(|c| c.parent_id);
            }
        }
        Ok(CodingCounts {
            segments,
            subtree_cases: cases_below
                .into_iter()
                .map(|(code_id, cases)| (code_id, cases.len()))
                .collect(),
            coders: coders.into_iter().collect(),
            codings,
        })
    }
}

impl Snapshot {
    /// Reads everything the panels show.
    pub fn read(project: &Project) -> Result<Snapshot> {
        Snapshot::read_for(project, None)
    }

    /// Reads everything the panels show, counting only `only_coder`'s codings when given (blind
    /// mode: 他のコーダーを隠す).
    pub fn read_for(project: &Project, only_coder: Option<&str>) -> Result<Snapshot> {
        Snapshot::read_with(project, only_coder, None)
    }

    /// [`Snapshot::read_for`] with the counts of codings given instead of read (they are read
    /// on a worker thread in a large project; these are the previous ones).
    pub fn read_keeping_counts(project: &Project, counts: CodingCounts) -> Result<Snapshot> {
        Snapshot::read_with(project, None, Some(counts))
    }

    /// Puts counts read on a worker thread into the snapshot.
    pub fn set_counts(&mut self, counts: CodingCounts) {
        self.segments = counts.segments;
        self.subtree_cases = counts.subtree_cases;
        self.coders = counts.coders;
        self.codings = counts.codings;
    }

    /// The counts of codings the snapshot holds.
    pub fn counts(&self) -> CodingCounts {
        CodingCounts {
            segments: self.segments.clone(),
            subtree_cases: self.subtree_cases.clone(),
            coders: self.coders.clone(),
            codings: self.codings,
        }
    }

    fn read_with(
        project: &Project,
        only_coder: Option<&str>,
        counts: Option<CodingCounts>,
    ) -> Result<Snapshot> {
        let reader = project.read();
        let tree = project.code_tree()?;
        let documents = reader.document_infos()?;
        let counts = match counts {
            Some(counts) => counts,
            None => CodingCounts::read_with(project, only_coder, &tree, &documents)?,
        };
        let names = role_names(project)?;
        let order: BTreeMap<_, usize> = reader
            .roles()?
            .iter()
            .enumerate()
            .map(|(index, role)| (role.id, index))
            .collect();
        let mut memberships = reader.code_roles()?;
        let mut role_ids: BTreeMap<CodeId, BTreeSet<RoleId>> = BTreeMap::new();
        for membership in &memberships {
            role_ids
                .entry(membership.code_id)
                .or_default()
                .insert(membership.role_id);
        }
        let all_roles = reader.roles()?;
        let frames = reader
            .frames()?
            .into_iter()
            .map(|frame| {
                let roles = all_roles
                    .iter()
                    .filter(|role| role.frame_id == frame.id)
                    .cloned()
                    .collect();
                (frame, roles)
            })
            .collect();
        memberships.sort_by_key(|m| (m.code_id, order.get(&m.role_id).copied()));
        let mut roles: BTreeMap<CodeId, Vec<String>> = BTreeMap::new();
        for membership in memberships {
            if let Some(name) = names.get(&membership.role_id) {
                roles
                    .entry(membership.code_id)
                    .or_default()
                    .push(name.clone());
            }
        }
        let colors = code_colors(&tree);
        Ok(Snapshot {
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
            cases: reader.cases()?,
            attributes: reader.attributes()?,
            values: reader
                .attribute_values()?
                .into_iter()
                .map(|value| ((value.case_id, value.attribute_id), value.value))
                .collect(),
            documents,
            tree,
            segments: counts.segments,
            roles,
            colors,
            subtree_cases: counts.subtree_cases,
            frames,
            role_ids,
            project_memo: reader.memo(MemoTarget::Project)?.unwrap_or_default(),
            undo_label: project.undo_label()?,
            redo_label: project.redo_label()?,
            coders: counts.coders,
            codings: counts.codings,
            coder_colors: (reader.coders()?.into_iter())
                .filter_map(|coder| Some((coder.name, parse_color(coder.color.as_deref()?)?)))
                .collect(),
            to_review: reader.orphans()?.len() + reader.coding_reviews()?.len(),
        })
    }

    /// The display colour of a coder's stripes (grey for a coder with no stored colour).
    pub fn coder_color(&self, coder: &str) -> [u8; 3] {
        self.coder_colors
            .get(coder)
            .copied()
            .unwrap_or([128, 128, 128])
    }

    /// The display colour of a code.
    pub fn color(&self, code_id: CodeId) -> [u8; 3] {
        self.colors
            .get(&code_id)
            .copied()
            .unwrap_or_else(|| palette_color(code_id))
    }

    /// Segments of the code and of every code below it.
    pub fn subtree_segments(&self, code_id: CodeId) -> usize {
        self.tree
            .subtree(code_id)
            .iter()
            .map(|id| self.segments.get(id).copied().unwrap_or(0))
            .sum()
    }

    /// Distinct cases with a segment of the code or below it.
    pub fn cases_of(&self, code_id: CodeId) -> usize {
        self.subtree_cases.get(&code_id).copied().unwrap_or(0)
    }

    /// The memo of `target` as the snapshot holds it (empty when none or unknown).
    pub fn memo(&self, target: MemoTarget) -> &str {
        match target {
            MemoTarget::Project => &self.project_memo,
            MemoTarget::Case(case_id) => self
                .cases
                .iter()
                .find(|case| case.id == case_id)
                .map_or("", |case| case.memo.as_str()),
            MemoTarget::Document(document_id) => self
                .documents
                .iter()
                .find(|document| document.id == document_id)
                .map_or("", |document| document.memo.as_str()),
            MemoTarget::Code(code_id) => {
                self.tree.get(code_id).map_or("", |code| code.memo.as_str())
            }
            // Codings are not in the snapshot; the transcript holds them.
            MemoTarget::Coding(_) => "",
        }
    }

    /// The name of a case.
    pub fn case_name(&self, case_id: CaseId) -> &str {
        self.cases
            .iter()
            .find(|case| case.id == case_id)
            .map_or("", |case| case.name.as_str())
    }
}

/// Parses `#RRGGBB`.
pub fn parse_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |range: std::ops::Range<usize>| {
        hex.get(range)
            .and_then(|pair| u8::from_str_radix(pair, 16).ok())
    };
    Some([channel(0..2)?, channel(2..4)?, channel(4..6)?])
}

fn palette_color(code_id: CodeId) -> [u8; 3] {
    let index = code_id.0.rem_euclid(PALETTE.len() as i64) as usize;
    PALETTE.get(index).copied().unwrap_or([0x80, 0x80, 0x80])
}

/// A code's own colour, else its nearest coloured ancestor's, else the palette colour of its
/// top-level category (so a category's codes share a hue).
fn code_colors(tree: &CodeTree) -> BTreeMap<CodeId, [u8; 3]> {
    let mut colors = BTreeMap::new();
    for code_id in tree.walk() {
        let Some(code) = tree.get(code_id) else {
            continue;
        };
        let own = code.color.as_deref().and_then(parse_color);
        let inherited = code
            .parent_id
            .and_then(|parent| colors.get(&parent).copied());
        let color = own.or(inherited).unwrap_or_else(|| palette_color(code_id));
        colors.insert(code_id, color);
    }
    colors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_parse_only_from_rrggbb() {
        assert_eq!(parse_color("#E4575B"), Some([0xE4, 0x57, 0x5B]));
        assert_eq!(parse_color("E4575B"), None);
        assert_eq!(parse_color("#E457"), None);
        assert_eq!(parse_color("#ＥＥ5757"), None);
    }
}
