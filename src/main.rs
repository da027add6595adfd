//! The command line: parse, pick a mode, run it, report one line on failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use handoff::handoff::{Handoff, Status, now};
use handoff::tui::text::printable;
use handoff::tui::{self, Screen, app::App, picker};
use handoff::{export, form, store};

#[derive(Parser)]
#[command(
    name = "handoff",
    version,
    about = "Hand a jointly managed Sourcegraph deployment over to the customer's Technical Advisor",
    long_about = "Hand a jointly managed Sourcegraph deployment over to the customer's Technical Advisor.\n\n\
        Each handoff is one readable TOML file, by default in the data directory \
        (see --dir), named after the customer."
)]
struct Cli {
    /// Directory of saved handoffs [default: the platform data directory, e.g. ~/.local/share/handoff]
    #[arg(long, global = true, env = "HANDOFF_DIR", value_name = "DIR")]
    dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Resume a handoff in the wizard, where you left it
    Open {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
    },
    /// Open a handoff read-only (for the TA): nothing can change, the file is never written or locked
    View {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
    },
    /// Start a new handoff: in a terminal the wizard opens on it, otherwise its path is printed
    New {
        /// The customer (account) name; the file is named after it
        #[arg(long, value_name = "NAME")]
        customer: String,
        /// The implementation engineer [default: git config user.name, else $USER]
        #[arg(long, value_name = "NAME")]
        engineer: Option<String>,
        /// The receiving Technical Advisor
        #[arg(long, value_name = "NAME")]
        ta: Option<String>,
        /// Write the handoff here instead of the data directory (wins over --dir)
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// List saved handoffs with customer, status, progress and last update
    List,
    /// Print what blocks completion; exit 0 when nothing does, 1 when something does, 2 when the file cannot be read
    Check {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
    },
    /// Write the whole handoff to standard output as markdown or JSON
    Export {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
        #[arg(long, value_enum, default_value = "markdown")]
        format: Format,
    },
    /// Reopen a completed handoff for editing (recorded in the file with who and when)
    Reopen {
        /// A handoff file, or the name of one in the data directory
        file: PathBuf,
        /// Who reopens it [default: git config user.name, else $USER]
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Markdown,
    Json,
}

/// A failed command: its one-line message and exit code.
struct Failure {
    message: String,
    code: u8,
}

impl From<store::StoreError> for Failure {
    fn from(e: store::StoreError) -> Self {
        let code = if matches!(e, store::StoreError::Unreadable { .. }) {
            2
        } else {
            1
        };
        Failure {
            message: e.to_string(),
            code,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("handoff: {}", printable(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let dir = cli.dir.as_deref();
    let Some(command) = cli.command else {
        return picker(&data_dir(dir)?);
    };
    match command {
        Command::Open { file } => wizard(&resolve(&file, dir), Access::Edit, "open"),
        Command::View { file } => wizard(&resolve(&file, dir), Access::View, "view"),
        Command::New {
            customer,
            engineer,
            ta,
            file,
        } => {
            let customer = customer.trim();
            if customer.is_empty() {
                return Err(Failure {
                    message: "--customer must not be empty".into(),
                    code: 2,
                });
            }
            let path = match file {
                Some(file) => file,
                None => data_dir(dir)?.join(format!("{}.toml", store::slug(customer))),
            };
            let engineer = engineer.unwrap_or_else(store::who_am_i);
            let handoff = Handoff::new(customer, &engineer, ta.as_deref().unwrap_or(""), now());
            store::create(&path, &handoff)?;
            if tui::require_terminal("new").is_ok() {
                return wizard(&path, Access::Edit, "new");
            }
            println!("{}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::List => list(&data_dir(dir)?),
        Command::Check { file } => check(&resolve(&file, dir)),
        Command::Export { file, format } => {
            let loaded = load(&resolve(&file, dir))?;
            let text = match format {
                Format::Markdown => export::markdown(&loaded.handoff),
                Format::Json => export::json(&loaded.handoff).map_err(|e| Failure {
                    message: e,
                    code: 1,
                })?,
            };
            print_out(&text)
        }
        Command::Reopen { file, by } => {
            let path = resolve(&file, dir);
            let _lock = store::Lock::acquire(&path)?;
            let mut handoff = load(&path)?.handoff;
            let by = by.unwrap_or_else(store::who_am_i);
            if !handoff.reopen(&by, now()) {
                return Err(Failure {
                    message: format!(
                        "{}: is {}, not complete; nothing to reopen",
                        path.display(),
                        handoff.status.label()
                    ),
                    code: 1,
                });
            }
            store::save(&path, &handoff)?;
            println!("{}: reopened by {by}", path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn data_dir(dir: Option<&Path>) -> Result<PathBuf, Failure> {
    store::data_dir(dir).ok_or_else(|| Failure {
        message: "no home directory to keep handoffs in; pass --dir or set HANDOFF_DIR".into(),
        code: 2,
    })
}

/// A path as given, or else the name of a handoff in the data directory
/// (`acme-corp` or `acme-corp.toml`).
fn resolve(file: &Path, dir: Option<&Path>) -> PathBuf {
    if file.exists() || file.components().count() != 1 {
        return file.to_path_buf();
    }
    let Some(data) = store::data_dir(dir) else {
        return file.to_path_buf();
    };
    let named = data.join(file);
    let with_ext = data.join(format!("{}.toml", file.display()));
    [named, with_ext]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| file.to_path_buf())
}

/// Loads a handoff, passing the loader's warnings on to stderr.
fn load(path: &Path) -> Result<store::Loaded, Failure> {
    let loaded = store::load(path)?;
    for warning in &loaded.warnings {
        eprintln!("handoff: warning: {}", printable(warning));
    }
    Ok(loaded)
}

fn check(path: &Path) -> Result<ExitCode, Failure> {
    let handoff = load(path)?.handoff;
    let blockers = handoff.blockers();
    let steps = &form::form().steps;
    let (done, total) = handoff.progress();
    let mut out = String::new();
    if blockers.is_empty() {
        let state = match handoff.status {
            Status::Complete => "complete",
            Status::InProgress => "nothing blocks completion (not yet marked complete)",
        };
        out.push_str(&format!(
            "{}: {state}, {done}/{total} checked\n",
            path.display()
        ));
    } else {
        let n = blockers.len();
        let things = if n == 1 {
            "thing blocks"
        } else {
            "things block"
        };
        out.push_str(&format!(
            "{}: {n} {things} completion ({done}/{total} checked):\n",
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

fn list(dir: &Path) -> Result<ExitCode, Failure> {
    let files = store::list(dir).map_err(|e| Failure {
        message: format!("{}: cannot list handoffs ({e})", dir.display()),
        code: 2,
    })?;
    if files.is_empty() {
        eprintln!(
            "No handoffs in {} yet; start one with: handoff new --customer NAME",
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = vec![[
        "CUSTOMER".to_string(),
        "STATUS".into(),
        "PROGRESS".into(),
        "UPDATED".into(),
        "FILE".into(),
    ]];
    for file in &files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match store::load(file) {
            Ok(loaded) => {
                let h = loaded.handoff;
                let (done, total) = h.progress();
                rows.push([
                    printable(h.customer()).into_owned(),
                    h.status.label().to_string(),
                    format!("{done}/{total}"),
                    h.updated_at
                        .with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    name,
                ]);
            }
            Err(e) => rows.push([
                "?".into(),
                "unreadable".into(),
                "-".into(),
                "-".into(),
                format!("{name}: {e}"),
            ]),
        }
    }
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| unicode_width(&r[i])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        for (cell, width) in row.iter().zip(&widths) {
            out.push_str(cell);
            out.push_str(&" ".repeat(width - unicode_width(cell) + 2));
        }
        out.push_str(&row[4]);
        out.push('\n');
    }
    print_out(&out)
}

fn unicode_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a message.
fn print_out(text: &str) -> Result<ExitCode, Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure {
            message: format!("cannot write output ({e})"),
            code: 1,
        }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Edit,
    View,
}

/// A handoff ready for the wizard: loaded, locked when it will be edited.
struct Prepared {
    app: App,
    /// Held for as long as the wizard runs; released on drop.
    _lock: Option<store::Lock>,
    writable: bool,
    /// The notes log, read while the first frame is drawn.
    pending: store::PendingNotes,
}

fn prepare(path: &Path, access: Access) -> Result<Prepared, store::StoreError> {
    // Lock before reading, so what is read is what this session goes on from.
    let lock = match access {
        Access::Edit => Some(store::Lock::acquire(path)?),
        Access::View => None,
    };
    let (loaded, pending) = store::load_split(path)?;
    let mut notices = loaded.warnings;
    // A completed handoff opens read-only (App::new says why) and is not locked.
    let lock = lock.filter(|_| loaded.handoff.status != Status::Complete);
    if let Some(lock) = &lock {
        if let Some(old) = &lock.took_over {
            notices.push(format!("Took over a stale lock left by {old}"));
        }
        if store::remove_stray_temp_files(path) > 0 {
            notices.push("Removed temporary files left by an interrupted save".into());
        }
    }
    let read_only = (access == Access::View)
        .then(|| "opened with `handoff view`; nothing can be changed".to_string());
    // The user's name is looked up when first needed, not before the first frame.
    let mut app = App::new(loaded.handoff, String::new(), read_only);
    let writable = app.read_only.is_none();
    if let Some(first) = notices.into_iter().next() {
        app.message = Some(tui::app::Message {
            text: first,
            error: false,
        });
    }
    Ok(Prepared {
        app,
        _lock: lock,
        writable,
        pending,
    })
}

/// `open`, `view`, and `new` in a terminal.
fn wizard(path: &Path, access: Access, command: &str) -> Result<ExitCode, Failure> {
    tui::require_terminal(command).map_err(|message| Failure { message, code: 2 })?;
    let prepared = match prepare(path, access) {
        Err(store::StoreError::Locked { holder, .. }) => {
            eprintln!("handoff: {}: being edited by {holder}.", path.display());
            // A lock from another machine may be stale, but only a person can tell.
            let elsewhere = holder.host != store::hostname();
            if elsewhere {
                eprintln!(
                    "It was locked on another machine; take it over only if nobody is editing it there."
                );
                eprint!("Open it [r]ead-only, [t]ake over the lock, or [N]ot at all? ");
            } else {
                eprint!("Open it read-only instead? [y/N] ");
            }
            let mut answer = String::new();
            let _ = std::io::stdin().read_line(&mut answer);
            match answer.trim().to_lowercase().as_str() {
                "t" if elsewhere => {
                    store::break_lock(path, &holder)?;
                    prepare(path, Access::Edit)?
                }
                "y" | "r" => {
                    let mut prepared = prepare(path, Access::View)?;
                    prepared.app.read_only = Some(format!(
                        "{holder} is editing this handoff; you are viewing it"
                    ));
                    prepared
                }
                _ => {
                    return Err(Failure {
                        message: format!("{}: not opened; {holder} is editing it", path.display()),
                        code: 1,
                    });
                }
            }
        }
        other => other?,
    };
    let mut screen = Screen::start().map_err(|message| Failure { message, code: 2 })?;
    finish(path, run_prepared(&mut screen, path, prepared), screen)
}

fn run_prepared(
    screen: &mut Screen,
    path: &Path,
    prepared: Prepared,
) -> Result<App, tui::RunError> {
    let Prepared {
        app,
        _lock,
        writable,
        pending,
    } = prepared;
    tui::run(screen, path, app, writable, pending)
}

/// After the wizard: restore the terminal, then say where things stand.
fn finish(
    path: &Path,
    result: Result<App, tui::RunError>,
    screen: Screen,
) -> Result<ExitCode, Failure> {
    drop(screen);
    let app = result.map_err(|e| match e {
        tui::RunError::File(e) => Failure::from(e),
        tui::RunError::Terminal(message) => Failure {
            message: format!("{}: {message}", path.display()),
            code: 1,
        },
    })?;
    let (done, total) = app.doc.progress();
    match &app.save_state {
        tui::app::SaveState::Failed(e) => Err(Failure {
            message: format!("{}: changes were not saved ({e})", path.display()),
            code: 1,
        }),
        _ => {
            let state = if app.read_only.is_some() && app.doc.status != Status::Complete {
                "viewed"
            } else {
                app.doc.status.label()
            };
            println!("{}: {state}, {done}/{total} checked", path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `handoff` alone: pick a saved handoff or start a new one, then the wizard.
fn picker(dir: &Path) -> Result<ExitCode, Failure> {
    tui::require_terminal("").map_err(|message| Failure { message, code: 2 })?;
    let mut screen = Screen::start().map_err(|message| Failure { message, code: 2 })?;
    let mut notice = None;
    loop {
        let pick = picker::pick(&mut screen, dir, notice.take())
            .map_err(|message| Failure { message, code: 1 })?;
        let (path, access) = match pick {
            picker::Pick::Quit => return Ok(ExitCode::SUCCESS),
            picker::Pick::Open(path) => (path, Access::Edit),
            picker::Pick::View(path) => (path, Access::View),
            picker::Pick::New(customer) => {
                let path = dir.join(format!("{}.toml", store::slug(&customer)));
                let handoff = Handoff::new(&customer, &store::who_am_i(), "", now());
                if let Err(e) = store::create(&path, &handoff) {
                    notice = Some(e.to_string());
                    continue;
                }
                (path, Access::Edit)
            }
        };
        match prepare(&path, access) {
            Ok(prepared) => {
                return finish(&path, run_prepared(&mut screen, &path, prepared), screen);
            }
            Err(store::StoreError::Locked { holder, .. }) => {
                notice = Some(format!(
                    "{} is being edited by {holder}; press v to view it read-only",
                    path.display()
                ));
            }
            Err(e) => notice = Some(e.to_string()),
        }
    }
}
