//! What the one event loop is showing: the picker of saved handoffs, or the wizard
//! on one handoff. Both take actions and answer with effects.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::Action;
use super::app::App;
use super::effect::Effect;
use super::keys::KeyMode;
use super::picker::Picker;
use super::view::{self, Hits, Theme};

pub enum Ui {
    Picker(Box<Picker>),
    Wizard(Box<App>),
}

impl Ui {
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match self {
            Ui::Picker(picker) => picker.update(action),
            Ui::Wizard(app) => app.update(action),
        }
    }

    pub fn key_mode(&self) -> KeyMode {
        match self {
            Ui::Picker(picker) => picker.key_mode(),
            Ui::Wizard(app) => app.key_mode(),
        }
    }

    pub fn render(&self, frame: &mut Frame, theme: &Theme) -> Hits {
        match self {
            Ui::Picker(picker) => {
                view::picker::render(frame, picker, theme);
                Hits::default()
            }
            Ui::Wizard(app) => view::render(frame, app, theme),
        }
    }

    /// Draws only the text being typed into `rect` (see `Painter::echo`), and
    /// says where the cursor went; `None` when nothing is being typed.
    pub fn render_editor(&self, buf: &mut Buffer, rect: Rect) -> Option<Hits> {
        match self {
            Ui::Wizard(app) if app.editor().is_some() => {
                let mut hits = Hits::default();
                view::render_editor(buf, rect, app, &mut hits);
                Some(hits)
            }
            _ => None,
        }
    }

    /// The wizard, once a handoff is open.
    pub fn app(&self) -> Option<&App> {
        match self {
            Ui::Wizard(app) => Some(app),
            Ui::Picker(_) => None,
        }
    }
}
