//! The wizard's state and `update(Action)`: no drawing, no terminal, no files.
//! Saving is asked for through `dirty` / `save_requested`; the runner does the I/O.

use ratatui::crossterm::event::KeyCode;
use ratatui_textarea::{TextArea, WrapMode};

use crate::form::{self, Field, FieldKind, Step, form};
use crate::handoff::{
    Blocker, ChecklistItem, FieldValue, Handoff, ItemState, NoteEntry, Origin, Status, Target,
    Timestamp,
};
use crate::validate;

use super::action::Action;
use super::keys::KeyMode;

/// One focusable line-up in a step: a field, or one of the lists that make a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Field(usize),
    NotesLog,
    Checklist,
    /// Review: the page of every value.
    Summary,
    /// Review: what blocks completion.
    Blockers,
    /// Review: the "Complete handoff" button.
    Complete,
}

/// The rows of a step, in Tab order.
pub fn rows(step: &Step) -> Vec<Row> {
    let mut rows: Vec<Row> = (0..step.fields.len()).map(Row::Field).collect();
    match step.key.as_str() {
        form::STEP_NOTES => rows.push(Row::NotesLog),
        form::STEP_CHECKLIST => rows.push(Row::Checklist),
        form::STEP_REVIEW => rows.extend([Row::Summary, Row::Blockers, Row::Complete]),
        _ => {}
    }
    rows
}

#[derive(Debug)]
pub enum Mode {
    Browse,
    Edit(Box<Editor>),
    Choose(Chooser),
    Confirm(Confirm),
    Help,
}

/// Text being typed, and where it goes when confirmed.
#[derive(Debug)]
pub struct Editor {
    pub target: EditTarget,
    pub area: TextArea<'static>,
    pub multiline: bool,
    pub original: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    /// The whole value of a field (text, url, date, numbers, long text).
    Field { step: usize, field: usize },
    /// One entry of a list field; `None` adds one.
    ListEntry {
        step: usize,
        field: usize,
        index: Option<usize>,
    },
    /// The free text of a choice's "Other".
    Other { step: usize, field: usize },
    /// A note's text; `None` adds a note of `category`.
    Note {
        index: Option<usize>,
        category: String,
    },
    /// Why a checklist item is out of scope.
    Reason { item: usize },
    /// The title of a new custom checklist item.
    CustomItem,
    /// Where to write a copy of the handoff.
    CopyPath,
}

#[derive(Debug, Clone)]
pub struct Chooser {
    pub purpose: ChooserPurpose,
    pub title: String,
    pub options: Vec<ChoiceOption>,
    pub selected: usize,
    pub multi: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    pub label: String,
    pub checked: bool,
    /// The "Other…" entry: asks for text.
    pub other: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooserPurpose {
    Choice {
        step: usize,
        field: usize,
    },
    MultiChoice {
        step: usize,
        field: usize,
    },
    /// A category for a new note (`None`) or an existing one.
    NoteCategory {
        note: Option<usize>,
    },
    /// Optional exit-criteria items, and "Custom item…".
    AddChecklistItem,
}

#[derive(Debug)]
pub struct Confirm {
    pub question: String,
    pub on_yes: Pending,
}

#[derive(Debug)]
pub enum Pending {
    DeleteListEntry {
        step: usize,
        field: usize,
        index: usize,
    },
    DeleteNote(usize),
    DeleteItem(usize),
    Complete,
    /// Esc on changed text: yes throws it away, no goes back to the editor.
    Discard(Box<Editor>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing changed since the file was opened.
    Unchanged,
    Saved(Timestamp),
    /// The last save failed; the work is kept in memory.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub doc: Handoff,
    /// Why nothing may be changed (`None` when editing is allowed).
    pub read_only: Option<String>,
    /// Who is at the keyboard: recorded as note author and as who ticked items.
    /// Empty until first needed, then `git config user.name` or the login name
    /// (asking git costs a process start the first frame should not wait for).
    user: String,
    pub step: usize,
    pub row: usize,
    /// The selection inside the focused list (entries, notes, items, blockers).
    pub sel: usize,
    /// Lines scrolled off the top of the review page.
    pub scroll: u16,
    pub mode: Mode,
    pub message: Option<Message>,
    /// A committed change the file does not have yet.
    pub dirty: bool,
    /// Ctrl-S: save even when nothing changed (writes the position too).
    pub save_requested: bool,
    pub save_state: SaveState,
    /// A file to write a copy of the handoff to; the runner takes it and calls `copied`.
    pub copy_to: Option<std::path::PathBuf>,
    /// Text to hand to `$EDITOR`; the runner takes it and answers with `ExternalEditDone`.
    pub external_edit: Option<String>,
    pub quit: bool,
    /// Indexes of the notes not deleted, in log order (see `refresh_live_notes`).
    live_notes: Vec<usize>,
    /// Quitting was asked once while the file could not be saved; the next quit means it.
    pub quit_anyway: bool,
    clock: fn() -> Timestamp,
}

impl App {
    pub fn new(doc: Handoff, user: String, read_only: Option<String>) -> Self {
        let read_only = read_only.or_else(|| {
            (doc.status == Status::Complete).then(|| {
                "this handoff is complete; `handoff reopen FILE` makes it editable again"
                    .to_string()
            })
        });
        let mut app = App {
            doc,
            read_only,
            user,
            step: 0,
            row: 0,
            sel: 0,
            scroll: 0,
            mode: Mode::Browse,
            message: None,
            dirty: false,
            save_requested: false,
            save_state: SaveState::Unchanged,
            external_edit: None,
            copy_to: None,
            quit: false,
            live_notes: Vec::new(),
            quit_anyway: false,
            clock: crate::handoff::now,
        };
        app.refresh_live_notes();
        app.restore_position();
        app
    }

    /// For tests: a fixed clock makes recorded times predictable.
    pub fn with_clock(mut self, clock: fn() -> Timestamp) -> Self {
        self.clock = clock;
        self
    }

    pub fn key_mode(&self) -> KeyMode {
        match &self.mode {
            Mode::Browse => KeyMode::Browse,
            Mode::Edit(e) if e.multiline => KeyMode::EditLong,
            Mode::Edit(_) => KeyMode::EditLine,
            Mode::Choose(_) => KeyMode::Choose,
            Mode::Confirm(_) => KeyMode::Confirm,
            Mode::Help => KeyMode::Help,
        }
    }

    pub fn current_step(&self) -> &'static Step {
        &form().steps[self.step.min(form().steps.len() - 1)]
    }

    pub fn rows(&self) -> Vec<Row> {
        rows(self.current_step())
    }

    pub fn current_row(&self) -> Option<Row> {
        self.rows().get(self.row).copied()
    }

    /// Notes shown in the log: the live ones, by index into `doc.notes_log`.
    pub fn live_notes(&self) -> &[usize] {
        &self.live_notes
    }

    /// The `n`th note shown in the log, with its index in `doc.notes_log`.
    pub fn live_note(&self, n: usize) -> Option<(usize, &NoteEntry)> {
        let index = *self.live_notes.get(n)?;
        Some((index, self.doc.notes_log.get(index)?))
    }

    /// Rebuilds the list of live notes: only when notes are added or deleted, so
    /// keys and frames never walk the whole log.
    fn refresh_live_notes(&mut self) {
        self.live_notes = (0..self.doc.notes_log.len())
            .filter(|&i| self.doc.notes_log[i].is_live())
            .collect();
    }

    fn user(&mut self) -> String {
        if self.user.is_empty() {
            self.user = crate::store::who_am_i();
        }
        self.user.clone()
    }

    /// The notes log, read after the first frame (see `store::load_split`).
    pub fn notes_loaded(&mut self, log: crate::store::NotesLog) {
        match log {
            crate::store::NotesLog::Unchanged => return,
            crate::store::NotesLog::Entries(notes, warnings) => {
                self.doc.notes_log = notes;
                if let (None, Some(first)) = (&self.message, warnings.into_iter().next()) {
                    self.say(first);
                }
            }
            crate::store::NotesLog::Whole(loaded) => self.doc = loaded.handoff,
        }
        self.refresh_live_notes();
        if self.current_row() == Some(Row::NotesLog) {
            self.reset_selection();
        }
    }

    // ------------------------------------------------------------ position

    fn restore_position(&mut self) {
        let form = form();
        if let Some(step) = form.step_index(&self.doc.position.step) {
            self.step = step;
            let wanted = &self.doc.position.field;
            let rows = self.rows();
            let found = rows.iter().position(|row| match row {
                Row::Field(i) => form.steps[step]
                    .fields
                    .get(*i)
                    .is_some_and(|f| &f.key == wanted),
                Row::NotesLog => wanted == "notes_log",
                Row::Checklist => wanted == "checklist_items",
                _ => false,
            });
            self.row = found.unwrap_or(0);
        }
        self.reset_selection();
    }

    /// Writes where the engineer is into the document, so the file remembers it.
    pub fn sync_position(&mut self) {
        let step = self.current_step();
        self.doc.position.step = step.key.clone();
        self.doc.position.field = match self.current_row() {
            Some(Row::Field(i)) => step
                .fields
                .get(i)
                .map(|f| f.key.clone())
                .unwrap_or_default(),
            Some(Row::NotesLog) => "notes_log".into(),
            Some(Row::Checklist) => "checklist_items".into(),
            _ => String::new(),
        };
    }

    fn reset_selection(&mut self) {
        self.sel = match self.current_row() {
            // The newest note is the one an engineer is most likely to want.
            Some(Row::NotesLog) => self.live_notes().len().saturating_sub(1),
            _ => 0,
        };
    }

    fn go_to(&mut self, step: usize, row: usize) {
        self.step = step.min(form().steps.len() - 1);
        self.row = row;
        self.scroll = 0;
        self.reset_selection();
    }

    // ------------------------------------------------------------ update

    pub fn update(&mut self, action: Action) {
        if !matches!(
            action,
            Action::Type(_) | Action::ScrollUp | Action::ScrollDown
        ) {
            self.message = None;
        }
        match std::mem::replace(&mut self.mode, Mode::Browse) {
            Mode::Browse => self.browse(action),
            Mode::Edit(editor) => self.edit(*editor, action),
            Mode::Choose(chooser) => self.choose(chooser, action),
            Mode::Confirm(confirm) => self.confirm(confirm, action),
            Mode::Help => {
                if action == Action::Quit {
                    self.quit();
                }
            }
        }
    }

    fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Editing actions pass through here: in a read-only session they are refused.
    fn writable(&mut self) -> bool {
        match &self.read_only {
            Some(why) => {
                let why = why.clone();
                self.complain(format!("Read-only: {why}"));
                false
            }
            None => true,
        }
    }

    /// A committed change: the runner saves it before the next key.
    fn changed(&mut self) {
        self.doc.updated_at = (self.clock)();
        self.dirty = true;
    }

    fn quit(&mut self) {
        self.sync_position();
        self.quit = true;
    }

    fn browse(&mut self, action: Action) {
        let rows = self.rows();
        match action {
            Action::NextField => {
                if self.row + 1 < rows.len() {
                    self.go_to(self.step, self.row + 1);
                } else {
                    self.go_to(self.step + 1, 0);
                }
            }
            Action::PrevField => {
                if self.row > 0 {
                    self.go_to(self.step, self.row - 1);
                } else if self.step > 0 {
                    let prev = self.step - 1;
                    let last = rows_of(prev).len().saturating_sub(1);
                    self.go_to(prev, last);
                }
            }
            Action::Up => self.move_within(-1),
            Action::Down => self.move_within(1),
            Action::NextStep => self.go_to(self.step + 1, 0),
            Action::PrevStep => self.go_to(self.step.saturating_sub(1), 0),
            Action::GoToStep(step) => {
                if step < form().steps.len() {
                    self.go_to(step, 0);
                }
            }
            Action::Focus { row, sel } => {
                if row < rows.len() {
                    if row != self.row {
                        self.go_to(self.step, row);
                    }
                    if let Some(sel) = sel {
                        self.sel = sel;
                    }
                }
            }
            Action::ScrollUp | Action::ScrollDown => {
                let up = action == Action::ScrollUp;
                if self.current_row() == Some(Row::Summary) {
                    self.scroll(if up { -3 } else { 3 });
                } else {
                    self.move_within(if up { -1 } else { 1 });
                }
            }
            Action::Paste(text) => {
                // Pasting on a field starts editing it with the pasted text.
                if matches!(self.current_row(), Some(Row::Field(_))) {
                    self.activate();
                    if matches!(self.mode, Mode::Edit(_)) {
                        self.update(Action::Paste(text));
                    }
                }
            }
            Action::Activate => self.activate(),
            Action::Toggle => self.toggle(),
            Action::Add => self.add(),
            Action::Delete => self.delete(),
            Action::OutOfScope => self.out_of_scope(),
            Action::Recategorize => self.recategorize(),
            Action::Save => {
                if self.writable() {
                    self.sync_position();
                    self.save_requested = true;
                }
            }
            Action::ExternalEditor => {
                if self.writable() {
                    self.complain("Ctrl-E edits the text being typed: press Enter on a text first");
                }
            }
            Action::SaveCopy => {
                // Allowed read-only too: it writes another file, never this one.
                self.open_editor(
                    EditTarget::CopyPath,
                    "",
                    false,
                    "Save a copy to (file path)".into(),
                );
            }
            Action::Help => self.mode = Mode::Help,
            Action::Quit => self.quit(),
            Action::Cancel
            | Action::Yes
            | Action::No
            | Action::Type(_)
            | Action::ExternalEditDone(_) => {}
        }
    }

    /// Up/Down: inside a list first, then on to the neighbouring row.
    fn move_within(&mut self, delta: isize) {
        let len = self.list_len();
        let next = self.sel as isize + delta;
        if len > 0 && next >= 0 && (next as usize) < len {
            self.sel = next as usize;
            return;
        }
        if self.current_row() == Some(Row::Summary) {
            self.scroll(delta as i32);
            if delta < 0 || self.scroll > 0 {
                return;
            }
        }
        let rows = self.rows().len();
        let row = self.row as isize + delta;
        if row >= 0 && (row as usize) < rows {
            self.go_to(self.step, row as usize);
            if delta < 0 {
                self.sel = self.list_len().saturating_sub(1);
            } else {
                self.sel = 0;
            }
        }
    }

    fn scroll(&mut self, delta: i32) {
        self.scroll = (i32::from(self.scroll) + delta).clamp(0, i32::from(u16::MAX)) as u16;
    }

    /// How many entries the focused row's list has (0 for plain fields).
    pub fn list_len(&self) -> usize {
        match self.current_row() {
            Some(Row::Field(i)) => {
                let field = &self.current_step().fields[i];
                match field.kind {
                    FieldKind::List => self.list_entries(self.step, i).len(),
                    _ => 0,
                }
            }
            Some(Row::NotesLog) => self.live_notes().len(),
            Some(Row::Checklist) => self.doc.checklist_items.len(),
            Some(Row::Blockers) => self.doc.blockers().len(),
            _ => 0,
        }
    }

    pub fn list_entries(&self, step: usize, field: usize) -> Vec<String> {
        let step = &form().steps[step];
        match self.doc.value(&step.key, &step.fields[field].key) {
            Some(FieldValue::List(items)) => items.clone(),
            Some(FieldValue::Text(t)) if !t.trim().is_empty() => {
                t.lines().map(String::from).collect()
            }
            _ => Vec::new(),
        }
    }

    fn field(&self, step: usize, field: usize) -> &'static Field {
        &form().steps[step].fields[field]
    }

    fn set_field(&mut self, step: usize, field: usize, value: Option<FieldValue>) {
        let step_def = &form().steps[step];
        let key = &step_def.fields[field].key;
        if self.doc.value(&step_def.key, key) != value.as_ref() {
            self.doc.set_value(&step_def.key, key, value);
            self.changed();
        }
    }

    fn activate(&mut self) {
        match self.current_row() {
            Some(Row::Field(i)) => {
                if !self.writable() {
                    return;
                }
                let field = self.field(self.step, i);
                match field.kind {
                    FieldKind::Choice | FieldKind::MultiChoice => self.open_chooser(i),
                    FieldKind::List => {
                        let entries = self.list_entries(self.step, i);
                        let index = (self.sel < entries.len()).then_some(self.sel);
                        let text = index.map(|n| entries[n].clone()).unwrap_or_default();
                        let title = format!(
                            "{} — entry {}",
                            field.label,
                            index.map_or(entries.len() + 1, |n| n + 1)
                        );
                        self.open_editor(
                            EditTarget::ListEntry {
                                step: self.step,
                                field: i,
                                index,
                            },
                            &text,
                            false,
                            title,
                        );
                    }
                    _ => {
                        let text = self
                            .doc
                            .value(&self.current_step().key, &field.key)
                            .map(FieldValue::to_input)
                            .unwrap_or_default();
                        let multiline = field.kind == FieldKind::LongText;
                        self.open_editor(
                            EditTarget::Field {
                                step: self.step,
                                field: i,
                            },
                            &text,
                            multiline,
                            field.label.clone(),
                        );
                    }
                }
            }
            Some(Row::NotesLog) => {
                if !self.writable() {
                    return;
                }
                match self.live_note(self.sel) {
                    Some((index, note)) => {
                        let (text, category) = (note.text.clone(), note.category.clone());
                        let title = format!("Note — {}", category_label(&category));
                        self.open_editor(
                            EditTarget::Note {
                                index: Some(index),
                                category,
                            },
                            &text,
                            true,
                            title,
                        );
                    }
                    None => self.add(),
                }
            }
            Some(Row::Checklist) => match self.doc.checklist_items.get(self.sel).map(|i| i.state) {
                Some(ItemState::OutOfScope) => self.out_of_scope(),
                Some(_) => self.toggle(),
                None => self.add(),
            },
            Some(Row::Blockers) => {
                if let Some(blocker) = self.doc.blockers().into_iter().nth(self.sel) {
                    self.jump_to(&blocker);
                }
            }
            Some(Row::Complete) => {
                if !self.writable() {
                    return;
                }
                let blockers = self.doc.blockers();
                if blockers.is_empty() {
                    self.mode = Mode::Confirm(Confirm {
                        question: "Mark this handoff complete? It becomes read-only for everyone."
                            .into(),
                        on_yes: Pending::Complete,
                    });
                } else {
                    let n = blockers.len();
                    let first = &blockers[0].message;
                    self.complain(format!(
                        "Cannot complete: {n} {} it (listed above). First: {first}",
                        if n == 1 {
                            "thing blocks"
                        } else {
                            "things block"
                        }
                    ));
                    if let Some(row) = self.rows().iter().position(|r| *r == Row::Blockers) {
                        self.row = row;
                        self.sel = 0;
                    }
                }
            }
            Some(Row::Summary) | None => {}
        }
    }

    /// Goes to the step and row a blocker points at.
    pub fn jump_to(&mut self, blocker: &Blocker) {
        let step = &form().steps[blocker.step];
        let rows = rows(step);
        let (row, sel) = match &blocker.target {
            Target::Field(key) => {
                let field = step.fields.iter().position(|f| &f.key == key);
                (
                    rows.iter().position(|r| Some(*r) == field.map(Row::Field)),
                    None,
                )
            }
            Target::NotesLog => (rows.iter().position(|r| *r == Row::NotesLog), None),
            Target::ChecklistItem(key) => (
                rows.iter().position(|r| *r == Row::Checklist),
                self.doc.checklist_items.iter().position(|i| &i.key == key),
            ),
        };
        self.go_to(blocker.step, row.unwrap_or(0));
        if let Some(sel) = sel {
            self.sel = sel;
        }
    }

    fn open_editor(&mut self, target: EditTarget, text: &str, multiline: bool, title: String) {
        let area = text_area(text, multiline);
        let original = area.lines().join("\n");
        self.mode = Mode::Edit(Box::new(Editor {
            target,
            area,
            multiline,
            original,
            title,
        }));
    }

    fn open_chooser(&mut self, field_index: usize) {
        let field = self.field(self.step, field_index);
        let current = self.doc.value(&self.current_step().key, &field.key);
        let multi = field.kind == FieldKind::MultiChoice;
        let chosen: Vec<String> = match current {
            Some(FieldValue::List(items)) => items.clone(),
            Some(FieldValue::Text(t)) if !t.is_empty() => vec![t.clone()],
            _ => Vec::new(),
        };
        let mut options: Vec<ChoiceOption> = field
            .choices
            .iter()
            .map(|c| ChoiceOption {
                label: c.clone(),
                checked: chosen.contains(c),
                other: false,
            })
            .collect();
        // Others already given are listed so they can be unticked.
        for other in chosen.iter().filter(|c| !field.choices.contains(c)) {
            options.push(ChoiceOption {
                label: other.clone(),
                checked: true,
                other: false,
            });
        }
        if field.other {
            options.push(ChoiceOption {
                label: "Other…".into(),
                checked: false,
                other: true,
            });
        }
        let selected = options.iter().position(|o| o.checked).unwrap_or(0);
        let purpose = if multi {
            ChooserPurpose::MultiChoice {
                step: self.step,
                field: field_index,
            }
        } else {
            ChooserPurpose::Choice {
                step: self.step,
                field: field_index,
            }
        };
        self.mode = Mode::Choose(Chooser {
            purpose,
            title: field.label.clone(),
            options,
            selected,
            multi,
        });
    }

    fn toggle(&mut self) {
        match self.current_row() {
            Some(Row::Checklist) => {
                if !self.writable() {
                    return;
                }
                let now = (self.clock)();
                let user = self.user();
                let Some(item) = self.doc.checklist_items.get_mut(self.sel) else {
                    return;
                };
                let title = item.title.clone();
                if item.state == ItemState::Done {
                    item.state = ItemState::Todo;
                    item.done_by = None;
                    item.done_at = None;
                    self.say(format!("\"{title}\" is to do again"));
                } else {
                    item.state = ItemState::Done;
                    item.done_by = Some(user);
                    item.done_at = Some(now);
                    item.reason = None;
                    self.say(format!("\"{title}\" done"));
                }
                self.changed();
            }
            Some(Row::Field(i))
                if matches!(
                    self.field(self.step, i).kind,
                    FieldKind::Choice | FieldKind::MultiChoice
                ) =>
            {
                self.activate();
            }
            _ => {}
        }
    }

    fn add(&mut self) {
        if !self.writable() {
            return;
        }
        match self.current_row() {
            Some(Row::Field(i)) if self.field(self.step, i).kind == FieldKind::List => {
                let field = self.field(self.step, i);
                let n = self.list_entries(self.step, i).len();
                let title = format!("{} — entry {}", field.label, n + 1);
                self.open_editor(
                    EditTarget::ListEntry {
                        step: self.step,
                        field: i,
                        index: None,
                    },
                    "",
                    false,
                    title,
                );
            }
            Some(Row::NotesLog) => self.open_category_chooser(None),
            Some(Row::Checklist) => {
                let present: Vec<&str> = self
                    .doc
                    .checklist_items
                    .iter()
                    .map(|i| i.key.as_str())
                    .collect();
                let mut options = vec![ChoiceOption {
                    label: "Custom item…".into(),
                    checked: false,
                    other: true,
                }];
                options.extend(
                    form()
                        .checklist
                        .optional
                        .iter()
                        .filter(|t| !present.contains(&t.key.as_str()))
                        .map(|t| ChoiceOption {
                            label: t.title.clone(),
                            checked: false,
                            other: false,
                        }),
                );
                self.mode = Mode::Choose(Chooser {
                    purpose: ChooserPurpose::AddChecklistItem,
                    title: "Add a checklist item".into(),
                    options,
                    selected: 0,
                    multi: false,
                });
            }
            _ => self.say("Nothing to add here: `a` adds list entries, notes and checklist items"),
        }
    }

    fn open_category_chooser(&mut self, note: Option<usize>) {
        let current = note
            .and_then(|i| self.doc.notes_log.get(i))
            .map(|n| n.category.clone());
        let options: Vec<ChoiceOption> = form()
            .note_categories
            .iter()
            .map(|c| ChoiceOption {
                label: c.label.clone(),
                checked: current.as_deref() == Some(c.key.as_str()),
                other: false,
            })
            .collect();
        let selected = options.iter().position(|o| o.checked).unwrap_or(0);
        self.mode = Mode::Choose(Chooser {
            purpose: ChooserPurpose::NoteCategory { note },
            title: if note.is_some() {
                "Change the note's category".into()
            } else {
                "New note: category".into()
            },
            options,
            selected,
            multi: false,
        });
    }

    fn recategorize(&mut self) {
        if self.current_row() == Some(Row::NotesLog)
            && self.writable()
            && let Some(index) = self.live_notes().get(self.sel).copied()
        {
            self.open_category_chooser(Some(index));
        }
    }

    fn delete(&mut self) {
        if !self.writable() {
            return;
        }
        let (question, on_yes) = match self.current_row() {
            Some(Row::Field(i)) if self.field(self.step, i).kind == FieldKind::List => {
                let entries = self.list_entries(self.step, i);
                let Some(entry) = entries.get(self.sel) else {
                    return;
                };
                (
                    format!("Delete \"{entry}\"?"),
                    Pending::DeleteListEntry {
                        step: self.step,
                        field: i,
                        index: self.sel,
                    },
                )
            }
            Some(Row::NotesLog) => {
                let Some((index, note)) = self.live_note(self.sel) else {
                    return;
                };
                let when = crate::handoff::time::minutes(note.created_at);
                (
                    format!(
                        "Delete the note of {when} ({})?",
                        category_label(&note.category)
                    ),
                    Pending::DeleteNote(index),
                )
            }
            Some(Row::Checklist) => {
                let Some(item) = self.doc.checklist_items.get(self.sel) else {
                    return;
                };
                match item.origin {
                    Origin::Custom | Origin::Optional => (
                        format!("Delete \"{}\" from the checklist?", item.title),
                        Pending::DeleteItem(self.sel),
                    ),
                    Origin::Default => {
                        self.complain(
                            "Default items stay on the checklist: mark it out of scope (o) instead",
                        );
                        return;
                    }
                    Origin::Environment => {
                        self.complain(
                            "Remove the environment from Customer environments to drop its item",
                        );
                        return;
                    }
                }
            }
            _ => {
                self.say("Nothing to delete here");
                return;
            }
        };
        self.mode = Mode::Confirm(Confirm { question, on_yes });
    }

    fn out_of_scope(&mut self) {
        if self.current_row() != Some(Row::Checklist) {
            self.say("`o` marks a checklist item out of scope");
            return;
        }
        if !self.writable() {
            return;
        }
        if let Some(item) = self.doc.checklist_items.get(self.sel) {
            let reason = item.reason.clone().unwrap_or_default();
            let title = format!("Why is \"{}\" out of scope?", item.title);
            self.open_editor(EditTarget::Reason { item: self.sel }, &reason, false, title);
        }
    }

    // ------------------------------------------------------------ editing

    fn edit(&mut self, mut editor: Editor, action: Action) {
        match action {
            Action::Type(key) => {
                // A control character would reach the terminal when drawn.
                if !matches!(key.code, KeyCode::Char(c) if c.is_control()) {
                    editor.area.input(key);
                }
                self.mode = Mode::Edit(Box::new(editor));
            }
            Action::Paste(text) => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                let text = if editor.multiline {
                    text.split('\n')
                        .map(|line| crate::tui::text::printable(line))
                        .collect::<Vec<_>>()
                        .join("\n")
                } else {
                    crate::tui::text::printable(&text.replace('\n', " ")).into_owned()
                };
                editor.area.insert_str(text);
                self.mode = Mode::Edit(Box::new(editor));
            }
            Action::Activate => {
                if let Err(editor) = self.commit(editor) {
                    self.mode = Mode::Edit(editor);
                }
            }
            Action::Save => {
                if let Err(editor) = self.commit(editor) {
                    self.mode = Mode::Edit(editor);
                } else {
                    self.sync_position();
                    self.save_requested = true;
                }
            }
            Action::NextField | Action::PrevField
                if matches!(
                    editor.target,
                    EditTarget::Note { .. } | EditTarget::Reason { .. } | EditTarget::CustomItem
                ) =>
            {
                // Not fields: Tab finishes the text and stays on the list it belongs to.
                if let Err(editor) = self.commit(editor) {
                    self.mode = Mode::Edit(editor);
                }
            }
            Action::NextField | Action::PrevField | Action::NextStep | Action::PrevStep => {
                // Leaving never traps: text that cannot be committed is kept as a draft.
                let kept = self.commit(editor);
                if let Err(editor) = kept {
                    self.keep_as_draft(*editor);
                }
                self.browse(action);
            }
            Action::Cancel => {
                let text = editor_text(&editor);
                if editor.multiline && text != editor.original {
                    self.mode = Mode::Confirm(Confirm {
                        question: "Throw away what you typed here?".into(),
                        on_yes: Pending::Discard(Box::new(editor)),
                    });
                }
            }
            Action::ExternalEditor => {
                self.external_edit = Some(editor_text(&editor));
                self.mode = Mode::Edit(Box::new(editor));
            }
            Action::ExternalEditDone(text) => {
                if let Some(text) = text {
                    editor.area = text_area(text.trim_end_matches('\n'), editor.multiline);
                } else {
                    self.complain("The external editor failed; your text is as it was");
                }
                self.mode = Mode::Edit(Box::new(editor));
            }
            Action::Quit => {
                if let Err(editor) = self.commit(editor) {
                    self.keep_as_draft(*editor);
                }
                self.quit();
            }
            _ => self.mode = Mode::Edit(Box::new(editor)),
        }
    }

    /// Applies the editor's text. Errors give the editor back with a message;
    /// field values are never refused (an invalid one is kept as a draft).
    fn commit(&mut self, editor: Editor) -> Result<(), Box<Editor>> {
        let text = editor_text(&editor);
        match editor.target.clone() {
            EditTarget::Field { step, field } => {
                let def = self.field(step, field);
                let value = match validate::parse(def, &text) {
                    Ok(value) => value,
                    Err(e) => {
                        self.complain(format!("{}: {e} (kept as typed)", def.label));
                        Some(FieldValue::Text(text.trim().to_string()))
                    }
                };
                self.set_field(step, field, value);
            }
            EditTarget::ListEntry { step, field, index } => {
                let mut entries = self.list_entries(step, field);
                let entry = text.trim().to_string();
                match (index, entry.is_empty()) {
                    (Some(i), true) if i < entries.len() => {
                        entries.remove(i);
                    }
                    (Some(i), false) if i < entries.len() => entries[i] = entry,
                    (_, true) => {}
                    (_, false) => {
                        entries.push(entry);
                        self.sel = entries.len() - 1;
                    }
                }
                let value = (!entries.is_empty()).then_some(FieldValue::List(entries));
                self.set_field(step, field, value);
                let def = self.field(step, field);
                if let Some(Err(e)) = self
                    .doc
                    .value(&form().steps[step].key, &def.key)
                    .map(|v| validate::check(def, v))
                {
                    self.complain(format!("{}: {e}", def.label));
                }
            }
            EditTarget::Other { step, field } => {
                let other = text.trim().to_string();
                if other.is_empty() {
                    return Ok(());
                }
                let def = self.field(step, field);
                let value = match (def.kind, self.doc.value(&form().steps[step].key, &def.key)) {
                    (FieldKind::MultiChoice, Some(FieldValue::List(items))) => {
                        let mut items = items.clone();
                        if !items.contains(&other) {
                            items.push(other);
                        }
                        FieldValue::List(items)
                    }
                    (FieldKind::MultiChoice, _) => FieldValue::List(vec![other]),
                    _ => FieldValue::Text(other),
                };
                self.set_field(step, field, Some(value));
            }
            EditTarget::Note { index, category } => {
                let body = text.trim_end().to_string();
                if body.trim().is_empty() {
                    self.complain("A note needs some text (Esc to leave without one)");
                    return Err(Box::new(editor));
                }
                let now = (self.clock)();
                match index.and_then(|i| self.doc.notes_log.get_mut(i)) {
                    Some(note) => {
                        if note.text != body {
                            note.text = body;
                            note.edited_at = Some(now);
                            self.changed();
                        }
                    }
                    None => {
                        self.add_note(category, body);
                        self.say("Note added");
                    }
                }
            }
            EditTarget::Reason { item } => {
                let reason = text.trim().to_string();
                if reason.is_empty() {
                    self.complain(
                        "Out of scope needs a reason: say why, or Esc to leave the item as it was",
                    );
                    return Err(Box::new(editor));
                }
                if let Some(item) = self.doc.checklist_items.get_mut(item) {
                    item.state = ItemState::OutOfScope;
                    item.reason = Some(reason);
                    item.done_by = None;
                    item.done_at = None;
                    let title = item.title.clone();
                    self.say(format!("\"{title}\" is out of scope"));
                    self.changed();
                }
            }
            EditTarget::CopyPath => {
                let path = text.trim();
                if !path.is_empty() {
                    self.copy_to = Some(std::path::PathBuf::from(path));
                }
            }
            EditTarget::CustomItem => {
                let title = text.trim().to_string();
                if title.is_empty() {
                    return Ok(());
                }
                let n = (1..)
                    .find(|n| {
                        !self
                            .doc
                            .checklist_items
                            .iter()
                            .any(|i| i.key == format!("custom-{n}"))
                    })
                    .unwrap_or(1);
                let item = ChecklistItem::to_do(format!("custom-{n}"), title, Origin::Custom);
                self.doc.checklist_items.push(item);
                self.sel = self.doc.checklist_items.len() - 1;
                self.changed();
            }
        }
        Ok(())
    }

    /// Appends a note by the user at the keyboard, now, and selects it.
    fn add_note(&mut self, category: String, text: String) {
        let note = NoteEntry {
            category,
            author: self.user(),
            created_at: (self.clock)(),
            edited_at: None,
            deleted_at: None,
            text,
        };
        self.doc.notes_log.push(note);
        self.refresh_live_notes();
        self.sel = self.live_notes.len().saturating_sub(1);
        self.changed();
    }

    /// Leaving an editor whose text cannot be committed: nothing typed is lost.
    fn keep_as_draft(&mut self, editor: Editor) {
        let text = editor_text(&editor);
        if text.trim().is_empty() || text == editor.original {
            return;
        }
        match editor.target {
            EditTarget::Note {
                index: None,
                category,
            } => {
                // An empty-looking note was refused above; any other text becomes a note.
                self.add_note(category, text.trim_end().to_string());
            }
            _ => self.complain("Left without saving that text: it was not valid there"),
        }
    }

    // ------------------------------------------------------------ choosers and questions

    fn choose(&mut self, mut chooser: Chooser, action: Action) {
        let n = chooser.options.len();
        match action {
            Action::Up => {
                chooser.selected = chooser
                    .selected
                    .checked_sub(1)
                    .unwrap_or(n.saturating_sub(1))
            }
            Action::Down => {
                chooser.selected = if chooser.selected + 1 >= n {
                    0
                } else {
                    chooser.selected + 1
                }
            }
            Action::Toggle if chooser.multi => {
                if let Some(option) = chooser.options.get_mut(chooser.selected) {
                    if option.other {
                        self.pick(chooser);
                        return;
                    }
                    option.checked = !option.checked;
                }
            }
            Action::Toggle | Action::Activate => {
                self.pick(chooser);
                return;
            }
            Action::Cancel => return,
            Action::Quit => {
                self.quit();
                return;
            }
            Action::Save => {
                self.sync_position();
                self.save_requested = true;
            }
            _ => {}
        }
        self.mode = Mode::Choose(chooser);
    }

    fn pick(&mut self, chooser: Chooser) {
        let Some(option) = chooser.options.get(chooser.selected).cloned() else {
            return;
        };
        match chooser.purpose {
            ChooserPurpose::Choice { step, field } => {
                if option.other {
                    let current = match self
                        .doc
                        .value(&form().steps[step].key, &self.field(step, field).key)
                    {
                        Some(FieldValue::Text(t))
                            if !validate::is_listed_choice(self.field(step, field), t) =>
                        {
                            t.clone()
                        }
                        _ => String::new(),
                    };
                    let title = format!("{} — other", self.field(step, field).label);
                    self.open_editor(EditTarget::Other { step, field }, &current, false, title);
                } else {
                    self.set_field(step, field, Some(FieldValue::Text(option.label.clone())));
                    if let Some(warning) = self.field(step, field).warn.get(&option.label) {
                        self.complain(warning.clone());
                    }
                }
            }
            ChooserPurpose::MultiChoice { step, field } => {
                let checked: Vec<String> = chooser
                    .options
                    .iter()
                    .filter(|o| o.checked && !o.other)
                    .map(|o| o.label.clone())
                    .collect();
                self.set_field(
                    step,
                    field,
                    (!checked.is_empty()).then_some(FieldValue::List(checked)),
                );
                if option.other {
                    let title = format!("{} — other", self.field(step, field).label);
                    self.open_editor(EditTarget::Other { step, field }, "", false, title);
                }
            }
            ChooserPurpose::NoteCategory { note } => {
                let Some(category) = form().note_categories.get(chooser.selected) else {
                    return;
                };
                match note.and_then(|i| self.doc.notes_log.get_mut(i)) {
                    Some(entry) => {
                        if entry.category != category.key {
                            entry.category = category.key.clone();
                            entry.edited_at = Some((self.clock)());
                            self.changed();
                        }
                    }
                    None => {
                        let title = format!("New note — {}", category.label);
                        self.open_editor(
                            EditTarget::Note {
                                index: None,
                                category: category.key.clone(),
                            },
                            "",
                            true,
                            title,
                        );
                    }
                }
            }
            ChooserPurpose::AddChecklistItem => {
                if option.other {
                    self.open_editor(
                        EditTarget::CustomItem,
                        "",
                        false,
                        "New checklist item".into(),
                    );
                } else if let Some(template) = form()
                    .checklist
                    .optional
                    .iter()
                    .find(|t| t.title == option.label)
                {
                    let item = ChecklistItem::to_do(
                        template.key.clone(),
                        template.title.clone(),
                        Origin::Optional,
                    );
                    self.doc.checklist_items.push(item);
                    self.sel = self.doc.checklist_items.len() - 1;
                    self.changed();
                }
            }
        }
    }

    fn confirm(&mut self, confirm: Confirm, action: Action) {
        match action {
            Action::Yes => self.carry_out(confirm.on_yes),
            Action::No => {
                if let Pending::Discard(editor) = confirm.on_yes {
                    self.mode = Mode::Edit(editor);
                }
            }
            Action::Quit => {
                if let Pending::Discard(editor) = confirm.on_yes
                    && let Err(editor) = self.commit(*editor)
                {
                    self.keep_as_draft(*editor);
                }
                self.quit();
            }
            _ => self.mode = Mode::Confirm(confirm),
        }
    }

    fn carry_out(&mut self, pending: Pending) {
        let now = (self.clock)();
        match pending {
            Pending::DeleteListEntry { step, field, index } => {
                let mut entries = self.list_entries(step, field);
                if index < entries.len() {
                    entries.remove(index);
                    self.set_field(
                        step,
                        field,
                        (!entries.is_empty()).then_some(FieldValue::List(entries)),
                    );
                    self.sel = self.sel.min(self.list_len().saturating_sub(1));
                }
            }
            Pending::DeleteNote(index) => {
                if let Some(note) = self.doc.notes_log.get_mut(index) {
                    note.deleted_at = Some(now);
                    self.refresh_live_notes();
                    self.changed();
                    self.sel = self.sel.min(self.live_notes().len().saturating_sub(1));
                    self.say("Note deleted (kept in the file, marked deleted)");
                }
            }
            Pending::DeleteItem(index) => {
                if index < self.doc.checklist_items.len() {
                    self.doc.checklist_items.remove(index);
                    self.changed();
                    self.sel = self
                        .sel
                        .min(self.doc.checklist_items.len().saturating_sub(1));
                }
            }
            Pending::Complete => {
                let user = self.user();
                match self.doc.complete(&user, now) {
                    Ok(()) => {
                        self.dirty = true;
                        self.read_only = Some("this handoff is complete; `handoff reopen FILE` makes it editable again".into());
                        self.say("Handoff complete. It is read-only from now on.");
                    }
                    Err(blockers) => self.complain(format!(
                        "Cannot complete: {} things block it",
                        blockers.len()
                    )),
                }
            }
            Pending::Discard(_) => {}
        }
    }

    // ------------------------------------------------------------ saving

    /// The runner reports how a save went.
    pub fn saved(&mut self, result: Result<Timestamp, String>) {
        self.save_requested = false;
        match result {
            Ok(at) => {
                self.dirty = false;
                self.save_state = SaveState::Saved(at);
            }
            Err(e) => {
                self.save_state = SaveState::Failed(e.clone());
                self.complain(format!(
                    "Not saved: {e}. Work kept, saved on the next change; Ctrl-O saves a copy."
                ));
            }
        }
    }

    /// The runner reports how writing a copy went.
    pub fn copied(&mut self, path: &std::path::Path, result: Result<(), String>) {
        match result {
            Ok(()) => self.say(format!("Saved a copy to {}", path.display())),
            Err(e) => self.complain(format!("No copy written: {e}")),
        }
    }

    pub fn warn_unsaved_quit(&mut self) {
        let why = match &self.save_state {
            SaveState::Failed(e) => e.clone(),
            _ => "the file could not be saved".into(),
        };
        self.complain(format!(
            "Not saved: {why}. Press q again to quit and lose it, Ctrl-S to retry, Ctrl-O to save a copy."
        ));
    }

    /// The text of the editor that is open, if any.
    pub fn editor(&self) -> Option<&Editor> {
        match &self.mode {
            Mode::Edit(e) => Some(e),
            Mode::Confirm(Confirm {
                on_yes: Pending::Discard(e),
                ..
            }) => Some(e),
            _ => None,
        }
    }

    /// What is wrong with the text being typed, as it is typed.
    pub fn editor_problem(&self) -> Option<String> {
        let editor = self.editor()?;
        let text = editor_text(editor);
        match &editor.target {
            EditTarget::Field { step, field } => {
                validate::parse(self.field(*step, *field), &text).err()
            }
            EditTarget::ListEntry { step, field, .. } => {
                let entry = text.trim();
                if entry.is_empty() {
                    return None;
                }
                validate::check_list_entry(self.field(*step, *field), entry).err()
            }
            EditTarget::Reason { .. } if text.trim().is_empty() => {
                Some("A reason is required".into())
            }
            _ => None,
        }
    }
}

fn rows_of(step: usize) -> Vec<Row> {
    form().steps.get(step).map(rows).unwrap_or_default()
}

/// An editor holding `text`, cursor at its end. Control characters in the text
/// (possible in a hand-edited file) are shown as `�` and saved so if edited.
fn text_area(text: &str, multiline: bool) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines()
            .map(|line| crate::tui::text::printable(line).into_owned())
            .collect()
    };
    let mut area = TextArea::new(lines);
    style_editor(&mut area, multiline);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

/// How every editor looks: long texts wrap; a line is underlined; the cursor is a
/// reversed cell (it works without colour too).
fn style_editor(area: &mut TextArea<'static>, multiline: bool) {
    use ratatui::style::{Modifier, Style};
    if multiline {
        area.set_wrap_mode(WrapMode::WordOrGlyph);
    } else {
        area.set_style(Style::new().add_modifier(Modifier::UNDERLINED));
    }
    area.set_cursor_line_style(Style::default());
    area.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
}

pub fn editor_text(editor: &Editor) -> String {
    editor.area.lines().join("\n")
}

pub fn category_label(key: &str) -> &str {
    form().note_category(key).map_or(key, |c| c.label.as_str())
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
