//! The centre of an open project: four tabs (逐語録, 事例-コード・マトリックス, クロス集計,
//! 検索・KWIC) over one [`AnalysisData`] snapshot that is read lazily, only when an analysis
//! tab is shown, and dropped after every command (the generation counter tells the views to
//! rebuild). Going from a matrix cell or a search hit to the transcript remembers where the
//! researcher came from, so a back button returns there.

use eframe::egui;

use crate::analysis::AnalysisData;
use crate::model::CodeId;
use crate::project::Project;
use crate::ui::action::Outbox;
use crate::ui::autocode::view::AutocodeView;
use crate::ui::cooccurrence::view::CooccurrenceView;
use crate::ui::crosstab::view::CrosstabView;
use crate::ui::i18n::{Strings, fill};
use crate::ui::matrix::view::MatrixView;
use crate::ui::mgta::view::MgtaView;
use crate::ui::scat::view::ScatView;
use crate::ui::search::view::SearchView;
use crate::ui::snapshot::Snapshot;

/// The tabs of the centre.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CentreTab {
    /// The open transcript.
    #[default]
    Transcript,
    /// 事例-コード・マトリックス.
    Matrix,
    /// Codes × attribute values.
    Crosstab,
    /// Search and KWIC.
    Search,
    /// Code co-occurrence: table and network.
    Cooccurrence,
    /// Auto-coding rules: suggestions to accept.
    Autocode,
    /// SCAT worksheets.
    Scat,
    /// M-GTA analysis worksheets and the 結果図.
    Mgta,
}

impl CentreTab {
    /// The tab's label.
    pub fn label(self, strings: &Strings) -> &'static str {
        match self {
            CentreTab::Transcript => strings.centre.tab_transcript,
            CentreTab::Matrix => strings.centre.tab_matrix,
            CentreTab::Crosstab => strings.centre.tab_crosstab,
            CentreTab::Search => strings.centre.tab_search,
            CentreTab::Cooccurrence => strings.corpus.tab_cooccurrence,
            CentreTab::Autocode => strings.corpus.tab_autocode,
            // The methods' own names, the same in every language.
            CentreTab::Scat => "SCAT",
            CentreTab::Mgta => "M-GTA",
        }
    }
}

/// The analysis tabs and what they share.
#[derive(Default)]
pub struct Centre {
    /// The tab shown.
    pub tab: CentreTab,
    /// The tab a jump to the transcript came from (shown as a back button).
    pub came_from: Option<CentreTab>,
    /// The matrix tab.
    pub matrix: MatrixView,
    /// The crosstab tab.
    pub crosstab: CrosstabView,
    /// The search tab.
    pub search: SearchView,
    /// The co-occurrence tab.
    pub cooccurrence: CooccurrenceView,
    /// The auto-coding tab.
    pub autocode: AutocodeView,
    /// The SCAT tab.
    pub scat: ScatView,
    /// The M-GTA tab.
    pub mgta: MgtaView,
    analysis: Option<AnalysisData>,
    generation: u64,
}

impl Centre {
    /// Forgets the analysis snapshot after the project changed.
    pub fn invalidate(&mut self) {
        self.analysis = None;
        self.generation += 1;
    }

    /// Blocks until the search tab's morphological index job (if any) has finished.
    pub fn wait_for_background(&mut self) -> anyhow::Result<()> {
        self.search.wait_for_index(self.generation)?;
        self.autocode.wait()
    }

    /// The tab bar, and the back button when the transcript was opened from another tab.
    pub fn tabs_ui(&mut self, ui: &mut egui::Ui, strings: &Strings) {
        // Wrapped, so that the back button never widens the centre under the side panels.
        ui.horizontal_wrapped(|ui| {
            for tab in [
                CentreTab::Transcript,
                CentreTab::Matrix,
                CentreTab::Crosstab,
                CentreTab::Search,
                CentreTab::Cooccurrence,
                CentreTab::Autocode,
                CentreTab::Scat,
                CentreTab::Mgta,
            ] {
                if ui
                    .selectable_label(self.tab == tab, tab.label(strings))
                    .clicked()
                {
                    self.tab = tab;
                    self.came_from = None;
                }
            }
            if self.tab == CentreTab::Transcript
                && let Some(from) = self.came_from
            {
                ui.separator();
                let back = fill(strings.centre.back_to, &[&from.label(strings)]);
                if ui.button(back).clicked() {
                    self.tab = from;
                    self.came_from = None;
                }
            }
        });
        ui.separator();
    }

    /// The analysis tab shown (not the transcript, which the session draws).
    pub fn analysis_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        snapshot: &Snapshot,
        selected_code: Option<CodeId>,
        strings: &Strings,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        if self.analysis.is_none() {
            self.analysis = Some(AnalysisData::load(project)?);
        }
        let Some(data) = &self.analysis else {
            return Ok(());
        };
        let generation = self.generation;
        match self.tab {
            CentreTab::Transcript => {}
            CentreTab::Matrix => {
                self.matrix
                    .ui(ui, data, generation, project.coder(), strings, outbox);
            }
            CentreTab::Crosstab => self.crosstab.ui(ui, data, generation, strings),
            CentreTab::Search => {
                let code =
                    selected_code.map(|code_id| (code_id, snapshot.tree.path_string(code_id)));
                self.search
                    .ui(ui, project, data, generation, code, strings, outbox)?;
            }
            CentreTab::Cooccurrence => self.cooccurrence.ui(ui, data, generation, strings),
            CentreTab::Autocode => {
                self.autocode
                    .set_dictionary(self.search.dictionary().cloned());
                self.autocode.ui(ui, project, data, strings, outbox)?;
            }
            CentreTab::Scat => self.scat.ui(ui, project, generation, outbox)?,
            CentreTab::Mgta => self.mgta.ui(ui, project, generation, outbox)?,
        }
        Ok(())
    }
}
