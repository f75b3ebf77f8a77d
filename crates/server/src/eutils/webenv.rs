//! The E-utilities history server: WebEnv keys holding numbered result sets (`query_key`), as
//! `usehistory=y`, `epost` and `elink cmd=neighbor_history` create them. In memory, expiring
//! after an idle time, and bounded: at most [`MAX_IDS`] PMIDs held in all, oldest WebEnv first out.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use engine::Sort;
use query::{CombineError, Field, Query, Span, Term};

/// PMIDs held in all WebEnvs together (40 MB), a WebEnv itself counting as [`ENV_WEIGHT`] of them.
const MAX_IDS: usize = 10_000_000;
/// WebEnvs held at once: a client making one per request (usehistory=y on every esearch, as
/// scripts do) cannot grow the server past this.
const MAX_WEBENVS: usize = 100_000;
/// A WebEnv's own memory (its name, map entry and set list), in PMIDs: 256 bytes, an estimate
/// (the issue measured 0.38 KB per WebEnv with its set).
const ENV_WEIGHT: usize = 64;
/// Result sets per WebEnv.
const MAX_SETS: usize = 1_000;

/// One result set.
#[derive(Debug, Clone)]
pub enum Set {
    /// A search (its lines as run), run again when read (the archive is read-only while served).
    Search { strategy: Vec<query::Line>, sort: Sort },
    /// PMIDs as posted or linked.
    Ids(Vec<u32>),
}

impl Set {
    fn weight(&self) -> usize {
        match self {
            Set::Search { strategy, .. } => 1 + strategy.iter().map(|l| l.text.len()).sum::<usize>() / 4,
            Set::Ids(ids) => ids.len().max(1),
        }
    }

    /// The set as a query, for `#N` in a later search: the search, or its PMIDs as one `[uid]`
    /// term (built, not parsed: a posted set may be longer than a typed query may be).
    pub fn as_query(&self) -> Result<Query, CombineError> {
        match self {
            Set::Search { strategy, .. } => query::strategy_as_query(strategy),
            Set::Ids(ids) => {
                let list = if ids.is_empty() {
                    "0".to_owned()
                } else {
                    ids.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
                };
                Ok(Query::Term(Term::new(list, Some(Field::Pmid), Span::default())))
            }
        }
    }
}

struct Env {
    sets: Vec<Set>,
    used: Instant,
}

pub struct WebEnvs {
    idle: Duration,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    envs: HashMap<String, Env>,
    order: VecDeque<String>,
    ids: usize,
}

impl Inner {
    fn drop_env(&mut self, name: &str) {
        if let Some(env) = self.envs.remove(name) {
            self.ids -= ENV_WEIGHT + env.sets.iter().map(Set::weight).sum::<usize>();
        }
    }
}

impl WebEnvs {
    pub fn new(idle: Duration) -> WebEnvs {
        WebEnvs { idle, inner: Mutex::new(Inner::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores a set under `webenv` (a new WebEnv when it is absent, unknown or expired): the
    /// WebEnv and the set's `query_key`.
    pub fn put(&self, webenv: Option<&str>, set: Set) -> (String, usize) {
        let mut inner = self.lock();
        let now = Instant::now();
        // Expired WebEnvs go first, then the oldest while over the bound.
        while let Some(oldest) = inner.order.front().cloned() {
            let expired = inner.envs.get(&oldest).is_none_or(|e| now.duration_since(e.used) > self.idle);
            let room = inner.ids + ENV_WEIGHT + set.weight() <= MAX_IDS && inner.envs.len() < MAX_WEBENVS;
            if !expired && room {
                break;
            }
            inner.order.pop_front();
            inner.drop_env(&oldest);
        }
        let name = match webenv.filter(|w| inner.envs.contains_key(*w)) {
            Some(w) => w.to_owned(),
            None => {
                let (a, b) = (RandomState::new(), RandomState::new());
                let name = format!("MCID_{:016x}{:08x}", a.hash_one(now), b.hash_one(now) as u32);
                inner.envs.insert(name.clone(), Env { sets: Vec::new(), used: now });
                inner.order.push_back(name.clone());
                inner.ids += ENV_WEIGHT;
                name
            }
        };
        let added = set.weight();
        let env = inner.envs.get_mut(&name).expect("just found or made");
        env.used = now;
        let mut freed = 0;
        if env.sets.len() >= MAX_SETS {
            // The oldest set still held is emptied; keys keep their numbers.
            let i = env.sets.len() - MAX_SETS;
            freed = std::mem::replace(&mut env.sets[i], Set::Ids(Vec::new())).weight() - 1;
        }
        env.sets.push(set);
        let key = env.sets.len();
        inner.ids = inner.ids + added - freed;
        (name, key)
    }

    /// The set `query_key` of `webenv`, if both exist and have not expired.
    pub fn get(&self, webenv: &str, key: usize) -> Option<Set> {
        let mut inner = self.lock();
        let now = Instant::now();
        let env = inner.envs.get_mut(webenv).filter(|e| now.duration_since(e.used) <= self.idle)?;
        env.used = now;
        key.checked_sub(1).and_then(|i| env.sets.get(i)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_accumulate_in_a_webenv() {
        let w = WebEnvs::new(Duration::from_secs(60));
        let (env, k1) = w.put(None, Set::Ids(vec![1, 2]));
        let (same, k2) =
            w.put(Some(&env), Set::Search { strategy: query::parse_strategy("cancer").unwrap(), sort: Sort::PubDate });
        assert_eq!((same.as_str(), k1, k2), (env.as_str(), 1, 2));
        assert!(matches!(w.get(&env, 1), Some(Set::Ids(ids)) if ids == [1, 2]));
        assert!(w.get(&env, 3).is_none());
        assert!(w.get(&env, 0).is_none());
        let (other, k) = w.put(Some("MCID_unknown"), Set::Ids(vec![3]));
        assert_ne!(other, env);
        assert_eq!(k, 1);
        assert_eq!(Set::Ids(vec![1, 2]).as_query().unwrap().to_string(), "1,2[UID]");
    }

    #[test]
    fn idle_webenvs_expire() {
        let w = WebEnvs::new(Duration::from_millis(1));
        let (env, _) = w.put(None, Set::Ids(vec![1]));
        std::thread::sleep(Duration::from_millis(5));
        assert!(w.get(&env, 1).is_none());
    }

    #[test]
    fn the_oldest_webenv_goes_when_too_many_ids_are_held() {
        let w = WebEnvs::new(Duration::from_secs(60));
        let (first, _) = w.put(None, Set::Ids(vec![7; MAX_IDS / 2 - 1_000]));
        let (second, _) = w.put(None, Set::Ids(vec![8; MAX_IDS / 2 - 1_000]));
        assert!(w.get(&first, 1).is_some(), "both fit");
        let (third, _) = w.put(None, Set::Ids(vec![9; 5_000]));
        assert!(w.get(&first, 1).is_none());
        assert!(w.get(&second, 1).is_some() && w.get(&third, 1).is_some());
    }

    #[test]
    fn webenvs_are_bounded_in_number_and_each_counts_toward_the_memory_bound() {
        let w = WebEnvs::new(Duration::from_secs(60));
        let names: Vec<String> = (0..MAX_WEBENVS + 500).map(|i| w.put(None, Set::Ids(vec![i as u32 + 1])).0).collect();
        let inner = w.lock();
        assert_eq!(inner.envs.len(), MAX_WEBENVS);
        assert_eq!(inner.ids, MAX_WEBENVS * (ENV_WEIGHT + 1), "every WebEnv and its set counted");
        assert!(
            !inner.envs.contains_key(&names[0]) && inner.envs.contains_key(names.last().unwrap()),
            "the oldest went"
        );
    }
}
