// ICU-style message formatting: {name} placeholders and {n, plural, ...} blocks.

const pluralRules = new Map();
function pluralCategory(locale, n) {
  if (!pluralRules.has(locale)) pluralRules.set(locale, new Intl.PluralRules(locale));
  return pluralRules.get(locale).select(n);
}

/** Index of the brace closing the one at `open`, honouring nesting. */
function closingBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new SyntaxError(`unbalanced braces in message: ${text}`);
}

function pluralBlock(body, params, locale) {
  const [name, , ...rest] = body.split(',');
  const count = Number(params[name.trim()]);
  const options = {};
  const spec = rest.join(',');
  let i = 0;
  while (i < spec.length) {
    const open = spec.indexOf('{', i);
    if (open < 0) break;
    const selector = spec.slice(i, open).trim();
    const close = closingBrace(spec, open);
    options[selector] = spec.slice(open + 1, close);
    i = close + 1;
  }
  const chosen = options[`=${count}`] ?? options[pluralCategory(locale, count)] ?? options.other ?? '';
  return formatMessage(chosen, params, locale).replace(/#/g, String(count));
}

export function formatMessage(template, params = {}, locale = 'en') {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = closingBrace(template, open);
    const body = template.slice(open + 1, close);
    if (/^\s*\w+\s*,\s*plural\s*,/.test(body)) out += pluralBlock(body, params, locale);
    else {
      const key = body.trim();
      out += Object.hasOwn(params, key) ? String(params[key]) : `{${key}}`;
    }
    i = close + 1;
  }
  return out;
}
