//! The store against real files: round trips, atomic saves that fail, locks.

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use handoff::handoff::{
    Change, ChecklistItem, FieldValue, Handoff, ItemState, NoteEntry, Origin, Reopening, Status,
    Timestamp,
};
use handoff::store::{self, Lock, StoreError};
use handoff::testdata;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn saved_complete(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("acme-corp.toml");
    store::save(&path, &testdata::complete_handoff()).expect("save");
    path
}

#[test]
fn save_then_load_gives_the_same_document() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let loaded = store::load(&path).expect("load");
    assert_eq!(loaded.handoff, testdata::complete_handoff());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let before = fs::read(&path).expect("read");
    let err = store::create(&path, &testdata::new_handoff()).expect_err("exists");
    assert!(matches!(err, StoreError::Exists { .. }));
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn a_save_that_fails_midway_leaves_the_old_file_and_no_temp_file() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let before = fs::read(&path).expect("read");
    let err = store::write_atomic(&path, |file| {
        file.write_all(b"schema = 1\nstatus = \"in_pro")?;
        Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
    })
    .expect_err("injected failure");
    assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "old file byte-identical"
    );
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["acme-corp.toml"], "the temporary file is gone");
}

/// Makes `dir` refuse new files: permissions for ordinary users, the immutable
/// attribute for root (whom permissions do not stop). Returns an undo.
fn make_unwritable(dir: &Path) -> impl FnOnce() + use<> {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).expect("chmod");
    let writable = |p: &Path| fs::write(p, b"x").map(|()| fs::remove_file(p)).is_ok();
    let mut immutable = false;
    if writable(&probe) {
        immutable = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
    }
    assert!(
        !writable(&probe),
        "could not make {} unwritable for this test",
        dir.display()
    );
    let dir = dir.to_path_buf();
    move || {
        if immutable {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&dir)
                .status();
        }
        let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn a_save_into_an_unwritable_directory_leaves_the_old_file() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let before = fs::read(&path).expect("read");
    let undo = make_unwritable(dir.path());
    let mut changed = testdata::complete_handoff();
    changed.set_value(
        "upgrade",
        "current_version",
        Some(FieldValue::Text("7.0.0".into())),
    );
    let result = store::save(&path, &changed);
    undo();
    let err = result.expect_err("unwritable");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}: could not save (", path.display())),
        "{message}"
    );
    assert!(
        message.ends_with("the file on disk is unchanged"),
        "{message}"
    );
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn saving_over_a_directory_is_refused_and_leaves_it() {
    let dir = temp();
    let path = dir.path().join("acme-corp.toml");
    fs::create_dir(&path).expect("mkdir");
    let err = store::save(&path, &testdata::complete_handoff()).expect_err("is a dir");
    assert!(err.to_string().contains("is a directory"), "{err}");
    assert!(path.is_dir());
}

#[test]
fn stray_temp_files_are_removed() {
    let dir = temp();
    let path = saved_complete(dir.path());
    fs::write(dir.path().join(".acme-corp.toml.12345.tmp"), b"half a file").expect("write");
    fs::write(dir.path().join(".other.toml.1.tmp"), b"not ours").expect("write");
    assert_eq!(store::remove_stray_temp_files(&path), 1);
    assert!(dir.path().join(".other.toml.1.tmp").exists());
}

#[test]
fn a_second_lock_is_refused_with_the_holder_named() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let first = Lock::acquire(&path, "jane").expect("first lock");
    assert!(store::lock_path(&path).exists());
    assert_eq!(
        store::lock_path(&path).file_name().and_then(|n| n.to_str()),
        Some("acme-corp.toml.lock")
    );
    let err = Lock::acquire(&path, "jane").expect_err("second lock");
    let StoreError::Locked { holder, .. } = &err else {
        panic!("expected Locked, got {err}");
    };
    assert_eq!(holder, first.holder());
    let message = err.to_string();
    assert!(
        message.contains(&format!("being edited by {}@{}", holder.user, holder.host)),
        "{message}"
    );
    assert!(
        message.contains(&format!("pid {}", std::process::id())),
        "{message}"
    );
    drop(first);
    assert!(!store::lock_path(&path).exists(), "released on drop");
    assert!(Lock::acquire(&path, "jane").is_ok(), "free again");
}

#[test]
fn a_stale_lock_of_a_dead_process_is_taken_over() {
    let dir = temp();
    let path = saved_complete(dir.path());
    // A process that has certainly exited: spawn one and wait for it.
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let dead_pid = child.id();
    child.wait().expect("wait");
    let stale = format!(
        "user = \"ghost\"\nhost = \"{}\"\npid = {dead_pid}\nsince = 2026-01-01T00:00:00Z\n",
        store::hostname()
    );
    fs::write(store::lock_path(&path), stale).expect("write lock");
    let lock = Lock::acquire(&path, "jane").expect("taken over");
    let old = lock.took_over.as_ref().expect("reports the old holder");
    assert_eq!(old.user, "ghost");
    assert_eq!(old.pid, dead_pid);
    let now_holding = fs::read_to_string(store::lock_path(&path)).expect("lock");
    assert!(
        now_holding.contains(&format!("pid = {}", std::process::id())),
        "{now_holding}"
    );
}

#[test]
fn a_lock_from_another_host_is_never_taken_over() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let other =
        "user = \"sam\"\nhost = \"elsewhere.invalid\"\npid = 1\nsince = 2026-01-01T00:00:00Z\n";
    fs::write(store::lock_path(&path), other).expect("write lock");
    let err = Lock::acquire(&path, "jane").expect_err("refused");
    assert!(
        err.to_string()
            .contains("being edited by sam@elsewhere.invalid"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(store::lock_path(&path)).expect("lock"),
        other
    );
}

#[test]
fn an_unreadable_lock_is_refused_with_advice() {
    let dir = temp();
    let path = saved_complete(dir.path());
    fs::write(store::lock_path(&path), b"\xff\xfe garbage").expect("write lock");
    let err = Lock::acquire(&path, "jane").expect_err("refused");
    assert!(err.to_string().contains("is unreadable"), "{err}");
    assert!(
        err.to_string().contains("if nobody is editing, delete it"),
        "{err}"
    );
}

#[test]
fn unknown_keys_warn_and_the_rest_is_kept() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let text = fs::read_to_string(&path).expect("read");
    let text = text.replacen("[deployment]\n", "[deployment]\nflavour = \"vanilla\"\n", 1);
    let text = text.replacen("schema = 2\n", "schema = 2\nmood = \"calm\"\n", 1);
    fs::write(&path, text).expect("write");
    let loaded = store::load(&path).expect("loads");
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.ends_with("unknown key `mood` kept as it is"))
    );
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.ends_with("unknown field `deployment.flavour` kept as it is"))
    );
    assert_eq!(
        loaded.handoff.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(56.0))
    );
    // Kept means written again on the next save.
    store::save(&path, &loaded.handoff).expect("save");
    let again = fs::read_to_string(&path).expect("read");
    assert!(again.contains("mood = \"calm\""), "{again}");
    assert!(again.contains("flavour = \"vanilla\""), "{again}");
}

// ---------------------------------------------------------------- round trip over generated documents

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,.()-]{0,30}",
        "\\PC{0,40}",
        // Characters the TOML writer must escape or quote carefully.
        prop::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("\"\"\"".to_string()),
                Just("\\".to_string()),
                Just("\n".to_string()),
                Just("\t".to_string()),
                Just("'''".to_string()),
                // Lines that look like tables, inside text: the notes-log shortcut must not cut there.
                Just("\n[[note]]\n".to_string()),
                Just("\n[deployment]\n".to_string()),
                Just("\n[[checklist_item]]".to_string()),
                Just("é".to_string()),
                Just("株".to_string()),
                Just("👩‍💻".to_string()),
                Just("e\u{301}".to_string()),
                Just(" ".to_string()),
                "[a-z]{1,5}",
            ],
            0..12
        )
        .prop_map(|parts| parts.concat()),
    ]
}

fn any_time() -> impl Strategy<Value = Timestamp> {
    (0i64..4_000_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).single().unwrap_or_default())
}

fn any_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        any_text().prop_map(FieldValue::Text),
        (1i32..9999, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| FieldValue::Date(
            NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
        )),
        any::<i64>().prop_map(FieldValue::Integer),
        (-1e12f64..1e12).prop_map(FieldValue::Number),
        prop::collection::vec(any_text(), 0..4).prop_map(FieldValue::List),
    ]
}

fn any_note() -> impl Strategy<Value = NoteEntry> {
    (
        "n-[0-9a-f]{12}",
        any_text(),
        any_text(),
        any_time(),
        prop::option::of((any_time(), any_text())),
        prop::option::of((any_time(), any_text())),
        any_text(),
    )
        .prop_map(
            |(id, category, author, created_at, edited, deleted, text)| NoteEntry {
                id,
                category,
                author,
                created_at,
                edited_at: edited.as_ref().map(|e| e.0),
                edited_by: edited.map(|e| e.1),
                deleted_at: deleted.as_ref().map(|d| d.0),
                deleted_by: deleted.map(|d| d.1),
                text,
                unknown: toml::Table::new(),
            },
        )
}

fn any_change() -> impl Strategy<Value = Change> {
    (
        any_time(),
        any_text(),
        "[a-z_]{1,10}\\.[a-z_]{1,10}",
        prop::option::of(any_value()),
        prop::option::of(any_value()),
        prop::option::of(any_text()),
    )
        .prop_map(|(at, by, field, old, new, source)| Change {
            at,
            by,
            field,
            old,
            new,
            source,
            unknown: toml::Table::new(),
        })
}

fn any_item() -> impl Strategy<Value = ChecklistItem> {
    let origin = prop_oneof![
        Just(Origin::Environment),
        Just(Origin::Default),
        Just(Origin::Optional),
        Just(Origin::Custom)
    ];
    let state = prop_oneof![
        Just(ItemState::Todo),
        Just(ItemState::Done),
        Just(ItemState::OutOfScope)
    ];
    (
        any_text(),
        any_text(),
        origin,
        state,
        prop::option::of(any_text()),
        prop::option::of(any_time()),
        prop::option::of(any_text()),
    )
        .prop_map(
            |(key, title, origin, state, done_by, done_at, reason)| ChecklistItem {
                key,
                title,
                origin,
                state,
                done_by,
                done_at,
                reason,
                unknown: toml::Table::new(),
            },
        )
}

fn any_handoff() -> impl Strategy<Value = Handoff> {
    let step_keys = [
        "handoff",
        "deployment",
        "code_hosts",
        "notes",
        "checklist",
        "lessons",
        "upgrade",
    ];
    let values = prop::collection::vec(
        (
            prop::sample::select(step_keys.to_vec()),
            "[a-z_]{1,12}",
            any_value(),
        ),
        0..25,
    );
    let meta = (
        any_time(),
        any_time(),
        prop::option::of((any_time(), any_text())),
        prop::bool::ANY,
        prop::collection::vec(any_change(), 0..4),
    );
    let reopenings = prop::collection::vec(
        (
            any_time(),
            any_text(),
            prop::option::of(any_time()),
            prop::option::of(any_text()),
        ),
        0..3,
    );
    (
        meta,
        values,
        prop::collection::vec(any_note(), 0..6),
        prop::collection::vec(any_item(), 0..6),
        reopenings,
    )
        .prop_map(
            |(
                (created, updated, completed, complete, history),
                values,
                notes,
                items,
                reopenings,
            )| {
                let mut h = Handoff::new("", "", "", created);
                h.checklist_items.clear();
                h.checklist.clear();
                h.updated_at = updated;
                h.status = if complete {
                    Status::Complete
                } else {
                    Status::InProgress
                };
                if let Some((at, by)) = completed {
                    h.completed_at = Some(at);
                    h.completed_by = Some(by);
                }
                h.history = history;
                for (step, key, value) in values {
                    if let Some(section) = h.values_mut(step) {
                        section.insert(key, value);
                    }
                }
                h.notes_log = notes;
                h.checklist_items = items;
                h.reopen_history = reopenings
                    .into_iter()
                    .map(|(at, by, was_completed_at, was_completed_by)| Reopening {
                        at,
                        by,
                        was_completed_at,
                        was_completed_by,
                        unknown: toml::Table::new(),
                    })
                    .collect();
                h
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_document_round_trips_through_its_file(h in any_handoff()) {
        let text = store::to_toml(&h).map_err(TestCaseError::fail)?;
        let loaded = store::parse(Path::new("generated.toml"), &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&loaded.handoff, &h, "file was:\n{}", text);

        // The same through the shortcut that reads the notes log apart.
        let (mut split, pending) = store::parse_split(Path::new("generated.toml"), text.clone())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        pending.parse_into(&mut split).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&split.handoff, &h, "file was:\n{}", text);
    }
}

#[test]
fn a_lock_from_another_host_is_broken_only_when_asked_and_unchanged() {
    let dir = temp();
    let path = saved_complete(dir.path());
    let other =
        "user = \"sam\"\nhost = \"elsewhere.invalid\"\npid = 1\nsince = 2026-01-01T00:00:00Z\n";
    fs::write(store::lock_path(&path), other).expect("write lock");
    let StoreError::Locked { holder, .. } = Lock::acquire(&path, "jane").expect_err("refused")
    else {
        panic!("expected Locked");
    };
    let someone_else = handoff::store::LockHolder {
        user: "lee".into(),
        ..holder.clone()
    };
    store::break_lock(&path, &someone_else).expect("no error");
    assert!(
        store::lock_path(&path).exists(),
        "a lock that is not the one agreed stays"
    );
    store::break_lock(&path, &holder).expect("broken");
    assert!(Lock::acquire(&path, "jane").is_ok());
}
