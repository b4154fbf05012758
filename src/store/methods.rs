//! SCAT and M-GTA worksheets in and out (schema version of `0008_methods.sql`). Every write
//! replaces one whole thing (a sheet, a concept's variation order, a memo, the diagram) and
//! returns what it replaced, which is what the commands' inverses need.

use rusqlite::params;

use super::db::Row;

use super::read::Reader;
use super::write::Tx;
use crate::Result;
use crate::model::{
    DiagramArrow, DiagramBox, MgtaSettings, ResultDiagram, ScatRow, ScatSheet, TheoreticalMemo,
    VariationEntry,
};

/// `project_meta` keys of 分析焦点者 and 分析テーマ.
const FOCUS_PERSON_KEY: &str = "mgta.focus_person";
const THEME_KEY: &str = "mgta.theme";

const MEMO_COLUMNS: &str = "id, code_guid, date, coder, text";

fn memo_from_row(row: &Row<'_>) -> Result<TheoreticalMemo> {
    Ok(TheoreticalMemo {
        id: row.get(0)?,
        code_guid: row.get(1)?,
        date: row.get(2)?,
        coder: row.get(3)?,
        text: row.get(4)?,
    })
}

fn scat_row_from_row(row: &Row<'_>) -> Result<ScatRow> {
    let position = |index: usize| -> Result<usize> {
        let value: i64 = row.get(index)?;
        usize::try_from(value).map_err(|_| {
            crate::Error::Sqlite(rusqlite::Error::IntegralValueOutOfRange(index, value))
        })
    };
    Ok(ScatRow {
        speaker: row.get(0)?,
        start: position(1)?,
        end: position(2)?,
        steps: [
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
        ],
    })
}

impl Reader<'_> {
    /// The SCAT worksheet of a document (by the document's GUID), rows in order.
    pub fn scat_sheet(&self, document_guid: &str) -> Result<Option<ScatSheet>> {
        let Some((storyline, theory, issues)) = self.query_one(
            "SELECT storyline, theory, issues FROM scat_sheets WHERE document_guid = ?1",
            params![document_guid],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?
        else {
            return Ok(None);
        };
        let rows = self.query(
            "SELECT speaker, start, \"end\", step1, step2, step3, step4, step5 FROM scat_rows
             WHERE document_guid = ?1 ORDER BY position",
            params![document_guid],
            scat_row_from_row,
        )?;
        Ok(Some(ScatSheet {
            rows,
            storyline,
            theory,
            issues,
        }))
    }

    /// The GUIDs of the documents that have a SCAT worksheet, sorted.
    pub fn scat_sheet_guids(&self) -> Result<Vec<String>> {
        self.query(
            "SELECT document_guid FROM scat_sheets ORDER BY document_guid",
            params![],
            |row| row.get(0),
        )
    }

    /// 分析焦点者 and 分析テーマ (empty until written).
    pub fn mgta_settings(&self) -> Result<MgtaSettings> {
        Ok(MgtaSettings {
            focus_person: self.meta(FOCUS_PERSON_KEY)?.unwrap_or_default(),
            theme: self.meta(THEME_KEY)?.unwrap_or_default(),
        })
    }

    /// The stored order of a concept's variations (only codings placed or hidden so far).
    pub fn variation_entries(&self, code_guid: &str) -> Result<Vec<VariationEntry>> {
        self.query(
            "SELECT coding_guid, hidden FROM mgta_variations WHERE code_guid = ?1
             ORDER BY position",
            params![code_guid],
            |row| {
                Ok(VariationEntry {
                    coding_guid: row.get(0)?,
                    hidden: row.get(1)?,
                })
            },
        )
    }

    /// The 理論的メモ of a concept, or with `None` the 理論的メモノート, by date then id.
    pub fn theoretical_memos(&self, code_guid: Option<&str>) -> Result<Vec<TheoreticalMemo>> {
        self.query(
            &format!(
                "SELECT {MEMO_COLUMNS} FROM mgta_memos WHERE code_guid IS NOT DISTINCT FROM ?1 ORDER BY date, id"
            ),
            params![code_guid],
            memo_from_row,
        )
    }

    /// One 理論的メモ entry by id.
    pub fn theoretical_memo(&self, memo_id: i64) -> Result<Option<TheoreticalMemo>> {
        self.query_one(
            &format!("SELECT {MEMO_COLUMNS} FROM mgta_memos WHERE id = ?1"),
            params![memo_id],
            memo_from_row,
        )
    }

    /// The first unused 理論的メモ id.
    pub fn next_theoretical_memo_id(&self) -> Result<i64> {
        Ok(self
            .query_one(
                "SELECT ifnull(max(id), 0) + 1 FROM mgta_memos",
                params![],
                |row| row.get(0),
            )?
            .unwrap_or(1))
    }

    /// The 結果図: boxes by code GUID, arrows by id.
    pub fn result_diagram(&self) -> Result<ResultDiagram> {
        let boxes = self.query(
            "SELECT code_guid, x, y FROM mgta_diagram_boxes ORDER BY code_guid",
            params![],
            |row| {
                Ok(DiagramBox {
                    code_guid: row.get(0)?,
                    x: row.get(1)?,
                    y: row.get(2)?,
                })
            },
        )?;
        let arrows = self.query(
            "SELECT id, from_guid, to_guid, label FROM mgta_diagram_arrows ORDER BY id",
            params![],
            |row| {
                Ok(DiagramArrow {
                    id: row.get(0)?,
                    from_guid: row.get(1)?,
                    to_guid: row.get(2)?,
                    label: row.get(3)?,
                })
            },
        )?;
        Ok(ResultDiagram { boxes, arrows })
    }
}

impl Tx<'_> {
    /// Replaces (or with `None` removes) the SCAT worksheet of a document; returns the old one.
    pub fn replace_scat_sheet(
        &self,
        document_guid: &str,
        sheet: Option<&ScatSheet>,
    ) -> Result<Option<ScatSheet>> {
        let previous = self.read().scat_sheet(document_guid)?;
        let tx = self.transaction();
        tx.execute(
            "DELETE FROM scat_sheets WHERE document_guid = ?1",
            params![document_guid],
        )?;
        if let Some(sheet) = sheet {
            tx.execute(
                "INSERT INTO scat_sheets (document_guid, storyline, theory, issues)
                 VALUES (?1, ?2, ?3, ?4)",
                params![document_guid, sheet.storyline, sheet.theory, sheet.issues],
            )?;
            let statement =
                "INSERT INTO scat_rows (document_guid, position, speaker, start, \"end\",
                 step1, step2, step3, step4, step5)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
            for (position, row) in sheet.rows.iter().enumerate() {
                let [s1, s2, s3, s4, s5] = &row.steps;
                tx.execute(
                    statement,
                    params![
                        document_guid,
                        position as i64,
                        row.speaker,
                        row.start as i64,
                        row.end as i64,
                        s1,
                        s2,
                        s3,
                        s4,
                        s5
                    ],
                )?;
            }
        }
        Ok(previous)
    }

    /// Writes 分析焦点者 and 分析テーマ; returns the old ones.
    pub fn set_mgta_settings(&self, settings: &MgtaSettings) -> Result<MgtaSettings> {
        let previous = self.read().mgta_settings()?;
        // An empty value removes its key, so that undoing the first setting leaves
        // `project_meta` exactly as it was.
        for (key, value) in [
            (FOCUS_PERSON_KEY, &settings.focus_person),
            (THEME_KEY, &settings.theme),
        ] {
            if value.is_empty() {
                self.transaction()
                    .execute("DELETE FROM project_meta WHERE key = ?1", params![key])?;
            } else {
                self.set_meta(key, value)?;
            }
        }
        Ok(previous)
    }

    /// Replaces the stored variation order of a concept; returns the old one.
    pub fn replace_variation_entries(
        &self,
        code_guid: &str,
        entries: &[VariationEntry],
    ) -> Result<Vec<VariationEntry>> {
        let previous = self.read().variation_entries(code_guid)?;
        let tx = self.transaction();
        tx.execute(
            "DELETE FROM mgta_variations WHERE code_guid = ?1",
            params![code_guid],
        )?;
        let statement = "INSERT INTO mgta_variations (code_guid, coding_guid, position, hidden)
             VALUES (?1, ?2, ?3, ?4)";
        for (position, entry) in entries.iter().enumerate() {
            tx.execute(
                statement,
                params![code_guid, entry.coding_guid, position as i64, entry.hidden],
            )?;
        }
        Ok(previous)
    }

    /// Writes (or with `None` deletes) 理論的メモ entries by id; returns what each id held.
    pub fn set_theoretical_memos(
        &self,
        memos: &[(i64, Option<TheoreticalMemo>)],
    ) -> Result<Vec<(i64, Option<TheoreticalMemo>)>> {
        let tx = self.transaction();
        let mut previous = Vec::with_capacity(memos.len());
        for (memo_id, memo) in memos {
            let old = self.read().theoretical_memo(*memo_id)?;
            tx.execute("DELETE FROM mgta_memos WHERE id = ?1", params![memo_id])?;
            if let Some(memo) = memo {
                tx.execute(
                    "INSERT INTO mgta_memos (id, code_guid, date, coder, text)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![memo_id, memo.code_guid, memo.date, memo.coder, memo.text],
                )?;
            }
            previous.push((*memo_id, old));
        }
        Ok(previous)
    }

    /// Replaces the 結果図; returns the old one.
    pub fn replace_result_diagram(&self, diagram: &ResultDiagram) -> Result<ResultDiagram> {
        let previous = self.read().result_diagram()?;
        let tx = self.transaction();
        tx.execute("DELETE FROM mgta_diagram_boxes", params![])?;
        tx.execute("DELETE FROM mgta_diagram_arrows", params![])?;
        let statement = "INSERT INTO mgta_diagram_boxes (code_guid, x, y) VALUES (?1, ?2, ?3)";
        for diagram_box in &diagram.boxes {
            tx.execute(
                statement,
                params![diagram_box.code_guid, diagram_box.x, diagram_box.y],
            )?;
        }
        let statement = "INSERT INTO mgta_diagram_arrows (id, from_guid, to_guid, label)
             VALUES (?1, ?2, ?3, ?4)";
        for arrow in &diagram.arrows {
            tx.execute(
                statement,
                params![arrow.id, arrow.from_guid, arrow.to_guid, arrow.label],
            )?;
        }
        Ok(previous)
    }
}
