//! The interactive wizard. Data flows one way: terminal events become actions
//! (`input`, `keys`), `update` changes the state and returns effects (`app`,
//! `picker`), the session carries the effects out (`run::World`), and the view
//! draws the state (`view`, `paint`).

pub mod action;
pub mod app;
pub mod effect;
mod external_editor;
mod input;
pub mod keys;
mod paint;
pub mod picker;
pub mod run;
pub mod screen;
pub mod text;
pub mod ui;
pub mod view;

pub use external_editor::edit as edit_externally;
pub use screen::{Screen, require_terminal};
