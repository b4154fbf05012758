//! The token index: lexemes and per-document token blobs (derived data, outside undo), and the
//! project's user dictionary terms.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{Reader, Tx};
use crate::Result;
use crate::model::{DocumentId, Lexeme, TokenSpan, UserTerm};

impl Reader<'_> {
    /// Every lexeme, by id.
    pub fn lexemes(&self) -> Result<Vec<Lexeme>> {
        self.query(
            "SELECT id, surface, base_form, pos1, pos2, pos3, pos4, reading FROM lexemes ORDER BY id",
            params![],
            |row| {
                Ok(Lexeme {
                    id: row.get(0)?,
                    surface: row.get(1)?,
                    base_form: row.get(2)?,
                    pos: [row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?],
                    reading: row.get(7)?,
                })
            },
        )
    }

    /// The dictionary key each indexed document was tokenized with.
    pub fn token_index_keys(&self) -> Result<BTreeMap<DocumentId, String>> {
        Ok(self
            .query(
                "SELECT document_id, dictionary_key FROM token_index ORDER BY document_id",
                params![],
                |row| Ok((DocumentId(row.get(0)?), row.get::<String>(1)?)),
            )?
            .into_iter()
            .collect())
    }

    /// The tokens of one document, if it is indexed.
    pub fn tokens(&self, document_id: DocumentId) -> Result<Option<Vec<TokenSpan>>> {
        let blob: Option<Vec<u8>> = self.connection().query_opt(
            "SELECT tokens FROM token_index WHERE document_id = ?1",
            params![document_id.0],
            |row| row.get(0),
        )?;
        Ok(blob.map(|blob| decode_tokens(&blob)))
    }

    /// The project's user dictionary, by surface.
    pub fn user_terms(&self) -> Result<Vec<UserTerm>> {
        self.query(
            "SELECT surface, part_of_speech, reading FROM user_terms ORDER BY surface",
            params![],
            |row| {
                Ok(UserTerm {
                    surface: row.get(0)?,
                    part_of_speech: row.get(1)?,
                    reading: row.get(2)?,
                })
            },
        )
    }
}

impl Tx<'_> {
    /// Adds a lexeme the caller knows is not stored yet (it read [`Reader::lexemes`] in this
    /// transaction); returns its id. One cached statement, no lookup: the bulk path of the
    /// index build.
    pub fn insert_lexeme(&self, lexeme: &LexemeFields<'_>) -> Result<i64> {
        let transaction = self.transaction();
        let statement = "INSERT INTO lexemes (surface, base_form, pos1, pos2, pos3, pos4, reading)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
        let [pos1, pos2, pos3, pos4] = lexeme.pos;
        transaction.one(
            statement,
            params![
                lexeme.surface,
                lexeme.base_form,
                pos1,
                pos2,
                pos3,
                pos4,
                lexeme.reading
            ],
        )
    }

    /// Replaces the token index of one document with an encoded [`TokenBlob`].
    pub fn write_token_blob(
        &self,
        document_id: DocumentId,
        dictionary_key: &str,
        blob: &TokenBlob,
    ) -> Result<()> {
        let statement = "INSERT INTO token_index (document_id, dictionary_key, token_count, tokens)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (document_id) DO UPDATE SET dictionary_key = excluded.dictionary_key,
                 token_count = excluded.token_count, tokens = excluded.tokens";
        self.transaction().execute(
            statement,
            params![document_id.0, dictionary_key, blob.count as i64, blob.bytes],
        )?;
        Ok(())
    }

    /// Marks a document's index as made with `dictionary_key` without re-tokenizing (used when
    /// a dictionary change cannot affect it).
    pub fn rekey_tokens(&self, document_id: DocumentId, dictionary_key: &str) -> Result<()> {
        self.transaction().execute(
            "UPDATE token_index SET dictionary_key = ?2 WHERE document_id = ?1",
            params![document_id.0, dictionary_key],
        )?;
        Ok(())
    }

    /// Adds or replaces user dictionary terms; returns what each surface had before.
    pub fn set_user_terms(
        &self,
        terms: &[(String, Option<UserTerm>)],
    ) -> Result<Vec<(String, Option<UserTerm>)>> {
        let mut previous = Vec::with_capacity(terms.len());
        for (surface, term) in terms {
            let old = self
                .read()
                .user_terms()?
                .into_iter()
                .find(|existing| &existing.surface == surface);
            self.transaction().execute(
                "DELETE FROM user_terms WHERE surface = ?1",
                params![surface],
            )?;
            if let Some(term) = term {
                self.transaction().execute(
                    "INSERT INTO user_terms (surface, part_of_speech, reading) VALUES (?1, ?2, ?3)",
                    params![term.surface, term.part_of_speech, term.reading],
                )?;
            }
            previous.push((surface.clone(), old));
        }
        Ok(previous)
    }
}

/// The fields of a lexeme, borrowed (what [`Tx::insert_lexeme`] stores).
#[derive(Clone, Copy, Debug)]
pub struct LexemeFields<'a> {
    pub surface: &'a str,
    pub base_form: &'a str,
    pub pos: [&'a str; 4],
    pub reading: &'a str,
}

/// A document's tokens being encoded, one at a time, into the stored blob: LEB128 varints of
/// the gap from the previous token's end, the length, and the lexeme id.
#[derive(Clone, Debug, Default)]
pub struct TokenBlob {
    bytes: Vec<u8>,
    previous_end: usize,
    count: usize,
}

impl TokenBlob {
    /// An empty blob with room for about `tokens` tokens.
    pub fn with_capacity(tokens: usize) -> TokenBlob {
        TokenBlob {
            bytes: Vec::with_capacity(tokens * 4),
            ..TokenBlob::default()
        }
    }

    /// Appends one token; tokens come in order and do not overlap.
    pub fn push(&mut self, start: usize, end: usize, lexeme_id: i64) {
        push_varint(
            &mut self.bytes,
            start.saturating_sub(self.previous_end) as u64,
        );
        push_varint(&mut self.bytes, end.saturating_sub(start) as u64);
        push_varint(&mut self.bytes, lexeme_id.max(0) as u64);
        self.previous_end = end;
        self.count += 1;
    }

    /// How many tokens it holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether it holds no token.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Tokens as LEB128 varints: gap from the previous token's end, length, lexeme id.
#[cfg(test)]
fn encode_tokens(tokens: &[TokenSpan]) -> Vec<u8> {
    let mut blob = TokenBlob::with_capacity(tokens.len());
    for token in tokens {
        blob.push(token.start, token.end, token.lexeme_id);
    }
    blob.bytes
}

fn decode_tokens(blob: &[u8]) -> Vec<TokenSpan> {
    let mut tokens = Vec::with_capacity(blob.len() / 4);
    let mut position = 0usize;
    let mut previous_end = 0usize;
    while position < blob.len() {
        let (Some(gap), Some(length), Some(lexeme)) = (
            read_varint(blob, &mut position),
            read_varint(blob, &mut position),
            read_varint(blob, &mut position),
        ) else {
            break;
        };
        let start = previous_end + gap as usize;
        let end = start + length as usize;
        tokens.push(TokenSpan {
            start,
            end,
            lexeme_id: lexeme as i64,
        });
        previous_end = end;
    }
    tokens
}

fn push_varint(blob: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            blob.push(byte);
            return;
        }
        blob.push(byte | 0x80);
    }
}

fn read_varint(blob: &[u8], position: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *blob.get(*position)?;
        *position += 1;
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_blobs_round_trip() {
        let tokens = vec![
            TokenSpan {
                start: 0,
                end: 2,
                lexeme_id: 1,
            },
            TokenSpan {
                start: 3,
                end: 300,
                lexeme_id: 70_000,
            },
            TokenSpan {
                start: 300,
                end: 301,
                lexeme_id: 0,
            },
        ];
        assert_eq!(decode_tokens(&encode_tokens(&tokens)), tokens);
    }
}
