//! Team coding on the command line: coders (list, rename, merge), inter-coder agreement,
//! copies for a second coder, merging projects and reconciling disagreements.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::open;
use crate::command::Command;

/// The subcommands of this file, flattened into the top level.
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// List, rename or merge coders (renaming keeps the coder's GUID; merging makes identical
    /// codings of the two one). Both are undoable.
    Coders {
        project: PathBuf,
        #[command(subcommand)]
        action: CoderAction,
    },
    /// Inter-coder agreement of two coders per code (and document): the 2 × 2 counts over
    /// units, % agreement, Cohen's κ, Krippendorff's α and segment agreement.
    Agreement {
        project: PathBuf,
        /// The two coders, comma separated (e.g. 山田,鈴木).
        #[arg(long, value_delimiter = ',', required = true)]
        coders: Vec<String>,
        /// character, utterance, sentence or document.
        #[arg(long, default_value = "character")]
        unit: String,
        /// Only these codes (names or paths, comma separated; a category means its subtree).
        #[arg(long, value_delimiter = ',')]
        codes: Vec<String>,
        /// Only these documents (comma separated).
        #[arg(long, value_delimiter = ',')]
        documents: Vec<String>,
        /// Segment agreement: least overlap of two segments to match, in percent.
        #[arg(long, default_value_t = 90.0)]
        overlap: f64,
        /// List every unmatched segment (the JSON always has them).
        #[arg(long)]
        unmatched: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a copy of the project for a second coder: the same documents, codebook, cases
    /// and GUIDs; with --blind, without any other coder's codings, summaries and history.
    CopyForCoder {
        project: PathBuf,
        /// The coder the copy is for.
        #[arg(long = "for", value_name = "CODER")]
        for_coder: String,
        /// The new project file.
        out: PathBuf,
        #[arg(long)]
        blind: bool,
    },
    /// Bring OTHER (a second coder's copy) into TARGET by GUID: documents, codes, cases,
    /// codings, memos, summaries, marks, attributes and coders, as one undoable command.
    Merge {
        target: PathBuf,
        other: PathBuf,
        /// Print what would happen and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the consensus (coder 合意) where two coders disagree on a code in a document.
    Reconcile {
        project: PathBuf,
        #[arg(long)]
        doc: String,
        /// A unique code name or the full path.
        #[arg(long)]
        code: String,
        /// The two coders, comma separated (A,B).
        #[arg(long, value_delimiter = ',', required = true)]
        coders: Vec<String>,
        /// a (A's spans), b (B's), union, intersection or discard.
        #[arg(long)]
        take: String,
        /// Only spans overlapping [start, end) (default: the whole document).
        #[arg(long, requires = "end")]
        start: Option<usize>,
        #[arg(long, requires = "start")]
        end: Option<usize>,
    },
}

/// What to do with coders.
#[derive(Debug, Subcommand)]
pub enum CoderAction {
    /// Every coder with GUID, colour and number of codings.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Rename a coder.
    Rename { name: String, new_name: String },
    /// Merge coder SOURCE into TARGET (identity drift: `yamada` and `山田` are one person).
    Merge { source: String, target: String },
}

/// Runs one team subcommand.
pub fn run(command: TeamCommand, coder: Option<&str>, out: &mut impl Write) -> anyhow::Result<()> {
    match command {
        TeamCommand::Coders { project, action } => {
            let mut project = open(&project, coder)?;
            match action {
                CoderAction::List { json } => {
                    let counts: std::collections::BTreeMap<_, _> = project
                        .read()
                        .coding_counts_by_coder()?
                        .into_iter()
                        .collect();
                    let coders = project.read().coders()?;
                    if json {
                        let rows: Vec<serde_json::Value> = coders
                            .iter()
                            .map(|coder| {
                                serde_json::json!({
                                    "name": coder.name,
                                    "guid": coder.guid,
                                    "color": coder.color,
                                    "codings": counts.get(&coder.id).copied().unwrap_or(0),
                                })
                            })
                            .collect();
                        serde_json::to_writer_pretty(&mut *out, &rows)?;
                        writeln!(out)?;
                    } else {
                        for coder in &coders {
                            writeln!(
                                out,
                                "{}\t{}\t{}\t{} coding(s)",
                                coder.name,
                                coder.guid,
                                coder.color.as_deref().unwrap_or("-"),
                                counts.get(&coder.id).copied().unwrap_or(0)
                            )?;
                        }
                    }
                }
                CoderAction::Rename { name, new_name } => {
                    let label = project.execute(Command::RenameCoder { name, new_name })?;
                    writeln!(out, "{label}")?;
                }
                CoderAction::Merge { source, target } => {
                    let before = project.read().counts()?[3];
                    let label = project.execute(Command::MergeCoders { source, target })?;
                    let after = project.read().counts()?[3];
                    writeln!(out, "{label}")?;
                    if before > after {
                        writeln!(
                            out,
                            "{} identical coding(s) of the two coders became one",
                            before - after
                        )?;
                    }
                }
            }
        }
        TeamCommand::CopyForCoder {
            project,
            for_coder,
            out: file,
            blind,
        } => {
            let project = open(&project, coder)?;
            let report = project.copy_for_coder(&file, for_coder.trim(), blind)?;
            writeln!(
                out,
                "wrote {} for {}{}: {} own coding(s) kept, {} coding(s) and {} summary(ies) of other coders left out",
                file.display(),
                for_coder.trim(),
                if blind { " (blind)" } else { "" },
                report.codings_kept,
                report.codings_removed,
                report.summaries_removed
            )?;
        }
        TeamCommand::Merge {
            target,
            other,
            dry_run,
        } => {
            use crate::command::{merge_source, plan_merge};
            if std::fs::canonicalize(&target).ok() == std::fs::canonicalize(&other).ok() {
                anyhow::bail!("{}: cannot merge a project into itself", other.display());
            }
            let mut project = open(&target, coder)?;
            let source = {
                let other_project = crate::project::Project::open(&other)?;
                let name = other.file_name().map_or_else(
                    || other.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                merge_source(&other_project.read(), &name)?
            };
            let plan = plan_merge(&project.read(), &source)?;
            for line in &plan.report {
                writeln!(out, "{line}")?;
            }
            if dry_run {
                writeln!(out, "dry run: nothing changed")?;
            } else if plan.steps.is_empty() {
                writeln!(out, "nothing to merge")?;
            } else {
                let label = project.execute(Command::MergeProject {
                    source: Box::new(source),
                })?;
                writeln!(out, "{label}: done (undo reverts it)")?;
            }
        }
        TeamCommand::Reconcile {
            project,
            doc,
            code,
            coders,
            take,
            start,
            end,
        } => {
            use crate::command::{Reconciliation, Take};
            let mut project = open(&project, coder)?;
            let [first, second] = coders.as_slice() else {
                anyhow::bail!("--coders needs exactly two coder names, e.g. --coders 山田,鈴木");
            };
            let Some(take) = Take::parse(&take) else {
                anyhow::bail!("unknown --take '{take}': use a, b, union, intersection or discard");
            };
            let document = project.document_named(&doc)?;
            let code_id = project.resolve_code(&code)?;
            let reconciler = project.coder().to_owned();
            let label = project.execute(Command::Reconcile {
                decision: Reconciliation {
                    document_id: document.id,
                    code_id,
                    first: first.trim().to_owned(),
                    second: second.trim().to_owned(),
                    take,
                    range: start.zip(end),
                    reconciler,
                },
            })?;
            writeln!(out, "{label}")?;
        }
        TeamCommand::Agreement {
            project,
            coders,
            unit,
            codes,
            documents,
            overlap,
            unmatched,
            json,
        } => {
            use crate::analysis::agreement::Agreement;
            let project = open(&project, coder)?;
            let data = crate::analysis::AnalysisData::load_without_text(&project)?;
            let mut options =
                agreement_options(&project, &data, &coders, &unit, &codes, &documents)?;
            if !(0.0..=100.0).contains(&overlap) {
                anyhow::bail!("--overlap is a percentage between 0 and 100 (got {overlap})");
            }
            options.segment_overlap = overlap / 100.0;
            let agreement = Agreement::compute(&data, &options);
            if json {
                serde_json::to_writer_pretty(&mut *out, &agreement.to_json())?;
                writeln!(out)?;
                return Ok(());
            }
            let (a, b) = &agreement.coders;
            writeln!(
                out,
                "coders: {a} (A), {b} (B); unit: {}; {} units per code; segments match at {overlap}% overlap",
                agreement.unit.as_str(),
                agreement.units_per_code
            )?;
            writeln!(
                out,
                "code\tboth\tA only\tB only\tneither\tagreement\tkappa\talpha\tsegments matched"
            )?;
            for code in &agreement.codes {
                let c = &code.pooled;
                let s = &code.segments;
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}/{} ({})",
                    code.code_path,
                    c.both,
                    c.a_only,
                    c.b_only,
                    c.neither,
                    percent(c.agreement()),
                    coefficient(c.kappa()),
                    coefficient(c.alpha()),
                    s.matched_a + s.matched_b,
                    s.segments_a + s.segments_b,
                    percent(s.agreement)
                )?;
                if unmatched {
                    for segment in &s.unmatched {
                        writeln!(
                            out,
                            "  unmatched {} {} [{}, {}) {} 「{}」",
                            segment.coder,
                            segment.document,
                            segment.start,
                            segment.end,
                            segment.citation.as_deref().unwrap_or("-"),
                            segment.text.replace('\n', " ")
                        )?;
                    }
                }
            }
            let o = &agreement.overall;
            writeln!(
                out,
                "overall\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                o.both,
                o.a_only,
                o.b_only,
                o.neither,
                percent(o.agreement()),
                coefficient(o.kappa()),
                coefficient(o.alpha())
            )?;
        }
    }
    Ok(())
}

/// Percent with one decimal, or `-` when undefined.
fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// A coefficient with three decimals, or `undefined`.
fn coefficient(value: Option<f64>) -> String {
    value.map_or_else(|| "undefined".to_owned(), |v| format!("{v:.3}"))
}

/// Resolves the agreement options from names as a user writes them.
pub(crate) fn agreement_options(
    project: &crate::project::Project,
    data: &crate::analysis::AnalysisData,
    coders: &[String],
    unit: &str,
    codes: &[String],
    documents: &[String],
) -> anyhow::Result<crate::analysis::agreement::AgreementOptions> {
    use crate::analysis::agreement::{AgreementOptions, Unit};
    let [first, second] = coders else {
        anyhow::bail!("--coders needs exactly two coder names, e.g. --coders 山田,鈴木");
    };
    let known: Vec<String> = project
        .read()
        .coders()?
        .into_iter()
        .map(|c| c.name)
        .collect();
    for name in [first, second] {
        if !known.iter().any(|k| k == name.trim()) {
            anyhow::bail!(
                "no coder named '{}' (coders: {})",
                name.trim(),
                known.join(", ")
            );
        }
    }
    if first.trim() == second.trim() {
        anyhow::bail!("--coders names the same coder twice");
    }
    let Some(unit) = Unit::parse(unit) else {
        anyhow::bail!("unknown unit '{unit}': use character, utterance, sentence or document");
    };
    let mut options = AgreementOptions::new(first.trim(), second.trim());
    options.unit = unit;
    let tree = data.tree();
    for address in codes {
        let code_id = tree.resolve(address.trim())?;
        options.codes.extend(tree.subtree(code_id));
    }
    for name in documents {
        let Some(document) = data.document_named(name.trim()) else {
            anyhow::bail!("no document named '{}'", name.trim());
        };
        options.documents.insert(document.id);
    }
    Ok(options)
}
