//! The only way between a handoff and its file: load (with schema check and
//! migration), atomic save, the sidecar lock, and where handoffs live.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::form;
use crate::handoff::{Handoff, SCHEMA};

/// Larger than any real handoff (100,000 notes is a few tens of MB); refusing
/// beyond it keeps a stray multi-gigabyte file from eating the machine.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file cannot be read or is not a handoff: `check` exits 2.
    #[error("{}: {message}", location(path, *line))]
    Unreadable {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// Writing failed; `reason` is short ("the disk is full"), for a status line.
    #[error("{}: could not save ({reason}); the file on disk is unchanged", path.display())]
    Save { path: PathBuf, reason: String },
    #[error(
        "{}: being edited by {holder} (lock file {}); open it read-only, or wait for them to quit",
        path.display(), lock_path(path).display()
    )]
    Locked { path: PathBuf, holder: LockHolder },
    #[error("{}: {message}", path.display())]
    Lock { path: PathBuf, message: String },
    /// The lock file cannot be created (a read-only directory, a full disk): the
    /// handoff can still be viewed, or edited without saving there.
    #[error("{}: cannot be locked for editing ({reason})", path.display())]
    Unlockable { path: PathBuf, reason: String },
    #[error("{}: a handoff already exists there; open it, or choose another name", path.display())]
    Exists { path: PathBuf },
}

fn location(path: &Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

fn unreadable(path: &Path, line: Option<usize>, message: impl Into<String>) -> StoreError {
    StoreError::Unreadable {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// A loaded handoff and what the loader noticed without refusing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub handoff: Handoff,
    /// One line each: unknown keys that were ignored, a migration that happened.
    pub warnings: Vec<String>,
}

mod lock;
mod notes_log;
mod places;
mod unknown;

pub use crate::atomic::write_atomic;
pub(crate) use lock::process_alive;
pub use lock::{Access, Lock, LockHolder, break_lock, hostname, lock_path, open_by};
pub use notes_log::{NotesLog, PendingNotes};
pub use places::{data_dir, list, slug};

/// Reads and checks a handoff file. Never writes anything.
pub fn load(path: &Path) -> Result<Loaded, StoreError> {
    let (mut loaded, pending) = load_split(path)?;
    pending.parse_into(&mut loaded)?;
    Ok(loaded)
}

/// Reads a handoff file but leaves a long notes log to parse later
/// (`PendingNotes::parse`), e.g. while the first frame is drawn. The handoff
/// returned holds at most the log's first entry until then.
pub fn load_split(path: &Path) -> Result<(Loaded, PendingNotes), StoreError> {
    let meta = fs::metadata(path).map_err(|e| unreadable(path, None, io_message(&e)))?;
    if meta.is_dir() {
        return Err(unreadable(path, None, "is a directory, not a handoff file"));
    }
    if !meta.is_file() {
        // A pipe or device would block or never end.
        return Err(unreadable(
            path,
            None,
            "is not a regular file, so not a handoff file",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(unreadable(
            path,
            None,
            format!(
                "is {} MB, too large to be a handoff",
                meta.len() / (1024 * 1024)
            ),
        ));
    }
    // Room for the whole file at once (the length is known): read in one go, not
    // in doubling chunks copied as the buffer grows.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    File::open(path)
        .and_then(|f| io::Read::read_to_end(&mut io::Read::take(f, MAX_FILE_BYTES), &mut bytes))
        .map_err(|e| unreadable(path, None, io_message(&e)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let line = line_at(&e.as_bytes()[..good], good);
        unreadable(
            path,
            Some(line),
            "not UTF-8 text; is this really a handoff file?",
        )
    })?;
    parse_split(path, text)
}

/// `parse`, with the notes log cut out to be parsed later when that is possible.
pub fn parse_split(path: &Path, text: String) -> Result<(Loaded, PendingNotes), StoreError> {
    if let Some(split) = notes_log::split(&text)
        && let Ok(mut loaded) = parse(path, &split.main)
        && loaded.handoff.notes_log.is_empty()
    {
        let pending = PendingNotes::new(path, text, split.entries);
        loaded.handoff.notes_log.extend(pending.first());
        return Ok((loaded, pending));
    }
    Ok((parse(path, &text)?, PendingNotes::none(path)))
}

/// Parses handoff text; `path` only names the file in messages.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, StoreError> {
    if text.trim().is_empty() {
        return Err(unreadable(path, None, "the file is empty, not a handoff"));
    }
    let at = |span: Option<std::ops::Range<usize>>| span.map(|s| line_at(text.as_bytes(), s.start));
    let toml_error = |e: toml::de::Error| {
        // toml's word for an enum given a number; say it the way a person would.
        let message =
            one_line(e.message()).replace("wanted string or table", "expected a word in quotes");
        let key = e.span().and_then(|span| key_at(text, span.start));
        let message = match key {
            Some(key) if !message.contains(&format!("`{key}`")) => format!("`{key}`: {message}"),
            _ => message,
        };
        unreadable(path, at(e.span()), message)
    };

    let root = toml::de::DeTable::parse(text).map_err(toml_error)?;
    let schema = match root.get_ref().get("schema") {
        None => {
            return Err(unreadable(
                path,
                None,
                "no `schema` key: this is not a handoff file",
            ));
        }
        Some(v) => v
            .get_ref()
            .as_integer()
            .and_then(|n| i64::from_str_radix(n.as_str(), n.radix()).ok())
            .ok_or_else(|| {
                unreadable(path, at(Some(v.span())), "`schema` must be a whole number")
            })?,
    };
    if schema > i64::from(SCHEMA) {
        return Err(unreadable(
            path,
            None,
            format!(
                "written by a newer handoff (schema {schema}; this one reads up to {SCHEMA}); upgrade handoff to open it"
            ),
        ));
    }
    if schema < 1 {
        return Err(unreadable(
            path,
            None,
            format!("schema {schema} never existed"),
        ));
    }

    let mut ignored = Vec::new();
    let deserializer = toml::de::Deserializer::from(root);
    let mut handoff: Handoff = serde_ignored::deserialize(deserializer, |key| {
        ignored.push(key.to_string());
    })
    .map_err(toml_error)?;

    if !ignored.is_empty() {
        unknown::keep(&mut handoff, text, &ignored);
    }
    let mut warnings: Vec<String> = ignored
        .into_iter()
        .map(|key| format!("{}: unknown key `{key}` kept as it is", path.display()))
        .collect();
    let form = form::form();
    for key in handoff.unknown_value_keys(form) {
        warnings.push(format!(
            "{}: unknown field `{key}` kept as it is",
            path.display()
        ));
    }
    warnings.extend(note_warnings(path, &handoff.notes_log));
    give_notes_ids(&mut handoff.notes_log);
    migrate(&mut handoff, schema);
    Ok(Loaded { handoff, warnings })
}

/// Notes written before notes had ids (schema 1) get the id every machine gives them.
pub(crate) fn give_notes_ids(notes: &mut [crate::handoff::NoteEntry]) {
    for note in notes.iter_mut().filter(|n| n.id.is_empty()) {
        note.id = crate::handoff::note_id(note.created_at, &note.author, &note.text);
    }
}

/// Notes whose category the form does not know.
fn note_warnings(path: &Path, notes: &[crate::handoff::NoteEntry]) -> Vec<String> {
    let form = form::form();
    notes
        .iter()
        .filter(|note| form.note_category(&note.category).is_none())
        .map(|note| {
            format!(
                "{}: note of {} has unknown category `{}`",
                path.display(),
                note.created_at.format("%Y-%m-%d %H:%M"),
                note.category
            )
        })
        .collect()
}

/// Brings a document of an older schema up to date in memory; the file itself
/// changes only when the document is next saved. Schema 1 kept the resume position
/// in the file (read into `legacy_position`, never written) and gave notes no ids
/// (see `give_notes_ids`): nothing is lost either way, so nothing is said.
fn migrate(handoff: &mut Handoff, schema: i64) {
    if schema < i64::from(SCHEMA) {
        handoff.schema = SCHEMA;
    }
}

/// The key assigned on the line where `offset` falls (`status` in `status = 5`),
/// so a type error can name it.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    bare.then(|| key.to_string())
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::StorageFull => "the disk is full".to_string(),
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        io::ErrorKind::IsADirectory => "is a directory, not a handoff file".to_string(),
        _ => {
            // io::Error's text ends in "(os error N)", which helps nobody here.
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
    }
}

/// The file's text: sections in step order, dates native, long text in `"""`,
/// and keys this version does not know back where the file had them.
pub fn to_toml(handoff: &Handoff) -> Result<String, String> {
    let text = toml::to_string_pretty(handoff).map_err(|e| e.to_string())?;
    if handoff.unknown_places.is_empty() {
        return Ok(text);
    }
    // Read back as a table (in order, dates and all) to move the unknown keys.
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    let table = unknown::in_place(table, &handoff.unknown_places);
    toml::to_string_pretty(&table).map_err(|e| e.to_string())
}

/// Saves atomically: the file on disk is always either the old or the new version.
pub fn save(path: &Path, handoff: &Handoff) -> Result<(), StoreError> {
    let save_error = |reason: String| StoreError::Save {
        path: path.to_path_buf(),
        reason,
    };
    let text = to_toml(handoff).map_err(save_error)?;
    write_atomic(path, |file| file.write_all(text.as_bytes()))
        .map_err(|e| save_error(io_message(&e)))
}

/// Removes temporary files an interrupted save left beside `path`. Call only while
/// holding the lock, so no other editor's save is in flight.
pub fn remove_stray_temp_files(path: &Path) -> usize {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let Some(Ok(entries)) = path.parent().map(|d| {
        fs::read_dir(if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        })
    }) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with(".tmp")
        })
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

/// Creates a new handoff file; refuses to overwrite an existing one.
pub fn create(path: &Path, handoff: &Handoff) -> Result<(), StoreError> {
    if path.exists() {
        return Err(StoreError::Exists {
            path: path.to_path_buf(),
        });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| StoreError::Save {
            path: path.to_path_buf(),
            reason: format!("cannot create {}: {}", dir.display(), io_message(&e)),
        })?;
    }
    save(path, handoff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn slugs() {
        assert_eq!(slug("Acme Corp"), "acme-corp");
        assert_eq!(slug("  Acme,  Corp. (EU) "), "acme-corp-eu");
        assert_eq!(slug("Société Générale"), "société-générale");
        assert_eq!(slug("株式会社"), "株式会社");
        assert_eq!(slug("!!!"), "handoff");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
    }

    #[test]
    fn the_file_reads_like_the_spec() {
        let mut handoff = testdata::complete_handoff();
        handoff.legacy_position.step = "deployment".into();
        handoff.legacy_position.field = "total_cpu".into();
        let text = to_toml(&handoff).expect("serializes");
        assert!(text.starts_with("schema = 2\n"), "{text}");
        assert!(
            !text.contains("[position]"),
            "the resume position stays on this machine:\n{text}"
        );
        assert!(text.contains("start_date = 2026-01-12\n"), "{text}");
        assert!(
            text.contains("created_at = 2026-03-02T09:00:00Z\n"),
            "{text}"
        );
        assert!(text.contains("total_cpu = 56.0\n"), "{text}");
        assert!(text.contains("text = \"\"\"\n800 users"), "{text}");
        let order = [
            "[handoff]",
            "[deployment]",
            "[code_hosts]",
            "[notes]",
            "[[note]]",
            "[checklist]",
            "[[checklist_item]]",
            "[lessons]",
            "[upgrade]",
        ];
        let places: Vec<usize> = order
            .iter()
            .map(|h| text.find(h).unwrap_or_else(|| panic!("{h} in {text}")))
            .collect();
        assert!(
            places.windows(2).all(|w| w[0] < w[1]),
            "sections in step order:\n{text}"
        );
    }

    #[test]
    fn type_errors_name_the_key_and_line() {
        let text = to_toml(&testdata::new_handoff()).expect("serializes");
        let text = text.replacen("status = \"in_progress\"", "status = 5", 1);
        let err = parse(Path::new("x.toml"), &text).expect_err("wrong type");
        assert_eq!(
            err.to_string(),
            "x.toml:2: `status`: expected a word in quotes"
        );
    }

    #[test]
    fn lines_are_counted_from_one() {
        assert_eq!(line_at(b"a\nb\nc", 0), 1);
        assert_eq!(line_at(b"a\nb\nc", 2), 2);
        assert_eq!(line_at(b"a\nb\nc", 99), 3);
    }
}

#[cfg(test)]
mod schema_tests {
    use super::*;

    /// A schema 1 file (position inside, notes without ids) reads as schema 2: the
    /// position is there to resume from, every note gets the id every machine
    /// gives it, and keys this version does not know are kept for the next save.
    #[test]
    fn schema_1_is_migrated_in_memory_and_unknown_keys_are_kept() {
        let v1 = include_str!("../../tests/fixtures/good/complete.toml");
        assert!(v1.starts_with("schema = 1"), "the fixture is schema 1");
        let v1 = v1.replacen("schema = 1\n", "schema = 1\nmood = \"calm\"\n", 1);
        let v1 = v1.replacen("[[note]]\n", "[[note]]\ncolour = \"blue\"\n", 1);
        let loaded = parse(Path::new("old.toml"), &v1).expect("schema 1 reads");
        let h = &loaded.handoff;
        assert_eq!(h.schema, SCHEMA);
        assert!(h.notes_log.iter().all(|n| n.id.starts_with("n-")));
        let again = parse(Path::new("old.toml"), &v1).expect("reads");
        assert_eq!(
            again.handoff.notes_log[0].id, h.notes_log[0].id,
            "the same id every time"
        );
        assert!(
            loaded
                .warnings
                .iter()
                .any(|w| w.ends_with("unknown key `mood` kept as it is")),
            "{:?}",
            loaded.warnings
        );
        let text = to_toml(h).expect("serializes");
        assert!(text.contains("mood = \"calm\"\n"), "{text}");
        assert!(text.contains("colour = \"blue\"\n"), "{text}");
        let reread = parse(Path::new("new.toml"), &text).expect("reads");
        assert_eq!(&reread.handoff.unknown, &h.unknown);
        assert_eq!(reread.handoff.notes_log, h.notes_log);
    }
}
