//! The M-GTA 結果図 for the paper: boxes (categories with a double frame, concepts with a
//! single one) where the researcher put them, and labelled arrows between their edges. One
//! layout feeds both outputs: SVG (text stays text) and PNG (drawn with tiny-skia, glyphs
//! rasterised from a Japanese system font by ab_glyph, at twice the size for print).

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use tiny_skia::{
    Color, FillRule, Paint, PathBuilder, Pixmap, PremultipliedColorU8, Stroke, Transform,
};

use super::{MethodReport, html_text};
use crate::export::write_file;
use crate::methods::mgta::DiagramView;
use crate::{Error, Result};

/// Font size of box names and arrow labels, in points.
pub const FONT_SIZE: f64 = 14.0;
/// Space around the drawing.
const MARGIN: f64 = 24.0;
/// How far two arrows between the same boxes (one each way) are drawn apart.
const PARALLEL_GAP: f64 = 7.0;
/// The PNG's pixels per point.
const PNG_SCALE: f32 = 2.0;

/// Fonts tried for the PNG, in order, after `$CASECODE_FONT` (a path, face 0).
const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/ipafont/ipag.ttf",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "C:\\Windows\\Fonts\\YuGothM.ttc",
    "C:\\Windows\\Fonts\\msgothic.ttc",
];

/// A box as drawn: top left, size, name.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub name: String,
    pub is_category: bool,
}

impl PlacedBox {
    fn center(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// Where the ray from the centre towards `(dx, dy)` leaves the box.
    fn edge_towards(&self, dx: f64, dy: f64) -> (f64, f64) {
        let (cx, cy) = self.center();
        let sx = if dx.abs() > f64::EPSILON {
            (self.width / 2.0) / dx.abs()
        } else {
            f64::INFINITY
        };
        let sy = if dy.abs() > f64::EPSILON {
            (self.height / 2.0) / dy.abs()
        } else {
            f64::INFINITY
        };
        let s = sx.min(sy);
        if s.is_finite() {
            (cx + dx * s, cy + dy * s)
        } else {
            (cx, cy)
        }
    }
}

/// An arrow as drawn: from one box's edge to the other's, label at the middle.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedArrow {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub label: String,
}

/// The whole drawing, in points.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagramLayout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<PlacedBox>,
    pub arrows: Vec<PlacedArrow>,
}

/// Width of text at [`FONT_SIZE`]: Japanese glyphs are square, Latin ones about half.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) < 0x1100 { 0.55 } else { 1.0 })
        .sum::<f64>()
        * FONT_SIZE
}

/// The size of a box for a name: the name plus padding, at least 96 points wide.
pub fn box_size(name: &str, is_category: bool) -> (f64, f64) {
    let padding = if is_category { 36.0 } else { 24.0 };
    let height = if is_category { 52.0 } else { 40.0 };
    ((text_width(name) + padding).max(96.0), height)
}

/// Lays the diagram out: boxes at their stored positions (the drawing is shifted so that none
/// is cut off), arrows between box edges, two opposite arrows between one pair drawn apart.
pub fn layout(view: &DiagramView) -> DiagramLayout {
    let mut boxes: Vec<PlacedBox> = view
        .nodes
        .iter()
        .map(|node| {
            let (width, height) = box_size(&node.name, node.is_category);
            PlacedBox {
                x: node.x,
                y: node.y,
                width,
                height,
                name: node.name.clone(),
                is_category: node.is_category,
            }
        })
        .collect();
    let min_x = boxes.iter().map(|b| b.x).fold(f64::INFINITY, f64::min);
    let min_y = boxes.iter().map(|b| b.y).fold(f64::INFINITY, f64::min);
    let (shift_x, shift_y) = if boxes.is_empty() {
        (0.0, 0.0)
    } else {
        (MARGIN - min_x.min(MARGIN), MARGIN - min_y.min(MARGIN))
    };
    for placed in &mut boxes {
        placed.x += shift_x;
        placed.y += shift_y;
    }
    let mut arrows = Vec::new();
    for edge in &view.edges {
        let (Some(from), Some(to)) = (boxes.get(edge.from), boxes.get(edge.to)) else {
            continue;
        };
        let ((fx, fy), (tx, ty)) = (from.center(), to.center());
        let (dx, dy) = (tx - fx, ty - fy);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let reverse_exists = view
            .edges
            .iter()
            .any(|other| other.from == edge.to && other.to == edge.from);
        let (nx, ny) = if reverse_exists {
            (-dy / length * PARALLEL_GAP, dx / length * PARALLEL_GAP)
        } else {
            (0.0, 0.0)
        };
        let start = from.edge_towards(dx, dy);
        let end = to.edge_towards(-dx, -dy);
        arrows.push(PlacedArrow {
            from: (start.0 + nx, start.1 + ny),
            to: (end.0 + nx, end.1 + ny),
            label: edge.label.clone(),
        });
    }
    let width = boxes.iter().map(|b| b.x + b.width).fold(0.0_f64, f64::max) + MARGIN;
    let height = boxes.iter().map(|b| b.y + b.height).fold(0.0_f64, f64::max) + MARGIN;
    DiagramLayout {
        width: width.max(2.0 * MARGIN),
        height: height.max(2.0 * MARGIN),
        boxes,
        arrows,
    }
}

fn label_position(arrow: &PlacedArrow) -> (f64, f64) {
    (
        (arrow.from.0 + arrow.to.0) / 2.0,
        (arrow.from.1 + arrow.to.1) / 2.0,
    )
}

/// The diagram as an SVG document.
pub fn diagram_svg(view: &DiagramView) -> String {
    let drawing = layout(view);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', 'IPAexGothic', sans-serif\" font-size=\"{FONT_SIZE}\">\n<title>結果図</title>\n<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        w = drawing.width,
        h = drawing.height
    );
    for placed in &drawing.boxes {
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\" fill=\"white\" stroke=\"#333\" stroke-width=\"{}\"/>\n",
            placed.x,
            placed.y,
            placed.width,
            placed.height,
            if placed.is_category { 2.5 } else { 1.2 }
        ));
        if placed.is_category {
            out.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n",
                placed.x + 4.0,
                placed.y + 4.0,
                placed.width - 8.0,
                placed.height - 8.0
            ));
        }
        let (cx, cy) = placed.center();
        out.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{cy:.1}\" text-anchor=\"middle\" dominant-baseline=\"central\"{}>{}</text>\n",
            if placed.is_category { " font-weight=\"bold\"" } else { "" },
            html_text(&placed.name)
        ));
    }
    for arrow in &drawing.arrows {
        out.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-width=\"1.5\" marker-end=\"url(#head)\"/>\n",
            arrow.from.0, arrow.from.1, arrow.to.0, arrow.to.1
        ));
        if !arrow.label.is_empty() {
            let (lx, ly) = label_position(arrow);
            let width = text_width(&arrow.label) + 8.0;
            out.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"white\" opacity=\"0.9\"/>\n<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" dominant-baseline=\"central\" font-size=\"{:.0}\">{}</text>\n",
                lx - width / 2.0,
                ly - FONT_SIZE * 0.7,
                FONT_SIZE * 1.4,
                FONT_SIZE,
                html_text(&arrow.label)
            ));
        }
    }
    out.push_str("</svg>\n");
    out
}

/// The first Japanese font found: `$CASECODE_FONT`, then the usual system paths.
pub fn find_font() -> Option<PathBuf> {
    std::env::var_os("CASECODE_FONT")
        .map(PathBuf::from)
        .into_iter()
        .chain(FONT_CANDIDATES.iter().map(PathBuf::from))
        .find(|path| path.is_file())
}

/// The diagram as PNG bytes, drawn with the font at `font_path` (face 0 of a collection).
pub fn diagram_png(view: &DiagramView, font_path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(font_path).map_err(|source| Error::Io {
        path: font_path.to_owned(),
        source,
    })?;
    let font = FontVec::try_from_vec_and_index(bytes, 0).map_err(|_| Error::BadInput {
        file: font_path.display().to_string(),
        message: "not a font file ab_glyph can read (TrueType or OpenType)".to_owned(),
    })?;
    let drawing = layout(view);
    let scale = PNG_SCALE;
    let too_big = || Error::Conflict("the 結果図 is too large to draw as PNG".to_owned());
    let mut pixmap = Pixmap::new(
        (drawing.width as f32 * scale).ceil() as u32,
        (drawing.height as f32 * scale).ceil() as u32,
    )
    .ok_or_else(too_big)?;
    pixmap.fill(Color::WHITE);
    let transform = Transform::from_scale(scale, scale);
    let mut ink = Paint::default();
    ink.set_color_rgba8(0x33, 0x33, 0x33, 0xFF);
    ink.anti_alias = true;
    let mut paper = Paint::default();
    paper.set_color_rgba8(0xFF, 0xFF, 0xFF, 0xFF);
    for placed in &drawing.boxes {
        let outer = rounded_rect(placed.x, placed.y, placed.width, placed.height, 6.0);
        if let Some(path) = &outer {
            pixmap.fill_path(path, &paper, FillRule::Winding, transform, None);
            let width = if placed.is_category { 2.5 } else { 1.2 };
            pixmap.stroke_path(path, &ink, &stroke(width), transform, None);
        }
        if placed.is_category
            && let Some(inner) = rounded_rect(
                placed.x + 4.0,
                placed.y + 4.0,
                placed.width - 8.0,
                placed.height - 8.0,
                4.0,
            )
        {
            pixmap.stroke_path(&inner, &ink, &stroke(1.0), transform, None);
        }
    }
    for arrow in &drawing.arrows {
        let (dx, dy) = (arrow.to.0 - arrow.from.0, arrow.to.1 - arrow.from.1);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / length, dy / length);
        let head = 9.0;
        let base = (arrow.to.0 - ux * head, arrow.to.1 - uy * head);
        let mut line = PathBuilder::new();
        line.move_to(arrow.from.0 as f32, arrow.from.1 as f32);
        line.line_to(base.0 as f32, base.1 as f32);
        if let Some(path) = line.finish() {
            pixmap.stroke_path(&path, &ink, &stroke(1.5), transform, None);
        }
        let mut triangle = PathBuilder::new();
        triangle.move_to(arrow.to.0 as f32, arrow.to.1 as f32);
        triangle.line_to((base.0 - uy * 4.5) as f32, (base.1 + ux * 4.5) as f32);
        triangle.line_to((base.0 + uy * 4.5) as f32, (base.1 - ux * 4.5) as f32);
        triangle.close();
        if let Some(path) = triangle.finish() {
            pixmap.fill_path(&path, &ink, FillRule::Winding, transform, None);
        }
    }
    for arrow in &drawing.arrows {
        if arrow.label.is_empty() {
            continue;
        }
        let (lx, ly) = label_position(arrow);
        let width = text_width(&arrow.label) + 8.0;
        if let Some(path) = rounded_rect(
            lx - width / 2.0,
            ly - FONT_SIZE * 0.7,
            width,
            FONT_SIZE * 1.4,
            2.0,
        ) {
            pixmap.fill_path(&path, &paper, FillRule::Winding, transform, None);
        }
        draw_text(&mut pixmap, &font, &arrow.label, (lx, ly), scale);
    }
    for placed in &drawing.boxes {
        draw_text(&mut pixmap, &font, &placed.name, placed.center(), scale);
    }
    encode_png(&pixmap)
        .map_err(|error| Error::Conflict(format!("cannot encode the 結果図 as PNG: {error}")))
}

/// The pixmap as an RGBA PNG. Every pixel is opaque (the page is filled white first), so the
/// premultiplied pixels are the plain ones.
fn encode_png(pixmap: &Pixmap) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixmap.data())?;
    writer.finish()?;
    Ok(bytes)
}

fn stroke(width: f32) -> Stroke {
    Stroke {
        width,
        ..Stroke::default()
    }
}

fn rounded_rect(x: f64, y: f64, width: f64, height: f64, radius: f64) -> Option<tiny_skia::Path> {
    let (x, y, w, h) = (x as f32, y as f32, width as f32, height as f32);
    let r = (radius as f32).min(w / 2.0).min(h / 2.0).max(0.0);
    let mut path = PathBuilder::new();
    path.move_to(x + r, y);
    path.line_to(x + w - r, y);
    path.quad_to(x + w, y, x + w, y + r);
    path.line_to(x + w, y + h - r);
    path.quad_to(x + w, y + h, x + w - r, y + h);
    path.line_to(x + r, y + h);
    path.quad_to(x, y + h, x, y + h - r);
    path.line_to(x, y + r);
    path.quad_to(x, y, x + r, y);
    path.close();
    path.finish()
}

/// Draws one line of text centred on `center` (points), in dark ink on the pixmap's white.
fn draw_text(pixmap: &mut Pixmap, font: &FontVec, text: &str, center: (f64, f64), scale: f32) {
    let size = FONT_SIZE as f32 * scale;
    let scaled = font.as_scaled(PxScale::from(size));
    let width: f32 = text
        .chars()
        .map(|c| scaled.h_advance(scaled.glyph_id(c)))
        .sum();
    let baseline = center.1 as f32 * scale + (scaled.ascent() + scaled.descent()) / 2.0;
    let mut x = center.0 as f32 * scale - width / 2.0;
    let (pixmap_width, pixmap_height) = (pixmap.width() as i64, pixmap.height() as i64);
    let pixels = pixmap.pixels_mut();
    for c in text.chars() {
        let glyph_id = scaled.glyph_id(c);
        let glyph = glyph_id.with_scale_and_position(size, point(x, baseline));
        x += scaled.h_advance(glyph_id);
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px < 0 || py < 0 || px >= pixmap_width || py >= pixmap_height {
                return;
            }
            let index = (py * pixmap_width + px) as usize;
            if let Some(pixel) = pixels.get_mut(index) {
                let keep = 1.0 - coverage.clamp(0.0, 1.0);
                let ink = 0x33 as f32 * coverage.clamp(0.0, 1.0);
                let blend = |channel: u8| (channel as f32 * keep + ink).round() as u8;
                if let Some(color) = PremultipliedColorU8::from_rgba(
                    blend(pixel.red()),
                    blend(pixel.green()),
                    blend(pixel.blue()),
                    0xFF,
                ) {
                    *pixel = color;
                }
            }
        });
    }
}

/// Writes the diagram as .svg or .png, by the file's extension; a PNG needs a Japanese font
/// ([`find_font`]), and its absence is an error that says how to provide one.
pub fn write_diagram(view: &DiagramView, path: &Path) -> Result<MethodReport> {
    let bytes = match super::extension_of(path, &["svg", "png"])?.as_str() {
        "svg" => diagram_svg(view).into_bytes(),
        _ => {
            let Some(font) = find_font() else {
                return Err(Error::BadInput {
                    file: path.display().to_string(),
                    message: "no Japanese font found to draw the PNG: install fonts-noto-cjk or set CASECODE_FONT to a .ttf/.otf/.ttc file".to_owned(),
                });
            };
            diagram_png(view, &font)?
        }
    };
    write_file(path, &bytes)?;
    Ok(MethodReport {
        bytes: bytes.len(),
        parts: vec![format!(
            "結果図: {} boxes, {} arrows",
            view.nodes.len(),
            view.edges.len()
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::mgta::{DiagramEdge, DiagramNode};
    use crate::model::CodeId;

    fn node(name: &str, x: f64, y: f64) -> DiagramNode {
        DiagramNode {
            code_id: CodeId(1),
            name: name.to_owned(),
            is_category: false,
            x,
            y,
        }
    }

    #[test]
    fn arrows_run_between_box_edges_and_opposite_arrows_are_drawn_apart() {
        let view = DiagramView {
            nodes: vec![node("休息", 0.0, 0.0), node("調整", 300.0, 0.0)],
            edges: vec![
                DiagramEdge {
                    arrow_id: 1,
                    from: 0,
                    to: 1,
                    label: "循環".to_owned(),
                },
                DiagramEdge {
                    arrow_id: 2,
                    from: 1,
                    to: 0,
                    label: "循環".to_owned(),
                },
            ],
        };
        let drawing = layout(&view);
        let [first, second] = drawing.arrows.as_slice() else {
            panic!("two arrows");
        };
        let left = &drawing.boxes[0];
        let right = &drawing.boxes[1];
        assert!(
            (first.from.0 - (left.x + left.width)).abs() < 0.01,
            "leaves the right edge"
        );
        assert!((first.to.0 - right.x).abs() < 0.01, "enters the left edge");
        assert!((first.from.1 - second.to.1).abs() > 10.0, "drawn apart");
        assert!(drawing.width >= right.x + right.width);
    }

    #[test]
    fn negative_positions_are_shifted_into_the_drawing() {
        let drawing = layout(&DiagramView {
            nodes: vec![node("左上", -100.0, -50.0)],
            edges: vec![],
        });
        assert!(drawing.boxes[0].x >= 0.0 && drawing.boxes[0].y >= 0.0);
    }
}
