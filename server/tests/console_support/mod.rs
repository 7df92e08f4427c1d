//! Helpers of the tests that drive the console and the operator API in-process: requests, cookies,
//! forms and a JSON login.
#![allow(dead_code)]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use tower::ServiceExt;

pub async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Vec<String>, String, Response<()>) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let cookies =
        parts.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let body = String::from_utf8(to_bytes(body, 1 << 20).await.unwrap().to_vec()).unwrap();
    (parts.status, cookies, body, Response::from_parts(parts, ()))
}

pub fn json_login(username: &str, password: &str) -> Request<Body> {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    Request::post("/v1/operator/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

/// `name=value` of the `Set-Cookie` for `name`.
pub fn cookie_pair(cookies: &[String], name: &str) -> String {
    cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie in {cookies:?}"))
        .to_owned()
}

/// Logs in through the JSON API; returns (`Cookie` value, CSRF token).
pub async fn logged_in(app: &Router, name: &str, password: &str) -> (String, String) {
    let (status, cookies, body, _) = send(app, json_login(name, password)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    (cookie_pair(&cookies, "qoltanba_operator"), json["csrf_token"].as_str().unwrap().to_owned())
}

pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} field in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub fn form_post(uri: &str, cookie: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(form_encode(pairs)))
        .unwrap()
}
