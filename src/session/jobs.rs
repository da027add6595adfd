//! Work the wizard hands to other threads, each answering with actions on one
//! channel: a fill source asked, a push to Vitally (saving the file after every
//! write Vitally confirmed), the file watched under a view, the team's repository
//! looked at. `next` gives what has arrived, and a tick while work runs, so the
//! spinner turns.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use crate::fill::{self, Source};
use crate::handoff::{Handoff, now};
use crate::store;
use crate::tui::action::Action;
use crate::vitally::{self, Mapping, Observer, Settings, Vitally, VitallyRecord, client::Call};

/// How often the spinner turns while work runs.
pub const TICK: Duration = Duration::from_millis(100);
/// How often a view looks whether its file changed on disk.
const WATCH_EVERY: Duration = Duration::from_millis(500);

pub struct Jobs {
    send: Sender<Action>,
    receive: Receiver<Action>,
    /// A fill the person waits for. Never waited for on leaving: a slow source
    /// is left to its own timeout.
    filling: Option<JoinHandle<()>>,
    /// A push, and what tells it to stop before its next request. Waited for on
    /// leaving, so that what it sent is recorded.
    pushing: Option<(JoinHandle<()>, Arc<AtomicBool>)>,
    ticked: Instant,
    watch: Option<Watch>,
}

/// A view following its file: what the file was when last read.
struct Watch {
    path: PathBuf,
    seen: Option<Stamp>,
    checked: Instant,
    /// A read is under way (its `Reloaded` has not come back yet).
    reading: bool,
}

/// What tells one version of a file from the next: a save replaces the file (a
/// new inode), and changes its time and usually its size.
type Stamp = (u64, SystemTime, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.ino(), meta.modified().ok()?, meta.len()))
}

impl Jobs {
    pub fn new() -> Jobs {
        let (send, receive) = mpsc::channel();
        Jobs {
            send,
            receive,
            filling: None,
            pushing: None,
            ticked: Instant::now(),
            watch: None,
        }
    }

    /// Whether work the person waits for is running.
    pub fn busy(&self) -> bool {
        let running = |job: &JoinHandle<()>| !job.is_finished();
        self.filling.as_ref().is_some_and(running)
            || self.pushing.as_ref().is_some_and(|(job, _)| running(job))
    }

    /// What arrived from another thread, or a tick while work runs, or a new
    /// version of a watched file being read.
    pub fn next(&mut self) -> Option<Action> {
        if let Ok(action) = self.receive.try_recv() {
            if matches!(action, Action::Reloaded { .. })
                && let Some(watch) = &mut self.watch
            {
                watch.reading = false;
            }
            return Some(action);
        }
        if self.busy() && self.ticked.elapsed() >= TICK {
            self.ticked = Instant::now();
            return Some(Action::Tick);
        }
        self.look_at_file();
        None
    }

    /// `f`: ask a source, on a thread of its own.
    pub fn fill(&mut self, source: Source, handoff: &Handoff) {
        let ask = fill::ask_later(source, handoff);
        let send = self.send.clone();
        self.ticked = Instant::now();
        self.filling = Some(std::thread::spawn(move || {
            let _ = send.send(Action::Filled(Box::new(ask())));
        }));
    }

    /// `P`: push to Vitally as `by`, saving `path` after every confirmed write.
    /// The caller holds the file's lock and changes nothing while this runs.
    pub fn push(&mut self, handoff: Handoff, path: PathBuf, by: String) {
        let stop = Arc::new(AtomicBool::new(false));
        let mut progress = Progress {
            handoff,
            path,
            send: self.send.clone(),
            stop: Arc::clone(&stop),
        };
        self.ticked = Instant::now();
        let job = std::thread::spawn(move || {
            let result = push(&mut progress, &by);
            let _ = progress.send.send(Action::Pushed(result));
        });
        self.pushing = Some((job, stop));
    }

    /// Esc during a push: stop before the next request.
    pub fn stop_push(&self) {
        if let Some((_, stop)) = &self.pushing {
            stop.store(true, Ordering::Relaxed);
        }
    }

    /// A view follows its file: a new version is read and shown.
    pub fn watch(&mut self, path: &Path) {
        self.watch = Some(Watch {
            path: path.to_path_buf(),
            seen: stamp(path),
            checked: Instant::now(),
            reading: false,
        });
    }

    fn look_at_file(&mut self) {
        let Some(watch) = &mut self.watch else {
            return;
        };
        if watch.reading || watch.checked.elapsed() < WATCH_EVERY {
            return;
        }
        watch.checked = Instant::now();
        let now = stamp(&watch.path);
        if now.is_none() || now == watch.seen {
            return;
        }
        watch.seen = now;
        watch.reading = true;
        let path = watch.path.clone();
        let send = self.send.clone();
        std::thread::spawn(move || {
            let result = store::load(&path)
                .map(|loaded| Box::new(loaded.handoff))
                .map_err(|e| e.to_string());
            let editing = store::open_by(&path).map(|holder| holder.user);
            let _ = send.send(Action::Reloaded { result, editing });
        });
    }

    /// Whether `dir` is a clone synced with `handoff sync`: what it has not shared
    /// or taken in yet, and whether to sync on quitting. One git process, no
    /// network; nothing arrives when it is not a synced clone.
    pub fn look_at_repository(&mut self, dir: &Path) {
        let dir = dir.to_path_buf();
        let send = self.send.clone();
        std::thread::spawn(move || {
            if let Some(status) = crate::sync::local_status(&dir) {
                let on_quit = crate::config::load()
                    .ok()
                    .and_then(|c| c.sync_on_quit.get(&crate::config::dir_key(&dir)).copied());
                let _ = send.send(Action::SyncKnown {
                    status: status.line(),
                    on_quit,
                });
            }
        });
    }

    /// Leaving: a push under way stops before its next request, and is waited
    /// for, so that what it sent is recorded in the file before the lock goes.
    /// A fill is not waited for: nothing of it reaches the file unasked.
    pub fn finish(&mut self) {
        self.stop_push();
        if let Some((job, _)) = self.pushing.take() {
            let _ = job.join();
        }
    }
}

/// A push from the wizard: the summary line, or why it stopped.
fn push(progress: &mut Progress, by: &str) -> Result<String, String> {
    let config = crate::config::load()?;
    let config_file = crate::config::path().map_or_else(
        || "the config file".to_string(),
        |p| p.display().to_string(),
    );
    let mapping = Mapping::new(crate::form::form(), &config.vitally.traits, &config_file)?;
    let connection = Vitally::new(&Settings::from_env(&config.vitally)?)?;
    let at = now();
    let handoff = progress.handoff.clone();
    let plan = vitally::prepare(&handoff, &mapping, &connection, progress, at)
        .map_err(|e| e.to_string())?;
    let summary = vitally::push(plan, &connection, by, at, progress).map_err(|e| e.to_string())?;
    let mut line = summary.line();
    if let Some(first) = summary.left_alone.first() {
        line.push_str(&format!("; {first}"));
    }
    Ok(line)
}

/// A push's progress, as lines for the status line, and its record saved in the
/// file after every write.
struct Progress {
    handoff: Handoff,
    path: PathBuf,
    send: Sender<Action>,
    stop: Arc<AtomicBool>,
}

impl Observer for Progress {
    fn request(&mut self, _: &Call, what: &str, step: Option<(usize, usize)>) {
        let line = match step {
            Some((n, total)) => format!("Pushing to Vitally, {n} of {total}: {what}…"),
            None => format!("Reading from Vitally: {what}…"),
        };
        let _ = self.send.send(Action::PushProgress(line));
    }

    fn waiting(&mut self, message: &str) {
        let _ = self.send.send(Action::PushProgress(message.to_string()));
    }

    fn record(&mut self, record: &VitallyRecord) -> Result<(), String> {
        self.handoff.vitally = record.clone();
        store::save(&self.path, &self.handoff).map_err(|e| e.to_string())?;
        let _ = self
            .send
            .send(Action::PushRecorded(Box::new(record.clone())));
        Ok(())
    }

    fn should_stop(&mut self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}
