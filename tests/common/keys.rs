//! Driving the wizard with keys: the keys the tests send, the way to a field, and the
//! edits every test makes the same way.

use super::Term;

pub const TAB: &str = "\t";
pub const SHIFT_TAB: &str = "\x1b[Z";
pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
pub const PG_DN: &str = "\x1b[6~";
pub const DOWN: &str = "\x1b[B";
pub const SPACE: &str = " ";
pub const CTRL_S: &str = "\x13";
pub const CTRL_O: &str = "\x0f";
/// Quits from anywhere (on a text field `q` is typing).
pub const CTRL_C: &str = "\x03";
pub const BACKSPACE: &str = "\x7f";

/// The titles of the steps the tests visit most.
pub const DEPLOYMENT: &str = "2 · Production deployment";
pub const NOTES: &str = "4 · Implementation notes";

/// The fields the tests visit most.
pub const ADVISOR: Field = Field::new("1", super::FIRST_STEP, 2, "Receiving Technical Advisor");
pub const NOTES_LOG: Field = Field::new("4", NOTES, 3, "Notes log");

/// From anywhere in browse mode: the editor of a new note of the first category, open.
pub fn open_new_note(t: &Term) {
    NOTES_LOG.focus(t);
    t.send("a");
    t.wait_for("New note: category");
    t.send(ENTER);
    t.wait_for("Tab done");
}

/// A field of the form as the keyboard reaches it: the step's key and title, then Tabs
/// from the step's first field to the one labelled `label`.
pub struct Field {
    pub digit: &'static str,
    pub title: &'static str,
    pub tabs: usize,
    pub label: &'static str,
}

impl Field {
    pub const fn new(
        digit: &'static str,
        title: &'static str,
        tabs: usize,
        label: &'static str,
    ) -> Field {
        Field {
            digit,
            title,
            tabs,
            label,
        }
    }

    /// Alt and the step's digit (which works on a text field too), then Tabs: the
    /// field has the ▸ marker.
    pub fn focus(&self, t: &Term) {
        t.send(&format!("\x1b{}", self.digit));
        t.wait_for(self.title);
        t.send(&TAB.repeat(self.tabs));
        t.wait_focus(self.label);
    }

    /// `focus`, then `replace_value`.
    pub fn set(&self, t: &Term, value: &str) {
        self.focus(t);
        replace_value(t, value);
    }
}

/// Enter on a text-like field, type `value`, Enter: the field shows it.
pub fn edit_field(t: &Term, value: &str) {
    edit_field_shown(t, value, value);
}

/// Like `edit_field`, when the field shows the value as `shown`.
pub fn edit_field_shown(t: &Term, value: &str, shown: &str) {
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send(value);
    t.wait_for(value);
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_value(shown);
}

/// Tab to the field labelled `label`, then type `value` into it.
pub fn tab_and_edit(t: &Term, label: &str, value: &str) {
    t.send(TAB);
    t.wait_focus(label);
    edit_field(t, value);
}

/// `tab_and_edit` for each (label, value) in turn: the next fields of a step, filled in.
pub fn tab_and_edit_each(t: &Term, fields: &[(&str, &str)]) {
    for (label, value) in fields {
        tab_and_edit(t, label, value);
    }
}

/// Enter on a choice field and pick the first choice.
pub fn pick_first(t: &Term, choice: &str) {
    t.send(ENTER);
    t.wait_for("Enter pick");
    t.wait_selected(choice);
    t.send(ENTER);
    t.wait_gone("Enter pick");
    t.wait_value(choice);
}

/// Enter on the focused single-line field, clear it, type `value`, Enter; waits
/// until the editor has closed (which it does only once the change is committed).
pub fn replace_value(t: &Term, value: &str) {
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send(&BACKSPACE.repeat(40));
    t.send(value);
    t.send(ENTER);
    t.wait_gone("Enter done");
}
