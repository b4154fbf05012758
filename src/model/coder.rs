//! Coders: the people who code. A coder is a row of its own (name, GUID, colour) that
//! codings, summaries and journal lines refer to; the GUID is the coder's REFI-QDA `User`.

use serde::{Deserialize, Serialize};

use super::CoderId;

/// The name of the consensus layer: codings written by reconciliation carry this coder.
pub const CONSENSUS_CODER: &str = "合意";

/// Colours handed to coders in the order they first code: distinct on a white page and from
/// the code tints (they are drawn as stripes beside the text).
pub const CODER_PALETTE: &[&str] = &[
    "#1F77B4", "#D62728", "#2CA02C", "#9467BD", "#FF7F0E", "#8C564B", "#E377C2", "#17BECF",
];

/// casecode's namespace for name-based GUIDs of things that have no stored GUID yet. The same
/// value as the REFI-QDA exporter's, so that a coder created from a name gets the GUID that
/// earlier exports already wrote for that name.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x5a0c_43de_7c1b_4f0e_9d2a_c45e_c0de_0001);

/// A coder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Coder {
    pub id: CoderId,
    /// REFI-QDA `User` GUID; it stays when the coder is renamed.
    pub guid: String,
    pub name: String,
    /// `#RRGGBB`.
    pub color: Option<String>,
}

impl Coder {
    /// The GUID of a coder first met by name: name-based (UUID v5), so two projects whose
    /// coders started with the same name agree on it without talking to each other.
    pub fn derived_guid(name: &str) -> String {
        uuid::Uuid::new_v5(&NAMESPACE, format!("user:{name}").as_bytes()).to_string()
    }

    /// The palette colour of the `index`-th coder.
    pub fn palette_color(index: usize) -> String {
        CODER_PALETTE
            .get(index % CODER_PALETTE.len())
            .copied()
            .unwrap_or("#1F77B4")
            .to_owned()
    }

    /// True for the consensus layer's coder (合意).
    pub fn is_consensus(&self) -> bool {
        self.name == CONSENSUS_CODER
    }
}
