//! What the GUI tests share: the workbench opened on a project file (with the Japanese font
//! checked), and the ways a researcher's hands reach it — IME typing, replacing a field's text,
//! dragging, right-clicking, undoing from the Edit menu.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use casecode::project::Project;
use casecode::ui::Workbench;
use casecode::ui::fonts::find_japanese_font;
use casecode::ui::settings::SettingsFile;
use eframe::egui::{self, Event, ImeEvent, Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Fails early, with the fix, when the machine has no Japanese font (kittest would panic on
/// the first missing glyph instead).
pub fn assert_japanese_font() {
    assert!(
        find_japanese_font(None).is_some(),
        "no Japanese font on this machine: run scripts/setup.sh (it installs fonts-noto-cjk)"
    );
}

/// The workbench with `project` open in a window of `size`, settings kept in `settings`.
pub fn open_workbench(
    project: &Path,
    settings: PathBuf,
    size: Vec2,
) -> Harness<'static, Workbench> {
    let mut workbench = Workbench::new(SettingsFile::at(settings));
    workbench.open_project(project);
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, workbench: &mut Workbench| workbench.ui(ui), workbench);
    harness.run();
    // A project opened with no coder name set asks for one first (issue 11, bug 6); the
    // tests answer as the prompt's button would.
    if harness.state().is_asking_for_coder() {
        harness.state_mut().set_coder("テスト");
        harness.run();
    }
    assert!(
        harness.state().font_in_use().is_some(),
        "the workbench found no Japanese font"
    );
    assert!(
        harness.state().project().is_some(),
        "the project did not open: {:?}",
        harness.state().status()
    );
    harness
}

/// The open project.
pub fn project<'h>(harness: &'h Harness<'_, Workbench>) -> &'h Project {
    harness.state().project().expect("a project is open")
}

/// Opens the document named `name` in the transcript tab, as a click in the cases panel does.
pub fn open_document(harness: &mut Harness<'_, Workbench>, name: &str) {
    let document_id = project(harness).document_named(name).expect("document").id;
    harness
        .state_mut()
        .session_mut()
        .expect("session")
        .open_document(document_id)
        .expect("open document");
    harness.run();
}

/// Types text into the focused field the way an IME does: a preedit, then the commit.
pub fn type_with_ime(harness: &mut Harness<'_, Workbench>, reading: &str, committed: &str) {
    harness.event(Event::Ime(ImeEvent::Preedit {
        text: reading.to_owned(),
        active_range_chars: None,
    }));
    harness.step();
    harness.event(Event::Ime(ImeEvent::Commit(committed.to_owned())));
    harness.run();
}

/// Replaces the text of the focused field by typing, as a keyboard does.
pub fn replace_text(harness: &mut Harness<'_, Workbench>, text: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.event(Event::Text(text.to_owned()));
    harness.run();
}

/// Presses the mouse on `from`, moves in steps to `to` and releases there.
pub fn drag_and_drop(harness: &mut Harness<'_, Workbench>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for step in 1..=4 {
        harness.hover_at(from + (to - from) * (step as f32 / 4.0));
        harness.step();
    }
    harness.drop_at(to);
    harness.run();
}

/// Drags the mouse over the open transcript from the boundary before `start` to the boundary
/// before `end` (both must be on screen).
pub fn drag_over_text(harness: &mut Harness<'_, Workbench>, start: usize, end: usize) {
    let transcript = harness.state().transcript().expect("a transcript is open");
    let from = transcript.point_of_offset(start).expect("start is visible");
    let to = transcript.point_of_offset(end).expect("end is visible");
    drag_and_drop(harness, from, to);
}

/// Applies the code named `name` to the selected text the explicit way: a click selects it in
/// the tree, then its row's ✓ applies it.
pub fn apply_code(harness: &mut Harness<'_, Workbench>, name: &str) {
    harness.get_by_label(name).click();
    harness.run();
    harness.get_by_label("✓").click();
    harness.run();
}

/// A right click at `at` (which opens a context menu there).
pub fn right_click(harness: &mut Harness<'_, Workbench>, at: Pos2) {
    harness.event(Event::PointerMoved(at));
    harness.step();
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
}

/// Clicks 編集 ▸ 元に戻す: `label`.
pub fn undo_from_menu(harness: &mut Harness<'_, Workbench>, label: &str) {
    harness.get_by_label("編集").click();
    harness.run();
    harness
        .get_by_label_contains(&format!("元に戻す: {label}"))
        .click();
    harness.run();
}

/// One turn of the mouse wheel by `delta` points (negative y scrolls down).
pub fn wheel(harness: &mut Harness<'_, Workbench>, delta: Vec2) {
    harness.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    });
}

/// Prints the mean, 95th percentile and maximum of frame times (the frame-time benchmarks).
pub fn report_frames(name: &str, times: &mut [std::time::Duration]) {
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let (Some(p95), Some(max)) = (times.get(times.len() * 95 / 100), times.last()) else {
        println!("{name}: no frames");
        return;
    };
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len() as f64;
    println!(
        "{name}: mean {mean:.2} ms, p95 {:.2} ms, max {:.2} ms ({} frames)",
        ms(*p95),
        ms(*max),
        times.len()
    );
}
