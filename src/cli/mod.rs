//! The command-line face of the core: each subcommand opens the project, calls the core and
//! prints. Errors print once, as `casecode: …`, with exit code 2. Subcommands of one area live
//! in their own file (`matrix.rs`: the matrix and its cells) and are flattened in here.

mod codes;
mod corpus_filters;
mod edit;
mod exchange;
mod export;
mod import;
mod list;
mod matrix;
mod method_export;
mod mgta;
mod paper;
mod revise;
mod scat;
mod server;
mod survey;
mod team;
mod text;
mod tokenize;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::command::{Command, NewCoding};
use crate::export::codebook::{codebook_of, to_csv, to_ron};
use crate::export::codings::codings_csv;
use crate::export::write_file;
use crate::import::attributes::read_attributes_csv;
use crate::import::codebook::read_codebook;
use crate::import::codings::read_codings_csv;
use crate::listing;
use crate::model::CodingId;
use crate::project::Project;
use crate::text::CharIndex;
use codes::{CodeAction, code_action};
use list::{ListWhat, list};

/// casecode: code Japanese interview transcripts and read them through a case-code matrix.
#[derive(Debug, Parser)]
#[command(name = "casecode", version, about, long_about = None)]
pub struct Cli {
    /// Coder name recorded on codings and in the journal (default: $CASECODE_CODER or $USER).
    #[arg(long, global = true)]
    coder: Option<String>,
    #[command(subcommand)]
    command: Option<Commands>,
}

#[derive(Debug, Subcommand)]
enum Commands {
    /// Create a new, empty project file (never overwrites).
    New { project: PathBuf },
    #[command(flatten)]
    Import(import::ImportCommand),
    /// Import case attributes from a CSV (first column: case name; header: attribute[:type]).
    Attributes { project: PathBuf, csv: PathBuf },
    /// Import or export the codebook (.ron, or .csv with category,subcategory,code,roles,definition,color).
    Codebook {
        project: PathBuf,
        #[command(subcommand)]
        action: FileAction,
    },
    /// Import or export codings as CSV (document,start,end,code,coder,memo[,text]).
    Codings {
        project: PathBuf,
        #[command(subcommand)]
        action: FileAction,
    },
    /// Apply a code to a span [start, end) of a document, in code points.
    Code {
        project: PathBuf,
        #[arg(long)]
        doc: String,
        #[arg(long)]
        start: usize,
        #[arg(long)]
        end: usize,
        /// A unique code name or the full path joined with '/'.
        #[arg(long, required_unless_present = "in_vivo", conflicts_with = "in_vivo")]
        code: Option<String>,
        /// In-vivo coding: create a code named after the span's own words and apply it.
        #[arg(long)]
        in_vivo: bool,
        /// Where the in-vivo code goes (a code name or path; default: the top level).
        #[arg(long, requires = "in_vivo")]
        parent: Option<String>,
        #[arg(long, default_value = "")]
        memo: String,
    },
    /// Remove codings by id.
    Uncode {
        project: PathBuf,
        #[arg(long = "coding", required = true, value_delimiter = ',')]
        coding_ids: Vec<i64>,
    },
    /// Give codings another code (spans, coders and memos stay).
    Recode {
        project: PathBuf,
        #[arg(long = "coding", required = true, value_delimiter = ',')]
        coding_ids: Vec<i64>,
        /// A unique code name or the full path joined with '/'.
        #[arg(long)]
        code: String,
    },
    /// Change the code tree: add, rename, move, merge, delete, edit.
    Codes {
        project: PathBuf,
        #[command(subcommand)]
        action: CodeAction,
    },
    /// Print the journal: every command done, undone and redone.
    History {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Undo the latest command (also across restarts).
    Undo {
        project: PathBuf,
        /// How many commands to undo.
        #[arg(default_value_t = 1)]
        count: usize,
    },
    /// Redo the latest undone command.
    Redo {
        project: PathBuf,
        #[arg(default_value_t = 1)]
        count: usize,
    },
    /// List documents, cases, codes or codings.
    List {
        project: PathBuf,
        what: ListWhat,
        #[arg(long)]
        json: bool,
    },
    /// Print a document's stored text, or the span [start, end) in code points.
    Text {
        project: PathBuf,
        #[arg(long)]
        doc: String,
        #[arg(long)]
        start: Option<usize>,
        #[arg(long)]
        end: Option<usize>,
    },
    /// Build the sample study from a folder like sample_transcripts/ into a new project.
    Demo {
        /// Folder with *.txt, cases.csv, codebook.ron, codings.csv.
        dir: PathBuf,
        /// Project file to create.
        #[arg(long, default_value = "sample.casecode")]
        project: PathBuf,
        /// Replace an existing casecode project at that path.
        #[arg(long)]
        force: bool,
    },
    /// Check a project file (SQLite integrity check and counts).
    Check { project: PathBuf },
    /// Open the workbench window, with PROJECT when given (also what `casecode` alone does).
    #[cfg(feature = "gui")]
    Gui { project: Option<PathBuf> },
    /// Export tables for a paper (xlsx, CSV, Markdown, HTML) or REFI-QDA files (.qdpx, .qdc).
    Export(Box<export::ExportArgs>),
    #[command(flatten)]
    Survey(survey::SurveyCommand),
    #[command(flatten)]
    Matrix(matrix::MatrixCommand),
    #[command(flatten)]
    Edit(edit::EditCommand),
    #[command(flatten)]
    Corpus(text::TextCommand),
    #[command(flatten)]
    Exchange(exchange::ExchangeCommand),
    #[command(flatten)]
    CorpusFilters(corpus_filters::CorpusFilterCommand),
    #[command(flatten)]
    Revise(revise::ReviseCommand),
    #[command(flatten)]
    Scat(scat::ScatCli),
    #[command(flatten)]
    Mgta(mgta::MgtaCli),
    #[command(flatten)]
    Team(team::TeamCommand),
    #[command(flatten)]
    Server(server::ServerCommand),
}

#[derive(Debug, Subcommand)]
enum FileAction {
    /// Read a file into the project (one undoable command).
    Import { file: PathBuf },
    /// Write the project's data to a file.
    Export { file: PathBuf },
}

/// Parses the process arguments and runs; prints an error once and returns exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A reader that stops early (`casecode list … | head`) is not an error.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("casecode: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let coder = cli.coder.as_deref();
    #[cfg(feature = "gui")]
    let Some(command) = cli.command else {
        crate::ui::run(None)?;
        return Ok(ExitCode::SUCCESS);
    };
    #[cfg(not(feature = "gui"))]
    let Some(command) = cli.command else {
        use clap::CommandFactory;
        Cli::command().print_help()?;
        println!("\n(This build has no workbench GUI: it was built without the `gui` feature.)");
        return Ok(ExitCode::from(2));
    };
    let mut out = std::io::stdout().lock();
    match command {
        Commands::New { project } => {
            Project::create(&project)?;
            writeln!(out, "created {}", project.display())?;
        }
        Commands::Attributes { project, csv } => {
            let mut project = open(&project, coder)?;
            let table = read_attributes_csv(&csv)?;
            let (cases, columns) = (table.rows.len(), table.columns.clone());
            project.execute(Command::ImportAttributes { table })?;
            let described: Vec<String> = columns
                .iter()
                .map(|c| format!("{}:{}", c.name, c.kind.as_str()))
                .collect();
            writeln!(
                out,
                "set {} attribute(s) for {cases} case(s): {}",
                columns.len(),
                described.join(", ")
            )?;
        }
        Commands::Codebook { project, action } => {
            let mut project = open(&project, coder)?;
            match action {
                FileAction::Import { file } => {
                    let codebook = read_codebook(&file)?;
                    let count = codebook.code_count();
                    project.execute(Command::ImportCodebook { codebook })?;
                    writeln!(
                        out,
                        "imported a codebook of {count} code(s) from {}",
                        file.display()
                    )?;
                }
                FileAction::Export { file } => {
                    let codebook = codebook_of(&project)?;
                    let is_csv = file
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
                    let text = if is_csv {
                        to_csv(&codebook)?
                    } else {
                        to_ron(&codebook)?
                    };
                    write_file(&file, text.as_bytes())?;
                    writeln!(
                        out,
                        "wrote {} code(s) to {}",
                        codebook.code_count(),
                        file.display()
                    )?;
                }
            }
        }
        Commands::Codings { project, action } => {
            let mut project = open(&project, coder)?;
            match action {
                FileAction::Import { file } => {
                    let codings = read_codings_csv(&file, &project)?;
                    let count = codings.len();
                    if count == 0 {
                        bail!("{}: no codings in the file", file.display());
                    }
                    project.execute(Command::AddCodings { codings })?;
                    writeln!(out, "imported {count} coding(s) from {}", file.display())?;
                }
                FileAction::Export { file } => {
                    let rows = listing::codings(&project)?;
                    write_file(&file, codings_csv(&rows)?.as_bytes())?;
                    writeln!(out, "wrote {} coding(s) to {}", rows.len(), file.display())?;
                }
            }
        }
        Commands::Code {
            project,
            doc,
            start,
            end,
            code,
            in_vivo,
            parent,
            memo,
        } => {
            let mut project = open(&project, coder)?;
            let document = project.document_named(&doc)?;
            let text = project
                .read()
                .document_text(document.id)?
                .unwrap_or_default();
            let index = CharIndex::new(text);
            let coding = NewCoding {
                document_id: document.id,
                // Replaced by the new code's id for an in-vivo code.
                code_id: crate::model::CodeId(0),
                start,
                end,
                coder: project.coder().to_owned(),
                memo,
            };
            match code {
                Some(code) if !in_vivo => {
                    let code_id = project.resolve_code(&code)?;
                    project.execute(Command::AddCodings {
                        codings: vec![NewCoding { code_id, ..coding }],
                    })?;
                }
                _ => {
                    // The core checks the span too; the name needs its text first.
                    let Some(span_text) = index.slice(start, end) else {
                        bail!(
                            "[{start}, {end}) is not a span of {doc}: the document has only {} characters",
                            index.chars()
                        );
                    };
                    let parent_id = match &parent {
                        Some(parent) => Some(project.resolve_code(parent)?),
                        None => None,
                    };
                    let name = crate::command::in_vivo_name(span_text);
                    project.execute(Command::CodeInVivo {
                        parent_id,
                        name: name.clone(),
                        coding,
                    })?;
                    writeln!(out, "created code {name}")?;
                }
            }
            writeln!(
                out,
                "coded {doc} [{start}, {end}) 「{}」",
                index.slice(start, end).unwrap_or_default()
            )?;
        }
        Commands::Uncode {
            project,
            coding_ids,
        } => {
            let mut project = open(&project, coder)?;
            let count = coding_ids.len();
            project.execute(Command::RemoveCodings {
                coding_ids: coding_ids.into_iter().map(CodingId).collect(),
            })?;
            writeln!(out, "removed {count} coding(s)")?;
        }
        Commands::Recode {
            project,
            coding_ids,
            code,
        } => {
            let mut project = open(&project, coder)?;
            let code_id = project.resolve_code(&code)?;
            let count = coding_ids.len();
            project.execute(Command::RecodeCodings {
                coding_ids: coding_ids.into_iter().map(CodingId).collect(),
                code_id,
            })?;
            writeln!(out, "recoded {count} coding(s) to {code}")?;
        }
        Commands::Codes { project, action } => {
            let mut project = open(&project, coder)?;
            let label = code_action(&mut project, action)?;
            writeln!(out, "{label}")?;
        }
        Commands::History { project, json } => {
            let project = open(&project, coder)?;
            let journal = project.read().journal()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &journal)?;
                writeln!(out)?;
            } else {
                for entry in journal {
                    writeln!(
                        out,
                        "{:>5}  {}  {:<4}  {}  {}",
                        entry.id, entry.at, entry.action, entry.coder, entry.label
                    )?;
                }
            }
        }
        Commands::Undo { project, count } | Commands::Redo { project, count } if count == 0 => {
            let _ = project;
        }
        Commands::Undo { project, count } => {
            let mut project = open(&project, coder)?;
            for _ in 0..count {
                match project.undo()? {
                    Some(label) => writeln!(out, "undone: {label}")?,
                    None => {
                        writeln!(out, "nothing to undo")?;
                        break;
                    }
                }
            }
        }
        Commands::Redo { project, count } => {
            let mut project = open(&project, coder)?;
            for _ in 0..count {
                match project.redo()? {
                    Some(label) => writeln!(out, "redone: {label}")?,
                    None => {
                        writeln!(out, "nothing to redo")?;
                        break;
                    }
                }
            }
        }
        Commands::List {
            project,
            what,
            json,
        } => {
            let project = open(&project, coder)?;
            list(&project, what, json, &mut out)?;
        }
        Commands::Text {
            project,
            doc,
            start,
            end,
        } => {
            let project = open(&project, coder)?;
            let document = project.document_named(&doc)?;
            let text = CharIndex::new(
                project
                    .read()
                    .document_text(document.id)?
                    .unwrap_or_default(),
            );
            let (start, end) = (start.unwrap_or(0), end.unwrap_or(text.chars()));
            crate::model::Span::new(&doc, text.chars(), start, end)?;
            write!(out, "{}", text.slice(start, end).unwrap_or_default())?;
            if end == text.chars() && !text.text().ends_with('\n') || end < text.chars() {
                writeln!(out)?;
            }
        }
        Commands::Demo {
            dir,
            project,
            force,
        } => {
            if project.exists() {
                if !force {
                    bail!(
                        "{}: the file already exists; give --force to replace it",
                        project.display()
                    );
                }
                // Only ever replace a casecode project, never some other file.
                drop(
                    Project::open(&project)
                        .with_context(|| format!("refusing to replace {}", project.display()))?,
                );
                for suffix in ["", "-wal", "-shm"] {
                    let path = PathBuf::from(format!("{}{suffix}", project.display()));
                    if path.exists() {
                        std::fs::remove_file(&path)
                            .with_context(|| format!("removing {}", path.display()))?;
                    }
                }
            }
            let summary = crate::sample::build_study(&dir, &project, coder)?;
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
            writeln!(
                out,
                "built {}: {} documents, {} cases, {} codes, {} codings",
                project.display(),
                summary.documents,
                summary.cases,
                summary.codes,
                summary.codings
            )?;
        }
        Commands::Export(args) => export::run(&args, coder, &mut out)?,
        Commands::Import(command) => import::run(command, coder, &mut out)?,
        Commands::Survey(command) => survey::run(command, coder, &mut out)?,
        Commands::Matrix(command) => matrix::run(command, coder, &mut out)?,
        Commands::Edit(command) => edit::run(command, coder, &mut out)?,
        Commands::Corpus(command) => text::run(command, coder, &mut out)?,
        Commands::Exchange(command) => exchange::run_command(command, coder, &mut out)?,
        Commands::CorpusFilters(command) => corpus_filters::run(command, coder, &mut out)?,
        Commands::Revise(command) => revise::run(command, coder, &mut out)?,
        Commands::Scat(command) => scat::run(command, coder, &mut out)?,
        Commands::Mgta(command) => mgta::run(command, coder, &mut out)?,
        Commands::Team(command) => team::run(command, coder, &mut out)?,
        Commands::Server(command) => server::run(command, &mut out)?,
        #[cfg(feature = "gui")]
        Commands::Gui { project } => crate::ui::run(project)?,
        Commands::Check { project } => {
            let project = open(&project, coder)?;
            let integrity = project.integrity_check()?;
            let [documents, cases, codes, codings] = project.read().counts()?;
            writeln!(out, "integrity: {integrity}")?;
            writeln!(
                out,
                "{documents} documents, {cases} cases, {codes} codes, {codings} codings"
            )?;
            if integrity != "ok" {
                return Ok(ExitCode::from(2));
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Opens a project and sets the coder given on the command line.
pub(crate) fn open(path: &Path, coder: Option<&str>) -> anyhow::Result<Project> {
    let mut project = Project::open(path)?;
    if let Some(coder) = coder {
        project.set_coder(coder);
    }
    Ok(project)
}
