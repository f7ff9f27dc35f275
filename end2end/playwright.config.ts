// Browser tests against a real `gatehouse serve`, in Debian's Chromium (never a downloaded
// browser). `.ci/test` builds the server and the WASM bundle, prepares a runbooks folder
// (samples plus hostile and broken fixtures) and picks a free port.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.GATEHOUSE_E2E_PORT ?? 3999);
const dir = process.env.GATEHOUSE_E2E_DIR ?? '/tmp/gatehouse-e2e';
const root = `${__dirname}/..`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  retries: 0,
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
  webServer: {
    command: `${root}/target/debug/gatehouse serve`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      GATEHOUSE_BIND: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${dir}/gatehouse.db?mode=rwc`,
      GATEHOUSE_RUNBOOKS_DIR: `${dir}/runbooks`,
      GATEHOUSE_INDEX_DIR: `${dir}/index`,
      GATEHOUSE_SITE_ROOT: `${root}/target/site`,
      RUST_LOG: 'warn',
    },
  },
});
