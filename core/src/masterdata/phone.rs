//! Phone numbers per country, through a port of Google's libphonenumber:
//! read as people type them (`020 123 4567`, `06-12345678`, `+31 6 …`),
//! stored in E.164 (`+31201234567`), shown the national or international
//! way. A number is read in its customer's billing country unless it
//! starts with `+`.

use rlibphonenumber::{PhoneNumber, PhoneNumberFormat, Region};
use serde::{Deserialize, Serialize};

use crate::customer::CountryCode;
use crate::error::CustomerError;

/// A valid phone number in its three forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneFormats {
    /// For storage and dialling systems: `+31201234567`.
    pub e164: String,
    /// As dialled within the country: `020 123 4567`.
    pub national: String,
    /// As dialled from abroad: `+31 20 123 4567`.
    pub international: String,
    /// The country the number belongs to (`NL`), when one does.
    pub country: Option<String>,
}

impl PhoneFormats {
    /// Reads `number` as dialled in `country` (any country when it starts
    /// with `+`) and gives its three forms.
    ///
    /// ```
    /// use custclass::PhoneFormats;
    ///
    /// let phone = PhoneFormats::of("020-123 4567", Some("NL"))?;
    /// assert_eq!(phone.e164, "+31201234567");
    /// assert_eq!(phone.international, "+31 20 123 4567");
    /// assert_eq!(PhoneFormats::of("12", Some("NL")).unwrap_err().code(), "invalid_phone");
    /// assert_eq!(PhoneFormats::of("12", Some("XX")).unwrap_err().code(), "invalid_field");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid_field` for a `country` that is no ISO 3166 code; otherwise
    /// a [`CustomerError`] (`invalid_phone`) naming what is wrong: no digits, a
    /// letter where digits belong, no country to read a national number in,
    /// or a number that can't be one of the country's (too short, too long,
    /// an unused range).
    pub fn of(number: &str, country: Option<&str>) -> Result<PhoneFormats, CustomerError> {
        let country: Option<CountryCode> = match country {
            // `invalid_field` on `country`.
            Some(code) => Some(code.parse::<CountryCode>()?),
            None => None,
        };
        let country = country.as_ref();
        let invalid = |reason: String| CustomerError::InvalidPhone {
            number: number.to_owned(),
            reason,
        };
        if number
            .chars()
            .any(|c| c.is_alphabetic() && !matches!(c, 'x' | 'X' | 'e' | 't'))
        {
            return Err(invalid("it has letters; write the digits".to_owned()));
        }
        let region: Option<Region> = country.and_then(|c| c.as_str().parse().ok());
        let parsed = PhoneNumber::parse(number, region).map_err(|err| {
            invalid(match (region, number.trim_start().starts_with('+')) {
                (None, false) => {
                    "it has no country code (+31 …) and no country to read it in".to_owned()
                }
                _ => format!("it can't be read as a phone number ({err})"),
            })
        })?;
        if !parsed.is_valid() {
            let place = match (number.trim_start().starts_with('+'), country) {
                (true, _) | (false, None) => "its country code".to_owned(),
                (false, Some(country)) => country.as_str().to_owned(),
            };
            return Err(invalid(format!("it is not a valid number for {place}")));
        }
        Ok(PhoneFormats {
            e164: parsed.format_as(PhoneNumberFormat::E164).into_owned(),
            national: parsed.format_as(PhoneNumberFormat::National).into_owned(),
            international: parsed
                .format_as(PhoneNumberFormat::International)
                .into_owned(),
            country: parsed.get_region_code().map(|region| format!("{region:?}")),
        })
    }
}
