//! `gatehouse redact`: JSON Lines in, JSON Lines out, as DESIGN.md specifies; or plain text.
//!
//! In: `{"id":…,"text":"…"}` per line. Out: `{"id":…,"text":"<sanitized>","findings":[{"start":b,
//! "end":e,"category":"…"}]}` per line, offsets in bytes of the input text. A line that is not
//! valid UTF-8 or JSON, or has no `text` string, becomes `{"id":…,"error":"line N: …"}` and the
//! rest is processed.

use std::io::{BufRead, Write};

use serde::Serialize;
use serde_json::Value;

use super::{Finding, Sanitizer};

#[derive(Serialize)]
struct FindingJson {
    start: usize,
    end: usize,
    category: &'static str,
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a Value,
    text: String,
    findings: Vec<FindingJson>,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    id: &'a Value,
    error: String,
}

fn error_record(id: &Value, line_no: usize, msg: String) -> ErrorRecord<'_> {
    ErrorRecord {
        id,
        error: format!("line {line_no}: {msg}"),
    }
}

fn findings_json(findings: &[Finding]) -> Vec<FindingJson> {
    findings
        .iter()
        .map(|f| FindingJson {
            start: f.start,
            end: f.end,
            category: f.category,
        })
        .collect()
}

/// What a run did, for the exit status and a summary on stderr.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RedactStats {
    pub lines: usize,
    pub errors: usize,
    pub findings: usize,
}

/// Processes JSON Lines from `input` to `output`.
pub fn json_lines(
    sanitizer: &Sanitizer,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<RedactStats> {
    let mut stats = RedactStats::default();
    for (n, line) in input.split(b'\n').enumerate() {
        let line = line?;
        let line_no = n + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        stats.lines += 1;
        let null = Value::Null;
        let text = match std::str::from_utf8(&line) {
            Ok(t) => t,
            Err(e) => {
                stats.errors += 1;
                serde_json::to_writer(
                    &mut output,
                    &error_record(
                        &null,
                        line_no,
                        format!("not valid UTF-8 at byte {}", e.valid_up_to()),
                    ),
                )?;
                output.write_all(b"\n")?;
                continue;
            }
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                stats.errors += 1;
                serde_json::to_writer(
                    &mut output,
                    &error_record(&null, line_no, format!("invalid JSON: {e}")),
                )?;
                output.write_all(b"\n")?;
                continue;
            }
        };
        let id = value.get("id").unwrap_or(&null);
        match value.get("text").and_then(Value::as_str) {
            Some(t) => {
                let out = sanitizer.sanitize(t);
                stats.findings += out.findings.len();
                serde_json::to_writer(
                    &mut output,
                    &Record {
                        id,
                        findings: findings_json(&out.findings),
                        text: out.text,
                    },
                )?;
            }
            None => {
                stats.errors += 1;
                serde_json::to_writer(
                    &mut output,
                    &error_record(
                        id,
                        line_no,
                        "expected an object with a string field `text`".into(),
                    ),
                )?;
            }
        }
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(stats)
}

/// Masks plain text from `input` to `output`, line by line (PEM blocks are taken whole).
pub fn plain(
    sanitizer: &Sanitizer,
    mut input: impl std::io::Read,
    mut output: impl Write,
) -> std::io::Result<RedactStats> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let out = sanitizer.sanitize(&text);
    output.write_all(out.text.as_bytes())?;
    output.flush()?;
    Ok(RedactStats {
        lines: text.lines().count(),
        errors: 0,
        findings: out.findings.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_round_trip_with_errors_per_line() {
        let input = b"{\"id\":1,\"text\":\"key AKIAIOSFODNN7EXAMPLE\"}\nnot json\n{\"id\":\"x\",\"text\":\"\xff\"}\n\xff\xfe\n{\"id\":3}\n{\"id\":4,\"text\":\"clean\"}\n";
        let mut out = Vec::new();
        let stats = json_lines(&Sanitizer::new(), &input[..], &mut out).expect("io");
        let lines: Vec<Value> = String::from_utf8(out)
            .expect("utf8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[0]["id"], 1);
        assert_eq!(lines[0]["text"], "key [REDACTED:aws-access-key]");
        assert_eq!(lines[0]["findings"][0]["start"], 4);
        assert_eq!(lines[0]["findings"][0]["end"], 24);
        assert_eq!(lines[0]["findings"][0]["category"], "aws-access-key");
        assert!(
            lines[1]["error"]
                .as_str()
                .expect("error")
                .starts_with("line 2: invalid JSON")
        );
        assert!(
            lines[2]["error"]
                .as_str()
                .expect("error")
                .starts_with("line 3: not valid UTF-8")
        );
        assert!(
            lines[3]["error"]
                .as_str()
                .expect("error")
                .starts_with("line 4: not valid UTF-8")
        );
        assert_eq!(lines[4]["id"], 3);
        assert!(
            lines[4]["error"]
                .as_str()
                .expect("error")
                .contains("`text`")
        );
        assert_eq!(lines[5]["text"], "clean");
        assert_eq!(
            stats,
            RedactStats {
                lines: 6,
                errors: 4,
                findings: 1
            }
        );
    }
}
