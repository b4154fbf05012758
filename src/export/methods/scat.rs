//! A SCAT worksheet as the official form lays it out (scatform1): the eight columns with their
//! exact headings, one row per segment, the heading row frozen together with 番号, 発話者 and
//! テクスト, A3 landscape, wrapped text; under the table ストーリー・ライン, 理論記述 and
//! さらに追究すべき点・課題, each a heading and its text in merged cells across the table.

use std::path::Path;

use rust_xlsxwriter::Workbook;

use super::sheet::{Formats, merge_text, row_height, write_text, xlsx_error};
use super::{MethodReport, md_cell};
use crate::Result;
use crate::export::write_file;
use crate::methods::scat::ScatWorksheet;
use crate::model::SCAT_HEADINGS;

/// A3 in Excel's paper size numbering.
const A3: u8 = 8;

/// Column widths in Excel character units: 番号, 発話者, テクスト, 〈1〉–〈5〉.
const WIDTHS: [f64; 8] = [5.0, 8.0, 48.0, 22.0, 22.0, 22.0, 26.0, 22.0];

/// Writes the worksheet as an xlsx file.
pub fn write_scat_xlsx(worksheet: &ScatWorksheet, path: &Path) -> Result<MethodReport> {
    let bytes = scat_xlsx(worksheet)?;
    write_file(path, &bytes)?;
    Ok(MethodReport {
        bytes: bytes.len(),
        parts: vec![sheet_title(worksheet)],
    })
}

fn sheet_title(worksheet: &ScatWorksheet) -> String {
    let mut taken = Vec::new();
    super::sheet::sheet_name(&format!("SCAT_{}", worksheet.document), &mut taken)
}

/// The workbook as bytes.
pub fn scat_xlsx(worksheet: &ScatWorksheet) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let sheet = workbook.add_worksheet();
    (|| -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
        sheet.set_name(sheet_title(worksheet))?;
        for (column, heading) in SCAT_HEADINGS.iter().enumerate() {
            write_text(sheet, 0, column as u16, heading, &formats.header)?;
        }
        let heading_cells: Vec<(&str, f64)> = SCAT_HEADINGS
            .iter()
            .copied()
            .zip(WIDTHS.iter().copied())
            .collect();
        sheet.set_row_height(0, row_height(&heading_cells))?;
        let mut row_number: u32 = 1;
        for row in &worksheet.rows {
            let number = row.number.to_string();
            let cells: [&str; 8] = [
                &number,
                &row.speaker,
                &row.text,
                &row.steps[0],
                &row.steps[1],
                &row.steps[2],
                &row.steps[3],
                &row.steps[4],
            ];
            for (column, text) in cells.iter().enumerate() {
                let format = if column < 2 {
                    &formats.label
                } else {
                    &formats.body
                };
                if column == 0 {
                    sheet.write_number_with_format(row_number, 0, row.number as f64, format)?;
                } else {
                    write_text(sheet, row_number, column as u16, text, format)?;
                }
            }
            let sized: Vec<(&str, f64)> =
                cells.iter().copied().zip(WIDTHS.iter().copied()).collect();
            sheet.set_row_height(row_number, row_height(&sized))?;
            row_number += 1;
        }
        // One empty line, then the three blocks: heading over 番号–発話者, text across the rest.
        row_number += 1;
        let text_width: f64 = WIDTHS.iter().skip(2).sum();
        for (heading, text) in worksheet.blocks() {
            merge_text(
                sheet,
                (row_number, 0),
                (row_number, 1),
                heading,
                &formats.label,
            )?;
            merge_text(sheet, (row_number, 2), (row_number, 7), text, &formats.body)?;
            let height = row_height(&[(text, text_width), (heading, WIDTHS[0] + WIDTHS[1])]);
            sheet.set_row_height(row_number, height.max(46.0))?;
            row_number += 1;
        }
        for (column, width) in WIDTHS.iter().enumerate() {
            sheet.set_column_width(column as u16, *width)?;
        }
        sheet.set_freeze_panes(1, 3)?;
        sheet
            .set_landscape()
            .set_paper_size(A3)
            .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
            .set_header(format!(
                "&LSCAT {}（事例 {}）",
                worksheet.document.replace('&', "&&"),
                worksheet.case.replace('&', "&&")
            ))
            .set_footer("&C&P / &N");
        sheet.set_repeat_rows(0, 0)?;
        sheet.set_print_fit_to_pages(1, 0);
        Ok(())
    })()
    .map_err(xlsx_error)?;
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The worksheet as Markdown: a title, the eight-column table, the three blocks as sections.
pub fn scat_markdown(worksheet: &ScatWorksheet) -> String {
    let mut out = format!(
        "# SCAT: {}（事例 {}）\n\n| {} |\n|{}\n",
        worksheet.document,
        worksheet.case,
        SCAT_HEADINGS.join(" | "),
        "---|".repeat(SCAT_HEADINGS.len())
    );
    for row in &worksheet.rows {
        let cells: Vec<String> = [row.speaker.as_str(), row.text.as_str()]
            .into_iter()
            .chain(row.steps.iter().map(String::as_str))
            .map(md_cell)
            .collect();
        out.push_str(&format!("| {} | {} |\n", row.number, cells.join(" | ")));
    }
    for (heading, text) in worksheet.blocks() {
        out.push_str(&format!("\n## {heading}\n\n{}\n", text.trim_end()));
    }
    out
}

/// Writes the Markdown file.
pub fn write_scat_markdown(worksheet: &ScatWorksheet, path: &Path) -> Result<MethodReport> {
    let text = scat_markdown(worksheet);
    write_file(path, text.as_bytes())?;
    Ok(MethodReport {
        bytes: text.len(),
        parts: vec![format!("SCAT {}", worksheet.document)],
    })
}
