//! Exports of the Japanese method worksheets: a SCAT worksheet in the layout of the official
//! form (scatform1) as xlsx and Markdown ([`scat`]), the M-GTA 分析ワークシート as an xlsx with
//! one sheet per concept, Markdown and HTML ([`mgta`]), and the 結果図 as SVG and PNG
//! ([`diagram`]). They take the read views of [`crate::methods`], never SQL.

pub mod diagram;
pub mod mgta;
pub mod scat;
mod sheet;

use std::path::Path;

use crate::{Error, Result};

/// What a method export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodReport {
    pub bytes: usize,
    /// Sheets or sections written, in order.
    pub parts: Vec<String>,
}

/// The format named by a file's extension, lower case, or an error naming the file.
pub(crate) fn extension_of(path: &Path, allowed: &[&str]) -> Result<String> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if allowed.contains(&extension.as_str()) {
        Ok(extension)
    } else {
        Err(Error::BadInput {
            file: path.display().to_string(),
            message: format!(
                "the file name must end in {}",
                allowed
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }
}

/// A Markdown table cell: pipes escaped, line breaks as `<br>`.
pub(crate) fn md_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}

/// Text escaped for HTML, line breaks as `<br>`.
pub(crate) fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            other => out.push(other),
        }
    }
    out
}
