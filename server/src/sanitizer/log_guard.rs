//! Keeps the server's own logs clean: every formatted log line passes through the sanitizer
//! before it reaches stderr, so no log line carries a value the sanitizer would mask.
//!
//! Logging must not be a way to make the server work hard: a client-chosen field (a path, a
//! header) is cut to [`MAX_FIELD`] bytes where it is logged, and a whole event to
//! [`MAX_EVENT`] bytes before it is sanitized, so one log line costs a bounded time.

use std::io::Write;
use std::sync::{Arc, LazyLock};

use tracing_subscriber::fmt::MakeWriter;

use super::Sanitizer;

/// The most bytes of one client-chosen field that reach a log line.
pub const MAX_FIELD: usize = 256;
/// The most bytes of one formatted event that are sanitized and written.
pub const MAX_EVENT: usize = 8 * 1024;

/// `value` cut to at most `max` bytes on a character boundary, marked when it was cut.
/// The cut backs off to the last space within 32 bytes, so no piece of a cut-off token
/// (half a key the sanitizer can no longer recognise) ends the line.
pub fn bounded(value: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if value.len() <= max {
        return value.into();
    }
    let mut end = max;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    let head = &value[..end];
    let head = match head[end.saturating_sub(32)..].rfind(|c: char| c.is_ascii_whitespace()) {
        Some(p) => &head[..end.saturating_sub(32) + p],
        None => head,
    };
    format!("{head}…[{} more bytes]", value.len() - head.len()).into()
}

/// A `MakeWriter` for tracing-subscriber that sanitizes each event before writing it.
#[derive(Clone)]
pub struct SanitizingStderr {
    sanitizer: Arc<Sanitizer>,
}

static DEFAULT: LazyLock<Arc<Sanitizer>> = LazyLock::new(|| Arc::new(Sanitizer::new()));

impl SanitizingStderr {
    pub fn new(sanitizer: Arc<Sanitizer>) -> Self {
        Self { sanitizer }
    }
}

impl Default for SanitizingStderr {
    fn default() -> Self {
        Self::new(DEFAULT.clone())
    }
}

/// Buffers one event; sanitizes and writes it on drop (tracing writes an event, then drops).
pub struct EventWriter {
    sanitizer: Arc<Sanitizer>,
    buffer: Vec<u8>,
}

impl Write for EventWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for EventWriter {
    fn drop(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.buffer);
        let ends_line = text.ends_with('\n');
        let mut clean = self.sanitizer.sanitize(&bounded(&text, MAX_EVENT)).text;
        if ends_line && !clean.ends_with('\n') {
            clean.push('\n');
        }
        let _ = std::io::stderr().lock().write_all(clean.as_bytes());
    }
}

impl<'a> MakeWriter<'a> for SanitizingStderr {
    type Writer = EventWriter;

    fn make_writer(&'a self) -> Self::Writer {
        EventWriter {
            sanitizer: self.sanitizer.clone(),
            buffer: Vec::with_capacity(256),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_pass_and_long_ones_are_cut_and_marked() {
        assert_eq!(bounded("GET /runbooks", 256), "GET /runbooks");
        let long = "é".repeat(300);
        let cut = bounded(&long, 255);
        assert!(cut.starts_with(&"é".repeat(127)), "cut on a char boundary");
        assert!(cut.ends_with("é…[346 more bytes]"), "{cut}");
    }

    #[test]
    fn a_cut_never_leaves_half_a_token_at_the_end() {
        let line = format!("{} AKIAIOSFODNN7EXAMPLE", "word ".repeat(10));
        let cut = bounded(&line, 60);
        assert!(!cut.contains("AKIA"), "{cut}");
        assert!(cut.starts_with("word word"), "{cut}");
    }
}
