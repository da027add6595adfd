//! A tiny HTTP/1.1 server for tests, on 127.0.0.1 only: a test starts it with a
//! handler closure that scripts the reply to each request, and reads back every
//! request it received (method, path, headers, body). It can answer slowly, hang,
//! send huge bodies, HTML or redirects, so the client's failure handling is tested
//! against real sockets without reaching any other address.
//!
//! One request per connection (`Connection: close`), bodies by `Content-Length`
//! only (what ureq sends). Every read and write is bounded by a timeout, and the
//! server thread and its connection threads stop when the server is dropped.

// Each test crate uses its own part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long any one socket read or write may block.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Requests larger than this are not what any client under test sends.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;
const MAX_HEAD: usize = 64 * 1024;
/// The longest a `hang` reply holds its connection (unless the server is dropped).
const HANG_LIMIT: Duration = Duration::from_mins(1);

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target as sent, query included.
    pub path: String,
    /// Names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// Everything received, as text: for asserting what never appears.
    pub fn raw_text(&self) -> String {
        let mut text = format!("{} {}\n", self.method, self.path);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push_str(&self.body_text());
        text
    }
}

/// What a reply's body is.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// `len` copies of one byte, generated while writing (huge bodies cost no memory).
    Repeat {
        byte: u8,
        len: u64,
    },
}

/// A scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Send `Content-Length` (otherwise the body ends when the connection closes).
    pub content_length: bool,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Never answer: hold the connection until the client gives up or the server stops.
    pub hang: bool,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
            content_length: true,
            delay: Duration::ZERO,
            hang: false,
        }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Reply::new(status, "application/json", value.to_string())
    }

    pub fn html(status: u16, page: &str) -> Self {
        Reply::new(status, "text/html; charset=utf-8", page)
    }

    pub fn text(status: u16, text: &str) -> Self {
        Reply::new(status, "text/plain", text)
    }

    pub fn redirect(status: u16, location: &str) -> Self {
        Reply::new(status, "text/html", "<a href=\"/\">moved</a>").header("Location", location)
    }

    /// `len` bytes of JSON-looking filler; with `content_length` false the client
    /// learns the size only by reading.
    pub fn huge(len: u64, content_length: bool) -> Self {
        Reply {
            body: Body::Repeat { byte: b' ', len },
            content_length,
            ..Reply::new(200, "application/json", Vec::new())
        }
    }

    pub fn hang() -> Self {
        Reply {
            hang: true,
            ..Reply::text(200, "")
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// The running server. Dropping it stops it.
pub struct FakeServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FakeServer {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let acceptor = {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            let connections = Arc::clone(&connections);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let requests = Arc::clone(&requests);
                    let stop = Arc::clone(&stop);
                    let handler = Arc::clone(&handler);
                    let handle = std::thread::spawn(move || {
                        serve(stream, &requests, &stop, handler.as_ref());
                    });
                    let mut open = lock(&connections);
                    open.retain(|h| !h.is_finished());
                    open.push(handle);
                }
            })
        };
        FakeServer {
            addr,
            requests,
            stop,
            acceptor: Some(acceptor),
            connections,
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.requests).clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for handle in lock(&self.connections).drain(..) {
            let _ = handle.join();
        }
    }
}

fn serve(stream: TcpStream, requests: &Mutex<Vec<Request>>, stop: &AtomicBool, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let Some(request) = read_request(&stream) else {
        return;
    };
    lock(requests).push(request.clone());
    // A panicking handler (a failed assertion in a test) must not leave the client
    // waiting: the connection just closes.
    let Ok(reply) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
    else {
        return;
    };
    if reply.hang {
        wait(stop, HANG_LIMIT);
        return;
    }
    if !reply.delay.is_zero() && !wait(stop, reply.delay) {
        return;
    }
    let _ = write_reply(stream, &reply);
}

/// Sleeps up to `limit`, in small steps so a stopping server is not held up.
/// Returns whether the whole time passed (false: the server is stopping).
fn wait(stop: &AtomicBool, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.take((MAX_HEAD + MAX_REQUEST_BODY) as u64));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    let mut head_size = line.len();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).ok()?;
        head_size += n;
        if n == 0 || head_size > MAX_HEAD {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    if length > MAX_REQUEST_BODY {
        return None;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

fn write_reply(mut stream: TcpStream, reply: &Reply) -> std::io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nConnection: close\r\n",
        reply.status
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let length = match &reply.body {
        Body::Bytes(bytes) => bytes.len() as u64,
        Body::Repeat { len, .. } => *len,
    };
    if reply.content_length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    match &reply.body {
        Body::Bytes(bytes) => stream.write_all(bytes)?,
        Body::Repeat { byte, len } => {
            // The client is expected to hang up early; a write error ends this.
            let chunk = vec![*byte; 64 * 1024];
            let mut left = *len;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                stream.write_all(&chunk[..n])?;
                left -= n as u64;
            }
        }
    }
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    // Let the client read everything before the socket closes under it.
    let mut rest = [0u8; 256];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let _ = stream.read(&mut rest);
    Ok(())
}
