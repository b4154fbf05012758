//! The state of the 自動コーディング tab. Rules are parsed and checked against the code tree on
//! the spot (a bad rule is named with its file, line and column); the suggestions are computed
//! on a thread, because the token index may have to be brought up to date first. A suggestion
//! already coded with its code by this coder shows as coded, so accepting, undoing and
//! redoing are reflected at once (in a large project once a worker has collected the coder's
//! spans again: issue 17; the accept buttons wait for it, so nothing is accepted twice).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::analysis::AnalysisData;
use crate::command::{Command, NewCoding};
use crate::corpus::autocode::{Suggestion, Unit, check_codes, read_rules_file, suggest};
use crate::corpus::scope::speakers;
use crate::corpus::{TextLayer, ensure_index};
use crate::model::{CodeId, DocumentId, Utterance};
use crate::project::Project;
use crate::text::dictionary::DictionaryLocations;
use crate::text::speakers::utterance_at;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, Latest};

/// (document, code, start, end) of a coder's codings.
type CodedSpans = BTreeSet<(DocumentId, CodeId, usize, usize)>;

/// A suggestion with the ids it resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub suggestion: Suggestion,
    pub document_id: DocumentId,
    pub code_id: CodeId,
}

/// Suggestions of one rules file.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The rules file.
    pub file: PathBuf,
    pub rules: usize,
    pub proposals: Vec<Proposal>,
}

/// The state of the tab.
pub struct AutocodeView {
    path: String,
    unit: Unit,
    /// Leave out units in the interviewers' turns (their questions are not data).
    skip_interviewers: bool,
    dictionary: Option<PathBuf>,
    job: Option<Job<Loaded>>,
    loaded: Option<Loaded>,
    /// Proposals the researcher skipped (indices into `loaded.proposals`).
    skipped: BTreeSet<usize>,
    /// The coder's coded spans, by project generation and coder.
    coded: Latest<(u64, String), CodedSpans>,
}

impl Default for AutocodeView {
    fn default() -> AutocodeView {
        AutocodeView {
            path: String::new(),
            unit: Unit::Sentence,
            skip_interviewers: true,
            dictionary: None,
            job: None,
            loaded: None,
            skipped: BTreeSet::new(),
            coded: Latest::default(),
        }
    }
}

impl AutocodeView {
    /// The suggestions of the last rules file loaded.
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    /// Types `path` into the rules file field (tests and benchmarks; the button loads it).
    pub fn set_rules_path(&mut self, path: &str) {
        self.path = path.to_owned();
    }

    /// True once the suggestions are shown with the coder's spans of the current project
    /// (what is coded is known, so the accept buttons are enabled).
    pub fn is_settled(&self) -> bool {
        self.loaded.is_some() && self.coded.shown().is_some() && !self.is_busy()
    }

    /// Uses another dictionary folder (`None`: automatic) for the token index.
    pub fn set_dictionary(&mut self, folder: Option<PathBuf>) {
        self.dictionary = folder;
    }

    /// Blocks until the suggestion job (if any) has finished, as later frames would.
    pub fn wait(&mut self) -> anyhow::Result<()> {
        if let Some(mut job) = self.job.take()
            && let Some(result) = job.wait()
        {
            self.finished(result)?;
        }
        self.coded.wait();
        Ok(())
    }

    /// True while the suggestions are computed or the coder's spans collected on a worker.
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || self.coded.is_running()
    }

    /// The tab. `generation` changes whenever the project changed; `background`: collect the
    /// coder's spans on a worker thread (a large project).
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        data: &Arc<AnalysisData>,
        generation: u64,
        background: bool,
        strings: &'static Strings,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        let corpus = strings.corpus;
        ui.weak(corpus.rules_intro);
        let mut load = false;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(corpus.rules_file);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.path)
                        .hint_text("rules.cod / rules.ron")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                load = true;
            }
            if ui.button(strings.centre.browse).clicked()
                && let Some(picked) = pick_rules_file(&self.path)
            {
                self.path = picked.display().to_string();
            }
            ui.separator();
            ui.label(corpus.unit);
            ui.selectable_value(&mut self.unit, Unit::Sentence, corpus.unit_sentence);
            ui.selectable_value(&mut self.unit, Unit::Utterance, corpus.unit_utterance);
            ui.checkbox(&mut self.skip_interviewers, corpus.skip_interviewers);
            ui.separator();
            let enabled = !self.path.trim().is_empty() && self.job.is_none();
            if ui
                .add_enabled(enabled, egui::Button::new(corpus.load_rules))
                .clicked()
            {
                load = true;
            }
        });
        if load {
            self.start(project, strings)?;
        }
        if let Some(job) = &mut self.job {
            job.ui(ui, strings.cancel);
            if job.is_cancelled() {
                self.job = None;
            } else if let Some(result) = job.poll() {
                self.job = None;
                self.finished(result)?;
            }
        }
        let Some(loaded) = &self.loaded else {
            return Ok(());
        };
        let key = (generation, project.coder().to_owned());
        let (shared, coder) = (Arc::clone(data), key.1.clone());
        (self.coded).ensure(&key, background, strings.jobs.suggestions, move |_| {
            Ok(coded_spans(&shared, &coder))
        });
        self.coded.status_ui(ui, strings.cancel);
        let Some(coded) = self.coded.shown() else {
            return Ok(());
        };
        // Spans of an older generation: accepting waits for the new ones.
        let settled = !self.coded.is_running();
        let is_coded = |p: &Proposal| {
            coded.contains(&(
                p.document_id,
                p.code_id,
                p.suggestion.start,
                p.suggestion.end,
            ))
        };
        let open: Vec<usize> = (0..loaded.proposals.len())
            .filter(|index| !self.skipped.contains(index))
            .filter(|index| loaded.proposals.get(*index).is_some_and(|p| !is_coded(p)))
            .collect();
        ui.horizontal(|ui| {
            let name = loaded
                .file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            ui.label(fill(corpus.rules_loaded, &[&name, &loaded.rules]));
            ui.separator();
            ui.label(fill(
                corpus.suggestions,
                &[&loaded.proposals.len(), &open.len()],
            ));
            if ui
                .add_enabled(
                    settled && !open.is_empty(),
                    egui::Button::new(corpus.accept_all),
                )
                .clicked()
            {
                let codings = open
                    .iter()
                    .filter_map(|index| loaded.proposals.get(*index))
                    .map(|p| new_coding(p, &loaded.file, project.coder()))
                    .collect();
                outbox.command(Command::AddCodings { codings });
            }
        });
        if loaded.proposals.is_empty() {
            ui.weak(corpus.no_suggestions);
            return Ok(());
        }
        let mut skip = None;
        TableBuilder::new(ui)
            .id_salt("autocode-suggestions")
            .striped(true)
            .column(TableColumn::initial(180.0).clip(true))
            .column(TableColumn::initial(70.0))
            .column(TableColumn::remainder().clip(true))
            .column(TableColumn::exact(150.0))
            .header(22.0, |mut header| {
                for title in [
                    corpus.code_column,
                    corpus.where_column,
                    corpus.text_column,
                    "",
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                let shown: Vec<usize> = (0..loaded.proposals.len())
                    .filter(|index| !self.skipped.contains(index))
                    .collect();
                body.rows(22.0, shown.len(), |mut row| {
                    let Some((index, proposal)) = shown
                        .get(row.index())
                        .and_then(|index| Some((*index, loaded.proposals.get(*index)?)))
                    else {
                        return;
                    };
                    let suggestion = &proposal.suggestion;
                    row.col(|ui| {
                        ui.label(&suggestion.code);
                    });
                    row.col(|ui| {
                        ui.label(
                            suggestion
                                .utterance
                                .as_deref()
                                .unwrap_or(&suggestion.document),
                        );
                    });
                    row.col(|ui| {
                        if ui
                            .link(suggestion.text.replace('\n', " "))
                            .on_hover_text(strings.centre.open_segment)
                            .clicked()
                        {
                            outbox.action(Action::ShowSegment {
                                document_id: proposal.document_id,
                                start: suggestion.start,
                                end: suggestion.end,
                            });
                        }
                    });
                    row.col(|ui| {
                        if is_coded(proposal) {
                            ui.weak(corpus.coded);
                            return;
                        }
                        ui.horizontal(|ui| {
                            if (ui.add_enabled(settled, egui::Button::new(corpus.accept))).clicked()
                            {
                                outbox.command(Command::AddCodings {
                                    codings: vec![new_coding(
                                        proposal,
                                        &loaded.file,
                                        project.coder(),
                                    )],
                                });
                            }
                            if ui.button(corpus.skip).clicked() {
                                skip = Some(index);
                            }
                        });
                    });
                });
            });
        if let Some(index) = skip {
            self.skipped.insert(index);
        }
        Ok(())
    }

    /// Parses and checks the rules, then computes the suggestions on a thread.
    fn start(&mut self, project: &Project, strings: &Strings) -> anyhow::Result<()> {
        let file = PathBuf::from(self.path.trim());
        let rules = read_rules_file(&file)?;
        check_codes(project, &rules)?;
        let path = project.reopen_path();
        let unit = self.unit;
        let skip_interviewers = self.skip_interviewers;
        let mut locations = DictionaryLocations::from_environment();
        if let Some(folder) = &self.dictionary {
            locations = locations.with_folder(folder, "the dictionary folder in 設定");
        }
        self.job = Some(Job::spawn(strings.corpus.preparing, move |progress| {
            let mut project = Project::open(&path)?;
            let layer = TextLayer::load_from(&project, &locations, &mut |_| {})?;
            ensure_index(&mut project, &layer, &|done, total| {
                progress.set(done, total)
            })?;
            let tree = project.code_tree()?;
            let interviewers: BTreeSet<String> = speakers(&project)?
                .into_iter()
                .filter(|speaker| speaker.interviewer)
                .map(|speaker| speaker.speaker)
                .collect();
            let mut turns: BTreeMap<DocumentId, Vec<Utterance>> = BTreeMap::new();
            let mut documents: BTreeMap<String, DocumentId> = BTreeMap::new();
            let mut proposals = Vec::new();
            for suggestion in suggest(&project, &rules, unit)? {
                let code_id = tree.resolve(&suggestion.code)?;
                let document_id = match documents.get(&suggestion.document) {
                    Some(id) => *id,
                    None => {
                        let id = project.document_named(&suggestion.document)?.id;
                        documents.insert(suggestion.document.clone(), id);
                        id
                    }
                };
                if skip_interviewers {
                    let utterances = match turns.entry(document_id) {
                        std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
                        std::collections::btree_map::Entry::Vacant(entry) => {
                            entry.insert(project.read().utterances(document_id)?)
                        }
                    };
                    let turn = utterance_at(utterances, suggestion.start, |u| u.start);
                    if turn.is_some_and(|turn| interviewers.contains(&turn.speaker)) {
                        continue;
                    }
                }
                proposals.push(Proposal {
                    suggestion,
                    document_id,
                    code_id,
                });
            }
            Ok(Loaded {
                file,
                rules: rules.len(),
                proposals,
            })
        }));
        Ok(())
    }

    fn finished(&mut self, result: anyhow::Result<Loaded>) -> anyhow::Result<()> {
        self.loaded = Some(result?);
        self.skipped.clear();
        Ok(())
    }
}

/// (document, code, start, end) of this coder's codings.
fn coded_spans(data: &AnalysisData, coder: &str) -> CodedSpans {
    data.segments()
        .filter(|segment| segment.coder == coder)
        .map(|segment| {
            (
                segment.document_id,
                segment.code_id,
                segment.start,
                segment.end,
            )
        })
        .collect()
}

fn new_coding(proposal: &Proposal, file: &Path, coder: &str) -> NewCoding {
    NewCoding {
        document_id: proposal.document_id,
        code_id: proposal.code_id,
        start: proposal.suggestion.start,
        end: proposal.suggestion.end,
        coder: coder.to_owned(),
        memo: format!("自動コーディング: {}", file.display()),
    }
}

/// Asks the system dialog for a rules file; `None` where no dialog service exists.
fn pick_rules_file(current: &str) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new().add_filter("rules", &["cod", "ron", "txt"]);
    if let Some(folder) = Path::new(current).parent().filter(|folder| folder.is_dir()) {
        dialog = dialog.set_directory(folder);
    }
    dialog.pick_file()
}
