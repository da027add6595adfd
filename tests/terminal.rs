//! The wizard in a real pseudo-terminal: the built binary runs under portable-pty,
//! its output is parsed by vt100, and every key waits for the screen it should produce.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use handoff::handoff::{FieldValue, Status};
use handoff::{store, testdata};
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long any one screen may take to appear.
const WAIT: Duration = Duration::from_secs(10);

const TAB: &str = "\t";
const SHIFT_TAB: &str = "\x1b[Z";
const ENTER: &str = "\r";
const PG_DN: &str = "\x1b[6~";
const DOWN: &str = "\x1b[B";
const SPACE: &str = " ";
const CTRL_S: &str = "\x13";

/// The alternate screen on and off.
const ALT_ON: &str = "\x1b[?1049h";
const ALT_OFF: &str = "\x1b[?1049l";

// ---------------------------------------------------------------- the harness

/// What the child wrote: every byte, and the screen they draw.
struct Captured {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

/// The binary running in a pseudo-terminal of its own.
struct Term {
    name: String,
    child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Arc<Mutex<Box<dyn Write + Send>>>>,
    out: Arc<Mutex<Captured>>,
    stop_reader: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Term {
    /// `handoff ARGS` in `dir`, in a terminal of `cols` x `rows`.
    fn spawn(dir: &Path, args: &[&str], cols: u16, rows: u16) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_handoff"));
        cmd.args(args);
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (key, value) in test_env(dir) {
            cmd.env(key, value);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(dir);
        let child = pair
            .slave
            .spawn_command(cmd)
            .expect("start handoff in the pty");
        // Only the child may hold the slave side, so the reader sees the end when it exits.
        drop(pair.slave);
        let master = pair.master;
        let fd = master
            .as_raw_fd()
            .expect("the pty master has a file descriptor");
        let mut reader = master.try_clone_reader().expect("pty reader");
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
        let reader = {
            let (out, writer, stop) = (
                Arc::clone(&out),
                Arc::clone(&writer),
                Arc::clone(&stop_reader),
            );
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // Poll first, so the thread can be told to stop (see `hang_up`).
                    let mut pfd = libc::pollfd {
                        fd,
                        events: libc::POLLIN,
                        revents: 0,
                    };
                    // SAFETY: one valid pollfd; the fd stays open until this thread is joined.
                    let ready = unsafe { libc::poll(&mut pfd, 1, 50) };
                    if ready == 0
                        || (ready < 0
                            && std::io::Error::last_os_error().kind()
                                == std::io::ErrorKind::Interrupted)
                    {
                        continue;
                    }
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let bytes = &buf[..n];
                            let mut o = lock(&out);
                            o.raw.extend_from_slice(bytes);
                            o.parser.process(bytes);
                            // Answer a cursor position query, as a terminal would.
                            if bytes.windows(4).any(|w| w == b"\x1b[6n") {
                                let _ = lock(&writer).write_all(b"\x1b[1;1R");
                            }
                        }
                    }
                }
                lock(&out).eof = true;
            })
        };
        Term {
            name: format!("handoff {}", args.join(" ")),
            child,
            master: Some(master),
            writer: Some(writer),
            out,
            stop_reader,
            reader: Some(reader),
            status: None,
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    fn send(&self, keys: &str) {
        let writer = self.writer.as_ref().expect("the terminal is still open");
        let mut w = lock(writer);
        w.write_all(keys.as_bytes()).expect("write keys to the pty");
        w.flush().expect("flush keys to the pty");
    }

    fn screen(&self) -> String {
        lock(&self.out).parser.screen().contents()
    }

    /// Everything the child wrote so far, escape sequences included.
    fn raw(&self) -> String {
        String::from_utf8_lossy(&lock(&self.out).raw).into_owned()
    }

    fn dump(&self) -> String {
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
    fn wait_until(&self, what: &str, ok: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            if ok(lock(&self.out).parser.screen()) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {WAIT:?} waiting for {what}\n{}",
                    self.dump()
                );
            }
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?} on screen"), |s| {
            s.contents().contains(text)
        });
    }

    fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to leave the screen"), |s| {
            !s.contents().contains(text)
        });
    }

    /// Waits for the field marker `▸` on the field labelled `label`.
    fn wait_focus(&self, label: &str) {
        self.wait_until(&format!("the ▸ marker on {label:?}"), |s| {
            focused_label(s).is_some_and(|l| l.starts_with(label))
        });
    }

    /// Waits until the focused field shows `value` on its value line.
    fn wait_value(&self, value: &str) {
        self.wait_until(&format!("{value:?} as the focused field's value"), |s| {
            focused_value(s).as_deref() == Some(value)
        });
    }

    /// Waits until the status line shows a refusal ("Read-only: …" in red), or, with
    /// `shown` false, until it no longer does. A read-only session always shows its
    /// reason there in grey; a refused key turns that line red.
    fn wait_refusal(&self, shown: bool) {
        let what = if shown {
            "a red \"Read-only:\" refusal"
        } else {
            "the \"Read-only:\" refusal to clear"
        };
        self.wait_until(what, |s| refusal_shown(s) == shown);
    }

    /// Waits until a highlighted (selected) stretch of the screen contains `text`.
    fn wait_selected(&self, text: &str) {
        self.wait_until(&format!("{text:?} highlighted"), |s| {
            highlighted(s).iter().any(|h| h.contains(text))
        });
    }

    fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("poll the child");
        }
        self.status.clone()
    }

    /// Waits for the child to exit and for the last of its output.
    fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
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

    fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.pid()).expect("pid fits pid_t");
        // SAFETY: signalling our own child, which has not been reaped yet.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill({pid}, {signal}) failed");
    }

    /// SIGKILL unless it has exited; never panics, as it also runs in `drop`.
    fn kill(&mut self) {
        if self.status.is_some() || !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        if let Some(pid) = self
            .child
            .process_id()
            .and_then(|p| libc::pid_t::try_from(p).ok())
        {
            // SAFETY: SIGKILL to our own child, which has not been reaped yet.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        self.status = self.child.wait().ok();
    }

    /// Closes the terminal under the running child, as closing a terminal window does.
    fn hang_up(&mut self) {
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

/// The body of a screen row: the part right of the step sidebar.
fn body(line: &str) -> String {
    line.chars().skip(31).collect()
}

/// The label of the field the `▸` marker is on.
fn focused_label(screen: &vt100::Screen) -> Option<String> {
    screen.contents().lines().find_map(|line| {
        body(line)
            .trim_start()
            .strip_prefix("▸ ")
            .map(|l| l.trim().to_string())
    })
}

/// The value line under the focused field's label.
fn focused_value(screen: &vt100::Screen) -> Option<String> {
    let contents = screen.contents();
    let lines: Vec<&str> = contents.lines().collect();
    let at = lines
        .iter()
        .position(|line| body(line).trim_start().starts_with("▸ "))?;
    lines.get(at + 1).map(|l| body(l).trim().to_string())
}

/// Whether a "Read-only:" line is drawn in the error colour (red).
fn refusal_shown(screen: &vt100::Screen) -> bool {
    let contents = screen.contents();
    contents.lines().enumerate().any(|(row, line)| {
        line.find("Read-only:").is_some_and(|at| {
            let col = line[..at].chars().count();
            let (Ok(row), Ok(col)) = (u16::try_from(row), u16::try_from(col)) else {
                return false;
            };
            screen
                .cell(row, col)
                .is_some_and(|c| c.fgcolor() == vt100::Color::Idx(1))
        })
    })
}

/// Runs of cells drawn in the selection colour (cyan background).
fn highlighted(screen: &vt100::Screen) -> Vec<String> {
    let (rows, cols) = screen.size();
    let mut runs = Vec::new();
    for row in 0..rows.get() {
        let mut run = String::new();
        for col in 0..cols.get() {
            let cell = screen.cell(row, col);
            match cell {
                Some(c) if c.bgcolor() == vt100::Color::Idx(6) => run.push_str(c.contents()),
                _ if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                _ => {}
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
    }
    runs
}

/// The environment every run gets: nothing of the developer's leaks in.
fn test_env(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("HANDOFF_DIR", dir.to_path_buf()),
        ("USER", "jane".into()),
        ("HOME", dir.to_path_buf()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".into()),
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
    ]
}

/// `handoff ARGS` without a terminal.
fn run_plain(dir: &Path, args: &[&str]) -> Output {
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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .expect("list the directory")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The terminal was given back: the alternate screen was left after it was last entered.
fn assert_alt_screen_left(raw: &str) {
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

/// Enter on a text-like field, type `value`, Enter: the field shows it.
fn edit_field(t: &Term, value: &str) {
    edit_field_shown(t, value, value);
}

/// Like `edit_field`, when the field shows the value as `shown`.
fn edit_field_shown(t: &Term, value: &str, shown: &str) {
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send(value);
    t.wait_for(value);
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_value(shown);
}

/// Tab to the field labelled `label`, then type `value` into it.
fn tab_and_edit(t: &Term, label: &str, value: &str) {
    t.send(TAB);
    t.wait_focus(label);
    edit_field(t, value);
}

/// Enter on a choice field and pick the first choice.
fn pick_first(t: &Term, choice: &str) {
    t.send(ENTER);
    t.wait_for("Enter pick");
    t.wait_selected(choice);
    t.send(ENTER);
    t.wait_gone("Enter pick");
    t.wait_value(choice);
}

fn new_file_plain(dir: &Path) -> PathBuf {
    let out = run_plain(dir, &["new", "--customer", "Acme Corp", "--ta", "Sam"]);
    assert!(out.status.success(), "new failed: {}", text(&out.stderr));
    let path = dir.join("acme-corp.toml");
    assert_eq!(text(&out.stdout), format!("{}\n", path.display()));
    path
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

// ---------------------------------------------------------------- the tests

#[test]
fn a_complete_handoff_with_keys_only() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    let mut t = Term::spawn(
        dir.path(),
        &["new", "--customer", "Acme Corp", "--ta", "Sam"],
        100,
        30,
    );
    t.wait_for("1 · Handoff");
    t.wait_focus("Customer (account) name");
    assert!(path.is_file(), "`new` created the file before the wizard");

    // 2 · Production deployment
    t.send(PG_DN);
    t.wait_for("2 · Production deployment");
    t.wait_focus("Technical Design Document links");
    edit_field_shown(
        &t,
        "https://docs.example.com/tdd",
        "• https://docs.example.com/tdd",
    );
    tab_and_edit(&t, "Implementation start date", "2026-01-12");
    tab_and_edit(&t, "Implementation completion date", "2026-02-27");
    tab_and_edit(&t, "Sourcegraph instance URL", "https://sg.acme.example");
    t.send(TAB);
    t.wait_focus("Deployment type");
    pick_first(&t, "Kubernetes (Helm)");
    t.send(TAB);
    t.wait_focus("Infrastructure hosting provider");
    pick_first(&t, "AWS");
    t.send(TAB);
    t.wait_focus("Machine instance types");
    t.send("a");
    t.wait_for("Enter done");
    t.send("m6a.4xlarge x3");
    t.wait_for("m6a.4xlarge x3");
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_value("• m6a.4xlarge x3");
    tab_and_edit(&t, "Total CPU (cores)", "48");
    tab_and_edit(&t, "Total memory (GB)", "192");
    tab_and_edit(&t, "Total disk space (GB)", "2000");

    // 3 · Code hosts
    t.send(PG_DN);
    t.wait_for("3 · Code hosts");
    t.wait_focus("Code hosts in use");
    t.send(ENTER);
    t.wait_for("Space tick");
    t.wait_for("[ ] GitHub.com");
    t.send(SPACE);
    t.wait_for("[x] GitHub.com");
    t.send(ENTER);
    t.wait_gone("Space tick");
    t.wait_value("GitHub.com");
    tab_and_edit(&t, "Number of repositories", "1200");
    tab_and_edit(&t, "Number of monorepos", "3");
    tab_and_edit(&t, "Largest repository (MB)", "4500");

    // 4 · Implementation notes
    t.send(PG_DN);
    t.wait_for("4 · Implementation notes");
    t.wait_focus("Agreed upper limit of users");
    edit_field(&t, "800");
    tab_and_edit(&t, "Agreed upper limit of concurrent users", "150");
    tab_and_edit(&t, "Agreed upper limit of repositories", "2000");
    t.send(TAB);
    t.wait_focus("Notes log");
    t.send("a");
    t.wait_for("New note: category");
    t.wait_selected("Upper limits");
    t.send(ENTER);
    t.wait_for("New note — Upper limits");
    t.wait_for("Tab done");
    t.send("800 users agreed");
    t.wait_for("800 users agreed");
    t.send(ENTER);
    t.send("150 at peak");
    t.wait_for("150 at peak");
    t.wait_for("New note — Upper limits");
    t.send(TAB);
    t.wait_for("Note added");
    t.wait_for("Notes log  1 entries");

    // 5 · Closeout checklist
    t.send(PG_DN);
    t.wait_for("5 · Closeout checklist");
    t.wait_focus("Customer environments");
    t.wait_value("• Production");
    t.send(TAB);
    t.wait_focus("Closeout items");
    let items = [
        "Infrastructure complete",
        "Sourcegraph deployed",
        "Code host connections",
        "Repositories syncing",
        "Search indexing",
        "General site configuration",
    ];
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            t.send(DOWN);
        }
        t.wait_selected(item);
        t.send(SPACE);
        t.wait_for(&format!("{} of 6 settled", n + 1));
    }
    assert_eq!(t.screen().matches("[x] ").count(), 6, "{}", t.dump());

    // 8 · Review and complete
    t.send("8");
    t.wait_for("8 · Review and complete");
    t.wait_for("Nothing blocks completion");
    t.wait_for("Tab blockers");
    t.send(TAB);
    t.wait_gone("Tab blockers");
    t.send(TAB);
    t.wait_for("▸  Complete handoff");
    t.send(ENTER);
    t.wait_for("Mark this handoff complete?");
    t.send("y");
    t.wait_for("Handoff complete");
    t.wait_for("READ-ONLY");
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());

    let raw = t.raw();
    assert_alt_screen_left(&raw);
    let h = store::load(&path).expect("the saved handoff loads").handoff;
    let (done, total) = h.progress();
    let summary = format!("{}: complete, {done}/{total} checked", path.display());
    let after = &raw[raw.rfind(ALT_OFF).expect("left the alternate screen")..];
    assert!(after.contains(&summary), "{summary:?} not in {after:?}");

    let check = run_plain(dir.path(), &["check", &path.display().to_string()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "check: {}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    assert_eq!(h.status, Status::Complete);
    assert_eq!(done, total);
    assert_eq!(
        h.value("deployment", "instance_url"),
        Some(&FieldValue::Text("https://sg.acme.example".into()))
    );
    assert_eq!(
        h.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(48.0))
    );
    assert_eq!(
        h.value("deployment", "instance_types"),
        Some(&FieldValue::List(vec!["m6a.4xlarge x3".into()]))
    );
    assert_eq!(
        h.value("code_hosts", "hosts"),
        Some(&FieldValue::List(vec!["GitHub.com".into()]))
    );
    assert_eq!(
        h.value("code_hosts", "monorepos"),
        Some(&FieldValue::Integer(3))
    );
    let notes: Vec<&str> = h.notes_log.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notes, ["800 users agreed\n150 at peak"]);
    assert!(!store::lock_path(&path).exists(), "the lock is released");
}

#[test]
fn b_quit_in_the_middle_and_resume_where_left() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    let mut t = Term::spawn(
        dir.path(),
        &["new", "--customer", "Acme Corp", "--ta", "Sam"],
        100,
        30,
    );
    t.wait_for("1 · Handoff");
    t.send("2");
    t.wait_for("2 · Production deployment");
    t.wait_focus("Technical Design Document links");
    tab_and_edit(&t, "Implementation start date", "2026-01-12");
    t.send(TAB);
    t.wait_focus("Implementation completion date");
    tab_and_edit(&t, "Sourcegraph instance URL", "https://sg.acme.example");
    t.send(TAB);
    t.wait_focus("Deployment type");
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    assert_alt_screen_left(&t.raw());

    let h = store::load(&path).expect("saved handoff loads").handoff;
    assert_eq!(
        h.value("deployment", "start_date"),
        Some(&FieldValue::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 12).expect("date")
        ))
    );
    assert_eq!(
        h.value("deployment", "instance_url"),
        Some(&FieldValue::Text("https://sg.acme.example".into()))
    );
    assert_eq!(h.value("deployment", "completion_date"), None);
    assert_eq!(h.status, Status::InProgress);
    assert_eq!(
        (h.position.step.as_str(), h.position.field.as_str()),
        ("deployment", "deployment_type")
    );
    assert!(!store::lock_path(&path).exists(), "the lock is released");

    let mut t = Term::spawn(dir.path(), &["open", &path.display().to_string()], 100, 30);
    t.wait_for("2 · Production deployment");
    t.wait_focus("Deployment type");
    let screen = t.screen();
    for shown in ["2026-01-12", "https://sg.acme.example"] {
        assert!(screen.contains(shown), "{shown:?} not shown\n{}", t.dump());
    }
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("▸ 2 Production deployment")),
        "the sidebar marks step 2\n{}",
        t.dump()
    );
    assert!(store::lock_path(&path).exists(), "open holds the lock");
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    assert!(!store::lock_path(&path).exists(), "the lock is released");
}

#[test]
fn c_view_never_writes_or_locks() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    store::save(&path, &testdata::complete_handoff()).expect("save the fixture");
    let before = fs::read(&path).expect("read the fixture");
    let files_before = files_in(dir.path());
    let lock_file = store::lock_path(&path);

    let mut t = Term::spawn(dir.path(), &["view", &path.display().to_string()], 100, 30);
    t.wait_for("1 · Handoff");
    t.wait_for("READ-ONLY");
    t.wait_for("Read-only: opened with `handoff view`");
    t.wait_refusal(false);
    assert!(!lock_file.exists(), "view took a lock");

    // A refused key says so; Tab and back clears the message for the next one.
    let refused = |t: &Term, key: &str, label: &str| {
        t.send(key);
        t.wait_refusal(true);
        t.send(TAB);
        t.wait_refusal(false);
        t.send(SHIFT_TAB);
        t.wait_focus(label);
    };

    // 1 · Handoff: a text field; typing does nothing, Ctrl-S is refused.
    let label = "Customer (account) name";
    t.wait_focus(label);
    refused(&t, ENTER, label);
    t.send("xyz");
    refused(&t, CTRL_S, label);

    // 2 · Production deployment: a list and a date.
    t.send("2");
    t.wait_for("2 · Production deployment");
    let label = "Technical Design Document links";
    t.wait_focus(label);
    for key in ["a", "d", ENTER] {
        refused(&t, key, label);
    }
    t.send(TAB);
    let label = "Implementation start date";
    t.wait_focus(label);
    refused(&t, ENTER, label);
    // Without an editor, letters go nowhere (digits would jump to steps).
    t.send("wxyz");
    refused(&t, CTRL_S, label);
    t.wait_value("2026-01-12");

    // 3 · Code hosts: the multi-choice field.
    t.send("3");
    t.wait_for("3 · Code hosts");
    let label = "Code hosts in use";
    t.wait_focus(label);
    refused(&t, SPACE, label);
    refused(&t, ENTER, label);

    // 4 · The notes log.
    t.send("4");
    t.wait_for("4 · Implementation notes");
    t.send(&TAB.repeat(3));
    let label = "Notes log";
    t.wait_focus(label);
    for key in ["a", ENTER, "c", "d"] {
        refused(&t, key, label);
    }

    // 5 · The checklist items.
    t.send("5");
    t.wait_for("5 · Closeout checklist");
    t.send(TAB);
    let label = "Closeout items";
    t.wait_focus(label);
    for key in [SPACE, "o", "a", "d", ENTER] {
        refused(&t, key, label);
    }
    assert!(!lock_file.exists(), "view took a lock");

    // 8 · Review: the Complete button.
    t.send("8");
    t.wait_for("8 · Review and complete");
    t.send(TAB);
    t.send(TAB);
    t.wait_for("▸  Complete handoff");
    t.send(ENTER);
    t.wait_refusal(true);
    assert!(
        !t.screen().contains("Mark this handoff complete?"),
        "view offered to complete\n{}",
        t.dump()
    );

    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "view changed the file"
    );
    assert!(!lock_file.exists(), "view took a lock");
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    let raw = t.raw();
    assert_alt_screen_left(&raw);
    assert!(
        raw.contains(&format!("{}: viewed, ", path.display())),
        "no summary line in {raw:?}"
    );
    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "view changed the file"
    );
    assert!(!lock_file.exists(), "view left a lock");
    assert_eq!(files_in(dir.path()), files_before, "view wrote a file");
}

#[test]
fn d_a_second_open_names_the_holder_and_offers_read_only() {
    let dir = tempdir();
    let path = new_file_plain(dir.path());
    let file = path.display().to_string();
    let lock_file = store::lock_path(&path);

    let mut first = Term::spawn(dir.path(), &["open", &file], 100, 30);
    first.wait_for("1 · Handoff");
    assert!(lock_file.exists(), "open holds the lock");
    let holder = format!("jane@{} (pid {}", store::hostname(), first.pid());

    let mut second = Term::spawn(dir.path(), &["open", &file], 100, 30);
    second.wait_for("Open it read-only instead? [y/N]");
    second.wait_for(&format!("being edited by {holder}"));
    second.send("n\r");
    let status = second.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", second.dump());
    let raw = second.raw();
    assert!(
        raw.contains(&format!("not opened; {holder}")) && raw.contains("is editing it"),
        "the refusal names the holder: {raw:?}"
    );
    assert!(!raw.contains(ALT_ON), "the refused open drew a screen");

    let mut third = Term::spawn(dir.path(), &["open", &file], 100, 30);
    third.wait_for("Open it read-only instead? [y/N]");
    third.send("y\r");
    third.wait_for("READ-ONLY");
    third.wait_for("1 · Handoff");
    third.wait_for("Read-only: ");
    third.wait_refusal(false);
    third.send(ENTER);
    third.wait_refusal(true);
    let lock_text = fs::read_to_string(&lock_file).expect("the lock is still there");
    assert!(
        lock_text.contains(&format!("pid = {}", first.pid())),
        "the first editor still holds the lock: {lock_text}"
    );
    third.send("q");
    let status = third.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", third.dump());
    assert_alt_screen_left(&third.raw());
    assert!(
        lock_file.exists(),
        "the read-only session took the lock away"
    );

    first.send("q");
    let status = first.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", first.dump());
    assert!(!lock_file.exists(), "the lock is released");
}

#[test]
fn e_sigterm_saves_the_half_typed_text_and_restores_the_terminal() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    let mut t = Term::spawn(
        dir.path(),
        &["new", "--customer", "Acme Corp", "--ta", "Sam"],
        100,
        30,
    );
    t.wait_for("1 · Handoff");
    t.send(PG_DN);
    t.wait_for("2 · Production deployment");
    t.send(TAB);
    t.wait_focus("Implementation start date");
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send("2026-01-12");
    t.wait_for("2026-01-12");
    t.signal(libc::SIGTERM);
    let status = t.wait_exit(WAIT);
    assert!(
        status.signal().is_none(),
        "died of the signal instead of handling it: {status:?}"
    );
    assert_alt_screen_left(&t.raw());
    let saved = fs::read_to_string(&path).expect("read the file");
    assert!(
        saved.contains("start_date = 2026-01-12"),
        "the typed date was not saved:\n{saved}"
    );
    assert!(!store::lock_path(&path).exists(), "the lock is released");
}

#[test]
fn f_a_too_small_terminal_says_so_and_quits() {
    let dir = tempdir();
    let mut t = Term::spawn(
        dir.path(),
        &["new", "--customer", "Acme Corp", "--ta", "Sam"],
        40,
        10,
    );
    t.wait_for("Terminal too small");
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    assert_alt_screen_left(&t.raw());
    let path = dir.path().join("acme-corp.toml");
    assert!(store::load(&path).is_ok(), "the handoff is still readable");
    assert!(!store::lock_path(&path).exists(), "the lock is released");
}

#[test]
fn g_open_without_a_terminal_refuses() {
    let dir = tempdir();
    let path = new_file_plain(dir.path());
    let before = fs::read(&path).expect("read");
    let out = run_plain(dir.path(), &["open", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.contains("needs a terminal"), "{err:?}");
    assert!(out.stdout.is_empty(), "{:?}", text(&out.stdout));
    assert_eq!(fs::read(&path).expect("read"), before);
    assert!(!store::lock_path(&path).exists());
}

/// Closing the terminal window (the pty goes away) must end the wizard as SIGTERM
/// does: save, release the lock, exit.
#[test]
fn h_closing_the_terminal_saves_and_exits() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    let mut t = Term::spawn(
        dir.path(),
        &["new", "--customer", "Acme Corp", "--ta", "Sam"],
        100,
        30,
    );
    t.wait_for("1 · Handoff");
    t.send(PG_DN);
    t.wait_for("2 · Production deployment");
    t.send(TAB);
    t.wait_focus("Implementation start date");
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send("2026-01-12");
    t.wait_for("2026-01-12");
    t.hang_up();
    t.wait_exit(Duration::from_secs(5));
    let saved = fs::read_to_string(&path).expect("read the file");
    assert!(
        saved.contains("start_date = 2026-01-12"),
        "the typed date was not saved:\n{saved}"
    );
    assert!(!store::lock_path(&path).exists(), "the lock is left behind");
}
