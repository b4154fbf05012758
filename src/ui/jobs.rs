//! Work that must not freeze the window (opening a project, importing transcripts, building the
//! morphological index, reading the analysis data, building a matrix, crosstab, frequency list
//! or agreement) runs on a thread of its own, with its own connection to the project file or a
//! shared read-only copy of the data. The thread reports progress through atomics and checks a
//! cancel flag; the workbench polls it each frame and shows a progress bar with a cancel button.
//! A job that changes the project does so with one command, so its result is undoable like any
//! other. [`Latest`] is a view's result computed this way: the last result stays shown until
//! the new one is ready, and a change of the inputs supersedes a job still running.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
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
        let gate = HOLD.with(|hold| hold.borrow().clone());
        let handle = std::thread::spawn(move || {
            if let Some(gate) = gate {
                gate.pass();
            }
            work(&shared)
        });
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

    /// Asks the job to stop (a job that does not check drops its result instead).
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// A progress bar with the label and a cancel button; keeps the window repainting while
    /// the job runs.
    pub fn ui(&self, ui: &mut egui::Ui, cancel_label: &str) {
        self.ui_saying(ui, &self.label, cancel_label);
    }

    /// [`Job::ui`] with another text on the bar (one the job's starter could not word: the
    /// language is the frame's).
    pub fn ui_saying(&self, ui: &mut egui::Ui, text: &str, cancel_label: &str) {
        ui.horizontal(|ui| {
            let bar = match self.progress.fraction() {
                Some(fraction) => egui::ProgressBar::new(fraction).show_percentage(),
                None => egui::ProgressBar::new(0.0).animate(true),
            };
            ui.add(bar.text(text).desired_width(320.0));
            if !self.progress.is_cancelled() && ui.button(cancel_label).clicked() {
                self.progress.cancel();
            }
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }
}

/// A gate the workers started while it is held wait at, before their work.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    /// Waits until the gate opens.
    fn pass(&self) {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while !*open {
            open = (self.opened.wait(open)).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    fn release(&self) {
        *self
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = true;
        self.opened.notify_all();
    }
}

thread_local! {
    /// The gate of [`hold`], for jobs started from this thread.
    static HOLD: RefCell<Option<Arc<Gate>>> = const { RefCell::new(None) };
}

/// Jobs started from this thread while the returned guard lives wait before their work, and
/// start it when the guard is dropped. Tests use this to see the window while a worker is
/// certainly still running, however fast the work is (each test runs on its own thread, so
/// other tests' jobs are not held).
pub fn hold() -> Held {
    let gate = Arc::new(Gate::default());
    HOLD.with(|hold| *hold.borrow_mut() = Some(Arc::clone(&gate)));
    Held { gate }
}

/// The guard of [`hold`]: dropping it lets the held jobs run.
pub struct Held {
    gate: Arc<Gate>,
}

impl Drop for Held {
    fn drop(&mut self) {
        HOLD.with(|hold| *hold.borrow_mut() = None);
        self.gate.release();
    }
}

/// Drops `value` on a thread of its own: freeing a million codings' strings takes longer than
/// a frame may.
pub fn drop_elsewhere<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Projects with at least this many codings compute their views on a worker thread; smaller
/// ones compute them in the frame, so the result shows without a progress bar flickering for a
/// moment. Measured: reading the project and building the matrix of 12,000 codings took 41 ms
/// in one frame on a quiet machine (README, frame times); 1,000,000 took 22 s on a worker.
/// 10,000 keeps the in-frame work near 35 ms, with room for a loaded machine.
pub const BACKGROUND_FROM_CODINGS: usize = 10_000;

/// A view's result for inputs `K`, computed on a worker (or in the frame, for small projects).
/// The last result stays shown while a new one is computed; asking for other inputs while a
/// job runs supersedes it (the old job is told to stop and its result is dropped).
pub struct Latest<K, T> {
    shown: Option<(K, T)>,
    running: Option<(K, Job<T>)>,
    /// Inputs whose job the researcher cancelled: not started again until the inputs change.
    declined: Option<K>,
    problem: Option<String>,
}

impl<K, T> Default for Latest<K, T> {
    fn default() -> Latest<K, T> {
        Latest {
            shown: None,
            running: None,
            declined: None,
            problem: None,
        }
    }
}

impl<K: PartialEq + Clone + Send + 'static, T: Send + 'static> Latest<K, T> {
    /// Makes sure the result for `key` is shown or being computed: when it is neither, runs
    /// `work` on a worker thread labelled `label` (`background`) or at once. Call each frame;
    /// it also takes a finished job's result.
    pub fn ensure(
        &mut self,
        key: &K,
        background: bool,
        label: impl Into<String>,
        work: impl FnOnce(&Progress) -> anyhow::Result<T> + Send + 'static,
    ) {
        self.poll();
        if self.shown.as_ref().is_some_and(|(k, _)| k == key) {
            // Back to the inputs shown (an option switched on and off again): a job for other
            // inputs is stale.
            if let Some((_, job)) = self.running.take() {
                job.cancel();
            }
            return;
        }
        let running = self.running.as_ref().is_some_and(|(k, _)| k == key);
        if running || self.declined.as_ref() == Some(key) {
            return;
        }
        if let Some((_, job)) = self.running.take() {
            job.cancel();
        }
        self.declined = None;
        if background {
            self.running = Some((key.clone(), Job::spawn(label, work)));
        } else {
            let result = work(&Progress::default());
            self.finished(key.clone(), result);
        }
    }

    /// Takes the result of a finished job (a cancelled one is dropped).
    pub fn poll(&mut self) {
        let Some((key, job)) = &mut self.running else {
            return;
        };
        if job.is_cancelled() {
            self.declined = Some(key.clone());
            self.running = None;
            return;
        }
        if let Some(result) = job.poll() {
            let key = key.clone();
            self.running = None;
            self.finished(key, result);
        }
    }

    /// Blocks until the running job (if any) finished and takes its result (tests use this
    /// instead of waiting for frames).
    pub fn wait(&mut self) {
        if let Some((key, mut job)) = self.running.take()
            && let Some(result) = job.wait()
        {
            self.finished(key, result);
        }
    }

    fn finished(&mut self, key: K, result: anyhow::Result<T>) {
        match result {
            Ok(value) => {
                if let Some(previous) = self.shown.replace((key, value)) {
                    drop_elsewhere(previous);
                }
                self.problem = None;
            }
            Err(error) => {
                // Not tried again for the same inputs.
                self.declined = Some(key);
                self.problem = Some(format!("{error:#}"));
            }
        }
    }

    /// The result shown (perhaps for older inputs while a newer one is computed).
    pub fn shown(&self) -> Option<&T> {
        self.shown.as_ref().map(|(_, value)| value)
    }

    /// The result shown and the inputs it was computed for.
    pub fn shown_with_key(&self) -> Option<(&K, &T)> {
        self.shown.as_ref().map(|(key, value)| (key, value))
    }

    /// The result shown, to change it in place (a selection inside it).
    pub fn shown_mut(&mut self) -> Option<&mut T> {
        self.shown.as_mut().map(|(_, value)| value)
    }

    /// True while a job computes a newer result.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Why the last computation failed, if it did.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Forgets the result and any job (the project was closed or replaced).
    pub fn clear(&mut self) {
        if let Some((_, job)) = self.running.take() {
            job.cancel();
        }
        *self = Latest::default();
    }

    /// The running job's progress bar with its cancel button, and the problem of the last
    /// computation, if any.
    pub fn status_ui(&self, ui: &mut egui::Ui, cancel_label: &str) {
        if let Some((_, job)) = &self.running {
            job.ui(ui, cancel_label);
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    /// A job that returns `value` once the test lets it go.
    fn gated(
        value: u32,
    ) -> (
        mpsc::Sender<()>,
        impl FnOnce(&Progress) -> anyhow::Result<u32>,
    ) {
        let (go, wait) = mpsc::channel::<()>();
        (go, move |_: &Progress| {
            let _ = wait.recv();
            Ok(value)
        })
    }

    #[test]
    fn a_small_project_gets_its_result_in_the_same_call() {
        let mut latest: Latest<u8, u32> = Latest::default();
        latest.ensure(&1, false, "count", |_| Ok(7));
        assert_eq!(latest.shown(), Some(&7));
        assert!(!latest.is_running());
    }

    #[test]
    fn the_last_result_stays_shown_until_the_new_one_is_ready() {
        let mut latest: Latest<u8, u32> = Latest::default();
        latest.ensure(&1, false, "count", |_| Ok(10));
        let (go, work) = gated(20);
        latest.ensure(&2, true, "count", work);
        assert!(latest.is_running());
        assert_eq!(latest.shown(), Some(&10));
        // Asked again each frame for the same inputs: no second job.
        latest.ensure(&2, true, "count", |_| Ok(99));
        go.send(()).expect("the job waits");
        latest.wait();
        assert_eq!(latest.shown_with_key(), Some((&2, &20)));
    }

    #[test]
    fn a_job_for_inputs_no_longer_wanted_is_dropped() {
        let mut latest: Latest<u8, u32> = Latest::default();
        let (first_go, first) = gated(1);
        latest.ensure(&1, true, "count", first);
        let (second_go, second) = gated(2);
        latest.ensure(&2, true, "count", second);
        first_go.send(()).expect("the first job waits");
        second_go.send(()).expect("the second job waits");
        latest.wait();
        assert_eq!(latest.shown_with_key(), Some((&2, &2)));
    }

    #[test]
    fn a_cancelled_job_is_not_started_again_for_the_same_inputs() {
        let mut latest: Latest<u8, u32> = Latest::default();
        let (go, work) = gated(5);
        latest.ensure(&1, true, "count", work);
        if let Some((_, job)) = &latest.running {
            job.cancel();
        }
        latest.poll();
        assert!(!latest.is_running());
        latest.ensure(&1, true, "count", |_| Ok(6));
        assert!(!latest.is_running(), "started again after a cancel");
        assert_eq!(latest.shown(), None);
        // Other inputs are computed again.
        latest.ensure(&2, false, "count", |_| Ok(8));
        assert_eq!(latest.shown(), Some(&8));
        drop(go);
    }

    #[test]
    fn a_failure_is_reported_and_not_retried_every_frame() {
        let mut latest: Latest<u8, u32> = Latest::default();
        latest.ensure(&1, false, "count", |_| {
            anyhow::bail!("project.casecode: no such table")
        });
        assert_eq!(latest.problem(), Some("project.casecode: no such table"));
        latest.ensure(&1, false, "count", |_| Ok(1));
        assert_eq!(latest.shown(), None);
    }
}
