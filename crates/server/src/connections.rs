//! Accepting connections with bounds, so that clients which connect and then send slowly or
//! nothing cannot hold the server: a connection must send a request's headers within
//! [`HEADER_TIMEOUT`] (also while idle between keep-alive requests), a request (its body
//! included) must be answered within [`REQUEST_TIMEOUT`], and at most [`MAX_CONNECTIONS`] are
//! open at once; past that, new connections are closed at once, which is what a client can
//! retry on, instead of waiting in the kernel's queue until every file descriptor is gone.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::stopping::StopSwitch;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::AppState;

/// Time for a client to send a request's headers, or to start the next one on a kept-alive
/// connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time for a whole request, from its headers to the end of the answer's preparation, unless
/// the server is told otherwise.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Requests whose work runs at once, per core. One per core cut the requests/s of cheap
/// answers by 39% (esearch `dementia` at 1M records, 12,710 to 7,776: each waits for its
/// hand-over to the blocking pool with no other to fill the gap); unbounded, 16 clients asking
/// for one uncomputed search computed it 16 times over (p99 0.6 s).
pub const WORK_PER_CORE: usize = 4;
/// Connections open at once: well under a default limit of file descriptors (1,024) once the
/// index's and the store's files are open.
pub const MAX_CONNECTIONS: usize = 512;

/// Accepts connections until `shutdown` completes, serving each with `app`.
pub async fn accept(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors or a connection reset before it was taken: go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        // A streamed answer ends with a small write of its own; Nagle's algorithm would hold it
        // until the client's delayed ACK (tens of ms per request).
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// Answers 503 with NCBI's wording when a request takes longer than its time (60 s unless
/// `AppState::with_request_timeout` says otherwise). The request's work is dropped then, which
/// stops any search it runs ([`stoppable`]).
pub async fn time_budget(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            (StatusCode::SERVICE_UNAVAILABLE, "Search Backend failed: the request took too long\n").into_response()
        }
    }
}

/// Runs a request's work on the blocking pool, so that the runtime's threads go on accepting
/// connections and answering other requests meanwhile; and stops its searches once the request
/// is dropped: past its time, or when its client has gone (counted at `/status`). At most
/// [`WORK_PER_CORE`] requests' work per core runs at once: many more would only share the cores,
/// and many requests for one uncomputed search would each compute it instead of the first
/// filling the cache for the rest; a request dropped while it waits never starts.
pub async fn stoppable(state: Arc<AppState>, work: impl FnOnce(&AppState) -> Response + Send + 'static) -> Response {
    /// Throws the switch however the request ends; after the work has finished it does nothing.
    struct StopOnDrop(StopSwitch);
    impl Drop for StopOnDrop {
        fn drop(&mut self) {
            self.0.stop();
        }
    }
    let Ok(_permit) = state.work_permits.clone().acquire_owned().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "the server is stopping\n").into_response();
    };
    let switch = StopSwitch::default();
    let _stop = StopOnDrop(switch.clone());
    let run = move || {
        let response = engine::stopping::run_stoppable(switch.clone(), || work(&state));
        if switch.is_stopped() {
            state.requests_stopped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        response
    };
    match tokio::task::spawn_blocking(run).await {
        Ok(response) => response,
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the request failed\n").into_response(),
    }
}
