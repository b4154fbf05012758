//! Paper-ready exports: the xlsx workbook (事例-コード・マトリックス and its transposed layout,
//! 表1 対象者の概要, 表2 分析結果, コードブック, クロス集計, セグメント一覧), the long-format
//! and matrix CSV, and Markdown and HTML tables for a manuscript.
//!
//! The tables are built once from an [`AnalysisData`] snapshot (no SQL) as [`Table`]s, then
//! each writer renders the same tables, so the workbook, the CSV and the Markdown never
//! disagree. The snapshot holds no quotes: the long tables (the セグメント一覧, the matrix
//! cells) make their rows while they are written, cutting each quote from the document being
//! visited, and every file is streamed to a temporary sibling renamed over the target when
//! complete ([`write_file_with`](crate::export::write_file_with)), so that a million codings
//! are never one table, or one file, in memory.
//! No clap here: the CLI and the GUI's Export menu both pass a [`PaperOptions`].
//!
//! Text that a spreadsheet would read as a formula (a transcript line `=SUM(` or `-それで`)
//! stays text: CSV cells starting with `=`, `+`, `-`, `@`, a tab or a CR get a leading `'`,
//! and such workbook cells carry Excel's quote prefix (the text itself is unchanged).

mod agreement;
mod cells;
mod crosstab;
mod csv;
mod grid;
mod html;
mod markdown;
mod matrix;
mod quotes;
mod segments;
mod table;
mod tables;
mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use grid::{Grid, Merge, Value};
pub use table::Table;

use crate::analysis::{AnalysisData, Filter, Level, Matrix, MatrixOptions, Orientation};
use crate::model::{Attribute, AttributeKind, CodingId};
use crate::project::Project;
use crate::{Error, Result};

/// Sheet and section names.
pub const MATRIX_SHEET: &str = "事例-コード・マトリックス";
pub const TRANSPOSED_SHEET: &str = "事例-コード・マトリックス（転置）";
pub const TABLE1_SHEET: &str = "表1 対象者の概要";
pub const TABLE2_SHEET: &str = "表2 分析結果";
pub const CODEBOOK_SHEET: &str = "コードブック";
pub const CROSSTAB_SHEET: &str = "クロス集計";
pub const SEGMENTS_SHEET: &str = "セグメント一覧";

/// A pair of brackets, such as `[]`, `【】`, `「」` or `《》`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brackets {
    pub open: String,
    pub close: String,
}

impl Brackets {
    /// Parses a pair written as two characters (`"【】"`); `none` gives empty brackets.
    pub fn parse(text: &str) -> Result<Brackets> {
        let text = text.trim();
        if text == "none" {
            return Ok(Brackets {
                open: String::new(),
                close: String::new(),
            });
        }
        let chars: Vec<char> = text.chars().collect();
        match chars.as_slice() {
            [open, close] => Ok(Brackets {
                open: open.to_string(),
                close: close.to_string(),
            }),
            _ => Err(Error::bad_input(
                format!("brackets '{text}'"),
                "write the opening and closing bracket, e.g. \"[]\", \"【】\", \"「」\", or none",
            )),
        }
    }

    /// `「」`, the usual marks around a quote.
    pub fn kagi() -> Brackets {
        Brackets {
            open: "「".to_owned(),
            close: "」".to_owned(),
        }
    }

    /// The text inside the brackets.
    pub fn wrap(&self, text: &str) -> String {
        format!("{}{text}{}", self.open, self.close)
    }

    /// A focus code name in these brackets: one pair of brackets already around the stored
    /// name (`[在宅生活のサポート]`) is replaced, not doubled.
    pub fn rebracket(&self, name: &str) -> String {
        const PAIRS: [(char, char); 7] = [
            ('[', ']'),
            ('［', '］'),
            ('【', '】'),
            ('「', '」'),
            ('《', '》'),
            ('＜', '＞'),
            ('<', '>'),
        ];
        let mut chars = name.chars();
        let bare = match (chars.next(), chars.next_back()) {
            (Some(first), Some(last)) if PAIRS.contains(&(first, last)) => chars.as_str(),
            _ => name,
        };
        self.wrap(bare)
    }
}

/// What a matrix cell holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CellContent {
    /// The number of segments.
    Count,
    /// The count and, below it, every quote with its citation.
    #[default]
    Quotes,
    /// The 要約 where the researcher wrote one, else the count and the quotes.
    Summary,
    /// The count, the 要約 and the quotes.
    Both,
}

impl CellContent {
    /// Parses `count`, `quotes`, `summary` or `both`.
    pub fn parse(name: &str) -> Result<CellContent> {
        match name.trim() {
            "count" => Ok(CellContent::Count),
            "quotes" => Ok(CellContent::Quotes),
            "summary" => Ok(CellContent::Summary),
            "both" => Ok(CellContent::Both),
            other => Err(Error::bad_input(
                format!("cell '{other}'"),
                "use count, quotes, summary or both",
            )),
        }
    }
}

/// How to build the paper tables. Names are resolved against the project, so a typo is an
/// error that lists the known names, never an empty table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperOptions {
    /// The code axis: `code`, `subcategory`, `category`, `depth:N`, `role`, `role:FRAME`.
    pub level: String,
    /// Group and sort the cases by this attribute.
    pub group_by: Option<String>,
    /// The attribute of the crosstab; default: `group_by`, else the first text attribute.
    pub crosstab_by: Option<String>,
    /// Attributes shown before the codes in the matrix; `None`: the `group_by` attribute,
    /// else the project's first attribute.
    pub attributes: Option<Vec<String>>,
    pub cell: CellContent,
    /// Brackets of focus codes (`[在宅生活のサポート]`, `【…】`); `None` keeps stored names.
    pub code_brackets: Option<Brackets>,
    /// Marks around quotes; `「」` by default.
    pub quote_marks: Brackets,
    /// Quotes per focus code in 表2 (exemplars first).
    pub quotes_per_code: usize,
    /// Start CSV files with a UTF-8 BOM so that Excel reads them as UTF-8.
    pub excel_bom: bool,
    /// Which cases and segments the tables read (attribute values, documents, coders); the
    /// default reads everything. The codebook lists every code whatever the filter.
    pub filter: Filter,
    /// Coder scope: only these coders' codings (`consensus`: the reconciled layer 合意);
    /// empty: every coder, identical codings counted once.
    pub coders: Vec<String>,
    /// Two coders to compare on a 一致率 sheet of the workbook.
    pub agreement_coders: Option<(String, String)>,
    /// The unit of that comparison.
    pub agreement_unit: crate::analysis::agreement::Unit,
}

impl Default for PaperOptions {
    fn default() -> PaperOptions {
        PaperOptions {
            level: "code".to_owned(),
            group_by: None,
            crosstab_by: None,
            attributes: None,
            cell: CellContent::default(),
            code_brackets: None,
            quote_marks: Brackets::kagi(),
            quotes_per_code: 1,
            excel_bom: false,
            filter: Filter::default(),
            coders: Vec::new(),
            agreement_coders: None,
            agreement_unit: crate::analysis::agreement::Unit::Character,
        }
    }
}

/// What one export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportReport {
    pub path: PathBuf,
    pub bytes: usize,
    /// The sheets or tables written, in order.
    pub tables: Vec<String>,
}

/// Everything the tables read: the analysis snapshot, the coding memos (which the snapshot
/// does not carry) and the options with names resolved.
pub struct PaperData {
    pub data: AnalysisData,
    pub memos: BTreeMap<CodingId, String>,
    pub options: PaperOptions,
    pub(crate) level: Level,
    pub(crate) group_by: Option<Attribute>,
    pub(crate) crosstab_by: Option<Attribute>,
    pub(crate) attributes: Vec<Attribute>,
    /// The matrix at the level, grouped, built once for every table that reads it.
    pub(crate) matrix: Matrix,
    /// Its cells as shown, by case row then column, made once for both layouts.
    cells: OnceLock<cells::Cells>,
}

impl PaperData {
    /// Reads the project once and resolves the options. The snapshot is read without quotes:
    /// the tables cut them from the documents as they write them.
    pub fn load(project: &Project, options: &PaperOptions) -> Result<PaperData> {
        let data = AnalysisData::load_without_text(project)?;
        let memos = project.read().coding_memos()?;
        PaperData::new(data, memos, options)
    }

    /// Resolves the options against a snapshot.
    pub fn new(
        mut data: AnalysisData,
        memos: BTreeMap<CodingId, String>,
        options: &PaperOptions,
    ) -> Result<PaperData> {
        // The coder scope (`coders`) narrows the filter chosen in the export window (attribute
        // values, documents); each of the two alone reads as before.
        let mut filter = options.filter.clone();
        filter
            .coders
            .extend(Filter::resolve(&data, &options.coders, &[], &[])?.coders);
        if !filter.coders.is_empty() && options.agreement_coders.is_some() {
            return Err(Error::bad_input(
                "--coders with --agreement".to_owned(),
                "the 一致率 sheet compares its two coders over all their codings: export it \
                 without a coder scope"
                    .to_owned(),
            ));
        }
        if filter != Filter::default() {
            // Every table (matrix, 表2, the segment list, the CSV) reads the filtered
            // segments: drop the others once, here.
            let kept: std::collections::BTreeSet<CodingId> = filter
                .segments(&data)
                .iter()
                .map(|segment| segment.coding_id)
                .collect();
            let dropped: Vec<CodingId> = data
                .segments()
                .map(|segment| segment.coding_id)
                .filter(|coding_id| !kept.contains(coding_id))
                .collect();
            for coding_id in dropped {
                data.remove_coding(coding_id);
            }
        }
        let level = Level::parse(&options.level, &data)?;
        let attribute = |name: &str, flag: &str| -> Result<Attribute> {
            data.attribute_named(name).cloned().ok_or_else(|| {
                let names: Vec<&str> = data.attributes().iter().map(|a| a.name.as_str()).collect();
                Error::bad_input(
                    format!("{flag} '{}'", name.trim()),
                    format!("no such attribute (attributes: {})", names.join(", ")),
                )
            })
        };
        let group_by = options
            .group_by
            .as_deref()
            .map(|name| attribute(name, "group-by"))
            .transpose()?;
        let crosstab_by = match options.crosstab_by.as_deref() {
            Some(name) => Some(attribute(name, "crosstab")?),
            None => group_by.clone().or_else(|| {
                data.attributes()
                    .iter()
                    .find(|attribute| attribute.kind == AttributeKind::Text)
                    .cloned()
            }),
        };
        let attributes = match &options.attributes {
            // A matrix with every attribute before its codes prints as pages of attributes:
            // by default only the grouping attribute, else the first one (所属組織).
            None => group_by
                .clone()
                .or_else(|| data.attributes().first().cloned())
                .into_iter()
                .collect(),
            Some(names) => names
                .iter()
                .map(|name| attribute(name, "attributes"))
                .collect::<Result<_>>()?,
        };
        if let Some((first, second)) = &options.agreement_coders {
            let known = data.coders();
            for name in [first, second] {
                if !known.contains(name.as_str()) {
                    let names: Vec<&str> = known.iter().copied().collect();
                    return Err(Error::bad_input(
                        format!("agreement coder '{name}'"),
                        format!("no codings by this coder (coders: {})", names.join(", ")),
                    ));
                }
            }
        }
        let matrix = Matrix::build(
            &data,
            MatrixOptions {
                level,
                group_by: group_by.as_ref().map(|attribute| attribute.id),
                filter,
                orientation: Orientation::CasesAsRows,
            },
        );
        Ok(PaperData {
            matrix,
            cells: OnceLock::new(),
            level,
            group_by,
            crosstab_by,
            attributes,
            options: options.clone(),
            memos,
            data,
        })
    }

    /// The matrix cells as the chosen [`CellContent`] shows them, made on first use.
    fn cells(&self) -> Result<&cells::Cells> {
        if let Some(cells) = self.cells.get() {
            return Ok(cells);
        }
        let made = cells::Cells::make(self)?;
        Ok(self.cells.get_or_init(|| made))
    }

    /// Every sheet of the workbook, in order.
    pub fn workbook_tables(&self) -> Result<Vec<Table<'_>>> {
        // The matrix cells (every quote of every cell, the longest to make) are made on a
        // second thread while this one makes the tables that do not show them.
        let (cells, others) = std::thread::scope(|scope| {
            let cells = scope.spawn(|| self.cells().map(|_| ()));
            let others = (
                Table::whole(tables::table1(self)),
                Table::whole(tables::table2(self)),
                Table::whole(tables::codebook(self)),
                crosstab::crosstab(self).map(Table::whole),
                segments::segments(self),
                agreement::agreement(self).map(Table::whole),
            );
            let cells = cells.join().unwrap_or_else(|_| {
                Err(Error::Conflict(
                    "the thread making the matrix cells failed".to_owned(),
                ))
            });
            (cells, others)
        });
        cells?;
        let (table1, table2, codebook, crosstab, segments, agreement) = others;
        let mut tables = vec![
            matrix::matrix(self)?,
            matrix::transposed(self)?,
            table1,
            table2,
            codebook,
        ];
        tables.extend(crosstab);
        tables.push(segments);
        tables.extend(agreement);
        Ok(tables)
    }

    /// Every sheet of the workbook as whole grids (every row in memory: for small projects).
    pub fn workbook_grids(&self) -> Result<Vec<Grid>> {
        self.workbook_tables()?
            .into_iter()
            .map(Table::into_grid)
            .collect()
    }

    /// The workbook as bytes.
    pub fn workbook(&self) -> Result<Vec<u8>> {
        xlsx::workbook(&self.workbook_tables()?)
    }

    /// The long-format CSV: one row per coding (the セグメント一覧 columns).
    pub fn segments_csv(&self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        csv::write(
            &segments::segments(self),
            self.options.excel_bom,
            &mut bytes,
        )?;
        Ok(bytes)
    }

    /// The matrix as CSV: cases × codes, one header line of code paths, counts in the cells.
    pub fn matrix_csv(&self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        let table = Table::whole(matrix::count_matrix(self));
        csv::write(&table, self.options.excel_bom, &mut bytes)?;
        Ok(bytes)
    }

    /// The tables for a manuscript (表1, 表2, the matrix with codes as rows, the crosstab).
    pub fn manuscript_tables(&self) -> Result<Vec<Table<'_>>> {
        let mut tables = vec![
            Table::whole(tables::table1(self)),
            Table::whole(tables::table2(self)),
            matrix::transposed(self)?,
        ];
        tables.extend(crosstab::crosstab(self).map(Table::whole));
        Ok(tables)
    }

    /// The manuscript tables as one Markdown document.
    pub fn markdown(&self) -> Result<String> {
        let mut bytes = Vec::new();
        markdown::write(&self.manuscript_tables()?, &mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The manuscript tables as one HTML document.
    pub fn html(&self) -> Result<String> {
        let mut bytes = Vec::new();
        html::write(&self.manuscript_tables()?, &mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Writes the workbook.
pub fn write_workbook(
    project: &Project,
    options: &PaperOptions,
    path: &Path,
) -> Result<ExportReport> {
    PaperData::load(project, options)?.write_workbook(path)
}

/// Writes the long-format CSV.
pub fn write_segments_csv(
    project: &Project,
    options: &PaperOptions,
    path: &Path,
) -> Result<ExportReport> {
    PaperData::load(project, options)?.write_segments_csv(path)
}

/// Writes the matrix CSV.
pub fn write_matrix_csv(
    project: &Project,
    options: &PaperOptions,
    path: &Path,
) -> Result<ExportReport> {
    PaperData::load(project, options)?.write_matrix_csv(path)
}

/// Writes the Markdown tables.
pub fn write_markdown(
    project: &Project,
    options: &PaperOptions,
    path: &Path,
) -> Result<ExportReport> {
    PaperData::load(project, options)?.write_markdown(path)
}

/// Writes the HTML tables.
pub fn write_html(project: &Project, options: &PaperOptions, path: &Path) -> Result<ExportReport> {
    PaperData::load(project, options)?.write_html(path)
}

impl PaperData {
    /// Writes the workbook to `path`, sheet by sheet, row by row.
    pub fn write_workbook(&self, path: &Path) -> Result<ExportReport> {
        let tables = self.workbook_tables()?;
        stream(path, &tables, &mut |out| xlsx::write(&tables, out))
    }

    /// Writes the long-format CSV to `path`, row by row.
    pub fn write_segments_csv(&self, path: &Path) -> Result<ExportReport> {
        let tables = [segments::segments(self)];
        let bom = self.options.excel_bom;
        stream(path, &tables, &mut |out| csv::write(&tables[0], bom, out))
    }

    /// Writes the matrix CSV to `path`.
    pub fn write_matrix_csv(&self, path: &Path) -> Result<ExportReport> {
        let tables = [Table::whole(matrix::count_matrix(self))];
        let bom = self.options.excel_bom;
        stream(path, &tables, &mut |out| csv::write(&tables[0], bom, out))
    }

    /// Writes the Markdown tables to `path`.
    pub fn write_markdown(&self, path: &Path) -> Result<ExportReport> {
        let tables = self.manuscript_tables()?;
        stream(path, &tables, &mut |out| markdown::write(&tables, out))
    }

    /// Writes the HTML tables to `path`.
    pub fn write_html(&self, path: &Path) -> Result<ExportReport> {
        let tables = self.manuscript_tables()?;
        stream(path, &tables, &mut |out| html::write(&tables, out))
    }
}

/// Writes `path` through `write` (to a temporary sibling, renamed when complete) and reports
/// the tables written and the file's size.
fn stream(
    path: &Path,
    tables: &[Table<'_>],
    write: &mut dyn FnMut(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<ExportReport> {
    crate::export::write_file_with(path, write)?;
    let bytes = std::fs::metadata(path)
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?
        .len();
    Ok(ExportReport {
        path: path.to_owned(),
        bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
        tables: tables.iter().map(|table| table.name().to_owned()).collect(),
    })
}

/// True when a spreadsheet would read this text as a formula or a command: it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP's list for CSV injection).
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Any grid as CSV bytes (for tables built outside the paper exports: KWIC lines, say).
pub fn grid_csv(grid: &Grid, bom: bool) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    csv::write(&Table::whole(grid.clone()), bom, &mut bytes)?;
    Ok(bytes)
}

/// Any grids as one xlsx workbook.
pub fn grid_workbook(grids: &[Grid]) -> Result<Vec<u8>> {
    let tables: Vec<Table<'_>> = grids.iter().cloned().map(Table::whole).collect();
    xlsx::workbook(&tables)
}
