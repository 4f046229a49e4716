import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../app';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** The whole app listening on a free loopback port, for a real browser to visit. */
export async function startListeningApp(): Promise<{ t: TestApp; baseUrl: string }> {
  const t = await createTestApp();
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address() as { port: number };
  return { t, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** Debian's Chromium, headless; playwright-core downloads no browser of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A full-page screenshot under test-artifacts/, named for the step. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now. axe is loaded into
 * the page once (evaluated through the DevTools protocol, so the page's
 * Content-Security-Policy does not apply) and asked for violations only:
 * @axe-core/playwright injected and ran it afresh on every check, 1-5 s a page where
 * this takes 0.1-0.6 s, and the browser tests check ~150 pages.
 */
export async function seriousViolations(page: Page) {
  if (!(await page.evaluate<boolean>("typeof axe !== 'undefined'"))) {
    await page.evaluate(AXE_SOURCE);
  }
  const results = await page.evaluate<AxeResults>(
    "axe.run(document, { resultTypes: ['violations'] })",
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** A screenshot of the page, and the assertion that it has no serious axe violation. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect({ page: name, violations: await seriousViolations(page) }).toEqual({
    page: name,
    violations: [],
  });
}

export interface BrowserSession {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  page: Page;
}

/**
 * For a describe block: the app listening, Chromium with one page, then `ready` (the
 * block's own set-up); everything is closed after the block.
 */
export function inBrowser(ready: (session: BrowserSession) => Promise<void> | void): void {
  let session: Partial<BrowserSession> = {};
  beforeAll(async () => {
    session = await startListeningApp();
    session.browser = await launchChromium();
    session.page = await (await session.browser.newContext()).newPage();
    await ready(session as BrowserSession);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.t?.close();
  });
}

/** Signs in on the login page as a person would, and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL(`${baseUrl}/staff`);
}
