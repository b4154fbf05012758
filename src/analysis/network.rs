//! The co-occurrence network (KH Coder's 共起ネットワーク, for codes): codes as nodes sized by
//! their number of segments, joined by an edge where their Jaccard index reaches a threshold.
//! The layout is a deterministic force-directed one (Fruchterman–Reingold from a circle), so
//! the same data always gives the same picture; positions are in the unit square. The GUI
//! paints it; [`Network::svg`] writes it for a paper.

use std::fmt::Write as _;

use super::cooccurrence::Cooccurrence;
use super::frequency::Frequencies;

/// Which edges to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkOptions {
    /// The smallest Jaccard index drawn (0 … 1).
    pub min_jaccard: f64,
    /// Keep at most this many edges, strongest first (0: all).
    pub max_edges: usize,
}

impl Default for NetworkOptions {
    fn default() -> NetworkOptions {
        NetworkOptions {
            min_jaccard: 0.1,
            max_edges: 60,
        }
    }
}

/// A code (a column of the co-occurrence table) in the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Index into [`Cooccurrence::columns`].
    pub column: usize,
    pub name: String,
    /// Codings that count in the column (node size).
    pub segments: usize,
    /// Position in the unit square.
    pub x: f64,
    pub y: f64,
}

/// An edge between two nodes (indices into [`Network::nodes`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub jaccard: f64,
    pub count: usize,
}

/// The network.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Network {
    /// The codes with at least one edge, in column order.
    pub nodes: Vec<Node>,
    /// Strongest first.
    pub edges: Vec<Edge>,
    /// Pairs at or above the threshold left out by `max_edges`.
    pub left_out: usize,
}

impl Network {
    /// Builds and lays out the network of a co-occurrence table; `frequencies` must be of
    /// the same level and filter (it gives the node sizes).
    pub fn build(
        table: &Cooccurrence,
        frequencies: &Frequencies,
        options: NetworkOptions,
    ) -> Network {
        let mut pairs: Vec<_> = table
            .pairs
            .iter()
            .filter(|pair| pair.jaccard >= options.min_jaccard && pair.jaccard > 0.0)
            .collect();
        pairs.sort_by(|a, b| {
            b.jaccard
                .total_cmp(&a.jaccard)
                .then_with(|| (a.first, a.second).cmp(&(b.first, b.second)))
        });
        let mut left_out = 0;
        if options.max_edges > 0 && pairs.len() > options.max_edges {
            left_out = pairs.len() - options.max_edges;
            pairs.truncate(options.max_edges);
        }
        let mut columns: Vec<usize> = pairs
            .iter()
            .flat_map(|pair| [pair.first, pair.second])
            .collect();
        columns.sort_unstable();
        columns.dedup();
        let node_of = |column: usize| columns.binary_search(&column).ok();
        let edges: Vec<Edge> = pairs
            .iter()
            .filter_map(|pair| {
                Some(Edge {
                    from: node_of(pair.first)?,
                    to: node_of(pair.second)?,
                    jaccard: pair.jaccard,
                    count: pair.count,
                })
            })
            .collect();
        let positions = layout(columns.len(), &edges);
        let nodes = columns
            .iter()
            .zip(positions)
            .map(|(&column, (x, y))| Node {
                column,
                name: table
                    .columns
                    .get(column)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                segments: frequencies.rows.get(column).map_or(0, |row| row.segments),
                x,
                y,
            })
            .collect();
        Network {
            nodes,
            edges,
            left_out,
        }
    }

    /// The largest node's segments (at least 1), for scaling node sizes.
    pub fn max_segments(&self) -> usize {
        self.nodes
            .iter()
            .map(|node| node.segments)
            .max()
            .unwrap_or(1)
            .max(1)
    }

    /// A node's radius between `smallest` and `largest`, by the square root of its segments
    /// (so that the area, not the radius, follows the count).
    pub fn radius(&self, node: &Node, smallest: f64, largest: f64) -> f64 {
        let share = (node.segments as f64 / self.max_segments() as f64).sqrt();
        smallest + (largest - smallest) * share
    }

    /// The network as an SVG picture `width` × `height` pixels: grey edges as thick as their
    /// Jaccard index, labelled circles sized by segments.
    pub fn svg(&self, width: f64, height: f64) -> String {
        let margin = 60.0;
        let at = |node: &Node| {
            (
                margin + node.x * (width - 2.0 * margin),
                margin + node.y * (height - 2.0 * margin),
            )
        };
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        );
        for edge in &self.edges {
            if let (Some(a), Some(b)) = (self.nodes.get(edge.from), self.nodes.get(edge.to)) {
                let ((x1, y1), (x2, y2)) = (at(a), at(b));
                let _ = writeln!(
                    out,
                    "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#888\" stroke-width=\"{:.1}\"><title>{:.3}</title></line>",
                    1.0 + 8.0 * edge.jaccard,
                    edge.jaccard
                );
            }
        }
        for node in &self.nodes {
            let (x, y) = at(node);
            let radius = self.radius(node, 6.0, 28.0);
            let _ = writeln!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{radius:.1}\" fill=\"#9ecae1\" stroke=\"#3182bd\"><title>{} ({})</title></circle>\n<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
                escape(&node.name),
                node.segments,
                y + radius + 13.0,
                escape(&node.name)
            );
        }
        out.push_str("</svg>\n");
        out
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How strongly an edge pulls its ends together, relative to textbook Fruchterman–Reingold.
/// Weaker than 1 so that linked codes keep a readable distance (their circles and names do not
/// cover each other).
const ATTRACTION: f64 = 0.3;

/// The pull towards the centre. Strong enough that unlinked groups stay near each other: with a
/// weak pull they drift to the corners and, once the picture is scaled to fit, every edge is
/// short. Measured on a 9-node, 4-group network and a 40-node, 60-edge one, the shortest edge
/// grew from 7 % to 29 % and from 2 % to 10 % of the picture's width.
const GRAVITY: f64 = 1.0;

/// Fruchterman–Reingold in the unit square, starting from a circle, with a pull to the centre
/// that keeps separate groups together. Deterministic: no randomness.
fn layout(count: usize, edges: &[Edge]) -> Vec<(f64, f64)> {
    if count == 0 {
        return Vec::new();
    }
    if count == 1 {
        return vec![(0.5, 0.5)];
    }
    let mut positions: Vec<(f64, f64)> = (0..count)
        .map(|index| {
            let angle = std::f64::consts::TAU * index as f64 / count as f64;
            (0.5 + 0.4 * angle.cos(), 0.5 + 0.4 * angle.sin())
        })
        .collect();
    let ideal = (1.0 / count as f64).sqrt();
    let iterations = 300;
    for step in 0..iterations {
        let temperature = 0.1 * (1.0 - step as f64 / iterations as f64) + 0.001;
        let mut moves = vec![(0.0f64, 0.0f64); count];
        for i in 0..count {
            for j in (i + 1)..count {
                let (dx, dy, distance) = delta(&positions, i, j);
                let force = ideal * ideal / distance;
                let (fx, fy) = (dx / distance * force, dy / distance * force);
                add(&mut moves, i, fx, fy);
                add(&mut moves, j, -fx, -fy);
            }
        }
        for edge in edges {
            let (dx, dy, distance) = delta(&positions, edge.from, edge.to);
            let force = distance * distance / ideal * ATTRACTION * (0.5 + edge.jaccard);
            let (fx, fy) = (dx / distance * force, dy / distance * force);
            add(&mut moves, edge.from, -fx, -fy);
            add(&mut moves, edge.to, fx, fy);
        }
        for (position, (mx, my)) in positions.iter_mut().zip(&moves) {
            let mx = mx + (0.5 - position.0) * GRAVITY;
            let my = my + (0.5 - position.1) * GRAVITY;
            let length = (mx * mx + my * my).sqrt().max(1e-9);
            let step = length.min(temperature);
            position.0 += mx / length * step;
            position.1 += my / length * step;
        }
    }
    normalise(&mut positions);
    positions
}

/// The vector from node `j` to node `i` and its length (never zero).
fn delta(positions: &[(f64, f64)], i: usize, j: usize) -> (f64, f64, f64) {
    let (a, b) = (positions.get(i), positions.get(j));
    let (Some(a), Some(b)) = (a, b) else {
        return (0.0, 0.0, 1.0);
    };
    let (mut dx, mut dy) = (a.0 - b.0, a.1 - b.1);
    if dx == 0.0 && dy == 0.0 {
        // Two nodes on one spot: push them apart along a fixed, index-dependent direction.
        dx = 1e-3 * (1.0 + i as f64);
        dy = 1e-3 * (1.0 + j as f64);
    }
    let distance = (dx * dx + dy * dy).sqrt().max(1e-6);
    (dx, dy, distance)
}

fn add(moves: &mut [(f64, f64)], index: usize, fx: f64, fy: f64) {
    if let Some(slot) = moves.get_mut(index) {
        slot.0 += fx;
        slot.1 += fy;
    }
}

/// Scales the positions to fill the unit square (keeping the aspect ratio).
fn normalise(positions: &mut [(f64, f64)]) {
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in positions.iter() {
        min_x = min_x.min(*x);
        min_y = min_y.min(*y);
        max_x = max_x.max(*x);
        max_y = max_y.max(*y);
    }
    let span = (max_x - min_x).max(max_y - min_y).max(1e-9);
    let (offset_x, offset_y) = (
        (1.0 - (max_x - min_x) / span) / 2.0,
        (1.0 - (max_y - min_y) / span) / 2.0,
    );
    for (x, y) in positions.iter_mut() {
        *x = (*x - min_x) / span + offset_x;
        *y = (*y - min_y) / span + offset_y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize, jaccard: f64) -> Edge {
        Edge {
            from,
            to,
            jaccard,
            count: 1,
        }
    }

    #[test]
    fn linked_nodes_end_closer_than_unlinked_ones_and_the_layout_repeats() {
        // 0–1–2 in a chain, 3–4 a pair apart.
        let edges = [edge(0, 1, 0.8), edge(1, 2, 0.8), edge(3, 4, 0.5)];
        let positions = layout(5, &edges);
        assert_eq!(positions, layout(5, &edges), "deterministic");
        let distance = |a: usize, b: usize| {
            let (p, q) = (positions[a], positions[b]);
            ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
        };
        assert!(distance(0, 1) < distance(0, 3), "{positions:?}");
        assert!(distance(3, 4) < distance(0, 4), "{positions:?}");
        for (x, y) in &positions {
            assert!((0.0..=1.0).contains(x) && (0.0..=1.0).contains(y));
        }
    }
}
