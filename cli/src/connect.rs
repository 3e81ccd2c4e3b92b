//! `custclass connect`: a webshop's customer payload in (Shopify,
//! WooCommerce, Magento), our customer with its findings or an ERP's body
//! out (Exact Online, e-conomic, Reviso). One payload per file, or JSON
//! lines with one payload per line.
//!
//! A payload is checked in the order a receiver must: its size, then its
//! signature (over the bytes as they are, when `--secret-env` asks for it),
//! then its text, then its JSON. A refused payload is told on standard error
//! with its code and costs exit code 1; in JSON lines the good lines are
//! still written.

use std::ffi::OsString;
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use custclass::limits::MAX_PAYLOAD_BYTES;
use custclass::{ConnectError, Engine, Exported, Finding, ImportOptions, Imported};

use crate::output::Destination;
use crate::{Fatal, input};

/// The webshop a payload comes from.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Platform {
    /// A Shopify `customers/create` or `customers/update` webhook body.
    Shopify,
    /// A WooCommerce REST `wc/v3` customer (or its webhook body).
    Woocommerce,
    /// A Magento 2 REST customer.
    Magento,
}

/// The ERP whose body to make.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum System {
    /// Exact Online `crm/Accounts`.
    Exact,
    /// e-conomic `POST /customers`.
    Economic,
    /// Reviso `POST /customers`.
    Reviso,
}

/// What `custclass connect` was asked to do.
pub(crate) struct Connect {
    pub(crate) from: Platform,
    pub(crate) to: Option<System>,
    pub(crate) setup: Option<PathBuf>,
    pub(crate) vat_meta_keys: Vec<String>,
    pub(crate) lines: bool,
    pub(crate) secret_env: Option<OsString>,
    pub(crate) signature: Option<String>,
    pub(crate) input: PathBuf,
    pub(crate) out: Option<PathBuf>,
}

pub(crate) fn connect(args: Connect) -> Result<ExitCode, Fatal> {
    let mut inputs = vec![args.input.as_path()];
    inputs.extend(args.setup.as_deref());
    let destination = Destination::new(args.out.as_deref(), &inputs)?;
    let converter = Converter::new(&args)?;
    let secret = match &args.secret_env {
        Some(variable) => Some(secret(args.from, variable)?),
        None => None,
    };
    let name = input::name(&args.input);
    let mut reader = input::open(&args.input)?;
    if args.lines {
        return lines(&converter, &mut reader, destination, &name);
    }
    let checked = Checked {
        secret: secret.as_deref(),
        signature: args.signature.as_deref(),
    };
    let converted = read_payload(&mut reader)
        .map_err(|err| Fatal(format!("{name}: {err}")))?
        .and_then(|raw| checked.verify(args.from, &raw).map(|()| raw))
        .and_then(|raw| custclass::payload_text(&raw))
        .and_then(|text| converter.convert(&text));
    let converted = match converted {
        Ok(converted) => converted,
        Err(err) => {
            eprintln!("rejected: {name}: [{}] {err}", err.code());
            return Ok(ExitCode::from(1));
        }
    };
    warn(&name, &converted.findings);
    let mut output = destination.create()?;
    converted.document.write(&mut output, true)?;
    writeln!(output)?;
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// The secret in the environment variable `--secret-env` names: its bytes
/// as they are (a secret is compared byte for byte).
fn secret(from: Platform, variable: &OsString) -> Result<Vec<u8>, Fatal> {
    if from == Platform::Magento {
        return Err(Fatal(
            "--secret-env: Magento sends no signed webhooks; signatures are checked for shopify and woocommerce".to_owned(),
        ));
    }
    match std::env::var_os(variable) {
        Some(value) if !value.is_empty() => Ok(value.into_encoded_bytes()),
        _ => Err(Fatal(format!(
            "--secret-env {}: the variable is not set or empty, so the signature can't be checked",
            variable.to_string_lossy()
        ))),
    }
}

/// A signature check asked for with `--secret-env` (and the header's value
/// from `--signature`), or none.
struct Checked<'a> {
    secret: Option<&'a [u8]>,
    signature: Option<&'a str>,
}

impl Checked<'_> {
    fn verify(&self, from: Platform, body: &[u8]) -> Result<(), ConnectError> {
        let Some(secret) = self.secret else {
            return Ok(());
        };
        match from {
            Platform::Shopify => custclass::verify_shopify_webhook(body, secret, self.signature),
            Platform::Woocommerce => {
                custclass::verify_woocommerce_webhook(body, secret, self.signature)
            }
            // Refused before anything was read (`secret`).
            Platform::Magento => Ok(()),
        }
    }
}

/// One payload converted: the JSON to write and the findings to tell.
struct Converted {
    document: Document,
    findings: Vec<Finding>,
}

/// What `connect` writes for a payload.
enum Document {
    Imported(Box<Imported>),
    Exported(Box<Exported>),
}

impl Document {
    /// Writes the document as JSON: indented for a document of its own,
    /// on one line for JSON lines.
    fn write(&self, out: &mut impl Write, indented: bool) -> serde_json::Result<()> {
        match (self, indented) {
            (Document::Imported(imported), true) => serde_json::to_writer_pretty(out, imported),
            (Document::Imported(imported), false) => serde_json::to_writer(out, imported),
            (Document::Exported(exported), true) => serde_json::to_writer_pretty(out, exported),
            (Document::Exported(exported), false) => serde_json::to_writer(out, exported),
        }
    }
}

/// Turns payloads into documents: the platform's reader, and the ERP's
/// mapping with its engine when `--to` asks for one.
struct Converter {
    from: Platform,
    options: ImportOptions,
    to: Option<(System, Engine)>,
}

impl Converter {
    fn new(args: &Connect) -> Result<Converter, Fatal> {
        let mut options = ImportOptions::default();
        if !args.vat_meta_keys.is_empty() {
            if args.from != Platform::Woocommerce {
                return Err(Fatal(
                    "--vat-meta-key: only WooCommerce keeps VAT numbers in meta data (--from woocommerce)".to_owned(),
                ));
            }
            // Through the options' JSON door, which checks the keys as
            // every binding's options are checked.
            let json = serde_json::json!({ "vat_meta_keys": args.vat_meta_keys });
            options = ImportOptions::from_json(&json.to_string())
                .map_err(|err| Fatal(format!("--vat-meta-key: {err} ({})", err.code())))?;
        }
        let to = match (args.to, &args.setup) {
            (Some(system), Some(setup)) => {
                let engine = Engine::new(crate::read_setup(setup)?)
                    .map_err(|err| Fatal(crate::describe_setup(setup, &err)))?;
                Some((system, engine))
            }
            (Some(_), None) => return Err(Fatal("--to needs --setup".to_owned())),
            (None, _) => None,
        };
        Ok(Converter {
            from: args.from,
            options,
            to,
        })
    }

    fn convert(&self, payload: &str) -> Result<Converted, ConnectError> {
        let imported = match self.from {
            Platform::Shopify => custclass::from_shopify(payload, &self.options),
            Platform::Woocommerce => custclass::from_woocommerce(payload, &self.options),
            Platform::Magento => custclass::from_magento(payload, &self.options),
        }?;
        let Some((system, engine)) = &self.to else {
            return Ok(Converted {
                findings: imported.findings.clone(),
                document: Document::Imported(Box::new(imported)),
            });
        };
        let exported = match system {
            System::Exact => engine.to_exact(&imported.customer),
            System::Economic => engine.to_economic(&imported.customer),
            System::Reviso => engine.to_reviso(&imported.customer),
        }?;
        let mut findings = imported.findings;
        findings.extend(exported.findings.iter().cloned());
        Ok(Converted {
            findings,
            document: Document::Exported(Box::new(exported)),
        })
    }
}

/// Tells the findings on standard error: they are in an imported
/// customer's JSON too, but an ERP body has no place for the customer's.
fn warn(place: &str, findings: &[Finding]) {
    for finding in findings {
        eprintln!(
            "warning: {place}: {}: [{}] {}",
            finding.field, finding.code, finding.message
        );
    }
}

/// The whole payload, or `payload_too_large` with its size, read with no
/// more than the limit (and a byte) in memory however large the input is.
fn read_payload(reader: &mut dyn BufRead) -> io::Result<Result<Vec<u8>, ConnectError>> {
    let mut raw = Vec::new();
    let most = u64::try_from(MAX_PAYLOAD_BYTES).unwrap_or(u64::MAX);
    reader.take(most.saturating_add(1)).read_to_end(&mut raw)?;
    if raw.len() <= MAX_PAYLOAD_BYTES {
        return Ok(Ok(raw));
    }
    let rest = io::copy(reader, &mut io::sink())?;
    let bytes = usize::try_from(rest)
        .unwrap_or(usize::MAX)
        .saturating_add(raw.len());
    Ok(Err(too_large(bytes)))
}

fn too_large(bytes: usize) -> ConnectError {
    ConnectError::PayloadTooLarge {
        bytes,
        limit: MAX_PAYLOAD_BYTES,
    }
}

/// JSON lines: one payload per line, each written or rejected on its own.
fn lines(
    converter: &Converter,
    reader: &mut dyn BufRead,
    destination: Destination,
    name: &str,
) -> Result<ExitCode, Fatal> {
    let failed = |err: io::Error| Fatal(format!("{name}: {err}"));
    let mut decoded = custclass::encoding::decoded(reader, None).map_err(failed)?;
    let mut output = destination.create()?;
    let (mut read, mut rejected) = (0_usize, 0_usize);
    let mut line = Vec::new();
    let mut number = 0_u64;
    while let Some(length) = read_line(&mut decoded, &mut line).map_err(failed)? {
        number += 1;
        // Kept whole when it isn't too long, with the `\r` of a `\r\n`.
        let content = line.strip_suffix(b"\r").unwrap_or(&line);
        if length <= MAX_PAYLOAD_BYTES && content.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        read += 1;
        let outcome = match length {
            bytes if bytes > MAX_PAYLOAD_BYTES => Err(too_large(bytes)),
            _ => custclass::payload_text(content).and_then(|text| converter.convert(&text)),
        };
        match outcome {
            Ok(converted) => {
                warn(&format!("line {number}"), &converted.findings);
                converted.document.write(&mut output, false)?;
                writeln!(output)?;
            }
            Err(err) => {
                rejected += 1;
                eprintln!("rejected: line {number}: [{}] {err}", err.code());
            }
        }
    }
    output.finish()?;
    eprintln!(
        "{read} payload(s) read: {} converted, {rejected} rejected",
        read - rejected
    );
    Ok(match rejected {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

/// Reads one line into `line`, without its `\n`, keeping no more than the
/// payload limit and a byte of it (a line of a gigabyte is refused, not
/// held); returns the line's length without its line end (`\n` or
/// `\r\n`), `None` at the end of the input.
fn read_line(input: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<Option<usize>> {
    line.clear();
    // The longest payload and its `\r`; a line longer than that is refused
    // on its length alone.
    let keep_at_most = MAX_PAYLOAD_BYTES + 1;
    let (mut length, mut last, mut any) = (0_usize, None, false);
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(any.then_some(length));
        }
        any = true;
        let end = buffer.iter().position(|byte| *byte == b'\n');
        let content = buffer
            .get(..end.unwrap_or(buffer.len()))
            .unwrap_or_default();
        let room = keep_at_most.saturating_sub(line.len()).min(content.len());
        line.extend_from_slice(content.get(..room).unwrap_or_default());
        length += content.len();
        last = content.last().copied().or(last);
        let used = content.len() + usize::from(end.is_some());
        input.consume(used);
        if end.is_some() {
            return Ok(Some(length - usize::from(last == Some(b'\r'))));
        }
    }
}
