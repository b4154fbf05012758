//! In a large project (issue 17) the reads a frame would otherwise wait for run on worker
//! threads: another document opened in the transcript (its text, utterances and thousands of
//! codings: ~480 ms at a million codings), and after a command — or other coders' notices on a
//! team server — the snapshot and the open transcript's codings. The window keeps showing what
//! it read before until the new read is in, with a progress bar saying what is read; a newer
//! request supersedes an older one (the older result is dropped on its own thread).

use eframe::egui;

use super::Session;
use crate::model::{Coding, DocumentId};
use crate::project::Project;
use crate::ui::action::{Action, Outbox};
use crate::ui::i18n::{Strings, fill};
use crate::ui::jobs::{Job, drop_elsewhere};
use crate::ui::snapshot::{CodingCounts, Snapshot};
use crate::ui::transcript::view::TranscriptView;

/// The open transcript read again after a change.
pub(super) enum Reread {
    /// The same text: its codings, only the blind coder's when one is given (blind mode).
    Codings(Vec<Coding>, Option<String>),
    /// A revision changed the text: the document read again (`None`: it no longer exists).
    Revised(Option<Box<TranscriptView>>),
}

/// A document being opened: its name for the progress bar, the span to select and scroll to
/// once it shows (a jump from the matrix or a search hit), and the worker reading it.
struct Opening {
    document_id: DocumentId,
    name: String,
    reveal: Option<(usize, usize)>,
    job: Job<Option<TranscriptView>>,
}

/// The reads under way on worker threads.
#[derive(Default)]
pub(super) struct Pending {
    document: Option<Opening>,
    snapshot: Option<Job<Snapshot>>,
    transcript: Option<(DocumentId, Job<Reread>)>,
}

impl Pending {
    /// True while something is read.
    pub(super) fn is_busy(&self) -> bool {
        self.document.is_some() || self.snapshot.is_some() || self.transcript.is_some()
    }

    /// The document being opened, if any.
    pub(super) fn opening(&self) -> Option<DocumentId> {
        self.document.as_ref().map(|opening| opening.document_id)
    }

    /// Forgets the document being opened (another one was shown meanwhile).
    pub(super) fn cancel_document(&mut self) {
        if let Some(opening) = self.document.take() {
            opening.job.cancel();
        }
    }
}

impl Session {
    /// Starts reading `document_id` on a worker; the transcript shown stays until it is in.
    /// `reveal` selects and scrolls to a span once it shows.
    pub(super) fn open_document_in_background(
        &mut self,
        document_id: DocumentId,
        reveal: Option<(usize, usize)>,
    ) {
        if let Some(opening) = &mut self.pending.document
            && opening.document_id == document_id
        {
            opening.reveal = reveal.or(opening.reveal);
            return;
        }
        self.pending.cancel_document();
        let name = (self.snapshot.documents.iter())
            .find(|document| document.id == document_id)
            .map_or_else(String::new, |document| document.name.clone());
        let path = self.reopen_path();
        let only_coder = self.blind.then(|| self.project.coder().to_owned());
        let job = Job::spawn(name.clone(), move |_| {
            let project = Project::open(&path)?;
            let mut view = TranscriptView::load(&project, document_id)?;
            if let Some(view) = &mut view
                && only_coder.is_some()
            {
                view.set_only_coder(&project, only_coder.as_deref())?;
            }
            Ok(view)
        });
        self.pending.document = Some(Opening {
            document_id,
            name,
            reveal,
            job,
        });
    }

    /// After a change in a large project: the snapshot (without the counts of codings, read by
    /// their own worker), the counts, and the open transcript are read on workers; the panels
    /// show the previous ones meanwhile.
    pub(super) fn refresh_in_background(&mut self) {
        let path = self.reopen_path();
        let only_coder = self.blind.then(|| self.project.coder().to_owned());
        if let Some(job) = self.pending.snapshot.take() {
            job.cancel();
        }
        let snapshot_path = path.clone();
        self.pending.snapshot = Some(Job::spawn("snapshot", move |_| {
            let project = Project::open(&snapshot_path)?;
            Ok(Snapshot::read_keeping_counts(
                &project,
                CodingCounts::default(),
            )?)
        }));
        if let Some(job) = self.counts_job.take() {
            job.cancel();
        }
        let counts_path = path.clone();
        let counts_coder = only_coder.clone();
        self.counts_job = Some(Job::spawn("counts", move |_| {
            let project = Project::open(&counts_path)?;
            Ok(CodingCounts::read(&project, counts_coder.as_deref())?)
        }));
        if let Some((_, job)) = self.pending.transcript.take() {
            job.cancel();
        }
        // A document being read may have been read before the change: read it again.
        if let Some(opening) = self.pending.document.take() {
            opening.job.cancel();
            self.open_document_in_background(opening.document_id, opening.reveal);
        }
        let Some(view) = &self.transcript else {
            return;
        };
        let document_id = view.document_id();
        let shown_hash = view.text_hash().map(str::to_owned);
        let job = Job::spawn("transcript", move |_| {
            let project = Project::open(&path)?;
            if project.read().document_hash(document_id)? != shown_hash {
                let mut view = TranscriptView::load(&project, document_id)?;
                if let Some(view) = &mut view {
                    view.set_only_coder(&project, only_coder.as_deref())?;
                }
                return Ok(Reread::Revised(view.map(Box::new)));
            }
            let mut codings = project.read().codings_of_document(document_id)?;
            if let Some(coder) = &only_coder {
                codings.retain(|coding| coding.coder == *coder);
            }
            Ok(Reread::Codings(codings, only_coder))
        });
        self.pending.transcript = Some((document_id, job));
    }

    /// Takes what the workers have read (`wait`: blocks until they have, as tests do).
    pub(super) fn poll_pending(&mut self, wait: bool, outbox: &mut Outbox) {
        if let Some(job) = &mut self.pending.snapshot
            && let Some(result) = take(job, wait)
        {
            self.pending.snapshot = None;
            match result {
                Ok(fresh) => self.snapshot_read(fresh),
                Err(error) => outbox.action(Action::Problem(format!("{error:#}"))),
            }
        }
        if let Some((document_id, job)) = &mut self.pending.transcript
            && let Some(result) = take(job, wait)
        {
            let document_id = *document_id;
            self.pending.transcript = None;
            match result {
                Ok(reread) => self.transcript_reread(document_id, reread),
                Err(error) => outbox.action(Action::Problem(format!("{error:#}"))),
            }
        }
        if let Some(opening) = &mut self.pending.document {
            if opening.job.is_cancelled() {
                self.pending.document = None;
            } else if let Some(result) = take(&mut opening.job, wait) {
                let reveal = opening.reveal;
                self.pending.document = None;
                match result {
                    Ok(Some(mut view)) => {
                        if let Some((start, end)) = reveal {
                            view.reveal(start, end);
                        }
                        if let Some(old) = self.transcript.replace(view) {
                            drop_elsewhere(old);
                        }
                    }
                    Ok(None) => {}
                    Err(error) => outbox.action(Action::Problem(format!("{error:#}"))),
                }
            }
        }
    }

    /// Puts a snapshot read on a worker in place, with the newest counts of codings; a
    /// transcript whose document is gone is closed and the first document opened instead.
    fn snapshot_read(&mut self, mut fresh: Snapshot) {
        fresh.set_counts(self.snapshot.counts());
        drop_elsewhere(std::mem::replace(&mut self.snapshot, fresh));
        let exists = |document_id: DocumentId| {
            (self.snapshot.documents.iter()).any(|document| document.id == document_id)
        };
        if let Some(view) = &self.transcript
            && !exists(view.document_id())
        {
            self.transcript = None;
        }
        if self.transcript.is_none()
            && self.pending.opening().is_none_or(|id| !exists(id))
            && let Some(first) = self.snapshot.documents.first().map(|document| document.id)
        {
            self.open_document_in_background(first, None);
        }
    }

    /// Puts the open transcript read again on a worker in place (when it still shows that
    /// document).
    fn transcript_reread(&mut self, document_id: DocumentId, reread: Reread) {
        let Some(view) = &mut self.transcript else {
            return;
        };
        if view.document_id() != document_id {
            return;
        }
        match reread {
            Reread::Codings(codings, only_coder) => view.replace_codings(codings, only_coder),
            Reread::Revised(Some(fresh)) => view.replace_with_revised(*fresh),
            Reread::Revised(None) => self.transcript = None,
        }
    }

    /// The progress bars of the reads under way, above the tabs.
    pub(super) fn pending_ui(&self, ui: &mut egui::Ui, strings: &Strings) {
        if let Some(opening) = &self.pending.document {
            let text = fill(strings.jobs.document, &[&opening.name]);
            opening.job.ui_saying(ui, &text, strings.cancel);
        }
        if self.pending.snapshot.is_some() || self.pending.transcript.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak(strings.jobs.refreshing);
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}

/// A finished job's result, once (`wait`: blocks until it has finished).
fn take<T: Send + 'static>(job: &mut Job<T>, wait: bool) -> Option<anyhow::Result<T>> {
    if wait { job.wait() } else { job.poll() }
}
