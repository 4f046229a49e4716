import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../app';
import { Factory } from '../factories';
import { inBrowser, screenshot, signIn } from './browser';

describe('the pages under the Content-Security-Policy', () => {
  let t: TestApp;
  let baseUrl: string;
  let page: Page;
  const problems: string[] = [];

  inBrowser((session) => {
    ({ t, baseUrl, page } = session);
    // Chromium reports every refused script, style or frame as a console error.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        problems.push(`${page.url()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  });

  it('should show the public, personal and staff pages and Swagger UI without a CSP violation', async () => {
    const volunteer = await new Factory(t).apply({ branchCode: await new Factory(t).branch() });

    await page.goto(`${baseUrl}/`);
    // The stylesheet applies: the skip link sits off screen until focused.
    const skip = await page.locator('a.skip').boundingBox();
    expect(skip === null || skip.y < 0 || skip.x < 0).toBe(true);
    await page.goto(`${baseUrl}/ansog`);
    await page.getByLabel('Fornavn').waitFor();
    await page.goto(`${baseUrl}/v/${volunteer.portalToken}`);
    await page.locator('progress').waitFor();

    await signIn(page, baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${baseUrl}/staff/volunteers`);
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.waitForURL(`${baseUrl}/login`);

    await page.goto(`${baseUrl}/api/docs`);
    await page.getByText('/api/v1/applications').first().waitFor();
    await screenshot(page, 'csp-api-docs');

    expect(problems).toEqual([]);
  });
});
