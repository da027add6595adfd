//! Reading: the reader that opens any note, long text, reason, list or page in
//! full, wrapped and scrollable, and the scroll position of the review page.

use crate::form::FieldKind;
use crate::handoff::{ItemState, time};
use crate::tui::action::Action;

use super::{App, Mode, Row, category_label};

/// A scrollable page: where it starts, and, once it has been drawn, how many
/// lines it has and how many show at once (the view reports both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
    pub lines: usize,
    pub height: usize,
}

impl Scroll {
    /// The last offset that still fills the page (unknown until drawn: unlimited).
    fn max(&self) -> usize {
        if self.height == 0 {
            usize::MAX
        } else {
            self.lines.saturating_sub(self.height)
        }
    }

    pub fn by(&mut self, delta: isize) {
        let moved = if delta < 0 {
            self.offset.saturating_sub(delta.unsigned_abs())
        } else {
            self.offset.saturating_add(delta.unsigned_abs())
        };
        self.offset = moved.min(self.max());
    }

    /// A page down (or up), keeping one line of the last page in view.
    pub fn page(&mut self, down: bool) {
        let step = isize::try_from(self.height.saturating_sub(1).max(1)).unwrap_or(isize::MAX);
        self.by(if down { step } else { -step });
    }

    pub fn home(&mut self) {
        self.offset = 0;
    }

    pub fn end(&mut self) {
        self.offset = self.max();
    }

    pub fn at_top(&self) -> bool {
        self.offset == 0
    }

    /// The page as drawn: `lines` in all, `height` at once.
    pub fn fit(&mut self, lines: usize, height: usize) {
        self.lines = lines;
        self.height = height;
        self.offset = self.offset.min(self.max());
    }

    /// "lines 8–21 of 40", as the reader's frame says it.
    pub fn position(&self) -> String {
        if self.lines == 0 {
            return "empty".into();
        }
        let first = self.offset.min(self.lines.saturating_sub(1)) + 1;
        let last = (self.offset + self.height).min(self.lines);
        if first == 1 && last == self.lines {
            format!("all {} lines", self.lines)
        } else {
            format!("lines {first}–{last} of {}", self.lines)
        }
    }
}

/// A text opened in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub title: String,
    /// The text, lines separated by newlines; the view wraps it to the width.
    pub text: String,
    pub scroll: Scroll,
}

impl App {
    /// The review page's scroll position.
    pub fn review_scroll(&self) -> Scroll {
        self.review
    }

    /// `v` (or Enter when nothing can be changed): the focused thing in full.
    pub(super) fn read(&mut self) {
        let Some((title, text)) = self.readable() else {
            self.say("Nothing to read here: v opens notes, texts, lists and reasons in full");
            return;
        };
        self.mode = Mode::Read(Box::new(Reader {
            title,
            text,
            scroll: Scroll::default(),
        }));
    }

    /// What `v` opens on the focused row.
    fn readable(&self) -> Option<(String, String)> {
        let step = self.current_step();
        match self.current_row()? {
            Row::Field(i) => {
                let field = step.fields.get(i)?;
                let value = self.doc.value(&step.key, &field.key);
                let mut text = match (field.kind, value) {
                    (_, None) => "— not set".to_string(),
                    (FieldKind::List | FieldKind::MultiChoice, Some(v)) => v
                        .to_input()
                        .lines()
                        .map(|entry| format!("• {entry}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    (_, Some(v)) => v.to_input(),
                };
                if let Some(problem) = self.doc.field_problem(step, field) {
                    text.push_str(&format!("\n\n✗ {problem}"));
                }
                text.push_str(&format!("\n\n{}", field.help));
                Some((field.label.clone(), text))
            }
            Row::NotesLog => {
                let (_, note) = self.live_note(self.sel)?;
                let mut title = format!(
                    "{} · {} · {}",
                    time::minutes(note.created_at),
                    category_label(&note.category),
                    note.author
                );
                if let (Some(at), by) = (note.edited_at, &note.edited_by) {
                    let by = by
                        .as_deref()
                        .map(|b| format!(" by {b}"))
                        .unwrap_or_default();
                    title.push_str(&format!(" (edited {}{by})", time::minutes(at)));
                }
                Some((title, note.text.clone()))
            }
            Row::Checklist => {
                let item = self.doc.checklist_items.get(self.sel)?;
                let state = match item.state {
                    ItemState::Done => format!(
                        "Done by {}{}",
                        item.done_by.as_deref().unwrap_or("someone"),
                        item.done_at
                            .map(|at| format!(", {}", time::minutes(at)))
                            .unwrap_or_default()
                    ),
                    ItemState::OutOfScope => format!(
                        "Out of scope: {}",
                        item.reason.as_deref().unwrap_or("(no reason given)")
                    ),
                    ItemState::Todo => "To do".to_string(),
                };
                Some((item.title.clone(), state))
            }
            Row::Summary => Some((
                "Everything in this handoff".to_string(),
                crate::review::text(&self.doc),
            )),
            Row::Blockers => {
                let blocker = self.doc.blockers().into_iter().nth(self.sel)?;
                Some(("What blocks completion".to_string(), blocker.message))
            }
            Row::Complete => None,
        }
    }

    pub(super) fn reading(&mut self, mut reader: Reader, action: Action) {
        match action {
            Action::Up | Action::ScrollUp => {
                reader.scroll.by(if action == Action::Up { -1 } else { -3 });
            }
            Action::Down | Action::ScrollDown => {
                reader.scroll.by(if action == Action::Down { 1 } else { 3 });
            }
            Action::PageUp => reader.scroll.page(false),
            Action::PageDown => reader.scroll.page(true),
            Action::Home => reader.scroll.home(),
            Action::End => reader.scroll.end(),
            Action::Viewport { lines, height } => reader.scroll.fit(lines, height),
            Action::Quit => {
                self.quit();
                return;
            }
            Action::Cancel | Action::Read | Action::Activate => return,
            _ => {}
        }
        self.mode = Mode::Read(Box::new(reader));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_scrolls_to_its_last_line_and_no_further() {
        let mut s = Scroll::default();
        s.fit(40, 14);
        s.end();
        assert_eq!(s.offset, 26);
        assert_eq!(s.position(), "lines 27–40 of 40");
        s.by(5);
        assert_eq!(s.offset, 26, "not past the end");
        s.page(false);
        assert_eq!(s.offset, 13);
        s.home();
        assert_eq!(s.position(), "lines 1–14 of 40");
        s.fit(10, 14);
        assert_eq!(s.position(), "all 10 lines");
    }
}
