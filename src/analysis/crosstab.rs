//! The crosstab: codes (at any level, or roles) × the values of a case attribute (所属組織 …),
//! counting segments or cases, with the % of cases in each group, totals, and exploratory
//! statistics: χ² with df and p, adjusted standardized residuals, a warning for expected
//! counts below 5, and Fisher's exact test for 2×2 tables.
//!
//! Two tests are offered because they answer different questions:
//! - the **table test** runs on the table as counted (codes × groups). With segments it asks
//!   whether the mix of codes differs between groups, treating segments as independent, which
//!   they are not (one talkative case weighs more). With cases, one case appears in several
//!   rows, so the cells are not independent observations either.
//! - the **presence test** of each code runs on the 2 × k table "cases with the code / cases
//!   without it" by group: the proper question "do groups differ in how many cases mention
//!   this code?". With two groups it is 2×2 and Fisher's exact test is given.
//!
//! Both are exploratory: with ten cases no p-value here is evidence, only a pointer back to the
//! segments.

use super::axis::{CodeAxis, Column, Level, case_rows};
use super::data::AnalysisData;
use super::filter::Filter;
use super::idhash::{IdMap, IdSet};
use super::passages::{PassageSpan, passage_count};
use super::stats::{ChiSquare, chi_square};
use crate::model::{Attribute, CaseId};

/// What a crosstab cell counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Count {
    /// Codings (see the counting rules of [`analysis`](crate::analysis)).
    #[default]
    Segments,
    /// Distinct cases with at least one coding.
    Cases,
}

impl Count {
    /// `segments` or `cases`.
    pub fn as_str(self) -> &'static str {
        match self {
            Count::Segments => "segments",
            Count::Cases => "cases",
        }
    }
}

/// A column of the crosstab: one value of the attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The value; `None` for the cases without one.
    pub value: Option<String>,
    /// Number of cases in the group (after the filter).
    pub cases: usize,
}

/// A row of the crosstab: one code or role.
#[derive(Clone, Debug, PartialEq)]
pub struct CrosstabRow {
    pub column: Column,
    /// Segments per group.
    pub segments: Vec<usize>,
    /// Cases with at least one segment, per group.
    pub cases: Vec<usize>,
    /// The presence test: cases with / without the code by group.
    pub presence_test: Option<ChiSquare>,
}

impl CrosstabRow {
    /// The counts per group.
    pub fn counts(&self, count: Count) -> &[usize] {
        match count {
            Count::Segments => &self.segments,
            Count::Cases => &self.cases,
        }
    }

    /// The row total: all segments, or all cases with the code (each case is in one group).
    pub fn total(&self, count: Count) -> usize {
        self.counts(count).iter().sum()
    }

    /// The % of each group's cases that have the code (`None` for an empty group).
    pub fn percent_of_cases(&self, groups: &[Group]) -> Vec<Option<f64>> {
        groups
            .iter()
            .zip(&self.cases)
            .map(|(group, cases)| {
                (group.cases > 0).then(|| *cases as f64 * 100.0 / group.cases as f64)
            })
            .collect()
    }
}

/// The crosstab.
#[derive(Clone, Debug, PartialEq)]
pub struct Crosstab {
    pub attribute: Attribute,
    pub level: Level,
    pub count: Count,
    pub filter: Filter,
    /// Values in typed order; the group without a value last.
    pub groups: Vec<Group>,
    /// Codes or roles in axis order.
    pub rows: Vec<CrosstabRow>,
    /// The table test on the counts shown.
    pub test: Option<ChiSquare>,
}

impl Crosstab {
    /// Counts the filtered segments by code and group.
    pub fn build(
        data: &AnalysisData,
        level: Level,
        attribute: &Attribute,
        count: Count,
        filter: &Filter,
    ) -> Crosstab {
        let cases = case_rows(data, filter, Some(attribute.id));
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of: IdMap<CaseId, usize> = IdMap::default();
        for case in &cases {
            // Rows come grouped, so a new value opens the next group.
            if groups.last().is_none_or(|group| group.value != case.group) {
                groups.push(Group {
                    value: case.group.clone(),
                    cases: 0,
                });
            }
            if let Some(group) = groups.last_mut() {
                group.cases += 1;
            }
            group_of.insert(case.case_id, groups.len() - 1);
        }
        let axis = CodeAxis::new(data, level);
        let mut rows: Vec<CrosstabRow> = axis
            .columns
            .iter()
            .map(|column| CrosstabRow {
                column: column.clone(),
                segments: vec![0; groups.len()],
                cases: vec![0; groups.len()],
                presence_test: None,
            })
            .collect();
        let mut seen: IdSet<(usize, CaseId)> = IdSet::default();
        // Passages are counted per (column, group), by the one rule of `passages`.
        let mut spans: Vec<(usize, usize, PassageSpan)> = Vec::new();
        for segment in data.segments() {
            if !filter.admits_segment(segment) {
                continue;
            }
            let Some(group) = group_of.get(&segment.case_id).copied() else {
                continue;
            };
            for column in axis.columns_of(segment.code_id) {
                let Some(row) = rows.get_mut(*column) else {
                    continue;
                };
                spans.push((*column, group, PassageSpan::from(segment)));
                if seen.insert((*column, segment.case_id))
                    && let Some(slot) = row.cases.get_mut(group)
                {
                    *slot += 1;
                }
            }
        }
        spans.sort_unstable();
        for cell in spans.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let Some((column, group, _)) = cell.first() else {
                continue;
            };
            let passages: Vec<PassageSpan> = cell.iter().map(|(_, _, span)| *span).collect();
            if let Some(slot) = rows
                .get_mut(*column)
                .and_then(|row| row.segments.get_mut(*group))
            {
                *slot = passage_count(&passages);
            }
        }
        for row in &mut rows {
            let without: Vec<usize> = groups
                .iter()
                .zip(&row.cases)
                .map(|(group, with)| group.cases.saturating_sub(*with))
                .collect();
            row.presence_test = chi_square(&[row.cases.clone(), without]);
        }
        let table: Vec<Vec<usize>> = rows.iter().map(|row| row.counts(count).to_vec()).collect();
        Crosstab {
            attribute: attribute.clone(),
            level,
            count,
            filter: filter.clone(),
            test: chi_square(&table),
            groups,
            rows,
        }
    }

    /// Column totals of the counts shown. With cases, a case counts once per code it
    /// mentions (so the total is "case mentions", not cases: see [`Group::cases`]).
    pub fn column_totals(&self) -> Vec<usize> {
        (0..self.groups.len())
            .map(|group| {
                self.rows
                    .iter()
                    .filter_map(|row| row.counts(self.count).get(group))
                    .sum()
            })
            .collect()
    }

    /// The sum of every cell shown.
    pub fn grand_total(&self) -> usize {
        self.column_totals().iter().sum()
    }

    /// Number of cases in all groups.
    pub fn total_cases(&self) -> usize {
        self.groups.iter().map(|group| group.cases).sum()
    }
}
