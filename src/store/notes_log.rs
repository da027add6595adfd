//! Reading the notes log apart from the rest of the file. A long log is most of a
//! handoff's bytes, so the wizard draws its first frame from everything else and
//! takes the log in the background, and each entry is parsed on its own: a small
//! tree at a time instead of one tree for the whole file.
//!
//! This is a shortcut, never a second opinion: whenever the file is laid out in a
//! way it does not expect, or any piece fails to parse, the whole file is read the
//! ordinary way and that answer (or error) stands.

use std::ops::Range;
use std::path::{Path, PathBuf};

use memchr::memmem;

use super::{StoreError, note_warnings, parse};
use crate::handoff::NoteEntry;

/// The file with its `[[note]]` tables cut out, and where each entry's body was.
/// (Messages never come from the cut text: on any error the whole file is read.)
pub(super) struct Split {
    pub main: String,
    pub entries: Vec<Range<usize>>,
}

const HEADER: &str = "[[note]]";

/// Finds the block of `[[note]]` tables. `None` when there is none, and the file is
/// read whole.
pub(super) fn split(text: &str) -> Option<Split> {
    let start = header_lines(text, 0).find(|&(_, line)| line == HEADER)?.0;
    // The text before must stand alone as TOML: then the header is not inside a string.
    toml::de::DeTable::parse(&text[..start]).ok()?;
    let body = |at: usize| (at + HEADER.len() + 1).min(text.len());
    let mut entries = Vec::new();
    let mut from = body(start);
    let mut end = text.len();
    for (at, line) in header_lines(text, start + 1) {
        if line == HEADER {
            entries.push(from..at);
            from = body(at);
        } else if plausible_header(line) {
            end = at;
            break;
        }
    }
    entries.push(from..end);
    let mut main = String::with_capacity(start + text.len() - end);
    main.push_str(&text[..start]);
    main.push_str(&text[end..]);
    Some(Split { main, entries })
}

/// Lines from `from` on that start with `[`, with where each starts. Lines inside
/// multi-line strings are included; the callers' checks weed them out.
fn header_lines(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let first = (from == 0 && bytes.first() == Some(&b'[')).then_some(0);
    let rest = memmem::find_iter(&bytes[from..], b"\n[").map(move |i| from + i + 1);
    first.into_iter().chain(rest).map(move |at| {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
        (at, text[at..end].trim_end())
    })
}

/// `[name]` or `[[name.sub]]`, possibly with a comment: a table header, not prose.
fn plausible_header(line: &str) -> bool {
    let line = line.split('#').next().unwrap_or("").trim_end();
    let inner = line.trim_start_matches('[').trim_end_matches(']');
    line.ends_with(']')
        && !inner.trim().is_empty()
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || "_-. \"'".contains(c))
}

/// The notes log of a file, still to be parsed.
pub struct PendingNotes {
    path: PathBuf,
    text: String,
    entries: Vec<Range<usize>>,
}

/// What parsing the log gave.
#[derive(Debug, Clone, PartialEq)]
pub enum NotesLog {
    /// Nothing was left to parse: the log came with the rest of the file.
    Unchanged,
    /// The entries, and what was noticed about them (unknown keys, categories).
    Entries(Vec<NoteEntry>, Vec<String>),
    /// The cut did not hold; the whole file was read the ordinary way, and this
    /// replaces everything read before.
    Whole(Box<super::Loaded>),
}

type Parsed = (Vec<NoteEntry>, Vec<String>);

impl PendingNotes {
    pub(super) fn new(path: &Path, text: String, entries: Vec<Range<usize>>) -> Self {
        PendingNotes {
            path: path.to_path_buf(),
            text,
            entries,
        }
    }

    /// Nothing left to parse: the log came with the rest of the file.
    pub(super) fn none(path: &Path) -> Self {
        PendingNotes {
            path: path.to_path_buf(),
            text: String::new(),
            entries: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first entry alone, so a first frame can know whether the log is empty.
    pub(super) fn first(&self) -> Option<NoteEntry> {
        let range = self.entries.first()?.clone();
        parse_entry(&self.text[range], 0).ok().map(|(note, _)| note)
    }

    /// Parses every entry (on two threads for a long log). Any trouble and the whole
    /// file is read the ordinary way instead, so the result or the error is exactly
    /// what a plain load would give.
    /// `two_threads` halves the wait for a long log when nothing else needs the
    /// second core (the wizard parses in the background on one thread instead, so
    /// drawing keeps a core to itself).
    pub fn parse(self, two_threads: bool) -> Result<NotesLog, StoreError> {
        if self.entries.is_empty() {
            return Ok(NotesLog::Unchanged);
        }
        let half = self.entries.len() / 2;
        let (first, second) = self.entries.split_at(half);
        // The first part's list holds room for all the notes, so joining the
        // second to it copies nothing large (a 100,000-note log's entries take
        // some 25 MB: growing the list would hold two copies at once).
        let parse_all = |entries: &[Range<usize>], offset: usize, room: usize| -> Option<Parsed> {
            let mut notes = Vec::with_capacity(room);
            let mut ignored = Vec::new();
            for (i, range) in entries.iter().enumerate() {
                let (note, keys) = parse_entry(&self.text[range.clone()], offset + i).ok()?;
                notes.push(note);
                ignored.extend(keys);
            }
            Some((notes, ignored))
        };
        let all = self.entries.len();
        let halves = if two_threads && all >= 2_000 {
            std::thread::scope(|s| {
                let a = s.spawn(|| parse_all(first, 0, all));
                let b = parse_all(second, half, second.len());
                a.join().ok().flatten().zip(b)
            })
        } else {
            parse_all(&self.entries, 0, all).map(|whole| (whole, (Vec::new(), Vec::new())))
        };
        match halves {
            Some(((mut notes, mut ignored), (more, more_ignored))) => {
                notes.extend(more);
                ignored.extend(more_ignored);
                let mut warnings: Vec<String> = ignored
                    .into_iter()
                    .map(|key| {
                        format!("{}: unknown key `{key}` kept as it is", self.path.display())
                    })
                    .collect();
                warnings.extend(note_warnings(&self.path, &notes));
                Ok(NotesLog::Entries(notes, warnings))
            }
            None => Ok(NotesLog::Whole(Box::new(parse(&self.path, &self.text)?))),
        }
    }

    /// Parses the log into `loaded`, as `load` does.
    pub fn parse_into(self, loaded: &mut super::Loaded) -> Result<(), StoreError> {
        match self.parse(true)? {
            NotesLog::Unchanged => {}
            NotesLog::Entries(notes, warnings) => {
                loaded.handoff.notes_log = notes;
                loaded.warnings.extend(warnings);
            }
            NotesLog::Whole(whole) => *loaded = *whole,
        }
        Ok(())
    }
}

/// One `[[note]]` table's body; unknown keys come back as `note.N.key`. A body
/// with a table header in it is refused: it would mean the cut was wrong (the
/// header was inside a string, or a table followed), and only a whole read can say.
fn parse_entry(body: &str, index: usize) -> Result<(NoteEntry, Vec<String>), ()> {
    if header_lines(body, 0).any(|(_, line)| plausible_header(line)) {
        return Err(());
    }
    let mut ignored = Vec::new();
    let de = toml::de::Deserializer::parse(body).map_err(drop)?;
    let mut note: NoteEntry =
        serde_ignored::deserialize(de, |key| ignored.push(key.to_string())).map_err(drop)?;
    // Keys this version does not know stay with the note.
    if !ignored.is_empty()
        && let Ok(table) = toml::from_str::<toml::Table>(body)
    {
        for key in &ignored {
            let top = key.split('.').next().unwrap_or(key);
            if let Some(value) = table.get(top) {
                note.unknown.insert(top.to_string(), value.clone());
            }
        }
    }
    super::give_notes_ids(std::slice::from_mut(&mut note));
    let ignored = ignored
        .into_iter()
        .map(|key| format!("note.{index}.{key}"))
        .collect();
    Ok((note, ignored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::to_toml;
    use crate::testdata;

    #[test]
    fn the_log_is_cut_out() {
        let text = to_toml(&testdata::complete_handoff()).expect("toml");
        let split = split(&text).expect("has notes");
        assert_eq!(split.entries.len(), 2);
        assert!(!split.main.contains("[[note]]"));
        assert!(split.main.contains("[[checklist_item]]"));
        assert!(text[split.entries[0].clone()].contains("category = \"upper_limits\""));
    }

    #[test]
    fn prose_that_looks_like_a_header_inside_a_note_does_not_fool_it() {
        let mut h = testdata::complete_handoff();
        h.notes_log[0].text = "See:\n[[note]]\n[deployment]\n[link](http://x)".into();
        for first in [true, false] {
            if !first {
                // The same prose in the last entry, where a wrong cut would drop tables after it.
                h.notes_log.swap(0, 1);
            }
            let text = to_toml(&h).expect("toml");
            let (mut loaded, pending) =
                crate::store::parse_split(Path::new("x.toml"), text).expect("loads");
            pending.parse_into(&mut loaded).expect("notes");
            assert_eq!(loaded.handoff, h);
        }
    }

    #[test]
    fn headers_in_prose_are_not_tables() {
        assert!(plausible_header("[deployment]"));
        assert!(plausible_header("[[checklist_item]]  # items"));
        assert!(!plausible_header("[link](http://x)"));
        assert!(!plausible_header("[ ] to do"));
    }
}
