//! Reads for exports at a million codings that need one column of every coding, streamed
//! row by row from the store instead of reading every coding whole: the paper exports need
//! only the memos the researcher wrote (a few), not a million guids and creation times.

use std::collections::BTreeMap;

use rusqlite::params;

use super::Reader;
use crate::Result;
use crate::model::CodingId;

impl Reader<'_> {
    /// The memo of every coding that has one, by coding id.
    pub fn coding_memos(&self) -> Result<BTreeMap<CodingId, String>> {
        let mut memos = BTreeMap::new();
        self.connection().for_each(
            "SELECT id, memo FROM codings WHERE memo <> ''",
            params![],
            |row| {
                memos.insert(CodingId(row.get(0)?), row.get::<String>(1)?);
                Ok(())
            },
        )?;
        Ok(memos)
    }
}
