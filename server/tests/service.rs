//! The service routes every deployment has, driven in-process with `oneshot`.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use qoltanba_server::web::{Metrics, service_routes};
use tower::ServiceExt;

async fn get(app: axum::Router, uri: &str) -> (StatusCode, String) {
    let response = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn app() -> axum::Router {
    let metrics = Metrics::new();
    metrics.layer(service_routes(metrics.clone()))
}

#[tokio::test]
async fn healthz_answers_ok() {
    assert_eq!(get(app(), "/healthz").await, (StatusCode::OK, "ok\n".to_owned()));
}

#[tokio::test]
async fn openapi_document_lists_the_enrollment_paths() {
    let (status, body) = get(app(), "/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"].get("/v1/enrollments").is_some());
    assert!(doc["paths"].get("/v1/enrollments/{id}/csrs").is_some());
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = app();
    get(app.clone(), "/healthz").await;
    get(app.clone(), "/healthz").await;
    get(app.clone(), "/no-such-page").await;
    let (status, body) = get(app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    let value = |route: &str, code: &str| {
        body.lines()
            .find(|l| l.starts_with("http_requests_total") && l.contains(route) && l.contains(code))
            .and_then(|l| l.rsplit(' ').next())
            .map(str::to_owned)
    };
    assert_eq!(value("route=\"/healthz\"", "status=\"200\"").as_deref(), Some("2"), "{body}");
    assert_eq!(value("route=\"unmatched\"", "status=\"404\"").as_deref(), Some("1"), "{body}");
}
