//! Flags of `casecode export` for the paper: the xlsx workbook, CSV, Markdown and HTML tables.
//! The project is read once; each file named is written whole and reported on one line.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::export::paper::{Brackets, CellContent, ExportReport, PaperData, PaperOptions};
use crate::project::Project;

/// The output flags this file handles, for the "name at least one output" message.
pub const OUTPUT_FLAGS: &[&str] = &["--xlsx", "--csv", "--matrix-csv", "--md", "--html"];

/// Paper-table outputs of `casecode export`.
#[derive(Debug, Args)]
pub struct PaperExportArgs {
    /// The workbook: matrix (and transposed), 表1, 表2, codebook, crosstab, segment list.
    #[arg(long, value_name = "OUT.xlsx")]
    pub xlsx: Option<PathBuf>,
    /// Long-format CSV: one row per coding (the セグメント一覧 columns).
    #[arg(long, value_name = "OUT.csv")]
    pub csv: Option<PathBuf>,
    /// The matrix as CSV: cases × codes, segment counts.
    #[arg(long = "matrix-csv", value_name = "OUT.csv")]
    pub matrix_csv: Option<PathBuf>,
    /// 表1, 表2, the matrix (codes as rows) and the crosstab as Markdown tables.
    #[arg(long, value_name = "OUT.md")]
    pub md: Option<PathBuf>,
    /// The same tables as HTML, with merged cells.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
    /// Start CSV files with a UTF-8 BOM so that Excel opens them as UTF-8.
    #[arg(long)]
    pub excel: bool,
    /// The code axis: code | subcategory | category | depth:N | role | role:FRAME
    #[arg(long, default_value = "code")]
    pub level: String,
    /// Group and sort the cases by this attribute (e.g. 所属組織).
    #[arg(long = "group-by")]
    pub group_by: Option<String>,
    /// The crosstab's attribute (default: --group-by, else the first text attribute).
    #[arg(long = "crosstab-by")]
    pub crosstab_by: Option<String>,
    /// Attributes shown before the codes in the matrix, comma separated (default: the
    /// --group-by attribute, else the first attribute).
    #[arg(long, value_delimiter = ',')]
    pub attributes: Option<Vec<String>>,
    /// What a matrix cell holds: count | quotes | summary (要約 where written) | both
    #[arg(long, default_value = "quotes")]
    pub cell: String,
    /// Brackets of focus codes, e.g. "[]", "【】", "「」" (default: the names as stored).
    #[arg(long)]
    pub brackets: Option<String>,
    /// Marks around quotes, e.g. "「」" (the default), "『』" or none.
    #[arg(long = "quote-marks", default_value = "「」")]
    pub quote_marks: String,
    /// Quotes per focus code in 表2, exemplars (代表的語り) first.
    #[arg(long = "quotes-per-code", default_value_t = 1)]
    pub quotes_per_code: usize,
    /// Coder scope of the matrix: only these coders (comma separated), or `consensus`.
    #[arg(long, value_delimiter = ',')]
    pub coders: Vec<String>,
    /// Add a 一致率 sheet comparing two coders (comma separated, e.g. 山田,鈴木).
    #[arg(long, value_delimiter = ',')]
    pub agreement: Vec<String>,
    /// The unit of the 一致率 sheet: character, utterance, sentence or document.
    #[arg(long = "agreement-unit", default_value = "character")]
    pub agreement_unit: String,
}

impl PaperExportArgs {
    fn wanted(&self) -> bool {
        self.xlsx.is_some()
            || self.csv.is_some()
            || self.matrix_csv.is_some()
            || self.md.is_some()
            || self.html.is_some()
    }

    fn options(&self) -> anyhow::Result<PaperOptions> {
        Ok(PaperOptions {
            level: self.level.clone(),
            group_by: self.group_by.clone(),
            crosstab_by: self.crosstab_by.clone(),
            attributes: self.attributes.clone(),
            cell: CellContent::parse(&self.cell)?,
            code_brackets: self.brackets.as_deref().map(Brackets::parse).transpose()?,
            quote_marks: Brackets::parse(&self.quote_marks)?,
            quotes_per_code: self.quotes_per_code,
            excel_bom: self.excel,
            filter: Default::default(),
            coders: self.coders.clone(),
            agreement_coders: match self.agreement.as_slice() {
                [] => None,
                [first, second] => Some((first.trim().to_owned(), second.trim().to_owned())),
                _ => anyhow::bail!("--agreement needs exactly two coders, e.g. --agreement 山田,鈴木"),
            },
            agreement_unit: crate::analysis::agreement::Unit::parse(&self.agreement_unit)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown --agreement-unit '{}': use character, utterance, sentence or document",
                        self.agreement_unit
                    )
                })?,
        })
    }
}

/// Writes the paper outputs that were asked for; returns how many files were written.
pub fn run(
    project: &Project,
    args: &PaperExportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    if !args.wanted() {
        return Ok(0);
    }
    let paper = PaperData::load(project, &args.options()?)?;
    type Writer = fn(&PaperData, &std::path::Path) -> crate::Result<ExportReport>;
    let outputs: [(&Option<PathBuf>, &str, Writer); 5] = [
        (&args.xlsx, "workbook", PaperData::write_workbook),
        (&args.csv, "segments CSV", PaperData::write_segments_csv),
        (&args.matrix_csv, "matrix CSV", PaperData::write_matrix_csv),
        (&args.md, "Markdown", PaperData::write_markdown),
        (&args.html, "HTML", PaperData::write_html),
    ];
    let mut written = 0;
    for (path, what, write) in outputs {
        let Some(path) = path else {
            continue;
        };
        let report = write(&paper, path).with_context(|| format!("writing the {what}"))?;
        writeln!(
            out,
            "wrote {} ({what}: {}; {} bytes)",
            report.path.display(),
            report.tables.join(", "),
            report.bytes
        )?;
        written += 1;
    }
    Ok(written)
}
