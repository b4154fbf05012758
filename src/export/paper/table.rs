//! A table as the writers read it: a [`Grid`] with its body rows either in it or made one at a
//! time while the table is written. The long tables (the セグメント一覧 has a row per coding;
//! the matrix cells hold every quote) make their rows as they are written, so that a million
//! codings never sit in memory as one table: the writers (xlsx, CSV, Markdown, HTML) ask for
//! the rows in order and write each as it comes.

use std::ops::Range;

use super::grid::{Grid, Value};
use crate::Result;

/// Body rows made on demand.
pub(super) trait Body {
    /// Number of body rows.
    fn len(&self) -> usize;

    /// Calls `row` with the body rows in `range` (counted from the first body row), in order.
    fn rows(&self, range: Range<usize>, row: &mut dyn FnMut(&[Value]) -> Result<()>) -> Result<()>;
}

/// A grid whose body is in it or made on demand.
pub struct Table<'a> {
    /// Name, header rows, merges (in the coordinates of the whole table), widths, fills and
    /// notes; the body rows too, unless `body` makes them.
    pub grid: Grid,
    /// `Sync`: the sheets of a workbook may be written on two threads.
    body: Option<Box<dyn Body + Sync + 'a>>,
}

impl<'a> Table<'a> {
    /// A table whose rows are all in the grid.
    pub fn whole(grid: Grid) -> Table<'a> {
        Table { grid, body: None }
    }

    /// A table of the grid's header rows and `body`'s rows. The body's rows are no wider than
    /// the header rows.
    pub(super) fn streamed(mut grid: Grid, body: Box<dyn Body + Sync + 'a>) -> Table<'a> {
        grid.rows.truncate(grid.header_rows);
        Table {
            grid,
            body: Some(body),
        }
    }

    /// True when the body rows are made while the table is written.
    pub(super) fn is_streamed(&self) -> bool {
        self.body.is_some()
    }

    /// The sheet name and heading.
    pub fn name(&self) -> &str {
        &self.grid.name
    }

    /// Number of header rows.
    pub fn header_rows(&self) -> usize {
        self.grid.header_rows.min(self.grid.rows.len())
    }

    /// Number of rows, header rows included.
    pub fn rows(&self) -> usize {
        match &self.body {
            Some(body) => self.header_rows() + body.len(),
            None => self.grid.rows.len(),
        }
    }

    /// Number of columns (the widest row; a streamed body is as wide as its header).
    pub fn columns(&self) -> usize {
        self.grid.columns()
    }

    /// Calls `row` with each row in `range` (table row numbers, at or after the header rows)
    /// and its number, in order.
    pub fn each_row(
        &self,
        range: Range<usize>,
        row: &mut dyn FnMut(usize, &[Value]) -> Result<()>,
    ) -> Result<()> {
        let header = self.header_rows();
        let start = range.start.max(header);
        let end = range.end.min(self.rows()).max(start);
        match &self.body {
            Some(body) => {
                let mut number = start;
                body.rows(start - header..end - header, &mut |values| {
                    let result = row(number, values);
                    number += 1;
                    result
                })
            }
            None => {
                for number in start..end {
                    if let Some(values) = self.grid.rows.get(number) {
                        row(number, values)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// The whole table as one grid, every row in memory (for small tables and tests).
    pub fn into_grid(self) -> Result<Grid> {
        let Some(body) = self.body else {
            return Ok(self.grid);
        };
        let mut grid = self.grid;
        let mut rows = Vec::with_capacity(body.len());
        body.rows(0..body.len(), &mut |values| {
            rows.push(values.to_vec());
            Ok(())
        })?;
        grid.rows.extend(rows);
        Ok(grid)
    }
}
