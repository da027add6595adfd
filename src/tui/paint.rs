//! Putting frames on the terminal: a whole frame when something changed (and
//! typing has paused), a typed key echoed at once in the editor's area, and the
//! whole screen again after a resize.

use std::io;
use std::time::Duration;

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

use super::input::{self, Input};
use super::screen::Screen;
use super::ui::Ui;
use super::view::{Hits, Theme};

pub struct Painter {
    theme: Theme,
    /// Where things were drawn in the last frame, for mouse clicks.
    pub hits: Hits,
    /// Something changed since the last frame.
    stale: bool,
    /// The next frame must be drawn whole (after a resize).
    repaint: bool,
    /// The editor's area as it is on screen, for echoing keys.
    echo_base: Option<Buffer>,
    /// The page size last told to the wizard (see `viewport_news`).
    told: Option<(usize, usize)>,
    /// Keys were echoed since the last whole frame.
    echoed: bool,
}

impl Painter {
    pub fn new() -> Self {
        Painter {
            theme: Theme::from_env(),
            hits: Hits::default(),
            stale: true,
            repaint: false,
            echo_base: None,
            echoed: false,
            told: None,
        }
    }

    /// Something changed: draw a frame before sleeping again.
    pub fn changed(&mut self) {
        self.stale = true;
    }

    /// The window was resized: draw the whole screen anew.
    pub fn resized(&mut self) {
        self.repaint = true;
        self.stale = true;
    }

    /// Draws a whole frame if one is due. Keys arriving in a burst are echoed as
    /// they come; the whole frame waits until typing pauses for a moment.
    pub fn frame(&mut self, screen: &mut Screen, ui: &Ui) -> Result<(), String> {
        if !self.stale || (self.echoed && input::wait(Duration::from_millis(2)) == Input::Waiting) {
            return Ok(());
        }
        let draw_error = |e: io::Error| format!("cannot draw: {e}");
        if self.repaint {
            // After a resize the terminal may have cropped what it showed, even if
            // the size is back to what was drawn last: clear and draw it all.
            let size = screen.terminal.size().map_err(draw_error)?;
            screen
                .terminal
                .resize(Rect::new(0, 0, size.width, size.height))
                .map_err(draw_error)?;
            self.repaint = false;
        }
        let echoed_at = self
            .echo_base
            .as_ref()
            .map(|b| b.area)
            .filter(|_| self.echoed);
        let mut hits = Hits::default();
        let frame = screen
            .terminal
            .draw(|frame| hits = ui.render(frame, &self.theme))
            .map_err(draw_error)?;
        self.echo_base = hits.editor.map(|rect| region(frame.buffer, rect));
        // The editor moved after keys were echoed where it was: the frame's diff
        // does not know those cells changed, so write them over.
        let stale = echoed_at
            .filter(|at| Some(*at) != hits.editor)
            .map(|at| region(frame.buffer, at));
        self.hits = hits;
        self.stale = false;
        self.echoed = false;
        if let Some(cells) = stale {
            overwrite(&mut screen.terminal, &cells).map_err(draw_error)?;
        }
        Ok(())
    }

    /// The scrollable page on screen changed size since the wizard was last told:
    /// the action that tells it, so its scrolling stops at the last line.
    pub fn viewport_news(&mut self) -> Option<super::action::Action> {
        let now = self.hits.viewport;
        if now == self.told {
            return None;
        }
        self.told = now;
        now.map(|(lines, height)| super::action::Action::Viewport { lines, height })
    }

    /// Shows a typed key at once: only the editor's area is drawn and written, so
    /// the echo does not wait for the whole frame, which is drawn right after (over
    /// the same cells, from the same state, so the two always agree).
    pub fn echo(&mut self, screen: &mut Screen, ui: &Ui) {
        let Some(base) = &mut self.echo_base else {
            return;
        };
        let mut typed = Buffer::empty(base.area);
        let Some(hits) = ui.render_editor(&mut typed, base.area) else {
            return;
        };
        let changes = base.diff(&typed);
        if changes.is_empty() {
            return;
        }
        let backend = screen.terminal.backend_mut();
        let mut written = backend.draw(changes.into_iter());
        // The terminal's own cursor follows the typing, as the whole frame puts it.
        if let Some(cursor) = hits.cursor {
            written = written.and_then(|()| Backend::set_cursor_position(backend, cursor));
        }
        let written = written.and_then(|()| Backend::flush(backend));
        *base = typed;
        self.echoed |= written.is_ok();
    }
}

impl Default for Painter {
    fn default() -> Self {
        Self::new()
    }
}

/// Writes every cell of `cells` whatever the terminal is believed to show.
fn overwrite(
    terminal: &mut ratatui::Terminal<super::screen::Backend>,
    cells: &Buffer,
) -> io::Result<()> {
    // Diffing against cells that match nothing yields them all, wide characters
    // handled as in any frame.
    let unknown = Buffer::filled(cells.area, Cell::new("\u{10fffd}"));
    let backend = terminal.backend_mut();
    backend.draw(unknown.diff(cells).into_iter())?;
    Backend::flush(backend)
}

/// A copy of one area of a drawn frame.
pub fn region(frame: &Buffer, area: Rect) -> Buffer {
    let mut copy = Buffer::empty(area);
    for position in area.positions() {
        if let (Some(from), Some(to)) = (frame.cell(position), copy.cell_mut(position)) {
            *to = from.clone();
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::Action;
    use crate::tui::app::App;
    use crate::tui::view;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn a_typed_key_is_echoed_in_the_editor_area_exactly_as_the_full_frame_draws_it() {
        let mut app = App::new(crate::testdata::new_handoff(), "Jane".into(), None);
        app.update(Action::NextField);
        app.update(Action::NextField);
        app.update(Action::Activate);
        let ui = Ui::Wizard(Box::new(app));
        let theme = Theme::colour();
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        let mut hits = Hits::default();
        let frame = terminal
            .draw(|f| hits = ui.render(f, &theme))
            .expect("draw");
        let rect = hits.editor.expect("the editor is on screen");
        let mut base = region(frame.buffer, rect);
        let Ui::Wizard(mut app) = ui else {
            unreachable!("built as the wizard above")
        };
        app.update(Action::Type(KeyEvent::new(
            KeyCode::Char('S'),
            KeyModifiers::NONE,
        )));
        let ui = Ui::Wizard(app);
        let mut typed = Buffer::empty(rect);
        assert!(
            ui.render_editor(&mut typed, rect).is_some(),
            "an editor is open"
        );
        assert!(
            !base.diff(&typed).is_empty(),
            "the key changes the editor area"
        );
        let frame = terminal
            .draw(|f| hits = view::render(f, ui.app().expect("wizard"), &theme))
            .expect("draw");
        assert_eq!(hits.editor, Some(rect), "the editor did not move");
        base = region(frame.buffer, rect);
        assert_eq!(base, typed, "echo and full frame agree");
    }
}
