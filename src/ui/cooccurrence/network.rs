//! Paints a co-occurrence [`Network`] with egui's painter: grey lines as wide as their Jaccard
//! index, circles whose area follows the code's segments, names under the circles. Each node
//! is also a widget with its name (hover for the count), so a screen reader and the GUI tests
//! find it by label.

use eframe::egui::{self, Align2, Color32, FontId, Pos2, Sense, Stroke, Vec2};

use crate::analysis::Network;
use crate::analysis::network::Node;
use crate::ui::i18n::{Strings, fill};

/// The network in the space left, at least 360 × 280 points.
pub fn network_ui(ui: &mut egui::Ui, network: &Network, strings: &Strings) {
    let size = Vec2::new(
        ui.available_width().max(360.0),
        ui.available_height().max(280.0),
    );
    let (response, painter) = ui.allocate_painter(size, Sense::hover());
    // Room for the names under the circles at the left and right edges.
    let area = response.rect.shrink2(Vec2::new(110.0, 40.0));
    let at = |node: &Node| {
        Pos2::new(
            area.left() + node.x as f32 * area.width(),
            area.top() + node.y as f32 * area.height(),
        )
    };
    let visuals = ui.visuals();
    let line_color = if visuals.dark_mode {
        Color32::from_gray(150)
    } else {
        Color32::from_gray(120)
    };
    for edge in &network.edges {
        if let (Some(a), Some(b)) = (network.nodes.get(edge.from), network.nodes.get(edge.to)) {
            let width = 1.0 + 7.0 * edge.jaccard as f32;
            painter.line_segment([at(a), at(b)], Stroke::new(width, line_color));
        }
    }
    let fill_color = Color32::from_rgb(0x9E, 0xCA, 0xE1);
    let outline = Stroke::new(1.5, Color32::from_rgb(0x31, 0x82, 0xBD));
    let text_color = visuals.text_color();
    for (index, node) in network.nodes.iter().enumerate() {
        let centre = at(node);
        let radius = network.radius(node, 6.0, 26.0) as f32;
        painter.circle(centre, radius, fill_color, outline);
        painter.text(
            centre + Vec2::new(0.0, radius + 2.0),
            Align2::CENTER_TOP,
            &node.name,
            FontId::proportional(13.0),
            text_color,
        );
        let rect = egui::Rect::from_center_size(centre, Vec2::splat(radius * 2.0));
        let tooltip = fill(strings.corpus.node_tooltip, &[&node.name, &node.segments]);
        let node_response = ui
            .interact(
                rect,
                ui.scope_id().with(("network-node", index)),
                Sense::hover(),
            )
            .on_hover_text(tooltip);
        node_response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, node.name.clone()));
    }
}
