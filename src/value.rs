//! One field's value, as the file holds it and as a person reads and types it.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One field's value, in the TOML type that reads naturally for its kind. A value that
/// does not fit its field's kind (a draft the user left half-typed) stays as `Text`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    Date(NaiveDate),
    Integer(i64),
    Number(f64),
    List(Vec<String>),
}

impl FieldValue {
    /// The value as the user would type it (lists one entry per line).
    pub fn to_input(&self) -> String {
        match self {
            FieldValue::Text(t) => t.clone(),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            FieldValue::Integer(n) => n.to_string(),
            FieldValue::Number(n) => format_number(*n),
            FieldValue::List(items) => items.join("\n"),
        }
    }

    /// The value on one line, for summaries.
    pub fn display(&self) -> String {
        match self {
            FieldValue::List(items) => items.join(", "),
            other => other.to_input(),
        }
    }
}

impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Text(t) => s.serialize_str(t),
            FieldValue::Date(d) => toml_date(*d).serialize(s),
            FieldValue::Integer(n) => s.serialize_i64(*n),
            FieldValue::Number(n) => s.serialize_f64(*n),
            FieldValue::List(items) => items.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let found = |what: &str| {
            D::Error::custom(format!(
                "expected text, a number, a date or a list of text, found {what}"
            ))
        };
        Ok(match toml::Value::deserialize(d)? {
            toml::Value::String(t) => FieldValue::Text(t),
            toml::Value::Integer(n) => FieldValue::Integer(n),
            toml::Value::Float(n) => FieldValue::Number(n),
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(date), None) => NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                )
                .map(FieldValue::Date)
                .ok_or_else(|| found("an impossible date"))?,
                _ => return Err(found("a time (only a date fits here)")),
            },
            toml::Value::Array(items) => FieldValue::List(
                items
                    .into_iter()
                    .map(|item| match item {
                        toml::Value::String(t) => Ok(t),
                        _ => Err(found("a list with something other than text in it")),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            toml::Value::Boolean(_) => return Err(found("true/false")),
            toml::Value::Table(_) => return Err(found("a table")),
        })
    }
}

fn toml_date(d: NaiveDate) -> toml::value::Datetime {
    use chrono::Datelike;
    toml::value::Datetime {
        date: Some(toml::value::Date {
            // Dates come from the calendar parser, so they fit TOML's ranges.
            year: u16::try_from(d.year()).unwrap_or_default(),
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// Numbers as a person writes them: no trailing `.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Items as a sentence lists them: "2", "2 and 4", "2, 4 and 5".
pub fn and_list<T: std::fmt::Display>(items: &[T]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(ToString::to_string).collect();
            format!("{} and {last}", init.join(", "))
        }
    }
}
