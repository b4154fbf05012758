//! `casecode mgta PROJECT …`: the M-GTA analysis — 分析焦点者 and 分析テーマ, the concepts with
//! their number of variations, one concept's 分析ワークシート, its 定義, the order and visibility
//! of its variations, 理論的メモ entries and the 理論的メモノート, and the 結果図.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;

use super::open;
use crate::command::{Command, MgtaCommand};
use crate::methods::mgta::{ConceptSheet, MgtaAnalysis};
use crate::model::{CodeId, CodingId, TheoreticalMemo};
use crate::project::Project;

/// The subcommand of this file, flattened into the top level.
#[derive(Debug, Subcommand)]
pub enum MgtaCli {
    /// M-GTA (木下康仁): settings | concepts | show | define | memo | notebook | variation |
    /// diagram.
    Mgta {
        project: PathBuf,
        /// Print JSON instead of text.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        action: MgtaAction,
    },
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum MgtaAction {
    /// Print 分析焦点者 and 分析テーマ, or set them.
    Settings {
        /// 分析焦点者.
        #[arg(long)]
        focus_person: Option<String>,
        /// 分析テーマ.
        #[arg(long)]
        theme: Option<String>,
    },
    /// List the concepts (codes without subcodes) with their number of variations.
    Concepts,
    /// Print a concept's 分析ワークシート.
    Show {
        /// A code name or path.
        #[arg(long)]
        concept: String,
    },
    /// Write a concept's 定義 (the code's definition).
    Define {
        #[arg(long)]
        concept: String,
        text: String,
    },
    /// Add a dated 理論的メモ entry to a concept, or without --concept to the 理論的メモノート.
    Memo {
        #[arg(long)]
        concept: Option<String>,
        /// YYYY-MM-DD (default: today, UTC).
        #[arg(long)]
        date: Option<String>,
        text: String,
    },
    /// Rewrite a 理論的メモ entry.
    MemoEdit {
        #[arg(long)]
        id: i64,
        text: String,
    },
    /// Delete a 理論的メモ entry.
    MemoRemove {
        #[arg(long)]
        id: i64,
    },
    /// Print the 理論的メモノート.
    Notebook,
    /// Move a variation to position --to, or --hide / --show it.
    Variation {
        #[arg(long)]
        concept: String,
        /// The coding's id (see `mgta show`).
        #[arg(long)]
        coding: i64,
        #[arg(long, required_unless_present_any = ["hide", "show"], conflicts_with_all = ["hide", "show"])]
        to: Option<usize>,
        #[arg(long, conflicts_with = "show")]
        hide: bool,
        #[arg(long)]
        show: bool,
    },
    /// The 結果図: show | box | unbox | arrow | relabel | unarrow.
    Diagram {
        #[command(subcommand)]
        action: DiagramAction,
    },
}

/// Changes to the 結果図.
#[derive(Debug, Subcommand)]
pub enum DiagramAction {
    /// Print the boxes and arrows.
    Show,
    /// Put a category or concept on the diagram at (X, Y) points, or move its box there.
    Box {
        #[arg(long)]
        code: String,
        #[arg(long, allow_negative_numbers = true)]
        x: f64,
        #[arg(long, allow_negative_numbers = true)]
        y: f64,
    },
    /// Take a box (and its arrows) off the diagram.
    Unbox {
        #[arg(long)]
        code: String,
    },
    /// Draw a labelled arrow (影響, 循環, 対立 …) between two codes' boxes.
    Arrow {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Relabel an arrow.
    Relabel {
        #[arg(long)]
        id: i64,
        label: String,
    },
    /// Delete an arrow.
    Unarrow {
        #[arg(long)]
        id: i64,
    },
}

/// Runs `casecode mgta`.
pub fn run(command: MgtaCli, coder: Option<&str>, out: &mut impl Write) -> anyhow::Result<()> {
    let MgtaCli::Mgta {
        project,
        json,
        action,
    } = command;
    let mut project = open(&project, coder)?;
    let command = match action {
        MgtaAction::Settings {
            focus_person: None,
            theme: None,
        } => {
            let settings = project.read().mgta_settings()?;
            if json {
                return print_json(&settings, out);
            }
            writeln!(out, "分析テーマ: {}", settings.theme)?;
            writeln!(out, "分析焦点者: {}", settings.focus_person)?;
            return Ok(());
        }
        MgtaAction::Settings {
            focus_person,
            theme,
        } => MgtaCommand::SetSettings {
            focus_person,
            theme,
        },
        MgtaAction::Concepts => {
            let analysis = MgtaAnalysis::load(project.read())?;
            if json {
                let rows: Vec<serde_json::Value> = analysis
                    .concepts
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "id": c.code_id.0,
                            "name": c.name,
                            "category": c.category,
                            "definition": c.definition,
                            "variations": c.shown_variations().count(),
                            "hidden": c.variations.len() - c.shown_variations().count(),
                            "memos": c.memos.len(),
                        })
                    })
                    .collect();
                return print_json(&rows, out);
            }
            for concept in &analysis.concepts {
                writeln!(
                    out,
                    "{:>4}  {}{}  ({} variations, {} memos)",
                    concept.code_id.0,
                    if concept.category.is_empty() {
                        String::new()
                    } else {
                        format!("{} ▸ ", concept.category)
                    },
                    concept.name,
                    concept.shown_variations().count(),
                    concept.memos.len()
                )?;
            }
            return Ok(());
        }
        MgtaAction::Show { concept } => {
            let code_id = project.resolve_code(&concept)?;
            let analysis = MgtaAnalysis::load(project.read())?;
            let Some(sheet) = analysis.concept(code_id) else {
                bail!("'{concept}' has subcodes: it is a category, not a concept");
            };
            if json {
                return print_json(sheet, out);
            }
            return print_concept(&analysis, sheet, out);
        }
        MgtaAction::Define { concept, text } => {
            let code_id = project.resolve_code(&concept)?;
            let label = project.execute(Command::EditCode {
                code_id,
                definition: Some(text),
                color: None,
                memo: None,
                roles: None,
            })?;
            writeln!(out, "{label}: {concept}")?;
            return Ok(());
        }
        MgtaAction::Memo {
            concept,
            date,
            text,
        } => {
            let code_id = match &concept {
                Some(concept) => Some(concept_id(&project, concept)?),
                None => None,
            };
            MgtaCommand::AddMemo {
                code_id,
                date,
                coder: project.coder().to_owned(),
                text,
            }
        }
        MgtaAction::MemoEdit { id, text } => MgtaCommand::EditMemo { memo_id: id, text },
        MgtaAction::MemoRemove { id } => MgtaCommand::RemoveMemo { memo_id: id },
        MgtaAction::Notebook => {
            let notebook = project.read().theoretical_memos(None)?;
            if json {
                return print_json(&notebook, out);
            }
            for memo in &notebook {
                print_memo(memo, out)?;
            }
            return Ok(());
        }
        MgtaAction::Variation {
            concept,
            coding,
            to,
            hide,
            show,
        } => {
            let code_id = concept_id(&project, &concept)?;
            let coding_id = CodingId(coding);
            match to {
                Some(to) if !hide && !show => MgtaCommand::MoveVariation {
                    code_id,
                    coding_id,
                    to,
                },
                _ => MgtaCommand::HideVariation {
                    code_id,
                    coding_id,
                    hidden: hide,
                },
            }
        }
        MgtaAction::Diagram { action } => match action {
            DiagramAction::Show => {
                let analysis = MgtaAnalysis::load(project.read())?;
                if json {
                    return print_json(&analysis.diagram, out);
                }
                for node in &analysis.diagram.nodes {
                    writeln!(
                        out,
                        "[{}] {} at ({}, {})",
                        if node.is_category {
                            "カテゴリー"
                        } else {
                            "概念"
                        },
                        node.name,
                        node.x,
                        node.y
                    )?;
                }
                for edge in &analysis.diagram.edges {
                    let name = |index: usize| {
                        analysis
                            .diagram
                            .nodes
                            .get(index)
                            .map_or("?", |n| n.name.as_str())
                    };
                    writeln!(
                        out,
                        "arrow {}: {} → {} 「{}」",
                        edge.arrow_id,
                        name(edge.from),
                        name(edge.to),
                        edge.label
                    )?;
                }
                return Ok(());
            }
            DiagramAction::Box { code, x, y } => MgtaCommand::PlaceBox {
                code_id: project.resolve_code(&code)?,
                x,
                y,
            },
            DiagramAction::Unbox { code } => MgtaCommand::RemoveBox {
                code_id: project.resolve_code(&code)?,
            },
            DiagramAction::Arrow { from, to, label } => MgtaCommand::AddArrow {
                from_id: project.resolve_code(&from)?,
                to_id: project.resolve_code(&to)?,
                label,
            },
            DiagramAction::Relabel { id, label } => MgtaCommand::EditArrow {
                arrow_id: id,
                label,
            },
            DiagramAction::Unarrow { id } => MgtaCommand::RemoveArrow { arrow_id: id },
        },
    };
    let label = project.execute(Command::Mgta(command))?;
    writeln!(out, "{label}")?;
    Ok(())
}

/// A code that is a concept (no subcodes), by name or path.
fn concept_id(project: &Project, concept: &str) -> anyhow::Result<CodeId> {
    let code_id = project.resolve_code(concept)?;
    if !project.code_tree()?.children(Some(code_id)).is_empty() {
        bail!("'{concept}' has subcodes: it is a category, not a concept");
    }
    Ok(code_id)
}

fn print_json(value: &impl serde::Serialize, out: &mut impl Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

fn print_memo(memo: &TheoreticalMemo, out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "  #{} {}（{}）{}",
        memo.id,
        memo.date,
        memo.coder,
        memo.text.replace('\n', " / ")
    )?;
    Ok(())
}

fn print_concept(
    analysis: &MgtaAnalysis,
    sheet: &ConceptSheet,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    writeln!(out, "分析テーマ: {}", analysis.settings.theme)?;
    writeln!(out, "分析焦点者: {}", analysis.settings.focus_person)?;
    writeln!(out, "概念名: {}", sheet.name)?;
    writeln!(out, "定義: {}", sheet.definition)?;
    writeln!(out, "ヴァリエーション（具体例）:")?;
    for (position, variation) in sheet.variations.iter().enumerate() {
        writeln!(
            out,
            "{:>4}. [coding {}] {}{}「{}」",
            position + 1,
            variation.coding_id.0,
            variation.citation.as_deref().unwrap_or(&variation.document),
            if variation.hidden {
                "（非表示）"
            } else {
                ""
            },
            variation.text.replace('\n', " ")
        )?;
    }
    writeln!(out, "理論的メモ:")?;
    for memo in &sheet.memos {
        print_memo(memo, out)?;
    }
    Ok(())
}
