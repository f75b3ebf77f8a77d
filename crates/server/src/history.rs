//! Search history, as PubMed keeps it: each browser session's searches numbered #1, #2, ... so a
//! later query can combine them (`#1 AND #3`). Held in memory only: the archive stays read-only,
//! and a restart forgets histories, as PubMed forgets them after eight hours.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Searches kept per session (PubMed keeps 100).
const ENTRIES_PER_SESSION: usize = 100;
/// Sessions kept; the oldest goes first.
const SESSIONS: usize = 10_000;
/// The cookie naming a session.
pub const COOKIE: &str = "medlars_session";

#[derive(Debug, Clone)]
pub struct Entry {
    /// The number `#N` refers to.
    pub number: u32,
    /// What was typed, with the filters applied named after it.
    pub shown: String,
    /// What ran: the query with `#N` references replaced and filters added. A later `#N`
    /// stands for this.
    pub expanded: String,
    pub translation: String,
    pub count: usize,
    /// Seconds since 1970, UTC.
    pub time: u64,
}

#[derive(Default)]
struct Session {
    entries: Vec<Entry>,
    next: u32,
}

#[derive(Default)]
pub struct Histories {
    sessions: Mutex<Sessions>,
}

#[derive(Default)]
struct Sessions {
    by_name: HashMap<String, Session>,
    /// Names in the order the sessions began, for dropping the oldest.
    order: VecDeque<String>,
}

impl Histories {
    /// A new session name: 128 random bits in hex.
    pub fn new_session() -> String {
        let (a, b) = (RandomState::new(), RandomState::new());
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        format!("{:016x}{:016x}", a.hash_one(nanos), b.hash_one(nanos))
    }

    /// The session's searches, newest first.
    pub fn entries(&self, session: &str) -> Vec<Entry> {
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.by_name.get(session).map(|s| s.entries.iter().rev().cloned().collect()).unwrap_or_default()
    }

    /// The session's search `#number`, if it is still kept.
    pub fn get(&self, session: &str, number: u32) -> Option<Entry> {
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.by_name.get(session)?.entries.iter().find(|e| e.number == number).cloned()
    }

    /// Records a search. Running the same search again moves it to the top under a new number,
    /// as PubMed does.
    pub fn record(&self, session: &str, shown: String, expanded: String, translation: String, count: usize) {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let Sessions { by_name, order } = &mut *sessions;
        if !by_name.contains_key(session) {
            if by_name.len() >= SESSIONS
                && let Some(oldest) = order.pop_front()
            {
                by_name.remove(&oldest);
            }
            order.push_back(session.to_owned());
        }
        let s = by_name.entry(session.to_owned()).or_default();
        if s.entries.last().is_some_and(|e| e.expanded == expanded) {
            return; // the same search again (another page or sort of it)
        }
        s.entries.retain(|e| e.expanded != expanded);
        s.next += 1;
        s.entries.push(Entry { number: s.next, shown, expanded, translation, count, time: now });
        if s.entries.len() > ENTRIES_PER_SESSION {
            s.entries.remove(0);
        }
    }

    /// Forgets the session's searches (numbering starts again at #1).
    pub fn clear(&self, session: &str) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.by_name.remove(session);
        sessions.order.retain(|s| s != session);
    }
}

/// Replaces each `#N` with the search it names, in parentheses, where the query parser finds
/// one (outside quotes and tags). Names the first reference the history does not hold. A query
/// the parser cannot read is left as it is, for the search to report.
pub fn expand(query: &str, lookup: impl Fn(u32) -> Option<String>) -> Result<String, String> {
    let Ok(references) = query::history_references(query) else { return Ok(query.to_owned()) };
    let mut out = String::with_capacity(query.len());
    let mut from = 0;
    for (range, number) in references {
        let search = lookup(number).ok_or_else(|| format!("#{number} is not in your search history"))?;
        out.push_str(&query[from..range.start]);
        out.push('(');
        out.push_str(&search);
        out.push(')');
        from = range.end;
    }
    out.push_str(&query[from..]);
    Ok(out)
}

/// `hh:mm:ss` UTC of a time in seconds since 1970.
pub fn clock(time: u64) -> String {
    let s = time % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: u32) -> Option<String> {
        match n {
            1 => Some("cancer".into()),
            2 => Some("(cancer) AND 2020[dp]".into()),
            _ => None,
        }
    }

    #[test]
    fn references_expand_in_parentheses_outside_quotes() {
        assert_eq!(expand("#1 AND #2", table).unwrap(), "(cancer) AND ((cancer) AND 2020[dp])");
        assert_eq!(expand("\"#1 trial\" OR #1", table).unwrap(), "\"#1 trial\" OR (cancer)");
        assert_eq!(expand("\u{201c}#1 trial\u{201d} OR #1", table).unwrap(), "\u{201c}#1 trial\u{201d} OR (cancer)");
        assert_eq!(expand("#1[ti] OR (#2)", table).unwrap(), "(cancer)[ti] OR (((cancer) AND 2020[dp]))");
        assert_eq!(expand("C# and #", table).unwrap(), "C# and #");
        assert_eq!(expand("#1 OR #12", table).unwrap_err(), "#12 is not in your search history");
    }

    #[test]
    fn history_numbers_searches_and_moves_repeats_to_the_top() {
        let h = Histories::default();
        let s = Histories::new_session();
        assert_eq!(s.len(), 32);
        assert_ne!(s, Histories::new_session());
        h.record(&s, "a".into(), "a".into(), "a".into(), 3);
        h.record(&s, "a".into(), "a".into(), "a".into(), 3); // next page of the same search
        h.record(&s, "b".into(), "b".into(), "b".into(), 5);
        h.record(&s, "a".into(), "a".into(), "a".into(), 3);
        let numbers: Vec<u32> = h.entries(&s).iter().map(|e| e.number).collect();
        assert_eq!(numbers, [3, 2]);
        assert_eq!(h.get(&s, 2).unwrap().expanded, "b");
        assert!(h.get(&s, 1).is_none());
        assert!(h.entries("another").is_empty());
        h.clear(&s);
        assert!(h.entries(&s).is_empty());
    }

    #[test]
    fn history_keeps_the_last_hundred() {
        let h = Histories::default();
        for i in 0..150 {
            h.record("s", i.to_string(), i.to_string(), String::new(), i);
        }
        let entries = h.entries("s");
        assert_eq!(entries.len(), ENTRIES_PER_SESSION);
        assert_eq!(entries[0].number, 150);
        assert_eq!(entries[99].number, 51);
    }

    #[test]
    fn the_oldest_session_goes_first() {
        let h = Histories::default();
        for i in 0..=SESSIONS {
            h.record(&i.to_string(), "q".into(), "q".into(), String::new(), 1);
        }
        assert!(h.entries("0").is_empty());
        assert_eq!(h.entries("1").len(), 1);
        assert_eq!(h.entries(&SESSIONS.to_string()).len(), 1);
    }

    #[test]
    fn clock_is_utc_time_of_day() {
        assert_eq!(clock(86_400 * 3 + 3600 * 13 + 60 * 5 + 9), "13:05:09");
    }
}
