//! The pseudo-terminal harness shared by the tests that drive the built binary:
//! it runs under portable-pty, its output is parsed by vt100, and every key can wait
//! for the screen it should produce. `fixture` sets up a handoff to run it on, `keys`
//! drives the wizard and `screen` reads it.

// Each test crate uses its own part of the harness.
#![allow(dead_code)]

mod clean_run;
mod fixture;
mod keys;
mod screen;

pub use clean_run::*;
pub use fixture::*;
pub use keys::*;
pub use screen::*;

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::os::fd::{OwnedFd, RawFd};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::io::Errno;
use rustix::process::{Pid, PidfdFlags, PidfdGetfdFlags, Signal};

/// How long any one screen may take to appear.
pub const WAIT: Duration = Duration::from_secs(10);

/// How long the reader waits for output before it looks whether it was told to stop.
const READ_TICK: Timespec = Timespec {
    tv_sec: 0,
    tv_nsec: 50_000_000,
};

/// The alternate screen on and off.
pub const ALT_ON: &str = "\x1b[?1049h";
pub const ALT_OFF: &str = "\x1b[?1049l";

/// What the child wrote: every byte, and the screen they draw.
pub struct Captured {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

/// The binary running in a pseudo-terminal of its own.
pub struct Term {
    name: String,
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Arc<Mutex<Box<dyn Write + Send>>>>,
    out: Arc<Mutex<Captured>>,
    /// Answers to the child's queries, not yet written (see `flush_replies`).
    replies: Arc<Mutex<Vec<u8>>>,
    /// Whether cursor position queries are answered (as most terminals do).
    answer: Arc<AtomicBool>,
    stop_reader: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn try_lock<T>(m: &Mutex<T>) -> Option<MutexGuard<'_, T>> {
    match m.try_lock() {
        Ok(guard) => Some(guard),
        Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }
}

/// Writes the answers waiting in `replies` to the child (the caller holds the writer).
fn flush_replies(replies: &Mutex<Vec<u8>>, w: &mut (dyn Write + Send)) {
    let pending = std::mem::take(&mut *lock(replies));
    if !pending.is_empty() {
        let _ = w.write_all(&pending);
        let _ = w.flush();
    }
}

/// A copy of this process's file descriptor `fd` that the caller owns. portable-pty
/// hands out the pty master only as a number, and making a handle of a number is
/// `unsafe`; `pidfd_getfd` has the kernel copy it instead (close-on-exec, so no other
/// test's child inherits it).
fn own_copy(fd: RawFd) -> OwnedFd {
    let this = rustix::process::pidfd_open(rustix::process::getpid(), PidfdFlags::empty())
        .expect("a pidfd for the test process");
    rustix::process::pidfd_getfd(&this, fd, PidfdGetfdFlags::empty())
        .expect("a copy of the pty master (pidfd_getfd needs Linux 5.6)")
}

/// `pid` as rustix takes it; `None` for a number no process can have.
pub fn as_pid(pid: u32) -> Option<Pid> {
    i32::try_from(pid).ok().and_then(Pid::from_raw)
}

/// Sends `signal` to the process `pid` (a child of the test's own).
pub fn send_signal(pid: u32, signal: Signal) -> rustix::io::Result<()> {
    rustix::process::kill_process(as_pid(pid).ok_or(Errno::SRCH)?, signal)
}

impl Term {
    /// `handoff ARGS` in `dir`, in a terminal of `cols` x `rows`.
    pub fn spawn(dir: &Path, args: &[&str], cols: u16, rows: u16) -> Term {
        Term::spawn_program(dir, env!("CARGO_BIN_EXE_handoff"), args, &[], cols, rows)
    }

    /// `PROGRAM ARGS` in `dir`, in a terminal of `cols` x `rows`, with the test
    /// environment plus `env` (which wins).
    pub fn spawn_program(
        dir: &Path,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (key, value) in test_env(dir) {
            cmd.env(key, value);
        }
        cmd.env("TERM", "xterm-256color");
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.cwd(dir);
        let child = pair
            .slave
            .spawn_command(cmd)
            .expect("start handoff in the pty");
        // Only the child may hold the slave side, so the reader sees the end when it exits.
        drop(pair.slave);
        let master = pair.master;
        // The reader's own copy of the master, which it polls and reads.
        let mut reader = fs::File::from(own_copy(
            master
                .as_raw_fd()
                .expect("the pty master has a file descriptor"),
        ));
        let writer = Arc::new(Mutex::new(master.take_writer().expect("pty writer")));
        let out = Arc::new(Mutex::new(Captured {
            parser: vt100::Parser::new(
                rows.try_into().expect("rows > 0"),
                cols.try_into().expect("cols > 0"),
                0,
            ),
            raw: Vec::new(),
            eof: false,
        }));
        let stop_reader = Arc::new(AtomicBool::new(false));
        let replies = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(AtomicBool::new(true));
        let reader = {
            let (out, writer, replies, answer, stop) = (
                Arc::clone(&out),
                Arc::clone(&writer),
                Arc::clone(&replies),
                Arc::clone(&answer),
                Arc::clone(&stop_reader),
            );
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // Never wait for the writer: whoever holds it writes the replies.
                    if let Some(mut w) = try_lock(&writer) {
                        flush_replies(&replies, &mut **w);
                    }
                    // Poll first, so the thread can be told to stop (see `hang_up`).
                    let ready = rustix::event::poll(
                        &mut [PollFd::new(&reader, PollFlags::IN)],
                        Some(&READ_TICK),
                    );
                    if matches!(ready, Ok(0) | Err(Errno::INTR)) {
                        continue;
                    }
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let bytes = &buf[..n];
                            let mut o = lock(&out);
                            // A query may straddle two reads.
                            let from = o.raw.len().saturating_sub(3);
                            o.raw.extend_from_slice(bytes);
                            o.parser.process(bytes);
                            // Answer cursor position queries, as a terminal would.
                            let queries =
                                o.raw[from..].windows(4).filter(|w| w == b"\x1b[6n").count();
                            if queries > 0 && answer.load(Ordering::Relaxed) {
                                let (row, col) = o.parser.screen().cursor_position();
                                let answer = format!("\x1b[{};{}R", row + 1, col + 1);
                                drop(o);
                                lock(&replies)
                                    .extend_from_slice(&answer.repeat(queries).into_bytes());
                                if let Some(mut w) = try_lock(&writer) {
                                    flush_replies(&replies, &mut **w);
                                }
                            }
                        }
                    }
                }
                lock(&out).eof = true;
            })
        };
        let program_name = Path::new(program)
            .file_name()
            .map_or_else(|| program.to_string(), |n| n.to_string_lossy().into_owned());
        Term {
            name: format!("{program_name} {}", args.join(" ")),
            child,
            master: Some(master),
            writer: Some(writer),
            out,
            replies,
            answer,
            stop_reader,
            reader: Some(reader),
            status: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    pub fn send(&self, keys: &str) {
        let writer = self.writer.as_ref().expect("the terminal is still open");
        let mut w = lock(writer);
        flush_replies(&self.replies, &mut **w);
        w.write_all(keys.as_bytes()).expect("write keys to the pty");
        w.flush().expect("flush keys to the pty");
    }

    /// From now on, cursor position queries go unanswered, as on a terminal that
    /// does not support them.
    pub fn stop_answering_queries(&self) {
        self.answer.store(false, Ordering::Relaxed);
    }

    /// Sends a large input in pieces, so the writer is never held for long.
    pub fn send_large(&self, bytes: &[u8]) {
        let writer = self.writer.as_ref().expect("the terminal is still open");
        for chunk in bytes.chunks(16 * 1024) {
            let mut w = lock(writer);
            flush_replies(&self.replies, &mut **w);
            w.write_all(chunk).expect("write keys to the pty");
            w.flush().expect("flush keys to the pty");
        }
        flush_replies(&self.replies, &mut **lock(writer));
    }

    /// Resizes the terminal, as dragging a window's corner does: the screen the
    /// test reads takes the new size first, then the child is told.
    pub fn resize(&self, cols: u16, rows: u16) {
        self.resize_with(cols, rows, b"");
    }

    /// `resize` and `clear_screen` in one step, so nothing the child draws for the
    /// new size can be wiped out: only what is drawn afterwards shows.
    pub fn resize_and_clear(&self, cols: u16, rows: u16) {
        self.resize_with(cols, rows, b"\x1b[H\x1b[2J");
    }

    /// Sets the screen's size and feeds it `first` (under one lock), then tells the child.
    fn resize_with(&self, cols: u16, rows: u16, first: &[u8]) {
        let mut o = lock(&self.out);
        o.parser.set_size(
            rows.try_into().expect("rows > 0"),
            cols.try_into().expect("cols > 0"),
        );
        o.parser.process(first);
        self.master
            .as_ref()
            .expect("the terminal is still open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// Looks at the screen as it is now.
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(lock(&self.out).parser.screen())
    }

    /// Blanks the screen the test reads, so only what is drawn afterwards shows.
    pub fn clear_screen(&self) {
        lock(&self.out).parser.process(b"\x1b[H\x1b[2J");
    }

    /// One row of the screen.
    pub fn row(&self, row: u16) -> String {
        self.with_screen(|s| screen_row(s, row))
    }

    /// The number of bytes the child wrote so far.
    pub fn raw_len(&self) -> usize {
        lock(&self.out).raw.len()
    }

    pub fn screen(&self) -> String {
        lock(&self.out).parser.screen().contents()
    }

    /// Everything the child wrote so far, escape sequences included.
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&lock(&self.out).raw).into_owned()
    }

    pub fn dump(&self) -> String {
        let (screen, eof) = {
            let o = lock(&self.out);
            (o.parser.screen().contents(), o.eof)
        };
        let lines: Vec<String> = screen
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{i:2}|{l}"))
            .collect();
        format!(
            "`{}` screen{}:\n{}\n",
            self.name,
            if eof { " (output ended)" } else { "" },
            lines.join("\n")
        )
    }

    /// Waits until `ok` holds for the screen; fails with the screen otherwise.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&vt100::Screen) -> bool) {
        self.wait_until_within(WAIT, what, ok);
    }

    /// `wait_until` with its own time limit.
    pub fn wait_until_within(
        &self,
        timeout: Duration,
        what: &str,
        ok: impl Fn(&vt100::Screen) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        loop {
            if ok(lock(&self.out).parser.screen()) {
                return;
            }
            assert!(
                Instant::now() <= deadline,
                "timed out after {timeout:?} waiting for {what}\n{}",
                self.dump()
            );
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?} on screen"), |s| {
            s.contents().contains(text)
        });
    }

    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to leave the screen"), |s| {
            !s.contents().contains(text)
        });
    }

    /// Waits for the field marker `▸` on the field labelled `label`.
    pub fn wait_focus(&self, label: &str) {
        self.wait_until(&format!("the ▸ marker on {label:?}"), |s| {
            focused_label(s).is_some_and(|l| l.starts_with(label))
        });
    }

    /// Waits until the focused field shows `value` on its value line.
    pub fn wait_value(&self, value: &str) {
        self.wait_until(&format!("{value:?} as the focused field's value"), |s| {
            focused_value(s).as_deref() == Some(value)
        });
    }

    /// Waits until the status line shows a refusal ("Read-only: …" in red), or, with
    /// `shown` false, until it no longer does. A read-only session always shows its
    /// reason there in grey; a refused key turns that line red.
    pub fn wait_refusal(&self, shown: bool) {
        let what = if shown {
            "a red \"Read-only:\" refusal"
        } else {
            "the \"Read-only:\" refusal to clear"
        };
        self.wait_until(what, |s| refusal_shown(s) == shown);
    }

    /// Waits until a highlighted (selected) stretch of the screen contains `text`.
    pub fn wait_selected(&self, text: &str) {
        self.wait_until(&format!("{text:?} highlighted"), |s| {
            highlighted(s).iter().any(|h| h.contains(text))
        });
    }

    /// Waits until the header says the file was saved (`saved HH:MM:SS`).
    pub fn wait_saved(&self) {
        self.wait_until("\"saved\" in the header", |s| {
            let header = header_row(s);
            header.contains(" saved ") && !header.contains("NOT SAVED")
        });
    }

    /// Waits until the header says the last save failed and the status line says why.
    pub fn wait_not_saved(&self) {
        self.wait_until(
            "\"NOT SAVED\" in the header and \"Not saved:\" on the status line",
            |s| header_row(s).contains("NOT SAVED") && status_starts(s, "Not saved:"),
        );
    }

    /// Waits until the status message starts with `prefix`.
    pub fn wait_status(&self, prefix: &str) {
        self.wait_until(&format!("a status line starting {prefix:?}"), |s| {
            status_starts(s, prefix)
        });
    }

    pub fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("poll the child");
        }
        self.status.clone()
    }

    /// Waits for the child to exit and for the last of its output.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.try_status() {
                break status;
            }
            if Instant::now() > deadline {
                let dump = self.dump();
                self.kill();
                panic!("`{}` did not exit within {timeout:?}\n{dump}", self.name);
            }
            std::thread::sleep(Duration::from_millis(15));
        };
        // The slave closes with the child; the reader then sees the end of the output.
        let deadline = Instant::now() + Duration::from_secs(3);
        while !lock(&self.out).eof && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        status
    }

    pub fn signal(&self, signal: Signal) {
        let pid = self.pid();
        send_signal(pid, signal).unwrap_or_else(|e| panic!("kill({pid}, {signal:?}) failed: {e}"));
    }

    /// SIGKILL unless it has exited; never panics, as it also runs in `drop`.
    pub fn kill(&mut self) {
        if self.status.is_some() || !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        if let Some(pid) = self.child.process_id() {
            // The child has not been reaped yet, so the pid is still its own.
            let _ = send_signal(pid, Signal::KILL);
        }
        self.status = self.child.wait().ok();
    }

    /// Closes the terminal under the running child, as closing a terminal window does.
    pub fn hang_up(&mut self) {
        self.stop_reader.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.writer = None;
        self.master = None;
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        // Never leave a child behind, whatever a test did.
        self.kill();
        self.stop_reader.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

/// `handoff ARGS` without a terminal.
pub fn run_plain(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handoff"));
    cmd.args(args)
        .env_clear()
        .current_dir(dir)
        .stdin(Stdio::null());
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (key, value) in test_env(dir) {
        cmd.env(key, value);
    }
    cmd.output().expect("run handoff")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files of a handoff directory. The tests' HOME is that directory too, so the
/// wizard's own per-machine state (`.local/state/handoff`) is not counted.
pub fn files_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .expect("list the directory")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name != ".local")
        .collect()
}

/// The terminal was given back: the alternate screen was left after it was last entered.
pub fn assert_alt_screen_left(raw: &str) {
    let on = raw
        .rfind(ALT_ON)
        .expect("the wizard entered the alternate screen");
    let off = raw.rfind(ALT_OFF);
    assert!(
        off.is_some_and(|off| off > on),
        "the alternate screen was not left; output ends with {:?}",
        &raw[raw.len().saturating_sub(300)..]
    );
}

/// Waits for the child to exit successfully, having given the terminal back; returns
/// everything it wrote.
pub fn wait_clean_exit(t: &mut Term) -> String {
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    let raw = t.raw();
    assert_alt_screen_left(&raw);
    raw
}

/// What the child wrote after it last left the alternate screen: its last words.
pub fn after_alt_screen(raw: &str) -> &str {
    &raw[raw.rfind(ALT_OFF).expect("left the alternate screen")..]
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}
