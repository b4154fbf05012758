//! Who made what, and when: the `creatingUser`/`creationDateTime` (and `modifying…`) that a
//! REFI-QDA export writes on every element whose schema type carries them.
//!
//! casecode stores times on some rows (a coding's `created_at`, a document's `imported_at`, a
//! summary's `updated_at`, the project's `created_at`) and records every command in the journal
//! with its coder and time. Times of memos (a code's, a document's, a coding's) and of exemplar
//! flags are read back from the journal: each line's detail is the command it applied, so a
//! `SetMemo` on code 12 at 10:02 by 山田 says who wrote that memo when.
//!
//! Where nothing was stored (a memo that came in with a REFI-QDA import, a project without a
//! journal), the fallback is the project's latest recorded change (the last journal line, else
//! its creation): an upper bound like the export time, but one that keeps two exports of the
//! same project byte-identical. Only a project with neither falls back to the clock.

use std::collections::BTreeMap;

use crate::Result;
use crate::command::Command;
use crate::model::{CodingId, MemoTarget};
use crate::store::{JournalEntry, Reader};

/// A user and a time (`YYYY-MM-DDTHH:MM:SSZ`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub user: String,
    pub at: String,
}

/// The first and the latest change of something.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub created: Stamp,
    pub modified: Stamp,
}

impl History {
    fn record(slot: &mut Option<History>, stamp: &Stamp) {
        match slot {
            Some(history) => history.modified = stamp.clone(),
            None => {
                *slot = Some(History {
                    created: stamp.clone(),
                    modified: stamp.clone(),
                });
            }
        }
    }
}

/// What the journal and the project metadata say about who did what when.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// Every journal line as (time, coder), oldest first.
    lines: Vec<Stamp>,
    /// `project_meta.created_at`.
    created_at: Option<String>,
    /// Memo changes per owner.
    memos: BTreeMap<MemoTarget, History>,
    /// Changes of exemplar flags (代表的語り), any coding.
    exemplars: Option<History>,
    /// Whom to name when the journal names nobody: the exporting coder.
    exporter: String,
}

impl Provenance {
    /// Reads the journal and the project's creation time.
    pub fn read(reader: &Reader<'_>, exporter: &str) -> Result<Provenance> {
        let mut provenance = Provenance::from_journal(&reader.journal()?, exporter);
        provenance.created_at = reader.meta("created_at")?.filter(|at| is_date_time(at));
        Ok(provenance)
    }

    /// The provenance told by these journal lines alone.
    pub fn from_journal(journal: &[JournalEntry], exporter: &str) -> Provenance {
        let mut provenance = Provenance {
            exporter: exporter.to_owned(),
            ..Provenance::default()
        };
        for entry in journal.iter().filter(|entry| is_date_time(&entry.at)) {
            let stamp = Stamp {
                user: entry.coder.clone(),
                at: entry.at.clone(),
            };
            // Details of large commands are summaries, not commands: they carry no memo.
            if let Ok(command) = serde_json::from_str::<Command>(&entry.detail) {
                provenance.note_command(&command, &stamp);
            }
            provenance.lines.push(stamp);
        }
        provenance
    }

    fn note_command(&mut self, command: &Command, stamp: &Stamp) {
        match command {
            Command::SetMemo { target, .. } => self.note_memo(*target, stamp),
            Command::SetMemos(list) => {
                for (target, _) in list {
                    self.note_memo(*target, stamp);
                }
            }
            Command::SetCodingMemo { coding_id, .. } => {
                self.note_memo(MemoTarget::Coding(*coding_id), stamp);
            }
            Command::SetCodingMemos(list) => {
                for (coding_id, _) in list {
                    self.note_memo(MemoTarget::Coding(*coding_id), stamp);
                }
            }
            Command::EditCode {
                code_id,
                memo: Some(_),
                ..
            } => self.note_memo(MemoTarget::Code(*code_id), stamp),
            Command::SetExemplar { .. } | Command::SetExemplars(_) => {
                History::record(&mut self.exemplars, stamp);
            }
            Command::Batch(commands) => commands
                .iter()
                .for_each(|command| self.note_command(command, stamp)),
            _ => {}
        }
    }

    fn note_memo(&mut self, target: MemoTarget, stamp: &Stamp) {
        self.memos
            .entry(target)
            .and_modify(|history| history.modified = stamp.clone())
            .or_insert_with(|| History {
                created: stamp.clone(),
                modified: stamp.clone(),
            });
    }

    /// The project's creation: its stored time, by whoever ran the first command.
    pub fn project_created(&self) -> Stamp {
        let user = self.lines.first().map(|line| line.user.clone());
        match (&self.created_at, self.lines.first()) {
            (Some(at), _) => Stamp {
                user: user.unwrap_or_else(|| self.exporter.clone()),
                at: at.clone(),
            },
            (None, Some(first)) => first.clone(),
            (None, None) => self.fallback(),
        }
    }

    /// The project's latest recorded change (the fallback for anything without a time).
    pub fn fallback(&self) -> Stamp {
        if let Some(last) = self.lines.last() {
            return last.clone();
        }
        Stamp {
            user: self.exporter.clone(),
            at: self.created_at.clone().unwrap_or_else(now),
        }
    }

    /// Whoever ran the command recorded at `at` (a row's stored time is its command's journal
    /// time), else the project's creator.
    pub fn user_at(&self, at: &str) -> String {
        self.lines
            .iter()
            .find(|line| line.at == at)
            .map_or_else(|| self.project_created().user, |line| line.user.clone())
    }

    /// A stored time with the user who ran its command; the fallback when it is no `dateTime`.
    pub fn stamp_at(&self, at: &str) -> Stamp {
        if is_date_time(at) {
            Stamp {
                user: self.user_at(at),
                at: at.to_owned(),
            }
        } else {
            self.fallback()
        }
    }

    /// A stored time as written: the time of [`Provenance::stamp_at`] without looking up its
    /// user (a coding names its own coder).
    pub fn time_at(&self, at: &str) -> String {
        if is_date_time(at) {
            at.to_owned()
        } else {
            self.fallback().at
        }
    }

    /// When a memo was first and last written, when the journal knows.
    pub fn memo(&self, target: MemoTarget) -> Option<&History> {
        self.memos.get(&target)
    }

    /// When a coding's memo was first and last written; else the coding's own creation.
    pub fn coding_memo(&self, coding_id: CodingId, created: Stamp) -> History {
        self.memo(MemoTarget::Coding(coding_id))
            .cloned()
            .unwrap_or(History {
                created: created.clone(),
                modified: created,
            })
    }

    /// When exemplar flags were first and last set.
    pub fn exemplars(&self) -> Option<&History> {
        self.exemplars.as_ref()
    }

    /// Every user this provenance may name, sorted.
    pub fn users(&self) -> Vec<String> {
        let mut users: Vec<String> = self
            .lines
            .iter()
            .map(|line| line.user.clone())
            .chain(std::iter::once(self.project_created().user))
            .chain(std::iter::once(self.fallback().user))
            .collect();
        users.sort();
        users.dedup();
        users
    }
}

/// True for `YYYY-MM-DDTHH:MM:SS…` (a valid `xsd:dateTime` prefix).
pub fn is_date_time(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() >= 19
        && bytes.get(4) == Some(&b'-')
        && bytes.get(10) == Some(&b'T')
        && bytes.get(13) == Some(&b':')
}

/// The clock as `YYYY-MM-DDTHH:MM:SSZ` (UTC): only for a project that recorded no time at all.
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CodeId;

    fn line(id: i64, at: &str, coder: &str, command: &Command) -> JournalEntry {
        JournalEntry {
            id,
            at: at.to_owned(),
            coder: coder.to_owned(),
            action: "do".to_owned(),
            label: command.label(),
            detail: command.detail(),
        }
    }

    #[test]
    fn a_code_memo_takes_the_time_and_coder_of_the_commands_that_wrote_it() {
        let memo = |text: &str| Command::SetMemo {
            target: MemoTarget::Code(CodeId(7)),
            text: text.to_owned(),
        };
        let journal = [
            line(1, "2024-08-05T10:00:00Z", "山田", &memo("初稿")),
            line(2, "2024-08-06T09:30:00Z", "鈴木", &memo("改稿")),
        ];
        let provenance = Provenance::from_journal(&journal, "exporter");
        let history = provenance
            .memo(MemoTarget::Code(CodeId(7)))
            .expect("journalled");
        assert_eq!(
            (history.created.user.as_str(), history.created.at.as_str()),
            ("山田", "2024-08-05T10:00:00Z")
        );
        assert_eq!(
            (history.modified.user.as_str(), history.modified.at.as_str()),
            ("鈴木", "2024-08-06T09:30:00Z")
        );
        assert_eq!(provenance.memo(MemoTarget::Code(CodeId(8))), None);
        assert_eq!(provenance.fallback().at, "2024-08-06T09:30:00Z");
        assert_eq!(provenance.user_at("2024-08-05T10:00:00Z"), "山田");
    }

    #[test]
    fn a_project_without_any_time_falls_back_to_the_clock_as_a_valid_date_time() {
        let provenance = Provenance::from_journal(&[], "exporter");
        let stamp = provenance.fallback();
        assert_eq!(stamp.user, "exporter");
        assert!(
            is_date_time(&stamp.at) && stamp.at.ends_with('Z'),
            "{}",
            stamp.at
        );
        assert!(stamp.at.as_str() > "2024-01-01", "{}", stamp.at);
    }
}
