//! Headless Chromium driven over WebDriver (`chromedriver` + the `fantoccini` crate), for browser tests:
//! start it, open a page, read and fill elements, click, wait for a condition with a deadline, take an
//! element's screenshot. Synchronous on the outside (each [`Browser`] owns a small tokio runtime), so
//! that tests stay plain `#[test]`s beside the process-driving helpers.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/test.sh` installs them); without them
//! [`Browser::start`] fails the test with a message saying so, never skips it.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// The Chromium binary Debian installs.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's chromedriver.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How often [`Browser::wait_for`] looks again.
const POLL: Duration = Duration::from_millis(100);

/// One headless Chromium with a fresh profile, closed (and its driver killed) when dropped.
pub struct Browser {
    client: Option<Client>,
    runtime: tokio::runtime::Runtime,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn require(path: &str, package: &str) {
    assert!(
        Path::new(path).is_file(),
        "{path} is missing: browser tests need Debian's `{package}` (apt-get install chromium chromium-driver; \
         scripts/test.sh installs it)"
    );
}

impl Browser {
    /// Starts chromedriver on a free loopback port and a headless Chromium session through it.
    pub fn start() -> Self {
        require(CHROMIUM, "chromium");
        require(CHROMEDRIVER, "chromium-driver");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(address).is_err() {
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("chromedriver exited at start: {status}");
            }
            assert!(Instant::now() < deadline, "chromedriver did not listen on {address}");
            std::thread::sleep(POLL);
        }
        let profile = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let client = runtime.block_on(connect(port, profile.path())).unwrap_or_else(|e| {
            let _ = driver.kill();
            panic!("no Chromium session through chromedriver: {e}")
        });
        Self { client: Some(client), runtime, driver, _profile: profile }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open until dropped")
    }

    /// Opens `url` and waits until it has loaded.
    pub fn open(&self, url: &str) {
        self.runtime.block_on(self.client().goto(url)).unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    fn element(&self, id: &str) -> fantoccini::elements::Element {
        let css = format!("#{id}");
        self.runtime
            .block_on(self.client().find(Locator::Css(&css)))
            .unwrap_or_else(|e| panic!("no element #{id}: {e}"))
    }

    /// The page's current URL.
    pub fn url(&self) -> String {
        self.runtime
            .block_on(self.client().current_url())
            .unwrap_or_else(|e| panic!("current URL: {e}"))
            .to_string()
    }

    /// The value of the JavaScript expression `expression` on the page.
    pub fn eval(&self, expression: &str) -> serde_json::Value {
        let script = format!("return ({expression});");
        self.runtime
            .block_on(self.client().execute(&script, vec![]))
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    /// The rendered text of element `#id` (empty while hidden).
    pub fn text(&self, id: &str) -> String {
        let element = self.element(id);
        self.runtime.block_on(element.text()).unwrap_or_else(|e| panic!("text of #{id}: {e}"))
    }

    /// Whether element `#id` is shown.
    pub fn is_displayed(&self, id: &str) -> bool {
        let element = self.element(id);
        self.runtime.block_on(element.is_displayed()).unwrap_or_else(|e| panic!("#{id} displayed: {e}"))
    }

    /// Attribute `name` of element `#id`, if set.
    pub fn attribute(&self, id: &str, name: &str) -> Option<String> {
        let element = self.element(id);
        self.runtime.block_on(element.attr(name)).unwrap_or_else(|e| panic!("#{id}[{name}]: {e}"))
    }

    /// Types `text` into element `#id` (after clearing it).
    pub fn fill(&self, id: &str, text: &str) {
        let element = self.element(id);
        self.runtime
            .block_on(async {
                element.clear().await?;
                element.send_keys(text).await
            })
            .unwrap_or_else(|e| panic!("fill #{id}: {e}"));
    }

    /// Clicks element `#id`.
    pub fn click(&self, id: &str) {
        let element = self.element(id);
        self.runtime.block_on(element.click()).unwrap_or_else(|e| panic!("click #{id}: {e}"));
    }

    /// Waits until `condition` holds, looking every 100 ms; fails the test naming `what` (and the page's
    /// `#status`-like text the caller passes in `what`) once `deadline` has passed. The deadline guards
    /// against a hang; it is not a speed requirement.
    pub fn wait_for(&self, what: &str, deadline: Duration, mut condition: impl FnMut(&Self) -> bool) {
        let end = Instant::now() + deadline;
        while !condition(self) {
            assert!(Instant::now() < end, "waited {deadline:?} in vain for {what}");
            std::thread::sleep(POLL);
        }
    }

    /// Waits until element `#id` is shown with non-empty text, and returns the text. The page may still
    /// be loading or navigating meanwhile (the element missing, or gone stale between two calls).
    pub fn wait_text(&self, id: &str, deadline: Duration) -> String {
        let mut shown = None;
        self.wait_for(&format!("text in #{id}"), deadline, |b| {
            shown = b.shown_text(id);
            shown.is_some()
        });
        shown.unwrap_or_default()
    }

    /// The text of element `#id` if it is on the page now, shown and not empty.
    fn shown_text(&self, id: &str) -> Option<String> {
        let css = format!("#{id}");
        let element = self.runtime.block_on(self.client().find(Locator::Css(&css))).ok()?;
        let displayed = self.runtime.block_on(element.is_displayed()).ok()?;
        let text = self.runtime.block_on(element.text()).ok()?;
        (displayed && !text.is_empty()).then_some(text)
    }

    /// A PNG screenshot of element `#id`.
    pub fn screenshot(&self, id: &str) -> Vec<u8> {
        let element = self.element(id);
        self.runtime.block_on(element.screenshot()).unwrap_or_else(|e| panic!("screenshot of #{id}: {e}"))
    }

    /// Saves a PNG screenshot of element `#id` as `path`, and returns it.
    pub fn save_screenshot(&self, id: &str, path: &Path) -> PathBuf {
        std::fs::write(path, self.screenshot(id)).unwrap();
        path.to_owned()
    }
}

async fn connect(port: u16, profile: &Path) -> Result<Client, fantoccini::error::NewSessionError> {
    let options = json!({
        "binary": CHROMIUM,
        "args": [
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--no-first-run", "--window-size=1100,900", "--lang=en-US",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
