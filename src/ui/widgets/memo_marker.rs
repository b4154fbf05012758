//! The ※ that marks an item with a memo, in the cases panel and the code tree: hover shows the
//! memo, a click sends `Action::EditMemo` to open the memo window. ※ (the Japanese note mark) is
//! in JIS X 0208 and so in every Japanese font, whereas 📝 and ✎ are in neither Noto Sans CJK
//! nor egui's bundled fonts.

use eframe::egui::{self, RichText};

use crate::model::MemoTarget;
use crate::ui::action::{Action, Outbox};

/// The marker shown next to an item that has a memo.
pub const MEMO_MARKER: &str = "※";

/// ※ next to an item whose memo is written: hover shows the memo, a click opens the memo
/// window on `target`. Nothing is drawn when the memo is empty.
pub fn memo_marker_ui(ui: &mut egui::Ui, target: MemoTarget, memo: &str, outbox: &mut Outbox) {
    if memo.trim().is_empty() {
        return;
    }
    let response = ui
        .add(egui::Button::new(RichText::new(MEMO_MARKER).small()).frame(false))
        .on_hover_ui(|ui| {
            ui.set_max_width(320.0);
            ui.label(memo);
        });
    if response.clicked() {
        outbox.action(Action::EditMemo(target));
    }
}
