//! Which part of the data an analysis reads: some coders, some documents, the cases with
//! given attribute values. An empty filter reads everything.

use std::collections::{BTreeMap, BTreeSet};

use super::data::{AnalysisData, Segment};
use super::idhash::IdSet;
use crate::model::{AttributeId, CaseId, DocumentId};
use crate::{Error, Result};

/// A filter; every empty part admits everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only codings by these coders.
    pub coders: BTreeSet<String>,
    /// Only codings in these documents, and only the cases that own one of them.
    pub documents: BTreeSet<DocumentId>,
    /// Only cases whose value of each attribute is one of the given values (values of one
    /// attribute are alternatives; different attributes must all hold).
    pub attributes: BTreeMap<AttributeId, BTreeSet<String>>,
}

impl Filter {
    /// Resolves names as a user writes them: coder names, document names and conditions
    /// `ATTRIBUTE=VALUE`. Unknown names are refused with the known ones listed, so that a typo
    /// does not silently give an empty table.
    pub fn resolve(
        data: &AnalysisData,
        coders: &[String],
        documents: &[String],
        conditions: &[String],
    ) -> Result<Filter> {
        let mut filter = Filter::default();
        // Gathered only when asked for: a pass over every segment.
        let known_coders = if coders.is_empty() {
            BTreeSet::new()
        } else {
            data.coders()
        };
        for coder in coders.iter().map(|coder| coder.trim()) {
            // The consensus layer is a coder scope of its own.
            let coder = if coder == "consensus" {
                crate::model::CONSENSUS_CODER
            } else {
                coder
            };
            if !known_coders.contains(coder) {
                return Err(Error::bad_input(
                    format!("coder '{coder}'"),
                    format!(
                        "no codings by this coder (coders: {})",
                        join(known_coders.iter())
                    ),
                ));
            }
            filter.coders.insert(coder.to_owned());
        }
        for name in documents.iter().map(|name| name.trim()) {
            let Some(document) = data.document_named(name) else {
                return Err(Error::NoSuchDocument(name.to_owned()));
            };
            filter.documents.insert(document.id);
        }
        for condition in conditions {
            let Some((name, value)) = condition.split_once('=') else {
                return Err(Error::bad_input(
                    format!("condition '{condition}'"),
                    "write ATTRIBUTE=VALUE, e.g. 所属組織=市役所",
                ));
            };
            let Some(attribute) = data.attribute_named(name) else {
                let names = data.attributes().iter().map(|attribute| &attribute.name);
                return Err(Error::bad_input(
                    format!("condition '{condition}'"),
                    format!(
                        "no attribute '{}' (attributes: {})",
                        name.trim(),
                        join(names)
                    ),
                ));
            };
            let values = data.values_of(attribute);
            let value = value.trim();
            if !values.iter().any(|known| known == value) {
                return Err(Error::bad_input(
                    format!("condition '{condition}'"),
                    format!("no case has this value (values: {})", join(values.iter())),
                ));
            }
            filter
                .attributes
                .entry(attribute.id)
                .or_default()
                .insert(value.to_owned());
        }
        Ok(filter)
    }

    /// True when a segment's coder and document pass (its case is checked by [`Filter::cases`]).
    pub fn admits_segment(&self, segment: &Segment) -> bool {
        (self.coders.is_empty() || self.coders.contains(&segment.coder))
            && (self.documents.is_empty() || self.documents.contains(&segment.document_id))
    }

    /// The cases that pass, by name.
    pub fn cases(&self, data: &AnalysisData) -> Vec<CaseId> {
        let owners: BTreeSet<CaseId> = self
            .documents
            .iter()
            .filter_map(|document_id| data.document(*document_id))
            .map(|document| document.case_id)
            .collect();
        data.cases()
            .iter()
            .filter(|case| self.documents.is_empty() || owners.contains(&case.id))
            .filter(|case| {
                self.attributes.iter().all(|(attribute_id, values)| {
                    data.value(case.id, *attribute_id)
                        .is_some_and(|value| values.contains(value))
                })
            })
            .map(|case| case.id)
            .collect()
    }

    /// The segments that pass (coder, document and case), by coding id.
    pub fn segments<'d>(&self, data: &'d AnalysisData) -> Vec<&'d Segment> {
        let cases: IdSet<CaseId> = self.cases(data).into_iter().collect();
        data.segments()
            .filter(|segment| self.admits_segment(segment) && cases.contains(&segment.case_id))
            .collect()
    }

    /// The filter in words, for reports: `{"coders": [..], "documents": [..], "所属組織": [..]}`.
    pub fn describe(&self, data: &AnalysisData) -> BTreeMap<String, Vec<String>> {
        let mut described = BTreeMap::new();
        if !self.coders.is_empty() {
            described.insert("coders".to_owned(), self.coders.iter().cloned().collect());
        }
        if !self.documents.is_empty() {
            let mut names: Vec<String> = self
                .documents
                .iter()
                .filter_map(|document_id| data.document(*document_id))
                .map(|document| document.name.clone())
                .collect();
            names.sort();
            described.insert("documents".to_owned(), names);
        }
        for (attribute_id, values) in &self.attributes {
            let name = data
                .attributes()
                .iter()
                .find(|attribute| attribute.id == *attribute_id)
                .map_or_else(
                    || attribute_id.to_string(),
                    |attribute| attribute.name.clone(),
                );
            described.insert(name, values.iter().cloned().collect());
        }
        described
    }
}

fn join<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    items
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
