//! What the method workbooks share: cell formats, the quote prefix for text that would read as
//! a formula, Excel's cell-length limit, row heights for wrapped text and sheet names Excel
//! accepts.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::Error;
use crate::export::paper::looks_like_formula;

/// Points per line of wrapped 11 pt text (Japanese glyphs included).
const LINE_HEIGHT: f64 = 15.5;
/// Excel's largest row height in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Excel's limit on the text of one cell, in UTF-16 units.
const MAX_CELL_TEXT: usize = 32_767;

/// The formats of the method sheets.
pub(crate) struct Formats {
    pub header: Format,
    pub label: Format,
    pub body: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Formats {
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xE8_E8_E8))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xF6_F6_F6)),
            body: cell,
        }
    }
}

pub(crate) fn xlsx_error(error: XlsxError) -> Error {
    Error::Conflict(format!("cannot write the workbook: {error}"))
}

/// Writes text, with Excel's quote prefix when it would read as a formula and cut at Excel's
/// cell limit (saying so) rather than failing the workbook.
pub(crate) fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let text = clip(text);
    if looks_like_formula(&text) {
        sheet.write_string_with_format(row, column, &text, &format.clone().set_quote_prefix())?;
    } else {
        sheet.write_string_with_format(row, column, &text, format)?;
    }
    Ok(())
}

/// Merges a range and writes text into it (see [`write_text`]).
pub(crate) fn merge_text(
    sheet: &mut Worksheet,
    (first_row, first_column): (u32, u16),
    (last_row, last_column): (u32, u16),
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let text = clip(text);
    let format = if looks_like_formula(&text) {
        format.clone().set_quote_prefix()
    } else {
        format.clone()
    };
    sheet.merge_range(
        first_row,
        first_column,
        last_row,
        last_column,
        &text,
        &format,
    )?;
    Ok(())
}

fn clip(text: &str) -> String {
    if text.encode_utf16().count() <= MAX_CELL_TEXT {
        return text.to_owned();
    }
    let note = "…（Excel のセルの上限 32,767 字で省略）";
    let room = MAX_CELL_TEXT - note.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(note);
    out
}

/// Display width of text in Excel's character units (CJK counts nearly double).
fn display_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) < 0x1100 { 1.0 } else { 1.8 })
        .sum()
}

/// The height a row needs so that each (text, column width) cell shows all its wrapped
/// lines; neither Excel nor LibreOffice grows rows by itself when a file opens.
pub(crate) fn row_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            let usable = (width - 1.0).max(1.0);
            text.split('\n')
                .map(|line| (display_width(line) / usable).ceil().max(1.0))
                .sum::<f64>()
        })
        .fold(1.0_f64, f64::max);
    (lines * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

/// A sheet name Excel accepts and that no earlier sheet has: at most 31 characters, none of
/// `[]:*?/\`, not empty, compared case-insensitively. Square brackets, common around focus
/// codes (`[在宅生活のサポート]`), become their full-width forms, which Excel allows.
pub(crate) fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' | '*' | '?' | '/' | '\\' => '_',
            other => other,
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() {
        "概念".to_owned()
    } else {
        cleaned.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut number = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!("({number})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        number += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cleaned_cut_and_made_unique() {
        let mut taken = vec!["カテゴリーと概念".to_owned()];
        assert_eq!(
            sheet_name("[母親の休息の確保]", &mut taken),
            "［母親の休息の確保］"
        );
        assert_eq!(
            sheet_name("[母親の休息の確保]", &mut taken),
            "［母親の休息の確保］(2)"
        );
        assert_eq!(sheet_name("A/B: 1?", &mut taken), "A_B_ 1_");
        let long = "あ".repeat(40);
        let name = sheet_name(&long, &mut taken);
        assert_eq!(name.chars().count(), 31);
        assert_eq!(sheet_name("", &mut taken), "概念");
    }

    #[test]
    fn rows_grow_with_wrapped_lines() {
        let one = row_height(&[("短い", 20.0)]);
        let many = row_height(&[(&"長".repeat(100), 20.0)]);
        assert!(many > one * 5.0, "{one} {many}");
        assert!(row_height(&[(&"長".repeat(100_000), 20.0)]) <= MAX_ROW_HEIGHT);
    }
}
