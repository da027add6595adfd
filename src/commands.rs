//! The commands that are not the wizard: create, list, check, export, reopen.
//! Each is a plain function from its arguments to an exit code or a failure.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::export;
use crate::form;
use crate::handoff::{Handoff, Status, now};
use crate::identity::Who;
use crate::outcome::{Failure, Outcome, print_out};
use crate::session::{self, Access};
use crate::store;
use crate::tui::text::{printable, width};

mod list;
mod resolve;
pub use list::list;
pub use resolve::resolve;

/// `--dir` / `HANDOFF_DIR`, else the platform data directory.
pub fn data_dir(dir: Option<&Path>) -> Result<PathBuf, Failure> {
    store::data_dir(dir).ok_or_else(|| {
        Failure::new(
            2,
            "no home directory to keep handoffs in; pass --dir or set HANDOFF_DIR",
        )
    })
}

/// Loads a handoff, passing the loader's warnings on to stderr.
pub fn load(path: &Path) -> Result<store::Loaded, Failure> {
    let loaded = store::load(path)?;
    for warning in &loaded.warnings {
        eprintln!("handoff: warning: {}", printable(warning));
    }
    Ok(loaded)
}

/// `handoff new`: creates the file (never over another) and opens the wizard on
/// it (plain questions with `--plain`), or without a terminal prints its path.
pub fn new(
    customer: &str,
    engineer: Option<String>,
    ta: Option<String>,
    file: Option<PathBuf>,
    dir: Option<&Path>,
    who: &Who,
    plain: bool,
) -> Outcome {
    let customer = customer.trim();
    if customer.is_empty() {
        return Err(Failure::new(2, "--customer must not be empty"));
    }
    let path = match file {
        Some(file) => file,
        None => data_dir(dir)?.join(format!("{}.toml", store::slug(customer))),
    };
    // You, unless told otherwise; left empty (and so asked for) when nothing says.
    let engineer = engineer.or_else(|| who.name()).unwrap_or_default();
    let handoff = Handoff::new(customer, &engineer, ta.as_deref().unwrap_or(""), now());
    store::create(&path, &handoff)?;
    // A script (no terminal, no --plain) gets the path, as it always did.
    if plain || crate::plain::someone_at_terminal() {
        let interface = crate::plain::interface(plain);
        return session::open(&path, Access::Edit, "new", who, interface);
    }
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

pub fn check(path: &Path) -> Outcome {
    let handoff = load(path)?.handoff;
    let blockers = handoff.blockers();
    let steps = &form::form().steps;
    let progress = handoff.progress_text();
    let mut out = String::new();
    if blockers.is_empty() {
        let state = match handoff.status {
            Status::Complete => "complete",
            Status::InProgress => "nothing blocks completion (not yet marked complete)",
        };
        out.push_str(&format!("{}: {state}, {progress}\n", path.display()));
    } else {
        let n = blockers.len();
        let things = if n == 1 {
            "thing blocks"
        } else {
            "things block"
        };
        out.push_str(&format!(
            "{}: {n} {things} completion ({progress}):\n",
            path.display()
        ));
        for b in &blockers {
            let step = steps.get(b.step).map_or("", |s| s.title.as_str());
            out.push_str(&format!("  {step}: {}\n", printable(&b.message)));
        }
    }
    for warning in handoff.warnings() {
        out.push_str(&format!("  warning: {}\n", printable(&warning)));
    }
    print_out(&out)?;
    Ok(if blockers.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Rows as columns two spaces apart, each padded to its widest cell but the
/// last, which runs on (a path, a field name).
pub fn columns<const N: usize>(rows: &[[String; N]]) -> String {
    let widths: Vec<usize> = (0..N.saturating_sub(1))
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        for (cell, column) in row.iter().zip(&widths) {
            out.push_str(cell);
            out.push_str(&" ".repeat(column - width(cell) + 2));
        }
        if let Some(last) = row.last() {
            out.push_str(last);
        }
        out.push('\n');
    }
    out
}

/// `handoff export`: the whole handoff on stdout.
pub fn export(path: &Path, json: bool) -> Outcome {
    let loaded = load(path)?;
    let text = if json {
        export::json(&loaded.handoff).map_err(|e| Failure::new(1, e))?
    } else {
        export::markdown(&loaded.handoff)
    };
    print_out(&text)
}

/// `handoff reopen`: a completed handoff back to in progress, recorded.
pub fn reopen(path: &Path, by: Option<String>, who: &Who) -> Outcome {
    let by = match by {
        Some(by) => by,
        None => who.require().map_err(|e| Failure::new(1, e))?,
    };
    let _lock = store::Lock::acquire(path, &by)?;
    let mut handoff = load(path)?.handoff;
    if !handoff.reopen(&by, now()) {
        return Err(Failure::new(
            1,
            format!(
                "{}: is {}, not complete; nothing to reopen",
                path.display(),
                handoff.status.label()
            ),
        ));
    }
    store::save(path, &handoff)?;
    println!("{}: reopened by {by}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// `handoff config`: the settings file and what it says, one setting, or a change.
pub fn config(key: Option<&str>, value: Option<&str>) -> Outcome {
    let file = crate::config::path().ok_or_else(|| {
        Failure::new(
            2,
            "no home directory to keep settings in; set HANDOFF_CONFIG",
        )
    })?;
    let mut settings = crate::config::load_from(&file).map_err(|e| Failure::new(2, e))?;
    match (key, value) {
        (None, _) => print_out(&format!(
            "# {}\n{}",
            file.display(),
            crate::config::show(&settings)
        )),
        (Some(key), None) => {
            let shown = crate::config::show(&settings);
            let line = shown
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = ")))
                .filter(|v| *v != "(not set)")
                .ok_or_else(|| Failure::new(1, format!("{key} is not set")))?;
            print_out(&format!("{line}\n"))
        }
        (Some(key), Some(value)) => {
            crate::config::set(&mut settings, key, value).map_err(|e| Failure::new(1, e))?;
            crate::config::save_to(&file, &settings).map_err(|e| Failure::new(1, e))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
