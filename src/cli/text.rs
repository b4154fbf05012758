//! CLI of the Japanese text layer: the dictionary, tokenizing, search, KWIC, word frequency and
//! the project's user dictionary.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};

use super::corpus_filters::ScopeArgs;
use super::open;
use super::tokenize::{tokenize_batches, tokenize_file};
use crate::command::Command;
use crate::corpus::autocode::{Unit, check_codes, read_rules_file, suggest};
use crate::corpus::freq::{FreqOptions, frequencies_in, project_stop_words};
use crate::corpus::kwic::{KwicSort, kwic_in, lines_from_hits};
use crate::corpus::{IndexedSearch, ScopeMap, SearchIndex, SearchMode, TextLayer, ensure_index};
use crate::export::concordance::write_concordance;
use crate::import::read_text_file;
use crate::model::UserTerm;
use crate::project::Project;
use crate::text::dictionary::{
    DictionaryLocations, DictionaryOrigin, build_dictionary, find_ipadic_source,
    resolve_dictionary, resolve_dictionary_in,
};

/// Subcommands of the Japanese text layer.
#[derive(Debug, Subcommand)]
pub enum TextCommand {
    /// Show which Japanese dictionary is used, or build it.
    Dictionary {
        #[command(subcommand)]
        action: DictionaryAction,
    },
    /// Tokenize a file or a text (tokens with code-point spans, base form, POS, reading).
    Tokenize {
        /// A text file (any encoding casecode imports).
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        text: Option<String>,
        /// Use this project's user dictionary too.
        #[arg(long)]
        project: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Search every document: substring (any length), --regex, or --base-form.
    Search {
        project: PathBuf,
        query: String,
        #[arg(long, conflicts_with = "base_form")]
        regex: bool,
        /// Match words by base form (支援する finds 支援し, 支援した …).
        #[arg(long = "base-form")]
        base_form: bool,
        #[command(flatten)]
        scope: ScopeArgs,
        /// Write the hits with their contexts to a .csv or .xlsx file.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Concordance (KWIC) of a word by base form.
    Kwic {
        project: PathBuf,
        word: String,
        /// Characters of context on each side.
        #[arg(long, default_value_t = 20)]
        width: usize,
        #[arg(long, value_enum, default_value = "left")]
        sort: SortArg,
        #[command(flatten)]
        scope: ScopeArgs,
        /// Write the lines to a .csv or .xlsx file.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Word frequencies by base form, overall and per case (--by case) or attribute value.
    Freq {
        project: PathBuf,
        /// Parts of speech to keep, e.g. 名詞,動詞,形容詞 (default: all but 記号).
        #[arg(long, value_delimiter = ',')]
        pos: Vec<String>,
        /// `case` or an attribute name such as 所属組織.
        #[arg(long)]
        by: Option<String>,
        #[arg(long, default_value_t = 0)]
        top: usize,
        /// A file with one base form per line to leave out.
        #[arg(long)]
        stopwords: Option<PathBuf>,
        /// Leave out 非自立, 接尾, 代名詞 and 数 words (こと, さん, それ …), as KH Coder does.
        #[arg(long)]
        content_words: bool,
        #[command(flatten)]
        scope: ScopeArgs,
        /// Count the project's stop words too (`casecode stopwords`).
        #[arg(long)]
        keep_stopwords: bool,
        #[arg(long)]
        json: bool,
    },
    /// Propose segments from rules (RON, or KH Coder .cod); list them or apply them as one
    /// undoable command.
    Autocode {
        project: PathBuf,
        rules: PathBuf,
        #[arg(long, value_enum, default_value = "sentence")]
        unit: UnitArg,
        /// Only list the suggestions (the default).
        #[arg(long = "dry-run", conflicts_with = "apply")]
        dry_run: bool,
        /// Apply every suggestion that is not already coded.
        #[arg(long)]
        apply: bool,
        #[arg(long)]
        json: bool,
    },
    /// The project's own user dictionary (re-tokenizes the documents a change affects).
    Words {
        project: PathBuf,
        #[command(subcommand)]
        action: WordsAction,
    },
}

/// Dictionary actions.
#[derive(Debug, Subcommand)]
pub enum DictionaryAction {
    /// Which dictionary is used and where it comes from (builds it if needed).
    Status,
    /// Build the dictionary from an IPADIC source folder into the cache (or --out DIR).
    Build {
        #[arg(long)]
        source: Option<PathBuf>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// User dictionary actions.
#[derive(Debug, Subcommand)]
pub enum WordsAction {
    /// Add a term, e.g. `add 医ケア児 --reading イケアジ`.
    Add {
        surface: String,
        #[arg(long)]
        reading: String,
        #[arg(long, default_value = "名詞")]
        pos: String,
    },
    /// Remove a term.
    Remove { surface: String },
    /// List the terms.
    List,
}

/// The unit rules are evaluated on.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum UnitArg {
    Sentence,
    Utterance,
}

/// KWIC ordering on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SortArg {
    Left,
    Right,
    Doc,
}

/// Runs one text-layer subcommand.
pub fn run(command: TextCommand, coder: Option<&str>, out: &mut impl Write) -> anyhow::Result<()> {
    let mut progress = |message: &str| eprintln!("dictionary: {message}");
    match command {
        TextCommand::Dictionary { action } => match action {
            DictionaryAction::Status => {
                let status = resolve_dictionary(&mut progress)?;
                let origin = match status.origin {
                    DictionaryOrigin::Environment => "CASECODE_DICTIONARY",
                    DictionaryOrigin::Cache => "cache",
                    DictionaryOrigin::Built => "built now",
                };
                writeln!(out, "dictionary: {} ({origin})", status.path.display())?;
                if let Some(source) = &status.source {
                    writeln!(
                        out,
                        "built from: {} ({})",
                        source.display(),
                        status.source_encoding.as_deref().unwrap_or("?")
                    )?;
                }
                writeln!(
                    out,
                    "domain user dictionary: {} terms (dictionaries/user_dictionary.csv)",
                    crate::corpus::index::DOMAIN_DICTIONARY
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .count()
                )?;
            }
            DictionaryAction::Build {
                source,
                out: folder,
            } => {
                let Some(source) = source.or_else(find_ipadic_source) else {
                    bail!(
                        "no IPADIC source found: give --source DIR, or run `apt-get install mecab-ipadic`"
                    );
                };
                match folder {
                    Some(folder) => {
                        build_dictionary(&source, &folder, &mut progress)?;
                        writeln!(out, "built {} from {}", folder.display(), source.display())?;
                    }
                    None => {
                        // Force a fresh build into the cache entry of this source.
                        let locations = DictionaryLocations {
                            dictionary: None,
                            source: Some(source.clone()),
                            ..DictionaryLocations::from_environment()
                        };
                        let status = resolve_dictionary_in(&locations, &mut progress)?;
                        if status.origin != DictionaryOrigin::Built {
                            build_dictionary(&source, &status.path, &mut progress)?;
                        }
                        writeln!(
                            out,
                            "built {} from {}",
                            status.path.display(),
                            source.display()
                        )?;
                    }
                }
            }
        },
        TextCommand::Tokenize {
            file,
            text,
            project,
            json,
        } => {
            if file.is_some() == text.is_some() {
                bail!("give a FILE or --text TEXT");
            }
            let layer = match project {
                Some(path) => TextLayer::load(&open(&path, coder)?, &mut progress)?,
                None => TextLayer::with_terms(resolve_dictionary(&mut progress)?, Vec::new())?,
            };
            match (file, text) {
                (Some(file), _) => tokenize_file(&layer.tokenizer, &file, json, out)?,
                (None, Some(text)) => {
                    tokenize_batches(&layer.tokenizer, std::iter::once(Ok(text)), json, out)?;
                }
                (None, None) => {}
            }
        }
        TextCommand::Search {
            project,
            query,
            regex,
            base_form,
            scope,
            out: export,
            json,
        } => {
            let mut project = open(&project, coder)?;
            let mode = if regex {
                SearchMode::Regex
            } else if base_form {
                SearchMode::BaseForm
            } else {
                SearchMode::Substring
            };
            let layer = if base_form {
                Some(indexed_layer(&mut project)?)
            } else {
                None
            };
            let scope = scope.scope(&project, "all")?;
            let mut hits = if mode == SearchMode::Substring {
                // The character index answers without reading the texts; the documents it
                // had to scan are indexed for the next search.
                let mut search = IndexedSearch::run(&project, &query)?;
                if let Err(error) = search.store(&mut project) {
                    eprintln!(
                        "casecode: the search index was not stored ({error:#}); the next search scans those texts again"
                    );
                }
                search.hits
            } else {
                let index = SearchIndex::build_for_mode(&project, mode)?;
                index.search(&project, &query, mode, layer.as_ref())?
            };
            ScopeMap::build(&project, &scope)?.retain_hits(&mut hits);
            if let Some(path) = export {
                let lines = lines_from_hits(&project, &hits, 20)?;
                let notes = [format!("検索語: {query}"), scope.describe()];
                write_concordance(&path, &lines, &notes, true)?;
                writeln!(out, "wrote {} hit(s) to {}", lines.len(), path.display())?;
            } else if json {
                serde_json::to_writer_pretty(&mut *out, &hits)?;
                writeln!(out)?;
            } else {
                // One write per hit line would be one system call each (stdout is line
                // buffered): 42,000 of them for a one-character query over 30 MB.
                let mut lines = std::io::BufWriter::new(&mut *out);
                for hit in &hits {
                    writeln!(
                        lines,
                        "{}\t{}\t{}\t{}\t{}",
                        hit.document,
                        hit.utterance.as_deref().unwrap_or("-"),
                        hit.start,
                        hit.end,
                        hit.text.replace('\n', "\\n")
                    )?;
                }
                lines.flush()?;
                eprintln!("{} hit(s)", hits.len());
            }
        }
        TextCommand::Kwic {
            project,
            word,
            width,
            sort,
            scope,
            out: export,
            json,
        } => {
            let mut project = open(&project, coder)?;
            let layer = indexed_layer(&mut project)?;
            let sort = match sort {
                SortArg::Left => KwicSort::Left,
                SortArg::Right => KwicSort::Right,
                SortArg::Doc => KwicSort::Document,
            };
            let scope = scope.scope(&project, "interviewees")?;
            let lines = kwic_in(&project, &layer, &word, width, sort, &scope)?;
            if let Some(path) = export {
                let notes = [format!("検索語: {word}（基本形）"), scope.describe()];
                write_concordance(&path, &lines, &notes, true)?;
                writeln!(out, "wrote {} line(s) to {}", lines.len(), path.display())?;
            } else if json {
                serde_json::to_writer_pretty(&mut *out, &lines)?;
                writeln!(out)?;
            } else {
                for line in &lines {
                    writeln!(
                        out,
                        "{:>8}\t{:>width$}【{}】{}",
                        line.utterance.as_deref().unwrap_or(&line.document),
                        line.left,
                        line.keyword,
                        line.right
                    )?;
                }
                eprintln!("{} line(s)", lines.len());
            }
        }
        TextCommand::Freq {
            project,
            pos,
            by,
            top,
            stopwords,
            content_words,
            scope,
            keep_stopwords,
            json,
        } => {
            let mut project = open(&project, coder)?;
            indexed_layer(&mut project)?;
            let scope = scope.scope(&project, "interviewees")?;
            let mut stopwords: BTreeSet<String> = match stopwords {
                Some(file) => read_text_file(&file)
                    .with_context(|| format!("reading stopwords {}", file.display()))?
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .map(str::to_owned)
                    .collect(),
                None => BTreeSet::new(),
            };
            if !keep_stopwords {
                stopwords.extend(project_stop_words(&project)?);
            }
            let options = FreqOptions {
                pos,
                stopwords,
                by,
                top,
                content_words,
            };
            let rows = frequencies_in(&project, &options, &scope)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else {
                let groups: BTreeSet<&String> =
                    rows.iter().flat_map(|row| row.groups.keys()).collect();
                write!(out, "base_form\tpos\tcount\tdocuments")?;
                for group in &groups {
                    write!(out, "\t{group}")?;
                }
                writeln!(out)?;
                for row in &rows {
                    write!(
                        out,
                        "{}\t{}\t{}\t{}",
                        row.base_form, row.pos, row.count, row.documents
                    )?;
                    for group in &groups {
                        write!(out, "\t{}", row.groups.get(*group).copied().unwrap_or(0))?;
                    }
                    writeln!(out)?;
                }
            }
        }
        TextCommand::Autocode {
            project,
            rules,
            unit,
            dry_run: _,
            apply,
            json,
        } => {
            let parsed = read_rules_file(&rules)?;
            let mut project = open(&project, coder)?;
            check_codes(&project, &parsed)?;
            indexed_layer(&mut project)?;
            let unit = match unit {
                UnitArg::Sentence => Unit::Sentence,
                UnitArg::Utterance => Unit::Utterance,
            };
            let suggestions = suggest(&project, &parsed, unit)?;
            if apply {
                let tree = project.code_tree()?;
                let coder = project.coder().to_owned();
                let mut codings = Vec::new();
                let mut already = 0;
                for suggestion in &suggestions {
                    let document = project.document_named(&suggestion.document)?;
                    let code_id = tree.resolve(&suggestion.code)?;
                    let span = crate::model::Span {
                        start: suggestion.start,
                        end: suggestion.end,
                    };
                    if project
                        .read()
                        .find_coding(code_id, document.id, span, &coder)?
                        .is_some()
                    {
                        already += 1;
                        continue;
                    }
                    codings.push(crate::command::NewCoding {
                        document_id: document.id,
                        code_id,
                        start: suggestion.start,
                        end: suggestion.end,
                        coder: coder.clone(),
                        memo: format!("自動コーディング: {}", rules.display()),
                    });
                }
                let count = codings.len();
                if count > 0 {
                    project.execute(Command::AddCodings { codings })?;
                }
                writeln!(
                    out,
                    "applied {count} suggestion(s) as one command ({already} already coded); undo with `casecode undo`"
                )?;
            } else if json {
                serde_json::to_writer_pretty(&mut *out, &suggestions)?;
                writeln!(out)?;
            } else {
                for suggestion in &suggestions {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        suggestion.code,
                        suggestion.document,
                        suggestion.utterance.as_deref().unwrap_or("-"),
                        suggestion.start,
                        suggestion.end,
                        suggestion.text.replace('\n', "\\n")
                    )?;
                }
                eprintln!(
                    "{} suggestion(s); nothing was changed (use --apply)",
                    suggestions.len()
                );
            }
        }
        TextCommand::Words { project, action } => {
            let mut project = open(&project, coder)?;
            match action {
                WordsAction::Add {
                    surface,
                    reading,
                    pos,
                } => {
                    let label = project.execute(Command::AddUserTerms {
                        terms: vec![UserTerm {
                            surface,
                            part_of_speech: pos,
                            reading,
                        }],
                    })?;
                    writeln!(out, "{label}")?;
                    report_reindex(&mut project, out)?;
                }
                WordsAction::Remove { surface } => {
                    let label = project.execute(Command::RemoveUserTerms {
                        surfaces: vec![surface],
                    })?;
                    writeln!(out, "{label}")?;
                    report_reindex(&mut project, out)?;
                }
                WordsAction::List => {
                    for term in project.read().user_terms()? {
                        writeln!(
                            out,
                            "{}\t{}\t{}",
                            term.surface, term.part_of_speech, term.reading
                        )?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// The project's text layer with its token index brought up to date.
fn indexed_layer(project: &mut Project) -> anyhow::Result<TextLayer> {
    let layer = TextLayer::load(project, &mut |message| eprintln!("dictionary: {message}"))?;
    let report = ensure_index(project, &layer, &|done, total| {
        if total >= 20 && (done % 20 == 0 || done == total) {
            eprintln!("tokenizing: {done}/{total}");
        }
    })?;
    if report.tokenized > 0 {
        eprintln!(
            "tokenized {} of {} document(s): {} tokens",
            report.tokenized, report.documents, report.tokens
        );
    }
    Ok(layer)
}

fn report_reindex(project: &mut Project, out: &mut impl Write) -> anyhow::Result<()> {
    let layer = TextLayer::load(project, &mut |message| eprintln!("dictionary: {message}"))?;
    let report = ensure_index(project, &layer, &|_, _| {})?;
    writeln!(
        out,
        "re-tokenized {} of {} document(s)",
        report.tokenized, report.documents
    )?;
    Ok(())
}
