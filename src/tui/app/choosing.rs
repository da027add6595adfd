//! Pop-up lists: a field's choices, a note's category, checklist items to add;
//! ticking checklist items.

use crate::form::{FieldKind, form};
use crate::handoff::{FieldValue, ItemState};
use crate::tui::action::Action;
use crate::validate;

use super::{App, Change, EditTarget, Mode, Row};

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
    /// Where `f` fills the step from (`fill::Source::ALL`, in order).
    FillSource,
    /// Keep this machine's value of the conflict, or take the other.
    Conflict {
        index: usize,
    },
}

impl App {
    pub(super) fn open_chooser(&mut self, field_index: usize) {
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

    /// Space: ticks the selected checklist item, or opens a choice.
    pub(super) fn toggle(&mut self) {
        match self.current_row() {
            Some(Row::Checklist) => {
                if !self.may(Change::Checklist) {
                    return;
                }
                let Some(user) = self.user() else {
                    self.ask_name(None);
                    return;
                };
                let now = (self.clock)();
                let Some(state) = self.doc.toggle_item(self.sel, &user, now) else {
                    return;
                };
                let title = self.doc.checklist_items[self.sel].title.clone();
                if state == ItemState::Done {
                    self.say(format!("\"{title}\" done"));
                } else {
                    self.say(format!("\"{title}\" is to do again"));
                }
                self.changed();
            }
            // Space picks; it never reads (Enter does, where nothing can change).
            Some(Row::Field(i))
                if matches!(
                    self.field(self.step, i).kind,
                    FieldKind::Choice | FieldKind::MultiChoice
                ) && self.may(Change::Field) =>
            {
                self.activate();
            }
            _ => {}
        }
    }

    /// `a`: adds a list entry, a note or a checklist item, whichever is focused.
    pub(super) fn add(&mut self) {
        // On the notes step, `a` adds a note wherever the focus is.
        let row = match self.current_row() {
            Some(Row::Field(_)) if self.current_step().key == crate::form::STEP_NOTES => {
                Some(Row::NotesLog)
            }
            row => row,
        };
        let change = match row {
            Some(Row::NotesLog) => Change::AddNote,
            Some(Row::Checklist) => Change::Checklist,
            _ => Change::Field,
        };
        if !self.may(change) {
            return;
        }
        match row {
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
                let mut options = vec![ChoiceOption {
                    label: "Custom item…".into(),
                    checked: false,
                    other: true,
                }];
                options.extend(
                    self.doc
                        .optional_items_left()
                        .into_iter()
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

    pub(super) fn open_category_chooser(&mut self, note: Option<usize>) {
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

    pub(super) fn recategorize(&mut self) {
        if self.current_row() == Some(Row::NotesLog)
            && self.may(Change::Note)
            && let Some(index) = self.live_notes().get(self.sel).copied()
        {
            self.open_category_chooser(Some(index));
        }
    }

    pub(super) fn choose(&mut self, mut chooser: Chooser, action: Action) {
        let n = chooser.options.len();
        match action {
            Action::Up => {
                chooser.selected = chooser
                    .selected
                    .checked_sub(1)
                    .unwrap_or(n.saturating_sub(1));
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
            Action::Save => self.save_now(),
            _ => {}
        }
        self.mode = Mode::Choose(chooser);
    }

    pub(super) fn pick(&mut self, chooser: Chooser) {
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
                if let Some(index) = note {
                    let Some(user) = self.user() else {
                        self.ask_name(None);
                        return;
                    };
                    let now = (self.clock)();
                    if self.doc.recategorize_note(index, &category.key, &user, now) {
                        self.changed();
                    }
                } else {
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
                    && let Some(index) = self.doc.add_optional_item(&template.key)
                {
                    self.sel = index;
                    self.changed();
                }
            }
            ChooserPurpose::FillSource => self.fill_from(chooser.selected),
            ChooserPurpose::Conflict { index } => {
                self.settle_conflict(index, chooser.selected == 1);
            }
        }
    }
}
