import { topicCodeFromTitle } from './topic-code';

describe(topicCodeFromTitle.name, () => {
  it.each([
    ['Børns trivsel', 'boerns_trivsel'],
    ["FN's børnekonvention", 'fns_boernekonvention'],
    ['Grænser & værdier', 'graenser_vaerdier'],
    ['Café-møder på Ærø', 'cafe_moeder_paa_aeroe'],
    ['2. del', 't_2_del'],
    ['x', 'x_topic'],
  ])('should derive %j as %s', (title, code) => {
    expect(topicCodeFromTitle(title)).toBe(code);
  });

  it('should keep a long title within 40 characters and end on a letter or digit', () => {
    const code = topicCodeFromTitle('Relationer, værdier, netværk, engagement og involvering');
    expect(code.length).toBeLessThanOrEqual(40);
    expect(code).toMatch(/^[a-z][a-z0-9_]*[a-z0-9]$/);
  });
});
