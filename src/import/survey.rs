//! Open-ended survey answers from a CSV (any encoding `text::encoding` detects: UTF-8, UTF-8
//! with BOM, CP932 …; quoted newlines, CRLF) or an .xlsx sheet: one case per row, named by the
//! id column or by the row number, typed attributes from chosen columns, and one document per
//! (row, text column) named `CASE/COLUMN`. Empty answers are skipped and counted.

use std::collections::BTreeSet;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use super::archive::{Archive, Limits};
use super::attributes::typed_table;
use super::parse_csv;
use crate::command::{AttributeTable, NewDocument};
use crate::model::DocumentMetadata;
use crate::text::{EncodingChoice, decode};
use crate::{Error, Result};

/// Limits for a survey workbook's parts (each is decompressed once for this check).
const XLSX_LIMITS: Limits = Limits {
    entry_bytes: 128 * 1024 * 1024,
    total_bytes: 512 * 1024 * 1024,
};

/// Which columns become case attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AttributeColumns {
    /// None.
    #[default]
    None,
    /// These, in this order.
    Named(Vec<String>),
    /// Every column that is neither the id nor a text column.
    AllOther,
}

/// What one column of a survey becomes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColumnRole {
    /// Nothing (left out).
    #[default]
    Skip,
    /// The case name (at most one column).
    Id,
    /// Free-text answers: one document per row.
    Text,
    /// A typed case attribute.
    Attribute,
}

/// Answers at least this long on average (in characters) look like free text, not a choice.
const FREE_TEXT_MEAN_CHARS: usize = 15;

/// How to read a survey.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SurveyOptions {
    /// The column naming each case; `None` names cases `STEM-001`, `STEM-002` … by data row.
    pub id_column: Option<String>,
    /// Columns of free-text answers: one document per row and column.
    pub text_columns: Vec<String>,
    pub attributes: AttributeColumns,
    /// The sheet of an .xlsx (default: the first).
    pub sheet: Option<String>,
}

impl SurveyOptions {
    /// The options that give each column of `columns` its role in `roles` (the first `Id`
    /// wins; columns without a name are left out).
    pub fn from_roles(columns: &[String], roles: &[ColumnRole], sheet: Option<&str>) -> Self {
        let named = |wanted: ColumnRole| -> Vec<String> {
            columns
                .iter()
                .zip(roles)
                .filter(|(name, role)| **role == wanted && !name.is_empty())
                .map(|(name, _)| name.clone())
                .collect()
        };
        let attributes = named(ColumnRole::Attribute);
        SurveyOptions {
            id_column: named(ColumnRole::Id).into_iter().next(),
            text_columns: named(ColumnRole::Text),
            attributes: if attributes.is_empty() {
                AttributeColumns::None
            } else {
                AttributeColumns::Named(attributes)
            },
            sheet: sheet.map(str::to_owned),
        }
    }
}

/// What a survey holds, ready for `Command::ImportCases`.
#[derive(Clone, Debug)]
pub struct Survey {
    /// One row per case (also cases without any answer), typed attribute columns.
    pub table: AttributeTable,
    pub documents: Vec<NewDocument>,
    /// (row, text column) cells that were empty and made no document.
    pub empty_answers: usize,
    /// `utf-8`, `utf-8-bom`, `cp932` … for a CSV; `xlsx` for a workbook.
    pub encoding: String,
    /// The sheet read, for an .xlsx.
    pub sheet: Option<String>,
}

/// A grid read from a file: the header and the data rows with the row number a person would
/// look for (the CSV line, the spreadsheet row).
struct Grid {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    encoding: String,
    sheet: Option<String>,
    /// Every sheet of the workbook (empty for a CSV).
    sheets: Vec<String>,
}

/// A survey file read once: its columns and rows, from which [`SurveyFile::survey`] builds the
/// cases and documents for one choice of columns (the workbench's import dialog previews each
/// choice without reading the file again).
pub struct SurveyFile {
    path: std::path::PathBuf,
    grid: Grid,
}

/// Reads a survey file (.csv or .xlsx); errors name the file and, where it applies, the row.
pub fn read_survey(path: &Path, options: &SurveyOptions) -> Result<Survey> {
    SurveyFile::open(path, options.sheet.as_deref())?.survey(options)
}

impl SurveyFile {
    /// Reads a .csv (any encoding `text::decode` detects) or one sheet of an .xlsx (default:
    /// the first).
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<SurveyFile> {
        let bad = |message: String| Error::bad_input(path.display(), message);
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let grid = match extension.as_str() {
            "csv" | "txt" | "tsv" => {
                if sheet.is_some() {
                    return Err(bad("--sheet applies to .xlsx files only".to_owned()));
                }
                csv_grid(path)?
            }
            "xlsx" | "xlsm" => xlsx_grid(path, sheet)?,
            other => {
                return Err(bad(format!(
                    "a survey must be .csv or .xlsx, not '.{other}' (save other formats as .xlsx)"
                )));
            }
        };
        Ok(SurveyFile {
            path: path.to_owned(),
            grid,
        })
    }

    /// The header's column names, in order (a column without a name is an empty string).
    pub fn columns(&self) -> &[String] {
        &self.grid.header
    }

    /// The workbook's sheets (empty for a CSV).
    pub fn sheets(&self) -> &[String] {
        &self.grid.sheets
    }

    /// The sheet read (`None` for a CSV).
    pub fn sheet(&self) -> Option<&str> {
        self.grid.sheet.as_deref()
    }

    /// `utf-8`, `cp932` … for a CSV; `xlsx` for a workbook.
    pub fn encoding(&self) -> &str {
        &self.grid.encoding
    }

    /// The number of data rows (one case each).
    pub fn row_count(&self) -> usize {
        self.grid.rows.len()
    }

    /// The values of one column, row by row (trimmed; a short row gives empty strings).
    pub fn column_values(&self, index: usize) -> impl Iterator<Item = &str> {
        self.grid
            .rows
            .iter()
            .map(move |(_, row)| row.get(index).map_or("", |value| value.trim()))
    }

    /// A first guess at each column's role, for the import dialog: the first column is the id
    /// when every row has a value there and no two rows share one; columns whose answers are
    /// long on average (free text; empty answers are not counted) are text; the other named
    /// columns are attributes.
    pub fn suggested_roles(&self) -> Vec<ColumnRole> {
        self.columns()
            .iter()
            .enumerate()
            .map(|(index, name)| {
                if name.is_empty() {
                    return ColumnRole::Skip;
                }
                let values: Vec<&str> = self.column_values(index).collect();
                let unique: BTreeSet<&str> = values.iter().copied().collect();
                if index == 0 && unique.len() == values.len() && !unique.contains("") {
                    return ColumnRole::Id;
                }
                let answers: Vec<usize> = values
                    .iter()
                    .filter(|value| !value.is_empty())
                    .map(|value| value.chars().count())
                    .collect();
                let chars: usize = answers.iter().sum();
                if !answers.is_empty() && chars / answers.len() >= FREE_TEXT_MEAN_CHARS {
                    ColumnRole::Text
                } else {
                    ColumnRole::Attribute
                }
            })
            .collect()
    }

    /// The cases, attributes and documents for one choice of columns (`options.sheet` is
    /// ignored: the sheet was chosen when the file was opened).
    pub fn survey(&self, options: &SurveyOptions) -> Result<Survey> {
        let path = self.path.as_path();
        let grid = &self.grid;
        let bad = |message: String| Error::bad_input(path.display(), message);
        let column = |name: &str| -> Result<usize> {
            grid.header
                .iter()
                .position(|field| field == name.trim())
                .ok_or_else(|| {
                    bad(format!(
                        "no column '{name}' (columns: {})",
                        grid.header.join(", ")
                    ))
                })
        };
        let mut seen = BTreeSet::new();
        for name in grid.header.iter().filter(|name| !name.is_empty()) {
            if !seen.insert(name) {
                return Err(bad(format!("column '{name}' appears twice in the header")));
            }
        }
        if grid.rows.is_empty() {
            return Err(bad("the header has no rows of answers below it".to_owned()));
        }
        let id = options.id_column.as_deref().map(column).transpose()?;
        if options.text_columns.is_empty() {
            return Err(bad("name at least one text column (--text)".to_owned()));
        }
        let mut texts = Vec::new();
        for name in &options.text_columns {
            let index = column(name)?;
            if Some(index) == id || texts.contains(&index) {
                return Err(bad(format!(
                    "column '{name}' is given twice (id and text columns must differ)"
                )));
            }
            texts.push(index);
        }
        let attributes: Vec<usize> = match &options.attributes {
            AttributeColumns::None => Vec::new(),
            AttributeColumns::Named(names) => {
                let mut indices = Vec::new();
                for name in names {
                    let index = column(name)?;
                    if Some(index) == id || texts.contains(&index) || indices.contains(&index) {
                        return Err(bad(format!(
                            "column '{name}' cannot be an attribute: it is the id, a text column or named twice"
                        )));
                    }
                    indices.push(index);
                }
                indices
            }
            AttributeColumns::AllOther => (0..grid.header.len())
                .filter(|index| Some(*index) != id && !texts.contains(index))
                .filter(|index| grid.header.get(*index).is_some_and(|name| !name.is_empty()))
                .collect(),
        };
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().trim().to_owned())
            .unwrap_or_default();
        let width = grid.rows.len().to_string().len().max(3);
        let cell = |row: &[String], index: usize| {
            row.get(index)
                .map(|value| value.trim().to_owned())
                .unwrap_or_default()
        };
        let mut cases = BTreeSet::new();
        let mut rows = Vec::with_capacity(grid.rows.len());
        let mut documents = Vec::new();
        let mut empty_answers = 0;
        let place = |row: usize| match &grid.sheet {
            Some(sheet) => format!("sheet '{sheet}', row {row}"),
            None => format!("line {row}"),
        };
        for (number, (row, values)) in grid.rows.iter().enumerate() {
            let case = match id {
                Some(index) => cell(values, index),
                None => format!("{stem}-{:0width$}", number + 1),
            };
            if case.is_empty() {
                return Err(bad(format!("{}: the id column is empty", place(*row))));
            }
            if !cases.insert(case.clone()) {
                return Err(bad(format!(
                    "{}: case '{case}' appears twice in the id column",
                    place(*row)
                )));
            }
            for &index in &texts {
                let answer = values.get(index).map(String::as_str).unwrap_or_default();
                let name = grid.header.get(index).cloned().unwrap_or_default();
                if answer.trim().is_empty() {
                    empty_answers += 1;
                    continue;
                }
                documents.push(NewDocument {
                    name: format!("{case}/{name}"),
                    case_name: case.clone(),
                    text: answer.trim_end().to_owned(),
                    encoding: grid.encoding.clone(),
                    source_path: path.display().to_string(),
                    utterances: Vec::new(),
                    metadata: DocumentMetadata {
                        format: if grid.sheet.is_some() { "xlsx" } else { "csv" }.to_owned(),
                        filters: Vec::new(),
                        notes: vec![format!("{}, column '{name}'", place(*row))],
                    },
                });
            }
            let values = attributes
                .iter()
                .map(|&index| Some(cell(values, index)).filter(|value| !value.is_empty()))
                .collect();
            rows.push((case, values));
        }
        let names: Vec<String> = attributes
            .iter()
            .map(|&index| grid.header.get(index).cloned().unwrap_or_default())
            .collect();
        Ok(Survey {
            table: typed_table(&names, rows),
            documents,
            empty_answers,
            encoding: grid.encoding.clone(),
            sheet: grid.sheet.clone(),
        })
    }
}

fn csv_grid(path: &Path) -> Result<Grid> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let decoded = decode(&bytes, EncodingChoice::Auto)
        .map_err(|message| Error::bad_input(path.display(), message))?;
    let (header, rows) = parse_csv(path, &decoded.text)?;
    Ok(Grid {
        header,
        rows,
        encoding: decoded.encoding,
        sheet: None,
        sheets: Vec::new(),
    })
}

fn xlsx_grid(path: &Path, sheet: Option<&str>) -> Result<Grid> {
    let bad = |message: String| Error::bad_input(path.display(), message);
    // The workbook is a zip: refuse zip slip, encryption and oversized parts before calamine.
    let mut archive = Archive::open_with_limits(path, XLSX_LIMITS)?;
    let names: Vec<String> = archive
        .entry_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    for name in names.iter().filter(|name| !name.ends_with('/')) {
        archive.read(name)?;
    }
    let mut workbook: Xlsx<_> = open_workbook(path)
        .map_err(|error: calamine::XlsxError| bad(format!("cannot read the workbook ({error})")))?;
    let sheets = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => sheets
            .iter()
            .find(|name| name.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                bad(format!(
                    "no sheet '{wanted}' (sheets: {})",
                    sheets.join(", ")
                ))
            })?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| bad("the workbook has no sheet".to_owned()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|error| bad(format!("sheet '{name}' cannot be read ({error})")))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;
    let first_column = range.start().map_or(0, |(_, column)| column as usize);
    let mut lines = range.rows().enumerate().map(|(index, cells)| {
        // Cells left of the range's first column are empty: keep columns where they are.
        let mut row = vec![String::new(); first_column];
        row.extend(cells.iter().map(cell_text));
        (first_row + index, row)
    });
    let Some((_, header)) = lines.next() else {
        return Err(bad(format!("sheet '{name}' is empty")));
    };
    let header: Vec<String> = header.iter().map(|field| field.trim().to_owned()).collect();
    let rows = lines
        .filter(|(_, row)| row.iter().any(|value| !value.trim().is_empty()))
        .collect();
    Ok(Grid {
        header,
        rows,
        encoding: "xlsx".to_owned(),
        sheet: Some(name),
        sheets,
    })
}

/// A cell as a person reads it: integers without `.0`, dates as `YYYY-MM-DD` (with the time
/// when there is one), errors as Excel shows them (`#N/A`), line ends as LF.
fn cell_text(cell: &Data) -> String {
    let text = match cell {
        Data::DateTime(datetime) if datetime.is_datetime() => excel_date(datetime.as_f64()),
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
            format!("{}", *value as i64)
        }
        other => other.to_string(),
    };
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// An Excel serial date (days since 1899-12-30, 1900 system) as `YYYY-MM-DD[ HH:MM[:SS]]`.
fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let date = format!("{year:04}-{month:02}-{day:02}");
    match seconds {
        0 => date,
        _ if seconds % 60 == 0 => format!("{date} {:02}:{:02}", seconds / 3600, seconds / 60 % 60),
        _ => format!(
            "{date} {:02}:{:02}:{:02}",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey_file(csv: &str) -> (tempfile::TempDir, SurveyFile) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("アンケート.csv");
        std::fs::write(&path, csv).expect("write the survey");
        let file = SurveyFile::open(&path, None).expect("read the survey");
        (folder, file)
    }

    #[test]
    fn roles_are_guessed_from_the_answers_and_give_the_options() {
        let (_folder, file) = survey_file(
            "回答者,職種,年数,自由記述\n\
             R01,看護師,5,家族の不安が大きいときに、まず話を聞くようにしています。\n\
             R02,保健師,12,地域の資源が足りず、訪問看護との連携に苦労しています。\n\
             R03,看護師,3,\n\
             R04,保健師,8,\n",
        );
        let roles = file.suggested_roles();
        assert_eq!(
            roles,
            [
                ColumnRole::Id,
                ColumnRole::Attribute,
                ColumnRole::Attribute,
                ColumnRole::Text
            ]
        );
        let options = SurveyOptions::from_roles(file.columns(), &roles, None);
        assert_eq!(options.id_column.as_deref(), Some("回答者"));
        assert_eq!(options.text_columns, ["自由記述"]);
        assert_eq!(
            options.attributes,
            AttributeColumns::Named(vec!["職種".to_owned(), "年数".to_owned()])
        );
        let survey = file.survey(&options).expect("build the survey");
        // An empty answer neither makes a document nor makes the column look like a choice.
        assert_eq!(survey.documents.len(), 2);
        assert_eq!(survey.empty_answers, 2);
        assert_eq!(survey.documents[1].name, "R02/自由記述");
        assert_eq!(
            file.column_values(1).collect::<Vec<_>>(),
            ["看護師", "保健師", "看護師", "保健師"]
        );
    }

    #[test]
    fn a_first_column_with_repeated_values_is_not_taken_for_the_id() {
        let (_folder, file) = survey_file("職種,感想\n看護師,よい\n看護師,ふつう\n");
        assert_eq!(
            file.suggested_roles(),
            [ColumnRole::Attribute, ColumnRole::Attribute]
        );
    }

    #[test]
    fn excel_serial_dates_read_as_calendar_dates() {
        assert_eq!(excel_date(45_509.0), "2024-08-05");
        assert_eq!(excel_date(45_351.0), "2024-02-29");
        assert_eq!(excel_date(36_526.5), "2000-01-01 12:00");
        assert_eq!(cell_text(&Data::Float(4.0)), "4");
        assert_eq!(cell_text(&Data::Float(4.5)), "4.5");
        assert_eq!(
            cell_text(&Data::String("一行目\r\n二行目\r三行目".to_owned())),
            "一行目\n二行目\n三行目"
        );
        assert_eq!(
            cell_text(&Data::String("とても満足".to_owned())),
            "とても満足"
        );
    }
}
