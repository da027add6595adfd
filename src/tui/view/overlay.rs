//! What floats over the screen: choice lists, yes/no questions, the key list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::Theme;
use crate::tui::app::{App, Chooser, EditTarget, Mode};
use crate::tui::text::{printable, truncate, width};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut super::Hits) {
    match app.mode() {
        Mode::Choose(chooser) => choose(frame, area, chooser, theme),
        Mode::Confirm(confirm) => {
            let width = (confirm.question.chars().count() as u16 + 6)
                .clamp(30, area.width.saturating_sub(4));
            let rect = centered(area, width, 5);
            frame.render_widget(Clear, rect);
            let block = super::focused_box("Please confirm", rect.width, theme);
            let text = vec![
                Line::from(crate::tui::text::printable(&confirm.question).into_owned()),
                Line::from(""),
                Line::from(vec![
                    Span::styled("y", theme.key),
                    Span::raw(" yes   "),
                    Span::styled("n", theme.key),
                    Span::raw(" no"),
                ]),
            ];
            frame.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: true }).block(block),
                rect,
            );
        }
        Mode::Read(_) => {}
        Mode::Fill(review) => super::fill::render(frame, area, app, review, theme),
        // Editors that belong to no field or list open in the middle of the screen.
        Mode::Edit(editor) if matches!(editor.target, EditTarget::CopyPath | EditTarget::Name) => {
            let rect = centered(area, area.width.saturating_sub(8).min(90), 3);
            frame.render_widget(Clear, rect);
            super::boxed_editor(frame, rect, editor, app, theme, hits);
        }
        Mode::Browse | Mode::Edit(_) => {}
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(
        Constraint::Length(width.min(area.width)),
        Constraint::Length(height.min(area.height)),
    )
}

fn choose(frame: &mut Frame, area: Rect, chooser: &Chooser, theme: &Theme) {
    let longest = chooser
        .options
        .iter()
        .map(|o| width(&printable(&o.label)))
        .max()
        .unwrap_or(10);
    let title = printable(&chooser.title);
    let wanted = longest.max(width(&title)) + 10;
    let width = u16::try_from(wanted)
        .unwrap_or(u16::MAX)
        .min(area.width.saturating_sub(4));
    let height = (chooser.options.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = super::focused_box(&title, width, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let visible = usize::from(inner.height);
    let start = chooser.selected.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = chooser
        .options
        .iter()
        .enumerate()
        .skip(start)
        .take(visible)
        .map(|(n, o)| {
            let mark = match (chooser.multi, o.other, o.checked) {
                (_, true, _) => "  + ",
                (true, _, true) => "[x] ",
                (true, _, false) => "[ ] ",
                (false, _, true) => " ● ",
                (false, _, false) => " ○ ",
            };
            let style = if n == chooser.selected {
                theme.selected
            } else {
                theme.plain
            };
            Line::styled(
                truncate(
                    &format!("{mark}{}", printable(&o.label)),
                    usize::from(inner.width),
                ),
                style,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
