//! CLI of what the word-frequency list, KWIC and search read: the speaker and non-verbal note
//! flags they share ([`ScopeArgs`]), the project's stop words and its speaker roles.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::open;
use crate::command::Command;
use crate::corpus::TextScope;
use crate::corpus::scope::speakers;
use crate::project::Project;

/// Which text counts, for `freq`, `kwic` and `search`.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Whose speech counts: `interviewees` (every speaker but the interviewers; the default
    /// of freq and kwic), `all` (the whole text, labels included; the default of search), or
    /// speaker labels such as `A,B`.
    #[arg(long)]
    pub speakers: Option<String>,
    /// Keep non-verbal notes such as （笑） and ＜笑い＞ (left out by default).
    #[arg(long)]
    pub keep_notes: bool,
}

impl ScopeArgs {
    /// The scope, with `default_speakers` when `--speakers` is not given.
    pub fn scope(&self, project: &Project, default_speakers: &str) -> anyhow::Result<TextScope> {
        let spec = self.speakers.as_deref().unwrap_or(default_speakers);
        let skip_notes = !self.keep_notes && spec != "all";
        let scope = TextScope::parse(project, spec, skip_notes)?;
        if !scope.is_everything() {
            eprintln!("{}", scope.describe());
        }
        Ok(scope)
    }
}

/// Subcommands on stop words and speakers.
#[derive(Debug, Subcommand)]
pub enum CorpusFilterCommand {
    /// The project's stop words: base forms the word-frequency list leaves out.
    Stopwords {
        project: PathBuf,
        #[command(subcommand)]
        action: StopwordsAction,
    },
    /// The speaker labels of the project and who is an interviewer (their words are left out
    /// of freq and kwic by default).
    Speakers {
        project: PathBuf,
        #[command(subcommand)]
        action: Option<SpeakersAction>,
        #[arg(long)]
        json: bool,
    },
}

/// Stop word actions.
#[derive(Debug, Subcommand)]
pub enum StopwordsAction {
    /// Add base forms, e.g. `add こと 思う`.
    Add {
        #[arg(required = true)]
        words: Vec<String>,
    },
    /// Remove base forms.
    Remove {
        #[arg(required = true)]
        words: Vec<String>,
    },
    /// Add every base form of a file (one per line; `#` starts a comment).
    Import { file: PathBuf },
    /// List the stop words.
    List,
}

/// Speaker role actions (each one undoable command).
#[derive(Debug, Subcommand)]
pub enum SpeakersAction {
    /// Mark labels as interviewers, e.g. `interviewer 母`.
    Interviewer {
        #[arg(required = true)]
        labels: Vec<String>,
    },
    /// Mark labels as interviewees (not interviewers), e.g. `interviewee I`.
    Interviewee {
        #[arg(required = true)]
        labels: Vec<String>,
    },
    /// Let casecode guess again from the label (I, Q, インタビュアー … are interviewers).
    Guess {
        #[arg(required = true)]
        labels: Vec<String>,
    },
}

/// Runs one stop word or speaker subcommand.
pub fn run(
    command: CorpusFilterCommand,
    coder: Option<&str>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        CorpusFilterCommand::Stopwords { project, action } => {
            let mut project = open(&project, coder)?;
            let command = match action {
                StopwordsAction::Add { words } => Command::AddStopWords { words },
                StopwordsAction::Remove { words } => Command::RemoveStopWords { words },
                StopwordsAction::Import { file } => {
                    let text = crate::import::read_text_file(&file)?;
                    let words: Vec<String> = text
                        .lines()
                        .map(str::trim)
                        .filter(|line| !line.is_empty() && !line.starts_with('#'))
                        .map(str::to_owned)
                        .collect();
                    if words.is_empty() {
                        anyhow::bail!("{}: no stop words in the file", file.display());
                    }
                    Command::AddStopWords { words }
                }
                StopwordsAction::List => {
                    for word in project.read().stop_words()? {
                        writeln!(out, "{word}")?;
                    }
                    return Ok(());
                }
            };
            let label = project.execute(command)?;
            writeln!(out, "{label}")?;
        }
        CorpusFilterCommand::Speakers {
            project,
            action,
            json,
        } => {
            let mut project = open(&project, coder)?;
            let (labels, role) = match action {
                None => {
                    let list = speakers(&project)?;
                    if json {
                        serde_json::to_writer_pretty(&mut *out, &list)?;
                        writeln!(out)?;
                    } else {
                        for speaker in list {
                            writeln!(
                                out,
                                "{}\t{}\t{}{}",
                                speaker.speaker,
                                speaker.utterances,
                                if speaker.interviewer {
                                    "interviewer"
                                } else {
                                    "interviewee"
                                },
                                if speaker.set_by_researcher {
                                    ""
                                } else {
                                    " (guessed)"
                                }
                            )?;
                        }
                    }
                    return Ok(());
                }
                Some(SpeakersAction::Interviewer { labels }) => (labels, Some(true)),
                Some(SpeakersAction::Interviewee { labels }) => (labels, Some(false)),
                Some(SpeakersAction::Guess { labels }) => (labels, None),
            };
            let known = speakers(&project)?;
            let mut roles = Vec::with_capacity(labels.len());
            for label in labels {
                let label: String =
                    unicode_normalization::UnicodeNormalization::nfkc(label.trim()).collect();
                if !known.iter().any(|speaker| speaker.speaker == label) {
                    anyhow::bail!(
                        "no speaker '{label}' in the project (speakers: {})",
                        known
                            .iter()
                            .map(|speaker| speaker.speaker.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                roles.push((label, role));
            }
            let label = project.execute(Command::SetSpeakerRoles { roles })?;
            writeln!(out, "{label}")?;
        }
    }
    Ok(())
}
