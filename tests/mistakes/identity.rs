//! Item 3: who did what is the person at the keyboard, in the order `--as`,
//! `HANDOFF_USER`, the config file, `git config user.name`, `$USER`; with none of
//! them the wizard asks once and keeps the answer; "unknown" is never recorded.

use std::fs;

use super::*;

/// A settings file naming `name`, and a git config naming "Git Name", in a
/// directory of their own (not the handoffs' directory).
struct Sources {
    dir: tempfile::TempDir,
}

impl Sources {
    fn new() -> Sources {
        let dir = tempdir();
        fs::write(dir.path().join("config.toml"), "name = \"Config Name\"\n")
            .expect("write the config file");
        fs::write(dir.path().join("gitconfig"), "[user]\n\tname = Git Name\n")
            .expect("write the git config");
        Sources { dir }
    }

    fn path(&self, file: &str) -> String {
        self.dir.path().join(file).display().to_string()
    }
}

/// The wizard on the fixture at 80×24 with `before` ahead of `open FILE` (global
/// flags) and `env` added.
fn open_as(fx: &Fixture, before: &[&str], env: &[(&str, &str)]) -> Term {
    let file = fx.file();
    let mut args = before.to_vec();
    args.extend(["open", &file]);
    let t = spawn(fx.dir(), &args, env, SMALL);
    // It opens where it was left: any step.
    t.wait_for("Acme Corp · in progress");
    t
}

#[test]
fn the_flag_beats_handoff_user_beats_the_config_beats_git_in_what_is_saved() {
    let fx = Fixture::new();
    let sources = Sources::new();
    let (config, git) = (sources.path("config.toml"), sources.path("gitconfig"));
    let missing = sources.path("no-such-config.toml");
    let all: [(&str, &str); 3] = [
        ("HANDOFF_USER", "Env Name"),
        ("HANDOFF_CONFIG", &config),
        ("GIT_CONFIG_GLOBAL", &git),
    ];

    // Everything gives a name: --as wins. A note records its author.
    let mut t = open_as(&fx, &["--as", "Flag Name"], &all);
    add_note(&t, "Rockskip is on for the monorepo");
    fx.quit(&mut t);

    // Without --as: HANDOFF_USER. Editing the note records who edited it.
    let mut t = open_as(&fx, &[], &all);
    NOTES_LOG.focus(&t);
    t.send(ENTER);
    t.wait_for("Tab done");
    t.send(" (TA agreed)");
    t.wait_for("(TA agreed)");
    t.send(TAB);
    t.wait_gone("Tab done");
    fx.quit(&mut t);

    // Without HANDOFF_USER: the config file. A tick records who ticked.
    let mut t = open_as(&fx, &[], &all[1..]);
    CHECKLIST_ITEMS.focus(&t);
    t.send(SPACE);
    t.wait_for("Config Name, ");
    fx.quit(&mut t);

    // With no name in the config: git, ahead of $USER (jane).
    let mut t = open_as(
        &fx,
        &[],
        &[("HANDOFF_CONFIG", &missing), ("GIT_CONFIG_GLOBAL", &git)],
    );
    CHECKLIST_ITEMS.focus(&t);
    t.send(DOWN);
    t.send(SPACE);
    t.wait_for("Git Name, ");
    fx.quit(&mut t);

    let h = fx.load();
    let note = &h.notes_log[0];
    assert_eq!(note.text, "Rockskip is on for the monorepo (TA agreed)");
    assert_eq!(note.author, "Flag Name");
    assert_eq!(note.edited_by.as_deref(), Some("Env Name"));
    assert!(note.edited_at.is_some());
    let done_by: Vec<Option<&str>> = h.checklist_items[..3]
        .iter()
        .map(|i| i.done_by.as_deref())
        .collect();
    assert_eq!(done_by, [Some("Config Name"), Some("Git Name"), None]);
    let saved = text(&fx.read());
    assert!(!saved.contains("unknown"), "{saved}");
    assert!(!saved.contains("jane"), "$USER comes last: {saved}");
}

#[test]
fn with_no_name_anywhere_the_wizard_asks_once_and_keeps_the_answer() {
    let fx = Fixture::new();
    let settings = tempdir();
    let config = settings.path().join("config.toml");
    let config_arg = config.display().to_string();
    // No --as, no HANDOFF_USER, no config, git knows nobody, $USER is empty.
    let nobody: [(&str, &str); 3] = [
        ("HANDOFF_CONFIG", &config_arg),
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
        ("USER", ""),
    ];

    let mut t = open_as(&fx, &[], &nobody);
    open_new_note(&t);
    t.send("Customer asked for SAML only");
    t.wait_for("SAML only");
    t.send(TAB);
    t.wait_for("Who are you?");
    // Enter with nothing typed is not a name: it is asked again.
    t.send(ENTER);
    t.wait_for("Type your name: it goes on notes, ticks and changes");
    t.wait_for("Who are you?");
    t.send("Sam Rivera");
    t.send(ENTER);
    t.wait_for("Hello, Sam Rivera");
    // Back in the note, as it was: Tab commits it.
    t.wait_for("SAML only");
    t.send(TAB);
    t.wait_gone("Tab done");
    fx.quit(&mut t);
    assert!(
        fs::read_to_string(&config)
            .expect("the name was kept in the config file")
            .contains("name = \"Sam Rivera\"")
    );

    // The next run knows the name: nothing is asked.
    let mut t = open_as(&fx, &[], &nobody);
    CHECKLIST_ITEMS.focus(&t);
    t.send(SPACE);
    t.wait_for("Sam Rivera, ");
    assert!(!t.screen().contains("Who are you?"), "{}", t.dump());
    fx.quit(&mut t);

    let h = fx.load();
    assert_eq!(live_notes(&h), ["Customer asked for SAML only"]);
    assert_eq!(h.notes_log[0].author, "Sam Rivera");
    assert_eq!(h.checklist_items[0].done_by.as_deref(), Some("Sam Rivera"));
    let saved = text(&fx.read());
    assert!(!saved.contains("unknown"), "{saved}");
}
