//! The one event loop: draw, wait for the terminal (or a signal, or work done in
//! the background), turn what arrived into actions, let `update` decide, and hand
//! the effects it returns to the outside world, whose answers are actions again.
//! The loop keeps no state of the wizard's; it only knows what is on screen.

use std::collections::VecDeque;
use std::time::Duration;

use ratatui::crossterm::event::Event;

use super::action::Action;
use super::effect::Effect;
use super::input::{self, Input};
use super::paint::Painter;
use super::screen::Screen;
use super::ui::Ui;
use crate::store::StoreError;

/// Why the wizard stopped early.
#[derive(Debug)]
pub enum RunError {
    /// The terminal failed (it could not be drawn on or read).
    Terminal(String),
    /// The file turned out unreadable (the notes log, read after the first frame).
    File(StoreError),
}

impl From<String> for RunError {
    fn from(message: String) -> Self {
        RunError::Terminal(message)
    }
}

/// What carrying out an effect gave.
pub enum Performed {
    Nothing,
    /// A result for `update`.
    Answer(Action),
    /// Leave the loop.
    Exit,
}

/// The outside world, as the loop sees it.
pub trait World {
    /// Carries out one effect.
    fn perform(
        &mut self,
        effect: Effect,
        ui: &mut Ui,
        screen: &mut Screen,
    ) -> Result<Performed, RunError>;

    /// A result of work done in the background, if one is ready (the notes log is
    /// waited for: nothing may be edited before it is in).
    fn arrived(&mut self) -> Result<Option<Action>, RunError>;

    /// Whether work runs elsewhere that the person waits for: the loop then
    /// wakes often enough to show it moving.
    fn busy(&self) -> bool {
        false
    }
}

/// Runs until an effect says to leave, or a signal or a closed terminal stops it.
pub fn run(screen: &mut Screen, ui: &mut Ui, world: &mut dyn World) -> Result<(), RunError> {
    let mut painter = Painter::new();
    loop {
        if screen.stopped() {
            // Save what can be saved and leave, whatever the save says.
            dispatch(Action::Stop, ui, world, screen)?;
            return Ok(());
        }
        if let Err(e) = painter.frame(screen, ui) {
            // A terminal that went away cannot be drawn on: that is a hang-up.
            if input::wait(Duration::ZERO) == Input::Gone {
                screen.hung_up();
                continue;
            }
            return Err(e.into());
        }
        if let Some(action) = painter.viewport_news() {
            painter.changed();
            if dispatch(action, ui, world, screen)? {
                return Ok(());
            }
            continue;
        }
        if let Some(action) = world.arrived()? {
            painter.changed();
            if dispatch(action, ui, world, screen)? {
                return Ok(());
            }
            continue;
        }
        // Sleep until a key (or a signal, which interrupts the wait), unless a
        // resize is already waiting to be drawn.
        let wait = if screen.take_resize() {
            painter.resized();
            Duration::ZERO
        } else if world.busy() {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(200)
        };
        if input::wait(wait) == Input::Gone {
            screen.hung_up();
            continue;
        }
        // Take everything waiting (a paste, a held key, a resize) before drawing again.
        while let Some(event) = input::next_waiting()? {
            if matches!(event, Event::Resize(..)) {
                painter.resized();
            }
            if let Some(action) = input::to_action(ui, &painter.hits, event) {
                let typing = matches!(action, Action::Type(_) | Action::Paste(_));
                if dispatch(action, ui, world, screen)? {
                    return Ok(());
                }
                if typing {
                    painter.echo(screen, ui);
                }
            }
            painter.changed();
        }
    }
}

/// Hands an action to `update`, and each effect to the world, until nothing is
/// left to do. Returns whether to leave.
fn dispatch(
    action: Action,
    ui: &mut Ui,
    world: &mut dyn World,
    screen: &mut Screen,
) -> Result<bool, RunError> {
    let mut pending = VecDeque::from([action]);
    while let Some(action) = pending.pop_front() {
        for effect in ui.update(action) {
            match world.perform(effect, ui, screen)? {
                Performed::Nothing => {}
                Performed::Answer(answer) => pending.push_back(answer),
                Performed::Exit => return Ok(true),
            }
        }
    }
    Ok(false)
}
