//! A classification as canonical JSON (keys sorted, no whitespace), in the
//! pieces a table's rows share: B2B, one slot, and the rest from the
//! fingerprint on. `canonical::to_string` of a `Classification` gives the
//! same bytes; the tests hold them side by side.

use std::io::Write;

use super::text::json_str;
use crate::classification::{Assigned, Classification, Source};

/// The whole classification: `{"b2b":…,"classes":{…},"customer":…,…}`.
pub(super) fn classification(out: &mut Vec<u8>, result: &Classification) {
    out.extend_from_slice(b"{\"b2b\":");
    b2b(out, &result.b2b);
    out.extend_from_slice(b",\"classes\":{");
    let mut first = true;
    for slot in 1..=8 {
        if let Some(assigned) = result.classes.get(slot) {
            if !first {
                out.push(b',');
            }
            first = false;
            slot_member(out, slot, assigned);
        }
    }
    out.extend_from_slice(b"},\"customer\":");
    json_str(out, &result.customer.0);
    tail(out, result);
}

/// `{"source":…,"value":true}`.
pub(super) fn b2b(out: &mut Vec<u8>, b2b: &Assigned<bool>) {
    out.extend_from_slice(b"{\"source\":");
    source(out, &b2b.source);
    out.extend_from_slice(if b2b.value {
        b",\"value\":true}"
    } else {
        b",\"value\":false}"
    });
}

/// `"class3":{"source":…,"value":…}`.
pub(super) fn slot_member(out: &mut Vec<u8>, slot: usize, value: &Assigned) {
    let _ = write!(out, "\"class{slot}\":");
    assigned(out, &value.value, &value.source);
}

/// Everything after the customer's id, the closing brace included:
/// `,"fingerprint":…,"group":…,…,"vat_zone":…}`.
pub(super) fn tail(out: &mut Vec<u8>, result: &Classification) {
    let _ = write!(out, ",\"fingerprint\":\"{}\"", result.fingerprint);
    let member = |out: &mut Vec<u8>, key: &[u8], value: Option<&Assigned>| {
        out.extend_from_slice(key);
        match value {
            Some(value) => assigned(out, &value.value, &value.source),
            None => out.extend_from_slice(b"null"),
        }
    };
    member(out, b",\"group\":", result.group.as_ref());
    member(out, b",\"layout\":", result.layout.as_ref());
    member(out, b",\"price_group\":", result.price_group.as_ref());
    member(
        out,
        b",\"receivables_account\":",
        result.receivables_account.as_ref(),
    );
    member(
        out,
        b",\"revenue_account\":",
        result.revenue_account.as_ref(),
    );
    member(out, b",\"type\":", result.customer_type.as_ref());
    out.extend_from_slice(b",\"vat_zone\":");
    match &result.vat_zone {
        Some(zone) => assigned(out, zone.value.as_str(), &zone.source),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

/// `{"source":…,"value":"…"}`.
fn assigned(out: &mut Vec<u8>, value: &str, from: &Source) {
    out.extend_from_slice(b"{\"source\":");
    source(out, from);
    out.extend_from_slice(b",\"value\":");
    json_str(out, value);
    out.push(b'}');
}

/// A source as serde tags it (`{"kind":"rule","rule":"…"}`), its keys
/// sorted.
fn source(out: &mut Vec<u8>, source: &Source) {
    // `{"<detail>":…,"kind":"…"}` or `{"kind":"…","<detail>":…}`, by
    // which key sorts first.
    let detail = |out: &mut Vec<u8>, kind: &str, key: &str, value: &str| {
        out.push(b'{');
        let kind_first = "kind" < key;
        let pair = |out: &mut Vec<u8>, name: &str, value: &str| {
            json_str(out, name);
            out.push(b':');
            json_str(out, value);
        };
        if kind_first {
            pair(out, "kind", kind);
            out.push(b',');
            pair(out, key, value);
        } else {
            pair(out, key, value);
            out.push(b',');
            pair(out, "kind", kind);
        }
        out.push(b'}');
    };
    let kind = source.kind();
    match source {
        Source::Rule { rule } => detail(out, kind, "rule", rule),
        Source::ChannelDefault { channel } => detail(out, kind, "channel", channel),
        Source::ZoneDefault { zone } => detail(out, kind, "zone", zone.as_str()),
        Source::TypeDefault { customer_type } => detail(out, kind, "type", customer_type),
        Source::Group { group } => detail(out, kind, "group", group),
        Source::Country { country } => detail(out, kind, "country", country),
        Source::Manual | Source::SetupDefault | Source::VatNumber | Source::Stored => {
            out.extend_from_slice(b"{\"kind\":");
            json_str(out, kind);
            out.push(b'}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::VatZone;

    #[test]
    fn every_source_is_written_as_serde_writes_it() {
        let sources = [
            Source::Manual,
            Source::Rule {
                rule: "r \"1\"".into(),
            },
            Source::ChannelDefault {
                channel: "webshop".into(),
            },
            Source::ZoneDefault { zone: VatZone::Eu },
            Source::ZoneDefault {
                zone: VatZone::DomesticExempt,
            },
            Source::TypeDefault {
                customer_type: "B".into(),
            },
            Source::SetupDefault,
            Source::Group { group: "EU".into() },
            Source::Country {
                country: "DE".into(),
            },
            Source::VatNumber,
            Source::Stored,
        ];
        for from in sources {
            let mut out = Vec::new();
            source(&mut out, &from);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                crate::canonical::to_string(&from)
            );
        }
    }
}
