//! Servers that misbehave, over raw TCP: one answering from a script, one that never answers, a proxy
//! that loses the first answer, and a closed port. Each records what it received.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as a stub received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Request line and headers, as sent.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Received {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }

    /// The request line (`POST /v1/enrollments HTTP/1.1`).
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }
}

/// A running stub: its URL and what it received, served until dropped.
pub struct Stub {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stub {
    /// The requests received so far (for the silent stub: the connections accepted, with whatever
    /// request each carried).
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }

    /// Answers the n-th request with `replies[n]` (the last one again once they run out), one request
    /// per connection.
    pub async fn scripted(replies: Vec<String>) -> Self {
        Self::serve(move |mut stream, received, n| {
            let reply = replies.get(n).or(replies.last()).cloned().unwrap_or_default();
            async move {
                if let Some(request) = read_request(&mut stream).await {
                    received.lock().expect("not poisoned").push(request);
                    let _ = stream.write_all(reply.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
            }
        })
        .await
    }

    /// Reads each request and never answers (holds the connection open).
    pub async fn silent() -> Self {
        Self::serve(|mut stream, received, _| async move {
            if let Some(request) = read_request(&mut stream).await {
                received.lock().expect("not poisoned").push(request);
            }
            std::future::pending::<()>().await;
            drop(stream);
        })
        .await
    }

    /// Forwards to `upstream` (`http://host:port`), except that the answer to the first request is lost:
    /// the connection closes once the upstream has started answering (so it did the work).
    pub async fn losing_first_answer(upstream: &str) -> Self {
        let upstream = upstream.trim_start_matches("http://").to_owned();
        Self::serve(move |mut stream, received, n| {
            let upstream = upstream.clone();
            async move {
                let Some(request) = read_request(&mut stream).await else { return };
                received.lock().expect("not poisoned").push(request.clone());
                let Ok(mut server) = TcpStream::connect(&upstream).await else { return };
                let _ = server.write_all(request.head.as_bytes()).await;
                let _ = server.write_all(&request.body).await;
                if n == 0 {
                    let mut first = [0u8; 1];
                    let _ = server.read(&mut first).await;
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut stream, &mut server).await;
            }
        })
        .await
    }

    async fn serve<F, Fut>(handle: F) -> Self
    where
        F: Fn(TcpStream, Arc<Mutex<Vec<Received>>>, usize) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let task = tokio::spawn(async move {
            let mut n = 0;
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(handle(stream, log.clone(), n));
                n += 1;
            }
        });
        Self { url, received, task }
    }
}

/// The URL of a loopback port nobody listens on.
pub async fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    drop(listener);
    format!("http://{address}")
}

/// An HTTP/1.1 answer with `status`, extra `headers` and `body`, closing the connection.
pub fn reply(status: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text
}

/// An answer with a JSON body.
pub fn json_reply(status: &str, body: &serde_json::Value) -> String {
    reply(status, &[("Content-Type", "application/json")], &body.to_string())
}

/// One request: the head up to the blank line, then `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut request = Received { head, body: buffer[head_end..].to_vec() };
    let length = request.header("content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    while request.body.len() < length {
        let read = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        request.body.extend_from_slice(&chunk[..read]);
    }
    Some(request)
}
