//! Commands on what the word-frequency list and KWIC leave out: stop words and speaker roles.

use std::collections::BTreeSet;

use super::Command;
use crate::store::Tx;
use crate::{Error, Result};

/// Adds stop words (trimmed; duplicates and words already listed are skipped). Refuses an
/// empty word and a list that adds nothing.
pub(super) fn add_stop_words(tx: &Tx<'_>, words: Vec<String>) -> Result<Command> {
    let known: BTreeSet<String> = tx.read().stop_words()?.into_iter().collect();
    let mut new = BTreeSet::new();
    for word in &words {
        let word = checked_word(word)?;
        if !known.contains(&word) {
            new.insert(word);
        }
    }
    if new.is_empty() {
        return Err(Error::Conflict(format!(
            "already stop words: {}",
            words.join(", ")
        )));
    }
    Command::SetStopWords(new.into_iter().map(|word| (word, true)).collect()).apply(tx)
}

/// Removes stop words; each must be listed.
pub(super) fn remove_stop_words(tx: &Tx<'_>, words: Vec<String>) -> Result<Command> {
    let known: BTreeSet<String> = tx.read().stop_words()?.into_iter().collect();
    let mut gone = BTreeSet::new();
    for word in &words {
        let word = word.trim();
        if !known.contains(word) {
            return Err(Error::Conflict(format!("'{word}' is not a stop word")));
        }
        gone.insert(word.to_owned());
    }
    if gone.is_empty() {
        return Err(Error::Conflict("no stop words to remove".to_owned()));
    }
    Command::SetStopWords(gone.into_iter().map(|word| (word, false)).collect()).apply(tx)
}

/// Applies the primitive and returns it with the previous states (in reverse order).
pub(super) fn set_stop_words(tx: &Tx<'_>, words: &[(String, bool)]) -> Result<Command> {
    let mut previous = tx.set_stop_words(words)?;
    previous.reverse();
    Ok(Command::SetStopWords(previous))
}

/// Sets speaker roles; the inverse is the same command with the previous roles.
pub(super) fn set_speaker_roles(tx: &Tx<'_>, roles: &[(String, Option<bool>)]) -> Result<Command> {
    let mut checked = Vec::with_capacity(roles.len());
    for (speaker, role) in roles {
        let speaker = speaker.trim();
        if speaker.is_empty() {
            return Err(Error::Conflict(
                "a speaker label cannot be empty".to_owned(),
            ));
        }
        checked.push((speaker.to_owned(), *role));
    }
    let mut previous = tx.set_speaker_roles(&checked)?;
    previous.reverse();
    Ok(Command::SetSpeakerRoles { roles: previous })
}

fn checked_word(word: &str) -> Result<String> {
    let word = word.trim();
    if word.is_empty() {
        return Err(Error::Conflict("a stop word cannot be empty".to_owned()));
    }
    if word.chars().any(char::is_whitespace) {
        return Err(Error::Conflict(format!(
            "stop word '{word}' contains a space: give one base form per word"
        )));
    }
    Ok(word.to_owned())
}
