// A test OpenID Connect identity provider for Gatehouse's browser tests (Playwright).
// NEVER use it in production: fixed users and password, a fixed cookie key, an in-memory
// store, a signing key made up at each start, plain http on loopback.
//
// Built on oidc-provider 9 with its own tiny login page (no consent page: every grant is
// auto-approved). Configured by environment:
//   OIDC_PORT (required)        listens on 127.0.0.1:$OIDC_PORT; issuer http://127.0.0.1:$OIDC_PORT
//   OIDC_PORTAL_URL (required)  e.g. http://127.0.0.1:4001; redirect_uri is $OIDC_PORTAL_URL/auth/callback
//   OIDC_CLIENT_ID              default gatehouse-e2e
//   OIDC_CLIENT_SECRET          default e2e-client-secret-not-for-production
// Users pat, ada and eve, all with the password "correct horse". Run: node end2end/oidc/provider.mjs
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const portal = process.env.OIDC_PORTAL_URL?.replace(/\/+$/, '');
if (!port || !portal) {
  console.error('OIDC_PORT and OIDC_PORTAL_URL must be set');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const PASSWORD = 'correct horse';
const USERS = {
  pat: { name: 'Pat Payments', groups: ['developers', 'payments-oncall'] },
  ada: { name: 'Ada Admin', groups: ['developers', 'approvers', 'gatehouse-admins', 'security-reviewers'] },
  eve: { name: 'Eve Engineer', groups: ['developers'] },
};
const SCOPES = ['openid', 'profile', 'email', 'groups'];

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID || 'gatehouse-e2e',
    client_secret: process.env.OIDC_CLIENT_SECRET || 'e2e-client-secret-not-for-production',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${portal}/auth/callback`],
    post_logout_redirect_uris: [`${portal}/signin?signed_out=1`],
  }],
  // A fresh RSA key per start (no "quick start development-only signing keys" warning).
  jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'e2e', use: 'sig', alg: 'RS256' }] },
  // Cookies are per host, not per port: keep clear of the portal's gatehouse_* cookies.
  cookies: {
    keys: ['e2e-test-cookie-key-not-for-production'],
    names: { session: 'e2e_op_session', interaction: 'e2e_op_interaction', resume: 'e2e_op_resume' },
  },
  responseTypes: ['code'],
  pkce: { required: () => true },
  scopes: SCOPES,
  claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
  conformIdTokenClaims: false, // put name, email and groups in the ID token too
  findAccount: (ctx, id) => USERS[id] && {
    accountId: id,
    claims: () => ({ sub: id, name: USERS[id].name, email: `${id}@example.test`, groups: USERS[id].groups }),
  },
  // Auto-approve: with a grant for all scopes there is never a consent prompt.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const existing = grantId && await ctx.oidc.provider.Grant.find(grantId);
    return existing || fullGrant(ctx.oidc.client.clientId, ctx.oidc.session.accountId);
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      // `form` is <form id="op.logoutForm" ...><input type="hidden" name="xsrf" .../></form>
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out', `<h1>Sign out of the test identity provider?</h1>${form.replace('</form>',
          '<button type="submit" name="logout" value="yes">Yes, sign me out</button>'
          + '<button type="submit">No, stay signed in</button></form>')}`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Signed out', '<h1>Signed out</h1><p>You are signed out of the test identity provider.</p>');
      },
    },
  },
});

async function fullGrant(clientId, accountId) {
  const grant = new provider.Grant({ clientId, accountId });
  grant.addOIDCScope(SCOPES.join(' '));
  grant.addOIDCClaims(['sub', 'name', 'email', 'groups']);
  await grant.save();
  return grant;
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head>`
  + `<body><main>${body}</main></body></html>`;
const loginPage = (uid, error = '', login = '') => page('Sign in', `<h1>Test identity provider</h1>
${error ? `<p role="alert" class="error">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
  <label for="login">Username</label> <input id="login" name="login" autocomplete="username" value="${esc(login)}" autofocus>
  <label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
  <button type="submit">Sign in</button>
</form>`);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

// GET /interaction/:uid and POST /interaction/:uid/login; everything else goes to oidc-provider.
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Error', '<p>Interaction mismatch.</p>'));
  const { prompt, session, params } = details;

  if (prompt.name === 'consent') { // only if forced (prompt=consent): approve without asking
    const grant = await fullGrant(params.client_id, session.accountId);
    return provider.interactionFinished(req, res, { consent: { grantId: grant.jti } }, { mergeWithLastSubmission: true });
  }
  if (req.method === 'GET' && !action) return send(res, 200, loginPage(uid));
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const login = form.get('login') ?? '';
    if (!Object.hasOwn(USERS, login) || form.get('password') !== PASSWORD) {
      return send(res, 200, loginPage(uid, 'Wrong username or password', login));
    }
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  return send(res, 405, page('Error', '<p>Method not allowed.</p>'));
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const m = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(new URL(req.url, issuer).pathname);
  if (!m) return callback(req, res);
  interaction(req, res, m[1], m[2]).catch((err) => {
    console.error('interaction failed:', err);
    if (!res.headersSent) send(res, 400, page('Error', `<p>${esc(err.message)}</p>`));
  });
});

server.listen(port, '127.0.0.1', () => console.log(`oidc-provider ready at ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
process.on('SIGINT', () => process.exit(0));
