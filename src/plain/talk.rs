//! The conversation: lines out, lines in. Output only ever appends whole lines
//! (no escape sequences: everything passes through `printable`); input is read
//! one line at a time on a thread of its own, only when a line is asked for, so
//! a signal is noticed while nobody types and an editor started for `:edit`
//! has the keyboard to itself.

use std::io::{BufRead, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::tui::text::printable;

/// How often a wait for input looks whether a signal asked to stop.
const TICK: Duration = Duration::from_millis(50);

/// What came back when a line was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// A line, without its line ending.
    Line(String),
    /// The end of the input (Ctrl-D, or the end of a pipe).
    End,
    /// SIGINT, SIGTERM or SIGHUP.
    Stopped,
}

pub struct Talk {
    /// Asks the reader for one more line.
    ask: Sender<()>,
    /// The reader's lines; `None` at the end of the input.
    lines: Receiver<Option<String>>,
    /// Whether a line was asked for and has not come yet.
    waiting: bool,
    ended: bool,
    /// The signal that asked to stop; 0 while none did.
    stop: Arc<AtomicUsize>,
    out: Box<dyn Write>,
}

impl Talk {
    /// Standard input and output, stopped by SIGINT, SIGTERM and SIGHUP.
    pub fn start() -> Result<Talk, String> {
        let stop = crate::signals::watch_stop()?;
        let input = Box::new(std::io::BufReader::new(std::io::stdin()));
        Ok(Talk::over(input, Box::new(std::io::stdout()), stop))
    }

    /// A conversation over any input and output (tests use byte buffers).
    pub fn over(
        mut input: Box<dyn BufRead + Send>,
        out: Box<dyn Write>,
        stop: Arc<AtomicUsize>,
    ) -> Talk {
        let (ask, asked) = mpsc::channel::<()>();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for () in asked {
                let line = read_line(&mut *input);
                let end = line.is_none();
                if send.send(line).is_err() || end {
                    break;
                }
            }
        });
        Talk {
            ask,
            lines,
            waiting: false,
            ended: false,
            stop,
            out,
        }
    }

    /// Whether a signal asked to stop.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed) != 0
    }

    /// Writes `text` as whole lines, each made printable.
    pub fn say(&mut self, text: &str) {
        let mut shown = String::new();
        for line in text.split('\n') {
            shown.push_str(&printable(line));
            shown.push('\n');
        }
        // A closed stdout is no reason to lose answers still coming in.
        let _ = self.out.write_all(shown.as_bytes());
        let _ = self.out.flush();
    }

    /// The next line typed, or why there is none.
    pub fn hear(&mut self) -> Heard {
        if self.ended {
            return Heard::End;
        }
        if !self.waiting {
            if self.ask.send(()).is_err() {
                self.ended = true;
                return Heard::End;
            }
            self.waiting = true;
        }
        loop {
            if self.stopped() {
                return Heard::Stopped;
            }
            match self.lines.recv_timeout(TICK) {
                Ok(Some(line)) => {
                    self.waiting = false;
                    return Heard::Line(line);
                }
                Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                    self.waiting = false;
                    self.ended = true;
                    return Heard::End;
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
    }
}

/// One line, without its ending; `None` at the end of the input (or when it
/// cannot be read any more). Bytes that are not UTF-8 become `�`.
fn read_line(input: &mut dyn BufRead) -> Option<String> {
    let mut bytes = Vec::new();
    match input.read_until(b'\n', &mut bytes) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            if bytes.last() == Some(&b'\n') {
                bytes.pop();
            }
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Output a test can read back.
    #[derive(Clone, Default)]
    pub struct Written(pub Arc<Mutex<Vec<u8>>>);

    impl Write for Written {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .expect("the output is not poisoned")
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Written {
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
        }
    }

    /// A conversation whose input is `typed`; returns what it writes too.
    pub fn scripted(typed: impl AsRef<[u8]>) -> (Talk, Written) {
        let written = Written::default();
        let talk = Talk::over(
            Box::new(std::io::Cursor::new(typed.as_ref().to_vec())),
            Box::new(written.clone()),
            Arc::new(AtomicUsize::new(0)),
        );
        (talk, written)
    }

    #[test]
    fn lines_come_one_at_a_time_then_the_end() {
        let (mut talk, _) = scripted(b"one\r\ntwo\n\xff\nlast without newline");
        assert_eq!(talk.hear(), Heard::Line("one".into()));
        assert_eq!(talk.hear(), Heard::Line("two".into()));
        assert_eq!(talk.hear(), Heard::Line("\u{fffd}".into()));
        assert_eq!(talk.hear(), Heard::Line("last without newline".into()));
        assert_eq!(talk.hear(), Heard::End);
        assert_eq!(talk.hear(), Heard::End, "the end stays the end");
    }

    #[test]
    fn output_is_whole_lines_without_control_characters() {
        let (mut talk, written) = scripted("");
        talk.say("a\u{1b}[2Jb\nsecond");
        assert_eq!(written.text(), "a\u{fffd}[2Jb\nsecond\n");
    }

    #[test]
    fn a_stop_ends_a_wait_for_input_that_never_comes() {
        // A pipe that stays open and silent, like a keyboard nobody touches.
        let (reader, _keep_open) = std::io::pipe().expect("a pipe");
        let stop = Arc::new(AtomicUsize::new(0));
        let mut talk = Talk::over(
            Box::new(std::io::BufReader::new(reader)),
            Box::new(Written::default()),
            Arc::clone(&stop),
        );
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            flag.store(crate::signals::HANG_UP, Ordering::Relaxed);
        });
        assert_eq!(talk.hear(), Heard::Stopped);
    }
}
