//! The 結果図 canvas: categories (double frame) and concepts as boxes at their stored positions,
//! dragged into place (one `PlaceBox` command when the drag ends), labelled arrows between box
//! edges, and controls to put a code on the diagram and to draw an arrow. The geometry is the
//! export's ([`crate::export::methods::diagram::layout`]), so the canvas and the SVG/PNG agree.

use eframe::egui::{self, Align2, Color32, FontId, Pos2, Sense, Shape, Stroke, StrokeKind, vec2};

use crate::command::{Command, MgtaCommand, default_box_position};
use crate::export::methods::diagram::{FONT_SIZE, layout};
use crate::methods::mgta::MgtaAnalysis;
use crate::model::{CodeId, DiagramBox};
use crate::project::Project;
use crate::ui::action::Outbox;

/// The label of the code an arrow starts from (and a box to put on the diagram).
pub const ARROW_FROM: &str = "始点";
/// The label of the code an arrow goes to.
pub const ARROW_TO: &str = "終点";
/// The label of the arrow's label field.
pub const ARROW_LABEL: &str = "矢印のラベル";
/// The label of the button that draws the arrow.
pub const ADD_ARROW: &str = "矢印を追加";

/// The canvas's state: what the controls hold and the box being dragged.
#[derive(Default)]
pub struct DiagramCanvas {
    /// The code a new box or an arrow starts from.
    pub from: Option<CodeId>,
    /// The code an arrow goes to.
    pub to: Option<CodeId>,
    /// The arrow's label (影響, 循環, 対立 …).
    pub label: String,
    dragging: Option<(usize, egui::Vec2)>,
}

impl DiagramCanvas {
    /// Draws the controls and the canvas.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        analysis: &MgtaAnalysis,
        outbox: &mut Outbox,
    ) -> anyhow::Result<()> {
        let tree = project.code_tree()?;
        let codes: Vec<(CodeId, String)> = tree
            .walk()
            .into_iter()
            .filter_map(|id| tree.get(id).map(|code| (id, code.name.clone())))
            .collect();
        let name_of = |id: Option<CodeId>| {
            id.and_then(|id| codes.iter().find(|(c, _)| *c == id))
                .map_or("—", |(_, name)| name.as_str())
        };
        ui.horizontal_wrapped(|ui| {
            for (label, target) in [(ARROW_FROM, &mut self.from), (ARROW_TO, &mut self.to)] {
                egui::ComboBox::from_label(label)
                    .selected_text(name_of(*target))
                    .width(220.0)
                    .show_ui(ui, |ui| {
                        for (id, name) in &codes {
                            ui.selectable_value(target, Some(*id), name);
                        }
                    });
            }
            let heading = ui.label(ARROW_LABEL);
            ui.add(egui::TextEdit::singleline(&mut self.label).desired_width(100.0))
                .labelled_by(heading.id);
            let ready = self.from.is_some() && self.to.is_some() && self.from != self.to;
            if ui
                .add_enabled(ready, egui::Button::new(ADD_ARROW))
                .clicked()
                && let (Some(from_id), Some(to_id)) = (self.from, self.to)
            {
                outbox.command(Command::Mgta(MgtaCommand::AddArrow {
                    from_id,
                    to_id,
                    label: self.label.clone(),
                }));
            }
            if ui
                .add_enabled(self.from.is_some(), egui::Button::new("ボックスを置く"))
                .on_hover_text("左の選択のコードを結果図の空いた場所に置きます")
                .clicked()
                && let Some(code_id) = self.from
            {
                let boxes: Vec<DiagramBox> = analysis
                    .diagram
                    .nodes
                    .iter()
                    .map(|node| DiagramBox {
                        code_guid: String::new(),
                        x: node.x,
                        y: node.y,
                    })
                    .collect();
                let (x, y) = default_box_position(&boxes);
                outbox.command(Command::Mgta(MgtaCommand::PlaceBox { code_id, x, y }));
            }
        });
        let drawing = layout(&analysis.diagram);
        let size = vec2(
            (drawing.width as f32).max(ui.available_width()),
            (drawing.height as f32).max(ui.available_height()),
        );
        egui::ScrollArea::both().show(ui, |ui| {
            let (response, painter) = ui.allocate_painter(size, Sense::hover());
            let origin = response.rect.min;
            let ink = ui.visuals().text_color();
            let paper = ui.visuals().extreme_bg_color;
            let at = |x: f64, y: f64| origin + vec2(x as f32, y as f32);
            for (index, placed) in drawing.boxes.iter().enumerate() {
                let offset = match self.dragging {
                    Some((dragged, offset)) if dragged == index => offset,
                    _ => egui::Vec2::ZERO,
                };
                let rect = egui::Rect::from_min_size(
                    at(placed.x, placed.y) + offset,
                    vec2(placed.width as f32, placed.height as f32),
                );
                let id = ui.scope_id().with(("diagram-box", index));
                let handle = ui.interact(rect, id, Sense::drag());
                if handle.dragged() {
                    let total =
                        self.dragging.map_or(egui::Vec2::ZERO, |(_, o)| o) + handle.drag_delta();
                    self.dragging = Some((index, total));
                }
                if handle.drag_stopped()
                    && let (Some((_, moved)), Some(node)) =
                        (self.dragging.take(), analysis.diagram.nodes.get(index))
                {
                    outbox.command(Command::Mgta(MgtaCommand::PlaceBox {
                        code_id: node.code_id,
                        x: (node.x + f64::from(moved.x)).max(0.0),
                        y: (node.y + f64::from(moved.y)).max(0.0),
                    }));
                }
                painter.rect_filled(rect, 6.0, paper);
                let width = if placed.is_category { 2.5 } else { 1.2 };
                painter.rect_stroke(rect, 6.0, Stroke::new(width, ink), StrokeKind::Inside);
                if placed.is_category {
                    painter.rect_stroke(
                        rect.shrink(4.0),
                        4.0,
                        Stroke::new(1.0, ink),
                        StrokeKind::Inside,
                    );
                }
                painter.text(
                    rect.center(),
                    Align2::CENTER_CENTER,
                    &placed.name,
                    FontId::proportional(FONT_SIZE as f32),
                    ink,
                );
            }
            for arrow in &drawing.arrows {
                let (from, to) = (at(arrow.from.0, arrow.from.1), at(arrow.to.0, arrow.to.1));
                arrow_shape(&painter, from, to, ink);
                if !arrow.label.is_empty() {
                    let middle = from + (to - from) * 0.5;
                    let galley = painter.layout_no_wrap(
                        arrow.label.clone(),
                        FontId::proportional(FONT_SIZE as f32),
                        ink,
                    );
                    let rect = Align2::CENTER_CENTER
                        .anchor_size(middle, galley.size())
                        .expand(3.0);
                    painter.rect_filled(rect, 2.0, paper);
                    painter.galley(rect.shrink(3.0).min, galley, ink);
                }
            }
        });
        Ok(())
    }
}

fn arrow_shape(painter: &egui::Painter, from: Pos2, to: Pos2, ink: Color32) {
    let direction = (to - from).normalized();
    let base = to - direction * 9.0;
    let side = vec2(-direction.y, direction.x) * 4.5;
    painter.line_segment([from, base], Stroke::new(1.5, ink));
    painter.add(Shape::convex_polygon(
        vec![to, base + side, base - side],
        ink,
        Stroke::NONE,
    ));
}
