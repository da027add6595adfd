//! Yes/no questions, and what a yes carries out: deleting, completing, throwing
//! typed text away.

use crate::form::FieldKind;
use crate::handoff::FieldValue;
use crate::tui::action::Action;

use super::{App, Change, Editor, Mode, Row, category_label};

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
    /// Then asks why.
    OutOfScope(usize),
    Complete,
    /// Esc on changed text: yes throws it away, no goes back to the editor.
    Discard(Box<Editor>),
    /// Send the dashboard fields and notes to Vitally.
    Push,
    /// Quitting in a synced directory: sync now (yes) or not (no), remembered.
    SyncOnQuit,
}

impl App {
    /// `d`: asks before deleting a list entry, a note or a checklist item.
    pub(super) fn delete(&mut self) {
        let change = match self.current_row() {
            Some(Row::NotesLog) => Change::Note,
            Some(Row::Checklist) => Change::Checklist,
            _ => Change::Field,
        };
        if !self.may(change) {
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
                if let Some(why) = self.doc.item_removal_refused(self.sel) {
                    self.complain(why);
                    return;
                }
                (
                    format!("Delete \"{}\" from the checklist?", item.title),
                    Pending::DeleteItem(self.sel),
                )
            }
            _ => {
                self.say("Nothing to delete here");
                return;
            }
        };
        self.mode = Mode::Confirm(Confirm { question, on_yes });
    }

    /// Enter on "Complete handoff": asks first, or says what blocks it.
    pub(super) fn ask_to_complete(&mut self) {
        if !self.may(Change::Complete) {
            return;
        }
        let blockers = self.doc.blockers();
        if blockers.is_empty() {
            self.mode = Mode::Confirm(Confirm {
                question: "Mark this handoff complete? From then on only the code hosts and new notes can change.".into(),
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

    pub(super) fn confirm(&mut self, confirm: Confirm, action: Action) {
        match action {
            Action::Yes => self.carry_out(confirm.on_yes),
            Action::No => match confirm.on_yes {
                Pending::Discard(editor) => self.mode = Mode::Edit(editor),
                Pending::SyncOnQuit => self.decide_sync(false),
                _ => {}
            },
            // Quitting again at the question: leave, without syncing this time.
            Action::Quit if matches!(confirm.on_yes, Pending::SyncOnQuit) => {
                self.sync_on_quit = Some(Some(false));
                self.quit();
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

    pub(super) fn carry_out(&mut self, pending: Pending) {
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
                let Some(user) = self.user() else {
                    self.ask_name(None);
                    return;
                };
                if self.doc.delete_note(index, &user, now) {
                    self.refresh_live_notes();
                    self.changed();
                    self.sel = self.sel.min(self.live_notes().len().saturating_sub(1));
                    self.say("Note deleted (kept in the file, marked deleted)");
                }
            }
            Pending::DeleteItem(index) => {
                if self.doc.remove_item(index).is_ok() {
                    self.changed();
                    self.sel = self
                        .sel
                        .min(self.doc.checklist_items.len().saturating_sub(1));
                }
            }
            Pending::Complete => {
                let Some(user) = self.user() else {
                    self.ask_name(None);
                    return;
                };
                match self.doc.complete(&user, now) {
                    Ok(()) => {
                        self.dirty = true;
                        self.say(
                            "Handoff complete. From now on only the code hosts and new notes can change, each recorded.",
                        );
                    }
                    Err(blockers) => self.complain(format!(
                        "Cannot complete: {} things block it",
                        blockers.len()
                    )),
                }
            }
            Pending::OutOfScope(index) => self.ask_reason(index),
            Pending::Discard(_) => {}
            Pending::Push => self.push(),
            Pending::SyncOnQuit => self.decide_sync(true),
        }
    }
}
