//! The least of headless Chromium over WebDriver (`chromedriver` + `fantoccini`) that the QR login test
//! needs: open a page, read an element's text, screenshot an element, wait for a condition. Synchronous
//! on the outside (a small tokio runtime of its own). Needs Debian's `chromium` and `chromium-driver`
//! (`scripts/test.sh` installs them); without them the test fails saying so.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const POLL: Duration = Duration::from_millis(100);

/// One headless Chromium with a fresh profile; closed, and its driver killed, when dropped.
pub struct Browser {
    client: Option<Client>,
    runtime: tokio::runtime::Runtime,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and a headless Chromium session through it.
    pub fn start() -> Self {
        for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            assert!(Path::new(path).is_file(), "{path} is missing: apt-get install {package}");
        }
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
        self.client.as_ref().expect("open until dropped")
    }

    /// Opens `url`.
    pub fn open(&self, url: &str) {
        self.runtime.block_on(self.client().goto(url)).unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The page's current URL.
    pub fn url(&self) -> String {
        self.runtime.block_on(self.client().current_url()).unwrap().to_string()
    }

    /// The rendered text of `#id`, or `None` when there is no such element.
    pub fn text(&self, id: &str) -> Option<String> {
        let css = format!("#{id}");
        self.runtime.block_on(async {
            let element = self.client().find(Locator::Css(&css)).await.ok()?;
            element.text().await.ok()
        })
    }

    /// The value of the JavaScript expression `expression` on the page.
    pub fn eval(&self, expression: &str) -> serde_json::Value {
        let script = format!("return ({expression});");
        self.runtime
            .block_on(self.client().execute(&script, vec![]))
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    /// A PNG screenshot of `#id`.
    pub fn screenshot(&self, id: &str) -> Vec<u8> {
        let css = format!("#{id}");
        self.runtime
            .block_on(async { self.client().find(Locator::Css(&css)).await?.screenshot().await })
            .unwrap_or_else(|e| panic!("screenshot of #{id}: {e}"))
    }

    /// Waits until `condition` gives a value, looking every 100 ms; fails naming `what` after
    /// `deadline` (a guard against a hang, not a speed requirement).
    pub fn wait_for<T>(
        &self,
        what: &str,
        deadline: Duration,
        mut condition: impl FnMut(&Self) -> Option<T>,
    ) -> T {
        let end = Instant::now() + deadline;
        loop {
            if let Some(value) = condition(self) {
                return value;
            }
            assert!(Instant::now() < end, "waited {deadline:?} in vain for {what}");
            std::thread::sleep(POLL);
        }
    }

    /// Waits until `#id` shows non-empty text, and returns it.
    pub fn wait_text(&self, id: &str) -> String {
        self.wait_for(&format!("text in #{id}"), Duration::from_secs(20), |b| {
            b.text(id).filter(|text| !text.trim().is_empty())
        })
    }
}

async fn connect(port: u16, profile: &Path) -> Result<Client, fantoccini::error::NewSessionError> {
    let options = serde_json::json!({
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
