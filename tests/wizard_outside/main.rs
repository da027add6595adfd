//! The wizard reaching outside itself, driven through a pseudo-terminal as a
//! person would: `f` fills a step from a fake `kubectl` first on the PATH, `P`
//! pushes to a fake Vitally on 127.0.0.1, a value set two ways on two machines
//! is settled on the review page, and quitting in a synced directory offers to
//! share the work. Each test checks the file the wizard left.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/fake_bin.rs"]
mod fake_bin;
#[path = "../common/fake_http.rs"]
mod fake_http;
#[path = "../common/fake_vitally.rs"]
mod fake_vitally;
#[path = "../common/team.rs"]
mod team;

mod fill;
mod push;
mod together;

use std::path::Path;

use common::Term;

/// The wizard on `file` in `dir`, at the README's 100×30, with `env` added.
fn wizard(dir: &Path, file: &Path, env: &[(&str, &str)]) -> Term {
    Term::spawn_program(
        dir,
        env!("CARGO_BIN_EXE_handoff"),
        &["open", &file.display().to_string()],
        env,
        common::SIZE.0,
        common::SIZE.1,
    )
}
