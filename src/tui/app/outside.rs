//! Work that happens outside the wizard and comes back to it: filling fields
//! from kubectl, docker or the Sourcegraph instance (a review of what was found,
//! then applied), pushing to Vitally, the file changing on disk under a view, the
//! team's changes waiting in git, and values set two ways on two machines.

use crate::fill::{self, Findings, PreviewRow, Source};
use crate::form;
use crate::handoff::{Handoff, Target, Timestamp, time};
use crate::tui::action::Action;
use crate::tui::effect::Effect;

use super::{App, Change, ChoiceOption, Chooser, ChooserPurpose, Confirm, Mode, Pending};

/// Something running on another thread, shown with a spinner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub label: String,
    /// Advances with each tick, for the spinner.
    pub frame: usize,
    kind: TaskKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskKind {
    Fill(Source),
    Push,
}

impl Task {
    /// The spinner's glyph now.
    pub fn spinner(&self) -> char {
        const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        FRAMES[self.frame % FRAMES.len()]
    }
}

/// What a fill found, to look over before anything changes.
#[derive(Debug, Clone, PartialEq)]
pub struct FillReview {
    pub findings: Findings,
    pub rows: Vec<PreviewRow>,
    /// Which rows to apply; rows that would change nothing or cannot change now
    /// are never chosen.
    pub chosen: Vec<bool>,
    pub sel: usize,
}

impl FillReview {
    /// Whether a row can be applied at all (a new value for an open field).
    pub fn can_apply(&self, doc: &Handoff, row: usize) -> bool {
        self.rows
            .get(row)
            .is_some_and(|r| r.applies() && doc.step_is_open(&r.step))
    }
}

impl App {
    /// The work running elsewhere, if any (for the status line's spinner).
    pub fn task(&self) -> Option<&Task> {
        self.task.as_ref()
    }

    fn start_task(&mut self, kind: TaskKind, label: impl Into<String>) {
        self.task = Some(Task {
            label: label.into(),
            frame: 0,
            kind,
        });
    }

    /// Whether the handoff may change now: not while a push sends it (the push
    /// saves the file as it goes); says what to wait for. A fill asks its source
    /// while the person goes on typing.
    pub(super) fn idle(&mut self) -> bool {
        match &self.task {
            Some(task) if task.kind == TaskKind::Push => {
                let label = task.label.clone();
                self.complain(format!("{label} Wait for it, or press Esc to stop it"));
                false
            }
            _ => true,
        }
    }

    /// Esc while work runs elsewhere: a fill's answer is no longer waited for; a
    /// push stops before its next request (what was sent stays recorded).
    pub(super) fn stop_task(&mut self) {
        match self.task.as_ref().map(|t| t.kind) {
            Some(TaskKind::Fill(source)) => {
                self.task = None;
                self.say(format!("Stopped waiting for {}", source.title()));
            }
            Some(TaskKind::Push) => {
                if let Some(task) = &mut self.task {
                    task.label = "Stopping the push…".into();
                }
                self.outbox.push(Effect::StopPush);
            }
            None => {}
        }
    }

    /// A tick while work runs elsewhere: the spinner turns.
    pub(super) fn tick(&mut self) {
        if let Some(task) = &mut self.task {
            task.frame = task.frame.wrapping_add(1);
        }
    }

    // ------------------------------------------------------------ fill

    /// `f`: where to fill the current step from.
    pub(super) fn ask_fill_source(&mut self) {
        let step = self.current_step().key.as_str();
        if step != "deployment" && step != form::STEP_CODE_HOSTS {
            self.say("f fills the production deployment and the code hosts from the systems that know them");
            return;
        }
        if !self.may(Change::Field) {
            return;
        }
        if let Some(task) = &self.task {
            let label = task.label.clone();
            self.say(format!("{label} One source at a time (Esc stops it)"));
            return;
        }
        let options = Source::ALL
            .iter()
            .map(|s| ChoiceOption {
                label: s.title().to_string(),
                checked: false,
                other: false,
            })
            .collect();
        // The instance knows the code hosts; the cluster knows the machines.
        let selected = if step == form::STEP_CODE_HOSTS {
            Source::ALL
                .iter()
                .position(|s| *s == Source::Sourcegraph)
                .unwrap_or(0)
        } else {
            0
        };
        self.mode = Mode::Choose(Chooser {
            purpose: ChooserPurpose::FillSource,
            title: "Fill from…".into(),
            options,
            selected,
            multi: false,
        });
    }

    /// The source was picked: ask it, in the background.
    pub(super) fn fill_from(&mut self, index: usize) {
        let Some(source) = Source::ALL.get(index).copied() else {
            return;
        };
        self.start_task(
            TaskKind::Fill(source),
            format!("Asking {}…", source.title()),
        );
        self.outbox.push(Effect::Fill { source });
    }

    /// What the source found: open it for review, or, while something is being
    /// typed or chosen, as soon as that is done.
    pub(super) fn filled(&mut self, findings: Findings) {
        // An answer no longer waited for (Esc) is dropped.
        if self.task.as_ref().map(|t| t.kind) != Some(TaskKind::Fill(findings.source)) {
            return;
        }
        self.task = None;
        if matches!(self.mode, Mode::Browse) {
            self.review_fill(findings);
        } else {
            self.say(format!(
                "{} answered: what it found opens when you are done here",
                findings.source.title()
            ));
            self.fill_waiting = Some(Box::new(findings));
        }
    }

    /// What a fill found that waited for the person to finish typing.
    pub(super) fn fill_waiting_opens(&mut self) {
        if matches!(self.mode, Mode::Browse)
            && let Some(findings) = self.fill_waiting.take()
        {
            self.review_fill(*findings);
        }
    }

    /// Findings against the handoff as it is now, to tick and apply.
    fn review_fill(&mut self, findings: Findings) {
        let rows = fill::preview(&self.doc, &findings);
        if rows.is_empty() {
            let why = findings
                .problems
                .first()
                .cloned()
                .unwrap_or_else(|| "nothing to fill".into());
            self.complain(format!("{}: {why}", findings.source.title()));
            return;
        }
        let mut review = FillReview {
            findings,
            rows,
            chosen: Vec::new(),
            sel: 0,
        };
        review.chosen = (0..review.rows.len())
            .map(|n| review.can_apply(&self.doc, n))
            .collect();
        self.mode = Mode::Fill(Box::new(review));
    }

    pub(super) fn reviewing_fill(&mut self, mut review: FillReview, action: Action) {
        let n = review.rows.len();
        match action {
            Action::Up => review.sel = review.sel.saturating_sub(1),
            Action::Down => review.sel = (review.sel + 1).min(n.saturating_sub(1)),
            Action::Toggle => {
                if review.can_apply(&self.doc, review.sel) {
                    if let Some(chosen) = review.chosen.get_mut(review.sel) {
                        *chosen = !*chosen;
                    }
                } else {
                    self.say(
                        "That one cannot change: it is the same already, or its step is closed",
                    );
                }
            }
            Action::Activate => {
                self.apply_fill(&review);
                return;
            }
            Action::Cancel => {
                self.say("Nothing filled");
                return;
            }
            Action::Quit => {
                self.quit();
                return;
            }
            _ => {}
        }
        self.mode = Mode::Fill(Box::new(review));
    }

    fn apply_fill(&mut self, review: &FillReview) {
        let chosen: Vec<&fill::Proposal> = review
            .rows
            .iter()
            .zip(&review.chosen)
            .filter(|(_, chosen)| **chosen)
            .filter_map(|(row, _)| review.findings.proposal(&row.step, &row.field))
            .collect();
        if chosen.is_empty() {
            self.say("Nothing chosen, nothing filled");
            return;
        }
        let Some(user) = self.user() else {
            self.ask_name(None);
            return;
        };
        let plan = fill::plan_for(&self.doc, chosen);
        if let Some((proposal, why)) = plan.invalid.first() {
            self.complain(format!("{}: {why}; nothing filled", proposal.key()));
            return;
        }
        let source = review.findings.source;
        match fill::apply(&mut self.doc, &plan.apply, source, &user, (self.clock)()) {
            Ok(0) => self.say("Nothing changed"),
            Ok(n) => {
                self.changed();
                let s = if n == 1 { "" } else { "s" };
                self.say(format!(
                    "Filled {n} field{s} from {}; the history records each as \"{}\"",
                    source.name(),
                    source.history_label()
                ));
            }
            Err(why) => self.complain(why),
        }
    }

    // ------------------------------------------------------------ push

    /// `P`: send the dashboard fields and notes to Vitally, after asking.
    pub(super) fn ask_push(&mut self) {
        if !self.writable() {
            return;
        }
        let account = match self.doc.value("handoff", "vitally_account") {
            Some(v) if !crate::validate::is_empty(v) => v.display(),
            _ => {
                self.complain(
                    "No Vitally account: fill in \"Vitally account\" on the Handoff step first",
                );
                return;
            }
        };
        self.mode = Mode::Confirm(Confirm {
            question: format!(
                "Send the dashboard fields and the notes to Vitally account {account}?"
            ),
            on_yes: Pending::Push,
        });
    }

    pub(super) fn push(&mut self) {
        let Some(by) = self.user() else {
            self.ask_name(None);
            return;
        };
        self.start_task(TaskKind::Push, "Pushing to Vitally…");
        self.outbox.push(Effect::Push { by });
    }

    /// A line of a push's progress.
    pub(super) fn push_progress(&mut self, line: String) {
        if let Some(task) = &mut self.task {
            task.label = line;
        }
    }

    /// The push ended (what Vitally has came in with `PushRecorded` as the push
    /// saved it): say how it went.
    pub(super) fn pushed(&mut self, result: Result<String, String>) {
        self.task = None;
        match result {
            Ok(summary) => self.say(format!("Pushed to Vitally: {summary}")),
            Err(why) => self.complain(format!("Push to Vitally: {why}")),
        }
    }

    /// "pushed to Vitally 14:02 (2 changes since)", for the review page.
    pub fn push_status(&self) -> Option<&str> {
        self.push_status.as_deref()
    }

    /// Works the push status out again when the document changed since.
    pub(super) fn refresh_push_status(&mut self) {
        let now = StatusOf::of(&self.doc);
        if self.push_status_of == Some(now) {
            return;
        }
        self.push_status_of = Some(now);
        self.push_status = self
            .mapping
            .as_ref()
            .and_then(|mapping| self.doc.vitally_status(mapping, (self.clock)()));
    }

    // ------------------------------------------------------------ the file and the team

    /// The file changed on disk under a view: show the new version, keep the
    /// place where it still exists, and say when and by whom.
    pub(super) fn reloaded(
        &mut self,
        result: Result<Box<Handoff>, String>,
        editing: Option<String>,
    ) {
        match result {
            Ok(doc) => {
                let note = updated_by(&doc, editing.as_deref());
                self.doc = *doc;
                self.refresh_live_notes();
                let rows = self.rows().len();
                self.row = self.row.min(rows.saturating_sub(1));
                self.sel = self.sel.min(self.list_len().saturating_sub(1));
                self.header_note = Some(note);
                // The file reads again: a warning that it could not is over.
                if self
                    .message
                    .as_ref()
                    .is_some_and(|m| m.text.starts_with(UNREADABLE))
                {
                    self.message = None;
                }
            }
            Err(why) => {
                self.complain(format!("{UNREADABLE} ({why}); showing the last good copy"));
            }
        }
    }

    /// The directory is synced with git: what is not shared yet goes in the
    /// header, and whether to sync on quitting is known (or will be asked).
    pub(super) fn sync_known(&mut self, status: Option<String>, on_quit: Option<bool>) {
        self.sync_on_quit = Some(on_quit);
        if self.header_note.is_none() {
            self.header_note = Some(status.unwrap_or_else(|| "git: nothing to share".into()));
        }
    }

    /// Quitting in a synced directory, the first time: sync now?
    pub(super) fn ask_sync_on_quit(&mut self) {
        self.mode = Mode::Confirm(Confirm {
            question: "Sync the handoffs with the team now? (remembered for this directory; `handoff config` changes it)".into(),
            on_yes: Pending::SyncOnQuit,
        });
    }

    /// The answer to "Sync now?": remembered, then on with quitting.
    pub(super) fn decide_sync(&mut self, yes: bool) {
        self.sync_on_quit = Some(Some(yes));
        self.outbox.push(Effect::RememberSync { yes });
        self.quit();
    }

    // ------------------------------------------------------------ conflicts

    /// Enter on a value set two ways: keep the one here, or take the other.
    pub(super) fn ask_conflict(&mut self, field: &str) {
        let Some(index) = self.doc.conflicts.iter().position(|c| c.field == field) else {
            return;
        };
        if !self.writable() {
            return;
        }
        let conflict = &self.doc.conflicts[index];
        let current = crate::handoff::shown(conflict.ours.as_ref());
        let other = crate::handoff::shown(conflict.theirs.as_ref());
        let by = conflict
            .theirs_by
            .as_deref()
            .map(|b| format!(" (by {b})"))
            .unwrap_or_default();
        self.mode = Mode::Choose(Chooser {
            purpose: ChooserPurpose::Conflict { index },
            title: if conflict.field.starts_with(crate::handoff::NOTE_CONFLICT) {
                "A note was edited two ways".to_string()
            } else {
                format!(
                    "{} was set two ways",
                    crate::handoff::change_label(&conflict.field)
                )
            },
            options: vec![
                ChoiceOption {
                    label: format!("Keep {current}"),
                    checked: false,
                    other: false,
                },
                ChoiceOption {
                    label: format!("Take {other}{by}"),
                    checked: false,
                    other: false,
                },
            ],
            selected: 0,
            multi: false,
        });
    }

    pub(super) fn settle_conflict(&mut self, index: usize, theirs: bool) {
        let Some(user) = self.user() else {
            self.ask_name(None);
            return;
        };
        match self
            .doc
            .resolve_conflict(index, theirs, &user, (self.clock)())
        {
            Ok(()) => {
                self.changed();
                self.say("Settled; the choice is in the history");
            }
            Err(why) => self.complain(why),
        }
    }

    /// Whether the selected blocker is a value set two ways (Enter settles it).
    pub fn on_conflict(&self) -> bool {
        self.current_row() == Some(super::Row::Blockers)
            && self
                .doc
                .blockers()
                .get(self.sel)
                .is_some_and(|b| Self::conflict_of(&b.target).is_some())
    }

    /// Whether a blocker is a value set two ways (Enter settles it, rather than
    /// going there).
    pub(super) fn conflict_of(target: &Target) -> Option<&str> {
        match target {
            Target::Conflict(field) => Some(field),
            _ => None,
        }
    }
}

/// How the warning about a file that turned unreadable under a view begins.
const UNREADABLE: &str = "The file can no longer be read";

/// What the push status depends on, cheap to compare: the last change, the
/// last push, and how many notes there are and have been sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StatusOf {
    updated_at: Timestamp,
    pushed_at: Option<Timestamp>,
    notes: usize,
    sent: usize,
}

impl StatusOf {
    fn of(doc: &Handoff) -> StatusOf {
        StatusOf {
            updated_at: doc.updated_at,
            pushed_at: doc.vitally.pushed_at,
            notes: doc.notes_log.len(),
            sent: doc.vitally.notes.len(),
        }
    }
}

/// "updated 14:02 by Sam Rivera": when the file last changed, and who: the
/// author of the latest change it records, when that change is the update,
/// else whoever has it open for editing.
fn updated_by(doc: &Handoff, editing: Option<&str>) -> String {
    let at: Timestamp = doc.updated_at;
    let notes = doc.notes_log.iter().flat_map(|n| {
        [
            (Some(n.created_at), Some(n.author.as_str())),
            (n.edited_at, n.edited_by.as_deref()),
        ]
    });
    let items = doc
        .checklist_items
        .iter()
        .map(|i| (i.done_at, i.done_by.as_deref()));
    let changes = doc
        .history
        .iter()
        .map(|c| (Some(c.at), Some(c.by.as_str())));
    let completion = std::iter::once((doc.completed_at, doc.completed_by.as_deref()));
    let latest = notes
        .chain(items)
        .chain(changes)
        .chain(completion)
        .filter_map(|(when, who)| Some((when?, who?)))
        .max_by_key(|(when, _)| *when);
    let clock = time::local(at).format("%H:%M");
    match (latest, editing) {
        (Some((when, who)), _) if when == at => format!("updated {clock} by {who}"),
        (_, Some(who)) => format!("updated {clock} by {who}"),
        _ => format!("updated {clock}"),
    }
}
