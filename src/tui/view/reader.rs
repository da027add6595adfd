//! The reader: a note, text, list or page in full, wrapped to the width, with
//! where it is ("lines 8–21 of 40") and how to move.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::fields::wrapped;
use super::{Hits, Theme};
use crate::tui::app::Reader;

/// Draws over `area` (everything between the header and the status line).
pub(super) fn render(
    frame: &mut Frame,
    area: Rect,
    reader: &Reader,
    theme: &Theme,
    hits: &mut Hits,
) {
    frame.render_widget(Clear, area);
    let block = super::focused_box(&reader.title, area.width, theme);
    let inner = block.inner(area);
    let lines = wrapped(&reader.text, 1, usize::from(inner.width), theme.plain);
    let height = usize::from(inner.height);
    hits.viewport = Some((lines.len(), height));
    let mut scroll = reader.scroll;
    scroll.fit(lines.len(), height);
    let block = block.title_bottom(format!(
        " {} · ↑↓ PgUp PgDn Home End · Esc closes ",
        scroll.position()
    ));
    let visible: Vec<Line> = lines.into_iter().skip(scroll.offset).take(height).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
