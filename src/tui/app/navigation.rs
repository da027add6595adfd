//! Moving around: steps, the rows of a step, the selection inside a list, the
//! review page's scroll, jumping to a blocker, and the resume position.

use crate::form::{self, Field, FieldKind, Step, form};
use crate::handoff::{Blocker, FieldValue, Position, Target};

use super::{App, EditTarget, Mode};
use crate::tui::action::Action;

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

impl App {
    pub fn rows(&self) -> Vec<Row> {
        rows(self.current_step())
    }

    pub fn current_row(&self) -> Option<Row> {
        self.rows().get(self.row).copied()
    }

    // ------------------------------------------------------------ position

    /// Goes to where the wizard was last time (if that step and row still exist).
    pub(super) fn restore_position(&mut self, position: &Position) {
        let form = form();
        if let Some(step) = form.step_index(&position.step) {
            self.step = step;
            let wanted = &position.field;
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

    /// Where the wizard is, to resume there next time.
    pub fn position(&self) -> Position {
        let step = self.current_step();
        let field = match self.current_row() {
            Some(Row::Field(i)) => step
                .fields
                .get(i)
                .map(|f| f.key.clone())
                .unwrap_or_default(),
            Some(Row::NotesLog) => "notes_log".into(),
            Some(Row::Checklist) => "checklist_items".into(),
            _ => String::new(),
        };
        Position {
            step: step.key.clone(),
            field,
        }
    }

    pub(super) fn reset_selection(&mut self) {
        self.sel = match self.current_row() {
            // The newest note is the one an engineer is most likely to want.
            Some(Row::NotesLog) => self.live_notes().len().saturating_sub(1),
            _ => 0,
        };
    }

    pub(super) fn go_to(&mut self, step: usize, row: usize) {
        let step = step.min(form().steps.len() - 1);
        if step != self.step {
            self.review.home();
        }
        // Each step remembers the row it was left on, for coming back to it.
        if let Some(left) = self.left_on.get_mut(self.step) {
            *left = self.row;
        }
        self.step = step;
        self.row = row;
        self.reset_selection();
    }

    /// To another step, at the row it was left on (its first the first time).
    fn go_to_step(&mut self, step: usize) {
        let step = step.min(form().steps.len() - 1);
        if step == self.step {
            return;
        }
        let row = self.left_on.get(step).copied().unwrap_or(0);
        let row = row.min(rows_of(step).len().saturating_sub(1));
        self.go_to(step, row);
    }

    /// What is wrong with the focused field's value, if it has one that is wrong.
    fn focused_problem(&self) -> Option<String> {
        let Some(Row::Field(i)) = self.current_row() else {
            return None;
        };
        let step = self.current_step();
        let field = step.fields.get(i)?;
        self.doc.value(&step.key, &field.key)?;
        self.doc.field_problem(step, field)
    }

    pub(super) fn browse(&mut self, action: Action) {
        let rows = self.rows();
        match action {
            Action::NextField => {
                if self.row + 1 < rows.len() {
                    self.go_to(self.step, self.row + 1);
                } else if let Some(problem) = self.focused_problem() {
                    // The last field is wrong: stay, where the error shows.
                    self.complain(format!("{problem} — fix it, or PgDn moves on"));
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
            // On the review page PgDn and PgUp turn its pages (there is no next
            // step); PgUp at the top goes back a step.
            Action::NextStep if self.current_row() == Some(Row::Summary) => {
                self.review.page(true);
            }
            Action::PrevStep
                if self.current_row() == Some(Row::Summary) && !self.review.at_top() =>
            {
                self.review.page(false);
            }
            Action::NextStep => self.go_to_step(self.step + 1),
            Action::PrevStep => self.go_to_step(self.step.saturating_sub(1)),
            // A step's key goes to its start, also on the step itself.
            Action::GoToStep(step) if step < form().steps.len() => self.go_to(step, 0),
            Action::Home | Action::End => {
                let end = action == Action::End;
                if self.current_row() == Some(Row::Summary) {
                    if end {
                        self.review.end();
                    } else {
                        self.review.home();
                    }
                } else if self.list_len() > 0 {
                    self.sel = if end { self.list_len() - 1 } else { 0 };
                }
            }
            Action::Viewport { lines, height } => self.review.fit(lines, height),
            Action::Read => self.read(),
            Action::Focus { row, sel } if row < rows.len() => {
                if row != self.row {
                    self.go_to(self.step, row);
                }
                if let Some(sel) = sel {
                    self.sel = sel;
                }
            }
            Action::ScrollUp | Action::ScrollDown => {
                let up = action == Action::ScrollUp;
                if self.current_row() == Some(Row::Summary) {
                    self.review.by(if up { -3 } else { 3 });
                } else {
                    self.move_within(if up { -1 } else { 1 });
                }
            }
            Action::Type(key) if self.on_text_field() => self.start_typing(key),
            Action::Paste(text) => {
                // Pasting on a field starts editing it with the pasted text.
                if matches!(self.current_row(), Some(Row::Field(_))) {
                    self.activate();
                    match std::mem::replace(&mut self.mode, Mode::Browse) {
                        Mode::Edit(editor) => self.edit(*editor, Action::Paste(text)),
                        other => self.mode = other,
                    }
                }
            }
            Action::Activate => self.activate(),
            Action::Toggle => self.toggle(),
            Action::Add => self.add(),
            Action::Delete => self.delete(),
            Action::OutOfScope => self.out_of_scope(),
            Action::Recategorize => self.recategorize(),
            Action::Save if self.writable() => self.save_now(),
            Action::ExternalEditor if self.writable() => {
                self.complain("Ctrl-E edits the text being typed: press Enter on a text first");
            }
            Action::SaveCopy if self.idle() => {
                // Allowed read-only too: it writes another file, never this one.
                self.open_editor(
                    EditTarget::CopyPath,
                    "",
                    false,
                    "Save a copy to (file path)".into(),
                );
            }
            Action::Help => {
                self.mode = Mode::Read(Box::new(super::Reader {
                    title: "Keys".into(),
                    text: crate::tui::keys::help_text(),
                    scroll: super::Scroll::default(),
                }));
            }
            Action::Quit => self.quit(),
            Action::Fill => self.ask_fill_source(),
            Action::Push => self.ask_push(),
            Action::Cancel if self.task().is_some() => self.stop_task(),
            _ => {}
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
            let before = self.review.offset;
            self.review.by(delta);
            // Past the top goes up a row; past the end, on to the blockers.
            if self.review.offset != before || (delta < 0 && before > 0) {
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

    pub(super) fn field(&self, step: usize, field: usize) -> &'static Field {
        &form().steps[step].fields[field]
    }

    /// Goes to the step and row a blocker points at.
    pub fn jump_to(&mut self, blocker: &Blocker) {
        let step = &form().steps[blocker.step];
        let rows = rows(step);
        // A conflict is found where the thing it is about is.
        let target = match &blocker.target {
            Target::Conflict(about) => match about.split_once('.') {
                Some((form::STEP_CHECKLIST, key)) => Target::ChecklistItem(key.to_string()),
                Some((_, field)) => Target::Field(field.to_string()),
                None => Target::NotesLog,
            },
            other => other.clone(),
        };
        let (row, sel) = match &target {
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
            Target::Conflict(_) => (None, None),
        };
        self.go_to(blocker.step, row.unwrap_or(0));
        if let Some(sel) = sel {
            self.sel = sel;
        }
    }
}

fn rows_of(step: usize) -> Vec<Row> {
    form().steps.get(step).map(rows).unwrap_or_default()
}
