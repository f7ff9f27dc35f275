# Shared helpers for the .ci scripts: install what is missing, build the WASM bundle.
# Sourced, not run. Everything here is idempotent: a second run installs nothing.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION="0.2.130"   # must equal the wasm-bindgen crate in Cargo.lock

say() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_rust_tools() {
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
}

ensure_wasm_toolchain() {
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once, about 2-10 minutes)"
    # Without --locked: its lock file pins a crate the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

ensure_browser_tools() {
  apt_install chromium
  command -v node >/dev/null || apt_install nodejs npm
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    say "installing the end2end npm packages (Playwright without its browsers)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

# Builds the hydration bundle into target/site/pkg (debug unless $1 = release).
build_site() {
  local profile="${1:-dev}" dir="debug" flags=()
  if [ "$profile" = "release" ]; then flags=(--profile wasm-release); dir="wasm-release"; fi
  say "building the WASM bundle ($profile)"
  cargo build -p app --lib --target wasm32-unknown-unknown --features hydrate "${flags[@]}"
  mkdir -p "$ROOT/target/site/pkg"
  wasm-bindgen --target web --out-name gatehouse --out-dir "$ROOT/target/site/pkg" \
    "$ROOT/target/wasm32-unknown-unknown/$dir/app.wasm"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
