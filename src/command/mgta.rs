//! M-GTA commands (木下康仁's modified grounded theory approach): 分析焦点者 and 分析テーマ, the
//! order and visibility of a concept's variations, 理論的メモ entries (on a worksheet or in the
//! 理論的メモノート) and the 結果図. A concept is a code, so its 概念名 and 定義 are edited with
//! the code commands. Each user-facing command compiles to one primitive that returns the
//! exact old state as its inverse.

use serde::{Deserialize, Serialize};

use super::Command;
use crate::model::{
    Code, CodeId, CodingId, DiagramArrow, DiagramBox, MgtaSettings, ResultDiagram, TheoreticalMemo,
    VariationEntry,
};
use crate::store::Tx;
use crate::{Error, Result};

/// A change to the project's M-GTA analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MgtaCommand {
    /// Write 分析焦点者 and/or 分析テーマ (`None` keeps the current one).
    SetSettings {
        focus_person: Option<String>,
        theme: Option<String>,
    },
    /// Move a variation (a coding of the concept) to 1-based position `to`.
    MoveVariation {
        code_id: CodeId,
        coding_id: CodingId,
        to: usize,
    },
    /// Hide a variation from the worksheet (the coding stays), or show it again.
    HideVariation {
        code_id: CodeId,
        coding_id: CodingId,
        hidden: bool,
    },
    /// Add a dated 理論的メモ entry to a concept's worksheet, or with `None` to the
    /// 理論的メモノート. `date` defaults to today (UTC), `YYYY-MM-DD`.
    AddMemo {
        code_id: Option<CodeId>,
        date: Option<String>,
        coder: String,
        text: String,
    },
    /// Rewrite the text of a 理論的メモ entry.
    EditMemo { memo_id: i64, text: String },
    /// Delete a 理論的メモ entry.
    RemoveMemo { memo_id: i64 },
    /// Put a category or concept on the 結果図 at (x, y), or move its box there.
    PlaceBox { code_id: CodeId, x: f64, y: f64 },
    /// Take a box off the 結果図 with its arrows.
    RemoveBox { code_id: CodeId },
    /// Draw a labelled arrow between two codes' boxes (boxes are added where missing).
    AddArrow {
        from_id: CodeId,
        to_id: CodeId,
        label: String,
    },
    /// Relabel an arrow.
    EditArrow { arrow_id: i64, label: String },
    /// Delete an arrow.
    RemoveArrow { arrow_id: i64 },

    /// Primitive: overwrite 分析焦点者 and 分析テーマ.
    ReplaceSettings(MgtaSettings),
    /// Primitive: overwrite the stored variation order of a concept (by code GUID).
    ReplaceVariations {
        code_guid: String,
        entries: Vec<VariationEntry>,
    },
    /// Primitive: write (or with `None` delete) 理論的メモ entries by id.
    SetMemos(Vec<(i64, Option<TheoreticalMemo>)>),
    /// Primitive: overwrite the 結果図.
    ReplaceDiagram(ResultDiagram),
}

/// Where a box added without a position goes: the first cell of a grid (four columns of 300
/// by 120 points) that holds no box yet.
pub fn default_box_position(boxes: &[DiagramBox]) -> (f64, f64) {
    let cell = |index: usize| {
        let column = (index % 4) as f64;
        let line = (index / 4) as f64;
        (40.0 + column * 300.0, 40.0 + line * 120.0)
    };
    let taken = |(x, y): (f64, f64)| {
        boxes
            .iter()
            .any(|b| (b.x - x).abs() < 280.0 && (b.y - y).abs() < 100.0)
    };
    (0..=boxes.len())
        .map(cell)
        .find(|position| !taken(*position))
        .unwrap_or_else(|| cell(boxes.len()))
}

impl MgtaCommand {
    /// The label shown in history and in the Edit menu.
    pub fn label(&self) -> String {
        match self {
            MgtaCommand::SetSettings { .. } => "分析焦点者・分析テーマの編集".to_owned(),
            MgtaCommand::MoveVariation { to, .. } => format!("ヴァリエーションの移動（→ {to}）"),
            MgtaCommand::HideVariation { hidden: true, .. } => "ヴァリエーションを隠す".to_owned(),
            MgtaCommand::HideVariation { hidden: false, .. } => "ヴァリエーションを表示".to_owned(),
            MgtaCommand::AddMemo { code_id: None, .. } => "理論的メモノートに記入".to_owned(),
            MgtaCommand::AddMemo { .. } => "理論的メモの記入".to_owned(),
            MgtaCommand::EditMemo { .. } => "理論的メモの編集".to_owned(),
            MgtaCommand::RemoveMemo { .. } => "理論的メモの削除".to_owned(),
            MgtaCommand::PlaceBox { .. } => "結果図のボックスの配置".to_owned(),
            MgtaCommand::RemoveBox { .. } => "結果図のボックスの削除".to_owned(),
            MgtaCommand::AddArrow { label, .. } => format!("結果図に矢印「{label}」を追加"),
            MgtaCommand::EditArrow { label, .. } => format!("結果図の矢印を「{label}」に"),
            MgtaCommand::RemoveArrow { .. } => "結果図の矢印の削除".to_owned(),
            MgtaCommand::ReplaceSettings(_) => "分析焦点者・分析テーマの設定".to_owned(),
            MgtaCommand::ReplaceVariations { .. } => "ヴァリエーションの並びの設定".to_owned(),
            MgtaCommand::SetMemos(_) => "理論的メモの設定".to_owned(),
            MgtaCommand::ReplaceDiagram(_) => "結果図の設定".to_owned(),
        }
    }

    /// Applies the command inside `tx` and returns its inverse.
    pub(crate) fn apply(self, tx: &Tx<'_>) -> Result<Command> {
        match self {
            MgtaCommand::SetSettings {
                focus_person,
                theme,
            } => {
                let mut settings = tx.read().mgta_settings()?;
                if let Some(focus_person) = focus_person {
                    settings.focus_person = focus_person;
                }
                if let Some(theme) = theme {
                    settings.theme = theme;
                }
                MgtaCommand::ReplaceSettings(settings).apply(tx)
            }
            MgtaCommand::MoveVariation {
                code_id,
                coding_id,
                to,
            } => {
                let (code, mut entries, index) = variation(tx, code_id, coding_id)?;
                if to == 0 || to > entries.len() {
                    return Err(Error::Conflict(format!(
                        "concept '{}' has variations 1 to {}, not {to}",
                        code.name,
                        entries.len()
                    )));
                }
                let entry = entries.remove(index);
                entries.insert(to - 1, entry);
                replace_variations(tx, code.guid, entries)
            }
            MgtaCommand::HideVariation {
                code_id,
                coding_id,
                hidden,
            } => {
                let (code, mut entries, index) = variation(tx, code_id, coding_id)?;
                if let Some(entry) = entries.get_mut(index) {
                    entry.hidden = hidden;
                }
                replace_variations(tx, code.guid, entries)
            }
            MgtaCommand::AddMemo {
                code_id,
                date,
                coder,
                text,
            } => {
                let code_guid = match code_id {
                    Some(code_id) => Some(existing_code(tx, code_id)?.guid),
                    None => None,
                };
                let date = match date {
                    Some(date) => checked_date(&date)?,
                    None => tx.now()?.chars().take(10).collect(),
                };
                let coder = coder.trim().to_owned();
                if coder.is_empty() {
                    return Err(Error::Conflict("the coder name is empty".to_owned()));
                }
                if text.trim().is_empty() {
                    return Err(Error::Conflict("the memo entry is empty".to_owned()));
                }
                let id = tx.read().next_theoretical_memo_id()?;
                let memo = TheoreticalMemo {
                    id,
                    code_guid,
                    date,
                    coder,
                    text,
                };
                MgtaCommand::SetMemos(vec![(id, Some(memo))]).apply(tx)
            }
            MgtaCommand::EditMemo { memo_id, text } => {
                let mut memo = existing_memo(tx, memo_id)?;
                memo.text = text;
                MgtaCommand::SetMemos(vec![(memo_id, Some(memo))]).apply(tx)
            }
            MgtaCommand::RemoveMemo { memo_id } => {
                existing_memo(tx, memo_id)?;
                MgtaCommand::SetMemos(vec![(memo_id, None)]).apply(tx)
            }
            MgtaCommand::PlaceBox { code_id, x, y } => {
                let code = existing_code(tx, code_id)?;
                if !x.is_finite() || !y.is_finite() {
                    return Err(Error::Conflict(format!(
                        "box position ({x}, {y}) is not a pair of numbers"
                    )));
                }
                let mut diagram = tx.read().result_diagram()?;
                match diagram.boxes.iter_mut().find(|b| b.code_guid == code.guid) {
                    Some(found) => (found.x, found.y) = (x, y),
                    None => diagram.boxes.push(DiagramBox {
                        code_guid: code.guid,
                        x,
                        y,
                    }),
                }
                replace_diagram(tx, diagram)
            }
            MgtaCommand::RemoveBox { code_id } => {
                let code = existing_code(tx, code_id)?;
                let mut diagram = tx.read().result_diagram()?;
                if diagram.box_of(&code.guid).is_none() {
                    return Err(Error::Conflict(format!(
                        "'{}' is not on the 結果図",
                        code.name
                    )));
                }
                diagram.boxes.retain(|b| b.code_guid != code.guid);
                diagram
                    .arrows
                    .retain(|a| a.from_guid != code.guid && a.to_guid != code.guid);
                replace_diagram(tx, diagram)
            }
            MgtaCommand::AddArrow {
                from_id,
                to_id,
                label,
            } => {
                let from = existing_code(tx, from_id)?;
                let to = existing_code(tx, to_id)?;
                if from.id == to.id {
                    return Err(Error::Conflict(format!(
                        "an arrow needs two different boxes ('{}' → '{}')",
                        from.name, to.name
                    )));
                }
                let mut diagram = tx.read().result_diagram()?;
                for guid in [&from.guid, &to.guid] {
                    if diagram.box_of(guid).is_none() {
                        let (x, y) = default_box_position(&diagram.boxes);
                        diagram.boxes.push(DiagramBox {
                            code_guid: guid.clone(),
                            x,
                            y,
                        });
                    }
                }
                let id = diagram.arrows.iter().map(|a| a.id).max().unwrap_or(0) + 1;
                diagram.arrows.push(DiagramArrow {
                    id,
                    from_guid: from.guid,
                    to_guid: to.guid,
                    label: label.trim().to_owned(),
                });
                replace_diagram(tx, diagram)
            }
            MgtaCommand::EditArrow { arrow_id, label } => {
                let mut diagram = tx.read().result_diagram()?;
                let Some(arrow) = diagram.arrows.iter_mut().find(|a| a.id == arrow_id) else {
                    return Err(Error::Conflict(format!(
                        "the 結果図 has no arrow {arrow_id}"
                    )));
                };
                arrow.label = label.trim().to_owned();
                replace_diagram(tx, diagram)
            }
            MgtaCommand::RemoveArrow { arrow_id } => {
                let mut diagram = tx.read().result_diagram()?;
                if !diagram.arrows.iter().any(|a| a.id == arrow_id) {
                    return Err(Error::Conflict(format!(
                        "the 結果図 has no arrow {arrow_id}"
                    )));
                }
                diagram.arrows.retain(|a| a.id != arrow_id);
                replace_diagram(tx, diagram)
            }
            MgtaCommand::ReplaceSettings(settings) => Ok(Command::Mgta(
                MgtaCommand::ReplaceSettings(tx.set_mgta_settings(&settings)?),
            )),
            MgtaCommand::ReplaceVariations { code_guid, entries } => {
                let previous = tx.replace_variation_entries(&code_guid, &entries)?;
                Ok(Command::Mgta(MgtaCommand::ReplaceVariations {
                    code_guid,
                    entries: previous,
                }))
            }
            MgtaCommand::SetMemos(memos) => {
                let mut previous = tx.set_theoretical_memos(&memos)?;
                previous.reverse();
                Ok(Command::Mgta(MgtaCommand::SetMemos(previous)))
            }
            MgtaCommand::ReplaceDiagram(diagram) => Ok(Command::Mgta(MgtaCommand::ReplaceDiagram(
                tx.replace_result_diagram(&diagram)?,
            ))),
        }
    }
}

fn replace_variations(
    tx: &Tx<'_>,
    code_guid: String,
    entries: Vec<VariationEntry>,
) -> Result<Command> {
    MgtaCommand::ReplaceVariations { code_guid, entries }.apply(tx)
}

fn replace_diagram(tx: &Tx<'_>, mut diagram: ResultDiagram) -> Result<Command> {
    diagram.boxes.sort_by(|a, b| a.code_guid.cmp(&b.code_guid));
    MgtaCommand::ReplaceDiagram(diagram).apply(tx)
}

fn existing_code(tx: &Tx<'_>, code_id: CodeId) -> Result<Code> {
    tx.read()
        .code(code_id)?
        .ok_or_else(|| Error::NoSuchCode(format!("id {code_id}")))
}

fn existing_memo(tx: &Tx<'_>, memo_id: i64) -> Result<TheoreticalMemo> {
    tx.read()
        .theoretical_memo(memo_id)?
        .ok_or_else(|| Error::Conflict(format!("no 理論的メモ entry with id {memo_id}")))
}

/// A `YYYY-MM-DD` date (full-width digits are accepted and stored half-width).
fn checked_date(date: &str) -> Result<String> {
    let date: String = date
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '/' => '-',
            other => other,
        })
        .collect();
    let parts: Vec<&str> = date.split('-').collect();
    let valid = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && [y, m, d].iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
            && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)));
    if !valid {
        return Err(Error::Conflict(format!(
            "'{date}' is not a date of the form YYYY-MM-DD"
        )));
    }
    Ok(date)
}

/// A concept, its full variation order (stored entries of existing codings first, then the
/// remaining codings in order of addition) and the index of `coding_id` in it.
fn variation(
    tx: &Tx<'_>,
    code_id: CodeId,
    coding_id: CodingId,
) -> Result<(Code, Vec<VariationEntry>, usize)> {
    let code = existing_code(tx, code_id)?;
    let mut codings = tx.read().codings_of_code(code_id)?;
    codings.sort_by_key(|coding| coding.id);
    let guids: Vec<(CodingId, String)> = codings.into_iter().map(|c| (c.id, c.guid)).collect();
    let entries = full_variation_order(&tx.read().variation_entries(&code.guid)?, &guids);
    let Some(guid) = guids
        .iter()
        .find(|(id, _)| *id == coding_id)
        .map(|(_, g)| g)
    else {
        return Err(Error::Conflict(format!(
            "coding {coding_id} is not a variation of concept '{}'",
            code.name
        )));
    };
    let index = entries
        .iter()
        .position(|entry| &entry.coding_guid == guid)
        .unwrap_or_default();
    Ok((code, entries, index))
}

/// The stored entries whose codings still belong to the concept, in their order, then the
/// concept's other codings (`codings`: id and GUID, in order of addition), shown.
pub fn full_variation_order(
    stored: &[VariationEntry],
    codings: &[(CodingId, String)],
) -> Vec<VariationEntry> {
    let mut entries: Vec<VariationEntry> = stored
        .iter()
        .filter(|entry| codings.iter().any(|(_, guid)| *guid == entry.coding_guid))
        .cloned()
        .collect();
    for (_, guid) in codings {
        if !entries.iter().any(|entry| &entry.coding_guid == guid) {
            entries.push(VariationEntry {
                coding_guid: guid.clone(),
                hidden: false,
            });
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(guid: &str, hidden: bool) -> VariationEntry {
        VariationEntry {
            coding_guid: guid.to_owned(),
            hidden,
        }
    }

    #[test]
    fn stored_order_comes_first_then_new_codings_by_addition_and_gone_ones_drop_out() {
        let stored = [entry("c", false), entry("gone", true), entry("a", true)];
        let codings = [
            (CodingId(1), "a".to_owned()),
            (CodingId(2), "b".to_owned()),
            (CodingId(3), "c".to_owned()),
            (CodingId(4), "d".to_owned()),
        ];
        assert_eq!(
            full_variation_order(&stored, &codings),
            [
                entry("c", false),
                entry("a", true),
                entry("b", false),
                entry("d", false)
            ]
        );
    }

    #[test]
    fn new_boxes_go_to_the_first_free_cell_of_the_grid() {
        let placed = |x, y| DiagramBox {
            code_guid: String::new(),
            x,
            y,
        };
        assert_eq!(default_box_position(&[]), (40.0, 40.0));
        assert_eq!(default_box_position(&[placed(40.0, 40.0)]), (340.0, 40.0));
        assert_eq!(
            default_box_position(&[placed(340.0, 40.0), placed(45.0, 50.0)]),
            (640.0, 40.0)
        );
    }

    #[test]
    fn memo_dates_are_checked_and_full_width_digits_accepted() {
        assert_eq!(
            checked_date("２０２４－０９－０１").ok().as_deref(),
            Some("2024-09-01")
        );
        assert_eq!(checked_date("2024/9/1").ok(), None);
        assert_eq!(checked_date("2024-13-01").ok(), None);
        assert_eq!(checked_date("9月1日").ok(), None);
    }
}
