//! What the word-frequency list and KWIC leave out: the project's stop words and its speaker
//! roles (which speaker labels are interviewers). Project data, changed by commands.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{Reader, Tx};
use crate::Result;

impl Reader<'_> {
    /// The project's stop words (base forms), sorted.
    pub fn stop_words(&self) -> Result<Vec<String>> {
        self.query(
            "SELECT word FROM stop_words ORDER BY word",
            params![],
            |row| row.get(0),
        )
    }

    /// The speaker labels the researcher has said are (`true`) or are not (`false`)
    /// interviewers; labels not listed follow the built-in guess.
    pub fn speaker_roles(&self) -> Result<BTreeMap<String, bool>> {
        Ok(self
            .query(
                "SELECT speaker, interviewer FROM speaker_roles ORDER BY speaker",
                params![],
                |row| Ok((row.get::<String>(0)?, row.get::<i64>(1)? != 0)),
            )?
            .into_iter()
            .collect())
    }

    /// Every speaker label with its number of utterances, sorted by label.
    pub fn speaker_counts(&self) -> Result<Vec<(String, usize)>> {
        self.query(
            "SELECT speaker, count(*) FROM utterances GROUP BY speaker ORDER BY speaker",
            params![],
            |row| Ok((row.get::<String>(0)?, row.get::<i64>(1)? as usize)),
        )
    }
}

impl Tx<'_> {
    /// Adds (`true`) or removes (`false`) stop words; returns whether each was there before.
    pub fn set_stop_words(&self, words: &[(String, bool)]) -> Result<Vec<(String, bool)>> {
        let mut previous = Vec::with_capacity(words.len());
        for (word, present) in words {
            let was: bool = self.transaction().query_row(
                "SELECT count(*) FROM stop_words WHERE word = ?1",
                params![word],
                |row| row.get::<i64>(0).map(|count| count > 0),
            )?;
            if *present {
                self.transaction().execute(
                    "INSERT OR IGNORE INTO stop_words (word) VALUES (?1)",
                    params![word],
                )?;
            } else {
                self.transaction()
                    .execute("DELETE FROM stop_words WHERE word = ?1", params![word])?;
            }
            previous.push((word.clone(), was));
        }
        Ok(previous)
    }

    /// Sets (or with `None` removes) speaker roles; returns each label's role before.
    pub fn set_speaker_roles(
        &self,
        roles: &[(String, Option<bool>)],
    ) -> Result<Vec<(String, Option<bool>)>> {
        let mut previous = Vec::with_capacity(roles.len());
        for (speaker, role) in roles {
            let was = self.read().speaker_roles()?.get(speaker).copied();
            self.transaction().execute(
                "DELETE FROM speaker_roles WHERE speaker = ?1",
                params![speaker],
            )?;
            if let Some(interviewer) = role {
                self.transaction().execute(
                    "INSERT INTO speaker_roles (speaker, interviewer) VALUES (?1, ?2)",
                    params![speaker, i64::from(*interviewer)],
                )?;
            }
            previous.push((speaker.clone(), was));
        }
        Ok(previous)
    }
}
