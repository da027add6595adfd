//! The terminal in wizard mode: raw mode, the alternate screen, mouse and paste
//! reporting, and the signals that ask the wizard to stop. Dropping it gives the
//! terminal back, also on error paths and after a panic, and writes nothing to a
//! terminal that has gone away.

use std::io::{self, IsTerminal, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use crate::signals::{self, HANG_UP};

pub type Backend = CrosstermBackend<Out>;

/// Standard output as the wizard writes to it: a write the terminal refuses means
/// it has gone away, and from then on writes are dropped instead of failing, so
/// nothing (ratatui's own clean-up included) turns a closed window into an error
/// message or a panic. (The loop notices a closed terminal by polling it.)
pub struct Out {
    stdout: Stdout,
    gone: Arc<AtomicBool>,
}

impl io::Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.gone.load(Ordering::Relaxed)
            && let Err(e) = self.stdout.write_all(buf)
            && e.kind() != io::ErrorKind::Interrupted
        {
            self.gone.store(true, Ordering::Relaxed);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.gone.load(Ordering::Relaxed) && self.stdout.flush().is_err() {
            self.gone.store(true, Ordering::Relaxed);
        }
        Ok(())
    }
}

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
    pub terminal: Terminal<Backend>,
    /// The signal (SIGTERM, SIGHUP, SIGINT) that asked the wizard to stop: save and
    /// leave. 0 while none did.
    stop: Arc<AtomicUsize>,
    /// Set by SIGWINCH: the loop must not sleep on the keyboard before redrawing.
    resized: Arc<AtomicBool>,
    /// The terminal went away: nothing more may be written to it.
    gone: Arc<AtomicBool>,
}

impl Screen {
    pub fn start() -> Result<Screen, String> {
        let stop = signals::watch_stop()?;
        let resized = Arc::new(AtomicBool::new(false));
        let gone = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&resized))
            .map_err(signals::cannot_watch)?;
        // A panic gives the terminal back before its message is printed, and
        // writes nothing if the terminal is gone.
        let previous = std::panic::take_hook();
        let gone_on_panic = Arc::clone(&gone);
        std::panic::set_hook(Box::new(move |info| {
            give_back(gone_on_panic.load(Ordering::Relaxed));
            previous(info);
        }));
        let setup = |e: io::Error| format!("cannot set up the terminal: {e}");
        enable_raw_mode().map_err(setup)?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(
            stdout,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            give_back(false);
            return Err(setup(e));
        }
        let out = Out {
            stdout,
            gone: Arc::clone(&gone),
        };
        let terminal = match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => terminal,
            Err(e) => {
                give_back(false);
                return Err(setup(e));
            }
        };
        // crossterm starts watching for resizes at its first poll; do it now, so a
        // resize while the first frame is drawn is not missed.
        let _ = event::poll(Duration::ZERO);
        Ok(Screen {
            terminal,
            stop,
            resized,
            gone,
        })
    }

    /// A signal asked the wizard to stop, or the terminal went away.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed) != 0
    }

    /// Whether the terminal hung up (closed window, dropped connection): the
    /// wizard then ends by that signal, as any program whose terminal went away.
    /// SIGTERM and SIGINT are answered with a clean exit once work is saved.
    pub fn hung_up_on(&self) -> bool {
        self.stop.load(Ordering::Relaxed) == HANG_UP
    }

    /// The terminal went away: stop as a hang-up would, and write nothing more.
    pub fn hung_up(&self) {
        self.gone.store(true, Ordering::Relaxed);
        let _ = self
            .stop
            .compare_exchange(0, HANG_UP, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Whether the terminal can still be written to.
    pub fn is_gone(&self) -> bool {
        self.gone.load(Ordering::Relaxed)
    }

    /// Whether the window was resized since the last call.
    pub fn take_resize(&self) -> bool {
        self.resized.swap(false, Ordering::Relaxed)
    }

    /// Gives the terminal to another program (`$EDITOR`) until `resume`.
    pub fn suspend(&mut self) {
        give_back(self.is_gone());
    }

    /// Takes the terminal back after `suspend`, with a blank screen under blank
    /// buffers, so the next frame is drawn whole. (Terminal::clear would ask the
    /// terminal where its cursor is.)
    pub fn resume(&mut self) {
        let _ = enable_raw_mode();
        let _ = execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
        );
        let out = Out {
            stdout: io::stdout(),
            gone: Arc::clone(&self.gone),
        };
        if let Ok(terminal) = Terminal::new(CrosstermBackend::new(out)) {
            self.terminal = terminal;
        }
    }
}

/// Leaves raw mode and the alternate screen; on a terminal that has gone away,
/// only raw mode (nothing is written, and no error is printed).
fn give_back(gone: bool) {
    if !gone {
        let _ = execute!(
            io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
    }
    let _ = disable_raw_mode();
}

impl Drop for Screen {
    fn drop(&mut self) {
        give_back(self.is_gone());
    }
}

/// Ends the process as a hang-up would have (its exit status says so), once
/// everything is saved and the terminal given back; nothing is printed.
pub fn die_of_hang_up() -> ! {
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGHUP);
    // Only reached if the hang-up's default were to carry on.
    std::process::exit(129);
}
