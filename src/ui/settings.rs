//! The workbench's own settings (coder name, language, font, theme, recent projects), kept in a
//! RON file under the user's config directory. Every field has a default, so a file written by an
//! older or newer build keeps loading; a file that does not parse is reported, not overwritten
//! until the user changes a setting.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::ui::i18n::Language;

/// How many recent projects the start screen remembers.
pub const RECENT_LIMIT: usize = 12;

/// Light, dark, or whatever the system says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// What the workbench remembers between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Coder recorded on new codings; empty means the project's default ($CASECODE_CODER, $USER).
    pub coder: String,
    /// Language of the labels.
    pub language: Language,
    /// A font file chosen by the user; `None` means: find a Japanese system font.
    pub font_path: Option<PathBuf>,
    /// Light or dark.
    pub theme: ThemeChoice,
    /// Point size of the transcript text.
    pub transcript_text_size: f32,
    /// Most recent first, without duplicates.
    pub recent_projects: Vec<PathBuf>,
    /// The Japanese dictionary: an IPADIC source folder (built once and cached) or a built
    /// lindera dictionary; `None` means the environment and the usual places decide.
    pub dictionary_path: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            coder: String::new(),
            language: Language::Japanese,
            font_path: None,
            theme: ThemeChoice::System,
            transcript_text_size: 16.0,
            recent_projects: Vec::new(),
            dictionary_path: None,
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent list (once), keeping at most [`RECENT_LIMIT`].
    pub fn remember_project(&mut self, path: &Path) {
        // A server address is kept as it is (it is no file to canonicalise).
        let path = if crate::store::is_server_address(&path.to_string_lossy()) {
            path.to_owned()
        } else {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
        };
        self.recent_projects.retain(|known| known != &path);
        self.recent_projects.insert(0, path);
        self.recent_projects.truncate(RECENT_LIMIT);
    }

    /// Removes `path` from the recent list.
    pub fn forget_project(&mut self, path: &Path) {
        self.recent_projects.retain(|known| known != path);
    }
}

/// Where settings are read from and written to. `None` keeps them in memory only (tests).
#[derive(Clone, Debug, Default)]
pub struct SettingsFile {
    path: Option<PathBuf>,
}

impl SettingsFile {
    /// `<config dir>/casecode/settings.ron` (on Linux `~/.config/casecode/settings.ron`).
    pub fn user() -> SettingsFile {
        SettingsFile {
            path: dirs::config_dir().map(|dir| dir.join("casecode").join("settings.ron")),
        }
    }

    /// Settings in this file.
    pub fn at(path: PathBuf) -> SettingsFile {
        SettingsFile { path: Some(path) }
    }

    /// Settings that are never written anywhere.
    pub fn in_memory() -> SettingsFile {
        SettingsFile { path: None }
    }

    /// The file, when there is one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Reads the settings; a missing file gives the defaults. A file that cannot be read or
    /// parsed gives the defaults and the error, so the caller can say so once.
    pub fn load(&self) -> (Settings, Option<anyhow::Error>) {
        let Some(path) = &self.path else {
            return (Settings::default(), None);
        };
        if !path.exists() {
            return (Settings::default(), None);
        }
        let loaded = std::fs::read_to_string(path)
            .with_context(|| format!("reading settings {}", path.display()))
            .and_then(|text| {
                ron::from_str::<Settings>(&text)
                    .with_context(|| format!("parsing settings {}", path.display()))
            });
        match loaded {
            Ok(settings) => (settings, None),
            Err(error) => (Settings::default(), Some(error)),
        }
    }

    /// Writes the settings (creating the folder).
    pub fn save(&self, settings: &Settings) -> anyhow::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("creating settings folder {}", folder.display()))?;
        }
        let text = ron::ser::to_string_pretty(settings, ron::ser::PrettyConfig::default())
            .context("serialising settings")?;
        std::fs::write(path, text).with_context(|| format!("writing settings {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_settings_file_with_fewer_fields_still_loads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, "(coder: \"山田\")").expect("write");
        let (settings, error) = SettingsFile::at(path).load();
        assert!(error.is_none(), "{error:?}");
        assert_eq!(settings.coder, "山田");
        assert_eq!(settings.language, Language::Japanese);
        assert_eq!(settings.transcript_text_size, 16.0);
    }

    #[test]
    fn settings_round_trip_and_recent_projects_stay_unique() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = SettingsFile::at(dir.path().join("sub").join("settings.ron"));
        let mut settings = Settings::default();
        settings.remember_project(Path::new("/nowhere/a.casecode"));
        settings.remember_project(Path::new("/nowhere/b.casecode"));
        settings.remember_project(Path::new("/nowhere/a.casecode"));
        assert_eq!(
            settings.recent_projects,
            [
                PathBuf::from("/nowhere/a.casecode"),
                PathBuf::from("/nowhere/b.casecode")
            ]
        );
        settings.language = Language::English;
        file.save(&settings).expect("save");
        let (loaded, error) = file.load();
        assert!(error.is_none());
        assert_eq!(loaded, settings);
    }
}
