//! Reading the terminal: waiting for input without trusting a hung-up terminal,
//! and turning keys, pastes and the mouse into actions.

use std::os::fd::AsFd;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};

use super::action::Action;
use super::ui::Ui;
use super::view::Hits;

/// What waiting on the terminal found.
#[derive(Debug, PartialEq, Eq)]
pub enum Input {
    Idle,
    Waiting,
    /// The terminal went away (window closed, SSH dropped).
    Gone,
}

/// Waits up to `timeout` for input. crossterm 0.29 reads a hung-up terminal in an
/// endless loop (crossterm-rs/crossterm#793), so it is only asked for events once
/// this has said the terminal is still there.
#[cfg(unix)]
pub fn wait(timeout: Duration) -> Input {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    let timeout = Timespec::try_from(timeout).ok();
    match poll(&mut fds, timeout.as_ref()) {
        Ok(0) | Err(_) => Input::Idle,
        Ok(_) => {
            let revents = fds[0].revents();
            if revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                Input::Gone
            } else {
                Input::Waiting
            }
        }
    }
}

#[cfg(not(unix))]
pub fn wait(timeout: Duration) -> Input {
    match event::poll(timeout) {
        Ok(true) => Input::Waiting,
        _ => Input::Idle,
    }
}

/// The next event already waiting, if any (never blocks for long).
pub fn next_waiting() -> Result<Option<Event>, String> {
    if wait(Duration::ZERO) == Input::Gone {
        return Ok(None);
    }
    // Not a zero timeout: crossterm's /dev/tty reader does not look at all with
    // zero. A millisecond is spent only once, when nothing is left.
    if !event::poll(Duration::from_millis(1)).unwrap_or(false) {
        return Ok(None);
    }
    event::read()
        .map(Some)
        .map_err(|e| format!("cannot read the keyboard: {e}"))
}

/// What an event asks of the wizard, given what is on screen.
pub fn to_action(ui: &Ui, hits: &Hits, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(key) if matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            super::keys::map_key(ui.key_mode(), key)
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::Down(MouseButton::Left)
                if ui.key_mode() == super::keys::KeyMode::Browse =>
            {
                if let Some(step) = hits.step_at(mouse.column, mouse.row) {
                    Some(Action::GoToStep(step))
                } else {
                    hits.row_at(mouse.column, mouse.row)
                        .map(|(row, sel)| Action::Focus { row, sel })
                }
            }
            _ => None,
        },
        _ => None,
    }
}
