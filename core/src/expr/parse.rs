//! Parser: expression text → untyped syntax tree with byte offsets (the
//! tokens come from [`super::lex`]).
//!
//! Grammar (keywords case-insensitive):
//!
//! ```text
//! expr      := and ('or' and)*
//! and       := unary ('and' unary)*
//! unary     := 'not' unary | '(' expr ')' | 'true' | 'false' | predicate
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

pub(crate) use super::lex::{CmpOp, TextOp};
use super::lex::{Kw, Tok, describe, lex};
use crate::error::ExprError;
use crate::limits::{MAX_EXPRESSION_BYTES, MAX_EXPRESSION_DEPTH};

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
    /// `true` or `false` as a whole condition: a rule that always applies
    /// is written `true`, and a field can't be named either (both are
    /// keywords), so a bare literal is never a field.
    Const(bool),
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
            Tok::Kw(Kw::True) => Ok(Ast::Const(true)),
            Tok::Kw(Kw::False) => Ok(Ast::Const(false)),
            other => Err(unexpected(
                &other,
                at,
                "a field name, 'not', '(', 'true' or 'false'",
            )),
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
    fn true_and_false_are_conditions_and_values() {
        assert_eq!(parse("TRUE").unwrap(), Ast::Const(true));
        let Ast::And(terms) = parse("false and b2b = true").unwrap() else {
            panic!("not an and")
        };
        assert_eq!(terms[0], Ast::Const(false));
        let Ast::Pred {
            field,
            test: Test::Cmp { value, .. },
            ..
        } = &terms[1]
        else {
            panic!("b2b = true is no comparison")
        };
        assert_eq!(
            (field.as_str(), &value.value),
            ("b2b", &LitValue::Bool(true))
        );
        // A literal is no field: it can't be compared.
        assert_eq!(
            err("true = b2b"),
            "expected 'and', 'or' or the end of the expression, found '=' at offset 5"
        );
        assert_eq!(
            err("= 1"),
            "expected a field name, 'not', '(', 'true' or 'false', found '=' at offset 0"
        );
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
