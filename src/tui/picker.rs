//! `handoff` with no arguments: pick a saved handoff, or start a new one. A mode
//! of the one event loop: keys come in as actions, and opening or creating a
//! handoff goes out as an effect.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyCode;
use ratatui_textarea::TextArea;

use super::action::Action;
use super::effect::Effect;
use super::keys::KeyMode;
use crate::handoff::time;
use crate::store;
use crate::tui::text::truncate;

pub struct Entry {
    pub path: PathBuf,
    pub summary: String,
}

pub struct Picker {
    dir: PathBuf,
    entries: Vec<Entry>,
    /// The first saved handoff is selected (resuming is the common case); "New
    /// handoff…" sits after them, and is selected when there are none.
    selected: usize,
    /// The customer's name being typed for a new handoff.
    naming: Option<TextArea<'static>>,
    message: Option<String>,
}

impl Picker {
    /// The saved handoffs of `dir`.
    pub fn new(dir: &Path) -> Self {
        let entries = store::list(dir)
            .unwrap_or_default()
            .into_iter()
            .map(|path| {
                let summary = match store::load(&path) {
                    Ok(loaded) => {
                        let h = loaded.handoff;
                        let (done, total) = h.progress();
                        format!(
                            "{:<28} {:<12} {done:>3}/{total:<3}  updated {}",
                            truncate(h.customer(), 28),
                            h.status.label(),
                            time::minutes(h.updated_at)
                        )
                    }
                    Err(e) => format!("(cannot read: {e})"),
                };
                Entry { path, summary }
            })
            .collect();
        Picker {
            dir: dir.to_path_buf(),
            entries,
            selected: 0,
            naming: None,
            message: None,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The selected row: an entry, or `entries().len()` for "New handoff…".
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn naming(&self) -> Option<&TextArea<'static>> {
        self.naming.as_ref()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn key_mode(&self) -> KeyMode {
        if self.naming.is_some() {
            KeyMode::PickerName
        } else {
            KeyMode::Picker
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if let Action::Refused(why) = action {
            // The selection stays where it was: the next key must not open
            // another customer's handoff.
            self.message = Some(why);
            return Vec::new();
        }
        if matches!(action, Action::Quit | Action::Stop) {
            return vec![Effect::Exit];
        }
        self.message = None;
        if let Some(area) = &mut self.naming {
            match action {
                Action::Activate => {
                    let name = area.lines().join(" ").trim().to_string();
                    if name.is_empty() {
                        self.message = Some("Type the customer's name first".into());
                    } else {
                        return vec![Effect::Create { customer: name }];
                    }
                }
                Action::Cancel => self.naming = None,
                Action::Type(key) if !matches!(key.code, KeyCode::Char(c) if c.is_control()) => {
                    area.input(key);
                }
                Action::Paste(text) => {
                    area.insert_str(crate::tui::text::printable(
                        &text.replace(['\r', '\n'], " "),
                    ));
                }
                _ => {}
            }
            return Vec::new();
        }
        let new_row = self.entries.len();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(new_row),
            Action::NewHandoff => self.naming = Some(TextArea::default()),
            Action::Activate if self.selected == new_row => self.naming = Some(TextArea::default()),
            Action::Activate | Action::ViewReadOnly => {
                if let Some(entry) = self.entries.get(self.selected) {
                    return vec![Effect::Open {
                        path: entry.path.clone(),
                        read_only: action == Action::ViewReadOnly,
                    }];
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
