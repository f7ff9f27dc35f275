//! Keeps the server's own logs clean: every formatted log line passes through the sanitizer
//! before it reaches stderr, so no log line carries a value the sanitizer would mask.

use std::io::Write;
use std::sync::{Arc, LazyLock};

use tracing_subscriber::fmt::MakeWriter;

use super::Sanitizer;

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
        let clean = self.sanitizer.sanitize(&text);
        let _ = std::io::stderr().lock().write_all(clean.text.as_bytes());
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
