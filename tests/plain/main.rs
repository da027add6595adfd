//! Plain mode (issue 14): the wizard as questions and answers on plain lines,
//! driven here through piped stdin (no terminal at all), plus one run in a
//! pseudo-terminal with `TERM=dumb` that must never see an escape sequence.
//! Every run has a time limit, so nothing here can hang.

#[path = "../common/mod.rs"]
#[allow(unused_imports)]
mod common;

mod edges;
mod sessions;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::*;

/// How long one plain run may take.
const LIMIT: Duration = Duration::from_secs(30);

/// What a finished run wrote, and how it ended.
struct Ran {
    status: ExitStatus,
    out: String,
    err: String,
}

impl Ran {
    fn assert_success(&self) {
        assert!(
            self.status.success(),
            "exit {:?}\nstdout:\n{}\nstderr:\n{}",
            self.status,
            self.out,
            self.err
        );
    }

    /// Plain mode writes nothing a terminal would obey.
    fn assert_plain(&self) {
        assert!(
            !self.out.contains('\x1b'),
            "an escape sequence:\n{}",
            self.out
        );
        assert!(
            !self.err.contains('\x1b'),
            "an escape sequence:\n{}",
            self.err
        );
    }

    /// Fails unless `expected` (several lines, maybe) appears in stdout as is.
    fn said(&self, expected: &str) {
        assert!(
            self.out.contains(expected),
            "stdout does not contain\n{expected}\n--- stdout:\n{}",
            self.out
        );
    }
}

/// The command for `handoff ARGS` in `dir`: the test environment, `TZ=UTC`,
/// then `env` (an empty value removes a variable), with every stream piped.
fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = clean_command(dir);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        if value.is_empty() {
            cmd.env_remove(key);
        } else {
            cmd.env(key, value);
        }
    }
    cmd
}

/// Reads a stream to its end on a thread of its own.
fn collect(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = BufReader::new(stream).read_to_end(&mut bytes);
        let _ = send.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    receive
}

/// Waits (within `LIMIT`) for a child to exit; kills it and fails otherwise.
fn wait(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("handoff did not exit within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `handoff ARGS` with `typed` piped to its stdin (closed after it).
fn run(dir: &Path, args: &[&str], typed: &str) -> Ran {
    run_env(dir, args, typed, &[])
}

fn run_env(dir: &Path, args: &[&str], typed: &str, env: &[(&str, &str)]) -> Ran {
    let mut child = command(dir, args, env).spawn().expect("start handoff");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let typed = typed.to_string();
    // Written on a thread: the child may answer before it has read everything.
    std::thread::spawn(move || {
        let _ = stdin.write_all(typed.as_bytes());
    });
    let out = collect(child.stdout.take().expect("stdout is piped"));
    let err = collect(child.stderr.take().expect("stderr is piped"));
    let status = wait(&mut child);
    Ran {
        status,
        out: out.recv_timeout(LIMIT).expect("stdout to its end"),
        err: err.recv_timeout(LIMIT).expect("stderr to its end"),
    }
}

/// A run that goes on while the test types, line by line, and reads.
struct Live {
    child: Child,
    stdin: Option<std::process::ChildStdin>,
    lines: Receiver<String>,
    seen: String,
}

impl Live {
    fn start(dir: &Path, args: &[&str]) -> Live {
        let mut child = command(dir, args, &[]).spawn().expect("start handoff");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Live {
            child,
            stdin,
            lines,
            seen: String::new(),
        }
    }

    fn type_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is still open");
        writeln!(stdin, "{line}").expect("type a line");
        stdin.flush().expect("flush");
    }

    /// Waits for a line of output that starts with `start`.
    fn wait_for(&mut self, start: &str) {
        let deadline = Instant::now() + LIMIT;
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(50)) {
                self.seen.push_str(&line);
                self.seen.push('\n');
                if line.starts_with(start) {
                    return;
                }
            }
        }
        panic!(
            "no line starting {start:?} within {LIMIT:?}:\n{}",
            self.seen
        );
    }

    /// Waits for the exit; returns it and the rest of the output.
    fn finish(mut self) -> (ExitStatus, String) {
        let status = wait(&mut self.child);
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push_str(&line);
            self.seen.push('\n');
        }
        (status, std::mem::take(&mut self.seen))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
