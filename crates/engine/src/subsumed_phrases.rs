//! Phrases an OR already holds. Automatic term mapping ORs a phrase in all fields with the AND
//! of its words in all fields (`alzheimer disease` becomes `... OR ("alzheimer"[All Fields] AND
//! "disease"[All Fields]) OR "alzheimer disease"[All Fields]`), and every record holding the
//! phrase in a field holds each of its words there. For the hits alone the phrase adds nothing,
//! while matching it reads the positions of two frequent words: a cold esearch of `alzheimer
//! disease` at 1M generated records spent 38% of its CPU reading positions (19 requests/s).
//! Ranking still scores the phrase: only the sets of hits are computed without it.

use query::{Field, FieldKind, Query, Term};

use crate::index::words;
use crate::search::flatten;

/// `q` without each phrase that one of its words, or an AND of some of them, in another operand
/// of the same OR holds (same field, running text); None when there is no such phrase.
pub(crate) fn without_subsumed_phrases(q: &Query) -> Option<Query> {
    match q {
        Query::And(a, b) => rebuilt(a, b, Query::and),
        Query::Not(a, b) => rebuilt(a, b, |a, b| Query::Not(Box::new(a), Box::new(b))),
        Query::Or(..) => {
            let operands = flatten(q, false);
            let held: Vec<bool> = operands
                .iter()
                .map(|o| plain_phrase(o).is_some_and(|phrase| operands.iter().any(|other| holds(other, &phrase))))
                .collect();
            let simplified: Vec<Option<Query>> = operands.iter().map(|o| without_subsumed_phrases(o)).collect();
            if !held.contains(&true) && simplified.iter().all(Option::is_none) {
                return None;
            }
            let kept = operands
                .iter()
                .zip(simplified)
                .zip(held)
                .filter(|(_, held)| !held)
                .map(|((operand, simplified), _)| simplified.unwrap_or_else(|| (*operand).clone()));
            // A phrase is held only by a word or an AND of words, never left out: something stays.
            Some(Query::chain(kept.collect(), false))
        }
        _ => None,
    }
}

fn rebuilt(a: &Query, b: &Query, make: impl Fn(Query, Query) -> Query) -> Option<Query> {
    let (new_a, new_b) = (without_subsumed_phrases(a), without_subsumed_phrases(b));
    if new_a.is_none() && new_b.is_none() {
        return None;
    }
    Some(make(new_a.unwrap_or_else(|| a.clone()), new_b.unwrap_or_else(|| b.clone())))
}

/// A plain phrase of running text: its field and its words (two or more).
struct Phrase {
    field: Field,
    words: Vec<String>,
}

fn plain_phrase(q: &Query) -> Option<Phrase> {
    let Query::Term(term) = q else { return None };
    let field = plain_text_field(term)?;
    let words = words(&term.text);
    (words.len() >= 2).then_some(Phrase { field, words })
}

/// Whether `and` is a plain word, or an AND of them, each a word of `phrase`, all in its field:
/// every record matching the phrase then matches `and`.
fn holds(and: &Query, phrase: &Phrase) -> bool {
    flatten(and, true).into_iter().all(|operand| match operand {
        Query::Term(word) => {
            plain_text_field(word) == Some(phrase.field)
                && matches!(words(&word.text).as_slice(), [one] if phrase.words.contains(one))
        }
        _ => false,
    })
}

/// The field of a term of running text without truncation, wildcards or proximity, which is
/// matched as its words in order (or, unquoted and never found so, as its words anywhere).
fn plain_text_field(t: &Term) -> Option<Field> {
    let field = t.field.unwrap_or(Field::All);
    let plain = !t.wildcards && t.proximity.is_none() && !t.text.contains('*');
    (plain && field.kind() == FieldKind::Text).then_some(field)
}

#[cfg(test)]
mod tests {
    fn simplified(text: &str) -> Option<String> {
        let parsed = query::parse(text).unwrap().query;
        super::without_subsumed_phrases(&parsed).map(|q| q.to_string())
    }

    #[test]
    fn a_phrase_ored_with_an_and_of_its_words_in_its_field_is_left_out() {
        let mapped = r#"alzheimer disease[mh] OR (alzheimer[All Fields] AND disease[All Fields]) OR "alzheimer disease"[All Fields]"#;
        let left = simplified(mapped).expect("the phrase is held");
        assert!(!left.contains("\"alzheimer disease\"[All Fields]"), "{left}");
        assert!(left.contains("alzheimer disease") && left.contains("disease"), "{left}");
        // Deeper down, and one of the words is enough.
        let nested = r#"aged[mh] AND (heart[tiab] OR "heart attack"[tiab])"#;
        assert!(simplified(nested).is_some_and(|q| !q.contains("heart attack")));
        let both = r#"(heart[tiab] OR attack[tiab]) OR "heart attack"[tiab]"#;
        assert!(simplified(both).is_some_and(|q| !q.contains("heart attack")));
    }

    #[test]
    fn a_phrase_not_held_by_another_operand_stays() {
        for text in [
            // Another field, a word not of the phrase, a truncated or proximity phrase, whole values.
            r#"(alzheimer[ti] AND disease[ti]) OR "alzheimer disease"[tiab]"#,
            r#"(alzheimer[tiab] AND mice[tiab]) OR "alzheimer disease"[tiab]"#,
            r#"(heart[tiab] AND attack[tiab]) OR "heart attack*"[tiab]"#,
            r#"(heart[tiab] AND attack[tiab]) OR "heart attack"[tiab:~2]"#,
            r#"(heart[mh] AND attack[mh]) OR "heart attack"[mh]"#,
            r#"heart[tiab] AND "heart attack"[tiab]"#,
        ] {
            assert_eq!(simplified(text), None, "{text}");
        }
    }
}
