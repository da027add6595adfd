//! Field kinds → parse and validate. Every message here is shown to a person, next to
//! the field or in the list of what blocks completion, so it says what to type.

use chrono::NaiveDate;

use crate::form::{Field, FieldKind, ListItem};
use crate::value::{FieldValue, format_number};

/// Turns what the user typed into a value of the field's kind.
///
/// `Ok(None)` means the field is now unset. When the text does not fit the kind, the
/// error carries the message *and* the text is still worth keeping: the caller stores
/// it as a draft (`FieldValue::Text`) so nothing typed is lost.
/// List kinds take one entry per line.
pub fn parse(field: &Field, input: &str) -> Result<Option<FieldValue>, String> {
    match field.kind {
        FieldKind::List | FieldKind::MultiChoice => {
            let entries: Vec<String> = input
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|entry| match field.kind {
                    FieldKind::MultiChoice => normalize_choice(field, entry),
                    _ => entry.to_string(),
                })
                .collect();
            if entries.is_empty() {
                return Ok(None);
            }
            let value = FieldValue::List(entries);
            check(field, &value)?;
            Ok(Some(value))
        }
        FieldKind::LongText => {
            let text = input.trim_end();
            Ok((!text.trim().is_empty()).then(|| FieldValue::Text(text.to_string())))
        }
        _ => {
            let text = input.trim();
            if text.is_empty() {
                return Ok(None);
            }
            let value = match field.kind {
                FieldKind::Date => FieldValue::Date(parse_date(text)?),
                FieldKind::Integer => FieldValue::Integer(parse_integer(text)?),
                FieldKind::Number => FieldValue::Number(parse_number(text)?),
                _ => FieldValue::Text(normalize_choice(field, text)),
            };
            check(field, &value)?;
            Ok(Some(value))
        }
    }
}

/// Whether a stored value is valid for the field on its own (rules that need other
/// fields live in `handoff::Handoff::field_problem`).
pub fn check(field: &Field, value: &FieldValue) -> Result<(), String> {
    match (field.kind, value) {
        (FieldKind::Text, FieldValue::Text(t)) => single_line(t),
        (FieldKind::LongText, FieldValue::Text(_)) => Ok(()),
        (FieldKind::Url, FieldValue::Text(t)) => check_url(t),
        (FieldKind::Date, FieldValue::Date(_)) => Ok(()),
        (FieldKind::Date, FieldValue::Text(t)) => parse_date(t).map(drop),
        (FieldKind::Integer, FieldValue::Integer(n)) => check_bounds(field, *n as f64),
        (FieldKind::Integer, FieldValue::Text(t)) => {
            check_bounds(field, parse_integer(t.trim())? as f64)
        }
        (FieldKind::Number, FieldValue::Number(n)) => {
            if n.is_finite() {
                check_bounds(field, *n)
            } else {
                Err(NUMBER_HELP.to_string())
            }
        }
        (FieldKind::Number, FieldValue::Integer(n)) => check_bounds(field, *n as f64),
        (FieldKind::Number, FieldValue::Text(t)) => check_bounds(field, parse_number(t.trim())?),
        (FieldKind::Choice, FieldValue::Text(t)) => check_choice(field, t),
        (FieldKind::MultiChoice, FieldValue::List(items)) => {
            items.iter().try_for_each(|c| check_choice(field, c))
        }
        (FieldKind::List, FieldValue::List(items)) => {
            for (i, entry) in items.iter().enumerate() {
                check_list_entry(field, entry)
                    .map_err(|e| format!("Entry {}: {}", i + 1, lowercase_first(&e)))?;
            }
            Ok(())
        }
        (FieldKind::List | FieldKind::MultiChoice, FieldValue::Text(t)) => {
            // A single text where a list belongs: fine if it would be a valid one-entry list.
            check(field, &FieldValue::List(vec![t.clone()]))
        }
        _ => Err(format!("Expected {}", field.kind_hint())),
    }
}

/// One entry of a list field, on its own.
pub fn check_list_entry(field: &Field, entry: &str) -> Result<(), String> {
    match field.item {
        ListItem::Text => single_line(entry),
        ListItem::Url => check_url(entry),
    }
}

/// Is there anything in this value? Empty text and empty lists count as unset.
#[must_use]
pub fn is_empty(value: &FieldValue) -> bool {
    match value {
        FieldValue::Text(t) => t.trim().is_empty(),
        FieldValue::List(items) => items.iter().all(|i| i.trim().is_empty()),
        _ => false,
    }
}

const DATE_HELP: &str = "Enter a date as YYYY-MM-DD, e.g. 2026-03-31";
const INTEGER_HELP: &str = "Enter a whole number, e.g. 1200";
const NUMBER_HELP: &str = "Enter a number, e.g. 48 or 1.5";
const URL_HELP: &str = "Enter a full URL starting with https:// (or http://)";

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(DATE_HELP.to_string());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text} is not a day in the calendar"))
}

fn parse_integer(text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(INTEGER_HELP.to_string());
    }
    text.parse::<i64>()
        .map_err(|_| "That number is too large".to_string())
}

fn parse_number(text: &str) -> Result<f64, String> {
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && text.bytes().any(|b| b.is_ascii_digit());
    match text.parse::<f64>() {
        Ok(n) if plain && n.is_finite() => Ok(n),
        _ => Err(NUMBER_HELP.to_string()),
    }
}

fn check_bounds(field: &Field, n: f64) -> Result<(), String> {
    if let Some(above) = field.above
        && n <= above
    {
        return Err(format!("Must be more than {}", format_number(above)));
    }
    if let Some(min) = field.min
        && n < min
    {
        return Err(format!("Must be {} or more", format_number(min)));
    }
    Ok(())
}

fn single_line(text: &str) -> Result<(), String> {
    if text.contains(['\n', '\r']) {
        Err("Must be a single line".to_string())
    } else {
        Ok(())
    }
}

/// A pragmatic check for the URLs people paste here: scheme, a host, no spaces.
fn check_url(text: &str) -> Result<(), String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| URL_HELP.to_string())?;
    if text.chars().any(char::is_whitespace) {
        return Err("A URL cannot contain spaces".to_string());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() || host.starts_with('.') || host.ends_with("..") {
        return Err("The URL has no host name, e.g. https://sourcegraph.example.com".to_string());
    }
    if let Some(port) = host_port.strip_prefix(&format!("{host}:"))
        && port.parse::<u16>().is_err()
    {
        return Err(format!("{port} is not a port number"));
    }
    Ok(())
}

fn check_choice(field: &Field, text: &str) -> Result<(), String> {
    if field.choices.iter().any(|c| c == text) {
        return Ok(());
    }
    if field.other {
        return single_line(text).and_then(|()| {
            if text.trim().is_empty() {
                Err("Describe the other choice".to_string())
            } else {
                Ok(())
            }
        });
    }
    Err(format!("Pick one of: {}", field.choices.join(", ")))
}

/// A choice typed in another case is the listed choice, not an "Other".
fn normalize_choice(field: &Field, text: &str) -> String {
    field
        .choices
        .iter()
        .find(|c| c.eq_ignore_ascii_case(text))
        .cloned()
        .unwrap_or_else(|| text.to_string())
}

/// Is this text one of the field's listed choices (as opposed to "Other")?
#[must_use]
pub fn is_listed_choice(field: &Field, text: &str) -> bool {
    field.choices.iter().any(|c| c == text)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::form;

    fn field(step: &str, key: &str) -> &'static Field {
        form()
            .step(step)
            .and_then(|s| s.field(key))
            .expect("field exists in the form")
    }

    fn err(step: &str, key: &str, input: &str) -> String {
        parse(field(step, key), input).expect_err(input)
    }

    fn ok(step: &str, key: &str, input: &str) -> Option<FieldValue> {
        parse(field(step, key), input).expect(input)
    }

    #[test]
    fn text() {
        assert_eq!(
            ok("handoff", "customer", "  Acme Corp "),
            Some(FieldValue::Text("Acme Corp".into()))
        );
        assert_eq!(
            ok("handoff", "customer", "株式会社 😀"),
            Some(FieldValue::Text("株式会社 😀".into()))
        );
        assert_eq!(ok("handoff", "customer", "   "), None);
        assert_eq!(
            err("handoff", "customer", "two\nlines"),
            "Must be a single line"
        );
    }

    #[test]
    fn url() {
        let url = |s: &str| ok("deployment", "instance_url", s);
        assert_eq!(
            url("https://sourcegraph.acme.com"),
            Some(FieldValue::Text("https://sourcegraph.acme.com".into()))
        );
        assert!(url("http://10.0.0.5:7080/search?q=x").is_some());
        assert!(url("https://[::1]:443/").is_some());
        let e = |s: &str| err("deployment", "instance_url", s);
        assert_eq!(e("sourcegraph.acme.com"), URL_HELP);
        assert_eq!(e("ftp://acme.com"), URL_HELP);
        assert_eq!(
            e("https://"),
            "The URL has no host name, e.g. https://sourcegraph.example.com"
        );
        assert_eq!(e("https://acme .com"), "A URL cannot contain spaces");
        assert_eq!(e("https://acme.com:99999"), "99999 is not a port number");
    }

    #[test]
    fn date() {
        let d = |s: &str| ok("deployment", "start_date", s);
        assert_eq!(
            d("2026-03-31"),
            Some(FieldValue::Date(
                NaiveDate::from_ymd_opt(2026, 3, 31).expect("date")
            ))
        );
        let e = |s: &str| err("deployment", "start_date", s);
        assert_eq!(e("31/03/2026"), DATE_HELP);
        assert_eq!(e("2026-3-31"), DATE_HELP);
        assert_eq!(e("２０２６-03-31"), DATE_HELP);
        assert_eq!(e("2026-02-30"), "2026-02-30 is not a day in the calendar");
    }

    #[test]
    fn integer() {
        assert_eq!(
            ok("code_hosts", "repositories", "1200"),
            Some(FieldValue::Integer(1200))
        );
        assert_eq!(
            ok("code_hosts", "repositories", "0"),
            Some(FieldValue::Integer(0))
        );
        let e = |s: &str| err("code_hosts", "repositories", s);
        assert_eq!(e("12.5"), INTEGER_HELP);
        assert_eq!(e("lots"), INTEGER_HELP);
        assert_eq!(e("1,200"), INTEGER_HELP);
        assert_eq!(e("-3"), "Must be 0 or more");
        assert_eq!(e("99999999999999999999"), "That number is too large");
    }

    #[test]
    fn number() {
        assert_eq!(
            ok("deployment", "total_cpu", "48"),
            Some(FieldValue::Number(48.0))
        );
        assert_eq!(
            ok("deployment", "total_memory_gb", "1.5"),
            Some(FieldValue::Number(1.5))
        );
        let e = |s: &str| err("deployment", "total_cpu", s);
        assert_eq!(e("0"), "Must be more than 0");
        assert_eq!(e("-1"), "Must be more than 0");
        assert_eq!(e("forty"), NUMBER_HELP);
        assert_eq!(e("inf"), NUMBER_HELP);
        assert_eq!(e("NaN"), NUMBER_HELP);
        assert_eq!(e("1e400"), NUMBER_HELP);
        assert_eq!(
            ok("code_hosts", "largest_repo_mb", "0"),
            Some(FieldValue::Number(0.0))
        );
    }

    #[test]
    fn choice_with_other() {
        let f = field("deployment", "deployment_type");
        assert_eq!(
            parse(f, "kubernetes (helm)").expect("case-insensitive"),
            Some(FieldValue::Text("Kubernetes (Helm)".into()))
        );
        assert_eq!(
            parse(f, "Nomad cluster").expect("other"),
            Some(FieldValue::Text("Nomad cluster".into()))
        );
        assert!(!is_listed_choice(f, "Nomad cluster"));
        assert!(is_listed_choice(f, "Docker Compose"));
    }

    #[test]
    fn choice_without_other() {
        let f: Field = toml::from_str(
            "key = 'cadence'\nlabel = 'Cadence'\nkind = 'choice'\nhelp = 'h'\n\
             choices = ['Every release', 'Monthly', 'Quarterly']",
        )
        .expect("field parses");
        assert_eq!(
            parse(&f, "Yearly").expect_err("not listed"),
            "Pick one of: Every release, Monthly, Quarterly"
        );
        assert!(parse(&f, "monthly").expect("listed").is_some());
    }

    #[test]
    fn multi_choice() {
        let f = field("code_hosts", "hosts");
        assert_eq!(
            parse(f, "GitHub Enterprise\nnpm registry\n\n").expect("valid"),
            Some(FieldValue::List(vec![
                "GitHub Enterprise".into(),
                "npm registry".into()
            ]))
        );
        assert_eq!(
            parse(f, "gitlab.com").expect("listed, in another case"),
            Some(FieldValue::List(vec!["GitLab.com".into()]))
        );
        assert_eq!(parse(f, "\n \n").expect("empty"), None);
    }

    #[test]
    fn list_of_urls_and_text() {
        let f = field("deployment", "tdd_links");
        assert!(
            parse(f, "https://docs.example.com/tdd")
                .expect("valid")
                .is_some()
        );
        assert_eq!(
            parse(f, "https://docs.example.com/tdd\ndocs.example.com").expect_err("second bad"),
            "Entry 2: enter a full URL starting with https:// (or http://)"
        );
        let f = field("deployment", "instance_types");
        assert_eq!(
            parse(f, "m6a.4xlarge ×3\nn2-standard-16 ×2").expect("valid"),
            Some(FieldValue::List(vec![
                "m6a.4xlarge ×3".into(),
                "n2-standard-16 ×2".into()
            ]))
        );
    }

    #[test]
    fn long_text_keeps_lines() {
        let f = field("lessons", "text");
        assert_eq!(
            parse(f, "first\n  indented\n\n").expect("valid"),
            Some(FieldValue::Text("first\n  indented".into()))
        );
        assert_eq!(parse(f, " \n ").expect("empty"), None);
    }

    #[test]
    fn stored_drafts_are_checked_like_input() {
        let f = field("deployment", "total_cpu");
        assert_eq!(
            check(f, &FieldValue::Text("lots".into())),
            Err(NUMBER_HELP.into())
        );
        assert_eq!(check(f, &FieldValue::Integer(8)), Ok(()));
        assert_eq!(
            check(f, &FieldValue::List(vec![])),
            Err("Expected number".into())
        );
    }

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(format_number(48.0), "48");
        assert_eq!(format_number(1.5), "1.5");
    }
}
