//! Times in the file and on screen: whole seconds in UTC in the file, the reader's
//! own zone on screen.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, Local, Offset, SubsecRound, Utc};

pub type Timestamp = DateTime<Utc>;

/// Now, to the second: the file keeps whole seconds, so a reloaded document equals
/// the one in memory.
pub fn now() -> Timestamp {
    Utc::now().trunc_subsecs(0)
}

/// A fixed zone for showing times, set once (tests pin UTC so screens read the same
/// anywhere); unset, times show in the machine's local zone.
static SHOWN_ZONE: OnceLock<FixedOffset> = OnceLock::new();

/// Shows every time from now on in UTC, whatever the machine's zone.
pub fn show_times_in_utc() {
    let _ = SHOWN_ZONE.set(FixedOffset::east_opt(0).unwrap_or_else(|| Utc.fix()));
}

/// `at` in the zone times are shown in.
pub fn local(at: Timestamp) -> DateTime<FixedOffset> {
    match SHOWN_ZONE.get() {
        Some(zone) => at.with_timezone(zone),
        None => at.with_timezone(&Local).fixed_offset(),
    }
}

/// `2026-03-27 17:00`, in the zone times are shown in.
pub fn minutes(at: Timestamp) -> String {
    local(at).format("%Y-%m-%d %H:%M").to_string()
}

/// Timestamps as native TOML offset date-times (`2026-11-29T10:00:00Z`).
pub mod toml_time {
    use super::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error, ser};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        let text = t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        text.parse::<toml::value::Datetime>()
            .map_err(ser::Error::custom)?
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        if dt.offset.is_none() || dt.date.is_none() {
            return Err(D::Error::custom(
                "expected a date and time with offset, e.g. 2026-11-29T10:00:00Z",
            ));
        }
        chrono::DateTime::parse_from_rfc3339(&dt.to_string())
            .map(|t| t.to_utc())
            .map_err(D::Error::custom)
    }

    pub mod option {
        use super::Timestamp;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(with = "super")] Timestamp);
            Ok(Some(Wrap::deserialize(d)?.0))
        }
    }
}
