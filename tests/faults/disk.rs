//! Disk and file-system faults: a file-size limit, a really full disk, a directory made
//! read-only, and the file replaced by a directory. Each time the wizard warns, keeps the
//! work, leaves the file alone and offers Ctrl-O; q asks again before giving up.

use std::fs;
use std::path::Path;
use std::process::Command;

use handoff::handoff::Handoff;
use rustix::process::{Resource, Rlimit};

use crate::common::*;
use crate::{
    CURRENT_VERSION, INSTANCE_URL, current_version, live_notes, long_note, open_new_note,
    output_lines, paste, text_value,
};

/// Pastes a long note into a new note where it cannot be saved: the wizard keeps it, the
/// status line says `why` and what to do (Ctrl-O), and the file is left alone. Returns
/// the note.
fn paste_a_note_that_cannot_be_saved(fx: &Fixture, t: &Term, why: &str) -> String {
    let note = long_note(8 * 1024);
    open_new_note(t);
    paste(t, &note);
    t.send(TAB);
    t.wait_gone("Tab done");
    t.wait_not_saved();
    t.wait_for("Notes log  1 entry");
    let status = t.with_screen(status_text);
    assert!(
        status.contains(why) && status.contains("Ctrl-O"),
        "the warning says why, and what to do: {status:?}"
    );
    assert_eq!(fx.read(), fx.created, "the file changed");
    note
}

/// Ctrl-O, `path`, Enter.
fn save_copy(t: &Term, path: &Path) {
    t.send(CTRL_O);
    t.wait_for("Save a copy to");
    t.send(&path.display().to_string());
    t.send(ENTER);
}

/// `save_copy`, and the status line says it was written.
fn save_copy_and_confirm(t: &Term, path: &Path) {
    save_copy(t, path);
    t.wait_status(&format!("Saved a copy to {}", path.display()));
}

/// q with unsaved work: the wizard asks for another q instead of quitting.
fn q_asks_again(t: &Term) {
    t.send(CTRL_C);
    t.wait_until("\"again to quit\" on the status line", |s| {
        status_text(s).contains("again to quit")
    });
}

/// The second q: the wizard gives the unsaved work up, gives the terminal back and exits
/// with 1. Returns what it wrote after leaving the alternate screen.
fn quit_unsaved(t: &mut Term) -> String {
    t.send(CTRL_C);
    let status = t.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
    let raw = t.raw();
    assert_alt_screen_left(&raw);
    after_alt_screen(&raw).to_string()
}

/// Moves the handoff file at `path` away to `moved` and puts a directory in its place.
fn replace_by_a_directory(path: &Path, moved: &Path) {
    fs::rename(path, moved).expect("move the file away");
    fs::create_dir(path).expect("a directory where the file was");
}

/// The two edits of `read_only_directory_warns_then_saves_both_edits` and
/// `file_replaced_by_a_directory_warns_and_ctrl_o_saves_everything` are in `h`.
fn assert_both_edits(h: &Handoff) {
    assert_eq!(current_version(h).as_deref(), Some("5.9.1"));
    assert_eq!(
        text_value(h, "deployment", "instance_url").as_deref(),
        Some("https://sg.acme.example")
    );
}

/// (3a) A file-size limit (`ulimit -f`, as a full disk would do) makes saving fail with
/// EFBIG: the wizard warns, keeps the note, leaves the file alone, and saves it all
/// once the limit is lifted.
#[test]
fn file_size_limit_warns_keeps_the_work_and_saves_later() {
    let fx = Fixture::new();
    // dash (this /bin/sh) counts `ulimit -f` in 512-byte blocks, bash in 1024-byte ones:
    // either way the limit lies between the file's size and the size with the note.
    // A soft limit, so it can be lifted later without privileges; SIGXFSZ ignored, so
    // the write fails with EFBIG instead of killing the wizard.
    let blocks = fx.created.len() / 512 + 2;
    let mut t = fx.spawn_shell(&format!(
        "ulimit -S -f {blocks}; trap '' XFSZ; exec \"$0\" open \"$1\""
    ));
    t.wait_for(FIRST_STEP);
    let note = paste_a_note_that_cannot_be_saved(&fx, &t, "File too large");
    let left: Vec<String> = files_in(fx.dir()).into_iter().collect();
    assert_eq!(
        left,
        ["acme-corp.toml", "acme-corp.toml.lock"],
        "stray files"
    );

    // The limit is the process's, so a copy elsewhere fails the same way, and says so.
    let other = tempdir();
    let copy = other.path().join("copy.toml");
    save_copy(&t, &copy);
    t.wait_status("No copy written:");
    assert!(!copy.exists(), "a failed copy left a file");
    assert!(
        files_in(other.path()).is_empty(),
        "a failed copy left a file"
    );

    // Quitting now would lose the note: the wizard says so and stays.
    q_asks_again(&t);
    assert!(t.try_status().is_none(), "the first q quit");

    // Space freed: the next save keeps everything.
    let unlimited = Rlimit {
        current: None,
        maximum: None,
    };
    // `None` would mean the test process itself, so the child's pid must be there.
    let pid = as_pid(t.pid()).expect("the child has a pid");
    rustix::process::prlimit(Some(pid), Resource::Fsize, unlimited)
        .unwrap_or_else(|e| panic!("prlimit: {e}"));
    t.send(CTRL_S);
    t.wait_saved();
    assert_eq!(live_notes(&fx.load()), std::slice::from_ref(&note));
    save_copy_and_confirm(&t, &copy);
    assert_eq!(live_notes(&load(&copy)), std::slice::from_ref(&note));
    fx.quit(&mut t);
    assert_eq!(live_notes(&fx.load()), [note]);
}

/// A small tmpfs mounted on a temporary directory of its own; unmounted when dropped.
struct SmallDisk {
    /// The mount point; removed after the unmount (fields drop after `drop`).
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempdir();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        out.status.success().then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the disk is full.
    fn fill(&self) {
        use std::io::Write;
        let mut f = fs::File::create(self.path().join("filler")).expect("create the filler");
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(self.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(self.path()).status();
        }
    }
}

/// (3a) with a really full disk: the wizard warns, keeps the work, leaves the file alone;
/// Ctrl-O saves a copy in another directory; q asks again before giving up.
#[test]
fn full_disk_warns_keeps_the_work_and_ctrl_o_saves_a_copy() {
    let Some(disk) = SmallDisk::mount("64k") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root); the ulimit test covers EFBIG");
        return;
    };
    // The file on the small disk; the wizard, and the copy, on the ordinary one.
    let fx = Fixture::with_file_in(disk.path());
    let mut t = fx.open();
    disk.fill();
    let note = paste_a_note_that_cannot_be_saved(&fx, &t, "the disk is full");

    let copy = fx.dir().join("elsewhere").join("acme-copy.toml");
    save_copy_and_confirm(&t, &copy);
    q_asks_again(&t);
    assert!(t.try_status().is_none(), "the first q quit");
    let after = quit_unsaved(&mut t);
    assert!(
        after.contains("changes were not saved"),
        "no word of the lost changes: {after:?}"
    );
    assert_eq!(fx.read(), fx.created, "the file changed");
    assert!(!fx.lock_path().exists(), "the lock was left behind");
    assert_eq!(live_notes(&load(&copy)), [note]);
}

/// Makes a directory immutable (`chattr +i`: even root cannot create or rename in it)
/// until released or dropped, also when a test fails.
struct Immutable {
    dir: std::path::PathBuf,
    set: bool,
}

impl Immutable {
    fn set(dir: &Path) -> Immutable {
        let out = Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .output()
            .expect("run chattr");
        assert!(
            out.status.success(),
            "chattr +i {}: {}",
            dir.display(),
            text(&out.stderr)
        );
        Immutable {
            dir: dir.to_path_buf(),
            set: true,
        }
    }

    fn release(&mut self) {
        if self.set {
            let ok = Command::new("chattr")
                .arg("-i")
                .arg(&self.dir)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chattr -i {}", self.dir.display());
            self.set = false;
        }
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        if self.set {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        }
    }
}

/// (3b) The directory becomes read-only mid-session: warning, the work kept, the file
/// untouched; once writable again, the next edit saves both.
#[test]
fn read_only_directory_warns_then_saves_both_edits() {
    let fx = Fixture::new();
    let mut t = fx.open();
    // Undone when dropped (before the temporary directory), also if the test fails.
    let mut frozen = Immutable::set(fx.dir());
    let before = fx.read();

    CURRENT_VERSION.set(&t, "5.9.1");
    t.wait_not_saved();
    t.wait_value("5.9.1");
    assert_eq!(fx.read(), before, "the file changed");

    frozen.release();
    INSTANCE_URL.set(&t, "https://sg.acme.example");
    t.wait_saved();
    assert_both_edits(&fx.load());
    fx.quit(&mut t);
}

/// (3d) The directory is read-only before the wizard starts, so no lock can be
/// taken: `open` offers the read-only view, or editing with the work kept in
/// memory and Ctrl-O to save a copy; on the way out it says where the copy went.
#[test]
fn a_read_only_directory_offers_a_view_or_editing_without_saving() {
    let fx = Fixture::new();
    let copies = tempdir();
    let copy = copies.path().join("acme-copy.toml");
    let _frozen = Immutable::set(fx.dir());

    let mut t = fx.spawn();
    t.wait_for("cannot be locked for editing");
    t.wait_for("[e]dit without saving");
    t.send("e\r");
    t.wait_for(FIRST_STEP);
    t.wait_not_saved();
    CURRENT_VERSION.set(&t, "5.9.1");
    t.wait_not_saved();
    save_copy_and_confirm(&t, &copy);
    q_asks_again(&t);
    let said = quit_unsaved(&mut t);
    assert!(
        said.contains("changes were not saved") && said.contains(&copy.display().to_string()),
        "the last words say where the copy is: {said:?}"
    );
    assert_eq!(fx.read(), fx.created, "the file itself is untouched");
    assert_eq!(current_version(&load(&copy)).as_deref(), Some("5.9.1"));

    let mut t = fx.spawn();
    t.wait_for("[r]ead-only");
    t.send("r\r");
    t.wait_for("READ-ONLY");
    t.send(CTRL_C);
    assert!(t.wait_exit(WAIT).success(), "{}", t.dump());
    assert_eq!(fx.read(), fx.created, "viewing never writes");

    let mut t = fx.spawn();
    t.wait_for("[N]ot at all");
    t.send("\r");
    let status = t.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
}

/// (3c) The file is replaced by a directory while open: the next edit warns, the old
/// file (moved away) is intact, and Ctrl-O saves everything elsewhere.
#[test]
fn file_replaced_by_a_directory_warns_and_ctrl_o_saves_everything() {
    let fx = Fixture::new();
    let mut t = fx.open();
    CURRENT_VERSION.set(&t, "5.9.1");
    t.wait_saved();
    let before = fx.read();

    let moved = fx.dir().join("acme-corp.moved.toml");
    replace_by_a_directory(&fx.path, &moved);
    INSTANCE_URL.set(&t, "https://sg.acme.example");
    t.wait_not_saved();
    assert_eq!(
        fs::read(&moved).expect("read"),
        before,
        "the old file changed"
    );
    assert!(fx.path.is_dir(), "the directory was replaced");
    assert_eq!(
        fs::read_dir(&fx.path).expect("list").count(),
        0,
        "something was written into the directory"
    );

    let copy = fx.dir().join("copies").join("acme-copy.toml");
    save_copy_and_confirm(&t, &copy);
    let h = load(&copy);
    assert_both_edits(&h);
    assert_eq!(
        text_value(&h, "handoff", "customer").as_deref(),
        Some("Acme Corp")
    );

    t.send(CTRL_C);
    t.wait_until("\"again to quit\" on the status line", |s| {
        status_starts(s, "Not saved:") && status_text(s).contains("again to quit")
    });
    assert!(t.try_status().is_none(), "the first q quit");
    let after = output_lines(&quit_unsaved(&mut t));
    assert!(
        after.len() == 1 && after[0].contains("changes were not saved"),
        "one line about the lost changes: {after:?}"
    );
    assert!(!fx.lock_path().exists(), "the lock was left behind");
    assert_eq!(
        fs::read(&moved).expect("read"),
        before,
        "the old file changed"
    );
}

/// The advice after a failed save (Ctrl-O; q again) must be readable at the README's
/// 100 columns, whatever the save error says.
/// (Found by this file: the warning used to be cut off after 100 characters.)
#[test]
fn the_save_failure_advice_fits_a_100_column_status_line() {
    let fx = Fixture::new();
    let t = fx.open();
    replace_by_a_directory(&fx.path, &fx.dir().join("moved.toml"));
    CURRENT_VERSION.set(&t, "5.9.1");
    t.wait_not_saved();
    let warning = t.with_screen(status_text);
    assert!(
        warning.contains("Ctrl-O"),
        "the warning does not say how to save the work: {warning:?}"
    );
    q_asks_again(&t);
}
