//! Text being typed: opening an editor on a field, a list entry, a note, a reason
//! or a path, what each key does to it, and committing it to the document.

use ratatui::crossterm::event::KeyCode;
use ratatui_textarea::{TextArea, WrapMode};

use crate::form::{FieldKind, form};
use crate::handoff::{FieldValue, ItemState};
use crate::tui::action::Action;
use crate::tui::effect::Effect;
use crate::validate;

use super::{App, Change, Confirm, Mode, Pending, Row};

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
    /// Who is at the keyboard, when nothing gives a name.
    Name,
}

impl App {
    /// Sets a field by the document's rule (after completion the change goes in
    /// the history, by the person at the keyboard).
    pub(super) fn set_field(&mut self, step: usize, field: usize, value: Option<FieldValue>) {
        let step_def = &form().steps[step];
        let key = &step_def.fields[field].key;
        if self.doc.value(&step_def.key, key) == value.as_ref() {
            return;
        }
        let by = if self.doc.status == crate::handoff::Status::Complete {
            let Some(user) = self.user() else {
                self.ask_name(None);
                return;
            };
            user
        } else {
            self.user.clone().unwrap_or_default()
        };
        let author = crate::handoff::Author::typing(&by, (self.clock)());
        match self.doc.change_field(&step_def.key, key, value, author) {
            Ok(true) => self.changed(),
            Ok(false) => {}
            // A closed step is read-only; anything else refused (the same
            // environment twice) is a mistake in what was typed, not a lock.
            Err(why) if why == crate::handoff::MAINTENANCE_ONLY => {
                self.complain(format!("Read-only: {why}"));
            }
            Err(why) => self.complain(format!("{}: {why}", step_def.fields[field].label)),
        }
    }

    /// Enter: edit the focused field or note, pick, tick, go to a blocker, or
    /// ask to complete.
    pub(super) fn activate(&mut self) {
        match self.current_row() {
            Some(Row::Field(i)) => {
                if self.read_only.is_some() {
                    // Nothing can change here: Enter reads the value in full.
                    self.read();
                    return;
                }
                if !self.may(Change::Field) {
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
                if self.read_only.is_some() || self.doc.status != crate::handoff::Status::InProgress
                {
                    // Notes are read here when they cannot be changed.
                    if self.live_note(self.sel).is_some() {
                        self.read();
                    } else {
                        self.add();
                    }
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
            Some(Row::Checklist) if self.read_only.is_some() => self.read(),
            Some(Row::Checklist) => match self.doc.checklist_items.get(self.sel).map(|i| i.state) {
                Some(ItemState::OutOfScope) => self.out_of_scope(),
                Some(_) => self.toggle(),
                None => self.add(),
            },
            Some(Row::Blockers) => {
                if let Some(blocker) = self.doc.blockers().into_iter().nth(self.sel) {
                    // A value set two ways is settled here; the rest are fixed
                    // where they are.
                    match Self::conflict_of(&blocker.target) {
                        Some(field) if self.read_only.is_none() => self.ask_conflict(field),
                        _ => self.jump_to(&blocker),
                    }
                }
            }
            Some(Row::Complete) => self.ask_to_complete(),
            Some(Row::Summary) | None => {}
        }
    }

    /// A field, not a list, in a session that may edit: typing on it edits it.
    ///
    /// A field closed by completion counts too: typing there is refused with the
    /// line that says why, rather than taken as commands.
    pub fn on_text_field(&self) -> bool {
        let step = self.current_step();
        matches!(self.current_row(), Some(Row::Field(i)) if step.fields[i].kind != FieldKind::List)
            && self.read_only.is_none()
    }

    /// A printable key on a text field starts editing it with that key, after what
    /// is there (as form tools do); on a choice it opens the choices at the first
    /// one starting with it.
    pub(super) fn start_typing(&mut self, key: ratatui::crossterm::event::KeyEvent) {
        let KeyCode::Char(c) = key.code else {
            return;
        };
        if c.is_control() {
            return;
        }
        if !matches!(self.current_row(), Some(Row::Field(_))) {
            return;
        }
        self.activate();
        match std::mem::replace(&mut self.mode, Mode::Browse) {
            Mode::Edit(editor) => self.edit(*editor, Action::Type(key)),
            Mode::Choose(mut chooser) => {
                let wanted = c.to_lowercase().to_string();
                if let Some(n) = chooser
                    .options
                    .iter()
                    .position(|o| o.label.to_lowercase().starts_with(&wanted))
                {
                    chooser.selected = n;
                }
                self.mode = Mode::Choose(chooser);
            }
            other => self.mode = other,
        }
    }

    pub(super) fn open_editor(
        &mut self,
        target: EditTarget,
        text: &str,
        multiline: bool,
        title: String,
    ) {
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

    /// Asks who is at the keyboard; `then` is text to go back to afterwards.
    pub(super) fn ask_name(&mut self, then: Option<Box<Editor>>) {
        self.waiting_for_name = then;
        self.open_editor(
            EditTarget::Name,
            "",
            false,
            "Who are you? Your name goes on notes, ticks and changes".into(),
        );
    }

    pub(super) fn out_of_scope(&mut self) {
        if self.current_row() != Some(Row::Checklist) {
            self.say("`o` marks a checklist item out of scope");
            return;
        }
        if !self.may(Change::Checklist) {
            return;
        }
        let Some(item) = self.doc.checklist_items.get(self.sel) else {
            return;
        };
        if item.state == ItemState::OutOfScope {
            // Already out of scope: Enter or o edits the reason.
            self.ask_reason(self.sel);
        } else {
            // A change of scope is never one stray key away: ask first.
            self.mode = Mode::Confirm(Confirm {
                question: format!(
                    "Mark \"{}\" out of scope? You will be asked why.",
                    item.title
                ),
                on_yes: Pending::OutOfScope(self.sel),
            });
        }
    }

    /// Asks why an item is out of scope.
    pub(super) fn ask_reason(&mut self, index: usize) {
        if let Some(item) = self.doc.checklist_items.get(index) {
            let reason = item.reason.clone().unwrap_or_default();
            let title = format!("Why is \"{}\" out of scope?", item.title);
            self.open_editor(EditTarget::Reason { item: index }, &reason, false, title);
        }
    }

    // ------------------------------------------------------------ editing

    pub(super) fn edit(&mut self, mut editor: Editor, action: Action) {
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
            Action::ClearLine => {
                editor.area.move_cursor(ratatui_textarea::CursorMove::Head);
                editor.area.delete_line_by_end();
                self.mode = Mode::Edit(Box::new(editor));
            }
            Action::Save => {
                if let Err(editor) = self.commit(editor) {
                    self.mode = Mode::Edit(editor);
                } else {
                    self.save_now();
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
                self.outbox.push(Effect::EditExternally {
                    text: editor_text(&editor),
                });
                self.mode = Mode::Edit(Box::new(editor));
            }
            Action::ExternalEditDone(text) => {
                match text {
                    Ok(text) => {
                        editor.area = text_area(text.trim_end_matches('\n'), editor.multiline);
                    }
                    Err(e) => self.complain(format!("{e}; your text is as it was")),
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
    pub(super) fn commit(&mut self, editor: Editor) -> Result<(), Box<Editor>> {
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
                let Some(user) = self.user() else {
                    // The note waits while the name is asked for.
                    self.ask_name(Some(Box::new(editor)));
                    return Ok(());
                };
                let now = (self.clock)();
                let done = match index {
                    Some(index) => self.doc.edit_note(index, &text, &user, now).map(|changed| {
                        if changed {
                            self.changed();
                        }
                    }),
                    None => self
                        .add_note(&category, &text)
                        .map(|()| self.say("Note added")),
                };
                if let Err(why) = done {
                    self.complain(why);
                    return Err(Box::new(editor));
                }
            }
            EditTarget::Reason { item } => {
                if let Err(why) = self.doc.mark_out_of_scope(item, &text) {
                    self.complain(why);
                    return Err(Box::new(editor));
                }
                if let Some(title) = self.doc.checklist_items.get(item).map(|i| i.title.clone()) {
                    self.say(format!("\"{title}\" is out of scope"));
                }
                self.changed();
            }
            EditTarget::Name => {
                let name = text.trim().to_string();
                if name.is_empty() || name.chars().any(char::is_control) {
                    self.complain("Type your name: it goes on notes, ticks and changes");
                    return Err(Box::new(editor));
                }
                self.user = Some(name.clone());
                self.outbox
                    .push(Effect::RememberName { name: name.clone() });
                self.say(format!(
                    "Hello, {name}: kept in the settings (`handoff config name` changes it)"
                ));
                if let Some(then) = self.waiting_for_name.take() {
                    self.mode = Mode::Edit(then);
                }
            }
            EditTarget::CopyPath => {
                let path = text.trim();
                if !path.is_empty() {
                    self.outbox.push(Effect::WriteCopy {
                        to: std::path::PathBuf::from(path),
                    });
                }
            }
            EditTarget::CustomItem => {
                if let Some(index) = self.doc.add_custom_item(&text) {
                    self.sel = index;
                    self.changed();
                }
            }
        }
        Ok(())
    }

    /// Appends a note by the user at the keyboard, now, and selects it.
    fn add_note(&mut self, category: &str, text: &str) -> Result<(), String> {
        let author = self
            .user()
            .ok_or("Nobody to record as the author: say who you are first")?;
        let now = (self.clock)();
        self.doc.add_note(category, text, &author, now)?;
        self.refresh_live_notes();
        self.sel = self.live_notes.len().saturating_sub(1);
        self.changed();
        Ok(())
    }

    /// Leaving an editor whose text cannot be committed: nothing typed is lost.
    pub(super) fn keep_as_draft(&mut self, editor: Editor) {
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
                let _ = self.add_note(&category, &text);
            }
            _ => self.complain("Left without saving that text: it was not valid there"),
        }
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
            _ => None,
        }
    }
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
