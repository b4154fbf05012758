//! SCAT worksheets (大谷尚) and M-GTA analysis worksheets (木下康仁) as plain values.
//!
//! Both are keyed by GUIDs rather than row ids: a SCAT sheet by its document's GUID, M-GTA data
//! by the GUIDs of codes (concepts, categories) and codings (variations). GUIDs are minted once
//! and restored exactly by undo, so a worksheet whose code was deleted comes back with the code
//! when the deletion is undone, and a new code never inherits an old code's memos.

use serde::{Deserialize, Serialize};

/// The number of SCAT coding steps per row: 〈1〉 to 〈5〉.
pub const SCAT_STEPS: usize = 5;

/// The column headings of a SCAT worksheet, exactly as on the official form (scatform1).
pub const SCAT_HEADINGS: [&str; 8] = [
    "番号",
    "発話者",
    "テクスト",
    "〈1〉テクスト中の注目すべき語句",
    "〈2〉テクスト中の語句の言いかえ",
    "〈3〉左を説明するようなテクスト外の概念",
    "〈4〉テーマ・構成概念（前後や全体の文脈を考慮して）",
    "〈5〉疑問・課題",
];

/// A SCAT worksheet of one document: the table and the three free-text blocks under it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScatSheet {
    pub rows: Vec<ScatRow>,
    /// ストーリー・ライン: every 〈4〉 theme woven into one narrative.
    pub storyline: String,
    /// 理論記述.
    pub theory: String,
    /// さらに追究すべき点・課題.
    pub issues: String,
}

/// One segment of a SCAT worksheet: a span of the document's text (code points, half-open)
/// with its speaker and the researcher's five steps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScatRow {
    pub speaker: String,
    pub start: usize,
    pub end: usize,
    /// 〈1〉–〈5〉.
    pub steps: [String; SCAT_STEPS],
}

/// The three free-text blocks under a SCAT table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScatField {
    /// ストーリー・ライン.
    Storyline,
    /// 理論記述.
    Theory,
    /// さらに追究すべき点・課題.
    Issues,
}

impl ScatField {
    /// All three, in the order they are printed.
    pub const ALL: [ScatField; 3] = [ScatField::Storyline, ScatField::Theory, ScatField::Issues];

    /// The heading printed above the block.
    pub fn heading(self) -> &'static str {
        match self {
            ScatField::Storyline => "ストーリー・ライン",
            ScatField::Theory => "理論記述",
            ScatField::Issues => "さらに追究すべき点・課題",
        }
    }

    /// The block's text in `sheet`.
    pub fn of(self, sheet: &ScatSheet) -> &str {
        match self {
            ScatField::Storyline => &sheet.storyline,
            ScatField::Theory => &sheet.theory,
            ScatField::Issues => &sheet.issues,
        }
    }

    /// The block's text in `sheet`, for writing.
    pub fn of_mut(self, sheet: &mut ScatSheet) -> &mut String {
        match self {
            ScatField::Storyline => &mut sheet.storyline,
            ScatField::Theory => &mut sheet.theory,
            ScatField::Issues => &mut sheet.issues,
        }
    }
}

/// 分析焦点者 and 分析テーマ: printed on every M-GTA worksheet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MgtaSettings {
    /// 分析焦点者.
    pub focus_person: String,
    /// 分析テーマ.
    pub theme: String,
}

/// The researcher's placement of one variation (具体例) of a concept: its position is its index
/// in the stored list; `hidden` leaves it out of the worksheet without deleting the coding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariationEntry {
    pub coding_guid: String,
    pub hidden: bool,
}

/// A dated entry of 理論的メモ: on a concept's worksheet (`code_guid`), or in the project's
/// 理論的メモノート (`code_guid` = `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TheoreticalMemo {
    pub id: i64,
    pub code_guid: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub coder: String,
    pub text: String,
}

/// A box of the 結果図: a category or a concept (by its code's GUID) at a position in points
/// from the top left.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiagramBox {
    pub code_guid: String,
    pub x: f64,
    pub y: f64,
}

/// A labelled arrow of the 結果図 (影響, 循環, 対立 …) from one box to another.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiagramArrow {
    pub id: i64,
    pub from_guid: String,
    pub to_guid: String,
    pub label: String,
}

/// The 結果図 of the project: boxes sorted by code GUID, arrows by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResultDiagram {
    pub boxes: Vec<DiagramBox>,
    pub arrows: Vec<DiagramArrow>,
}

impl ResultDiagram {
    /// The box of a code, if it is on the diagram.
    pub fn box_of(&self, code_guid: &str) -> Option<&DiagramBox> {
        self.boxes.iter().find(|b| b.code_guid == code_guid)
    }
}
