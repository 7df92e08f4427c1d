//! `/metrics`: Prometheus text exposition, and the request counter every route feeds.

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

/// The Prometheus recorder's handle. Each server gets its own recorder (tests run several servers in
/// one process), installed for the server's requests by [`Metrics::layer`].
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
    recorder: std::sync::Arc<PrometheusRecorder>,
}

impl Metrics {
    /// A fresh recorder.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new().build_recorder();
        Self { handle: recorder.handle(), recorder: std::sync::Arc::new(recorder) }
    }

    /// Counts every request by method, matched route and status: `http_requests_total`.
    pub fn layer(&self, router: Router) -> Router {
        router.layer(middleware::from_fn_with_state(self.clone(), count))
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

async fn count(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::with_local_recorder(metrics.recorder.as_ref(), || {
        metrics::counter!("http_requests_total", "method" => method, "route" => route, "status" => status)
            .increment(1);
    });
    response
}

pub fn routes(metrics: Metrics) -> Router {
    Router::new()
        .route("/metrics", get(|State(m): State<Metrics>| async move { m.handle.render() }))
        .with_state(metrics)
}
