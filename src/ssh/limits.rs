//! Bounds for a server exposed to a network.
//!
//! - **Before login** every connection is a `Guarded` stream: it is dropped when its login
//!   deadline passes (counted from the TCP accept, so the banner and the key exchange are
//!   inside it), or when `PreAuth` evicts it. `PreAuth` caps connections that have not logged
//!   in yet, in all and per address, apart from the participant cap; when a cap is reached the
//!   new connection is let in and the stalest waiting one goes (one that has not even started
//!   to authenticate, else the oldest), so silent sockets cannot keep a real participant out.
//! - **Failed logins** slow down the guesser, never a correct secret: a failure is answered
//!   after a delay that doubles per failure of the same address and name (and, more gently,
//!   of the same address); a right secret is always accepted at once and clears its name's
//!   count. A whole room behind one NAT address is never locked out.
//! - `Connections` counts sessions (participants, and the trainer's reserved slots apart).

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Failures of one address and name allowed before replies slow down.
pub const FREE_FAILURES: u32 = 5;
/// Failures of one address (any name) allowed before replies slow down: a room behind one
/// NAT address mistyping a password now and then never gets there.
pub const FREE_FAILURES_PER_ADDRESS: u32 = 60;
/// The longest delay before a failure is answered.
pub const MAX_DELAY: Duration = Duration::from_secs(8);
/// Failures are forgotten after this long without one.
pub const WINDOW: Duration = Duration::from_secs(10 * 60);
/// Keys remembered at most (old ones are dropped first).
const MAX_KEYS: usize = 10_000;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `base · 2^(n − free)` once `n` passes `free`, at most `MAX_DELAY`.
fn backoff(n: u32, free: u32, base: Duration) -> Duration {
    if n <= free {
        return Duration::ZERO;
    }
    let exp = (n - free - 1).min(16);
    base.saturating_mul(1 << exp).min(MAX_DELAY)
}

#[derive(Debug, Default)]
pub struct AuthLimiter {
    by_name: Mutex<HashMap<(IpAddr, String), (Instant, u32)>>,
    by_address: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

fn count<K: std::hash::Hash + Eq>(map: &Mutex<HashMap<K, (Instant, u32)>>, key: K) -> u32 {
    let mut m = lock(map);
    if m.len() >= MAX_KEYS {
        m.retain(|_, (last, _)| last.elapsed() < WINDOW);
        if m.len() >= MAX_KEYS {
            m.clear();
        }
    }
    let e = m.entry(key).or_insert((Instant::now(), 0));
    if e.0.elapsed() >= WINDOW {
        e.1 = 0;
    }
    e.0 = Instant::now();
    e.1 = e.1.saturating_add(1);
    e.1
}

impl AuthLimiter {
    /// Records a failed login; returns how long to wait before saying so.
    pub fn failed(&self, ip: IpAddr, name: &str) -> Duration {
        let n = count(&self.by_name, (ip, name.to_string()));
        let a = count(&self.by_address, ip);
        backoff(n, FREE_FAILURES, Duration::from_millis(250)).max(backoff(
            a,
            FREE_FAILURES_PER_ADDRESS,
            Duration::from_millis(100),
        ))
    }

    /// A correct secret: that name's failures from that address are forgotten.
    pub fn succeeded(&self, ip: IpAddr, name: &str) {
        lock(&self.by_name).remove(&(ip, name.to_string()));
    }
}

/// Ends a connection from outside its task: the next read or write of its `Guarded` stream
/// fails, which ends russh's session loop and closes the socket.
#[derive(Debug, Default)]
pub struct Kill {
    killed: AtomicBool,
    wakers: Mutex<[Option<Waker>; 2]>,
}

impl Kill {
    pub fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
        for w in lock(&self.wakers).iter_mut() {
            if let Some(w) = w.take() {
                w.wake();
            }
        }
    }

    pub fn is_killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }

    /// True when killed; otherwise remembers who to wake (slot 0: reader, 1: writer).
    fn check(&self, slot: usize, cx: &Context<'_>) -> bool {
        if self.is_killed() {
            return true;
        }
        lock(&self.wakers)[slot] = Some(cx.waker().clone());
        self.is_killed()
    }
}

/// How far a waiting connection got (evicted lowest first).
pub const SILENT: u8 = 0;
/// It sent more than a banner: its side of the key exchange is under way.
pub const KEYING: u8 = 1;
/// It asked to authenticate.
pub const AUTHENTICATING: u8 = 2;
/// Bytes a client sends before it counts as `KEYING` (a banner is at most 255).
const BANNER_MAX: usize = 256;

/// A connection's socket with its login deadline and kill switch.
pub struct Guarded<S> {
    inner: S,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    authed: Arc<AtomicBool>,
    kill: Arc<Kill>,
    progress: Option<Arc<AtomicU8>>,
    read: usize,
}

impl<S> Guarded<S> {
    /// `limit` counts from now (the accept); after it, unless `authed` is set, the stream
    /// fails.
    pub fn new(inner: S, limit: Duration, authed: Arc<AtomicBool>, kill: Arc<Kill>) -> Self {
        Guarded {
            inner,
            deadline: Some(Box::pin(tokio::time::sleep(limit))),
            authed,
            kill,
            progress: None,
            read: 0,
        }
    }

    /// Reports to `progress` when the client has sent more than a banner (`KEYING`).
    pub fn with_progress(mut self, progress: Arc<AtomicU8>) -> Self {
        self.progress = Some(progress);
        self
    }

    fn stop(&mut self, slot: usize, cx: &mut Context<'_>) -> Option<std::io::Error> {
        if self.kill.check(slot, cx) {
            return Some(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "connection closed by the server",
            ));
        }
        if self.authed.load(Ordering::SeqCst) {
            self.deadline = None;
        }
        if let Some(d) = &mut self.deadline
            && d.as_mut().poll(cx).is_ready()
        {
            return Some(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "login timeout",
            ));
        }
        None
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if let Some(e) = self.stop(0, cx) {
            return Poll::Ready(Err(e));
        }
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if self.progress.is_some() {
            self.read += buf.filled().len() - before;
            if self.read > BANNER_MAX
                && let Some(p) = self.progress.take()
            {
                p.fetch_max(KEYING, Ordering::Relaxed);
            }
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if let Some(e) = self.stop(1, cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if let Some(e) = self.stop(1, cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Connections that have not logged in yet.
#[derive(Debug)]
pub struct PreAuth {
    pub max_total: usize,
    pub max_per_address: usize,
    waiting: Mutex<HashMap<u64, Waiting>>,
    next: AtomicU64,
}

#[derive(Debug)]
struct Waiting {
    ip: IpAddr,
    since: Instant,
    /// `SILENT`, `KEYING` or `AUTHENTICATING`.
    progress: Arc<AtomicU8>,
    kill: Arc<Kill>,
}

/// A place among the waiting connections; given back when dropped (logged in, or gone).
pub struct Ticket {
    pre: Arc<PreAuth>,
    id: u64,
    pub progress: Arc<AtomicU8>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        lock(&self.pre.waiting).remove(&self.id);
    }
}

impl PreAuth {
    pub fn new(max_total: usize, max_per_address: usize) -> Arc<PreAuth> {
        Arc::new(PreAuth {
            max_total: max_total.max(1),
            max_per_address: max_per_address.max(1),
            waiting: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
        })
    }

    pub fn len(&self) -> usize {
        lock(&self.waiting).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lets a new connection wait for its login, evicting the stalest waiting one (of the same
    /// address when that address is at its cap, else of all) when a cap is reached.
    pub fn admit(self: &Arc<Self>, ip: IpAddr, kill: Arc<Kill>) -> Ticket {
        let mut w = lock(&self.waiting);
        let same = w.values().filter(|c| c.ip == ip).count();
        let victim = if same >= self.max_per_address {
            stalest(&w, |c| c.ip == ip)
        } else if w.len() >= self.max_total {
            stalest(&w, |_| true)
        } else {
            None
        };
        if let Some(id) = victim
            && let Some(c) = w.remove(&id)
        {
            c.kill.kill();
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let progress = Arc::new(AtomicU8::new(SILENT));
        w.insert(
            id,
            Waiting {
                ip,
                since: Instant::now(),
                progress: progress.clone(),
                kill,
            },
        );
        Ticket {
            pre: self.clone(),
            id,
            progress,
        }
    }
}

/// The connection to evict: the one that got least far (silent or banner only, then keying,
/// then authenticating), the oldest first.
fn stalest(w: &HashMap<u64, Waiting>, pick: impl Fn(&Waiting) -> bool) -> Option<u64> {
    w.iter()
        .filter(|(_, c)| pick(c))
        .min_by_key(|(_, c)| (c.progress.load(Ordering::Relaxed), c.since))
        .map(|(id, _)| *id)
}

/// Counts open sessions; a `Slot` gives its place back when dropped, however the session
/// ends.
#[derive(Debug, Clone)]
pub struct Connections {
    open: Arc<AtomicUsize>,
    pub max: usize,
}

pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Connections {
    pub fn new(max: usize) -> Self {
        Connections {
            open: Arc::new(AtomicUsize::new(0)),
            max,
        }
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    pub fn try_take(&self) -> Option<Slot> {
        let mut cur = self.open.load(Ordering::SeqCst);
        loop {
            if cur >= self.max {
                return None;
            }
            match self
                .open
                .compare_exchange(cur, cur + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return Some(Slot(self.open.clone())),
                Err(now) => cur = now,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_one_address_and_name_and_success_clears_it() {
        let l = AuthLimiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..FREE_FAILURES {
            assert_eq!(l.failed(a, "trainer"), Duration::ZERO);
        }
        let d1 = l.failed(a, "trainer");
        let d2 = l.failed(a, "trainer");
        assert!(d1 > Duration::ZERO && d2 > d1, "{d1:?} {d2:?}");
        for _ in 0..40 {
            assert!(l.failed(a, "trainer") <= MAX_DELAY);
        }
        // Another name from the same address, and the same name elsewhere, are not slowed.
        assert_eq!(l.failed(a, "an"), Duration::ZERO);
        assert_eq!(l.failed(b, "trainer"), Duration::ZERO);
        l.succeeded(a, "trainer");
        assert_eq!(l.failed(a, "trainer"), Duration::ZERO);
    }

    #[test]
    fn many_names_from_one_address_slow_down_too() {
        let l = AuthLimiter::default();
        let a: IpAddr = "10.0.0.3".parse().unwrap();
        for i in 0..FREE_FAILURES_PER_ADDRESS {
            assert_eq!(l.failed(a, &format!("n{i}")), Duration::ZERO);
        }
        assert!(l.failed(a, "fresh") > Duration::ZERO);
    }

    #[test]
    fn slots_are_returned() {
        let c = Connections::new(2);
        let s1 = c.try_take().unwrap();
        let _s2 = c.try_take().unwrap();
        assert!(c.try_take().is_none());
        drop(s1);
        assert!(c.try_take().is_some());
    }

    #[test]
    fn a_full_waiting_room_evicts_the_stalest_not_the_newcomer() {
        let pre = PreAuth::new(3, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let k: Vec<Arc<Kill>> = (0..5).map(|_| Arc::new(Kill::default())).collect();
        let t0 = pre.admit(a, k[0].clone());
        std::thread::sleep(Duration::from_millis(2));
        let t1 = pre.admit(a, k[1].clone());
        // t0 started authenticating: t1, silent, is the stalest despite being newer.
        t0.progress.store(AUTHENTICATING, Ordering::SeqCst);
        let t2 = pre.admit(a, k[2].clone());
        assert!(k[1].is_killed() && !k[0].is_killed());
        assert_eq!(pre.len(), 2);
        drop(t1);
        assert_eq!(pre.len(), 2);
        // The total cap: another address pushes out the oldest silent one overall.
        let t3 = pre.admit(b, k[3].clone());
        assert_eq!(pre.len(), 3);
        // t3 (newer) is keying: the silent t2 goes first.
        t3.progress.store(KEYING, Ordering::SeqCst);
        let _t4 = pre.admit(b, k[4].clone());
        assert!(k[2].is_killed(), "the silent one goes first");
        drop(t2);
        assert!(!k[0].is_killed() && !k[3].is_killed() && !k[4].is_killed());
        drop(t0);
        assert_eq!(pre.len(), 2);
    }

    async fn pair() -> (tokio::net::TcpStream, tokio::net::TcpStream) {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let c = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (s, _) = l.accept().await.unwrap();
        (c, s)
    }

    async fn read_err<S: AsyncRead + Unpin>(g: &mut Guarded<S>) -> std::io::ErrorKind {
        let mut buf = [0u8; 8];
        std::future::poll_fn(|cx| {
            let mut rb = ReadBuf::new(&mut buf);
            Pin::new(&mut *g).poll_read(cx, &mut rb)
        })
        .await
        .unwrap_err()
        .kind()
    }

    #[tokio::test]
    async fn a_guarded_stream_fails_at_its_deadline_and_when_killed() {
        let (_client, server) = pair().await;
        let authed = Arc::new(AtomicBool::new(false));
        let kill = Arc::new(Kill::default());
        let mut g = Guarded::new(server, Duration::from_millis(50), authed, kill);
        assert_eq!(read_err(&mut g).await, std::io::ErrorKind::TimedOut);

        let (_client, server) = pair().await;
        let authed = Arc::new(AtomicBool::new(true));
        let kill = Arc::new(Kill::default());
        let progress = Arc::new(AtomicU8::new(SILENT));
        let mut g = Guarded::new(server, Duration::from_millis(1), authed, kill.clone())
            .with_progress(progress.clone());
        let k = kill.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            k.kill();
        });
        // More than a banner from the client: it counts as keying (evicted after silent ones).
        let (mut client, server2) = pair().await;
        let p2 = Arc::new(AtomicU8::new(SILENT));
        let mut g2 = Guarded::new(
            server2,
            Duration::from_secs(5),
            Arc::new(AtomicBool::new(false)),
            Arc::new(Kill::default()),
        )
        .with_progress(p2.clone());
        std::future::poll_fn(|cx| Pin::new(&mut client).poll_write(cx, &[b'x'; 300]))
            .await
            .unwrap();
        let mut got = 0;
        while got < 300 {
            let mut b = [0u8; 512];
            got += std::future::poll_fn(|cx| {
                let mut rb = ReadBuf::new(&mut b);
                Pin::new(&mut g2)
                    .poll_read(cx, &mut rb)
                    .map_ok(|()| rb.filled().len())
            })
            .await
            .unwrap();
        }
        assert_eq!(p2.load(Ordering::Relaxed), KEYING);
        assert_eq!(progress.load(Ordering::Relaxed), SILENT);
        // Logged in: the deadline no longer applies, but the kill switch does.
        assert_eq!(
            read_err(&mut g).await,
            std::io::ErrorKind::ConnectionAborted
        );
    }
}
