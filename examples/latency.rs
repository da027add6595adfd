//! Whole-program latency against a native dialog program, in one run:
//! (a) start to first complete frame, (b) keystroke to its echo, and peak memory.
//! Both programs run in a pseudo-terminal of 120×40 and are judged by what a
//! terminal would show (vt100), not by their own output timing.
//!
//!     cargo build --release && cargo run --release --example latency [RUNS]
//!
//! Needs `whiptail` (Debian: apt-get install whiptail).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;
const TIMEOUT: Duration = Duration::from_secs(20);

struct Screen {
    parser: vt100::Parser,
    /// When the last chunk of output arrived.
    at: Instant,
    closed: bool,
}

struct Run {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    shared: Arc<(Mutex<Screen>, Condvar)>,
    started: Instant,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Run {
    fn spawn(program: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let shared = Arc::new((
            Mutex::new(Screen {
                parser: vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 0),
                at: Instant::now(),
                closed: false,
            }),
            Condvar::new(),
        ));
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let started = Instant::now();
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let feed = Arc::clone(&shared);
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cond) = &*feed;
                let mut screen = lock.lock().expect("screen");
                if n == 0 {
                    screen.closed = true;
                    cond.notify_all();
                    return;
                }
                screen.parser.process(&buf[..n]);
                screen.at = Instant::now();
                cond.notify_all();
            }
        });
        Run {
            child,
            writer,
            shared,
            started,
            _master: pty.master,
        }
    }

    /// Waits until the screen satisfies `done`; returns when the output that made
    /// it so arrived.
    fn until(&self, done: impl Fn(&vt100::Screen) -> bool) -> Instant {
        let (lock, cond) = &*self.shared;
        let deadline = Instant::now() + TIMEOUT;
        let mut screen = lock.lock().expect("screen");
        loop {
            if done(screen.parser.screen()) {
                return screen.at;
            }
            assert!(
                !screen.closed,
                "the program exited:\n{}",
                screen.parser.screen().contents()
            );
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out; screen:\n{}",
                screen.parser.screen().contents()
            );
            screen = cond.wait_timeout(screen, left).expect("wait").0;
        }
    }

    /// Writes keys; returns when the write began (both programs pay for the write).
    fn send(&mut self, bytes: &[u8]) -> Instant {
        let sent = Instant::now();
        self.writer.write_all(bytes).expect("write");
        self.writer.flush().expect("flush");
        sent
    }

    /// Peak resident memory so far, in MB (`VmHWM`).
    fn peak_rss_mb(&self) -> f64 {
        let pid = self.child.process_id().unwrap_or(0);
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    fn finish(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}

fn contains(screen: &vt100::Screen, text: &str) -> bool {
    screen.contents().contains(text)
}

/// The program being measured: how to start it, when its first frame is complete,
/// how to open an input, and where typed text shows.
struct Subject {
    name: String,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    ready: fn(&vt100::Screen) -> bool,
    /// Keys that put the cursor into a text input (after the first frame).
    open_input: &'static [u8],
    input_open: fn(&vt100::Screen) -> bool,
}

impl Subject {
    fn spawn(&self) -> Run {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        Run::spawn(&self.program, &args, &env)
    }
}

struct Stats {
    median: f64,
    min: f64,
    p90: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        min: ms[0],
        p90: at(0.9),
    }
}

fn first_frame(subject: &Subject, runs: usize) -> (Stats, f64) {
    let mut times = Vec::new();
    let mut rss = 0.0f64;
    for _ in 0..runs {
        let run = subject.spawn();
        let at = run.until(subject.ready);
        times.push((at - run.started).as_secs_f64() * 1000.0);
        rss = rss.max(run.peak_rss_mb());
        run.finish();
    }
    (stats(times), rss)
}

/// Keys typed into an input, each timed until the whole typed text shows. A
/// marker typed first makes the text unique on screen; sessions of 30 keys keep
/// it inside the narrowest input.
fn keystroke(subject: &Subject, keys: usize) -> (Stats, f64) {
    const MARKER: &str = "Zq";
    let mut times = Vec::new();
    let mut rss = 0.0f64;
    while times.len() < keys {
        let mut run = subject.spawn();
        run.until(subject.ready);
        run.send(subject.open_input);
        run.until(subject.input_open);
        run.send(MARKER.as_bytes());
        run.until(|s| contains(s, MARKER));
        let mut typed = MARKER.to_string();
        for i in 0..30.min(keys - times.len()) {
            let c = (b'a' + (i % 26) as u8) as char;
            typed.push(c);
            let sent = run.send(&[c as u8]);
            let expected = typed.clone();
            let at = run.until(move |s| contains(s, &expected));
            times.push((at.max(sent) - sent).as_secs_f64() * 1000.0);
        }
        rss = rss.max(run.peak_rss_mb());
        run.finish();
    }
    (stats(times), rss)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // HANDOFF_BIN measures another build (e.g. an older commit) against the same baseline.
    let handoff = std::env::var_os("HANDOFF_BIN")
        .map_or_else(|| root.join("target/release/handoff"), PathBuf::from);
    assert!(handoff.exists(), "build first: cargo build --release");
    let whiptail = PathBuf::from("/usr/bin/whiptail");
    assert!(
        whiptail.exists(),
        "install whiptail (apt-get install whiptail)"
    );
    let dir = tempfile::tempdir().expect("temp dir");

    let whiptail = Subject {
        name: "whiptail --inputbox".into(),
        program: whiptail,
        args: vec![
            "--inputbox".into(),
            "Customer (account) name".into(),
            "10".into(),
            "60".into(),
        ],
        env: vec![],
        ready: |s| contains(s, "<Ok>") && contains(s, "<Cancel>"),
        open_input: b"",
        input_open: |_| true,
    };

    println!(
        "machine: {} cores; {}",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        cpu_model()
    );
    println!("runs per figure: {runs} (first frame), {runs} keystrokes per session\n");
    let (base_frame, base_rss) = first_frame(&whiptail, runs);
    let (base_key, _) = keystroke(&whiptail, runs);
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "", "median ms", "min ms", "p90 ms", "× whiptail", "peak MB"
    );
    let row = |what: &str, s: &Stats, base: &Stats, rss: f64| {
        println!(
            "{what:<34} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>10.1}",
            s.median,
            s.min,
            s.p90,
            s.median / base.median,
            rss
        );
    };
    row("whiptail: first frame", &base_frame, &base_frame, base_rss);
    row("whiptail: keystroke → echo", &base_key, &base_key, f64::NAN);

    for notes in [0usize, 10, 1_000, 10_000, 100_000] {
        let file = dir.path().join(format!("n{notes}.toml"));
        let doc = if notes == 0 {
            handoff::testdata::new_handoff()
        } else {
            handoff::testdata::with_notes(notes)
        };
        handoff::store::save(&file, &doc).expect("write the handoff");
        let subject = Subject {
            name: format!("handoff, {notes} notes"),
            program: handoff.clone(),
            args: vec!["open".into(), file.display().to_string()],
            env: vec![
                ("HANDOFF_DIR".into(), dir.path().display().to_string()),
                ("USER".into(), "bench".into()),
            ],
            // The footer ends "q quit", or "Ctrl-C quit" on a text field, where q is typing.
            ready: |s| contains(s, " quit") && contains(s, "1 · Handoff"),
            // Focus the TA field and open its editor.
            open_input: b"\t\t\r",
            input_open: |s| contains(s, "Enter done"),
        };
        if notes == 10_000 {
            let check = check_times(&handoff, &file, runs);
            println!(
                "{:<34} {:>10.2} {:>10.2} {:>10.2} {:>10} {:>10}",
                "10000 notes: handoff check", check.median, check.min, check.p90, "-", "-"
            );
        }
        let (frame, rss) = first_frame(&subject, runs);
        let label = if notes == 0 {
            "fresh handoff".to_string()
        } else {
            format!("{notes} notes")
        };
        row(&format!("{label}: first frame"), &frame, &base_frame, rss);
        if notes == 0 || notes >= 10_000 {
            let (key, rss) = keystroke(&subject, runs);
            row(&format!("{label}: keystroke → echo"), &key, &base_key, rss);
        }
        let _ = subject.name;
    }

    // The TA's side (issue 10): `handoff view` on a completed handoff of 10,000
    // notes that the TA has since maintained, held to the same first-frame target.
    let file = dir.path().join("view10000.toml");
    let mut doc = handoff::testdata::with_notes(10_000);
    doc.complete("Jane Doe", handoff::testdata::at(28, 10))
        .expect("complete");
    doc.change_field(
        "code_hosts",
        "repositories",
        Some(handoff::handoff::FieldValue::Integer(1500)),
        handoff::handoff::Author::typing("Sam Rivera", handoff::testdata::at(29, 9)),
    )
    .expect("the TA maintains the code hosts");
    handoff::store::save(&file, &doc).expect("write the handoff");
    let view = Subject {
        name: "handoff view, 10000 notes".into(),
        program: handoff.clone(),
        args: vec!["view".into(), file.display().to_string()],
        env: vec![
            ("HANDOFF_DIR".into(), dir.path().display().to_string()),
            ("USER".into(), "bench".into()),
        ],
        ready: |s| contains(s, " quit") && contains(s, "READ-ONLY"),
        open_input: b"",
        input_open: |_| true,
    };
    let (frame, rss) = first_frame(&view, runs);
    row("10000 notes, view: first frame", &frame, &base_frame, rss);
    let _ = view.name;
}

/// Wall time of `handoff check FILE`, start to exit.
fn check_times(handoff: &Path, file: &Path, runs: usize) -> Stats {
    let times = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = std::process::Command::new(handoff)
                .arg("check")
                .arg(file)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .expect("run handoff check");
            assert!(status.code().is_some(), "check was killed");
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    stats(times)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}
