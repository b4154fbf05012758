//! Word frequencies (KH Coder's 抽出語リスト) in the search tab: words by base form with their
//! count and document frequency, filtered by part of speech, optionally counted per value of an
//! attribute (所属組織 …). A click on a word runs its KWIC. It counts the part of the texts the
//! speaker and note filter keeps and leaves out the project's stop words, which are edited
//! here (a word's context menu, or the folded list under the filters); each edit is undoable.
//! In a large project the words are counted on a worker thread (issue 17) while the list
//! counted before stays on screen.

use std::collections::BTreeSet;

use eframe::egui;
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::analysis::AnalysisData;
use crate::command::Command;
use crate::corpus::TextScope;
use crate::corpus::freq::{FreqOptions, FreqRow, frequencies_in};
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::i18n::Strings;
use crate::ui::jobs::Latest;
use crate::ui::widgets::group_by::group_by_combo;

/// The parts of speech offered as filters (IPADIC's first level).
const PARTS_OF_SPEECH: [&str; 5] = ["名詞", "動詞", "形容詞", "副詞", "カスタム名詞"];

/// The frequency list's state.
pub struct FrequencyView {
    pos: BTreeSet<String>,
    by: Option<String>,
    top: usize,
    /// The rows and what they were counted for.
    rows: Latest<Counted, Vec<FreqRow>>,
    /// The project's stop words, read for an index generation.
    stop_words: Option<(u64, Vec<String>)>,
    /// The stop word being typed.
    new_stop_word: String,
}

/// What a frequency list was counted for: the index generation and the options.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Counted {
    indexed: u64,
    pos: Vec<String>,
    by: Option<String>,
    top: usize,
    scope: TextScope,
    stop_words: Vec<String>,
}

impl Default for FrequencyView {
    fn default() -> FrequencyView {
        FrequencyView {
            pos: ["名詞", "カスタム名詞"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
            by: None,
            top: 100,
            rows: Latest::default(),
            stop_words: None,
            new_stop_word: String::new(),
        }
    }
}

impl FrequencyView {
    /// The rows shown (after the last count).
    pub fn rows(&self) -> &[FreqRow] {
        self.rows.shown().map_or(&[], Vec::as_slice)
    }

    /// True while the words are counted on a worker thread.
    pub fn is_busy(&self) -> bool {
        self.rows.is_running()
    }

    /// Blocks until the count (if any) is done (tests).
    pub fn wait(&mut self) {
        self.rows.wait();
    }

    /// The project's stop words (as last read).
    pub fn stop_words(&self) -> &[String] {
        self.stop_words
            .as_ref()
            .map_or(&[], |(_, words)| words.as_slice())
    }

    /// The list; `indexed` is the generation the token index is current for, `scope` the part
    /// of the texts counted; `background`: count on a worker thread with its own connection
    /// to the project (a large project). Returns the word clicked, if any.
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        data: &AnalysisData,
        indexed: u64,
        scope: &TextScope,
        background: bool,
        strings: &'static Strings,
        outbox: &mut Outbox,
    ) -> anyhow::Result<Option<String>> {
        if self.stop_words.as_ref().is_none_or(|(g, _)| *g != indexed) {
            self.stop_words = Some((indexed, project.read().stop_words()?));
        }
        self.stop_words_ui(ui, strings, outbox);
        let centre = &strings.centre;
        ui.horizontal_wrapped(|ui| {
            ui.label(centre.pos_filter);
            for pos in PARTS_OF_SPEECH {
                let mut on = self.pos.contains(pos);
                if ui.checkbox(&mut on, pos).changed() {
                    if on {
                        self.pos.insert(pos.to_owned());
                    } else {
                        self.pos.remove(pos);
                    }
                }
            }
            ui.separator();
            let label = ui.label(centre.top_n);
            ui.add(egui::DragValue::new(&mut self.top).range(10..=5000))
                .labelled_by(label.id);
            ui.separator();
            group_by_combo(
                ui,
                "frequency-by",
                data.attributes(),
                &mut self.by,
                |attribute| attribute.name.clone(),
                strings,
            );
        });
        let wanted = Counted {
            indexed,
            pos: self.pos.iter().cloned().collect(),
            by: self.by.clone(),
            top: self.top,
            scope: scope.clone(),
            stop_words: self.stop_words().to_vec(),
        };
        let options = FreqOptions {
            pos: wanted.pos.clone(),
            stopwords: wanted.stop_words.iter().cloned().collect(),
            by: wanted.by.clone(),
            top: wanted.top,
            content_words: true,
        };
        let (path, scope) = (project.reopen_path(), wanted.scope.clone());
        (self.rows).ensure(&wanted, background, strings.jobs.frequency, move |_| {
            let project = Project::open(&path)?;
            Ok(frequencies_in(&project, &options, &scope)?)
        });
        self.rows.status_ui(ui, strings.cancel);
        Ok(table_ui(ui, self.rows(), strings, outbox))
    }

    /// The folded stop-word list: a field to add one, and a button per word to take it out.
    fn stop_words_ui(&mut self, ui: &mut egui::Ui, strings: &Strings, outbox: &mut Outbox) {
        let corpus = strings.corpus;
        let words = self.stop_words().to_vec();
        egui::CollapsingHeader::new(format!("{}（{}）", corpus.stop_words, words.len()))
            .id_salt("stop-words")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label(corpus.stop_word_field);
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.new_stop_word)
                                .desired_width(160.0),
                        )
                        .labelled_by(label.id);
                    let entered =
                        field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                    let word = self.new_stop_word.trim().to_owned();
                    if (ui
                        .add_enabled(!word.is_empty(), egui::Button::new(corpus.stop_word_add))
                        .clicked()
                        || entered)
                        && !word.is_empty()
                    {
                        outbox.command(Command::AddStopWords { words: vec![word] });
                        self.new_stop_word.clear();
                    }
                });
                ui.horizontal_wrapped(|ui| {
                    if words.is_empty() {
                        ui.weak(corpus.no_stop_words);
                    }
                    for word in &words {
                        if ui
                            .button(format!("{word} ×"))
                            .on_hover_text(corpus.stop_word_remove)
                            .clicked()
                        {
                            outbox.command(Command::RemoveStopWords {
                                words: vec![word.clone()],
                            });
                        }
                    }
                });
            });
    }
}

/// The table of words; returns the word clicked.
fn table_ui(
    ui: &mut egui::Ui,
    rows: &[FreqRow],
    strings: &Strings,
    outbox: &mut Outbox,
) -> Option<String> {
    let centre = &strings.centre;
    let groups: Vec<String> = rows
        .first()
        .map(|row| row.groups.keys().cloned().collect())
        .unwrap_or_default();
    let mut clicked = None;
    egui::ScrollArea::horizontal()
        .id_salt("frequency-wide")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("frequency")
                .striped(true)
                .sense(egui::Sense::click())
                .column(TableColumn::initial(160.0).clip(true))
                .column(TableColumn::initial(90.0))
                .column(TableColumn::initial(70.0))
                .column(TableColumn::initial(70.0))
                .columns(TableColumn::initial(90.0).clip(true), groups.len())
                .header(22.0, |mut header| {
                    for title in [
                        centre.word,
                        centre.pos_filter,
                        centre.occurrences,
                        centre.documents_column,
                    ] {
                        header.col(|ui| {
                            ui.strong(title);
                        });
                    }
                    for group in &groups {
                        header.col(|ui| {
                            ui.strong(group);
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, rows.len(), |mut row| {
                        let Some(word) = rows.get(row.index()) else {
                            return;
                        };
                        row.col(|ui| {
                            // A link: clickable by mouse, keyboard and screen reader alike.
                            let link = ui.link(&word.base_form).on_hover_text(centre.word_to_kwic);
                            if link.clicked() {
                                clicked = Some(word.base_form.clone());
                            }
                            link.context_menu(|ui| {
                                let label = strings.corpus.make_stop_word;
                                if ui.button(label).clicked() {
                                    outbox.command(Command::AddStopWords {
                                        words: vec![word.base_form.clone()],
                                    });
                                    ui.close();
                                }
                            });
                        });
                        row.col(|ui| {
                            ui.weak(&word.pos);
                        });
                        row.col(|ui| {
                            ui.label(word.count.to_string());
                        });
                        row.col(|ui| {
                            ui.label(word.documents.to_string());
                        });
                        for group in &groups {
                            row.col(|ui| {
                                ui.label(word.groups.get(group).copied().unwrap_or(0).to_string());
                            });
                        }
                        if row.response().clicked() {
                            clicked = Some(word.base_form.clone());
                        }
                    });
                });
        });
    clicked
}
