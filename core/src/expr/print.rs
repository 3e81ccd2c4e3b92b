//! Printer: syntax tree → expression text in one canonical form, which
//! parses back to the same tree. Keywords are lower case, tokens are one
//! space apart, lists are `(a, b)`, and parentheses appear only where the
//! tree needs them: around an `or` inside an `and` or a `not`, and around a
//! term of the same kind (`(a or b) or c` keeps its grouping).

use std::fmt::{self, Display, Formatter, Write};

use super::lex::Kw;
use super::parse::{Ast, Lit, LitValue, Test};

impl Display for Ast {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Ast::Or(terms) => join(f, terms, " or ", |term| matches!(term, Ast::Or(_))),
            Ast::And(terms) => join(f, terms, " and ", |term| {
                matches!(term, Ast::Or(_) | Ast::And(_))
            }),
            Ast::Not(inner) => {
                f.write_str("not ")?;
                grouped(f, inner, matches!(**inner, Ast::Or(_) | Ast::And(_)))
            }
            Ast::Const(value) => write!(f, "{value}"),
            Ast::Pred { field, test, .. } => {
                write_field(f, field)?;
                write_test(f, test)
            }
        }
    }
}

fn join(
    f: &mut Formatter<'_>,
    terms: &[Ast],
    separator: &str,
    needs_parentheses: impl Fn(&Ast) -> bool,
) -> fmt::Result {
    for (n, term) in terms.iter().enumerate() {
        if n > 0 {
            f.write_str(separator)?;
        }
        grouped(f, term, needs_parentheses(term))?;
    }
    Ok(())
}

fn grouped(f: &mut Formatter<'_>, ast: &Ast, parentheses: bool) -> fmt::Result {
    if parentheses {
        write!(f, "({ast})")
    } else {
        write!(f, "{ast}")
    }
}

fn write_test(f: &mut Formatter<'_>, test: &Test) -> fmt::Result {
    let not = |negated: bool| if negated { " not" } else { "" };
    match test {
        Test::Cmp { op, value, .. } => write!(f, " {} {value}", op.as_str()),
        Test::In {
            negated, values, ..
        } => {
            write!(f, "{} in (", not(*negated))?;
            for (n, value) in values.iter().enumerate() {
                if n > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{value}")?;
            }
            f.write_char(')')
        }
        Test::Between {
            negated, low, high, ..
        } => write!(f, "{} between {low} and {high}", not(*negated)),
        Test::IsNull { negated } => write!(f, " is{} null", not(*negated)),
        Test::Text {
            negated, op, value, ..
        } => write!(f, "{} {} {value}", not(*negated), op.as_str()),
    }
}

/// A field as the lexer reads it back: a bare dotted name where it is one,
/// else `class.'Customer size'`, the quoted form for a label after the
/// first dot.
fn write_field(f: &mut Formatter<'_>, field: &str) -> fmt::Result {
    let bare = field.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && field
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        && Kw::parse(field).is_none();
    match field.split_once('.') {
        Some((prefix, label)) if !bare => {
            write!(f, "{prefix}.")?;
            write_quoted(f, label)
        }
        _ => f.write_str(field),
    }
}

fn write_quoted(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('\'')?;
    for part in text.split_inclusive('\'') {
        f.write_str(part)?;
        if part.ends_with('\'') {
            f.write_char('\'')?;
        }
    }
    f.write_char('\'')
}

impl Display for Lit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.value {
            LitValue::Text(text) => write_quoted(f, text),
            LitValue::Number(number) => write!(f, "{number}"),
            LitValue::Date(date) => write!(f, "{date}"),
            LitValue::Bool(value) => write!(f, "{value}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::Date;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::super::parse::{CmpOp, TextOp, parse};
    use super::*;

    fn canonical(src: &str) -> String {
        parse(src).unwrap().to_string()
    }

    #[test]
    fn prints_one_canonical_form() {
        let cases = [
            (
                "Country  IN('NL','BE')AND NOT(x=1 OR y=2)",
                "Country in ('NL', 'BE') and not (x = 1 or y = 2)",
            ),
            ("((a = 1))", "a = 1"),
            ("(a = 1 or b = 2) or c = 3", "(a = 1 or b = 2) or c = 3"),
            ("a = 1 or b = 2 and c = 3", "a = 1 or b = 2 and c = 3"),
            ("(a = 1 or b = 2) and c = 3", "(a = 1 or b = 2) and c = 3"),
            ("not not a is not null", "not not a is not null"),
            ("name = 'O''Brien'", "name = 'O''Brien'"),
            (
                "class.'Customer size' not between 'A' and 'C'",
                "class.'Customer size' not between 'A' and 'C'",
            ),
            ("class.'size' = 'XL'", "class.size = 'XL'"),
            (
                "x >= -1.50 and d < 2026-01-31 and b = TRUE",
                "x >= -1.50 and d < 2026-01-31 and b = true",
            ),
            ("email NOT ends_with '@x.nl'", "email not ends_with '@x.nl'"),
            ("x <> 1", "x != 1"),
            ("TRUE", "true"),
            ("(False)", "false"),
            ("True AND b2b = TRUE", "true and b2b = true"),
            ("not (true or false)", "not (true or false)"),
        ];
        for (src, want) in cases {
            assert_eq!(canonical(src), want, "{src}");
            assert_eq!(canonical(want), want, "{want} is not a fixed point");
        }
    }

    /// The tree with every offset zero, to compare trees of different texts.
    fn without_offsets(ast: Ast) -> Ast {
        let lit = |lit: Lit| Lit { offset: 0, ..lit };
        match ast {
            Ast::Or(terms) => Ast::Or(terms.into_iter().map(without_offsets).collect()),
            Ast::And(terms) => Ast::And(terms.into_iter().map(without_offsets).collect()),
            Ast::Not(inner) => Ast::Not(Box::new(without_offsets(*inner))),
            Ast::Const(value) => Ast::Const(value),
            Ast::Pred { field, test, .. } => Ast::Pred {
                field,
                offset: 0,
                test: match test {
                    Test::Cmp { op, value, .. } => Test::Cmp {
                        op,
                        offset: 0,
                        value: lit(value),
                    },
                    Test::In {
                        negated, values, ..
                    } => Test::In {
                        negated,
                        offset: 0,
                        values: values.into_iter().map(lit).collect(),
                    },
                    Test::Between {
                        negated, low, high, ..
                    } => Test::Between {
                        negated,
                        offset: 0,
                        low: lit(low),
                        high: lit(high),
                    },
                    Test::IsNull { negated } => Test::IsNull { negated },
                    Test::Text {
                        negated, op, value, ..
                    } => Test::Text {
                        negated,
                        op,
                        offset: 0,
                        value: lit(value),
                    },
                },
            },
        }
    }

    fn literal() -> impl Strategy<Value = Lit> {
        prop_oneof![
            any::<String>().prop_map(LitValue::Text),
            (any::<i64>(), 0u32..12)
                .prop_map(|(n, scale)| LitValue::Number(Decimal::new(n, scale))),
            (1i16..9999, 1i8..13, 1i8..29)
                .prop_map(|(y, m, d)| LitValue::Date(Date::constant(y, m, d))),
            any::<bool>().prop_map(LitValue::Bool),
        ]
        .prop_map(|value| Lit { value, offset: 0 })
    }

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z_][a-z0-9_]{0,8}(\\.[a-z0-9_]{1,8}){0,2}",
            "class\\.\\PC{0,12}".prop_map(String::from),
        ]
        .prop_filter("a keyword is no field", |field| Kw::parse(field).is_none())
    }

    fn test_of_field() -> impl Strategy<Value = Test> {
        let cmp = prop_oneof![
            Just(CmpOp::Eq),
            Just(CmpOp::Ne),
            Just(CmpOp::Lt),
            Just(CmpOp::Le),
            Just(CmpOp::Gt),
            Just(CmpOp::Ge)
        ];
        let text = prop_oneof![
            Just(TextOp::StartsWith),
            Just(TextOp::EndsWith),
            Just(TextOp::Contains)
        ];
        prop_oneof![
            (cmp, literal()).prop_map(|(op, value)| Test::Cmp {
                op,
                offset: 0,
                value
            }),
            (any::<bool>(), prop::collection::vec(literal(), 1..4)).prop_map(
                |(negated, values)| Test::In {
                    negated,
                    offset: 0,
                    values
                }
            ),
            (any::<bool>(), literal(), literal()).prop_map(|(negated, low, high)| Test::Between {
                negated,
                offset: 0,
                low,
                high
            }),
            any::<bool>().prop_map(|negated| Test::IsNull { negated }),
            (any::<bool>(), text, literal()).prop_map(|(negated, op, value)| Test::Text {
                negated,
                op,
                offset: 0,
                value
            }),
        ]
    }

    fn tree() -> impl Strategy<Value = Ast> {
        let leaf = prop_oneof![
            8 => (field(), test_of_field()).prop_map(|(field, test)| Ast::Pred {
                field,
                offset: 0,
                test,
            }),
            1 => any::<bool>().prop_map(Ast::Const),
        ];
        leaf.prop_recursive(5, 40, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Ast::Or),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Ast::And),
                inner.prop_map(|ast| Ast::Not(Box::new(ast))),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// parse(print(tree)) is the tree: the printer loses nothing.
        #[test]
        fn printed_trees_parse_back_to_themselves(ast in tree()) {
            let text = ast.to_string();
            let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            prop_assert_eq!(without_offsets(back), ast, "{}", text);
        }
    }
}
