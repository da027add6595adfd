//! The interactive wizard: terminal set-up and tear-down, the event loop, signals,
//! saving, and `$EDITOR`. Keys become actions here; `App::update` does the rest.

pub mod action;
pub mod app;
pub mod keys;
pub mod picker;
pub mod text;
pub mod view;

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

use crate::store;
use action::Action;
use app::{App, SaveState};
use view::{Hits, Theme};

/// Refuses to start without a terminal on both ends, instead of drawing garbage.
pub fn require_terminal(command: &str) -> Result<(), String> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(format!(
            "`handoff {command}` is interactive and needs a terminal; for scripts use `handoff check` or `handoff export`"
        ));
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return Err(format!(
            "`handoff {command}` needs a terminal that can draw screens (TERM=dumb cannot)"
        ));
    }
    Ok(())
}

/// The terminal in wizard mode; dropping it restores the terminal, also on error paths.
pub struct Screen {
    pub terminal: DefaultTerminal,
    /// Set by SIGTERM, SIGHUP or SIGINT: save and leave.
    pub stop: Arc<AtomicBool>,
    /// Set by SIGWINCH: the loop must not sleep on the keyboard before redrawing.
    resized: Arc<AtomicBool>,
}

impl Screen {
    pub fn start() -> Result<Screen, String> {
        let stop = Arc::new(AtomicBool::new(false));
        let resized = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&resized))
            .map_err(|e| format!("cannot watch for signals: {e}"))?;
        for signal in [
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGINT,
        ] {
            signal_hook::flag::register(signal, Arc::clone(&stop))
                .map_err(|e| format!("cannot watch for signals: {e}"))?;
        }
        // ratatui's hook restores raw mode and the main screen; this one also turns
        // off the mouse and paste modes it does not know about.
        let ratatui_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
            ratatui_hook(info);
        }));
        let terminal =
            ratatui::try_init().map_err(|e| format!("cannot set up the terminal: {e}"))?;
        execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)
            .map_err(|e| format!("cannot set up the terminal: {e}"))?;
        // crossterm starts watching for resizes at its first poll; do it now, so a
        // resize while the first frame is drawn is not missed.
        let _ = event::poll(Duration::ZERO);
        Ok(Screen {
            terminal,
            stop,
            resized,
        })
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
    }
}

/// Why the wizard stopped early.
#[derive(Debug)]
pub enum RunError {
    /// The terminal failed (it could not be drawn on or read).
    Terminal(String),
    /// The notes log, read after the first frame, turned out unreadable.
    File(store::StoreError),
}

impl From<String> for RunError {
    fn from(message: String) -> Self {
        RunError::Terminal(message)
    }
}

/// Runs the wizard on `path` until the user quits or a signal arrives. With
/// `writable` false (`handoff view`, or a completed handoff) the file is never written.
/// `notes` is the rest of the notes log: it is read while the first frame is drawn,
/// and before any key is handled, so nothing can be edited or saved without it.
pub fn run(
    screen: &mut Screen,
    path: &Path,
    mut app: App,
    writable: bool,
    notes: store::PendingNotes,
) -> Result<App, RunError> {
    let path = writable.then_some(path);
    let mut notes = (!notes.is_empty()).then(|| std::thread::spawn(move || notes.parse(false)));
    // The editor's area as it is on screen, for echoing keys (see `echo`).
    let mut echo_base: Option<Buffer> = None;
    let mut echoed = false;
    // The next frame must be drawn whole (after a resize).
    let mut repaint = false;
    let theme = Theme::from_env();
    let mut hits = Hits::default();
    let mut draw = true;
    loop {
        // Keys arriving in a burst are echoed as they come; the whole frame is
        // drawn once typing pauses for a moment.
        if draw && !(echoed && wait_for_input(Duration::from_millis(2)) == Input::Waiting) {
            if repaint {
                // After a resize the terminal may have cropped what it showed, even if
                // the size is back to what was drawn last: clear and draw it all.
                let size = screen
                    .terminal
                    .size()
                    .map_err(|e| format!("cannot draw: {e}"))?;
                screen
                    .terminal
                    .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
                    .map_err(|e| format!("cannot draw: {e}"))?;
                repaint = false;
            }
            let echoed_at = echo_base.as_ref().map(|b| b.area).filter(|_| echoed);
            let frame = screen
                .terminal
                .draw(|frame| hits = view::render(frame, &app, &theme))
                .map_err(|e| format!("cannot draw: {e}"))?;
            echo_base = hits.editor.map(|rect| region(frame.buffer, rect));
            // The editor moved after keys were echoed where it was: the frame's
            // diff does not know those cells changed, so write them over.
            let stale = echoed_at
                .filter(|at| Some(*at) != hits.editor)
                .map(|at| region(frame.buffer, at));
            draw = false;
            echoed = false;
            if let Some(cells) = stale {
                overwrite(&mut screen.terminal, &cells).map_err(|e| format!("cannot draw: {e}"))?;
            }
        }
        if let Some(reading) = notes.take() {
            let log = reading
                .join()
                .map_err(|_| RunError::Terminal("reading the notes log failed".into()))?
                .map_err(RunError::File)?;
            app.notes_loaded(log);
            draw = true;
            continue;
        }
        if app.quit {
            persist(&mut app, path, true);
            if matches!(app.save_state, SaveState::Failed(_))
                && !app.quit_anyway
                && !screen.stopped()
            {
                // Leaving now would lose work: say so once, and let q again mean it.
                app.quit = false;
                app.quit_anyway = true;
                app.warn_unsaved_quit();
                draw = true;
                continue;
            }
            return Ok(app);
        }
        if screen.stopped() {
            app.update(Action::Quit);
            continue;
        }
        // Sleep until a key (or a signal, which interrupts the wait), unless a resize
        // is already waiting to be read.
        let wait = if screen.resized.swap(false, Ordering::Relaxed) {
            repaint = true;
            draw = true;
            Duration::ZERO
        } else {
            Duration::from_millis(200)
        };
        if terminal_gone(wait) {
            screen.stop.store(true, Ordering::Relaxed);
            continue;
        }
        // Take everything waiting (a paste, a held key, a resize) before drawing again.
        while !app.quit
            && !terminal_gone(Duration::ZERO)
            // Not a zero timeout: crossterm's /dev/tty reader does not look at all
            // with zero. A millisecond is spent only once, when nothing is left.
            && event::poll(Duration::from_millis(1)).unwrap_or(false)
        {
            let ev = event::read().map_err(|e| format!("cannot read the keyboard: {e}"))?;
            repaint |= matches!(ev, Event::Resize(..));
            if let Some(action) = to_action(&app, &hits, ev) {
                let typing = matches!(action, Action::Type(_) | Action::Paste(_));
                app.update(action);
                if typing && let Some(base) = &mut echo_base {
                    echoed |= echo(&mut screen.terminal, &app, base);
                }
            }
            draw = true;
            persist(&mut app, path, false);
        }
        if let Some(copy) = app.copy_to.take() {
            let result = store::create(&copy, &app.doc).map_err(|e| e.to_string());
            app.copied(&copy, result);
            draw = true;
        }
        if let Some(text) = app.external_edit.take() {
            let edited = external_editor(screen, &text);
            app.update(Action::ExternalEditDone(edited));
            draw = true;
        }
    }
}

/// Shows a typed key at once: only the editor's area is drawn and written, so the
/// echo does not wait for the whole frame, which is drawn right after (over the
/// same cells, from the same state, so the two always agree). `base` is what the
/// area shows now. Returns whether anything was written.
fn echo(terminal: &mut DefaultTerminal, app: &App, base: &mut Buffer) -> bool {
    if app.editor().is_none() {
        return false;
    }
    let mut typed = Buffer::empty(base.area);
    view::render_editor(&mut typed, base.area, app, &mut Hits::default());
    let changes = base.diff(&typed);
    if changes.is_empty() {
        return false;
    }
    let backend = terminal.backend_mut();
    let written = backend
        .draw(changes.into_iter())
        .and_then(|()| Backend::flush(backend));
    *base = typed;
    written.is_ok()
}

/// Writes every cell of `cells` whatever the terminal is believed to show.
fn overwrite(terminal: &mut DefaultTerminal, cells: &Buffer) -> io::Result<()> {
    // Diffing against cells that match nothing yields them all, wide characters
    // handled as in any frame.
    let unknown = Buffer::filled(cells.area, ratatui::buffer::Cell::new("\u{10fffd}"));
    let backend = terminal.backend_mut();
    backend.draw(unknown.diff(cells).into_iter())?;
    Backend::flush(backend)
}

/// A copy of one area of a drawn frame.
fn region(frame: &Buffer, area: ratatui::layout::Rect) -> Buffer {
    let mut copy = Buffer::empty(area);
    for position in area.positions() {
        if let (Some(from), Some(to)) = (frame.cell(position), copy.cell_mut(position)) {
            *to = from.clone();
        }
    }
    copy
}

/// What waiting on the terminal found.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    Idle,
    Waiting,
    /// The terminal went away (window closed, SSH dropped).
    Gone,
}

/// Waits up to `timeout` for input. crossterm 0.29 reads a hung-up terminal in an
/// endless loop (crossterm-rs/crossterm#793), so it is only asked for events once
/// this has said the terminal is still there.
#[cfg(unix)]
fn wait_for_input(timeout: Duration) -> Input {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: one valid pollfd for the duration of the call.
    let ready = unsafe { libc::poll(&mut fd, 1, ms) };
    if ready <= 0 {
        Input::Idle
    } else if fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        Input::Gone
    } else {
        Input::Waiting
    }
}

#[cfg(not(unix))]
fn wait_for_input(timeout: Duration) -> Input {
    match event::poll(timeout) {
        Ok(true) => Input::Waiting,
        _ => Input::Idle,
    }
}

fn terminal_gone(timeout: Duration) -> bool {
    wait_for_input(timeout) == Input::Gone
}

fn to_action(app: &App, hits: &Hits, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(key) if matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            keys::map_key(app.key_mode(), key)
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::Down(MouseButton::Left) if matches!(app.mode, app::Mode::Browse) => {
                if let Some(step) = hits.step_at(mouse.column, mouse.row) {
                    Some(Action::GoToStep(step))
                } else {
                    hits.row_at(mouse.column, mouse.row)
                        .map(|(row, sel)| Action::Focus { row, sel })
                }
            }
            _ => None,
        },
        Event::Resize(..) => None,
        _ => None,
    }
}

/// Saves when something changed (or `always`, which also records the position).
/// A read-only session never writes.
fn persist(app: &mut App, path: Option<&Path>, always: bool) {
    let Some(path) = path else {
        return;
    };
    if !(app.dirty || app.save_requested || always) {
        return;
    }
    app.sync_position();
    let result = store::save(path, &app.doc)
        .map(|()| crate::handoff::now())
        .map_err(|e| match e {
            store::StoreError::Save { reason, .. } => reason,
            other => other.to_string(),
        });
    app.saved(result);
}

/// Hands `text` to `$VISUAL` / `$EDITOR` (else `vi`) and returns what it saved.
fn external_editor(screen: &mut Screen, text: &str) -> Option<String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let file = std::env::temp_dir().join(format!("handoff-edit-{}.md", std::process::id()));
    std::fs::write(&file, text).ok()?;
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    let mut parts = editor.split_whitespace();
    let status = parts.next().map(|program| {
        std::process::Command::new(program)
            .args(parts)
            .arg(&file)
            .status()
    });
    let _ = io::stdout().flush();
    if let Ok(terminal) = ratatui::try_init() {
        screen.terminal = terminal;
    }
    // A blank screen under the new terminal's blank buffers, so the next frame is
    // drawn whole. (Terminal::clear would ask the terminal where its cursor is.)
    let _ = execute!(
        io::stdout(),
        EnableMouseCapture,
        EnableBracketedPaste,
        ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
    );
    let result = match status {
        Some(Ok(s)) if s.success() => std::fs::read_to_string(&file).ok(),
        _ => None,
    };
    let _ = std::fs::remove_file(&file);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn a_typed_key_is_echoed_in_the_editor_area_exactly_as_the_full_frame_draws_it() {
        let mut app = App::new(crate::testdata::new_handoff(), "Jane".into(), None);
        app.update(Action::NextField);
        app.update(Action::NextField);
        app.update(Action::Activate);
        let theme = Theme::colour();
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        let mut hits = Hits::default();
        let frame = terminal
            .draw(|f| hits = view::render(f, &app, &theme))
            .expect("draw");
        let rect = hits.editor.expect("the editor is on screen");
        let mut base = region(frame.buffer, rect);
        app.update(Action::Type(KeyEvent::new(
            KeyCode::Char('S'),
            KeyModifiers::NONE,
        )));
        let mut typed = Buffer::empty(rect);
        view::render_editor(&mut typed, rect, &app, &mut Hits::default());
        assert!(
            !base.diff(&typed).is_empty(),
            "the key changes the editor area"
        );
        let frame = terminal
            .draw(|f| hits = view::render(f, &app, &theme))
            .expect("draw");
        assert_eq!(hits.editor, Some(rect), "the editor did not move");
        base = region(frame.buffer, rect);
        assert_eq!(base, typed, "echo and full frame agree");
    }
}
