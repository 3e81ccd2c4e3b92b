//! Lexer: expression text → tokens with their byte offsets.

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::error::ExprError;
use crate::scalar;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Str(String),
    Num(Decimal),
    Date(Date),
    LParen,
    RParen,
    Comma,
    Cmp(CmpOp),
    Kw(Kw),
}

/// The comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// The text operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextOp {
    StartsWith,
    EndsWith,
    Contains,
}

impl TextOp {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TextOp::StartsWith => "starts_with",
            TextOp::EndsWith => "ends_with",
            TextOp::Contains => "contains",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
    And,
    Or,
    Not,
    In,
    Is,
    Null,
    Between,
    True,
    False,
    Text(TextOp),
}

impl Kw {
    pub(crate) fn parse(word: &str) -> Option<Kw> {
        Some(match word.to_ascii_lowercase().as_str() {
            "and" => Kw::And,
            "or" => Kw::Or,
            "not" => Kw::Not,
            "in" => Kw::In,
            "is" => Kw::Is,
            "null" => Kw::Null,
            "between" => Kw::Between,
            "true" => Kw::True,
            "false" => Kw::False,
            "starts_with" => Kw::Text(TextOp::StartsWith),
            "ends_with" => Kw::Text(TextOp::EndsWith),
            "contains" => Kw::Text(TextOp::Contains),
            _ => return None,
        })
    }
}

pub(super) fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(name) => format!("'{name}'"),
        Tok::Str(text) => format!("'{}'", text.replace('\'', "''")),
        Tok::Num(number) => number.to_string(),
        Tok::Date(date) => date.to_string(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::Cmp(op) => format!("'{}'", op.as_str()),
        Tok::Kw(kw) => format!("'{}'", kw_str(*kw)),
    }
}

fn kw_str(kw: Kw) -> &'static str {
    match kw {
        Kw::And => "and",
        Kw::Or => "or",
        Kw::Not => "not",
        Kw::In => "in",
        Kw::Is => "is",
        Kw::Null => "null",
        Kw::Between => "between",
        Kw::True => "true",
        Kw::False => "false",
        Kw::Text(op) => op.as_str(),
    }
}

pub(super) fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' | b')' | b',' | b'=' => {
                let tok = match b {
                    b'(' => Tok::LParen,
                    b')' => Tok::RParen,
                    b',' => Tok::Comma,
                    _ => Tok::Cmp(CmpOp::Eq),
                };
                out.push((tok, i));
                i += 1;
            }
            b'!' | b'<' | b'>' => {
                let next = bytes.get(i + 1).copied();
                let (op, len) = match (b, next) {
                    (b'!', Some(b'=')) => (CmpOp::Ne, 2),
                    (b'<', Some(b'>')) => (CmpOp::Ne, 2),
                    (b'<', Some(b'=')) => (CmpOp::Le, 2),
                    (b'<', _) => (CmpOp::Lt, 1),
                    (b'>', Some(b'=')) => (CmpOp::Ge, 2),
                    (b'>', _) => (CmpOp::Gt, 1),
                    _ => {
                        return Err(ExprError::UnexpectedCharacter {
                            offset: i,
                            found: '!',
                        });
                    }
                };
                out.push((Tok::Cmp(op), i));
                i += len;
            }
            b'\'' => {
                let (text, end) = lex_string(src, i)?;
                out.push((Tok::Str(text), start));
                i = end;
            }
            b'0'..=b'9' | b'-' => {
                let end = scan(bytes, i + 1, |c| {
                    c.is_ascii_digit() || c == b'.' || c == b'-'
                });
                let text = src.get(start..end).unwrap_or_default();
                out.push((number_or_date(text, start)?, start));
                i = end;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let mut end = scan(bytes, i, |c| {
                    c.is_ascii_alphanumeric() || c == b'_' || c == b'.'
                });
                let mut name = src.get(start..end).unwrap_or_default().to_owned();
                // `class.'Customer size'`: a quoted label finishes a dotted name.
                if name.ends_with('.') && bytes.get(end) == Some(&b'\'') {
                    let (label, after) = lex_string(src, end)?;
                    name.push_str(&label);
                    end = after;
                    out.push((Tok::Ident(name), start));
                } else {
                    match Kw::parse(&name) {
                        Some(kw) => out.push((Tok::Kw(kw), start)),
                        None => out.push((Tok::Ident(name), start)),
                    }
                }
                i = end;
            }
            _ => {
                let found = src
                    .get(i..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or('?');
                return Err(ExprError::UnexpectedCharacter { offset: i, found });
            }
        }
    }
    Ok(out)
}

fn scan(bytes: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while bytes.get(i).is_some_and(|&c| keep(c)) {
        i += 1;
    }
    i
}

/// Reads `'…'` starting at the quote; `''` inside stands for one quote.
fn lex_string(src: &str, quote: usize) -> Result<(String, usize), ExprError> {
    let mut text = String::new();
    let mut chars = src
        .get(quote + 1..)
        .unwrap_or_default()
        .char_indices()
        .peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|&(_, c)| c) == Some('\'') {
                chars.next();
                text.push('\'');
            } else {
                return Ok((text, quote + 1 + at + 1));
            }
        } else {
            text.push(c);
        }
    }
    Err(ExprError::UnterminatedString { offset: quote })
}

fn number_or_date(text: &str, offset: usize) -> Result<Tok, ExprError> {
    let looks_like_date = text.len() > 4 && text.as_bytes().get(4) == Some(&b'-');
    if looks_like_date {
        return text
            .parse::<Date>()
            .ok()
            .filter(|_| text.len() == 10)
            .map(Tok::Date)
            .ok_or_else(|| ExprError::InvalidDate {
                offset,
                text: text.to_owned(),
            });
    }
    scalar::decimal(text)
        .ok()
        .map(Tok::Num)
        .ok_or_else(|| ExprError::InvalidNumber {
            offset,
            text: text.to_owned(),
        })
}
