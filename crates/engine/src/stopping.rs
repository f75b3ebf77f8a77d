//! Stopping a search from outside it. Work run under a [`StopSwitch`] ends at its next check
//! (before each line of a strategy, each part of a query, each term compiled, each record's
//! similar articles or citations looked up) once the switch is thrown, with
//! [`EngineError::Stopped`]: a request the server has already answered as too slow, or whose
//! client has gone, then stops using a core. The switch is set per thread by the caller that
//! runs the work ([`run_stoppable`]); work without one (the CLI's) runs on.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{EngineError, Result};

/// Clones share one switch.
#[derive(Clone, Debug, Default)]
pub struct StopSwitch(Arc<AtomicBool>);

impl StopSwitch {
    /// Stops the work at its next check.
    pub fn stop(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`StopSwitch::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

thread_local! {
    static CURRENT: RefCell<Option<StopSwitch>> = const { RefCell::new(None) };
}

/// Runs `work` on this thread, stoppable by `switch`.
pub fn run_stoppable<T>(switch: StopSwitch, work: impl FnOnce() -> T) -> T {
    /// Clears the switch however `work` ends, a panic included.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            CURRENT.with(|current| current.borrow_mut().take());
        }
    }
    CURRENT.with(|current| *current.borrow_mut() = Some(switch));
    let _reset = Reset;
    work()
}

/// The switch the work on this thread runs under, if any: for work it spreads over other
/// threads, each run under the same switch.
pub(crate) fn current() -> Option<StopSwitch> {
    CURRENT.with(|current| current.borrow().clone())
}

/// Err once the running work's switch is thrown.
pub(crate) fn check() -> Result<()> {
    let thrown = CURRENT.with(|current| current.borrow().as_ref().is_some_and(StopSwitch::is_stopped));
    if thrown { Err(EngineError::Stopped) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_stops_once_its_switch_is_thrown_and_only_its_own() {
        assert!(check().is_ok(), "no switch: never stopped");
        let switch = StopSwitch::default();
        let thrower = switch.clone();
        run_stoppable(switch, || {
            assert!(check().is_ok());
            thrower.stop();
            assert!(matches!(check(), Err(EngineError::Stopped)));
        });
        assert!(check().is_ok(), "the switch ends with its work");
    }
}
