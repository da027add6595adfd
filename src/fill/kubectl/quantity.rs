//! Kubernetes resource quantities (`3800m`, `16302404Ki`, `1.5Gi`, `2e3`), parsed
//! exactly so that capacities add up without floating-point drift.

use crate::fill::short;

/// A Kubernetes resource quantity, held exactly:
/// `mantissa × 10^exp10 × 2^exp2`, with a sign.
///
/// The grammar (from Kubernetes' `resource.Quantity`):
///
/// ```text
/// quantity        ::= signedNumber suffix
/// suffix          ::= binarySI | decimalExponent | decimalSI
/// binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
/// decimalSI       ::= m | "" | k | M | G | T | P | E
/// decimalExponent ::= "e" signedInteger | "E" signedInteger
/// signedNumber    ::= [+-] (digits | digits "." digits | digits "." | "." digits)
/// ```
///
/// `1E` is an exa (10^18) while `1E3` is 1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    negative: bool,
    mantissa: u128,
    exp10: i32,
    exp2: u32,
}

impl Quantity {
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty quantity".into());
        }
        let (negative, rest) = match text.as_bytes()[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, fraction) = match number.split_once('.') {
            Some((w, f)) => (w, f),
            None => (number, ""),
        };
        if fraction.contains('.') {
            return Err("more than one decimal point".into());
        }
        if whole.is_empty() && fraction.is_empty() {
            return Err("no number (expected e.g. 16, 3800m or 64Gi)".into());
        }
        let mut mantissa: u128 = 0;
        for digit in whole.bytes().chain(fraction.bytes()) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(digit - b'0')))
                .ok_or("too many digits")?;
        }
        let fraction_digits = i32::try_from(fraction.len()).map_err(|_| "too many digits")?;
        let (exp10, exp2) = match suffix {
            "" => (0, 0),
            "m" => (-3, 0),
            "k" => (3, 0),
            "M" => (6, 0),
            "G" => (9, 0),
            "T" => (12, 0),
            "P" => (15, 0),
            "E" => (18, 0),
            "Ki" => (0, 10),
            "Mi" => (0, 20),
            "Gi" => (0, 30),
            "Ti" => (0, 40),
            "Pi" => (0, 50),
            "Ei" => (0, 60),
            s if s.starts_with(['e', 'E']) => (exponent(&s[1..])?, 0),
            s => {
                return Err(format!(
                    "unknown suffix {:?} (expected m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent)",
                    short(s)
                ));
            }
        };
        Ok(Quantity {
            negative,
            mantissa,
            exp10: exp10
                .checked_sub(fraction_digits)
                .ok_or("exponent out of range")?,
            exp2,
        })
    }

    pub fn is_negative(&self) -> bool {
        self.negative && self.mantissa != 0
    }

    /// The value in units of 10^`exp`, rounded up as Kubernetes rounds; `None` when
    /// it does not fit in an `i128`.
    pub fn scaled(&self, exp: i32) -> Option<i128> {
        let binary = 1u128.checked_shl(self.exp2)?;
        let magnitude = self.mantissa.checked_mul(binary)?;
        let shift = i64::from(self.exp10) - i64::from(exp);
        let value = if shift >= 0 {
            let factor = 10u128.checked_pow(u32::try_from(shift).ok()?)?;
            magnitude.checked_mul(factor)?
        } else {
            match u32::try_from(-shift)
                .ok()
                .and_then(|s| 10u128.checked_pow(s))
            {
                Some(divisor) if self.negative => magnitude / divisor,
                Some(divisor) => magnitude.div_ceil(divisor),
                // Smaller than one unit: rounds up to 1 (or 0 when negative or zero).
                None => u128::from(magnitude != 0 && !self.negative),
            }
        };
        let value = i128::try_from(value).ok()?;
        Some(if self.negative { -value } else { value })
    }

    /// The value in thousandths (CPU millicores).
    pub fn millis(&self) -> Option<i128> {
        self.scaled(-3)
    }

    /// The value in whole units (bytes), rounded up.
    pub fn whole(&self) -> Option<i128> {
        self.scaled(0)
    }
}

/// The integer after `e`/`E`.
fn exponent(text: &str) -> Result<i32, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "bad exponent {:?} (expected e.g. 2e3)",
            short(text)
        ));
    }
    text.parse::<i32>()
        .map_err(|_| "exponent out of range".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn quantities_parse_exactly() {
        assert_eq!(q("3800m").millis(), Some(3800));
        assert_eq!(q("3800m").whole(), Some(4));
        assert_eq!(q("16").millis(), Some(16_000));
        assert_eq!(q("1.5").millis(), Some(1500));
        assert_eq!(q("2e3").whole(), Some(2000));
        assert_eq!(q("2E3").whole(), Some(2000));
        assert_eq!(q("2e-3").millis(), Some(2));
        assert_eq!(q("2e+3").whole(), Some(2000));
        assert_eq!(q("128974848").whole(), Some(128_974_848));
        assert_eq!(q("16302404Ki").whole(), Some(16_302_404 * 1024));
        assert_eq!(q("64Gi").whole(), Some(64 << 30));
        assert_eq!(q("1.5Gi").whole(), Some(1_610_612_736));
        assert_eq!(q("1k").whole(), Some(1000));
        assert_eq!(q("1M").whole(), Some(1_000_000));
        assert_eq!(q("1G").whole(), Some(1_000_000_000));
        assert_eq!(q("1T").whole(), Some(1_000_000_000_000));
        assert_eq!(q("1P").whole(), Some(1_000_000_000_000_000));
        assert_eq!(q("1E").whole(), Some(1_000_000_000_000_000_000));
        assert_eq!(q("1Ei").whole(), Some(1 << 60));
        assert_eq!(q("1Ti").whole(), Some(1 << 40));
        assert_eq!(q("1Pi").whole(), Some(1 << 50));
        assert_eq!(q("1Mi").whole(), Some(1 << 20));
        assert_eq!(q(".5").millis(), Some(500));
        assert_eq!(q("5.").whole(), Some(5));
        assert_eq!(q("+7").whole(), Some(7));
        assert_eq!(q("0").whole(), Some(0));
        assert_eq!(q("-1").whole(), Some(-1));
        assert!(q("-1").is_negative());
        assert!(!q("-0").is_negative());
        // Rounded up, as Kubernetes does: 1.5 millicores is 2.
        assert_eq!(q("1.5m").millis(), Some(2));
        assert_eq!(q("1e-30").whole(), Some(1));
        assert_eq!(q("1e-300").whole(), Some(1));
    }

    #[test]
    fn garbage_is_refused_with_a_message() {
        for bad in [
            "",
            " ",
            "Gi",
            "abc",
            "1Kii",
            "1 Gi",
            "1.2.3",
            ".",
            "-",
            "+",
            "1e",
            "1e+",
            "1e1.5",
            "1ki",
            "1Ki ",
            "0x10",
            "1,5",
            "∞",
            "1e99999999999",
            "--1",
            "1m1",
        ] {
            let trimmed_ok = bad == "1Ki ";
            let result = Quantity::parse(bad);
            assert_eq!(result.is_ok(), trimmed_ok, "{bad:?}: {result:?}");
        }
        assert_eq!(
            Quantity::parse("12Gb").expect_err("should fail"),
            "unknown suffix \"Gb\" (expected m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent)"
        );
        let digits = "9".repeat(60);
        assert_eq!(
            Quantity::parse(&digits).expect_err("should fail"),
            "too many digits"
        );
    }

    #[test]
    fn values_too_large_do_not_panic() {
        assert_eq!(q("1e300").whole(), None);
        assert_eq!(q("99999999999999999999999999999999999999Ei").whole(), None);
        assert_eq!(q("1e2147483647").millis(), None);
        assert!(Quantity::parse("1e-2147483648").is_ok());
        assert_eq!(q("1e-2147483648").millis(), Some(1));
    }

    proptest::proptest! {
        /// Whatever a file holds, parsing and scaling answer without panicking.
        #[test]
        fn any_text_parses_or_is_refused(text in "\\PC{0,24}|[-+]?[0-9.]{0,20}([eE][-+]?[0-9]{0,12}|[mkMGTPE]i?)?") {
            if let Ok(quantity) = Quantity::parse(&text) {
                let _ = (quantity.millis(), quantity.whole(), quantity.scaled(i32::MIN));
            }
        }

        /// Binary suffixes are exact powers of two, decimal ones exact powers of ten.
        #[test]
        fn suffixes_scale_exactly(n in 0u64..(1 << 40), i in 0usize..6) {
            let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][i];
            let decimal = ["k", "M", "G", "T", "P", "E"][i];
            let exact = |q: Quantity| q.whole();
            let shift = 10 * (i as u32 + 1);
            proptest::prop_assert_eq!(
                exact(q(&format!("{n}{binary}"))),
                i128::from(n).checked_mul(1i128 << shift)
            );
            proptest::prop_assert_eq!(
                exact(q(&format!("{n}{decimal}"))),
                i128::from(n).checked_mul(10i128.pow(3 * (i as u32 + 1)))
            );
            proptest::prop_assert_eq!(exact(q(&format!("{n}e{}", 3 * (i + 1)))), exact(q(&format!("{n}{decimal}"))));
            proptest::prop_assert_eq!(q(&format!("{n}m")).millis(), Some(i128::from(n)));
        }
    }
}
