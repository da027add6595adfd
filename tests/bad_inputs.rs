//! `handoff check` against files that are not good handoffs.
//!
//! Every file in `tests/fixtures/bad/` is copied into a fresh temporary directory and
//! checked there. Whatever the file holds, the program must answer with exit code 2
//! and one line on stderr naming the file (or, for the few valid-but-incomplete
//! fixtures listed in `VALID_BUT_INCOMPLETE`, exit 1 with only warnings on stderr),
//! must not panic or hang, and must leave the file and its directory exactly as they
//! were. New fixtures are picked up by dropping them into the directory.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long one `handoff check` may take before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(20);

/// Fixtures that are valid handoffs, possibly with warnings, but not complete: exit 1.
const VALID_BUT_INCOMPLETE: &[&str] = &[
    "bom-then-valid.toml",
    "crlf-line-endings.toml",
    "unknown-keys.toml",
];

/// Fixtures whose one-line error must point at a known line: `PATH:LINE: ...`.
const KNOWN_LINES: &[(&str, usize)] = &[
    ("not-utf8-latin1-line3.toml", 3),
    ("schema-string.toml", 1),
    ("meta-status-archived.toml", 2),
    ("meta-created-at-no-offset.toml", 3),
    ("toml-bad-escape.toml", 7),
    ("toml-bad-escape-q.toml", 8),
    ("toml-unterminated-string.toml", 8),
    ("toml-duplicate-key.toml", 9),
    ("field-bool.toml", 12),
    ("field-date-feb-30.toml", 12),
    ("checklist-item-state-maybe.toml", 24),
    ("note-missing-text.toml", 50),
];

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind)
}

/// What one run of the binary did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `handoff ARGS` in `dir` with `HANDOFF_DIR=dir`; a run past `DEADLINE` is
/// killed and reported as a hang.
fn handoff(dir: &Path, args: &[&std::ffi::OsStr]) -> Result<Run, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(args)
        .env("HANDOFF_DIR", dir)
        .env("RUST_BACKTRACE", "0")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start handoff: {e}"))?;
    // Drain both pipes while waiting, so a chatty child cannot block on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait_with_deadline(&mut child)?;
    Ok(Run {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn wait_with_deadline(child: &mut Child) -> Result<std::process::ExitStatus, String> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if start.elapsed() > DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("hung: still running after {DEADLINE:?}, killed"));
            }
            Ok(None) => thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("cannot wait for handoff: {e}")),
        }
    }
}

fn check(dir: &Path, file: &Path) -> Result<Run, String> {
    handoff(dir, &["check".as_ref(), file.as_os_str()])
}

/// What `handoff check` said about a bad file that it refused.
struct Refusal {
    /// The line number after `PATH:`, when the message has one.
    line: Option<usize>,
    /// The message after `PATH: ` / `PATH:LINE: `.
    message: String,
}

/// Writes `bytes` as `name` into a fresh temporary directory, checks it, and asserts
/// everything the corpus promises. `Ok(None)` for a valid-but-incomplete file.
fn survive(name: &str, bytes: &[u8], incomplete: bool) -> Result<Option<Refusal>, String> {
    let temp = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let copy = temp.path().join(name);
    fs::write(&copy, bytes).map_err(|e| format!("write copy: {e}"))?;
    let run = check(temp.path(), &copy)?;
    let shown = format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        run.code,
        clip(&run.stdout),
        run.stderr
    );

    if run.stderr.contains("panicked") || run.stderr.contains("overflowed its stack") {
        return Err(format!("panicked:\n{shown}"));
    }
    let expected = if incomplete { 1 } else { 2 };
    if run.code != Some(expected) {
        return Err(format!("expected exit {expected}:\n{shown}"));
    }
    let after = fs::read(&copy).map_err(|e| format!("file gone afterwards ({e}):\n{shown}"))?;
    if after != bytes {
        return Err(format!("the file changed:\n{shown}"));
    }
    let mut entries: Vec<String> = fs::read_dir(temp.path())
        .map_err(|e| format!("read_dir: {e}"))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("read_dir: {e}"))?;
    entries.sort();
    if entries != [name] {
        return Err(format!(
            "other files appeared beside it: {entries:?}\n{shown}"
        ));
    }

    let path = copy.display().to_string();
    if incomplete {
        let warning = format!("handoff: warning: {path}: ");
        if let Some(line) = run.stderr.lines().find(|l| !l.starts_with(&warning)) {
            return Err(format!(
                "stderr line is not a warning naming the file: {line:?}\n{shown}"
            ));
        }
        if !run.stdout.starts_with(&format!("{path}: ")) || !run.stdout.contains("block") {
            return Err(format!(
                "stdout does not say what blocks completion:\n{shown}"
            ));
        }
        return Ok(None);
    }

    if !run.stdout.is_empty() {
        return Err(format!(
            "printed to stdout while refusing the file:\n{shown}"
        ));
    }
    let lines: Vec<&str> = run.stderr.lines().collect();
    let [line] = lines[..] else {
        return Err(format!(
            "expected exactly one line on stderr, got {}:\n{shown}",
            lines.len()
        ));
    };
    if !run.stderr.ends_with('\n') {
        return Err(format!("stderr does not end in a newline:\n{shown}"));
    }
    // `handoff: PATH: message` or `handoff: PATH:LINE: message`.
    let Some(rest) = line.strip_prefix(&format!("handoff: {path}:")) else {
        return Err(format!(
            "the error does not start with `handoff: {path}:`\n{shown}"
        ));
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let line_no = if digits.is_empty() {
        None
    } else {
        Some(
            digits
                .parse::<usize>()
                .map_err(|e| format!("line number {digits}: {e}\n{shown}"))?,
        )
    };
    let Some(message) = rest[digits.len()..]
        .strip_prefix(' ')
        .filter(|_| line_no.is_none())
        .or_else(|| {
            rest[digits.len()..]
                .strip_prefix(": ")
                .filter(|_| line_no.is_some())
        })
    else {
        return Err(format!(
            "expected `PATH: message` or `PATH:LINE: message`:\n{shown}"
        ));
    };
    if message.trim().is_empty() || message.trim() != message {
        return Err(format!("empty or untrimmed message:\n{shown}"));
    }
    if line_no == Some(0) {
        return Err(format!("line numbers count from 1:\n{shown}"));
    }
    Ok(Some(Refusal {
        line: line_no,
        message: message.to_string(),
    }))
}

fn clip(text: &str) -> &str {
    let end = (0..=text.len().min(2000))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[..end]
}

fn report(name: &str, outcome: &Result<Option<Refusal>, String>) -> String {
    match outcome {
        Ok(Some(r)) => match r.line {
            Some(n) => format!("{name}: exit 2, line {n}: {}", r.message),
            None => format!("{name}: exit 2: {}", r.message),
        },
        Ok(None) => format!("{name}: exit 1 (valid but incomplete)"),
        Err(e) => format!("{name}: FAILED: {e}"),
    }
}

#[test]
fn every_bad_fixture_is_refused_in_one_line_and_left_alone() {
    let dir = fixtures("bad");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("tests/fixtures/bad exists")
        .map(|e| e.expect("directory entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().into_string().expect("UTF-8 fixture name"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 18,
        "only {} fixtures in {}",
        names.len(),
        dir.display()
    );
    for listed in VALID_BUT_INCOMPLETE
        .iter()
        .chain(KNOWN_LINES.iter().map(|(n, _)| n))
    {
        assert!(
            names.iter().any(|n| n == listed),
            "{listed} is listed here but is not in {}",
            dir.display()
        );
    }

    let mut failures = Vec::new();
    for name in &names {
        let bytes = fs::read(dir.join(name)).expect("read fixture");
        let incomplete = VALID_BUT_INCOMPLETE.contains(&name.as_str());
        let mut outcome = survive(name, &bytes, incomplete);
        if let (Ok(Some(refusal)), Some((_, want))) =
            (&outcome, KNOWN_LINES.iter().find(|(n, _)| n == name))
            && refusal.line != Some(*want)
        {
            outcome = Err(format!(
                "expected the error at line {want}, got {:?}: {}",
                refusal.line, refusal.message
            ));
        }
        let line = report(name, &outcome);
        println!("{line}");
        if outcome.is_err() {
            failures.push(line);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

/// The fresh handoff every generated file starts from.
fn new_handoff_text() -> String {
    fs::read_to_string(fixtures("good").join("new.toml")).expect("good/new.toml")
}

#[test]
fn a_five_megabyte_value_is_read_or_refused_in_one_line() {
    let base = new_handoff_text();
    let huge = "x".repeat(5 * 1024 * 1024);

    let valid = format!("{base}\n[lessons]\ntext = \"{huge}\"\n");
    let outcome = survive("huge-string.toml", valid.as_bytes(), true);
    println!("{}", report("huge-string.toml", &outcome));
    outcome.expect("a 5 MB lessons text is a valid, incomplete handoff");

    let unterminated = format!("{base}\n[lessons]\ntext = \"{huge}\n");
    let outcome = survive(
        "huge-string-unterminated.toml",
        unterminated.as_bytes(),
        false,
    );
    println!("{}", report("huge-string-unterminated.toml", &outcome));
    let refusal = outcome
        .expect("an unterminated 5 MB string is refused")
        .expect("refused, not loaded");
    let text_line = base.matches('\n').count() + 3;
    assert_eq!(refusal.line, Some(text_line), "{}", refusal.message);
}

#[test]
fn good_fixtures_pass_or_list_their_blockers() {
    for (name, code, says) in [
        ("complete.toml", 0, "nothing blocks completion"),
        ("new.toml", 1, "block completion"),
    ] {
        let bytes = fs::read(fixtures("good").join(name)).expect("read fixture");
        let temp = tempfile::tempdir().expect("tempdir");
        let copy = temp.path().join(name);
        fs::write(&copy, &bytes).expect("write copy");
        let run = check(temp.path(), &copy).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            run.code,
            Some(code),
            "{name}\nstdout:\n{}\nstderr:\n{}",
            run.stdout,
            run.stderr
        );
        assert_eq!(run.stderr, "", "{name}: no warnings expected");
        assert!(
            run.stdout.lines().next().is_some_and(|l| l
                .starts_with(&format!("{}: ", copy.display()))
                && l.contains(says)),
            "{name}: stdout should start with `PATH: ...{says}...`:\n{}",
            run.stdout
        );
        assert_eq!(
            fs::read(&copy).expect("still there"),
            bytes,
            "{name} changed"
        );
        assert_eq!(
            fs::read_dir(temp.path()).expect("read_dir").count(),
            1,
            "{name}: no other files appear"
        );
    }
}

/// `handoff check ARG` must fail with exit 2 and exactly `handoff: MESSAGE\n` on stderr.
fn assert_refused(dir: &Path, arg: &Path, message: &str) {
    let run = check(dir, arg).unwrap_or_else(|e| panic!("{}: {e}", arg.display()));
    assert_eq!(
        (run.code, run.stderr.as_str(), run.stdout.as_str()),
        (Some(2), format!("handoff: {message}\n").as_str(), ""),
        "handoff check {}",
        arg.display()
    );
}

#[test]
fn exact_messages_for_a_newer_schema_a_missing_file_and_a_directory() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path();

    let newer = dir.join("newer.toml");
    fs::copy(fixtures("bad").join("schema-newer.toml"), &newer).expect("copy");
    assert_refused(
        dir,
        &newer,
        &format!(
            "{}: written by a newer handoff (schema 99; this one reads up to 2); upgrade handoff to open it",
            newer.display()
        ),
    );

    let missing = dir.join("missing.toml");
    assert_refused(
        dir,
        &missing,
        &format!("{}: no such file", missing.display()),
    );
    // A bare name is looked up in the data directory; when nothing matches, the
    // message names what was typed, where it looked, and what is there.
    assert_refused(
        dir,
        Path::new("nobody"),
        &format!("no handoff named nobody in {}; it has newer", dir.display()),
    );

    let directory = dir.join("a-directory.toml");
    fs::create_dir(&directory).expect("mkdir");
    assert_refused(
        dir,
        &directory,
        &format!(
            "{}: is a directory, not a handoff file",
            directory.display()
        ),
    );

    let mut left: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["a-directory.toml", "newer.toml"],
        "nothing was created"
    );
    assert_eq!(
        fs::read_dir(&directory).expect("read_dir").count(),
        0,
        "nothing was written into the directory"
    );
}

/// A FIFO is not a file git can hold, so it is made here. Opening one would block
/// waiting for a writer; the deadline turns a hang into a failure.
#[cfg(unix)]
#[test]
fn a_fifo_is_refused_rather_than_waited_on() {
    let temp = tempfile::tempdir().expect("tempdir");
    let fifo = temp.path().join("pipe.toml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    let run = check(temp.path(), &fifo).unwrap_or_else(|e| panic!("{}: {e}", fifo.display()));
    assert_eq!(run.code, Some(2), "stderr: {}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "stderr: {}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "handoff: {}: is not a regular file, so not a handoff file\n",
            fifo.display()
        )
    );
}
