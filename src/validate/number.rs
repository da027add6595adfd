//! Numbers as people type them: "2,500", "1 200 000", "48 GB", "48gb", "1.5k".
//! Only forms that cannot be misread are taken; for anything else the message says
//! what to type. Exponents ("1e6") are refused: nobody means them here, and they are
//! how an absurd value like 1e29 would slip in.

use crate::form::Field;

pub(super) const INTEGER_HELP: &str = "Enter a whole number, e.g. 1200";
pub(super) const NUMBER_HELP: &str = "Enter a number, e.g. 48 or 1.5";
pub(super) const GROUPING_HELP: &str =
    "Use commas only between thousands (2,500) and a point for decimals (1.5)";
const TOO_LARGE: &str = "That number is too large";

/// Units of size: a field counting one of these is "the size in GB", not "the number of GB".
const SIZE_UNITS: [&str; 11] = [
    "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB",
];

/// A whole number, from what was typed.
pub(super) fn parse_integer(field: &Field, text: &str) -> Result<i64, String> {
    let typed = read(field, text, INTEGER_HELP)?;
    if typed.fraction.bytes().any(|b| b != b'0') {
        return Err(INTEGER_HELP.to_string());
    }
    let digits = format!("{}{}", typed.sign, typed.whole);
    digits.parse::<i64>().map_err(|_| TOO_LARGE.to_string())
}

/// A number, from what was typed.
pub(super) fn parse_number(field: &Field, text: &str) -> Result<f64, String> {
    let typed = read(field, text, NUMBER_HELP)?;
    let plain = format!("{}{}.{}0", typed.sign, typed.whole, typed.fraction);
    match plain.parse::<f64>() {
        // "-0" is 0: a sign on nothing is not worth keeping in the file.
        Ok(n) if n.is_finite() => Ok(if n == 0.0 { 0.0 } else { n }),
        Ok(_) => Err(TOO_LARGE.to_string()),
        Err(_) => Err(NUMBER_HELP.to_string()),
    }
}

/// "What to type" for a field with a unit, and the unit that was typed instead.
fn unit_help(field: &Field, unit: &str, typed: &str) -> String {
    let what = if SIZE_UNITS.iter().any(|u| u.eq_ignore_ascii_case(unit)) {
        format!("Enter the size in {unit}, e.g. 48")
    } else {
        format!("Enter the number of {unit}, e.g. 48")
    };
    if typed.is_empty() || field.is_unit(typed) {
        what
    } else {
        format!("{what} (this field counts {unit}, not {typed})")
    }
}

/// The typed number taken apart: sign, digits before and after the point (no
/// separators, a `k` already applied).
struct Typed {
    sign: &'static str,
    whole: String,
    fraction: String,
}

fn read(field: &Field, text: &str, help: &str) -> Result<Typed, String> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '-') || is_space(c)))
        .unwrap_or(text.len());
    let (number, rest) = text.split_at(end);
    let (number, rest) = (number.trim(), rest.trim());
    if number.is_empty() {
        return Err(help.to_string());
    }
    // "1.5k", "2K", "1.5k GB": thousands.
    let (thousands, unit) = match rest.strip_prefix(['k', 'K']) {
        Some(after) if after.trim().is_empty() || field.is_unit(after.trim()) => {
            (true, after.trim())
        }
        _ => (false, rest),
    };
    if !unit.is_empty() {
        let word = unit.chars().all(char::is_alphabetic);
        return match &field.unit {
            Some(_) if word && field.is_unit(unit) => digits(number, thousands, help),
            Some(expected) if word => Err(unit_help(field, expected, unit)),
            _ => Err(help.to_string()),
        };
    }
    digits(number, thousands, help)
}

fn digits(number: &str, thousands: bool, help: &str) -> Result<Typed, String> {
    let (sign, body) = match number.strip_prefix('-') {
        Some(body) => ("-", body),
        None => ("", number),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(help.to_string());
    }
    let whole = ungroup(whole, help)?;
    if whole.is_empty() && fraction.is_empty() {
        return Err(help.to_string());
    }
    let (whole, fraction) = if thousands {
        // Move the point three places by hand: 1.1 × 1000 in floating point is
        // 1100.0000000000002.
        let padded = format!("{fraction}000");
        let (moved, left) = padded.split_at(3);
        (
            format!("{whole}{moved}"),
            left.trim_end_matches('0').to_string(),
        )
    } else {
        (whole, fraction.to_string())
    };
    let whole = whole.trim_start_matches('0');
    Ok(Typed {
        sign,
        whole: if whole.is_empty() { "0" } else { whole }.to_string(),
        fraction,
    })
}

/// The digits before the point without their thousands separators, which must
/// group by three ("2,500", "1 200 000"); one kind of separator per number.
fn ungroup(whole: &str, help: &str) -> Result<String, String> {
    if whole.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(whole.to_string());
    }
    let comma = whole.contains(',');
    let groups: Vec<&str> = if comma {
        whole.split(',').collect()
    } else {
        whole.split(is_space).collect()
    };
    let grouped = groups.iter().enumerate().all(|(i, group)| {
        let size_ok = if i == 0 {
            (1..=3).contains(&group.len())
        } else {
            group.len() == 3
        };
        size_ok && group.bytes().all(|b| b.is_ascii_digit())
    });
    match (grouped, comma) {
        (true, _) => Ok(groups.concat()),
        (false, true) => Err(GROUPING_HELP.to_string()),
        (false, false) => Err(help.to_string()),
    }
}

/// Spaces people put between thousands: a plain space, a no-break space, a narrow one.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// A limit as a person reads it: "100,000".
pub(super) fn grouped(n: f64) -> String {
    let plain = crate::value::format_number(n);
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, format!(".{f}")),
        None => (rest, String::new()),
    };
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return plain;
    }
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{fraction}")
}

#[cfg(test)]
mod tests {
    use super::super::{parse, tests::field};
    use super::*;
    use crate::value::FieldValue;

    fn number(key: &str, input: &str) -> Result<Option<FieldValue>, String> {
        let step = if key == "largest_repo_mb" || key == "repositories" {
            "code_hosts"
        } else {
            "deployment"
        };
        parse(field(step, key), input)
    }

    fn n(value: f64) -> Result<Option<FieldValue>, String> {
        Ok(Some(FieldValue::Number(value)))
    }

    #[test]
    fn thousands_separators_group_by_three() {
        assert_eq!(number("total_disk_gb", "2,500"), n(2500.0));
        assert_eq!(number("total_disk_gb", "1,200,000"), n(1_200_000.0));
        assert_eq!(number("total_disk_gb", "2 500"), n(2500.0));
        assert_eq!(number("total_disk_gb", "1\u{202f}200.5"), n(1200.5));
        assert_eq!(
            number("repositories", "1,200"),
            Ok(Some(FieldValue::Integer(1200)))
        );
        assert_eq!(number("total_disk_gb", "1,5"), Err(GROUPING_HELP.into()));
        assert_eq!(
            number("total_disk_gb", "12,50,000"),
            Err(GROUPING_HELP.into())
        );
        assert_eq!(
            number("total_disk_gb", "2,500.5,5"),
            Err(NUMBER_HELP.into())
        );
        assert_eq!(number("total_disk_gb", "2 5"), Err(NUMBER_HELP.into()));
        assert_eq!(
            number("total_disk_gb", "2,500 000"),
            Err(GROUPING_HELP.into())
        );
    }

    #[test]
    fn the_fields_unit_may_follow_in_any_case() {
        for typed in ["48GB", "48 GB", "48 gb", "48gb", "48 GiB"] {
            assert_eq!(number("total_memory_gb", typed), n(48.0), "{typed}");
        }
        assert_eq!(number("total_cpu", "48 cores"), n(48.0));
        assert_eq!(number("total_cpu", "1 core"), n(1.0));
        assert_eq!(number("total_cpu", "96 vCPUs"), n(96.0));
        assert_eq!(number("largest_repo_mb", "5,400.5 MB"), n(5400.5));
    }

    #[test]
    fn another_unit_says_exactly_what_to_type() {
        assert_eq!(
            number("total_memory_gb", "48 TB"),
            Err("Enter the size in GB, e.g. 48 (this field counts GB, not TB)".into())
        );
        assert_eq!(
            number("largest_repo_mb", "2GB"),
            Err("Enter the size in MB, e.g. 48 (this field counts MB, not GB)".into())
        );
        assert_eq!(
            number("total_cpu", "48 GHz"),
            Err("Enter the number of cores, e.g. 48 (this field counts cores, not GHz)".into())
        );
        assert_eq!(
            number("repositories", "1200 repos"),
            Err(INTEGER_HELP.into()),
            "a field without a unit takes none"
        );
        assert_eq!(number("total_memory_gb", "48 GB!"), Err(NUMBER_HELP.into()));
    }

    #[test]
    fn a_k_means_thousands() {
        assert_eq!(number("largest_repo_mb", "1.5k"), n(1500.0));
        assert_eq!(number("total_disk_gb", "2K"), n(2000.0));
        assert_eq!(number("total_disk_gb", "1.5k GB"), n(1500.0));
        assert_eq!(number("total_disk_gb", "1.1k"), n(1100.0), "no float dust");
        assert_eq!(number("total_disk_gb", "1.23456k"), n(1234.56));
        assert_eq!(
            number("repositories", "1.5k"),
            Ok(Some(FieldValue::Integer(1500)))
        );
        assert_eq!(number("repositories", "1.2345k"), Err(INTEGER_HELP.into()));
        assert_eq!(number("total_disk_gb", "k"), Err(NUMBER_HELP.into()));
    }

    #[test]
    fn absurd_values_are_refused_with_the_ceiling() {
        assert_eq!(
            number("total_cpu", "1,000,000"),
            Err("Must be at most 100,000".into())
        );
        assert_eq!(number("total_cpu", "100,000"), n(100_000.0));
        assert_eq!(
            number("total_memory_gb", "100000000000000000000000000000"),
            Err("Must be at most 1,000,000".into())
        );
        assert_eq!(number("total_memory_gb", "1e29"), Err(NUMBER_HELP.into()));
        assert_eq!(number("total_memory_gb", "1E6"), Err(NUMBER_HELP.into()));
        assert_eq!(
            number("repositories", "99999999999999999999"),
            Err(TOO_LARGE.into())
        );
        assert_eq!(
            number("total_disk_gb", &"9".repeat(400)),
            Err(TOO_LARGE.into())
        );
    }

    proptest::proptest! {
        /// Whatever is accepted is valid when stored and reads back the same.
        #[test]
        fn accepted_numbers_check_and_round_trip(input in "-?[0-9 ,.kK]{0,12}( ?(GB|gb|TB|cores))?") {
            for (step, key) in [("deployment", "total_memory_gb"), ("code_hosts", "repositories"), ("deployment", "total_cpu")] {
                let f = field(step, key);
                if let Ok(Some(value)) = parse(f, &input) {
                    proptest::prop_assert_eq!(super::super::check(f, &value), Ok(()));
                    proptest::prop_assert_eq!(parse(f, &value.to_input()), Ok(Some(value)));
                }
            }
        }
    }

    #[test]
    fn limits_read_with_separators() {
        assert_eq!(grouped(100_000.0), "100,000");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1000.0), "1,000");
        assert_eq!(grouped(-1_234_567.5), "-1,234,567.5");
    }
}
