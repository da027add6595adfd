//! The per-operation costs behind the quality bars (SPEC §6), at 10 to 100,000 notes:
//! load+validate, `blockers()`, atomic save, one frame of the notes step and of the
//! review page at 120×40, one keystroke (update + render), and `handoff view`'s
//! work up to its first frame on a completed, maintained handoff.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use handoff::handoff::{Author, FieldValue, Handoff};
use handoff::store;
use handoff::testdata;
use handoff::tui::action::Action;
use handoff::tui::app::App;
use handoff::tui::view::{self, Theme};

const SIZES: [usize; 4] = [10, 1_000, 10_000, 100_000];

fn app_on(step: &str, notes: usize) -> App {
    let mut app = App::new(testdata::with_notes(notes), "Jane Doe".into(), None);
    let index = handoff::form::form().step_index(step).unwrap_or(0);
    app.update(Action::GoToStep(index));
    app
}

/// Why a view is read-only, as `handoff view` says it.
const VIEW: &str = "opened with `handoff view`; nothing can be changed";

/// A handoff of `notes` entries, completed by the engineer and maintained since
/// by the TA: what a TA's view opens.
fn maintained(notes: usize) -> Handoff {
    let mut h = testdata::with_notes(notes);
    h.complete("Jane Doe", testdata::at(28, 10))
        .expect("complete");
    h.change_field(
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(1500)),
        Author::typing("Sam Rivera", testdata::at(29, 9)),
    )
    .expect("the TA maintains the code hosts");
    h
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let theme = Theme::colour();
    for &n in &SIZES {
        let doc = testdata::with_notes(n);
        let path = dir.path().join(format!("notes-{n}.toml"));
        store::save(&path, &doc).expect("save");

        c.bench_with_input(
            BenchmarkId::new("load_and_validate", n),
            &path,
            |b, path: &std::path::PathBuf| {
                b.iter(|| {
                    let loaded = store::load(Path::new(path)).expect("load");
                    black_box(loaded.handoff.blockers())
                });
            },
        );
        c.bench_with_input(BenchmarkId::new("blockers", n), &doc, |b, doc| {
            b.iter(|| black_box(doc.blockers()));
        });
        c.bench_with_input(BenchmarkId::new("atomic_save", n), &doc, |b, doc| {
            b.iter(|| store::save(&path, doc).expect("save"));
        });

        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        for step in ["notes", "review"] {
            let app = app_on(step, n);
            c.bench_with_input(
                BenchmarkId::new(format!("frame_{step}"), n),
                &app,
                |b, app| {
                    b.iter(|| {
                        terminal
                            .draw(|frame| {
                                black_box(view::render(frame, app, &theme));
                            })
                            .expect("draw");
                    });
                },
            );
        }

        // `handoff view` up to its first frame, as the TA opens it: the file read
        // with the notes log cut out (parsed afterwards, on another thread), the
        // read-only wizard made, one frame drawn.
        let view_path = dir.path().join(format!("view-{n}.toml"));
        store::save(&view_path, &maintained(n)).expect("save");
        c.bench_with_input(
            BenchmarkId::new("view_first_frame", n),
            &view_path,
            |b, path: &std::path::PathBuf| {
                b.iter(|| {
                    let (loaded, pending) = store::load_split(path).expect("load");
                    let app = App::new(loaded.handoff, String::new(), Some(VIEW.into()));
                    terminal
                        .draw(|frame| {
                            black_box(view::render(frame, &app, &theme));
                        })
                        .expect("draw");
                    black_box(pending)
                });
            },
        );

        // A key typed into a note being edited, with the log of n entries around it;
        // type and erase in turn so the note stays the same length.
        let mut app = app_on("notes", n);
        app.update(Action::Focus { row: 3, sel: None });
        app.update(Action::Activate);
        let keys =
            [KeyCode::Char('x'), KeyCode::Backspace].map(|c| KeyEvent::new(c, KeyModifiers::NONE));
        let mut next = 0;
        c.bench_function(&format!("keystroke/{n}"), |b| {
            b.iter(|| {
                next = 1 - next;
                app.update(Action::Type(keys[next]));
                terminal
                    .draw(|frame| {
                        black_box(view::render(frame, &app, &theme));
                    })
                    .expect("draw");
            });
        });
    }
}

criterion_group! {
    name = handoff_benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(handoff_benches);
