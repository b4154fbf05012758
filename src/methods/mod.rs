//! Japanese analysis methods read as worksheets: SCAT ([`scat`], 大谷尚) and M-GTA ([`mgta`],
//! 木下康仁). These are read views over the store (texts sliced, citations such as `A-23`
//! resolved, codes named) for the CLI, the exports and the workbench; changes go through
//! [`crate::command::ScatCommand`] and [`crate::command::MgtaCommand`].

pub mod mgta;
pub mod scat;

use crate::model::{Case, DocumentInfo, Utterance};
use crate::text::speakers::utterance_at;

/// `A-23`: the case's name and the number of the utterance that holds `offset`, or `None`
/// before the document's first speaker turn.
pub(crate) fn citation(
    document: &DocumentInfo,
    cases: &[Case],
    utterances: &[Utterance],
    offset: usize,
) -> Option<String> {
    let turn = utterance_at(utterances, offset, |turn| turn.start)?;
    let case = cases
        .iter()
        .find(|case| case.id == document.case_id)
        .map_or(document.name.as_str(), |case| case.name.as_str());
    Some(format!("{case}-{}", turn.number))
}
