//! Workshop mode: the wizard served over SSH (russh) to a room of participants, each in their
//! own session, and the trainer's live dashboard.
//!
//! - `server`: the russh handler: authentication, what is refused, per-connection state.
//! - `session`: one thread per terminal session, owning its `Program` and screen buffer.
//! - `input`: raw client bytes → keys.
//! - `hostkey`: the persistent host key.
//! - `plain`: plain line mode over a channel (TERM=dumb, `ssh -t host plain`).
//! - `limits`: connection count and the failed-login rate limit.
//! - `serve`: `sansang serve`: set-up, join instructions, the accept loop.

pub mod hostkey;
pub mod input;
pub mod limits;
pub mod plain;
pub mod serve;
pub mod server;
pub mod session;

/// True on the threads that serve SSH sessions (named `ssh-…`), whose panics end only that
/// session: process-wide panic hooks must leave the local terminal alone for them.
pub fn is_session_thread() -> bool {
    std::thread::current()
        .name()
        .is_some_and(|n| n.starts_with("ssh-"))
}
