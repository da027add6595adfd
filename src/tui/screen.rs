//! The terminal in wizard mode: raw mode, the alternate screen, mouse and paste
//! reporting, and the signals that ask the wizard to stop. Dropping it gives the
//! terminal back, also on error paths and after a panic.

use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;

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

pub struct Screen {
    pub terminal: DefaultTerminal,
    /// Set by SIGTERM, SIGHUP or SIGINT: save and leave.
    stop: Arc<AtomicBool>,
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

    /// A signal asked the wizard to stop.
    #[must_use]
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// The terminal went away: stop as a signal would.
    pub fn hung_up(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether the window was resized since the last call.
    #[must_use]
    pub fn take_resize(&self) -> bool {
        self.resized.swap(false, Ordering::Relaxed)
    }

    /// Gives the terminal to another program (`$EDITOR`) until `resume`.
    pub fn suspend(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
    }

    /// Takes the terminal back after `suspend`, with a blank screen under blank
    /// buffers, so the next frame is drawn whole. (`Terminal::clear` would ask the
    /// terminal where its cursor is.)
    pub fn resume(&mut self) {
        if let Ok(terminal) = ratatui::try_init() {
            self.terminal = terminal;
        }
        let _ = execute!(
            io::stdout(),
            EnableMouseCapture,
            EnableBracketedPaste,
            ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
        );
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui::restore();
    }
}
