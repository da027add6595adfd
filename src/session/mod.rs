//! A wizard session: opening a handoff (the lock, the question when someone else
//! holds it, loading, why it is read-only), running the one event loop on it or on
//! the picker, carrying out the effects `update` asks for, and saying how it ended.
//! Work that takes time (a fill, a push, the file changing under a view, the team's
//! repository) runs on other threads: see `jobs`.

mod jobs;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::handoff::{Handoff, Status, now};
use crate::identity::Who;
use crate::outcome::{Failure, Outcome};
use crate::plain::Interface;
use crate::store::{self, Lock, StoreError};
use crate::tui::action::Action;
use crate::tui::app::{App, SaveState};
use crate::tui::effect::{Effect, Opening};
use crate::tui::picker::Picker;
use crate::tui::run::{self, Performed, RunError, World};
use crate::tui::ui::Ui;
use crate::tui::{self, Screen};
use jobs::Jobs;

pub use crate::store::Access;

/// A handoff open in the wizard.
struct Opened {
    path: PathBuf,
    /// Whether this session writes the file (it holds the lock).
    writable: bool,
    /// Held for as long as the wizard runs.
    lock: Option<Lock>,
}

/// A handoff ready for the wizard: loaded, locked when it will be edited.
struct Prepared {
    app: App,
    opened: Opened,
    /// The notes log, read while the first frame is drawn.
    pending: store::PendingNotes,
}

pub struct Session {
    who: Who,
    /// Where the picker makes new handoffs.
    dir: Option<PathBuf>,
    opened: Option<Opened>,
    notes: Option<store::PendingNotes>,
    /// Where the last copy (Ctrl-O) was written, to say so at the end.
    copy: Option<PathBuf>,
    jobs: Jobs,
    /// Sync the handoff's directory with the team once the wizard has ended.
    sync_after: bool,
}

impl Session {
    fn new(who: &Who, dir: Option<PathBuf>) -> Session {
        Session {
            who: who.clone(),
            dir,
            opened: None,
            notes: None,
            copy: None,
            jobs: Jobs::new(),
            sync_after: false,
        }
    }
}

/// `handoff open`, `view`, and `new` in a terminal (or as plain questions).
pub fn open(
    path: &Path,
    access: Access,
    command: &str,
    who: &Who,
    interface: Interface,
) -> Outcome {
    if interface == Interface::Plain {
        return crate::plain::run(path, access, who);
    }
    tui::require_terminal(command).map_err(|message| Failure::new(2, message))?;
    let prepared = match prepare(path, access, None, who) {
        Err(StoreError::Locked { holder, .. }) => ask_about_lock(path, &holder, who)?,
        Err(StoreError::Unlockable { reason, .. }) => ask_unlockable(path, &reason, who)?,
        other => other?,
    };
    let mut session = Session::new(who, None);
    let mut ui = session.start(prepared);
    session.run(&mut ui)
}

/// `handoff` alone: pick a saved handoff or start a new one, then the wizard.
pub fn pick(dir: &Path, who: &Who, interface: Interface) -> Outcome {
    if interface == Interface::Plain {
        return crate::plain::pick(dir, who);
    }
    tui::require_terminal("").map_err(|message| Failure::new(2, message))?;
    let mut session = Session::new(who, Some(dir.to_path_buf()));
    let mut ui = Ui::Picker(Box::new(Picker::new(dir)));
    session.run(&mut ui)
}

/// Someone else holds the lock: ask (before the screen is taken over) whether to
/// view it, take the lock over, or leave it.
fn ask_about_lock(path: &Path, holder: &store::LockHolder, who: &Who) -> Result<Prepared, Failure> {
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
    let _ = std::io::stdin().lock().read_line(&mut answer);
    match answer.trim().to_lowercase().as_str() {
        "t" if elsewhere => {
            store::break_lock(path, holder)?;
            Ok(prepare(path, Access::Edit, None, who)?)
        }
        "y" | "r" => Ok(prepare(
            path,
            Access::View,
            Some(format!(
                "{holder} is editing this handoff; you are viewing it"
            )),
            who,
        )?),
        _ => Err(Failure::new(
            1,
            format!("{}: not opened; {holder} is editing it", path.display()),
        )),
    }
}

/// The lock cannot be created (a read-only directory): ask whether to view the
/// handoff, or edit it knowing that nothing can be saved there (Ctrl-O writes a
/// copy elsewhere).
fn ask_unlockable(path: &Path, reason: &str, who: &Who) -> Result<Prepared, Failure> {
    eprintln!(
        "handoff: {}: cannot be locked for editing ({reason}).",
        path.display()
    );
    eprint!(
        "Open it [r]ead-only, [e]dit without saving (Ctrl-O saves a copy elsewhere), or [N]ot at all? "
    );
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    match answer.trim().to_lowercase().as_str() {
        "r" => Ok(prepare(
            path,
            Access::View,
            Some(format!("it cannot be locked for editing ({reason})")),
            who,
        )?),
        "e" => {
            let mut prepared = prepare(path, Access::Unlocked, None, who)?;
            prepared.app = prepared
                .app
                .cannot_save(&format!("the file cannot be written there ({reason})"));
            Ok(prepared)
        }
        _ => Err(Failure::new(
            1,
            format!(
                "{}: not opened; it cannot be locked ({reason})",
                path.display()
            ),
        )),
    }
}

/// Locks (to edit) and loads a handoff; `why_read_only` overrides the reason a
/// view gives.
fn prepare(
    path: &Path,
    access: Access,
    why_read_only: Option<String>,
    who: &Who,
) -> Result<Prepared, StoreError> {
    // Lock before reading, so what is read is what this session goes on from.
    let lock = match access {
        Access::Edit => Some(Lock::acquire(path, &who.quick_name())?),
        Access::View | Access::Unlocked => None,
    };
    let (loaded, pending) = store::load_split(path)?;
    let mut notices = loaded.warnings;
    if let Some(lock) = &lock {
        if let Some(old) = &lock.took_over {
            notices.push(format!("Took over a stale lock left by {old}"));
        }
        if store::remove_stray_temp_files(path) > 0 {
            notices.push("Removed temporary files left by an interrupted save".into());
        }
    }
    let read_only =
        match access {
            Access::View => Some(why_read_only.unwrap_or_else(|| {
                "opened with `handoff view`; nothing can be changed".to_string()
            })),
            Access::Edit | Access::Unlocked => None,
        };
    // The user's name is looked up when first needed, not before the first frame.
    let app = App::new(loaded.handoff, String::new(), read_only)
        .with_who(who.clone())
        .resume_at(crate::state::position(path))
        .with_notice(notices.into_iter().next())
        .with_mapping(crate::vitally::Mapping::load().ok());
    let writable = app.read_only().is_none();
    Ok(Prepared {
        app,
        opened: Opened {
            path: path.to_path_buf(),
            writable,
            lock,
        },
        pending,
    })
}

impl Session {
    /// Takes over a prepared handoff: the notes log is read once the first frame
    /// is drawn.
    fn start(&mut self, prepared: Prepared) -> Ui {
        let Prepared {
            app,
            opened,
            pending,
        } = prepared;
        if !opened.writable {
            self.jobs.watch(&opened.path);
        }
        if let Some(dir) = opened.path.parent() {
            self.jobs.look_at_repository(dir);
        }
        self.opened = Some(opened);
        self.notes = (!pending.is_empty()).then_some(pending);
        Ui::Wizard(Box::new(app))
    }

    /// Runs the loop on `ui`, gives the terminal back, and says how it ended.
    fn run(&mut self, ui: &mut Ui) -> Outcome {
        let mut screen = Screen::start().map_err(|message| Failure::new(2, message))?;
        let result = run::run(&mut screen, ui, self);
        // A push under way records what it sent before the lock goes.
        self.jobs.finish();
        // Nothing is written after the loop: let the next editor in before the
        // terminal is given back.
        if let Some(opened) = &mut self.opened {
            opened.lock = None;
        }
        let hung_up = screen.hung_up_on();
        drop(screen);
        if hung_up {
            // What could be saved is saved: end as a hung-up program does,
            // printing nothing to a terminal that is gone.
            tui::screen::die_of_hang_up();
        }
        self.finish(result, ui)
    }

    /// After the wizard: say where things stand.
    fn finish(&self, result: Result<(), RunError>, ui: &Ui) -> Outcome {
        let (Some(opened), Some(app)) = (&self.opened, ui.app()) else {
            // Nothing was opened: the picker was left.
            return result.map(|()| ExitCode::SUCCESS).map_err(|e| match e {
                RunError::File(e) => Failure::from(e),
                RunError::Terminal(message) => Failure::new(1, message),
            });
        };
        let path = &opened.path;
        result.map_err(|e| match e {
            RunError::File(e) => Failure::from(e),
            RunError::Terminal(message) => {
                Failure::new(1, format!("{}: {message}", path.display()))
            }
        })?;
        let doc = app.document();
        let (done, total) = doc.progress();
        let copy = self
            .copy
            .as_ref()
            .map(|c| format!("; a copy was saved to {}", c.display()))
            .unwrap_or_default();
        // Work lost is an error; a file that could not be written but was
        // not changed lost nothing.
        if let (SaveState::Failed(e), true) = (app.save_state(), app.is_dirty()) {
            Err(Failure::new(
                1,
                format!("{}: changes were not saved ({e}){copy}", path.display()),
            ))
        } else {
            let state = if app.read_only().is_some() && doc.status != Status::Complete {
                "viewed"
            } else {
                doc.status.label()
            };
            println!("{}: {state}, {done} of {total} done{copy}", path.display());
            if self.sync_after
                && let Some(dir) = path.parent()
            {
                eprintln!("handoff: syncing {} with the team…", dir.display());
                println!("sync: {}", crate::sync::sync_now(dir, &self.who));
            }
            Ok(ExitCode::SUCCESS)
        }
    }

    /// The picker asked to open `path`: into the wizard, or why not. Editing
    /// without saving (`e`) is taken only where no lock can be: elsewhere it is
    /// plain editing.
    fn open_picked(&mut self, path: &Path, how: Opening, ui: &mut Ui) -> Performed {
        let access = match how {
            Opening::View => Access::View,
            Opening::Edit | Opening::Unsaved => Access::Edit,
        };
        let opened = match prepare(path, access, None, &self.who) {
            Err(StoreError::Unlockable { reason, .. }) if how == Opening::Unsaved => {
                prepare(path, Access::Unlocked, None, &self.who).map(|mut prepared| {
                    prepared.app = prepared
                        .app
                        .cannot_save(&format!("the file cannot be written there ({reason})"));
                    prepared
                })
            }
            other => other,
        };
        // The picker shows where the file is: its name is enough here.
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match opened {
            Ok(prepared) => {
                *ui = self.start(prepared);
                Performed::Nothing
            }
            Err(StoreError::Locked { holder, .. }) => Performed::Answer(Action::Refused(format!(
                "{name} is being edited by {holder}; press v to view it read-only"
            ))),
            Err(StoreError::Unlockable { reason, .. }) => {
                Performed::Answer(Action::Refused(format!(
                    "{name} cannot be locked for editing ({reason}): v views it read-only, e edits it without saving"
                )))
            }
            Err(e) => Performed::Answer(Action::Refused(e.to_string())),
        }
    }

    /// Remembers on this machine where the wizard is in the open handoff. Losing
    /// it costs only the place to resume, so a failure is not worth a message.
    fn remember(&self, position: &crate::handoff::Position) {
        if let Some(opened) = self.opened.as_ref().filter(|o| o.writable) {
            let _ = crate::state::remember(&opened.path, position);
        }
    }

    /// Writes the open handoff to its file.
    fn save(&self, doc: &Handoff) -> Option<Result<crate::handoff::Timestamp, String>> {
        let opened = self.opened.as_ref().filter(|o| o.writable)?;
        Some(
            store::save(&opened.path, doc)
                .map(|()| now())
                .map_err(|e| match e {
                    StoreError::Save { reason, .. } => reason,
                    other => other.to_string(),
                }),
        )
    }
}

impl World for Session {
    fn perform(
        &mut self,
        effect: Effect,
        ui: &mut Ui,
        screen: &mut Screen,
    ) -> Result<Performed, RunError> {
        let doc = ui.app().map(App::document);
        Ok(match effect {
            Effect::Save { position } => {
                self.remember(&position);
                match doc.and_then(|doc| self.save(doc)) {
                    Some(result) => Performed::Answer(Action::Saved(result)),
                    None => Performed::Nothing,
                }
            }
            Effect::Remember { position } => {
                self.remember(&position);
                Performed::Nothing
            }
            Effect::WriteCopy { to } => match doc {
                Some(doc) => {
                    let result = store::create(&to, doc).map_err(|e| e.to_string());
                    if result.is_ok() {
                        self.copy = Some(to.clone());
                    }
                    Performed::Answer(Action::Copied { to, result })
                }
                None => Performed::Nothing,
            },
            Effect::EditExternally { text } => {
                let multiline = ui.app().and_then(App::editor).is_some_and(|e| e.multiline);
                Performed::Answer(Action::ExternalEditDone(tui::edit_externally(
                    screen, &text, multiline,
                )))
            }
            Effect::Open { path, how } => self.open_picked(&path, how, ui),
            Effect::Create { customer } => {
                let Some(dir) = self.dir.clone() else {
                    return Ok(Performed::Nothing);
                };
                let path = dir.join(format!("{}.toml", store::slug(&customer)));
                let engineer = self.who.name().unwrap_or_default();
                let handoff = Handoff::new(&customer, &engineer, "", now());
                match store::create(&path, &handoff) {
                    Ok(()) => self.open_picked(&path, Opening::Edit, ui),
                    Err(e) => Performed::Answer(Action::Refused(e.to_string())),
                }
            }
            Effect::RememberName { name } => {
                if let Err(e) = crate::identity::remember(&name) {
                    return Ok(Performed::Answer(Action::Refused(e)));
                }
                Performed::Nothing
            }
            Effect::Fill { source } => {
                if let Some(doc) = doc {
                    self.jobs.fill(source, doc);
                }
                Performed::Nothing
            }
            Effect::Push { by } => {
                if let (Some(doc), Some(opened)) =
                    (doc, self.opened.as_ref().filter(|o| o.writable))
                {
                    self.jobs.push(doc.clone(), opened.path.clone(), by);
                }
                Performed::Nothing
            }
            Effect::StopPush => {
                self.jobs.stop_push();
                Performed::Nothing
            }
            Effect::RememberSync { yes } => {
                let Some(dir) = self.opened.as_ref().and_then(|o| o.path.parent()) else {
                    return Ok(Performed::Nothing);
                };
                let remembered = crate::config::load().and_then(|mut config| {
                    config.sync_on_quit.insert(crate::config::dir_key(dir), yes);
                    crate::config::save(&config).map(|_| ())
                });
                match remembered {
                    Ok(()) => Performed::Nothing,
                    Err(e) => Performed::Answer(Action::Refused(format!("Not remembered: {e}"))),
                }
            }
            Effect::SyncAfter => {
                self.sync_after = true;
                Performed::Nothing
            }
            Effect::Exit => Performed::Exit,
        })
    }

    fn busy(&self) -> bool {
        self.jobs.busy()
    }

    fn arrived(&mut self) -> Result<Option<Action>, RunError> {
        if let Some(action) = self.jobs.next() {
            return Ok(Some(action));
        }
        // The first frame is on screen: now the notes log, before any key is
        // handled. One thread: a second one would hold a second heap (100,000
        // notes: 112 MB at the peak instead of 98).
        let Some(pending) = self.notes.take() else {
            return Ok(None);
        };
        let log = pending.parse(false).map_err(RunError::File)?;
        Ok(Some(Action::NotesLoaded(log)))
    }
}
