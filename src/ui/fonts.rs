//! Japanese fonts. egui's own fonts have no Japanese glyphs, so the workbench loads a CJK font
//! file explicitly: the one the user chose in the settings, else the first known system font,
//! else whatever fontconfig lists for `:lang=ja`. (eframe's `system_fonts` fallback stays on as
//! a second line of defence.) Tests use the same function so that glyphs are checked for real.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use eframe::egui;

/// System fonts tried in order before asking fontconfig. Debian's `fonts-noto-cjk` first (face 0
/// of the collection is the Japanese one), then IPA and Takao Gothic, VL Gothic, and the macOS
/// and Windows system fonts.
pub const KNOWN_CJK_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/ipafont/ipag.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
    "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:\\Windows\\Fonts\\YuGothM.ttc",
    "C:\\Windows\\Fonts\\meiryo.ttc",
    "C:\\Windows\\Fonts\\msgothic.ttc",
];

/// The name under which the CJK font is registered with egui.
const FONT_NAME: &str = "casecode-japanese";

/// The font file to use: `chosen` when it exists, else a known system font, else the first
/// file fontconfig lists for Japanese (sorted, so the choice is stable).
pub fn find_japanese_font(chosen: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = chosen
        && path.is_file()
    {
        return Some(path.to_owned());
    }
    KNOWN_CJK_FONTS
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .or_else(fontconfig_japanese_font)
}

/// Asks `fc-list :lang=ja` for font files; `None` when fontconfig is absent or lists nothing.
fn fontconfig_japanese_font() -> Option<PathBuf> {
    let output = std::process::Command::new("fc-list")
        .args([":lang=ja", "file"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut files: Vec<PathBuf> = text
        .lines()
        .map(|line| PathBuf::from(line.trim().trim_end_matches(':')))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    // Prefer a sans-serif (gothic) face when there is one.
    let gothic = files.iter().position(|path| {
        let name = path.to_string_lossy().to_lowercase();
        name.contains("sans") || name.contains("gothic") || name.contains("ipag")
    });
    match gothic {
        Some(index) => files.into_iter().nth(index),
        None => files.into_iter().next(),
    }
}

/// Reads a font file and adds it to egui as the fallback of both families (after egui's Latin
/// fonts, so Latin text keeps its look and every Japanese glyph comes from this font).
pub fn install_font(ctx: &egui::Context, path: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading font {}", path.display()))?;
    if bytes.len() < 12 {
        anyhow::bail!("{}: not a font file", path.display());
    }
    let data = egui::FontData::from_blob(Arc::new(bytes), 0);
    let mut definitions = egui::FontDefinitions::default();
    definitions
        .font_data
        .insert(FONT_NAME.to_owned(), Arc::new(data));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        definitions
            .families
            .entry(family)
            .or_default()
            .push(FONT_NAME.to_owned());
    }
    ctx.set_fonts(definitions);
    Ok(())
}

/// Finds and installs a Japanese font; returns the file used, or `None` when there is none
/// (the labels then fall back to eframe's system font provider, or to boxes).
pub fn install_japanese_font(
    ctx: &egui::Context,
    chosen: Option<&Path>,
) -> anyhow::Result<Option<PathBuf>> {
    let Some(path) = find_japanese_font(chosen) else {
        return Ok(None);
    };
    install_font(ctx, &path)?;
    Ok(Some(path))
}
