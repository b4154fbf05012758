//! A SCAT worksheet as it is read and printed: each row with its number, speaker, text and
//! citation, and the check that every 〈4〉 theme appears in the ストーリー・ライン.

use serde::Serialize;

use crate::model::{DocumentId, SCAT_STEPS, ScatSheet};
use crate::store::Reader;
use crate::text::CharIndex;
use crate::{Error, Result};

/// A row as shown: `number` is the 番号 column (from 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScatRowView {
    pub number: usize,
    pub speaker: String,
    /// Code points of the document text, half-open.
    pub start: usize,
    pub end: usize,
    /// Exactly the stored text of `[start, end)`.
    pub text: String,
    /// `A-23`: where the row starts in the transcript.
    pub citation: Option<String>,
    /// 〈1〉–〈5〉.
    pub steps: [String; SCAT_STEPS],
}

/// The SCAT worksheet of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScatWorksheet {
    pub document_id: DocumentId,
    pub document: String,
    pub case: String,
    pub rows: Vec<ScatRowView>,
    pub storyline: String,
    pub theory: String,
    pub issues: String,
    /// 〈4〉 themes (one per line of a cell) that the ストーリー・ライン does not contain yet.
    pub themes_missing_from_storyline: Vec<String>,
}

impl ScatWorksheet {
    /// Reads the worksheet of the document named `document`; an error says when there is no
    /// such document or no worksheet yet.
    pub fn load(read: Reader<'_>, document: &str) -> Result<ScatWorksheet> {
        let Some(info) = read.document_by_name(document)? else {
            return Err(Error::NoSuchDocument(document.to_owned()));
        };
        let Some(sheet) = read.scat_sheet(&info.guid)? else {
            return Err(Error::Conflict(format!(
                "document '{document}' has no SCAT worksheet yet (create it with `casecode scat PROJECT --doc {document} init`)"
            )));
        };
        let text = CharIndex::new(read.document_text(info.id)?.unwrap_or_default());
        let utterances = read.utterances(info.id)?;
        let cases = read.cases()?;
        let case = cases
            .iter()
            .find(|case| case.id == info.case_id)
            .map(|case| case.name.clone())
            .unwrap_or_default();
        let ScatSheet {
            rows,
            storyline,
            theory,
            issues,
        } = sheet;
        let rows: Vec<ScatRowView> = rows
            .into_iter()
            .enumerate()
            .map(|(index, row)| ScatRowView {
                number: index + 1,
                text: text
                    .slice(row.start, row.end)
                    .unwrap_or_default()
                    .to_owned(),
                citation: super::citation(&info, &cases, &utterances, row.start),
                speaker: row.speaker,
                start: row.start,
                end: row.end,
                steps: row.steps,
            })
            .collect();
        let themes_missing_from_storyline = missing_themes(&rows, &storyline);
        Ok(ScatWorksheet {
            document_id: info.id,
            document: info.name,
            case,
            rows,
            storyline,
            theory,
            issues,
            themes_missing_from_storyline,
        })
    }

    /// The three free-text blocks with their headings, in print order.
    pub fn blocks(&self) -> [(&'static str, &str); 3] {
        [
            ("ストーリー・ライン", self.storyline.as_str()),
            ("理論記述", self.theory.as_str()),
            ("さらに追究すべき点・課題", self.issues.as_str()),
        ]
    }
}

/// Each non-empty line of every 〈4〉 cell that the story line does not contain, in row order,
/// without repeats.
fn missing_themes(rows: &[ScatRowView], storyline: &str) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    for row in rows {
        for theme in row.steps[3]
            .lines()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if !storyline.contains(theme) && !missing.iter().any(|m| m == theme) {
                missing.push(theme.to_owned());
            }
        }
    }
    missing
}
