import type { Browser } from 'playwright-core';
import { launchChromium, seriousViolations } from './browser';

/** The accessibility check every page of the browser tests goes through can fail. */
describe('the accessibility check', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser.close());

  it('should report a missing alternative text and an unlabelled field, and pass a clean page', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<!doctype html><html lang="da"><head><title>Prøve</title></head><body><main>' +
        '<h1>Prøve</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">' +
        '</main></body></html>',
    );
    const ids = (await seriousViolations(page)).map((v) => v.id).sort();
    expect(ids).toEqual(['image-alt', 'label']);

    await page.setContent(
      '<!doctype html><html lang="da"><head><title>Prøve</title></head><body><main>' +
        '<h1>Prøve</h1><img alt="Et billede" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
        '<label for="navn">Navn</label><input id="navn" type="text"></main></body></html>',
    );
    expect(await seriousViolations(page)).toEqual([]);
  });
});
