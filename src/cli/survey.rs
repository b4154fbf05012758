//! `casecode import-survey`: open-ended answers of a CSV/XLSX survey as cases, attributes and
//! documents in one undoable command, or with `--dry-run` a preview that changes nothing.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;

use super::open;
use crate::command::Command;
use crate::import::survey::{AttributeColumns, SurveyOptions, read_survey};

/// How many documents a dry run lists before summarising the rest.
const PREVIEW_DOCUMENTS: usize = 10;

/// The survey import subcommand.
#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Import survey answers (.csv or .xlsx): one case per row, one document per (row, text column).
    ImportSurvey {
        project: PathBuf,
        file: PathBuf,
        /// Column naming each case (default: the file stem and the row number, STEM-001 …).
        #[arg(long)]
        id: Option<String>,
        /// Free-text columns, comma separated: each non-empty answer becomes a document CASE/COLUMN.
        #[arg(long, required = true, value_delimiter = ',')]
        text: Vec<String>,
        /// Columns that become typed case attributes, comma separated.
        #[arg(long, value_delimiter = ',', conflicts_with = "all_other_columns")]
        attributes: Vec<String>,
        /// Every column that is neither the id nor a text column becomes an attribute.
        #[arg(long)]
        all_other_columns: bool,
        /// Sheet of an .xlsx file (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Show what would be created and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs the survey import.
pub fn run(
    command: SurveyCommand,
    coder: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let SurveyCommand::ImportSurvey {
        project,
        file,
        id,
        text,
        attributes,
        all_other_columns,
        sheet,
        dry_run,
    } = command;
    let options = SurveyOptions {
        id_column: id,
        text_columns: text,
        attributes: match (all_other_columns, attributes.is_empty()) {
            (true, _) => AttributeColumns::AllOther,
            (false, true) => AttributeColumns::None,
            (false, false) => AttributeColumns::Named(attributes),
        },
        sheet,
    };
    let mut project = open(&project, coder)?;
    let survey = read_survey(&file, &options)?;
    for document in &survey.documents {
        if project.read().document_by_name(&document.name)?.is_some() {
            bail!(
                "{}: a document named '{}' already exists in the project",
                file.display(),
                document.name
            );
        }
    }
    let source = match &survey.sheet {
        Some(sheet) => format!("{} (sheet '{sheet}', {})", file.display(), survey.encoding),
        None => format!("{} ({})", file.display(), survey.encoding),
    };
    let columns: Vec<String> = survey
        .table
        .columns
        .iter()
        .map(|column| format!("{}:{}", column.name, column.kind.as_str()))
        .collect();
    let (cases, documents) = (survey.table.rows.len(), survey.documents.len());
    let verb = if dry_run { "would import" } else { "imported" };
    let mut lines = vec![format!("{verb} {source}:"), format!("  {cases} case(s)")];
    lines.push(if columns.is_empty() {
        "  no attributes".to_owned()
    } else {
        format!("  {} attribute(s): {}", columns.len(), columns.join(", "))
    });
    lines.push(format!(
        "  {documents} document(s); {} empty answer(s) skipped",
        survey.empty_answers
    ));
    if dry_run {
        for document in survey.documents.iter().take(PREVIEW_DOCUMENTS) {
            let preview: String = document
                .text
                .chars()
                .take(30)
                .collect::<String>()
                .replace('\n', " ");
            lines.push(format!(
                "    {} ({} chars): {preview}",
                document.name,
                document.text.chars().count()
            ));
        }
        if documents > PREVIEW_DOCUMENTS {
            lines.push(format!("    … and {} more", documents - PREVIEW_DOCUMENTS));
        }
        lines.push("dry run: nothing was changed".to_owned());
        for line in lines {
            writeln!(out, "{line}")?;
        }
        return Ok(());
    }
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    project.execute(Command::ImportCases {
        source: name,
        documents: survey.documents,
        table: survey.table,
    })?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
