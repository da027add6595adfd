//! The current step: its title and help, then its fields, and the notes log,
//! checklist or review page; and the keys that do something on the focused row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{Footer, Hits, Theme, fields, lists, review};
use crate::form::{self, FieldKind};
use crate::handoff::Status;
use crate::tui::action::Action;
use crate::tui::app::{App, Row};
use crate::tui::text::wrap;

/// The keys that do something on the focused row, for the footer. A read-only
/// session offers reading, not changing.
pub fn browse_keys(app: &App) -> Footer {
    use Action as A;
    let step = app.current_step();
    if app.read_only().is_some() {
        return match app.current_row() {
            Some(Row::Summary) => &[
                (&[A::Up, A::Down], "scroll"),
                (&[A::Read], "read in full"),
                (&[A::NextField], "blockers"),
            ],
            Some(Row::Blockers) => &[
                (&[A::Up, A::Down], "blockers"),
                (&[A::Activate], "go there"),
            ],
            Some(Row::Complete) | None => &[(&[A::NextStep], "next step")],
            Some(_) => &[
                (&[A::Up, A::Down], "move"),
                (&[A::Activate], "read"),
                (&[A::NextField], "next"),
            ],
        };
    }
    let complete = app.document().status == Status::Complete;
    match app.current_row() {
        Some(Row::Field(_)) if complete && !app.document().step_is_open(&step.key) => &[
            (&[A::Read], "read"),
            (&[A::NextField], "next"),
            (&[A::NextStep], "next step"),
        ],
        Some(Row::Field(i)) => match step.fields[i].kind {
            FieldKind::List => &[
                (&[A::Up, A::Down], "entries"),
                (&[A::Activate], "edit"),
                (&[A::Add], "add"),
                (&[A::Delete], "delete"),
                (&[A::NextField], "next"),
            ],
            FieldKind::Choice | FieldKind::MultiChoice => &[
                (&[A::Activate], "choose"),
                (&[A::NextField], "next"),
                (&[A::NextStep], "next step"),
            ],
            _ => &[
                (&[A::Activate], "edit"),
                (&[A::NextField], "next"),
                (&[A::NextStep], "next step"),
            ],
        },
        Some(Row::NotesLog) if complete => &[
            (&[A::Up, A::Down], "notes"),
            (&[A::Add], "add"),
            (&[A::Read], "read"),
        ],
        Some(Row::NotesLog) => &[
            (&[A::Up, A::Down], "notes"),
            (&[A::Add], "add"),
            (&[A::Activate], "edit"),
            (&[A::Read], "read"),
            (&[A::Recategorize], "category"),
            (&[A::Delete], "delete"),
        ],
        Some(Row::Checklist) if complete => &[(&[A::Up, A::Down], "items"), (&[A::Read], "read")],
        Some(Row::Checklist) => &[
            (&[A::Up, A::Down], "items"),
            (&[A::Toggle], "done"),
            (&[A::OutOfScope], "out of scope"),
            (&[A::Add], "add"),
            (&[A::Delete], "delete"),
        ],
        Some(Row::Summary) => &[
            (&[A::Up, A::Down], "scroll"),
            (&[A::Read], "read in full"),
            (&[A::NextField], "blockers"),
        ],
        Some(Row::Blockers) if app.on_conflict() => &[
            (&[A::Up, A::Down], "blockers"),
            (&[A::Activate], "keep or take"),
            (&[A::NextField], "complete"),
        ],
        Some(Row::Blockers) => &[
            (&[A::Up, A::Down], "blockers"),
            (&[A::Activate], "go there"),
            (&[A::NextField], "complete"),
        ],
        Some(Row::Complete) if complete => &[(&[A::PrevField], "back")],
        Some(Row::Complete) => &[
            (&[A::Activate], "complete handoff"),
            (&[A::PrevField], "back"),
        ],
        None => &[(&[A::NextStep], "next step")],
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
    let step = app.current_step();
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    // The step's help is wrapped, not cut: it is the only explanation there is.
    let mut heading = vec![Line::styled(
        format!("{} · {}", app.step() + 1, step.title),
        theme.title,
    )];
    heading.extend(
        wrap(&step.help, usize::from(inner.width))
            .into_iter()
            .map(|l| Line::styled(l, theme.dim)),
    );
    let height = u16::try_from(heading.len() + 1).unwrap_or(u16::MAX);
    let [top, content] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(1)]).areas(inner);
    frame.render_widget(Paragraph::new(heading), top);

    if step.key == form::STEP_REVIEW {
        return review::render(frame, content, app, theme, hits);
    }
    let blocks = fields::blocks(app, content.width, theme);
    let list = match step.key.as_str() {
        form::STEP_NOTES => Some(lists::notes_log as fn(&mut Frame, Rect, &App, &Theme, &mut Hits)),
        form::STEP_CHECKLIST => {
            Some(lists::checklist as fn(&mut Frame, Rect, &App, &Theme, &mut Hits))
        }
        _ => None,
    };
    match list {
        Some(list) => {
            // Fields above a list get what they need, but at most half the space.
            let needed: usize = blocks.iter().map(|b| b.lines.len()).sum();
            let fields = u16::try_from(needed)
                .unwrap_or(u16::MAX)
                .min(content.height / 2);
            let [top, rest] =
                Layout::vertical([Constraint::Length(fields), Constraint::Min(1)]).areas(content);
            fields::render(frame, top, app, &blocks, theme, hits);
            list(frame, rest, app, theme, hits);
        }
        None => fields::render(frame, content, app, &blocks, theme, hits),
    }
}
