//! `handoff` with no arguments: pick a saved handoff, or start a new one. A mode
//! of the one event loop: keys come in as actions, and opening or creating a
//! handoff goes out as an effect.
//!
//! The selection is held by handoff, not by row: a message, a refusal or a
//! change of the filter never moves it to another customer, so the next `v` or
//! Enter opens the handoff that was selected.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui_textarea::TextArea;

use super::action::Action;
use super::effect::{Effect, Opening};
use super::keys::KeyMode;
use crate::handoff::time;
use crate::store::{self, LockHolder};
use crate::tui::text::printable;

/// One saved handoff as the picker lists it.
pub struct Entry {
    pub path: PathBuf,
    /// The file's name, as shown and as the filter matches it.
    pub file: String,
    /// What the list shows of it, or why it cannot be read.
    pub read: Result<Summary, String>,
    /// Who has it open for editing right now, if anyone.
    pub locked_by: Option<LockHolder>,
}

/// The columns of a handoff that could be read. Everything is printable already.
pub struct Summary {
    pub customer: String,
    pub status: String,
    pub progress: String,
    pub updated: String,
}

impl Entry {
    fn read(path: PathBuf) -> Entry {
        let file = path
            .file_name()
            .map(|n| printable(&n.to_string_lossy()).into_owned())
            .unwrap_or_default();
        let read = store::load(&path)
            .map(|loaded| {
                let h = loaded.handoff;
                Summary {
                    customer: printable(h.customer()).into_owned(),
                    status: h.status.label().to_string(),
                    progress: h.progress_text(),
                    updated: time::minutes(h.updated_at),
                }
            })
            .map_err(|e| printable(&e.to_string()).into_owned());
        let locked_by = store::open_by(&path);
        Entry {
            path,
            file,
            read,
            locked_by,
        }
    }

    /// Whether `needle` (lower case) is part of the customer's name or the file's.
    fn matches(&self, needle: &str) -> bool {
        let customer = self.read.as_ref().map(|s| s.customer.as_str());
        self.file.to_lowercase().contains(needle)
            || customer.is_ok_and(|c| c.to_lowercase().contains(needle))
    }
}

pub struct Picker {
    dir: PathBuf,
    entries: Vec<Entry>,
    /// The selected handoff (an index into `entries`), or `None` for "New
    /// handoff…". The first saved handoff is selected at first (resuming is the
    /// common case); "New handoff…" when there are none.
    selected: Option<usize>,
    /// What the list is narrowed to (`/`): part of a customer's or file's name.
    filter: String,
    /// The filter is being typed: letters go into it.
    filtering: bool,
    /// The customer's name being typed for a new handoff.
    naming: Option<TextArea<'static>>,
    message: Option<String>,
}

impl Picker {
    /// The saved handoffs of `dir`.
    pub fn new(dir: &Path) -> Self {
        let entries: Vec<Entry> = store::list(dir)
            .unwrap_or_default()
            .into_iter()
            .map(Entry::read)
            .collect();
        Picker {
            dir: dir.to_path_buf(),
            selected: (!entries.is_empty()).then_some(0),
            entries,
            filter: String::new(),
            filtering: false,
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

    /// The entries the filter lets through, as indexes into `entries()`, in order.
    pub fn shown(&self) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        (0..self.entries.len())
            .filter(|&i| self.entries[i].matches(&needle))
            .collect()
    }

    /// The selected row among the shown ones: `shown().len()` for "New handoff…".
    pub fn selected_row(&self) -> usize {
        let shown = self.shown();
        self.selected
            .and_then(|s| shown.iter().position(|&i| i == s))
            .unwrap_or(shown.len())
    }

    /// The selected handoff, if a handoff (not "New handoff…") is selected.
    pub fn selected_entry(&self) -> Option<&Entry> {
        self.selected.and_then(|i| self.entries.get(i))
    }

    /// The filter, when one is typed or being typed.
    pub fn filter(&self) -> Option<&str> {
        (self.filtering || !self.filter.is_empty()).then_some(self.filter.as_str())
    }

    /// Whether keys go into the filter.
    pub fn filtering(&self) -> bool {
        self.filtering
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
        } else if self.filtering {
            KeyMode::PickerFilter
        } else {
            KeyMode::Picker
        }
    }

    /// Who holds which handoff changes while the picker is open: looked at again
    /// on every key (a few small files).
    fn refresh_locks(&mut self) {
        for entry in &mut self.entries {
            entry.locked_by = store::open_by(&entry.path);
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.refresh_locks();
        if let Action::Refused(why) = action {
            // The selection stays where it was: the next key must not open
            // another customer's handoff. Keys go back to the list (the filter
            // stays), so the `v` the message offers is a key, not a letter of it.
            self.message = Some(why);
            self.filtering = false;
            return Vec::new();
        }
        if matches!(action, Action::Quit | Action::Stop) {
            return vec![Effect::Exit];
        }
        self.message = None;
        if self.naming.is_some() {
            return self.typing_name(action);
        }
        if self.filtering {
            return self.typing_filter(action);
        }
        match action {
            Action::Up | Action::Down => self.step(action == Action::Down),
            Action::NewHandoff => self.naming = Some(TextArea::default()),
            Action::Filter => self.filtering = true,
            Action::Cancel if !self.filter.is_empty() => self.set_filter(String::new()),
            Action::Cancel => return vec![Effect::Exit],
            Action::Activate | Action::ViewReadOnly | Action::EditUnsaved => {
                return self.open(action);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Keys while the customer's name of a new handoff is typed.
    fn typing_name(&mut self, action: Action) -> Vec<Effect> {
        let Some(area) = &mut self.naming else {
            return Vec::new();
        };
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
            Action::ClearLine => *area = TextArea::default(),
            Action::Type(key) if !matches!(key.code, KeyCode::Char(c) if c.is_control()) => {
                area.input(key);
            }
            Action::Paste(text) => {
                area.insert_str(printable(&text.replace(['\r', '\n'], " ")));
            }
            _ => {}
        }
        Vec::new()
    }

    /// Keys while the filter is typed: letters narrow the list, the arrows move
    /// among what is left, Enter opens, Tab keeps the filter and goes back to the
    /// list, Esc clears it.
    fn typing_filter(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Up | Action::Down => self.step(action == Action::Down),
            Action::Activate => return self.open(action),
            Action::NextField | Action::PrevField => self.filtering = false,
            Action::Cancel => {
                self.filtering = false;
                self.set_filter(String::new());
            }
            Action::ClearLine => self.set_filter(String::new()),
            Action::Type(key) => {
                let mut filter = self.filter.clone();
                match key.code {
                    KeyCode::Backspace => {
                        filter.pop();
                    }
                    KeyCode::Char(c)
                        if !c.is_control() && !key.modifiers.contains(KeyModifiers::CONTROL) =>
                    {
                        filter.push(c);
                    }
                    _ => return Vec::new(),
                }
                self.set_filter(filter);
            }
            Action::Paste(text) => {
                let filter = format!(
                    "{}{}",
                    self.filter,
                    printable(&text.replace(['\r', '\n'], " "))
                );
                self.set_filter(filter);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Narrows the list to `filter`. The selected handoff stays selected while it
    /// is shown; otherwise the first one shown is (or "New handoff…").
    fn set_filter(&mut self, filter: String) {
        self.filter = filter;
        let shown = self.shown();
        if !self.selected.is_some_and(|s| shown.contains(&s)) {
            self.selected = shown.first().copied();
        }
    }

    /// ↑ or ↓ among the shown rows, "New handoff…" last.
    fn step(&mut self, down: bool) {
        let shown = self.shown();
        let row = self.selected_row();
        let row = if down {
            (row + 1).min(shown.len())
        } else {
            row.saturating_sub(1)
        };
        self.selected = shown.get(row).copied();
    }

    /// Enter or `v` on the selected row: open it, or name a new handoff.
    fn open(&mut self, action: Action) -> Vec<Effect> {
        match self.selected_entry() {
            Some(entry) => vec![Effect::Open {
                path: entry.path.clone(),
                how: match action {
                    Action::ViewReadOnly => Opening::View,
                    Action::EditUnsaved => Opening::Unsaved,
                    _ => Opening::Edit,
                },
            }],
            None if action == Action::Activate => {
                self.filtering = false;
                self.naming = Some(TextArea::default());
                Vec::new()
            }
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
