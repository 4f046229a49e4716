import Handlebars from 'handlebars';

/**
 * Values that Markdown would read as markup (issue 9): a link, a remote picture, a
 * script link, and a date at the start of a line that makes an ordered list.
 */
export const INJECTIONS = [
  '[Bekræft her](https://evil.example/login)',
  '![x](https://evil.example/p.png)',
  '[x](javascript:alert(1))',
  '- 4. mar. 2027 kl. 17.00',
  '4. mar',
];

/**
 * The markup of an HTML document in order, each tag with its attribute names (not
 * their values): what no value may change. A value that became markup adds a tag.
 */
export function markupOf(html: string): string[] {
  return [...html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g)].map(
    ([, close, tag, attributes]) => {
      const names = [...attributes.matchAll(/([a-zA-Z-]+)\s*=/g)].map((m) => m[1]).sort();
      return `${close}${tag.toLowerCase()}${names.length > 0 ? `[${names.join(',')}]` : ''}`;
    },
  );
}

/** Every address a link or a picture in the HTML points to. */
export function targetsOf(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
}

/**
 * Markdown left in a plain-text part: emphasis marks and `[words](address)` links,
 * outside the values themselves (a name typed with brackets is shown as typed).
 */
export function markdownIn(text: string, values: string[]): string[] {
  let rest = text;
  for (const value of values) {
    rest = rest.split(value).join(' ');
  }
  // Not `__`: personal links (base64url) may hold it.
  return [...rest.matchAll(/\*\*|\[[^\]\n]*\]\([^)\n]*\)/g)].map((m) => m[0]);
}

/** Every http(s) address in a plain-text part, outside the values themselves. */
export function addressesIn(text: string, values: string[]): string[] {
  let rest = text;
  for (const value of values) {
    rest = rest.split(value).join(' ');
  }
  return [...rest.matchAll(/https?:\/\/[^\s)\]]+/g)].map((m) => m[0]);
}

/** Every kind of mail Klar sends today; the path scenarios of the email and mail tests cause each. */
export const PATH_TEMPLATES = [
  'already-applied',
  'application-received',
  'attestation-expiring',
  'booking-confirmed',
  'home-visit-scheduled',
  'matchable',
  'new-application',
  'no-longer-matchable',
  'promoted',
  'session-cancelled',
  'session-changed',
  'session-reminder',
  'waitlisted',
];

/** What a template reads: plain values, `{{#if}}` flags and `{{#each}}` lists of items. */
export interface Shape {
  values: Set<string>;
  flags: Set<string>;
  lists: Map<string, Shape>;
}

const emptyShape = (): Shape => ({ values: new Set(), flags: new Set(), lists: new Map() });

export function shapeOf(source: string): Shape {
  const shape = emptyShape();
  const walk = (nodes: hbs.AST.Statement[], into: Shape) => {
    for (const node of nodes) {
      if (node.type === 'MustacheStatement') {
        const path = (node as hbs.AST.MustacheStatement).path as hbs.AST.PathExpression;
        if (path.type === 'PathExpression' && !path.data && path.original !== 'this') {
          into.values.add(path.original);
        }
      } else if (node.type === 'BlockStatement') {
        const block = node as hbs.AST.BlockStatement;
        const helper = block.path.original;
        const param = (block.params[0] as hbs.AST.PathExpression | undefined)?.original;
        if (helper === 'each' && param) {
          const item = into.lists.get(param) ?? emptyShape();
          into.lists.set(param, item);
          walk(block.program.body, item);
          continue;
        }
        if ((helper === 'if' || helper === 'unless') && param) {
          into.flags.add(param);
        }
        walk(block.program.body, into);
        walk(block.inverse?.body ?? [], into);
      }
    }
  };
  walk(Handlebars.parse(source).body, shape);
  return shape;
}

/**
 * Data for a shape: `value` in every plain value (or `value(name)` per value), links kept
 * as links, flags set to `flag`.
 */
export function dataFor(
  shape: Shape,
  value: string | ((name: string) => string),
  flag: boolean,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const name of shape.flags) {
    data[name] = flag;
  }
  for (const name of shape.values) {
    data[name] = /url$/i.test(name)
      ? `http://klar.test/${name}`
      : typeof value === 'string'
        ? value
        : value(name);
  }
  for (const [name, item] of shape.lists) {
    data[name] = [dataFor(item, value, flag), dataFor(item, value, flag)];
  }
  return data;
}
