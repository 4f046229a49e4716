/** Danish letters spelled as Danes do when a word must be plain ASCII. */
const DANISH: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa' };

/**
 * A topic's internal code from its Danish title ("Børns trivsel" → `boerns_trivsel`), so
 * an administrator adding a topic need not invent one. The result fits the curriculum's
 * code rule (a letter first, then letters, digits and underscores, at most 40).
 */
export function topicCodeFromTitle(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[æøå]/g, (c) => DANISH[c])
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  const code = /^[a-z]/.test(slug) ? slug : `t_${slug}`.slice(0, 40).replace(/_+$/, '');
  return code.length >= 2 ? code : `${code}_topic`.replace(/^_/, 't_');
}
