//! The M-GTA 分析ワークシート: an xlsx with a summary sheet (カテゴリー ▸ 概念 with 定義, the
//! table most M-GTA papers print), the 理論的メモノート, and one sheet per concept in the usual
//! worksheet layout (分析テーマ and 分析焦点者 on top, then 概念名, 定義, ヴァリエーション one per
//! row and 理論的メモ one entry per row, each field a labelled row); the same as Markdown and
//! HTML. Hidden variations are left out.

use std::path::Path;

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::sheet::{Formats, merge_text, row_height, sheet_name, write_text, xlsx_error};
use super::{MethodReport, html_text, md_cell};
use crate::Result;
use crate::export::write_file;
use crate::methods::mgta::{ConceptSheet, MgtaAnalysis, Variation};
use crate::model::TheoreticalMemo;

/// A4 in Excel's paper size numbering.
const A4: u8 = 9;

/// The name of the summary sheet.
pub const SUMMARY_SHEET: &str = "カテゴリーと概念";
/// The name of the 理論的メモノート sheet.
pub const NOTEBOOK_SHEET: &str = "理論的メモノート";

const LABEL_WIDTH: f64 = 20.0;
const SOURCE_WIDTH: f64 = 16.0;
const TEXT_WIDTH: f64 = 80.0;

fn variation_source(variation: &Variation) -> String {
    variation
        .citation
        .clone()
        .unwrap_or_else(|| variation.document.clone())
}

fn memo_source(memo: &TheoreticalMemo) -> String {
    format!("{}\n{}", memo.date, memo.coder)
}

/// Writes the workbook.
pub fn write_mgta_xlsx(analysis: &MgtaAnalysis, path: &Path) -> Result<MethodReport> {
    let (bytes, parts) = mgta_xlsx(analysis)?;
    write_file(path, &bytes)?;
    Ok(MethodReport {
        bytes: bytes.len(),
        parts,
    })
}

/// The workbook as bytes and the names of its sheets.
pub fn mgta_xlsx(analysis: &MgtaAnalysis) -> Result<(Vec<u8>, Vec<String>)> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let mut taken = vec![SUMMARY_SHEET.to_owned(), NOTEBOOK_SHEET.to_owned()];
    (|| -> std::result::Result<(), XlsxError> {
        summary_sheet(workbook.add_worksheet(), analysis, &formats)?;
        notebook_sheet(workbook.add_worksheet(), analysis, &formats)?;
        for concept in &analysis.concepts {
            let name = sheet_name(&concept.name, &mut taken);
            let sheet = workbook.add_worksheet();
            sheet.set_name(&name)?;
            concept_sheet(sheet, analysis, concept, &formats)?;
        }
        Ok(())
    })()
    .map_err(xlsx_error)?;
    let bytes = workbook.save_to_buffer().map_err(xlsx_error)?;
    Ok((bytes, taken))
}

fn print_setup(sheet: &mut Worksheet, header_rows: u32) -> std::result::Result<(), XlsxError> {
    sheet
        .set_portrait()
        .set_paper_size(A4)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_header("&L&A")
        .set_footer("&C&P / &N");
    sheet.set_print_fit_to_pages(1, 0);
    if header_rows > 0 {
        sheet.set_repeat_rows(0, header_rows - 1)?;
    }
    Ok(())
}

/// 分析テーマ and 分析焦点者 on the first two rows; returns the next free row.
fn settings_rows(
    sheet: &mut Worksheet,
    analysis: &MgtaAnalysis,
    formats: &Formats,
    last_column: u16,
) -> std::result::Result<u32, XlsxError> {
    let rows = [
        ("分析テーマ", &analysis.settings.theme),
        ("分析焦点者", &analysis.settings.focus_person),
    ];
    for (row, (label, text)) in (0u32..).zip(rows) {
        write_text(sheet, row, 0, label, &formats.label)?;
        merge_text(sheet, (row, 1), (row, last_column), text, &formats.body)?;
        sheet.set_row_height(
            row,
            row_height(&[(text.as_str(), SOURCE_WIDTH + TEXT_WIDTH)]),
        )?;
    }
    Ok(2)
}

fn summary_sheet(
    sheet: &mut Worksheet,
    analysis: &MgtaAnalysis,
    formats: &Formats,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(SUMMARY_SHEET)?;
    let widths = [24.0, 24.0, 60.0, 12.0];
    let mut row = settings_rows(sheet, analysis, formats, 3)? + 1;
    let header_row = row;
    for (column, heading) in ["カテゴリー", "概念名", "定義", "ヴァリエーション数"]
        .iter()
        .enumerate()
    {
        write_text(sheet, row, column as u16, heading, &formats.header)?;
    }
    row += 1;
    // Concepts of one category are consecutive (tree order): the category spans their rows.
    let concepts = &analysis.concepts;
    let mut index = 0;
    while index < concepts.len() {
        let category = &concepts[index].category;
        let span = concepts[index..]
            .iter()
            .take_while(|c| &c.category == category)
            .count();
        let first = row;
        for concept in &concepts[index..index + span] {
            write_text(sheet, row, 1, &concept.name, &formats.body)?;
            write_text(sheet, row, 2, &concept.definition, &formats.body)?;
            sheet.write_number_with_format(
                row,
                3,
                concept.shown_variations().count() as f64,
                &formats.body,
            )?;
            sheet.set_row_height(
                row,
                row_height(&[
                    (concept.definition.as_str(), widths[2]),
                    (concept.name.as_str(), widths[1]),
                ]),
            )?;
            row += 1;
        }
        if span > 1 {
            merge_text(sheet, (first, 0), (row - 1, 0), category, &formats.label)?;
        } else {
            write_text(sheet, first, 0, category, &formats.label)?;
        }
        index += span;
    }
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(column as u16, *width)?;
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    print_setup(sheet, 0)
}

fn notebook_sheet(
    sheet: &mut Worksheet,
    analysis: &MgtaAnalysis,
    formats: &Formats,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(NOTEBOOK_SHEET)?;
    for (column, heading) in ["日付", "記入者", "メモ"].iter().enumerate() {
        write_text(sheet, 0, column as u16, heading, &formats.header)?;
    }
    for (row, memo) in (1u32..).zip(&analysis.notebook) {
        write_text(sheet, row, 0, &memo.date, &formats.label)?;
        write_text(sheet, row, 1, &memo.coder, &formats.body)?;
        write_text(sheet, row, 2, &memo.text, &formats.body)?;
        sheet.set_row_height(row, row_height(&[(memo.text.as_str(), TEXT_WIDTH)]))?;
    }
    sheet.set_column_width(0, 12.0)?;
    sheet.set_column_width(1, 12.0)?;
    sheet.set_column_width(2, TEXT_WIDTH)?;
    sheet.set_freeze_panes(1, 0)?;
    print_setup(sheet, 1)
}

fn concept_sheet(
    sheet: &mut Worksheet,
    analysis: &MgtaAnalysis,
    concept: &ConceptSheet,
    formats: &Formats,
) -> std::result::Result<(), XlsxError> {
    let mut row = settings_rows(sheet, analysis, formats, 2)?;
    for (label, text) in [("概念名", &concept.name), ("定義", &concept.definition)] {
        write_text(sheet, row, 0, label, &formats.label)?;
        merge_text(sheet, (row, 1), (row, 2), text, &formats.body)?;
        sheet.set_row_height(
            row,
            row_height(&[(text.as_str(), SOURCE_WIDTH + TEXT_WIDTH)]),
        )?;
        row += 1;
    }
    let variations: Vec<(String, &str)> = concept
        .shown_variations()
        .map(|v| (variation_source(v), v.text.as_str()))
        .collect();
    row = labelled_block(
        sheet,
        row,
        "ヴァリエーション（具体例）",
        &variations,
        formats,
    )?;
    let memos: Vec<(String, &str)> = concept
        .memos
        .iter()
        .map(|m| (memo_source(m), m.text.as_str()))
        .collect();
    labelled_block(sheet, row, "理論的メモ", &memos, formats)?;
    sheet.set_column_width(0, LABEL_WIDTH)?;
    sheet.set_column_width(1, SOURCE_WIDTH)?;
    sheet.set_column_width(2, TEXT_WIDTH)?;
    print_setup(sheet, 0)
}

/// A field with several entries: the label spans the entries' rows, each entry one row with
/// its source (citation, or date and coder) and text. An empty field is one empty row.
fn labelled_block(
    sheet: &mut Worksheet,
    first: u32,
    label: &str,
    entries: &[(String, &str)],
    formats: &Formats,
) -> std::result::Result<u32, XlsxError> {
    let mut row = first;
    if entries.is_empty() {
        write_text(sheet, row, 0, label, &formats.label)?;
        merge_text(sheet, (row, 1), (row, 2), "", &formats.body)?;
        return Ok(row + 1);
    }
    for (source, text) in entries {
        write_text(sheet, row, 1, source, &formats.body)?;
        write_text(sheet, row, 2, text, &formats.body)?;
        sheet.set_row_height(
            row,
            row_height(&[(*text, TEXT_WIDTH), (source.as_str(), SOURCE_WIDTH)]),
        )?;
        row += 1;
    }
    if entries.len() > 1 {
        merge_text(sheet, (first, 0), (row - 1, 0), label, &formats.label)?;
    } else {
        write_text(sheet, first, 0, label, &formats.label)?;
    }
    Ok(row)
}

/// The analysis as Markdown: settings, the summary table, one section per concept, the
/// 理論的メモノート.
pub fn mgta_markdown(analysis: &MgtaAnalysis) -> String {
    let mut out = format!(
        "# M-GTA 分析ワークシート\n\n- 分析テーマ: {}\n- 分析焦点者: {}\n\n## {SUMMARY_SHEET}\n\n| カテゴリー | 概念名 | 定義 | ヴァリエーション数 |\n|---|---|---|---|\n",
        analysis.settings.theme, analysis.settings.focus_person
    );
    for concept in &analysis.concepts {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md_cell(&concept.category),
            md_cell(&concept.name),
            md_cell(&concept.definition),
            concept.shown_variations().count()
        ));
    }
    for concept in &analysis.concepts {
        out.push_str(&format!(
            "\n## 概念: {}\n\n| 項目 | 内容 |\n|---|---|\n| 概念名 | {} |\n| 定義 | {} |\n",
            concept.name,
            md_cell(&concept.name),
            md_cell(&concept.definition)
        ));
        let variations: Vec<String> = concept
            .shown_variations()
            .enumerate()
            .map(|(n, v)| format!("{}. {}「{}」", n + 1, variation_source(v), v.text))
            .collect();
        out.push_str(&format!(
            "| ヴァリエーション（具体例） | {} |\n",
            md_cell(&variations.join("\n"))
        ));
        let memos: Vec<String> = concept
            .memos
            .iter()
            .map(|m| format!("{}（{}）{}", m.date, m.coder, m.text))
            .collect();
        out.push_str(&format!(
            "| 理論的メモ | {} |\n",
            md_cell(&memos.join("\n"))
        ));
    }
    out.push_str(&format!("\n## {NOTEBOOK_SHEET}\n\n"));
    for memo in &analysis.notebook {
        out.push_str(&format!(
            "- {}（{}）{}\n",
            memo.date,
            memo.coder,
            memo.text.replace('\n', " ")
        ));
    }
    out
}

/// The analysis as one HTML page with the same tables (labels spanning their entries' rows).
pub fn mgta_html(analysis: &MgtaAnalysis) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>M-GTA 分析ワークシート</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:2em}th,td{border:1px solid #888;padding:4px 8px;vertical-align:top}th{background:#eee;text-align:left;white-space:nowrap}</style></head><body>\n<h1>M-GTA 分析ワークシート</h1>\n",
    );
    out.push_str(&format!(
        "<p>分析テーマ: {}<br>分析焦点者: {}</p>\n<h2>{SUMMARY_SHEET}</h2>\n<table><tr><th>カテゴリー</th><th>概念名</th><th>定義</th><th>ヴァリエーション数</th></tr>\n",
        html_text(&analysis.settings.theme),
        html_text(&analysis.settings.focus_person)
    ));
    let mut index = 0;
    let concepts = &analysis.concepts;
    while index < concepts.len() {
        let category = &concepts[index].category;
        let span = concepts[index..]
            .iter()
            .take_while(|c| &c.category == category)
            .count();
        for (offset, concept) in concepts[index..index + span].iter().enumerate() {
            out.push_str("<tr>");
            if offset == 0 {
                out.push_str(&format!(
                    "<td rowspan=\"{span}\">{}</td>",
                    html_text(category)
                ));
            }
            out.push_str(&format!(
                "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
                html_text(&concept.name),
                html_text(&concept.definition),
                concept.shown_variations().count()
            ));
        }
        index += span;
    }
    out.push_str("</table>\n");
    for concept in concepts {
        out.push_str(&format!(
            "<h2>概念: {}</h2>\n<table>\n<tr><th>概念名</th><td colspan=\"2\">{}</td></tr>\n<tr><th>定義</th><td colspan=\"2\">{}</td></tr>\n",
            html_text(&concept.name),
            html_text(&concept.name),
            html_text(&concept.definition)
        ));
        let variations: Vec<(String, String)> = concept
            .shown_variations()
            .map(|v| (variation_source(v), v.text.clone()))
            .collect();
        html_block(&mut out, "ヴァリエーション（具体例）", &variations);
        let memos: Vec<(String, String)> = concept
            .memos
            .iter()
            .map(|m| (memo_source(m), m.text.clone()))
            .collect();
        html_block(&mut out, "理論的メモ", &memos);
        out.push_str("</table>\n");
    }
    out.push_str(&format!(
        "<h2>{NOTEBOOK_SHEET}</h2>\n<table><tr><th>日付</th><th>記入者</th><th>メモ</th></tr>\n"
    ));
    for memo in &analysis.notebook {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            html_text(&memo.date),
            html_text(&memo.coder),
            html_text(&memo.text)
        ));
    }
    out.push_str("</table>\n</body></html>\n");
    out
}

fn html_block(out: &mut String, label: &str, entries: &[(String, String)]) {
    if entries.is_empty() {
        out.push_str(&format!(
            "<tr><th>{label}</th><td colspan=\"2\"></td></tr>\n"
        ));
        return;
    }
    for (index, (source, text)) in entries.iter().enumerate() {
        out.push_str("<tr>");
        if index == 0 {
            out.push_str(&format!("<th rowspan=\"{}\">{label}</th>", entries.len()));
        }
        out.push_str(&format!(
            "<td>{}</td><td>{}</td></tr>\n",
            html_text(source),
            html_text(text)
        ));
    }
}

/// Writes the analysis as .xlsx, .md or .html, by the file's extension.
pub fn write_mgta(analysis: &MgtaAnalysis, path: &Path) -> Result<MethodReport> {
    match super::extension_of(path, &["xlsx", "md", "html", "htm"])?.as_str() {
        "xlsx" => write_mgta_xlsx(analysis, path),
        "md" => {
            let text = mgta_markdown(analysis);
            write_file(path, text.as_bytes())?;
            Ok(MethodReport {
                bytes: text.len(),
                parts: vec!["Markdown".to_owned()],
            })
        }
        _ => {
            let text = mgta_html(analysis);
            write_file(path, text.as_bytes())?;
            Ok(MethodReport {
                bytes: text.len(),
                parts: vec!["HTML".to_owned()],
            })
        }
    }
}
