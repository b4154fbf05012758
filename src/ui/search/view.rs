//! The search tab: substring (folded: ＮＩＣＵ = NICU), regular expression, or morphological
//! search by base form (支援する finds 支援し, 支援して …), shown as KWIC lines sortable by left
//! or right context. A click opens the transcript at the hit; "code all hits" applies the code
//! selected in the code tree to every hit, after a confirmation that says how many. In a
//! large project the search runs on a worker thread (see [`crate::ui::search::find`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::analysis::AnalysisData;
use crate::command::{Command, NewCoding};
use crate::corpus::kwic::KwicLine;
use crate::corpus::{Hit, SearchMode, TextLayer, TextScope, ensure_index};
use crate::model::{CodeId, DocumentId};
use crate::project::Project;
use crate::text::dictionary::DictionaryLocations;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, Progress};
use crate::ui::search::export::HitsExport;
use crate::ui::search::find::{Found, Query, SharedIndex, find};
use crate::ui::search::frequency::FrequencyView;
use crate::ui::search::scope::ScopeBar;

/// How the hit list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HitOrder {
    /// By document and position.
    #[default]
    Document,
    /// By the left context read backwards from the keyword.
    Left,
    /// By the right context.
    Right,
}

/// One concordance line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KwicRow {
    pub hit: Hit,
    pub left: String,
    pub right: String,
}

/// The state of the search tab.
pub struct SearchView {
    query: String,
    mode: SearchMode,
    order: HitOrder,
    width: usize,
    /// The dictionary folder of the settings (`None`: automatic).
    dictionary: Option<PathBuf>,
    index: SharedIndex,
    layer: Option<Arc<TextLayer>>,
    layer_job: Option<Job<TextLayer>>,
    /// The project generation the token index was brought up to date for.
    indexed_for: Option<u64>,
    /// Show the word frequency list instead of the search.
    show_frequency: bool,
    frequency: FrequencyView,
    /// The query and mode the rows answer.
    answered: Option<(String, SearchMode)>,
    rows: Vec<KwicRow>,
    /// "Code all hits" waiting for confirmation: the code and the hits not yet coded with it.
    confirm: Option<(CodeId, Vec<NewCoding>, usize)>,
    /// Set when the next frame should run the query (Enter, or the button).
    run: bool,
    /// Whose speech 頻出語 and KWIC read, and whether （笑） counts.
    scope_bar: ScopeBar,
    /// The scope the rows were found in (a change runs the query again).
    searched_scope: Option<TextScope>,
    /// The window writing the rows to a file.
    export: HitsExport,
    /// A search running on a worker thread (a large project); the rows found before stay.
    searching: Option<Job<Option<Found>>>,
}

impl Default for SearchView {
    fn default() -> SearchView {
        SearchView {
            query: String::new(),
            mode: SearchMode::Substring,
            order: HitOrder::Document,
            width: 24,
            dictionary: None,
            index: SharedIndex::default(),
            layer: None,
            layer_job: None,
            indexed_for: None,
            show_frequency: false,
            frequency: FrequencyView::default(),
            answered: None,
            rows: Vec::new(),
            confirm: None,
            run: false,
            scope_bar: ScopeBar::default(),
            searched_scope: None,
            export: HitsExport::default(),
            searching: None,
        }
    }
}

impl SearchView {
    /// The hit lines of the last search, in the order shown.
    pub fn rows(&self) -> &[KwicRow] {
        &self.rows
    }

    /// The word frequency list.
    pub fn frequency(&self) -> &FrequencyView {
        &self.frequency
    }

    /// The speaker and note filter.
    pub fn scope_bar(&self) -> &ScopeBar {
        &self.scope_bar
    }

    /// The dictionary folder of the settings (`None`: automatic).
    pub fn dictionary(&self) -> Option<&PathBuf> {
        self.dictionary.as_ref()
    }

    /// The rows as KWIC lines (what the export writes).
    pub fn kwic_lines(&self) -> Vec<KwicLine> {
        self.rows
            .iter()
            .map(|row| KwicLine {
                document: row.hit.document.clone(),
                case: row.hit.case.clone(),
                utterance: row.hit.utterance.clone(),
                start: row.hit.start,
                end: row.hit.end,
                left: row.left.clone(),
                keyword: row.hit.text.clone(),
                right: row.right.clone(),
            })
            .collect()
    }

    /// Blocks until the morphological index job (if any) finishes, as later frames would
    /// (tests call it instead of waiting for frames).
    pub fn wait_for_index(&mut self, generation: u64) -> anyhow::Result<()> {
        if let Some(mut job) = self.layer_job.take()
            && let Some(result) = job.wait()
        {
            self.layer_done(result, generation)?;
        }
        Ok(())
    }

    /// True while the index is built or the words are counted on a worker thread.
    pub fn is_busy(&self) -> bool {
        self.layer_job.is_some() || self.frequency.is_busy() || self.searching.is_some()
    }

    /// True while a search runs on a worker thread.
    pub fn is_searching(&self) -> bool {
        self.searching.is_some()
    }

    /// Blocks until the word count and the search (if any) are done (tests).
    pub fn wait(&mut self) {
        self.frequency.wait();
        if let Some(mut job) = self.searching.take()
            && let Some(Ok(Some(found))) = job.wait()
        {
            self.found(found);
        }
    }

    /// Sets the query and mode and runs the search on the next frame (as Enter does).
    pub fn search_for(&mut self, query: &str, mode: SearchMode) {
        self.query = query.to_owned();
        self.mode = mode;
        self.run = true;
    }

    /// The search tab.
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        data: &Arc<AnalysisData>,
        generation: u64,
        background: bool,
        selected_code: Option<(CodeId, String)>,
        strings: &'static Strings,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        let centre = &strings.centre;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.show_frequency, false, centre.view_kwic);
            ui.selectable_value(&mut self.show_frequency, true, centre.view_frequency);
        });
        self.scope_bar
            .ui(ui, project, generation, strings, outbox)?;
        let scope = self.scope_bar.scope();
        if self.show_frequency {
            let needed = true;
            self.layer_ui(ui, project.reopen_path(), generation, needed, strings)?;
            if self.layer.is_some()
                && let Some(indexed) = self.indexed_for
                && let Some(word) = self.frequency.ui(
                    ui, project, data, indexed, &scope, background, strings, outbox,
                )?
            {
                self.search_for(&word, SearchMode::BaseForm);
                self.show_frequency = false;
            }
            return Ok(());
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(centre.search_label);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text(centre.search_hint)
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                self.run = true;
            }
            if ui.button(centre.search_button).clicked() {
                self.run = true;
            }
            ui.selectable_value(&mut self.mode, SearchMode::Substring, centre.mode_substring);
            ui.selectable_value(&mut self.mode, SearchMode::Regex, centre.mode_regex);
            ui.selectable_value(&mut self.mode, SearchMode::BaseForm, centre.mode_base_form);
            ui.separator();
            let label = ui.label(centre.context_width);
            ui.add(egui::DragValue::new(&mut self.width).range(4..=80))
                .labelled_by(label.id);
            ui.separator();
            ui.label(centre.sort_by);
            let before = self.order;
            ui.selectable_value(&mut self.order, HitOrder::Document, centre.sort_document);
            ui.selectable_value(&mut self.order, HitOrder::Left, centre.sort_left);
            ui.selectable_value(&mut self.order, HitOrder::Right, centre.sort_right);
            if before != self.order {
                sort_rows(&mut self.rows, self.order);
            }
        });
        let needed = self.mode == SearchMode::BaseForm;
        self.layer_ui(ui, project.reopen_path(), generation, needed, strings)?;
        if self.answered.is_some() && self.searched_scope.as_ref() != Some(&scope) {
            // The filter changed: the same query again, in the new scope.
            if let Some((query, mode)) = self.answered.clone() {
                self.query = query;
                self.mode = mode;
                self.run = true;
            }
        }
        if self.run && !self.query.trim().is_empty() {
            let needs_layer = self.mode == SearchMode::BaseForm
                && (self.layer.is_none() || self.indexed_for != Some(generation));
            if !needs_layer {
                self.run = false;
                self.search(project, data, generation, background)?;
            }
        }
        self.searching_ui(ui, strings)?;
        ui.horizontal(|ui| {
            if let Some((query, _)) = &self.answered {
                ui.label(fill(centre.hits, &[&self.rows.len()]));
                ui.weak(format!("「{query}」"));
                ui.separator();
                let button = ui.add_enabled(
                    !self.rows.is_empty(),
                    egui::Button::new(centre.code_all_hits),
                );
                if ui
                    .add_enabled(
                        !self.rows.is_empty(),
                        egui::Button::new(strings.corpus.export_hits),
                    )
                    .clicked()
                {
                    self.export.open(project.path());
                }
                if button.clicked() {
                    match &selected_code {
                        Some((code_id, _)) => {
                            let (new, already) = self.uncoded_hits(data, *code_id, project.coder());
                            self.confirm = Some((*code_id, new, already));
                        }
                        None => anyhow::bail!("{}", centre.choose_code_first),
                    }
                }
            }
            Ok(())
        })
        .inner?;
        self.confirm_ui(ui.ctx(), selected_code.as_ref(), strings, outbox);
        if self.export.is_open() {
            let query = self.answered.as_ref().map_or("", |(q, _)| q.as_str());
            let notes = [
                fill(strings.corpus.search_term_note, &[&query]),
                scope.describe(),
            ];
            self.export
                .ui(ui.ctx(), &self.kwic_lines(), &notes, strings, outbox);
        }
        if self.answered.is_some() && self.rows.is_empty() {
            ui.weak(centre.no_hits);
        }
        hits_table_ui(ui, &self.rows, data, outbox, strings);
        Ok(())
    }

    /// Uses another dictionary folder (`None`: automatic) from now on; the loaded one is
    /// dropped when it changes.
    pub fn set_dictionary(&mut self, folder: Option<PathBuf>) {
        if folder != self.dictionary {
            self.dictionary = folder;
            self.layer = None;
            self.indexed_for = None;
        }
    }

    /// Starts (or polls) the morphological index when base-form search or the frequency list
    /// needs it: once, and again after the project changed (only stale documents are redone).
    fn layer_ui(
        &mut self,
        ui: &mut egui::Ui,
        path: PathBuf,
        generation: u64,
        needed: bool,
        strings: &Strings,
    ) -> anyhow::Result<()> {
        let current = self.layer.is_some() && self.indexed_for == Some(generation);
        if (!needed || current) && self.layer_job.is_none() {
            return Ok(());
        }
        let job = self.layer_job.get_or_insert_with(|| {
            let mut locations = DictionaryLocations::from_environment();
            if let Some(folder) = &self.dictionary {
                locations = locations.with_folder(folder, "the dictionary folder in 設定");
            }
            Job::spawn(strings.centre.preparing_dictionary, move |progress| {
                let mut project = Project::open(&path)?;
                let layer = TextLayer::load_from(&project, &locations, &mut |_| {})?;
                ensure_index(&mut project, &layer, &|done, total| {
                    progress.set(done, total)
                })?;
                Ok(layer)
            })
        });
        job.ui(ui, strings.cancel);
        if job.is_cancelled() {
            self.layer_job = None;
            self.mode = SearchMode::Substring;
            self.show_frequency = false;
            return Ok(());
        }
        if let Some(result) = job.poll() {
            self.layer_job = None;
            self.layer_done(result, generation)?;
        }
        Ok(())
    }

    /// Keeps a loaded layer; after a failure (no dictionary, say) goes back to substring
    /// search, so that the failing load is not started again every frame.
    fn layer_done(
        &mut self,
        result: anyhow::Result<TextLayer>,
        generation: u64,
    ) -> anyhow::Result<()> {
        match result {
            Ok(layer) => {
                self.layer = Some(Arc::new(layer));
                self.indexed_for = Some(generation);
                Ok(())
            }
            Err(error) => {
                self.mode = SearchMode::Substring;
                self.show_frequency = false;
                Err(error)
            }
        }
    }

    /// Runs the query: in this frame, or on a worker thread (`background`: a large project).
    fn search(
        &mut self,
        project: &Project,
        data: &Arc<AnalysisData>,
        generation: u64,
        background: bool,
    ) -> anyhow::Result<()> {
        let query = Query {
            text: self.query.clone(),
            mode: self.mode,
            scope: self.scope_bar.scope(),
            width: self.width,
            order: self.order,
            generation,
        };
        if !background {
            let progress = Progress::default();
            let layer = self.layer.as_deref();
            if let Some(found) = find(project, &self.index, layer, data, query, &progress)? {
                self.found(found);
            }
            return Ok(());
        }
        if let Some(job) = self.searching.take() {
            job.cancel();
        }
        let (path, index) = (project.reopen_path(), Arc::clone(&self.index));
        let (layer, data) = (self.layer.clone(), Arc::clone(data));
        self.searching = Some(Job::spawn("search", move |progress| {
            let project = Project::open(&path)?;
            find(&project, &index, layer.as_deref(), &data, query, progress)
        }));
        Ok(())
    }

    /// Shows the lines of a finished search (sorted again if the order changed meanwhile).
    fn found(&mut self, found: Found) {
        let Found { query, mut rows } = found;
        if query.order != self.order {
            sort_rows(&mut rows, self.order);
        }
        crate::ui::jobs::drop_elsewhere(std::mem::replace(&mut self.rows, rows));
        self.searched_scope = Some(query.scope);
        self.answered = Some((query.text, query.mode));
    }

    /// The running search's progress bar; takes its lines once it has finished.
    fn searching_ui(&mut self, ui: &mut egui::Ui, strings: &Strings) -> anyhow::Result<()> {
        let Some(job) = &mut self.searching else {
            return Ok(());
        };
        job.ui_saying(ui, strings.jobs.searching, strings.cancel);
        if job.is_cancelled() {
            self.searching = None;
            return Ok(());
        }
        let Some(result) = job.poll() else {
            return Ok(());
        };
        self.searching = None;
        if let Some(found) = result? {
            self.found(found);
        }
        Ok(())
    }

    /// The hits as new codings of `code_id`, leaving out spans already coded with it; and how
    /// many were left out.
    fn uncoded_hits(
        &self,
        data: &AnalysisData,
        code_id: CodeId,
        coder: &str,
    ) -> (Vec<NewCoding>, usize) {
        // Looked up once, not per hit: a one-character term can have tens of thousands of hits.
        let documents: BTreeMap<&str, DocumentId> = data
            .documents()
            .map(|document| (document.name.as_str(), document.id))
            .collect();
        let coded: BTreeSet<(DocumentId, usize, usize)> = data
            .segments()
            .filter(|segment| segment.code_id == code_id)
            .map(|segment| (segment.document_id, segment.start, segment.end))
            .collect();
        let mut new = Vec::new();
        let mut already = 0;
        for row in &self.rows {
            let Some(&document_id) = documents.get(row.hit.document.as_str()) else {
                continue;
            };
            if coded.contains(&(document_id, row.hit.start, row.hit.end)) {
                already += 1;
                continue;
            }
            new.push(NewCoding {
                document_id,
                code_id,
                start: row.hit.start,
                end: row.hit.end,
                coder: coder.to_owned(),
                memo: String::new(),
            });
        }
        new.sort_by_key(|c| (c.document_id, c.start, c.end));
        new.dedup_by_key(|c| (c.document_id, c.start, c.end));
        (new, already)
    }

    fn confirm_ui(
        &mut self,
        ctx: &egui::Context,
        selected_code: Option<&(CodeId, String)>,
        strings: &Strings,
        outbox: &mut Outbox,
    ) {
        let centre = &strings.centre;
        let Some((code_id, codings, already)) = &self.confirm else {
            return;
        };
        let code_name = selected_code
            .filter(|(id, _)| id == code_id)
            .map_or(String::new(), |(_, name)| name.clone());
        let query = self.answered.as_ref().map_or("", |(q, _)| q.as_str());
        let mut close = false;
        egui::Window::new(centre.code_all_title)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(fill(
                    centre.code_all_question,
                    &[&query, &codings.len(), &code_name, already],
                ));
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(!codings.is_empty(), egui::Button::new(centre.confirm))
                        .clicked()
                    {
                        outbox.command(Command::AddCodings {
                            codings: codings.clone(),
                        });
                        close = true;
                    }
                    if ui.button(strings.cancel).clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.confirm = None;
        }
    }
}

/// KWIC lines from hits: `width` characters of context each side, line breaks as spaces.
/// Hits come grouped by document; each document's text is borrowed (not copied) and its
/// code-point boundaries are found once for all of its hits.
pub(super) fn kwic_rows(hits: Vec<Hit>, data: &AnalysisData, width: usize) -> Vec<KwicRow> {
    let texts: HashMap<&str, &str> = data
        .documents()
        .map(|document| (document.name.as_str(), document.text.as_str()))
        .collect();
    // The document in hand: its text and the byte offset of each code point (plus the end).
    let mut current: Option<(String, &str, Vec<usize>)> = None;
    hits.into_iter()
        .map(|hit| {
            if current
                .as_ref()
                .is_none_or(|(name, _, _)| *name != hit.document)
            {
                let text = texts
                    .get(hit.document.as_str())
                    .copied()
                    .unwrap_or_default();
                let mut bytes: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
                bytes.push(text.len());
                current = Some((hit.document.clone(), text, bytes));
            }
            let (left, right) =
                current
                    .as_ref()
                    .map_or_else(Default::default, |(_, text, bytes)| {
                        // Code points past the end are the end.
                        let byte = |at: usize| bytes.get(at).or(bytes.last()).copied().unwrap_or(0);
                        let slice = |from: usize, to: usize| {
                            text.get(byte(from)..byte(to))
                                .unwrap_or_default()
                                .replace('\n', " ")
                        };
                        (
                            slice(hit.start.saturating_sub(width), hit.start),
                            slice(hit.end, hit.end + width),
                        )
                    });
            KwicRow { hit, left, right }
        })
        .collect()
}

pub(super) fn sort_rows(rows: &mut [KwicRow], order: HitOrder) {
    match order {
        HitOrder::Document => {
            rows.sort_by(|a, b| {
                (&a.hit.document, a.hit.start).cmp(&(&b.hit.document, b.hit.start))
            });
        }
        HitOrder::Left => rows.sort_by(|a, b| {
            a.left
                .chars()
                .rev()
                .cmp(b.left.chars().rev())
                .then_with(|| (&a.hit.document, a.hit.start).cmp(&(&b.hit.document, b.hit.start)))
        }),
        HitOrder::Right => rows.sort_by(|a, b| {
            (&a.right, &a.hit.document, a.hit.start).cmp(&(&b.right, &b.hit.document, b.hit.start))
        }),
    }
}

/// The concordance; a click on a line opens the transcript at its hit.
fn hits_table_ui(
    ui: &mut egui::Ui,
    rows: &[KwicRow],
    data: &AnalysisData,
    outbox: &mut Outbox,
    strings: &Strings,
) {
    if rows.is_empty() {
        return;
    }
    let centre = &strings.centre;
    // The two contexts share the width left by the citation and the keyword; each shows the
    // characters nearest the keyword (the end of the left context, the start of the right).
    let keyword_width = 90.0;
    let context_width = ((ui.available_width() - 70.0 - keyword_width) / 2.0).max(80.0);
    let fits = (context_width / 13.5).floor().max(4.0) as usize;
    let nearest_left = |text: &str| {
        let count = text.chars().count();
        text.chars()
            .skip(count.saturating_sub(fits))
            .collect::<String>()
    };
    let nearest_right = |text: &str| text.chars().take(fits).collect::<String>();
    TableBuilder::new(ui)
        .id_salt("kwic")
        .striped(true)
        .sense(egui::Sense::click())
        .column(TableColumn::exact(70.0))
        .column(TableColumn::exact(context_width).clip(true))
        .column(TableColumn::exact(keyword_width).clip(true))
        .column(TableColumn::remainder().clip(true))
        .header(22.0, |mut header| {
            header.col(|ui| {
                ui.strong(centre.case_column);
            });
            header.col(|ui| {
                ui.strong(centre.sort_left);
            });
            header.col(|ui| {
                ui.strong(centre.search_label);
            });
            header.col(|ui| {
                ui.strong(centre.sort_right);
            });
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let Some(line) = rows.get(row.index()) else {
                    return;
                };
                row.col(|ui| {
                    ui.label(line.hit.utterance.as_deref().unwrap_or(&line.hit.document));
                });
                row.col(|ui| {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.label(nearest_left(&line.left));
                    });
                });
                let mut open = false;
                row.col(|ui| {
                    // The keyword is a link (clickable by keyboard and screen reader too).
                    open |= ui
                        .link(egui::RichText::new(&line.hit.text).strong())
                        .on_hover_text(centre.open_segment)
                        .clicked();
                });
                row.col(|ui| {
                    ui.label(nearest_right(&line.right));
                });
                if (open || row.response().clicked())
                    && let Some(document) = data.documents().find(|d| d.name == line.hit.document)
                {
                    outbox.action(Action::ShowSegment {
                        document_id: document.id,
                        start: line.hit.start,
                        end: line.hit.end,
                    });
                }
            });
        });
}
