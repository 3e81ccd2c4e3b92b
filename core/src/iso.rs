//! ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes with their
//! minor units.
//!
//! Both are kept as sorted static tables, so every lookup is a binary search
//! over data baked into the binary: no allocation, no lazy initialisation and
//! nothing that can fail at runtime. Codes are matched exactly and in
//! uppercase only; callers are expected to normalise case before asking.

/// All 249 officially assigned ISO 3166-1 alpha-2 codes, sorted ascending.
///
/// User-assigned codes (such as `XK` or `XI`) and exceptional or transitional
/// reservations (such as `EU`, `EL` or `UK`) are deliberately absent: they are
/// not countries in the standard, and accepting them would let non-portable
/// data through.
#[rustfmt::skip]
const COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ",
    "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW",
    "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ",
    "EC", "EE", "EG", "EH", "ER", "ES", "ET",
    "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT",
    "GU", "GW", "GY",
    "HK", "HM", "HN", "HR", "HT", "HU",
    "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
    "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
    "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM",
    "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
    "QA",
    "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ",
    "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
    "UA", "UG", "UM", "US", "UY", "UZ",
    "VA", "VC", "VE", "VG", "VI", "VN", "VU",
    "WF", "WS",
    "YE", "YT",
    "ZA", "ZM", "ZW",
];

/// Active ISO 4217 currency codes with their minor units, sorted ascending by
/// code.
///
/// Only ordinary national and regional currencies are listed (plus the
/// unit-of-account codes `CLF` and `UYW`, which appear in real invoicing data).
/// Fund codes, precious metals, SDR and testing codes are left out because no
/// customer is billed in them.
#[rustfmt::skip]
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2), ("AFN", 2), ("ALL", 2), ("AMD", 2), ("ANG", 2), ("AOA", 2), ("ARS", 2), ("AUD", 2),
    ("AWG", 2), ("AZN", 2),
    ("BAM", 2), ("BBD", 2), ("BDT", 2), ("BGN", 2), ("BHD", 3), ("BIF", 0), ("BMD", 2), ("BND", 2),
    ("BOB", 2), ("BRL", 2), ("BSD", 2), ("BTN", 2), ("BWP", 2), ("BYN", 2), ("BZD", 2),
    ("CAD", 2), ("CDF", 2), ("CHF", 2), ("CLF", 4), ("CLP", 0), ("CNY", 2), ("COP", 2), ("CRC", 2),
    ("CUP", 2), ("CVE", 2), ("CZK", 2),
    ("DJF", 0), ("DKK", 2), ("DOP", 2), ("DZD", 2),
    ("EGP", 2), ("ERN", 2), ("ETB", 2), ("EUR", 2),
    ("FJD", 2), ("FKP", 2),
    ("GBP", 2), ("GEL", 2), ("GHS", 2), ("GIP", 2), ("GMD", 2), ("GNF", 0), ("GTQ", 2), ("GYD", 2),
    ("HKD", 2), ("HNL", 2), ("HTG", 2), ("HUF", 2),
    ("IDR", 2), ("ILS", 2), ("INR", 2), ("IQD", 3), ("IRR", 2), ("ISK", 0),
    ("JMD", 2), ("JOD", 3), ("JPY", 0),
    ("KES", 2), ("KGS", 2), ("KHR", 2), ("KMF", 0), ("KPW", 2), ("KRW", 0), ("KWD", 3), ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2), ("LBP", 2), ("LKR", 2), ("LRD", 2), ("LSL", 2), ("LYD", 3),
    ("MAD", 2), ("MDL", 2), ("MGA", 2), ("MKD", 2), ("MMK", 2), ("MNT", 2), ("MOP", 2), ("MRU", 2),
    ("MUR", 2), ("MVR", 2), ("MWK", 2), ("MXN", 2), ("MYR", 2), ("MZN", 2),
    ("NAD", 2), ("NGN", 2), ("NIO", 2), ("NOK", 2), ("NPR", 2), ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2), ("PEN", 2), ("PGK", 2), ("PHP", 2), ("PKR", 2), ("PLN", 2), ("PYG", 0),
    ("QAR", 2),
    ("RON", 2), ("RSD", 2), ("RUB", 2), ("RWF", 0),
    ("SAR", 2), ("SBD", 2), ("SCR", 2), ("SDG", 2), ("SEK", 2), ("SGD", 2), ("SHP", 2), ("SLE", 2),
    ("SOS", 2), ("SRD", 2), ("SSP", 2), ("STN", 2), ("SVC", 2), ("SYP", 2), ("SZL", 2),
    ("THB", 2), ("TJS", 2), ("TMT", 2), ("TND", 3), ("TOP", 2), ("TRY", 2), ("TTD", 2), ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2), ("UGX", 0), ("USD", 2), ("UYU", 2), ("UYW", 4), ("UZS", 2),
    ("VED", 2), ("VES", 2), ("VND", 0), ("VUV", 0),
    ("WST", 2),
    ("XAF", 0), ("XCD", 2), ("XCG", 2), ("XOF", 0), ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2), ("ZMW", 2), ("ZWG", 2),
];

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 country code.
///
/// Matching is exact and case-sensitive so this stays a plain binary search;
/// normalise input to uppercase first. Reserved codes such as `UK` and `EL`
/// are rejected even though they turn up in EU data, because they are not
/// country codes and would not round-trip through other systems.
#[must_use]
pub fn is_country(code: &str) -> bool {
    COUNTRIES.binary_search(&code).is_ok()
}

/// Whether `code` is an active ISO 4217 currency code.
///
/// Matching is exact and case-sensitive; normalise input to uppercase first.
/// Fund, precious-metal and testing codes are not accepted, since they are
/// never a customer's billing currency.
#[must_use]
pub fn is_currency(code: &str) -> bool {
    currency_minor_units(code).is_some()
}

/// The number of ISO 4217 minor units (decimal places) for currency `code`,
/// or `None` if the code is not a known active currency.
///
/// Amounts must be scaled by this rather than an assumed two decimals: many
/// currencies have none (`JPY`, `KRW`) and several have three (`KWD`, `BHD`).
///
/// # Examples
///
/// ```
/// use custclass::iso::currency_minor_units;
///
/// assert_eq!(currency_minor_units("EUR"), Some(2));
/// assert_eq!(currency_minor_units("JPY"), Some(0));
/// assert_eq!(currency_minor_units("KWD"), Some(3));
/// assert_eq!(currency_minor_units("XYZ"), None);
/// ```
#[must_use]
pub fn currency_minor_units(code: &str) -> Option<u32> {
    CURRENCIES
        .binary_search_by(|&(c, _)| c.cmp(code))
        .ok()
        .and_then(|i| CURRENCIES.get(i))
        .map(|&(_, units)| units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_strictly_sorted() {
        for pair in COUNTRIES.windows(2) {
            assert!(pair[0] < pair[1], "{} !< {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn currencies_strictly_sorted() {
        for pair in CURRENCIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} !< {}", pair[0].0, pair[1].0);
        }
    }

    #[test]
    fn country_count() {
        assert_eq!(COUNTRIES.len(), 249);
    }

    #[test]
    fn codes_are_well_formed() {
        for c in COUNTRIES {
            assert!(
                c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
                "{c}"
            );
        }
        for (c, _) in CURRENCIES {
            assert!(
                c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                "{c}"
            );
        }
    }

    #[test]
    fn country_spot_checks() {
        for code in ["NL", "DK", "GB", "US", "GR", "AD", "ZW"] {
            assert!(is_country(code), "{code} should be a country");
        }
        for code in ["EL", "UK", "XX", "nl", "", "XK", "EU", "NLD"] {
            assert!(!is_country(code), "{code:?} should not be a country");
        }
    }

    #[test]
    fn currency_spot_checks() {
        assert_eq!(currency_minor_units("EUR"), Some(2));
        assert_eq!(currency_minor_units("JPY"), Some(0));
        assert_eq!(currency_minor_units("KWD"), Some(3));
        assert_eq!(currency_minor_units("DKK"), Some(2));
        assert_eq!(currency_minor_units("GBP"), Some(2));
        assert_eq!(currency_minor_units("USD"), Some(2));
        assert_eq!(currency_minor_units("CLF"), Some(4));
        assert_eq!(currency_minor_units("UYW"), Some(4));
        assert_eq!(currency_minor_units("XOF"), Some(0));
        assert_eq!(currency_minor_units("AED"), Some(2));
        assert_eq!(currency_minor_units("ZWG"), Some(2));
        assert_eq!(currency_minor_units("XYZ"), None);
        assert_eq!(currency_minor_units("eur"), None);
        assert_eq!(currency_minor_units(""), None);
        assert!(is_currency("EUR"));
        assert!(!is_currency("XYZ"));
    }
}
