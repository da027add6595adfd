//! The picker's screen: the saved handoffs, "New handoff…", and the name box.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Footer, Theme};
use crate::tui::action::Action;
use crate::tui::keys::KeyMode;
use crate::tui::picker::Picker;
use crate::tui::text::{printable, truncate};

pub fn render(frame: &mut Frame, picker: &Picker, theme: &Theme) {
    let area = frame.area();
    let [head, body, status, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(" handoff ", theme.badge),
                Span::styled("  Pick a handoff", theme.title),
            ]),
            Line::styled(
                format!(" in {}", printable(&picker.dir().display().to_string())),
                theme.dim,
            ),
        ]),
        head,
    );
    let entries = picker.entries();
    let mut lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let style = if n == picker.selected() {
                theme.selected
            } else {
                theme.plain
            };
            Line::styled(
                truncate(&format!("  {}", e.summary), usize::from(body.width)),
                style,
            )
        })
        .collect();
    let style = if picker.selected() == entries.len() {
        theme.selected
    } else {
        theme.focused
    };
    lines.push(Line::styled("  + New handoff…", style));
    let start = picker
        .selected()
        .saturating_sub(usize::from(body.height.saturating_sub(1)));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(start).unwrap_or(u16::MAX), 0)),
        body,
    );
    if let Some(area) = picker.naming() {
        let rect = Rect {
            y: body.y + body.height.saturating_sub(3),
            height: 3.min(body.height),
            ..body
        };
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.focused)
            .title(" Customer (account) name — Enter creates ");
        let inner = block.inner(rect);
        frame.render_widget(Clear, rect);
        frame.render_widget(block, rect);
        frame.render_widget(area, inner);
    }
    let line = match picker.message() {
        Some(m) => Line::styled(format!(" {}", printable(m)), theme.error),
        None => Line::from(""),
    };
    frame.render_widget(Paragraph::new(line), status);
    let (mode, shown) = if picker.naming().is_some() {
        (KeyMode::PickerName, NAMING_KEYS)
    } else {
        (KeyMode::Picker, PICKING_KEYS)
    };
    let parts: Vec<String> = shown
        .iter()
        .map(|(actions, what)| format!("{} {what}", super::key_names(mode, actions)))
        .collect();
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {}", parts.join(" · ")), theme.dim)),
        foot,
    );
}

const PICKING_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "move"),
    (&[Action::Activate], "open"),
    (&[Action::ViewReadOnly], "view read-only"),
    (&[Action::Quit], "quit"),
];

const NAMING_KEYS: Footer = &[
    (&[Action::Activate], "create"),
    (&[Action::Cancel], "cancel"),
];
