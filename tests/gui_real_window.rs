//! The real workbench window driven as a researcher's mouse drives it, under Xvfb with xdotool,
//! at 1280×720 and 1920×1080 (issue 11, bug 1: a drag coded text a line away from the pointer
//! because the selection header above the transcript wrapped during the drag).
//!
//! Each check starts its own Xvfb and the real `casecode gui` on the sample study, presses the
//! mouse, moves it in many small steps with frames between them, releases it, applies a code
//! with Ctrl+Enter, and compares the stored coding (printed with `casecode text --start --end`)
//! with the text that lay under the pointer. Where the text lies is what the window itself drew
//! at rest (`CASECODE_GUI_PROBE`, see `casecode::ui::probe`), read before the mouse goes down:
//! the coding matches it exactly when nothing in the window moved under the pointer.
//!
//! Needs `Xvfb`, `xdotool` and ImageMagick's `import` (`scripts/setup.sh gui-check` installs
//! them); screenshots of each window size are left in `target/gui-check/` to look at. The checks
//! wait on a real window with fixed pauses, so a heavily loaded machine can make them time out:
//! they are `#[ignore]`d in `cargo test` and run by `make gui-check`.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use casecode::project::Project;
use eframe::egui::Pos2;

mod gui_support;
use gui_support::assert_japanese_font;

/// The window's settings: a coder name (no prompt), the light theme.
const SETTINGS: &str = "(coder: \"xdotool\", theme: Light)";

/// A child process ended (and waited for) when dropped: Xvfb and the workbench.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn require(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "{tool} is missing: run scripts/setup.sh (it installs xvfb, xdotool and imagemagick)"
    );
}

/// Starts Xvfb on a free display with a screen of `size`; returns it and its `:N`.
fn start_xvfb(size: (u32, u32)) -> (Running, String) {
    for number in (90..190).map(|n| n + std::process::id() % 400) {
        if Path::new(&format!("/tmp/.X{number}-lock")).exists() {
            continue;
        }
        let display = format!(":{number}");
        let child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                &format!("{}x{}x24", size.0, size.1),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut xvfb = Running(child);
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if socket.exists() {
                return (xvfb, display);
            }
            if xvfb.0.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = xvfb.0.kill();
    }
    panic!("no free X display for Xvfb");
}

/// Runs xdotool on `display`; returns its standard output.
fn xdotool(display: &str, arguments: &[&str]) -> String {
    let output = Command::new("xdotool")
        .args(arguments)
        .env("DISPLAY", display)
        .output()
        .expect("run xdotool");
    assert!(
        output.status.success(),
        "xdotool {arguments:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn pause(milliseconds: u64) {
    std::thread::sleep(Duration::from_millis(milliseconds));
}

fn move_to(display: &str, at: Pos2) {
    xdotool(
        display,
        &[
            "mousemove",
            &format!("{}", at.x.round()),
            &format!("{}", at.y.round()),
        ],
    );
}

/// Press at `from`, thirty small moves to `to` with frames between them, release.
fn drag(display: &str, from: Pos2, to: Pos2) {
    move_to(display, from);
    pause(300);
    xdotool(display, &["mousedown", "1"]);
    pause(200);
    for step in 1..=30 {
        move_to(display, from + (to - from) * (step as f32 / 30.0));
        pause(60);
    }
    pause(300);
    xdotool(display, &["mouseup", "1"]);
    pause(500);
}

fn click(display: &str, at: Pos2) {
    move_to(display, at);
    pause(300);
    xdotool(display, &["click", "1"]);
    pause(600);
}

/// The real workbench window on `project` at `size`, settings and caches in `home`.
struct RealWindow {
    app: Running,
    _xvfb: Running,
    display: String,
}

impl RealWindow {
    fn open(project: &Path, home: &Path, probe: &Path, size: (u32, u32)) -> RealWindow {
        let (xvfb, display) = start_xvfb(size);
        let config = home.join("config");
        std::fs::create_dir_all(config.join("casecode")).expect("config folder");
        std::fs::write(config.join("casecode").join("settings.ron"), SETTINGS).expect("settings");
        let app = Command::new(env!("CARGO_BIN_EXE_casecode"))
            .arg("gui")
            .arg(project)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_CONFIG_HOME", &config)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("CASECODE_GUI_PROBE", probe)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(home.join("app.log")).expect("app log"))
            .spawn()
            .expect("start casecode gui");
        let mut window = RealWindow {
            app: Running(app),
            _xvfb: xvfb,
            display,
        };
        let started = Instant::now();
        let id = loop {
            let found = Command::new("xdotool")
                .args(["search", "--name", "casecode"])
                .env("DISPLAY", &window.display)
                .output()
                .expect("xdotool search");
            let ids = String::from_utf8_lossy(&found.stdout).into_owned();
            if let Some(id) = ids.lines().next() {
                break id.trim().to_owned();
            }
            let exited = window.app.0.try_wait().ok().flatten();
            let log = || std::fs::read_to_string(home.join("app.log")).unwrap_or_default();
            assert!(
                exited.is_none(),
                "the workbench exited ({exited:?}) before its window appeared: {}",
                log()
            );
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "the workbench window did not appear: {}",
                log()
            );
            pause(300);
        };
        let (width, height) = (size.0.to_string(), size.1.to_string());
        xdotool(&window.display, &["windowmove", &id, "0", "0"]);
        xdotool(&window.display, &["windowsize", &id, &width, &height]);

        // The first frames: fonts, the project, the first transcript.
        pause(6000);
        // No window manager gives it the keyboard: give it ourselves (Ctrl+Enter codes).
        xdotool(&window.display, &["windowfocus", &id]);
        window
    }

    fn screenshot(&self, path: &Path) {
        let status = Command::new("import")
            .args(["-window", "root"])
            .arg(path)
            .env("DISPLAY", &self.display)
            .status()
            .expect("run import");
        assert!(status.success(), "import failed");
    }

    fn alive(&mut self) -> bool {
        self.app.0.try_wait().ok().flatten().is_none()
    }
}

/// What `casecode text --start --end` prints for a span of document A.
fn stored_text(project: &Path, start: usize, end: usize) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_casecode"))
        .args(["text", "--doc", "A"])
        .args(["--start", &start.to_string(), "--end", &end.to_string()])
        .arg(project)
        .output()
        .expect("casecode text");
    assert!(output.status.success(), "casecode text failed");
    String::from_utf8_lossy(&output.stdout)
        .trim_end_matches('\n')
        .to_owned()
}

/// The spans of document A coded with `code` (by the check's coder), sorted.
fn coded_spans(project: &Path, code: &str) -> Vec<(usize, usize)> {
    let project = Project::open(project).expect("open project");
    let code_id = project.resolve_code(code).expect("code");
    let document = project.document_named("A").expect("A");
    let mut spans: Vec<(usize, usize)> = project
        .read()
        .codings_of_document(document.id)
        .expect("codings")
        .into_iter()
        .filter(|coding| coding.code_id == code_id && coding.coder == "xdotool")
        .map(|coding| (coding.span.start, coding.span.end))
        .collect();
    spans.sort();
    spans
}

/// The text of document A, as code points.
fn text_of_a(project: &Path) -> Vec<char> {
    let project = Project::open(project).expect("open project");
    let document = project.document_named("A").expect("A");
    project
        .read()
        .document_text(document.id)
        .expect("read")
        .expect("text")
        .chars()
        .collect()
}

fn offset_of(text: &[char], needle: &str) -> usize {
    let needle: Vec<char> = needle.chars().collect();
    text.windows(needle.len())
        .position(|window| window == needle.as_slice())
        .expect("the words are in the transcript")
}

/// What the window drew at rest: character boundaries and code rows, by screen position.
struct Probe {
    offsets: BTreeMap<usize, Pos2>,
    codes: BTreeMap<String, Pos2>,
}

impl Probe {
    /// Reads the probe file once it names `offset` (waits for the window to draw it).
    fn read(file: &Path, offset: usize) -> Probe {
        Probe::read_when(file, |probe| probe.offsets.contains_key(&offset))
    }

    /// Reads the probe file once `ready` says it shows what is wanted.
    fn read_when(file: &Path, ready: impl Fn(&Probe) -> bool) -> Probe {
        let started = Instant::now();
        loop {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let mut probe = Probe {
                offsets: BTreeMap::new(),
                codes: BTreeMap::new(),
            };
            for line in text.lines() {
                let fields: Vec<&str> = line.split('\t').collect();
                let [what, x, y] = fields.as_slice() else {
                    continue;
                };
                let (Ok(x), Ok(y)) = (x.parse::<f32>(), y.parse::<f32>()) else {
                    continue;
                };
                if let Some(number) = what.strip_prefix("offset ") {
                    if let Ok(number) = number.parse() {
                        probe.offsets.insert(number, Pos2::new(x, y));
                    }
                } else if let Some(path) = what.strip_prefix("code ") {
                    probe.codes.insert(path.to_owned(), Pos2::new(x, y));
                }
            }
            // Ready, and the same as a moment ago: the window is at rest (a click on a code may
            // change the panels for a frame or two).
            if ready(&probe) {
                pause(700);
                if std::fs::read_to_string(file).unwrap_or_default() == text {
                    return probe;
                }
                continue;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the window never drew what was waited for"
            );
            pause(300);
        }
    }

    fn point(&self, offset: usize) -> Pos2 {
        *self.offsets.get(&offset).expect("the offset is on screen")
    }

    fn code(&self, name: &str) -> Pos2 {
        self.codes
            .iter()
            .find(|(path, _)| path.ends_with(name))
            .map(|(_, at)| *at)
            .expect("the code's row is on screen")
    }

    /// A span of `length` characters on one row in the middle of the screen, without a line
    /// break.
    fn span_in_view(&self, text: &[char], length: usize, height: f32) -> (usize, usize) {
        self.offsets
            .iter()
            .find(|&(&start, from)| {
                let end = start + length;
                from.y > height * 0.4
                    && from.y < height * 0.75
                    && text
                        .get(start..end)
                        .is_some_and(|span| !span.contains(&'\n'))
                    && self
                        .offsets
                        .get(&end)
                        .is_some_and(|to| (to.y - from.y).abs() < 1.0)
            })
            .map(|(&start, _)| (start, start + length))
            .expect("a row of text in view")
    }
}

/// One window size: a drag over two rows at the top of A, a drag along one row after 27 wheel
/// clicks, each coded with Ctrl+Enter and compared with the text under the pointer.
fn check_window_size(width: u32, height: u32) {
    assert_japanese_font();
    for tool in ["Xvfb", "xdotool", "import"] {
        require(tool);
    }
    let home = tempfile::tempdir().expect("temp dir");
    let project = home.path().join("sample.casecode");
    let sources = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_transcripts");
    casecode::sample::build_study(&sources, &project, Some("佐藤")).expect("sample study");
    let text = text_of_a(&project);
    let code = "[医療的ケアの手技の確認]";
    let probe_file = home.path().join("probe.tsv");

    let mut window = RealWindow::open(&project, home.path(), &probe_file, (width, height));
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/gui-check");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    window.screenshot(&shots.join(format!("{width}x{height}-before.png")));
    // A's first long answer, from 「私は」 to five characters into its next row.
    let start = offset_of(&text, "私は○○市");
    let probe = Probe::read(&probe_file, start);
    // Select the code (a click only selects it), then drag, then Ctrl+Enter applies it.
    click(&window.display, probe.code(code));
    let probe = Probe::read(&probe_file, start);
    let from = probe.point(start);
    let next_row = (start..text.len())
        .find(|offset| {
            probe
                .offsets
                .get(offset)
                .is_some_and(|at| at.y > from.y + 5.0)
        })
        .expect("the answer goes on over another row");
    let end = next_row + 5;
    let to = probe.point(end);

    drag(&window.display, from, to);
    window.screenshot(&shots.join(format!("{width}x{height}-dragged.png")));
    xdotool(&window.display, &["key", "ctrl+Return"]);
    pause(1000);
    assert!(window.alive(), "the workbench is still running");
    let expected: String = text[start..end].iter().collect();
    let spans = coded_spans(&project, code);
    assert_eq!(
        spans,
        vec![(start, end)],
        "{width}×{height}: the drag over 「{expected}」 stored {:?}",
        spans
            .iter()
            .map(|(s, e)| stored_text(&project, *s, *e))
            .collect::<Vec<_>>()
    );
    assert_eq!(stored_text(&project, start, end), expected);

    // 27 wheel clicks down over the transcript, then a drag along one row in view.
    move_to(&window.display, from);
    pause(300);
    xdotool(
        &window.display,
        &["click", "--repeat", "27", "--delay", "40", "5"],
    );
    pause(2500);
    let probe = Probe::read_when(&probe_file, |probe| {
        probe
            .offsets
            .keys()
            .next()
            .is_some_and(|first| *first > end)
    });
    let (row_start, row_end) = probe.span_in_view(&text, 10, height as f32);
    let (from, to) = (probe.point(row_start), probe.point(row_end));
    drag(&window.display, from, to);
    xdotool(&window.display, &["key", "ctrl+Return"]);
    pause(1000);
    window.screenshot(&shots.join(format!("{width}x{height}-scrolled.png")));
    let expected: String = text[row_start..row_end].iter().collect();
    let spans = coded_spans(&project, code);
    assert!(
        spans.contains(&(row_start, row_end)) && spans.len() == 2,
        "{width}×{height}: after scrolling, the drag over 「{expected}」 stored {:?}",
        spans
            .iter()
            .map(|(s, e)| stored_text(&project, *s, *e))
            .collect::<Vec<_>>()
    );
}

#[test]
#[ignore = "drives a real window under Xvfb with xdotool (~1 min): make gui-check"]
fn a_drag_in_the_real_window_at_1280x720_codes_the_text_under_the_pointer() {
    check_window_size(1280, 720);
}

#[test]
#[ignore = "drives a real window under Xvfb with xdotool (~1 min): make gui-check"]
fn a_drag_in_the_real_window_at_1920x1080_codes_the_text_under_the_pointer() {
    check_window_size(1920, 1080);
}
