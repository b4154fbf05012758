//! Bringing a long-lived [`SearchIndex`] up to date after the project changed, document by
//! document: a revision (保存 in the editor, 取り込む, a replace, or their undo) changes the
//! stored hash of the documents it touched, and only those are read and folded again; the
//! others keep their text and search copy and only take the new names and case names.

use std::collections::BTreeMap;

use super::{IndexedDocument, SearchIndex, case_names};
use crate::Result;
use crate::model::{DocumentId, DocumentInfo, Utterance};
use crate::project::Project;
use crate::text::CharIndex;
use crate::text::fold::FoldedText;

/// A document to read again: where it goes in the list, and what was read.
type Stale = (usize, DocumentInfo, String, Vec<Utterance>, Option<String>);

impl SearchIndex {
    /// Brings the index up to the project as stored: documents whose stored text hash changed
    /// (or that are new) are read and folded again, removed ones leave, the rest are kept.
    /// Returns how many documents were read again.
    pub fn refresh(&mut self, project: &Project) -> Result<usize> {
        let reader = project.read();
        // Folded search copies are kept up if the index has them (built for substring search).
        let substring = self.documents.iter().all(|d| d.folded.is_some());
        let mut kept: BTreeMap<DocumentId, IndexedDocument> = std::mem::take(&mut self.documents)
            .into_iter()
            .map(|document| (document.info.id, document))
            .collect();
        let mut slots: Vec<Option<IndexedDocument>> = Vec::new();
        let mut stale: Vec<Stale> = Vec::new();
        for info in reader.document_infos()? {
            let hash = reader.document_hash(info.id)?;
            match kept.remove(&info.id) {
                Some(mut document) if document.hash.is_some() && document.hash == hash => {
                    document.info = info;
                    slots.push(Some(document));
                }
                _ => {
                    let text = reader.document_text(info.id)?.unwrap_or_default();
                    let utterances = reader.utterances(info.id)?;
                    stale.push((slots.len(), info, text, utterances, hash));
                    slots.push(None);
                }
            }
        }
        let read_again = stale.len();
        use rayon::prelude::*;
        let fresh: Vec<(usize, IndexedDocument)> = stale
            .into_par_iter()
            .map(|(slot, info, text, utterances, hash)| {
                let document = IndexedDocument {
                    folded: substring.then(|| FoldedText::new(&text)),
                    text: CharIndex::new(text),
                    info,
                    utterances,
                    hash,
                };
                (slot, document)
            })
            .collect();
        for (slot, document) in fresh {
            if let Some(place) = slots.get_mut(slot) {
                *place = Some(document);
            }
        }
        self.documents = slots.into_iter().flatten().collect();
        self.cases = case_names(project)?;
        Ok(read_again)
    }
}
