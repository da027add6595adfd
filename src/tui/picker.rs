//! `handoff` with no arguments: pick a saved handoff, or start a new one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_textarea::TextArea;

use super::Screen;
use super::text::truncate;
use super::view::Theme;
use crate::store;

/// What the user picked.
pub enum Pick {
    Open(PathBuf),
    View(PathBuf),
    /// A new handoff for this customer.
    New(String),
    Quit,
}

struct Entry {
    path: PathBuf,
    summary: String,
}

fn entries(dir: &Path) -> Vec<Entry> {
    store::list(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let summary = match store::load(&path) {
                Ok(loaded) => {
                    let h = loaded.handoff;
                    let (done, total) = h.progress();
                    format!(
                        "{:<28} {:<12} {done:>3}/{total:<3}  updated {}",
                        truncate(h.customer(), 28),
                        h.status.label(),
                        crate::handoff::time::minutes(h.updated_at)
                    )
                }
                Err(e) => format!("(cannot read: {e})"),
            };
            Entry { path, summary }
        })
        .collect()
}

/// Shows the picker; `notice` is a line to show first (e.g. why the last open failed).
pub fn pick(screen: &mut Screen, dir: &Path, notice: Option<String>) -> Result<Pick, String> {
    let theme = Theme::from_env();
    let list = entries(dir);
    // The first saved handoff is selected (resuming is the common case); "New
    // handoff…" sits after them, and is selected when there are none.
    let mut selected = 0;
    let mut naming: Option<TextArea<'static>> = None;
    let mut message = notice;
    loop {
        screen
            .terminal
            .draw(|frame| {
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
                        Line::styled(format!(" in {}", dir.display()), theme.dim),
                    ]),
                    head,
                );
                let mut lines: Vec<Line> = list
                    .iter()
                    .enumerate()
                    .map(|(n, e)| {
                        let style = if n == selected {
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
                let style = if selected == list.len() {
                    theme.selected
                } else {
                    theme.focused
                };
                lines.push(Line::styled("  + New handoff…", style));
                let start = selected.saturating_sub(usize::from(body.height.saturating_sub(1)));
                frame.render_widget(Paragraph::new(lines).scroll((start as u16, 0)), body);
                if let Some(area) = &naming {
                    let rect = ratatui::layout::Rect {
                        y: body.y + body.height.saturating_sub(3),
                        height: 3.min(body.height),
                        ..body
                    };
                    let block = Block::new()
                        .borders(Borders::ALL)
                        .border_style(theme.focused)
                        .title(" Customer (account) name — Enter creates ");
                    let inner = block.inner(rect);
                    frame.render_widget(ratatui::widgets::Clear, rect);
                    frame.render_widget(block, rect);
                    frame.render_widget(area, inner);
                }
                let line = match &message {
                    Some(m) => Line::styled(format!(" {m}"), theme.error),
                    None => Line::from(""),
                };
                frame.render_widget(Paragraph::new(line), status);
                let keys = if naming.is_some() {
                    " Enter create · Esc cancel"
                } else {
                    " ↑↓ move · Enter open · v view read-only · q quit"
                };
                frame.render_widget(Paragraph::new(Line::styled(keys, theme.dim)), foot);
            })
            .map_err(|e| format!("cannot draw: {e}"))?;

        if screen.stopped() {
            return Ok(Pick::Quit);
        }
        if !event::poll(Duration::from_millis(200)).map_err(|e| e.to_string())? {
            continue;
        }
        let Event::Key(key) = event::read().map_err(|e| e.to_string())? else {
            continue;
        };
        if !matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) {
            continue;
        }
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Ok(Pick::Quit);
        }
        message = None;
        if let Some(area) = &mut naming {
            match key.code {
                KeyCode::Enter => {
                    let name = area.lines().join(" ").trim().to_string();
                    if name.is_empty() {
                        message = Some("Type the customer's name first".into());
                    } else {
                        return Ok(Pick::New(name));
                    }
                }
                KeyCode::Esc => naming = None,
                KeyCode::Char(c) if c.is_control() => {}
                _ => {
                    area.input(key);
                }
            }
            continue;
        }
        match key.code {
            KeyCode::Up => selected = selected.saturating_sub(1),
            KeyCode::Down => selected = (selected + 1).min(list.len()),
            KeyCode::Enter if selected == list.len() => naming = Some(TextArea::default()),
            KeyCode::Char('n') => naming = Some(TextArea::default()),
            KeyCode::Enter => return Ok(Pick::Open(list[selected].path.clone())),
            KeyCode::Char('v') if selected < list.len() => {
                return Ok(Pick::View(list[selected].path.clone()));
            }
            KeyCode::Char('q') | KeyCode::Esc => return Ok(Pick::Quit),
            _ => {}
        }
    }
}
