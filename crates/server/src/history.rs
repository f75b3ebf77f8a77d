//! Search history, as PubMed keeps it: each browser session's searches numbered #1, #2, ... so a
//! later query can combine them (`#1 AND #3`). Held in memory only: the archive stays read-only,
//! and a restart forgets histories, as PubMed forgets them after eight hours.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use query::{CombineError, Line, Query};

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
    /// What ran, as one query (history references replaced, filters added): a later `#N`
    /// stands for it. Too large a search to combine again says so here.
    pub query: Result<Query, CombineError>,
    /// What ran, line by line in PubMed's syntax: the same search again has the same key.
    key: String,
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

    /// Records a search (`ran`: its lines as run). Running the same search again moves it to the
    /// top under a new number, as PubMed does.
    pub fn record(&self, session: &str, shown: String, ran: &[Line], translation: String, count: usize) {
        let key = ran.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
        let query = query::strategy_as_query(ran);
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
        if s.entries.last().is_some_and(|e| e.key == key) {
            return; // the same search again (another page or sort of it)
        }
        s.entries.retain(|e| e.key != key);
        s.next += 1;
        s.entries.push(Entry { number: s.next, shown, query, key, translation, count, time: now });
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

/// Why a query could not be made ready to run.
#[derive(Debug, thiserror::Error)]
pub enum ExpandError {
    /// It does not parse.
    #[error(transparent)]
    Query(#[from] query::QueryError),
    /// Its history references cannot be replaced.
    #[error(transparent)]
    Combine(#[from] CombineError),
}

/// The query parsed, each `#N` replaced by the search `lookup` says it names, where the query
/// parser reads one (outside quotes of any kind and tags). In a strategy of several lines `#N`
/// names its own line N, so a strategy keeps them.
pub fn expand(text: &str, lookup: impl Fn(u32) -> Result<Query, CombineError>) -> Result<Vec<Line>, ExpandError> {
    let mut lines = query::parse_strategy(text)?;
    if let [line] = lines.as_mut_slice() {
        line.parsed.query = line.parsed.query.clone().with_searches(&lookup)?;
        line.text = line.parsed.query.to_string();
    }
    Ok(lines)
}

/// `hh:mm:ss` UTC of a time in seconds since 1970.
pub fn clock(time: u64) -> String {
    let s = time % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> Query {
        query::parse(text).unwrap().query
    }

    fn table(n: u32) -> Result<Query, CombineError> {
        match n {
            1 => Ok(query("cancer")),
            2 => Ok(query("cancer AND 2020[dp]")),
            _ => Err(CombineError::NotInHistory(n)),
        }
    }

    /// The query `text` becomes, printed, against the query typed in full, printed.
    fn expands_to(text: &str, full: &str) {
        let lines = expand(text, table).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].parsed.query.to_string(), query(full).to_string(), "{text}");
        assert_eq!(lines[0].text, query(full).to_string(), "{text}");
    }

    #[test]
    fn references_are_replaced_outside_quotes() {
        expands_to("#1 AND #2", "(cancer) AND ((cancer) AND 2020[dp])");
        expands_to("\"#1 trial\" OR #1", "\"#1 trial\" OR (cancer)");
        expands_to("\u{201c}#1 trial\u{201d} OR #1", "\"#1 trial\" OR (cancer)");
        expands_to("C# and #", "C# and #");
        assert_eq!(expand("#1 OR #12", table).unwrap_err().to_string(), "#12 is not in your search history");
        let strategy = expand("heart\nlung\n#1 AND #2", table).unwrap();
        assert_eq!(strategy[2].parsed.query.history_numbers(), [1, 2], "a strategy's #N name its own lines");
    }

    #[test]
    fn history_numbers_searches_and_moves_repeats_to_the_top() {
        let h = Histories::default();
        let s = Histories::new_session();
        assert_eq!(s.len(), 32);
        assert_ne!(s, Histories::new_session());
        let lines = |text: &str| query::parse_strategy(text).unwrap();
        h.record(&s, "a".into(), &lines("a"), "a".into(), 3);
        h.record(&s, "a".into(), &lines("a"), "a".into(), 3); // next page of the same search
        h.record(&s, "b".into(), &lines("b"), "b".into(), 5);
        h.record(&s, "a".into(), &lines("a"), "a".into(), 3);
        let numbers: Vec<u32> = h.entries(&s).iter().map(|e| e.number).collect();
        assert_eq!(numbers, [3, 2]);
        assert_eq!(h.get(&s, 2).unwrap().query, Ok(query("b")));
        assert!(h.get(&s, 1).is_none());
        assert!(h.entries("another").is_empty());
        h.clear(&s);
        assert!(h.entries(&s).is_empty());
    }

    #[test]
    fn history_keeps_the_last_hundred() {
        let h = Histories::default();
        for i in 0..150 {
            h.record("s", i.to_string(), &query::parse_strategy(&format!("w{i}")).unwrap(), String::new(), i);
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
            h.record(&i.to_string(), "q".into(), &query::parse_strategy("q").unwrap(), String::new(), 1);
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
