//! Auto-coding rules, in casecode's RON file or in the subset of KH Coder's `.cod` format that
//! researchers already have:
//!
//! ```text
//! ＊[レスパイトの調整]
//! レスパイト or 短期入所 or ( 預ける and not 病院 )
//! ＊[就学に向けた準備]
//! near(就学-相談)[5] or seq(特別支援学校-見学)[3] or '就学相談' or 学校-->名詞
//! ```
//!
//! A word matches by base form; `'…'` is a raw substring; `語-->品詞` a word with that part of
//! speech; `<>変数-->値` a case attribute; `near(A-B)[n]` all words within n words of each
//! other; `seq(A-B)[n]` the words in that order, each within n words of the previous. `not`
//! binds tighter than `and`, `and` tighter than `or`. Malformed rules fail with line and column.

use serde::{Deserialize, Serialize};

/// A condition over one unit of text (a sentence or an utterance).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// A word by base form.
    Word(String),
    /// A word by base form and part of speech (品詞, first level).
    WordPos(String, String),
    /// A raw substring (after folding, like search).
    Substring(String),
    /// A case attribute equal to a value.
    Attribute(String, String),
    /// All words within `window` words of each other.
    Near(Vec<String>, usize),
    /// The words in this order, each within `window` words of the previous.
    Seq(Vec<String>, usize),
    Not(Box<Condition>),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

/// A rule: the code to suggest and its condition; `line` is where the rule starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: String,
    pub condition: Condition,
    pub line: usize,
}

/// A rule parse error at a line and column (1-based).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct RuleError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// casecode's RON rules file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename = "Rules")]
pub struct RulesFile {
    pub rules: Vec<RuleSpec>,
}

/// One rule in a RON file: the condition in the same language as `.cod` files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename = "Rule")]
pub struct RuleSpec {
    pub code: String,
    pub condition: String,
}

/// A rule being read: its code, first line, condition text, and where each character of the
/// condition came from (line, column) for error messages.
struct Pending {
    code: String,
    line: usize,
    condition: String,
    origins: Vec<(usize, usize)>,
}

/// Parses a KH Coder `.cod` text.
pub fn parse_cod(text: &str) -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    let mut current: Option<Pending> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(name) = trimmed
            .strip_prefix('＊')
            .or_else(|| trimmed.strip_prefix('*'))
        {
            if let Some(rule) = current.take() {
                rules.push(finish(rule)?);
            }
            let name = name.trim();
            if name.is_empty() {
                return Err(RuleError {
                    line: line_number,
                    column: 1,
                    message: "a rule needs a code name after ＊".to_owned(),
                });
            }
            current = Some(Pending {
                code: name.to_owned(),
                line: line_number,
                condition: String::new(),
                origins: Vec::new(),
            });
            continue;
        }
        let Some(Pending {
            condition, origins, ..
        }) = current.as_mut()
        else {
            return Err(RuleError {
                line: line_number,
                column: 1,
                message: "a condition before the first ＊コード名 line".to_owned(),
            });
        };
        // Remember where each character came from, for error positions.
        if !condition.is_empty() {
            condition.push(' ');
            origins.push((line_number, line.chars().count() + 1));
        }
        for (column, ch) in line.chars().enumerate() {
            condition.push(ch);
            origins.push((line_number, column + 1));
        }
    }
    if let Some(rule) = current.take() {
        rules.push(finish(rule)?);
    }
    Ok(rules)
}

/// Parses a RON rules file; conditions are parsed like `.cod` conditions.
pub fn parse_ron(text: &str) -> Result<Vec<Rule>, RuleError> {
    let file: RulesFile = ron::from_str(text).map_err(|error| RuleError {
        line: error.span.start.line,
        column: error.span.start.col,
        message: error.code.to_string(),
    })?;
    file.rules
        .into_iter()
        .enumerate()
        .map(|(index, spec)| {
            let origins = spec
                .condition
                .chars()
                .enumerate()
                .map(|(i, _)| (index + 1, i + 1))
                .collect();
            let code = spec.code.clone();
            let pending = Pending {
                code: spec.code,
                line: index + 1,
                condition: spec.condition,
                origins,
            };
            finish(pending).map_err(|error| RuleError {
                message: format!(
                    "rule {} ({code}), condition column {}: {}",
                    index + 1,
                    error.column,
                    error.message
                ),
                ..error
            })
        })
        .collect()
}

fn finish(pending: Pending) -> Result<Rule, RuleError> {
    let Pending {
        code,
        line,
        condition,
        origins,
    } = pending;
    let tokens = lex(&condition, &origins)?;
    if tokens.is_empty() {
        return Err(RuleError {
            line,
            column: 1,
            message: format!("rule '{code}' has no condition"),
        });
    }
    let end = origins
        .last()
        .map_or((line, 1), |(line, column)| (*line, column + 1));
    let mut parser = Parser {
        tokens,
        position: 0,
        end,
    };
    let condition = parser.or()?;
    if let Some(token) = parser.tokens.get(parser.position) {
        return Err(token.error(format!("unexpected '{}'", token.text)));
    }
    Ok(Rule {
        code,
        condition,
        line,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    And,
    Or,
    Not,
    Quoted,
    Term,
    Near,
    Seq,
}

#[derive(Clone, Debug)]
struct Lexed {
    kind: Kind,
    text: String,
    /// For near/seq: the words and the window.
    words: Vec<String>,
    window: usize,
    line: usize,
    column: usize,
}

impl Lexed {
    fn error(&self, message: String) -> RuleError {
        RuleError {
            line: self.line,
            column: self.column,
            message,
        }
    }
}

fn lex(text: &str, origins: &[(usize, usize)]) -> Result<Vec<Lexed>, RuleError> {
    let chars: Vec<char> = text.chars().collect();
    let at = |index: usize| origins.get(index).copied().unwrap_or((1, index + 1));
    let error = |index: usize, message: String| {
        let (line, column) = at(index);
        RuleError {
            line,
            column,
            message,
        }
    };
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let ch = chars[index];
        let (line, column) = at(index);
        let simple = |kind: Kind, text: &str| Lexed {
            kind,
            text: text.to_owned(),
            words: Vec::new(),
            window: 0,
            line,
            column,
        };
        if ch.is_whitespace() {
            index += 1;
        } else if ch == '(' || ch == '（' {
            tokens.push(simple(Kind::Open, "("));
            index += 1;
        } else if ch == ')' || ch == '）' {
            tokens.push(simple(Kind::Close, ")"));
            index += 1;
        } else if ch == '\'' || ch == '’' {
            let start = index + 1;
            let Some(length) = chars[start..].iter().position(|c| *c == '\'' || *c == '’') else {
                return Err(error(index, "a quote ' is not closed".to_owned()));
            };
            let quoted: String = chars[start..start + length].iter().collect();
            if quoted.is_empty() {
                return Err(error(index, "an empty '' substring".to_owned()));
            }
            tokens.push(Lexed {
                kind: Kind::Quoted,
                text: quoted,
                words: Vec::new(),
                window: 0,
                line,
                column,
            });
            index = start + length + 1;
        } else {
            let start = index;
            while index < chars.len()
                && !chars[index].is_whitespace()
                && !"()（）'’".contains(chars[index])
            {
                index += 1;
            }
            let mut word: String = chars[start..index].iter().collect();
            let lower = word.to_ascii_lowercase();
            let function = ["near", "seq"].into_iter().find(|name| lower == *name);
            if let Some(name) = function {
                // near(A-B-C)[n]: read the parenthesised list and the optional window.
                let open = index;
                if chars.get(open).is_none_or(|c| *c != '(' && *c != '（') {
                    return Err(error(start, format!("{name} needs (WORD-WORD)")));
                }
                let Some(close) = chars[open..]
                    .iter()
                    .position(|c| *c == ')' || *c == '）')
                    .map(|p| open + p)
                else {
                    return Err(error(open, format!("{name}( is not closed")));
                };
                let inside: String = chars[open + 1..close].iter().collect();
                let words: Vec<String> = inside
                    .split(['-', 'ー'])
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect();
                if words.len() < 2 {
                    return Err(error(
                        open,
                        format!("{name}(…) needs at least two words joined by -"),
                    ));
                }
                index = close + 1;
                let mut window = 10;
                if chars.get(index).is_some_and(|c| *c == '[' || *c == '［') {
                    let Some(end) = chars[index..]
                        .iter()
                        .position(|c| *c == ']' || *c == '］')
                        .map(|p| index + p)
                    else {
                        return Err(error(index, "[ is not closed".to_owned()));
                    };
                    let number: String = chars[index + 1..end].iter().collect();
                    window = number
                        .trim()
                        .parse()
                        .map_err(|_| error(index, format!("'{number}' is not a whole number")))?;
                    index = end + 1;
                }
                let kind = if name == "near" {
                    Kind::Near
                } else {
                    Kind::Seq
                };
                tokens.push(Lexed {
                    kind,
                    text: word,
                    words,
                    window,
                    line,
                    column,
                });
                continue;
            }
            let kind = match lower.as_str() {
                "and" => Kind::And,
                "or" => Kind::Or,
                "not" => Kind::Not,
                _ => Kind::Term,
            };
            if kind != Kind::Term {
                word = lower;
            }
            tokens.push(Lexed {
                kind,
                text: word,
                words: Vec::new(),
                window: 0,
                line,
                column,
            });
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Lexed>,
    position: usize,
    end: (usize, usize),
}

impl Parser {
    fn peek(&self) -> Option<&Lexed> {
        self.tokens.get(self.position)
    }

    fn or(&mut self) -> Result<Condition, RuleError> {
        let mut left = self.and()?;
        while self.peek().is_some_and(|t| t.kind == Kind::Or) {
            self.position += 1;
            left = Condition::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Condition, RuleError> {
        let mut left = self.unary()?;
        while self.peek().is_some_and(|t| t.kind == Kind::And) {
            self.position += 1;
            left = Condition::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Condition, RuleError> {
        let Some(token) = self.peek().cloned() else {
            return Err(RuleError {
                line: self.end.0,
                column: self.end.1,
                message: "the condition ends too early".to_owned(),
            });
        };
        self.position += 1;
        match token.kind {
            Kind::Not => Ok(Condition::Not(Box::new(self.unary()?))),
            Kind::Open => {
                let inner = self.or()?;
                match self.peek() {
                    Some(close) if close.kind == Kind::Close => {
                        self.position += 1;
                        Ok(inner)
                    }
                    _ => Err(token.error("this ( is not closed".to_owned())),
                }
            }
            Kind::Quoted => Ok(Condition::Substring(token.text)),
            Kind::Near => Ok(Condition::Near(token.words, token.window)),
            Kind::Seq => Ok(Condition::Seq(token.words, token.window)),
            Kind::Term => Ok(term(&token)?),
            Kind::And | Kind::Or | Kind::Close => {
                Err(token.error(format!("unexpected '{}'", token.text)))
            }
        }
    }
}

/// `語`, `語-->品詞`, `<>変数-->値`.
fn term(token: &Lexed) -> Result<Condition, RuleError> {
    if let Some(rest) = token.text.strip_prefix("<>") {
        let Some((name, value)) = rest.split_once("-->") else {
            return Err(token.error("an attribute condition is written <>変数-->値".to_owned()));
        };
        return Ok(Condition::Attribute(
            name.trim().to_owned(),
            value.trim().to_owned(),
        ));
    }
    match token.text.split_once("-->") {
        Some((word, pos)) if !word.is_empty() && !pos.is_empty() => {
            Ok(Condition::WordPos(word.to_owned(), pos.to_owned()))
        }
        Some(_) => Err(token.error("write 語-->品詞".to_owned())),
        None => Ok(Condition::Word(token.text.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Box<Condition> {
        Box::new(Condition::Word(w.to_owned()))
    }

    #[test]
    fn kh_coder_rules_parse_with_precedence_and_functions() {
        let rules = parse_cod(
            "# comment\n＊[レスパイトの調整]\nレスパイト or 短期入所 and not 病院\n\n*就学\nnear(就学-相談)[5] or seq(特別支援学校-見学) or '就学相談' or 学校-->名詞 or <>所属組織-->市役所\n",
        )
        .expect("parses");
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].code, "[レスパイトの調整]");
        assert_eq!(
            rules[0].condition,
            Condition::Or(
                word("レスパイト"),
                Box::new(Condition::And(
                    word("短期入所"),
                    Box::new(Condition::Not(word("病院")))
                ))
            )
        );
        let Condition::Or(left, attribute) = &rules[1].condition else {
            panic!("or")
        };
        assert_eq!(
            **attribute,
            Condition::Attribute("所属組織".into(), "市役所".into())
        );
        assert!(matches!(&**left, Condition::Or(..)));
        let text = format!("{:?}", rules[1].condition);
        assert!(
            text.contains("Near([\"就学\", \"相談\"], 5)")
                && text.contains("Seq([\"特別支援学校\", \"見学\"], 10)"),
            "{text}"
        );
        assert!(
            text.contains("Substring(\"就学相談\")")
                && text.contains("WordPos(\"学校\", \"名詞\")"),
            "{text}"
        );
    }

    #[test]
    fn malformed_rules_report_line_and_column() {
        let error = parse_cod("＊A\nレスパイト or (短期入所 and\n").expect_err("unclosed");
        assert_eq!(error.line, 2, "{error}");
        let error = parse_cod("＊A\nレスパイト or or 病院").expect_err("double or");
        assert_eq!((error.line, error.column), (2, 10), "{error}");
        let error = parse_cod("レスパイト").expect_err("no name");
        assert_eq!(error.line, 1);
        let error = parse_cod("＊A\nnear(就学)[3]").expect_err("one word");
        assert!(error.message.contains("two words"), "{error}");
        assert!(parse_cod("＊A\n'閉じない").is_err());
    }

    #[test]
    fn ron_rules_parse_like_cod_conditions() {
        let rules = parse_ron(
            "Rules(rules: [Rule(code: \"[連携]\", condition: \"多職種 and (会議 or 連携)\")])",
        )
        .expect("parses");
        assert_eq!(rules[0].code, "[連携]");
        assert!(parse_ron("Rules(rules: [Rule(code: \"x\", condition: \"and\")])").is_err());
    }
}
