//! A loopback TCP proxy that, once armed, holds back the server's answer to the first request whose
//! bytes contain a needle (e.g. `/csrs`) and calls a trigger instead (the test kills the CLI there):
//! the server has done the work, the client never hears of it.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Called once, with the held-back answer in hand.
pub type Trigger = Arc<dyn Fn() + Send + Sync>;

/// The proxy; its threads end with the test process.
pub struct Proxy {
    /// Where clients connect.
    pub address: SocketAddr,
    armed: Arc<AtomicBool>,
}

impl Proxy {
    /// Forwards to `upstream`; armed to cut the answer to the first request containing `needle`.
    pub fn start(upstream: SocketAddr, needle: &'static [u8], trigger: Trigger) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let armed = Arc::new(AtomicBool::new(true));
        let shared = armed.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(upstream) else { continue };
                connect(client, server, needle, shared.clone(), trigger.clone());
            }
        });
        Self { address, armed }
    }

    /// Whether the trigger fired.
    pub fn fired(&self) -> bool {
        !self.armed.load(Ordering::SeqCst)
    }
}

fn connect(
    client: TcpStream,
    server: TcpStream,
    needle: &'static [u8],
    armed: Arc<AtomicBool>,
    trigger: Trigger,
) {
    let marked = Arc::new(AtomicBool::new(false));
    let (mut client_in, mut server_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let seen = marked.clone();
    let watching = armed.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(n) = client_in.read(&mut buffer) {
            if n == 0 {
                break;
            }
            let chunk = &buffer[..n];
            if watching.load(Ordering::SeqCst) && chunk.windows(needle.len()).any(|w| w == needle) {
                seen.store(true, Ordering::SeqCst);
            }
            if server_out.write_all(chunk).is_err() {
                break;
            }
        }
        let _ = server_out.shutdown(Shutdown::Write);
    });
    let (mut server_in, mut client_out) = (server, client);
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(n) = server_in.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if marked.load(Ordering::SeqCst) && armed.swap(false, Ordering::SeqCst) {
                trigger();
                break;
            }
            if client_out.write_all(&buffer[..n]).is_err() {
                break;
            }
        }
        let _ = client_out.shutdown(Shutdown::Both);
        let _ = server_in.shutdown(Shutdown::Both);
    });
}
