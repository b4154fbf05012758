//! Work that must not freeze the window (importing transcripts, building the morphological
//! index) runs on a thread of its own with its own connection to the project file. The thread
//! reports progress through atomics and checks a cancel flag; the workbench polls it each frame
//! and shows a progress bar with a cancel button. A job that changes the project does so with
//! one command, so its result is undoable like any other.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use eframe::egui;

/// Progress shared between a job and the window.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    /// Records `done` of `total` steps.
    pub fn set(&self, done: usize, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// True once the user pressed cancel; the job should stop before it changes anything.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// The fraction done, when the total is known.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| self.done.load(Ordering::Relaxed) as f32 / total as f32)
    }
}

/// A job on its own thread producing a `T`.
pub struct Job<T> {
    /// What the progress bar says.
    pub label: String,
    progress: Arc<Progress>,
    handle: Option<JoinHandle<anyhow::Result<T>>>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread.
    pub fn spawn(
        label: impl Into<String>,
        work: impl FnOnce(&Progress) -> anyhow::Result<T> + Send + 'static,
    ) -> Job<T> {
        let progress = Arc::new(Progress::default());
        let shared = Arc::clone(&progress);
        let handle = std::thread::spawn(move || work(&shared));
        Job {
            label: label.into(),
            progress,
            handle: Some(handle),
        }
    }

    /// The result once the thread has finished (once); `None` while it runs.
    pub fn poll(&mut self) -> Option<anyhow::Result<T>> {
        if !self.handle.as_ref()?.is_finished() {
            return None;
        }
        let handle = self.handle.take()?;
        Some(match handle.join() {
            Ok(result) => result,
            Err(_) => Err(anyhow::anyhow!(
                "{}: the background task failed",
                self.label
            )),
        })
    }

    /// Waits for the thread (tests use this instead of polling frames).
    pub fn wait(&mut self) -> Option<anyhow::Result<T>> {
        let handle = self.handle.take()?;
        Some(match handle.join() {
            Ok(result) => result,
            Err(_) => Err(anyhow::anyhow!(
                "{}: the background task failed",
                self.label
            )),
        })
    }

    /// True when the user asked to cancel.
    pub fn is_cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }

    /// A progress bar with the label and a cancel button; keeps the window repainting while
    /// the job runs.
    pub fn ui(&self, ui: &mut egui::Ui, cancel_label: &str) {
        ui.horizontal(|ui| {
            let bar = match self.progress.fraction() {
                Some(fraction) => egui::ProgressBar::new(fraction).show_percentage(),
                None => egui::ProgressBar::new(0.0).animate(true),
            };
            ui.add(bar.text(&self.label).desired_width(320.0));
            if !self.progress.is_cancelled() && ui.button(cancel_label).clicked() {
                self.progress.cancel();
            }
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
}
