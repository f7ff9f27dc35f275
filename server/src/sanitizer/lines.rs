//! Line arithmetic on byte offsets, shared by the per-line detectors and the manifest scan.

/// The line holding byte `at`: its start, its end without `\r\n`, and where the next
/// line starts (the text's length for the last line).
pub(super) fn line_around(text: &str, at: usize) -> (usize, usize, usize) {
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |p| p + 1);
    match memchr::memchr(b'\n', &bytes[at..]) {
        Some(p) => {
            let newline = at + p;
            let end = if newline > start && bytes[newline - 1] == b'\r' {
                newline - 1
            } else {
                newline
            };
            (start, end, newline + 1)
        }
        None => (start, text.len(), text.len()),
    }
}

/// The lines holding `needle`, each once however often it occurs there: one pass.
pub(super) fn lines_holding<'a>(
    text: &'a str,
    needle: &'a [u8],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut done = 0;
    memchr::memmem::find_iter(text.as_bytes(), needle).filter_map(move |p| {
        if p < done {
            return None;
        }
        let (s, e, next) = line_around(text, p);
        done = next.max(e + 1);
        Some((s, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_and_without_carriage_returns() {
        let text = "one\r\ntwo\nthree";
        assert_eq!(line_around(text, 0), (0, 3, 5));
        assert_eq!(line_around(text, 6), (5, 8, 9));
        assert_eq!(line_around(text, 9), (9, 14, 14));
        assert_eq!(
            line_around(text, 8),
            (5, 8, 9),
            "the newline belongs to its line"
        );
    }
}
