//! The one way to the `git` program: argument vectors (never a shell), the
//! user's own credentials, SSH set-up and proxies, a time limit on every run,
//! and failures as one line naming the git command and the first line git said.

use std::ffi::OsString;
use std::fmt;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a local git command may take (commit, merge, status).
pub const LOCAL: Duration = Duration::from_secs(60);
/// How long fetching or pushing may take.
pub const NETWORK: Duration = Duration::from_secs(180);

/// git, run in one directory with some extra environment.
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
    env: Vec<(OsString, OsString)>,
}

/// What a finished git command printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No `git` program to run.
    Missing,
    TimedOut(Duration),
    /// It ran and said no: the first line it wrote to stderr.
    Refused(String),
    /// It could not be started or watched.
    Broken(String),
}

/// A git command that failed: which, and why, for one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError {
    /// `git fetch origin`, as a person would type it.
    pub command: String,
    pub failure: Failure,
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.failure {
            Failure::Missing => write!(
                f,
                "`{}`: git is not installed (or not on PATH); handoff sync needs it",
                self.command
            ),
            Failure::TimedOut(limit) => write!(
                f,
                "`{}` took longer than {} s and was stopped",
                self.command,
                limit.as_secs()
            ),
            Failure::Refused(line) | Failure::Broken(line) => {
                write!(f, "`{}`: {line}", self.command)
            }
        }
    }
}

impl std::error::Error for GitError {}

impl Git {
    pub fn new(dir: &Path) -> Self {
        Git {
            dir: dir.to_path_buf(),
            env: Vec::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The same git with one more environment variable for its commands.
    pub fn with_env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs a local command that must succeed; its standard output.
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        self.run_within(args, LOCAL)
    }

    /// `run`, with a time limit of its own (`NETWORK` for fetch and push).
    pub fn run_within(&self, args: &[&str], limit: Duration) -> Result<String, GitError> {
        let output = self.output(args, limit)?;
        if output.success {
            Ok(output.stdout)
        } else {
            Err(self.error(args, Failure::Refused(first_line(&output.stderr))))
        }
    }

    /// Whether a command that answers yes or no by its exit status says yes
    /// (`git rev-parse --verify -q REF`).
    pub fn succeeds(&self, args: &[&str]) -> Result<bool, GitError> {
        Ok(self.output(args, LOCAL)?.success)
    }

    /// Runs a command and reports what it said whether it succeeded or not;
    /// only a command that could not run or ran too long is an error.
    pub fn output(&self, args: &[&str], limit: Duration) -> Result<Output, GitError> {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.dir)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !std::io::stdin().is_terminal() {
            // Nobody to answer a password prompt: fail instead of waiting.
            command.env("GIT_TERMINAL_PROMPT", "0");
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        let mut child = command.spawn().map_err(|e| {
            let failure = if e.kind() == std::io::ErrorKind::NotFound {
                Failure::Missing
            } else {
                Failure::Broken(format!("could not start git ({e})"))
            };
            self.error(args, failure)
        })?;
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let deadline = Instant::now() + limit;
        let mut pause = Duration::from_millis(1);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(self.error(args, Failure::TimedOut(limit)));
                }
                Ok(None) => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Err(e) => {
                    return Err(self.error(args, Failure::Broken(format!("lost git ({e})"))));
                }
            }
        };
        Ok(Output {
            success: status.success(),
            stdout: collect(&stdout),
            stderr: collect(&stderr),
        })
    }

    fn error(&self, args: &[&str], failure: Failure) -> GitError {
        GitError {
            command: shown(args),
            failure,
        }
    }
}

/// Reads a pipe to its end on a thread of its own, so a chatty command never
/// blocks on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (send, receive) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            let _ = send.send(bytes);
        });
    }
    receive
}

/// What a pipe held. A helper git started (an SSH connection kept open for
/// later) may hold the pipe past git's exit; its output is not waited for long.
fn collect(pipe: &mpsc::Receiver<Vec<u8>>) -> String {
    let bytes = pipe
        .recv_timeout(Duration::from_secs(2))
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The command as a person would type it: `git fetch origin`.
fn shown(args: &[&str]) -> String {
    let mut text = String::from("git");
    for arg in args {
        text.push(' ');
        if arg.is_empty() || arg.contains(char::is_whitespace) {
            text.push_str(&format!("'{arg}'"));
        } else {
            text.push_str(arg);
        }
    }
    text
}

/// The first line that says something (git's "hint:" lines come after it),
/// with any password or token written into a URL (`https://user:TOKEN@host`)
/// taken out.
pub fn first_line(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    without_credentials(line.unwrap_or("failed without saying why"))
}

/// `https://jane:ghp_x@github.com/acme` → `https://***@github.com/acme`.
fn without_credentials(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let host_end = tail
            .find(|c: char| c == '/' || c.is_whitespace() || c == '\'')
            .unwrap_or(tail.len());
        match tail[..host_end].rfind('@') {
            Some(userinfo_end) => {
                out.push_str("***");
                rest = &tail[userinfo_end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// Quotes a word for the shell git runs a merge driver with.
pub fn shell_quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_command_and_the_first_line_git_said() {
        let dir = std::env::temp_dir();
        let git = Git::new(&dir).with_env("GIT_CONFIG_NOSYSTEM", "1");
        let err = git
            .run(&["rev-parse", "--verify", "no-such-ref-anywhere"])
            .expect_err("no such ref");
        assert_eq!(err.command, "git rev-parse --verify no-such-ref-anywhere");
        let text = err.to_string();
        assert!(
            text.starts_with("`git rev-parse --verify no-such-ref-anywhere`: "),
            "{text}"
        );
        assert!(!text.contains('\n'), "one line: {text}");
    }

    #[test]
    fn a_command_over_its_time_is_stopped() {
        let dir = tempfile::tempdir().expect("tmp");
        // `git -c alias...` runs a shell alias that sleeps: a stand-in for a hung fetch.
        let git = Git::new(dir.path());
        let started = Instant::now();
        let err = git
            .run_within(
                &["-c", "alias.nap=!sleep 5", "nap"],
                Duration::from_millis(200),
            )
            .expect_err("stopped");
        assert_eq!(err.failure, Failure::TimedOut(Duration::from_millis(200)));
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn quoting_for_the_shell_survives_quotes_and_spaces() {
        assert_eq!(
            shell_quoted("/opt/my tools/handoff"),
            "'/opt/my tools/handoff'"
        );
        assert_eq!(shell_quoted("it's"), r"'it'\''s'");
        assert_eq!(first_line("\n  fatal: no\nhint: x"), "fatal: no");
        assert_eq!(
            first_line(
                "fatal: unable to access 'https://jane:ghp_secret@github.com/acme/handoffs.git/': 403"
            ),
            "fatal: unable to access 'https://***@github.com/acme/handoffs.git/': 403"
        );
        assert_eq!(
            first_line("ssh://git@host/x and https://host/y"),
            "ssh://***@host/x and https://host/y"
        );
        assert_eq!(shown(&["commit", "-m", "a b"]), "git commit -m 'a b'");
    }
}
