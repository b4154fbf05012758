//! CLI of the case-code matrix and its cells (summaries (要約), cell marks, exemplar flags),
//! and of the analyses read through it: matrix, crosstab, co-occurrence, frequencies. Each
//! analysis reads one [`AnalysisData`] snapshot and prints a renderer's text.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use clap::{Args, Subcommand, ValueEnum};

use super::open;
use crate::analysis::render::{self, CellMode, Format};
use crate::analysis::{
    AnalysisData, Cooccurrence, CooccurrenceMode, Count, Crosstab, Filter, Frequencies, Level,
    Matrix, MatrixOptions, Orientation,
};
use crate::command::Command;
use crate::model::{Attribute, CellMark, CodingId};
use crate::project::Project;

/// Subcommands about the matrix, its cells, and the analyses over it.
#[derive(Debug, Subcommand)]
pub enum MatrixCommand {
    /// Print the case-code matrix (事例-コード・マトリックス).
    Matrix {
        project: PathBuf,
        /// What runs down the side: cases, or codes (the layout most papers print).
        #[arg(long, value_enum, default_value_t = RowsArg::Cases)]
        rows: RowsArg,
        #[command(flatten)]
        level: LevelArg,
        /// count | presence | segments | summary | segments+summary
        #[arg(long, default_value = "count")]
        cell: String,
        /// Group and sort the cases by this attribute (e.g. 所属組織).
        #[arg(long = "group-by")]
        group_by: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Crosstab codes × the values of an attribute, with exploratory χ² and Fisher tests.
    Crosstab {
        project: PathBuf,
        /// The attribute whose values make the columns (e.g. 所属組織).
        #[arg(long)]
        by: String,
        #[command(flatten)]
        level: LevelArg,
        /// segments | cases
        #[arg(long, value_enum, default_value_t = CountArg::Segments)]
        count: CountArg,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Code × code co-occurrence with counts and Jaccard.
    Cooccurrence {
        project: PathBuf,
        /// overlap (spans share text) | utterance (the same speaker turn)
        #[arg(long, value_enum, default_value_t = ModeArg::Overlap)]
        mode: ModeArg,
        #[command(flatten)]
        level: LevelArg,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        format: FormatArg,
        /// Also draw the co-occurrence network into this SVG file.
        #[arg(long)]
        network: Option<PathBuf>,
        /// The smallest Jaccard index drawn as an edge.
        #[arg(long, default_value_t = 0.1)]
        min_jaccard: f64,
        /// At most this many edges, strongest first (0: all).
        #[arg(long, default_value_t = 60)]
        max_edges: usize,
    },
    /// Per code: segments, cases, characters coded, % of cases.
    Frequencies {
        project: PathBuf,
        #[command(flatten)]
        level: LevelArg,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Write or remove the 要約 of a cell (case × code).
    Summary {
        project: PathBuf,
        #[command(subcommand)]
        action: SummaryAction,
    },
    /// Flag codings as exemplars (代表的語り) for Table 2, or unflag them.
    Flag {
        project: PathBuf,
        #[arg(long = "coding", required = true, value_delimiter = ',')]
        coding_ids: Vec<i64>,
        /// Flag as exemplar.
        #[arg(long, conflicts_with = "not_exemplar")]
        exemplar: bool,
        /// Remove the flag.
        #[arg(long = "not-exemplar")]
        not_exemplar: bool,
    },
    /// Mark a cell "explicitly negative" (the case says the code does not apply), or clear it.
    Cell {
        project: PathBuf,
        #[arg(long)]
        case: String,
        #[arg(long)]
        code: String,
        /// negative | none
        #[arg(long)]
        state: String,
    },
}

/// Rows of the matrix.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RowsArg {
    Cases,
    Codes,
}

/// What a crosstab counts.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CountArg {
    Segments,
    Cases,
}

/// Which co-occurrence.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ModeArg {
    Overlap,
    Utterance,
}

/// `--level`.
#[derive(Debug, Args)]
pub struct LevelArg {
    /// code | subcategory | category | depth:N | role | role:FRAME
    #[arg(long, default_value = "code")]
    level: String,
}

/// `--format`.
#[derive(Debug, Args)]
pub struct FormatArg {
    /// tsv | json | md
    #[arg(long, default_value = "tsv")]
    format: String,
}

/// Filters shared by every analysis.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Coder scope: only codings by these coders (comma separated), or `consensus` for the
    /// reconciled layer (coder 合意). Default: all coders, identical codings counted once.
    /// (`--coder` names who is acting.)
    #[arg(long = "filter-coder", visible_alias = "coders", value_delimiter = ',')]
    coders: Vec<String>,
    /// Only these documents (comma separated), and the cases that own them.
    #[arg(long, value_delimiter = ',')]
    documents: Vec<String>,
    /// Only cases with ATTRIBUTE=VALUE (repeatable; values of one attribute are alternatives).
    #[arg(long = "where")]
    conditions: Vec<String>,
}

/// What to do with a summary.
#[derive(Debug, Subcommand)]
pub enum SummaryAction {
    /// Write the summary of a cell; `--segments` links the codings that support it.
    Set {
        #[arg(long)]
        case: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        text: String,
        #[arg(long, value_delimiter = ',')]
        segments: Option<Vec<i64>>,
    },
    /// Remove the summary of a cell.
    Remove {
        #[arg(long)]
        case: String,
        #[arg(long)]
        code: String,
    },
}

/// Runs one matrix subcommand.
pub fn run(
    command: MatrixCommand,
    coder: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        MatrixCommand::Matrix {
            project,
            rows,
            level,
            cell,
            group_by,
            filter,
            format,
        } => {
            let mode = CellMode::parse(&cell)?;
            let format = Format::parse(&format.format)?;
            // Cells that only count need no segment per coding: the codings are read as bare
            // ids and offsets (at a million codings, most of the time went into segments).
            let (data, counted) = {
                let project = open(&project, coder)?;
                if mode.lists_segments() {
                    (AnalysisData::load(&project)?, None)
                } else {
                    let (data, table) = AnalysisData::load_for_counting(&project)?;
                    (data, Some(table))
                }
            };
            let level = Level::parse(&level.level, &data)?;
            let filter =
                Filter::resolve(&data, &filter.coders, &filter.documents, &filter.conditions)?;
            let group_by = group_by
                .map(|name| attribute(&data, &name, "--group-by"))
                .transpose()?
                .map(|attribute| attribute.id);
            let orientation = match rows {
                RowsArg::Cases => Orientation::CasesAsRows,
                RowsArg::Codes => Orientation::CodesAsRows,
            };
            let options = MatrixOptions {
                level,
                group_by,
                filter,
                orientation,
            };
            let matrix = match &counted {
                Some(table) => Matrix::build_counted(&data, table, options),
                None => Matrix::build(&data, options),
            };
            render::write_matrix(out, &matrix, &data, mode, format)?;
        }
        MatrixCommand::Crosstab {
            project,
            by,
            level,
            count,
            filter,
            format,
        } => {
            let format = Format::parse(&format.format)?;
            let (data, level, filter) = load(&project, coder, &level, &filter, false)?;
            let attribute = attribute(&data, &by, "--by")?;
            let count = match count {
                CountArg::Segments => Count::Segments,
                CountArg::Cases => Count::Cases,
            };
            let crosstab = Crosstab::build(&data, level, &attribute, count, &filter);
            write!(out, "{}", render::crosstab(&crosstab, &data, format))?;
        }
        MatrixCommand::Cooccurrence {
            project,
            mode,
            level,
            filter,
            format,
            network,
            min_jaccard,
            max_edges,
        } => {
            let format = Format::parse(&format.format)?;
            let (data, level, filter) = load(&project, coder, &level, &filter, false)?;
            let mode = match mode {
                ModeArg::Overlap => CooccurrenceMode::Overlap,
                ModeArg::Utterance => CooccurrenceMode::Utterance,
            };
            let table = Cooccurrence::build(&data, level, mode, &filter);
            write!(out, "{}", render::cooccurrence(&table, &data, format))?;
            if let Some(path) = network {
                if !(0.0..=1.0).contains(&min_jaccard) {
                    bail!("--min-jaccard must lie between 0 and 1 (got {min_jaccard})");
                }
                let frequencies = Frequencies::build(&data, level, &filter);
                let options = crate::analysis::NetworkOptions {
                    min_jaccard,
                    max_edges,
                };
                let graph = crate::analysis::Network::build(&table, &frequencies, options);
                crate::export::write_file(&path, graph.svg(900.0, 700.0).as_bytes())?;
                eprintln!(
                    "network: {} code(s), {} edge(s) (Jaccard ≥ {min_jaccard}) → {}",
                    graph.nodes.len(),
                    graph.edges.len(),
                    path.display()
                );
            }
        }
        MatrixCommand::Frequencies {
            project,
            level,
            filter,
            format,
        } => {
            let format = Format::parse(&format.format)?;
            let (data, level, filter) = load(&project, coder, &level, &filter, false)?;
            let table = Frequencies::build(&data, level, &filter);
            write!(out, "{}", render::frequencies(&table, &data, format))?;
        }
        MatrixCommand::Summary { project, action } => {
            let mut project = open(&project, coder)?;
            let (case, code, text, segments) = match action {
                SummaryAction::Set {
                    case,
                    code,
                    text,
                    segments,
                } => (case, code, text, segments),
                SummaryAction::Remove { case, code } => {
                    (case, code, String::new(), Some(Vec::new()))
                }
            };
            let case_id = case_id(&project, &case)?;
            let code_id = project.resolve_code(&code)?;
            let author = project.coder().to_owned();
            let label = project.execute(Command::SetSummary {
                case_id,
                code_id,
                text,
                coding_ids: segments.map(|ids| ids.into_iter().map(CodingId).collect()),
                author,
            })?;
            writeln!(out, "{label}: {case} × {code}")?;
        }
        MatrixCommand::Flag {
            project,
            coding_ids,
            exemplar,
            not_exemplar,
        } => {
            if exemplar == not_exemplar {
                bail!("give --exemplar or --not-exemplar");
            }
            let mut project = open(&project, coder)?;
            let label = project.execute(Command::SetExemplar {
                coding_ids: coding_ids.into_iter().map(CodingId).collect(),
                exemplar,
            })?;
            writeln!(out, "{label}")?;
        }
        MatrixCommand::Cell {
            project,
            case,
            code,
            state,
        } => {
            let mark = match state.trim() {
                "none" | "" => None,
                other => match CellMark::parse(other) {
                    Some(mark) => Some(mark),
                    None => bail!("--state {other}: use negative or none"),
                },
            };
            let mut project = open(&project, coder)?;
            let case_id = case_id(&project, &case)?;
            let code_id = project.resolve_code(&code)?;
            let label = project.execute(Command::SetCellState {
                case_id,
                code_id,
                mark,
            })?;
            writeln!(out, "{label}: {case} × {code}")?;
        }
    }
    Ok(())
}

/// Opens the project, reads one snapshot (with the segments' text only when it is shown),
/// resolves the level and the filter.
fn load(
    project: &Path,
    coder: Option<&str>,
    level: &LevelArg,
    filter: &FilterArgs,
    segment_text: bool,
) -> anyhow::Result<(AnalysisData, Level, Filter)> {
    let project = open(project, coder)?;
    let data = if segment_text {
        AnalysisData::load(&project)?
    } else {
        AnalysisData::load_without_text(&project)?
    };
    let level = Level::parse(&level.level, &data)?;
    let filter = Filter::resolve(&data, &filter.coders, &filter.documents, &filter.conditions)?;
    Ok((data, level, filter))
}

/// An attribute by name, or an error naming the flag and listing the attributes.
fn attribute(data: &AnalysisData, name: &str, flag: &str) -> anyhow::Result<Attribute> {
    match data.attribute_named(name) {
        Some(attribute) => Ok(attribute.clone()),
        None => {
            let names: Vec<&str> = data
                .attributes()
                .iter()
                .map(|attribute| attribute.name.as_str())
                .collect();
            bail!(
                "{flag} {name}: no such attribute (attributes: {})",
                names.join(", ")
            )
        }
    }
}

/// A case by name.
pub(crate) fn case_id(project: &Project, name: &str) -> anyhow::Result<crate::model::CaseId> {
    match project.read().case_by_name(name.trim())? {
        Some(case) => Ok(case.id),
        None => Err(crate::Error::NoSuchCase(name.to_owned()).into()),
    }
}
