//! Colours, or with `NO_COLOR` set, only bold, dim and reverse.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub plain: Style,
    pub title: Style,
    pub dim: Style,
    pub selected: Style,
    pub focused: Style,
    pub done: Style,
    pub missing: Style,
    pub error: Style,
    pub warning: Style,
    pub info: Style,
    pub key: Style,
    pub badge: Style,
    pub read_only: Style,
    pub header: Style,
    pub sidebar: Style,
    pub footer: Style,
    pub border: Style,
}

impl Theme {
    /// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color {
            Self::monochrome()
        } else {
            Self::colour()
        }
    }

    pub fn colour() -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            plain: Style::new(),
            title: bold,
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new().fg(Color::Black).bg(Color::Cyan),
            focused: bold.fg(Color::Cyan),
            done: Style::new().fg(Color::Green),
            missing: Style::new().fg(Color::Yellow),
            error: Style::new().fg(Color::Red),
            warning: Style::new().fg(Color::Yellow),
            info: Style::new().fg(Color::Green),
            key: bold.fg(Color::Cyan),
            badge: bold.fg(Color::Black).bg(Color::Cyan),
            read_only: bold.fg(Color::White).bg(Color::Red),
            header: Style::new(),
            sidebar: Style::new(),
            footer: Style::new(),
            border: Style::new().fg(Color::DarkGray),
        }
    }

    pub fn monochrome() -> Self {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reversed = Style::new().add_modifier(Modifier::REVERSED);
        let dim = Style::new().add_modifier(Modifier::DIM);
        Theme {
            plain: Style::new(),
            title: bold,
            dim,
            selected: reversed,
            focused: bold,
            done: Style::new(),
            missing: bold,
            error: bold,
            warning: bold,
            info: Style::new(),
            key: bold,
            badge: reversed,
            read_only: reversed.add_modifier(Modifier::BOLD),
            header: Style::new(),
            sidebar: Style::new(),
            footer: Style::new(),
            border: Style::new(),
        }
    }
}
