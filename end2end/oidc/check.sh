#!/usr/bin/env bash
# Smoke test of the test identity provider (provider.mjs) with curl, no browser: discovery,
# a wrong password, an authorization code flow with PKCE, the token exchange and the
# ID token's claims, then RP-initiated logout. Exits non-zero on the first failure.
# Run: bash end2end/oidc/check.sh   (OIDC_PORT defaults to a free port)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${OIDC_PORT:-$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
portal="${OIDC_PORTAL_URL:-http://127.0.0.1:4001}"
client_id="${OIDC_CLIENT_ID:-gatehouse-e2e}"
secret="${OIDC_CLIENT_SECRET:-e2e-client-secret-not-for-production}"
op="http://127.0.0.1:$port"
tmp="$(mktemp -d)"
jar="$tmp/cookies"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- provider log:" >&2; cat "$tmp/log" >&2; exit 1; }
ok() { echo "ok: $*"; }

OIDC_PORT="$port" OIDC_PORTAL_URL="$portal" node "$here/provider.mjs" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "oidc-provider ready at $op" "$tmp/log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
grep -q "oidc-provider ready at $op" "$tmp/log" || fail "provider did not print its ready line"
ok "provider listening at $op"

# curl -sS, never following redirects; $1... are curl arguments
c() { curl -sS -b "$jar" -c "$jar" "$@"; }
location() { c -o /dev/null -w '%{redirect_url}' "$@"; }

disco="$(c "$op/.well-known/openid-configuration")"
node -e '
  const d = JSON.parse(process.argv[1]);
  if (d.issuer !== process.argv[2]) throw new Error("issuer " + d.issuer);
  if (!d.end_session_endpoint) throw new Error("no end_session_endpoint");
  if (!d.scopes_supported.includes("groups")) throw new Error("no groups scope");
' "$disco" "$op" || fail "discovery: $disco"
ok "discovery: issuer $op, end_session_endpoint present"

verifier="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')"
challenge="$(node -e 'console.log(require("crypto").createHash("sha256").update(process.argv[1]).digest("base64url"))' "$verifier")"
redirect_uri="$portal/auth/callback"
enc() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
auth="$op/auth?client_id=$client_id&response_type=code&scope=openid%20profile%20email%20groups&redirect_uri=$(enc "$redirect_uri")&state=s&nonce=n&code_challenge=$challenge&code_challenge_method=S256"

next="$(location "$auth")"
[[ "$next" == "$op/interaction/"* ]] || fail "/auth redirected to '$next'"
uid="${next##*/}"
html="$(c "$next")"
for want in 'name="login"' 'name="password" type="password"' '>Sign in</button>' '>Username</label>' '>Password</label>'; do
  grep -qF "$want" <<<"$html" || fail "login page lacks $want"
done
ok "login page for interaction $uid"

html="$(c --data-urlencode login=pat --data-urlencode password=wrong "$op/interaction/$uid/login")"
grep -q 'Wrong username or password' <<<"$html" || fail "wrong password: $html"
html="$(c --data-urlencode login=nobody --data-urlencode 'password=correct horse' "$op/interaction/$uid/login")"
grep -q 'Wrong username or password' <<<"$html" || fail "unknown user: $html"
ok "wrong password and unknown user are refused"

next="$(location --data-urlencode login=ada --data-urlencode 'password=correct horse' "$op/interaction/$uid/login")"
[[ "$next" == "$op/auth/$uid" ]] || fail "login redirected to '$next'"
next="$(location "$next")"
[[ "$next" == "$redirect_uri?code="* ]] || fail "resume redirected to '$next' (expected the portal callback)"
code="$(node -e 'const u=new URL(process.argv[1]); if (u.searchParams.get("state")!=="s") process.exit(1); console.log(u.searchParams.get("code"))' "$next")" \
  || fail "callback lacks state=s: $next"
ok "redirected to the portal callback with a code and state=s, no consent page"

tokens="$(c -u "$client_id:$secret" --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
  --data-urlencode "redirect_uri=$redirect_uri" --data-urlencode "code_verifier=$verifier" "$op/token")"
id_token="$(node -e '
  const t = JSON.parse(process.argv[1]);
  const p = JSON.parse(Buffer.from(t.id_token.split(".")[1], "base64url"));
  const want = { iss: process.argv[2], aud: process.argv[3], sub: "ada", nonce: "n", name: "Ada Admin", email: "ada@example.test" };
  for (const [k, v] of Object.entries(want)) if (p[k] !== v) throw new Error(`${k}: ${p[k]}`);
  if (JSON.stringify(p.groups) !== JSON.stringify(["developers","approvers","gatehouse-admins","security-reviewers"])) throw new Error("groups " + p.groups);
  console.log(t.id_token);
' "$tokens" "$op" "$client_id")" || fail "token response: $tokens"
ok "ID token carries sub, name, email and groups"

# Already signed in: a second /auth goes straight back to the portal (SSO).
next="$(location "$auth")"
[[ "$next" == "$redirect_uri?code="* ]] || fail "second /auth redirected to '$next'"
ok "second /auth with the provider session skips the login page"

# RP-initiated logout: the confirmation page, then the registered post_logout_redirect_uri
# (honoured only with id_token_hint or client_id; state is appended when given).
post_logout="$portal/signin?signed_out=1"
html="$(c -G --data-urlencode "id_token_hint=$id_token" --data-urlencode "post_logout_redirect_uri=$post_logout" \
  --data-urlencode state=bye "$op/session/end")"
grep -q '>Yes, sign me out</button>' <<<"$html" || fail "logout page: $html"
xsrf="$(sed -n 's/.*name="xsrf" value="\([^"]*\)".*/\1/p' <<<"$html")"
[ -n "$xsrf" ] || fail "no xsrf in logout page"
next="$(location --data-urlencode "xsrf=$xsrf" --data-urlencode logout=yes "$op/session/end/confirm")"
[[ "$next" == "$post_logout&state=bye" ]] || fail "logout redirected to '$next'"
next="$(location "$auth")"
[[ "$next" == "$op/interaction/"* ]] || fail "after logout /auth redirected to '$next'"
ok "logout confirmed, back to $post_logout&state=bye; next /auth asks to sign in again"

# Without id_token_hint or client_id the post_logout_redirect_uri is silently ignored; with no
# provider session there is no question, just a self-submitting form (xsrf, logout=yes).
html="$(c -G --data-urlencode "post_logout_redirect_uri=$post_logout" "$op/session/end")"
xsrf="$(sed -n 's/.*name="xsrf" value="\([^"]*\)".*/\1/p' <<<"$html")"
[ -n "$xsrf" ] && grep -q 'name="logout" value="yes"' <<<"$html" || fail "signed-out logout page: $html"
next="$(location --data-urlencode "xsrf=$xsrf" --data-urlencode logout=yes "$op/session/end/confirm")"
[[ "$next" == "$op/session/end/success" ]] || fail "logout without client redirected to '$next'"
grep -q 'Signed out' <<<"$(c "$next")" || fail "post logout success page"
ok "logout without client_id/id_token_hint ends on the provider's own Signed out page"

echo "all checks passed"
