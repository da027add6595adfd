//! The wizard drawn without a terminal (`TestBackend`), as text for snapshots
//! and for checks of what shows. Include it with
//! `#[path = "common/drawn.rs"] mod drawn;`.

#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use handoff::tui::action::Action;
use handoff::tui::app::App;
use handoff::tui::view::{self, Theme};

/// One frame of `app` at `width`×`height`, in colour.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            view::render(frame, app, &Theme::colour());
        })
        .expect("draw");
    terminal.backend().to_string()
}

/// The step with this key.
pub fn go_to(app: &mut App, step: &str) {
    let index = handoff::form::form().step_index(step).expect("a step");
    app.update(Action::GoToStep(index));
}
