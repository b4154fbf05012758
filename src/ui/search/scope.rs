//! The speaker and note filter that 頻出語 and KWIC share: whose speech counts (the
//! interviewees by default, the whole text, or chosen speakers), whether notes such as （笑）
//! count, and which speaker labels are interviewers (stored in the project, undoable).

use std::collections::BTreeSet;

use eframe::egui;

use crate::command::Command;
use crate::corpus::scope::{SpeakerInfo, speakers};
use crate::corpus::{SpeakerScope, TextScope};
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::i18n::{Strings, fill};

/// Whose speech counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SpeakerChoice {
    /// Every speaker but the interviewers (the default).
    #[default]
    Interviewees,
    /// The whole text, labels and headings included.
    All,
    /// The speech of these speakers only.
    Chosen(BTreeSet<String>),
}

/// The filter's state.
pub struct ScopeBar {
    choice: SpeakerChoice,
    skip_notes: bool,
    /// The project's speakers, read once per project generation.
    speakers: Option<(u64, Vec<SpeakerInfo>)>,
}

impl Default for ScopeBar {
    fn default() -> ScopeBar {
        ScopeBar {
            choice: SpeakerChoice::Interviewees,
            skip_notes: true,
            speakers: None,
        }
    }
}

impl ScopeBar {
    /// The part of the texts that counts now.
    pub fn scope(&self) -> TextScope {
        let known = self
            .speakers
            .as_ref()
            .map_or(&[][..], |(_, s)| s.as_slice());
        let speakers = match &self.choice {
            SpeakerChoice::All => SpeakerScope::All,
            SpeakerChoice::Interviewees => SpeakerScope::Except(
                known
                    .iter()
                    .filter(|speaker| speaker.interviewer)
                    .map(|speaker| speaker.speaker.clone())
                    .collect(),
            ),
            SpeakerChoice::Chosen(counted) => SpeakerScope::Except(
                known
                    .iter()
                    .filter(|speaker| !counted.contains(&speaker.speaker))
                    .map(|speaker| speaker.speaker.clone())
                    .collect(),
            ),
        };
        TextScope {
            speakers,
            skip_notes: self.skip_notes && self.choice != SpeakerChoice::All,
        }
    }

    /// The choice of speakers.
    pub fn choice(&self) -> &SpeakerChoice {
        &self.choice
    }

    /// Reads the project's speakers when the project changed.
    pub fn refresh(&mut self, project: &Project, generation: u64) -> anyhow::Result<()> {
        if self.speakers.as_ref().is_none_or(|(g, _)| *g != generation) {
            self.speakers = Some((generation, speakers(project)?));
        }
        Ok(())
    }

    /// The filter bar and, folded, the table of speakers. Role changes go to `outbox`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        generation: u64,
        strings: &Strings,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        self.refresh(project, generation)?;
        let corpus = strings.corpus;
        ui.horizontal_wrapped(|ui| {
            ui.label(corpus.speakers)
                .on_hover_text(corpus.speakers_hint);
            ui.selectable_value(
                &mut self.choice,
                SpeakerChoice::Interviewees,
                corpus.speakers_interviewees,
            );
            ui.selectable_value(&mut self.choice, SpeakerChoice::All, corpus.speakers_all);
            let chosen = matches!(self.choice, SpeakerChoice::Chosen(_));
            if ui
                .selectable_label(chosen, corpus.speakers_chosen)
                .clicked()
                && !chosen
            {
                self.choice = SpeakerChoice::Chosen(self.counted());
            }
            ui.separator();
            ui.add_enabled(
                self.choice != SpeakerChoice::All,
                egui::Checkbox::new(&mut self.skip_notes, corpus.skip_notes),
            )
            .on_hover_text(corpus.skip_notes_hint);
        });
        let known = self
            .speakers
            .as_ref()
            .map_or(Vec::new(), |(_, s)| s.clone());
        egui::CollapsingHeader::new(corpus.speaker_table)
            .id_salt("scope-speakers")
            .default_open(matches!(self.choice, SpeakerChoice::Chosen(_)))
            .show(ui, |ui| {
                if known.is_empty() {
                    ui.weak(corpus.no_speakers);
                    return;
                }
                let mut counted = self.counted();
                egui::Grid::new("scope-speaker-grid")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for speaker in &known {
                            let mut on = counted.contains(&speaker.speaker);
                            let row =
                                fill(corpus.speaker_row, &[&speaker.speaker, &speaker.utterances]);
                            if ui.checkbox(&mut on, row).changed() {
                                if on {
                                    counted.insert(speaker.speaker.clone());
                                } else {
                                    counted.remove(&speaker.speaker);
                                }
                                self.choice = SpeakerChoice::Chosen(counted.clone());
                            }
                            let mut interviewer = speaker.interviewer;
                            let label = fill(corpus.speaker_is_interviewer, &[&speaker.speaker]);
                            if ui.checkbox(&mut interviewer, label).changed() {
                                outbox.command(Command::SetSpeakerRoles {
                                    roles: vec![(speaker.speaker.clone(), Some(interviewer))],
                                });
                            }
                            ui.end_row();
                        }
                    });
            });
        Ok(())
    }

    /// The speakers whose speech counts now.
    fn counted(&self) -> BTreeSet<String> {
        let known = self
            .speakers
            .as_ref()
            .map_or(&[][..], |(_, s)| s.as_slice());
        match &self.choice {
            SpeakerChoice::Chosen(counted) => counted.clone(),
            SpeakerChoice::All => known.iter().map(|s| s.speaker.clone()).collect(),
            SpeakerChoice::Interviewees => known
                .iter()
                .filter(|s| !s.interviewer)
                .map(|s| s.speaker.clone())
                .collect(),
        }
    }
}
