//! Running `kubectl` and `docker`: an argument vector (never a shell, so nothing in a
//! context or namespace name is interpreted), the user's environment passed through
//! (KUBECONFIG, `DOCKER_HOST`, cloud credentials for exec plugins), no standard input
//! (a credential plugin that wants to prompt fails instead of hanging), and a
//! deadline after which the child is killed. Every failure is one line with the first
//! line of the program's stderr, which is where kubectl and docker explain.

use std::ffi::OsStr;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{MAX_INPUT, short};

/// How long `kubectl` or `docker` may run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// stderr is only read for its first line; keep a little more for context.
const MAX_STDERR: usize = 64 * 1024;

/// Runs `program args…` and returns its standard output as text.
/// `shown` is how messages name the command, e.g. "kubectl get nodes".
pub(crate) fn run(
    program: &str,
    args: &[String],
    shown: &str,
    timeout: Duration,
    path: Option<&OsStr>,
) -> Result<String, String> {
    let mut command = Command::new(program);
    if let Some(path) = path {
        // Also where `program` is looked up, as std does on Unix.
        command.env("PATH", path);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{program} is not installed or not on PATH"),
            std::io::ErrorKind::PermissionDenied => format!("{program} cannot be run ({e})"),
            _ => format!("cannot run {program}: {e}"),
        })?;
    let stdout = Collector::start(child.stdout.take(), MAX_INPUT as usize + 1);
    let stderr = Collector::start(child.stderr.take(), MAX_STDERR);
    let Some(status) = wait(&mut child, timeout) else {
        let _ = child.kill();
        let _ = child.wait();
        // A grandchild (a credential plugin) may still hold the pipes open, so the
        // collectors are not joined: read what they have so far.
        let why = first_line(&stderr.so_far());
        return Err(format!(
            "{shown} did not finish within {} and was stopped{why}",
            duration(timeout)
        ));
    };
    let err = stderr.finish();
    let out = stdout.finish();
    if !status.success() {
        let code = status.code().map_or_else(
            || "killed by a signal".to_string(),
            |c| format!("exit status {c}"),
        );
        return Err(format!("{shown} failed ({code}){}", first_line(&err)));
    }
    if out.len() as u64 > MAX_INPUT {
        return Err(format!("{shown} printed more than 256 MB; not reading it"));
    }
    String::from_utf8(out).map_err(|_| format!("{shown} printed something that is not UTF-8 text"))
}

/// Waits for the child until the deadline; `None` when it is still running then.
fn wait(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    // Short first naps so a quick program costs no noticeable time, longer later.
    let mut nap = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) => {}
            Err(_) => return None,
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        std::thread::sleep(nap.min(deadline - now));
        nap = (nap * 2).min(Duration::from_millis(50));
    }
}

/// "30 s", or "300 ms" for the short deadlines tests use.
fn duration(d: Duration) -> String {
    if d.as_secs() >= 1 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// `: FIRST LINE` of a program's stderr, or nothing when it said nothing.
fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = short(&text);
    if line.is_empty() {
        String::new()
    } else {
        format!(": {line}")
    }
}

/// Reads a pipe on its own thread (so neither pipe can fill up and stall the child),
/// keeping at most `limit` bytes and draining the rest.
struct Collector {
    bytes: Arc<Mutex<Vec<u8>>>,
    thread: Option<JoinHandle<()>>,
}

impl Collector {
    fn start(pipe: Option<impl Read + Send + 'static>, limit: usize) -> Collector {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let thread = pipe.map(|mut pipe| {
            let bytes = Arc::clone(&bytes);
            std::thread::spawn(move || {
                let mut buffer = [0u8; 64 * 1024];
                loop {
                    match pipe.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let mut kept = bytes
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                            let room = limit.saturating_sub(kept.len());
                            kept.extend_from_slice(&buffer[..n.min(room)]);
                        }
                    }
                }
            })
        });
        Collector { bytes, thread }
    }

    fn so_far(&self) -> Vec<u8> {
        self.bytes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn finish(mut self) -> Vec<u8> {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        std::mem::take(
            &mut *self
                .bytes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["-c".into(), script.into()]
    }

    #[test]
    fn output_comes_back() {
        let out = run(
            "sh",
            &sh("printf '{\"a\": 1}'"),
            "sh",
            DEFAULT_TIMEOUT,
            None,
        )
        .expect("should succeed");
        assert_eq!(out, "{\"a\": 1}");
    }

    #[test]
    fn a_missing_program_is_one_line() {
        let err = run("handoff-no-such-program", &[], "x", DEFAULT_TIMEOUT, None)
            .expect_err("should fail");
        assert_eq!(
            err,
            "handoff-no-such-program is not installed or not on PATH"
        );
    }

    #[test]
    fn failure_names_the_exit_status_and_first_stderr_line() {
        let err = run(
            "sh",
            &sh("echo 'error: You must be logged in to the server (Unauthorized)' >&2; echo second >&2; exit 1"),
            "kubectl get nodes",
            DEFAULT_TIMEOUT,
            None,
        )
        .expect_err("should fail");
        assert_eq!(
            err,
            "kubectl get nodes failed (exit status 1): error: You must be logged in to the server (Unauthorized)"
        );
    }

    #[test]
    fn a_slow_program_is_stopped() {
        let start = Instant::now();
        let err = run(
            "sh",
            &sh("echo 'waiting for the API server' >&2; sleep 30"),
            "kubectl get nodes",
            Duration::from_millis(300),
            None,
        )
        .expect_err("should fail");
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(
            err.starts_with("kubectl get nodes did not finish within 300 ms and was stopped"),
            "{err}"
        );
        assert!(err.ends_with(": waiting for the API server"), "{err}");
    }

    #[test]
    fn arguments_reach_the_program_untouched() {
        let out = run(
            "sh",
            &[
                "-c".into(),
                "printf '%s|' \"$@\"".into(),
                "sh".into(),
                "ctx; rm -rf /".into(),
                "$(whoami)".into(),
            ],
            "sh",
            DEFAULT_TIMEOUT,
            None,
        )
        .expect("should succeed");
        assert_eq!(out, "ctx; rm -rf /|$(whoami)|");
    }
}
