//! What the exports carry and how they render: user text stays text in
//! markdown (checked with a CommonMark parser), the history is in both formats,
//! and a deleted note's text is in neither.

// Only `run_plain` is used here.
#[allow(unused_imports)]
mod common;

use std::path::Path;

use common::run_plain as handoff;
use handoff::handoff::{Author, FieldValue, Handoff};
use handoff::{store, testdata};

fn export(dir: &Path, h: &Handoff, format: &str) -> String {
    let path = dir.join("x.toml");
    store::save(&path, h).expect("save");
    let out = handoff(
        dir,
        &["export", &path.to_string_lossy(), "--format", format],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn html(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    html
}

const HOSTILE: &str = "## x\n<b>bold</b> & *not em* _nor this_ `code`\n[a link](https://evil.example)\n1. not a list\n- nor this\n    not code\n\\ back slash \\";

#[test]
fn markdown_renders_user_text_as_text_with_its_line_breaks() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = testdata::complete_handoff();
    h.add_note("risk", HOSTILE, "Jane <i>Doe</i>", testdata::at(12, 9))
        .expect("note");
    h.set_value(
        "handoff",
        "customer",
        Some(FieldValue::Text("Acme <script>x</script> *Corp*".into())),
    );
    h.set_value(
        "lessons",
        "text",
        Some(FieldValue::Text(format!("first line\n{HOSTILE}"))),
    );
    h.checklist_items[1].reason = Some("# [Customer](x) does <u>it</u>".into());
    let rendered = html(&export(dir.path(), &h, "markdown"));

    let note = "<blockquote>\n<p>## x<br />\n&lt;b&gt;bold&lt;/b&gt; &amp; *not em* _nor this_ `code`<br />\n[a link](https://evil.example)<br />\n1. not a list<br />\n- nor this<br />\n\u{a0}\u{a0}\u{a0}\u{a0}not code<br />\n\\ back slash \\</p>\n</blockquote>";
    assert!(rendered.contains(note), "{rendered}");
    assert!(
        rendered.contains("Risk · Jane &lt;i&gt;Doe&lt;/i&gt;</h4>"),
        "{rendered}"
    );
    assert!(
        rendered.contains("<h1>Handoff: Acme &lt;script&gt;x&lt;/script&gt; *Corp*</h1>"),
        "{rendered}"
    );
    assert!(
        rendered.contains("<p>first line<br />\n## x<br />"),
        "{rendered}"
    );
    assert!(
        rendered.contains("out of scope: # [Customer](x) does &lt;u&gt;it&lt;/u&gt;</li>"),
        "{rendered}"
    );
    for formatting in [
        "<h2>x",
        "<b>",
        "<i>",
        "<u>",
        "<script",
        "<em>not em",
        "<em>nor",
        "<em>Corp",
        "<code>",
        "<a ",
        "<ol>",
        "<pre>",
    ] {
        assert!(!rendered.contains(formatting), "{formatting}: {rendered}");
    }
}

fn maintained() -> Handoff {
    let mut h = testdata::completed_handoff();
    let sam = Author {
        by: "Sam Rivera",
        at: testdata::at(29, 9),
        source: Some("fill from sourcegraph"),
    };
    h.change_field(
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(1500)),
        sam,
    )
    .expect("maintained");
    let typed = Author::typing("Sam Rivera", testdata::at(30, 11));
    h.change_field(
        "code_hosts",
        "largest_repo_mb",
        Some(FieldValue::Number(6000.0)),
        typed,
    )
    .expect("maintained");
    h
}

#[test]
fn history_is_in_both_exports_and_check_still_passes() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = maintained();
    let markdown = export(dir.path(), &h, "markdown");
    assert!(
        markdown.contains("· maintained by Sam Rivera, 2026-03-30 11:00 UTC\n"),
        "{markdown}"
    );
    let history = markdown
        .split("\n## History\n\n")
        .nth(1)
        .expect("a History section");
    assert_eq!(
        history,
        "- 2026-03-29 09:00 UTC · Sam Rivera · Number of repositories: 1200 → 1500 (fill from sourcegraph)\n\
         - 2026-03-30 11:00 UTC · Sam Rivera · Largest repository (MB): 5400.5 → 6000\n"
    );

    let json: serde_json::Value =
        serde_json::from_str(&export(dir.path(), &h, "json")).expect("JSON");
    assert_eq!(
        json.get("change"),
        None,
        "the file's changes are the history"
    );
    assert_eq!(
        json["history"],
        serde_json::json!([
            {
                "at": "2026-03-29T09:00:00Z",
                "by": "Sam Rivera",
                "field": "code_hosts.repositories",
                "label": "Number of repositories",
                "old": 1200,
                "new": 1500,
                "source": "fill from sourcegraph"
            },
            {
                "at": "2026-03-30T11:00:00Z",
                "by": "Sam Rivera",
                "field": "code_hosts.largest_repo_mb",
                "label": "Largest repository (MB)",
                "old": 5400.5,
                "new": 6000.0
            }
        ])
    );

    let path = dir.path().join("x.toml");
    let out = handoff(dir.path(), &["check", &path.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a maintained handoff stays complete"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}: complete, 29 of 29 done\n", path.display())
    );
}

#[test]
fn a_deleted_note_is_in_neither_export() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = testdata::complete_handoff();
    let i = h
        .add_note(
            "other",
            "the admin password is hunter2-secret",
            "Jane Doe",
            testdata::at(12, 9),
        )
        .expect("note");
    assert!(h.delete_note(i, "Jane Doe", testdata::at(12, 10)));
    let json = export(dir.path(), &h, "json");
    let markdown = export(dir.path(), &h, "markdown");
    for (name, text) in [("json", &json), ("markdown", &markdown)] {
        assert!(!text.contains("hunter2"), "{name}: {text}");
    }
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let deleted = &value["note"][2];
    assert_eq!(deleted["deleted_by"], "Jane Doe", "{json}");
    assert!(deleted.get("text").is_none_or(|t| t == ""), "{json}");
    assert!(markdown.contains("### Notes log (2 entries)"), "{markdown}");
}

#[test]
fn one_note_is_one_entry() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = testdata::new_handoff();
    h.add_note(
        "risk",
        "Disk fills in a year",
        "Jane Doe",
        testdata::at(12, 9),
    )
    .expect("note");
    let markdown = export(dir.path(), &h, "markdown");
    assert!(markdown.contains("### Notes log (1 entry)\n"), "{markdown}");
    assert!(markdown.contains("· 4 of 28 done ·"), "{markdown}");
}
