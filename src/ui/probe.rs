//! A window of the workbench tells a test where it drew things: with `CASECODE_GUI_PROBE=FILE`
//! set, each frame in which no mouse button is down writes FILE with one line per visible
//! character boundary of the transcript (`offset N X Y`, the middle of its row) and per visible
//! code-tree row (`code PATH X Y`). The real-window check (tests/gui_real_window.rs) reads it to
//! know which text lies under a screen point before it drags there with xdotool; it is what is
//! painted at rest, so a layout that moves during a drag shows up as a coding of other text.
//! Without the variable nothing is recorded.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use eframe::egui::Pos2;

/// The file named by `CASECODE_GUI_PROBE`, read once.
fn probe_file() -> Option<&'static PathBuf> {
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| std::env::var_os("CASECODE_GUI_PROBE").map(PathBuf::from))
        .as_ref()
}

/// The lines recorded this frame, and the text last written.
static FRAME: Mutex<(Vec<String>, String)> = Mutex::new((Vec::new(), String::new()));

/// True when a probe file was asked for (callers skip the work otherwise).
pub fn enabled() -> bool {
    probe_file().is_some()
}

/// Records that `what` (e.g. `offset 108`, `code 家族支援/[レスパイト]`) was drawn at `at`.
pub fn record(what: String, at: Pos2) {
    if !enabled() {
        return;
    }
    if let Ok(mut frame) = FRAME.lock() {
        frame.0.push(format!("{what}\t{:.1}\t{:.1}", at.x, at.y));
    }
}

/// Ends the frame: writes the file when no button is down and something changed.
pub fn flush(pointer_down: bool) {
    let Some(file) = probe_file() else {
        return;
    };
    let Ok(mut frame) = FRAME.lock() else {
        return;
    };
    let lines = std::mem::take(&mut frame.0);
    if pointer_down {
        return;
    }
    let text = lines.join("\n");
    if text != frame.1 {
        // A probe that cannot be written only loses the test its map; the workbench goes on.
        if std::fs::write(file, &text).is_ok() {
            frame.1 = text;
        }
    }
}
