//! One request, sent and re-sent: the retry loop shared by every call.

use std::sync::Arc;
use std::time::Duration;

use qoltanba_protocol::headers::is_valid_idempotency_key;
use qoltanba_protocol::{IDEMPOTENCY_KEY_HEADER, ImageType};
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use super::config::{ClientConfig, RetryPolicy};
use super::error::ClientError;
use super::sleep::{Sleeper, TokioSleeper};

/// Largest answer body read; API answers (a session with two certificates and a chain) are a few KiB.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// The HTTP client, the base URL and the retry policy.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base: String,
    retry: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
}

/// What a request carries.
pub(crate) enum Payload<'a> {
    /// No body.
    Empty,
    /// A JSON body (wiped when dropped: it may hold an SMS code or a password).
    Json(Zeroizing<Vec<u8>>),
    /// A picture as the raw body.
    Image(ImageType, &'a [u8]),
}

/// One API call: the same value is sent on every attempt.
pub(crate) struct Call<'a> {
    /// The HTTP method.
    pub method: Method,
    /// The route template (`/v1/enrollments/{id}/selfie`), for logs (the path holds the session id).
    pub route: &'static str,
    /// The path, filled in.
    pub path: String,
    /// Query parameters.
    pub query: Vec<(&'static str, &'a str)>,
    /// The body.
    pub payload: Payload<'a>,
    /// The idempotency key, for `POST`s that take one.
    pub key: Option<&'a str>,
    /// Further headers (the operator's cookie and CSRF token, a bearer credential).
    pub headers: Vec<(&'static str, &'a str)>,
    /// A longer wait than the client's request timeout, for long-polls.
    pub timeout: Option<Duration>,
}

impl<'a> Call<'a> {
    /// A call without body, query, key or extra headers.
    pub fn new(method: Method, route: &'static str, path: String) -> Self {
        Self {
            method,
            route,
            path,
            query: Vec::new(),
            payload: Payload::Empty,
            key: None,
            headers: Vec::new(),
            timeout: None,
        }
    }

    /// The same call with `value` serialised as its JSON body.
    pub fn json<T: serde::Serialize>(mut self, value: &T) -> Result<Self, ClientError> {
        let body = serde_json::to_vec(value).map_err(|e| ClientError::Setup(format!("request body: {e}")))?;
        self.payload = Payload::Json(Zeroizing::new(body));
        Ok(self)
    }

    /// The same call carrying idempotency key `key`, checked first.
    pub fn keyed(mut self, key: &'a str) -> Result<Self, ClientError> {
        if !is_valid_idempotency_key(key) {
            return Err(ClientError::InvalidIdempotencyKey);
        }
        self.key = Some(key);
        Ok(self)
    }
}

/// A success (`2xx`) answer.
pub(crate) struct Answer {
    /// Its status.
    pub status: u16,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body (at most [`MAX_ANSWER_BYTES`]).
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON of type `T`, else [`ClientError::UnexpectedResponse`].
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        serde_json::from_slice(&self.body).map_err(|e| ClientError::UnexpectedResponse {
            status: self.status,
            detail: format!("body: {e}"),
        })
    }
}

/// What one attempt ended with.
enum Attempt {
    Success(Answer),
    Failure(ClientError),
}

impl Transport {
    /// A transport to `base_url` (`http(s)://host[:port][/prefix]`).
    pub fn new(base_url: &str, config: &ClientConfig) -> Result<Self, ClientError> {
        let url = Url::parse(base_url).map_err(|e| ClientError::Setup(format!("base URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.query().is_some() {
            return Err(ClientError::Setup("the base URL must be http(s) without a query".into()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("qoltanba-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Setup(e.without_url().to_string()))?;
        let base = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self { http, base, retry: config.retry, sleeper: Arc::new(TokioSleeper) })
    }

    /// The same transport waiting between attempts with `sleeper`.
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Sends `call` until it succeeds, fails for good, or the attempts run out.
    pub async fn send(&self, call: &Call<'_>) -> Result<Answer, ClientError> {
        let url = self.url(call)?;
        let attempts = self.retry.attempts.max(1);
        let mut attempt = 1;
        loop {
            let failure = match self.attempt(call, url.clone()).await {
                Attempt::Success(answer) => return Ok(answer),
                Attempt::Failure(failure) => failure,
            };
            let wait = match self.wait_before_retry(&failure, attempt, attempts) {
                Some(wait) => wait,
                None => return Err(failure),
            };
            tracing::debug!(method = %call.method, route = call.route, attempt, ?wait, error = %failure, "retrying");
            self.sleeper.sleep(wait).await;
            attempt += 1;
        }
    }

    fn url(&self, call: &Call<'_>) -> Result<Url, ClientError> {
        let mut url = Url::parse(&format!("{}{}", self.base, call.path))
            .map_err(|e| ClientError::Setup(format!("path of {}: {e}", call.route)))?;
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        Ok(url)
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to give up with `failure`.
    fn wait_before_retry(&self, failure: &ClientError, attempt: u32, attempts: u32) -> Option<Duration> {
        if attempt >= attempts || !failure.is_transient() {
            return None;
        }
        match failure.retry_after() {
            Some(asked) if asked <= self.retry.max_retry_after => Some(asked),
            Some(_) => None,
            None => Some(self.retry.jittered_backoff(attempt)),
        }
    }

    async fn attempt(&self, call: &Call<'_>, url: Url) -> Attempt {
        let mut request = self.http.request(call.method.clone(), url);
        if let Some(timeout) = call.timeout {
            request = request.timeout(timeout);
        }
        if let Some(key) = call.key {
            request = request.header(IDEMPOTENCY_KEY_HEADER, key);
        }
        for (name, value) in &call.headers {
            request = request.header(*name, *value);
        }
        request = match &call.payload {
            Payload::Empty => request,
            Payload::Json(body) => request.header(CONTENT_TYPE, "application/json").body(body.to_vec()),
            Payload::Image(kind, bytes) => {
                request.header(CONTENT_TYPE, kind.content_type()).body(bytes.to_vec())
            }
        };
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return Attempt::Failure(ClientError::from_transport(error)),
        };
        let status = response.status();
        if status.is_redirection() {
            let detail = "redirects are not part of the API".into();
            return Attempt::Failure(ClientError::UnexpectedResponse { status: status.as_u16(), detail });
        }
        let headers = response.headers().clone();
        let body = match read_body(response).await {
            Ok(body) => body,
            Err(failure) => return Attempt::Failure(failure),
        };
        if status.is_success() {
            Attempt::Success(Answer { status: status.as_u16(), headers, body })
        } else {
            Attempt::Failure(ClientError::from_answer(status.as_u16(), retry_after(&headers), &body))
        }
    }
}

/// The body, refused past [`MAX_ANSWER_BYTES`].
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, ClientError> {
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ClientError::from_transport)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            let detail = format!("the body exceeds {MAX_ANSWER_BYTES} bytes");
            return Err(ClientError::UnexpectedResponse { status, detail });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The `Retry-After` header in seconds (the HTTP-date form is not used by the API).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}
