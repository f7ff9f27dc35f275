// Browser tests against a real `gatehouse serve`, in Debian's Chromium (never a downloaded
// browser). `.ci/test` builds the server and the WASM bundle, prepares a runbooks folder
// (samples plus hostile and broken fixtures) and picks free ports.
//
// Four servers: a portal with the loopback development sign-in (most tests) that sends its
// request notifications to a webhook receiver (end2end/webhooks/receiver.mjs), a test
// OpenID Connect provider (oidc-provider, end2end/oidc/provider.mjs) and a second portal
// that signs in through that provider (sso.spec.ts).
import { defineConfig } from '@playwright/test';
import { webhookSecret } from './webhooks/shared';

const port = Number(process.env.GATEHOUSE_E2E_PORT ?? 3999);
const ssoPort = Number(process.env.GATEHOUSE_E2E_SSO_PORT ?? 3998);
const oidcPort = Number(process.env.GATEHOUSE_E2E_OIDC_PORT ?? 3997);
const hookPort = Number(process.env.GATEHOUSE_E2E_HOOK_PORT ?? 3996);

const dir = process.env.GATEHOUSE_E2E_DIR ?? '/tmp/gatehouse-e2e';
const root = `${__dirname}/..`;

/** A `gatehouse serve` on `port` with its own database, index, audit key and log file
 * (`<dir>/<name>.log`, which tests read to check that no secret reaches the logs). */
function portal(port: number, name: string, env: Record<string, string>) {
  return {
    command: `sh -c 'exec "${root}/target/debug/gatehouse" serve 2>>"${dir}/${name}.log"'`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      GATEHOUSE_BIND: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${dir}/${name}.db?mode=rwc`,
      GATEHOUSE_INDEX_DIR: `${dir}/${name}-index`,
      GATEHOUSE_AUDIT_KEY_FILE: `${dir}/${name}-audit.key`,
      GATEHOUSE_RUNBOOKS_DIR: `${dir}/runbooks`,
      GATEHOUSE_SITE_ROOT: `${root}/target/site`,
      GATEHOUSE_CATALOG_DIR: `${root}/server/catalog`,
      GATEHOUSE_POLICIES_DIR: `${root}/server/policies`,
      RUST_LOG: 'warn',
      ...env,
    },
  };
}

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  // One retry on CI, where two cores also build and serve: a test that passes only on its
  // retry is still listed as flaky in the report.
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `node ${__dirname}/webhooks/receiver.mjs`,
      url: `http://127.0.0.1:${hookPort}/received`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { HOOK_PORT: String(hookPort) },
    },
    portal(port, 'gatehouse', {
      GATEHOUSE_RATE_LIMIT_SIGNIN_PER_MINUTE: '600',
      RUST_LOG: 'info',
      GATEHOUSE_WEBHOOK_URLS: `http://127.0.0.1:${hookPort}/hooks/e2e-path-token`,
      GATEHOUSE_WEBHOOK_SECRET: webhookSecret,
      GATEHOUSE_WEBHOOK_RETRY_SECONDS: '1',
      // Two attempts: a refused first post is retried once; a broken receiver fails fast.
      GATEHOUSE_WEBHOOK_MAX_ATTEMPTS: '2',
    }),
    {
      command: `node ${__dirname}/oidc/provider.mjs`,
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { OIDC_PORT: String(oidcPort), OIDC_PORTAL_URL: `http://127.0.0.1:${ssoPort}` },
    },
    portal(ssoPort, 'sso', {
      GATEHOUSE_OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
      GATEHOUSE_OIDC_CLIENT_ID: 'gatehouse-e2e',
      GATEHOUSE_OIDC_CLIENT_SECRET: 'e2e-client-secret-not-for-production',
      GATEHOUSE_OIDC_SCOPES: 'profile email groups',
    }),
  ],
});
