//! Lexer and parser: expression text → untyped syntax tree with byte offsets.
//!
//! Grammar (keywords case-insensitive):
//!
//! ```text
//! expr      := and ('or' and)*
//! and       := unary ('and' unary)*
//! unary     := 'not' unary | '(' expr ')' | predicate
//! predicate := field cmp value
//!            | field ['not'] 'in' '(' value (',' value)* ')'
//!            | field ['not'] 'between' value 'and' value
//!            | field 'is' ['not'] 'null'
//!            | field ['not'] ('starts_with' | 'ends_with' | 'contains') value
//! cmp       := '=' | '!=' | '<' | '<=' | '>' | '>='
//! value     := 'text' | 123.45 | 2026-01-31 | true | false
//! field     := name ('.' name)* | 'class' '.' 'quoted label'
//! ```

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::error::ExprError;
use crate::limits::{MAX_EXPRESSION_BYTES, MAX_EXPRESSION_DEPTH};
use crate::scalar;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
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

fn describe(tok: &Tok) -> String {
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

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
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

/// A literal value with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lit {
    pub value: LitValue,
    pub offset: usize,
}

/// The kinds of literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LitValue {
    Text(String),
    Number(Decimal),
    Date(Date),
    Bool(bool),
}

/// The untyped syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ast {
    Or(Vec<Ast>),
    And(Vec<Ast>),
    Not(Box<Ast>),
    Pred {
        field: String,
        offset: usize,
        test: Test,
    },
}

/// What a predicate checks about its field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    Cmp {
        op: CmpOp,
        offset: usize,
        value: Lit,
    },
    In {
        negated: bool,
        offset: usize,
        values: Vec<Lit>,
    },
    Between {
        negated: bool,
        offset: usize,
        low: Lit,
        high: Lit,
    },
    IsNull {
        negated: bool,
    },
    Text {
        negated: bool,
        op: TextOp,
        offset: usize,
        value: Lit,
    },
}

/// Parses an expression into its syntax tree.
pub(crate) fn parse(src: &str) -> Result<Ast, ExprError> {
    if src.len() > MAX_EXPRESSION_BYTES {
        return Err(ExprError::TooLong {
            offset: MAX_EXPRESSION_BYTES,
            length: src.len(),
            limit: MAX_EXPRESSION_BYTES,
        });
    }
    let tokens = lex(src)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: src.len(),
    };
    let ast = parser.expr(0)?;
    match parser.peek() {
        None => Ok(ast),
        Some((tok, offset)) => Err(ExprError::UnexpectedToken {
            offset,
            expected: "'and', 'or' or the end of the expression".into(),
            found: describe(tok),
        }),
    }
}

struct Parser {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<(&Tok, usize)> {
        self.tokens.get(self.pos).map(|(tok, at)| (tok, *at))
    }

    fn next(&mut self, expected: &str) -> Result<(Tok, usize), ExprError> {
        match self.tokens.get(self.pos) {
            Some((tok, at)) => {
                self.pos += 1;
                Ok((tok.clone(), *at))
            }
            None => Err(ExprError::UnexpectedEnd {
                offset: self.end,
                expected: expected.into(),
            }),
        }
    }

    fn eat_kw(&mut self, kw: Kw) -> bool {
        let found = matches!(self.peek(), Some((Tok::Kw(k), _)) if *k == kw);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, want: &Tok, expected: &str) -> Result<usize, ExprError> {
        let (tok, at) = self.next(expected)?;
        if &tok == want {
            Ok(at)
        } else {
            Err(unexpected(&tok, at, expected))
        }
    }

    fn expr(&mut self, depth: usize) -> Result<Ast, ExprError> {
        let mut terms = vec![self.and(depth)?];
        while self.eat_kw(Kw::Or) {
            terms.push(self.and(depth)?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Ast::Or(terms)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Ast, ExprError> {
        let mut terms = vec![self.unary(depth)?];
        while self.eat_kw(Kw::And) {
            terms.push(self.unary(depth)?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Ast::And(terms)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Ast, ExprError> {
        if depth >= MAX_EXPRESSION_DEPTH {
            let offset = self.peek().map_or(self.end, |(_, at)| at);
            return Err(ExprError::TooDeep {
                offset,
                limit: MAX_EXPRESSION_DEPTH,
            });
        }
        let (tok, at) = self.next("a condition")?;
        match tok {
            Tok::Kw(Kw::Not) => Ok(Ast::Not(Box::new(self.unary(depth + 1)?))),
            Tok::LParen => {
                let inner = self.expr(depth + 1)?;
                self.expect(
                    &Tok::RParen,
                    &format!("')' to close the '(' at offset {at}"),
                )
                .map(|_| inner)
            }
            Tok::Ident(field) => self.predicate(field, at),
            other => Err(unexpected(&other, at, "a field name, 'not' or '('")),
        }
    }

    fn predicate(&mut self, field: String, offset: usize) -> Result<Ast, ExprError> {
        let after = format!("an operator after '{field}'");
        let (tok, at) = self.next(&after)?;
        let test = match tok {
            Tok::Cmp(op) => Test::Cmp {
                op,
                offset: at,
                value: self.value(&format!("a value after '{}'", op.as_str()))?,
            },
            Tok::Kw(Kw::Is) => {
                let negated = self.eat_kw(Kw::Not);
                let (tok, at) = self.next("'null' after 'is'")?;
                if tok != Tok::Kw(Kw::Null) {
                    return Err(unexpected(&tok, at, "'null' after 'is'"));
                }
                Test::IsNull { negated }
            }
            Tok::Kw(Kw::Not) => {
                let (tok, at) = self.next("'in', 'between' or a text operator after 'not'")?;
                self.negatable(tok, at, true)?
            }
            tok => self.negatable(tok, at, false)?,
        };
        Ok(Ast::Pred {
            field,
            offset,
            test,
        })
    }

    fn negatable(&mut self, tok: Tok, at: usize, negated: bool) -> Result<Test, ExprError> {
        let prefix = if negated { "not " } else { "" };
        match tok {
            Tok::Kw(Kw::In) => {
                let open = format!("'(' after '{prefix}in'");
                self.expect(&Tok::LParen, &open)?;
                let first = format!("a value after '{prefix}in ('");
                let mut values = vec![self.value(&first)?];
                loop {
                    let (tok, sep) = self.next("',' or ')' in the list")?;
                    match tok {
                        Tok::Comma => values.push(self.value("a value after ','")?),
                        Tok::RParen => break,
                        other => return Err(unexpected(&other, sep, "',' or ')' in the list")),
                    }
                }
                Ok(Test::In {
                    negated,
                    offset: at,
                    values,
                })
            }
            Tok::Kw(Kw::Between) => {
                let low = self.value(&format!("a value after '{prefix}between'"))?;
                let (tok, and_at) = self.next("'and' in 'between … and …'")?;
                if tok != Tok::Kw(Kw::And) {
                    return Err(unexpected(&tok, and_at, "'and' in 'between … and …'"));
                }
                let high = self.value("a value after 'between … and'")?;
                Ok(Test::Between {
                    negated,
                    offset: at,
                    low,
                    high,
                })
            }
            Tok::Kw(Kw::Text(op)) => Ok(Test::Text {
                negated,
                op,
                offset: at,
                value: self.value(&format!("a value after '{}'", op.as_str()))?,
            }),
            other if negated => Err(unexpected(
                &other,
                at,
                "'in', 'between', 'starts_with', 'ends_with' or 'contains' after 'not'",
            )),
            other => Err(unexpected(
                &other,
                at,
                "an operator (=, !=, <, <=, >, >=, in, between, is, starts_with, ends_with, contains)",
            )),
        }
    }

    fn value(&mut self, expected: &str) -> Result<Lit, ExprError> {
        let (tok, offset) = self.next(expected)?;
        let value = match tok {
            Tok::Str(text) => LitValue::Text(text),
            Tok::Num(number) => LitValue::Number(number),
            Tok::Date(date) => LitValue::Date(date),
            Tok::Kw(Kw::True) => LitValue::Bool(true),
            Tok::Kw(Kw::False) => LitValue::Bool(false),
            other => return Err(unexpected(&other, offset, expected)),
        };
        Ok(Lit { value, offset })
    }
}

fn unexpected(tok: &Tok, offset: usize, expected: &str) -> ExprError {
    ExprError::UnexpectedToken {
        offset,
        expected: expected.to_owned(),
        found: describe(tok),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> String {
        parse(src).unwrap_err().to_string()
    }

    #[test]
    fn precedence_and_binds_tighter_than_or() {
        let ast = parse("a = 1 or b = 2 and c = 3").unwrap();
        let Ast::Or(terms) = ast else {
            panic!("not an or")
        };
        assert!(matches!(terms[1], Ast::And(_)));
    }

    #[test]
    fn keywords_are_case_insensitive_and_strings_escape_quotes() {
        let ast = parse("name IS NOT NULL AND name = 'O''Brien'").unwrap();
        let Ast::And(terms) = ast else {
            panic!("not an and")
        };
        let Ast::Pred {
            test: Test::Cmp { value, .. },
            ..
        } = &terms[1]
        else {
            panic!()
        };
        assert_eq!(value.value, LitValue::Text("O'Brien".into()));
    }

    #[test]
    fn quoted_slot_label() {
        let Ast::Pred { field, .. } = parse("class.'Customer size' = 'XL'").unwrap() else {
            panic!()
        };
        assert_eq!(field, "class.Customer size");
    }

    #[test]
    fn errors_name_offset_and_expectation() {
        assert_eq!(
            err("country in ("),
            "expected a value after 'in (' at offset 12, but the expression ends there"
        );
        assert_eq!(
            err("country in (,"),
            "expected a value after 'in (', found ',' at offset 12"
        );
        assert_eq!(
            err("name = 'abc"),
            "string starting at offset 7 is not closed with '"
        );
        assert_eq!(
            err("created_at > 2026-02-30"),
            "'2026-02-30' at offset 13 is not a valid date (YYYY-MM-DD)"
        );
        assert_eq!(
            err("x = 1.2.3"),
            "'1.2.3' at offset 4 is not a decimal number"
        );
        assert_eq!(
            err("x = 1 y"),
            "expected 'and', 'or' or the end of the expression, found 'y' at offset 6"
        );
        assert_eq!(err("x # 1"), "unexpected character '#' at offset 2");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let src = "(".repeat(100_000) + "x = 1" + &")".repeat(100_000);
        assert!(matches!(parse(&src), Err(ExprError::TooDeep { .. })));
    }
}
