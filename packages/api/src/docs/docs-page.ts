/**
 * A readable API reference rendered on the server from the OpenAPI document: plain HTML and one
 * stylesheet served by the API itself, so it works offline and needs no script or CDN.
 */

type Json = Record<string, unknown>;

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const refName = (ref: string): string => ref.split('/').pop() ?? ref;

/** A compact one-line type for a JSON schema (refs become links to the component). */
function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(' | ');
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as Json[]).map(typeOf).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  if (type === 'array') return `${typeOf(schema.items as Json | undefined)}[]`;
  if (type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `map of ${typeOf(schema.additionalProperties as Json)}`;
  }
  return esc(type) + (schema.format ? ` <small>(${esc(schema.format)})</small>` : '');
}

/** Properties as a nested list. */
function properties(schema: Json, depth = 0): string {
  const props = schema.properties as Record<string, Json> | undefined;
  if (!props || depth > 4) return '';
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const items = Object.entries(props).map(([name, sub]) => {
    const nested = sub.type === 'object' && !sub.$ref ? properties(sub, depth + 1) : '';
    const desc = sub.description ? ` — ${esc(sub.description)}` : '';
    const opt = required.has(name) ? '' : ' <small>optional</small>';
    return `<li><code>${esc(name)}</code>: ${typeOf(sub)}${opt}${desc}${nested}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

function operation(path: string, method: string, op: Json): string {
  const params = ((op.parameters as Json[] | undefined) ?? [])
    .map(
      (p) =>
        `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''}): ${typeOf(p.schema as Json)}${
          p.description ? ` — ${esc(p.description)}` : ''
        }</li>`,
    )
    .join('');
  const responses = Object.entries((op.responses as Record<string, Json> | undefined) ?? {})
    .map(([status, r]) => {
      const content = r.content as Record<string, { schema?: Json }> | undefined;
      const media = content ? Object.entries(content)[0] : undefined;
      const body = media ? ` <small>${esc(media[0])}</small> ${typeOf(media[1].schema)}` : '';
      return `<li><b>${esc(status)}</b> ${esc(r.description ?? '')}${body}</li>`;
    })
    .join('');
  return `<section class="op"><h3><span class="method">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary ?? '')}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}<h4>Responses</h4><ul>${responses}</ul></section>`;
}

/** Renders the whole page. */
export function renderDocsPage(doc: Json, stylesheetHref: string): string {
  const info = (doc.info as Json | undefined) ?? {};
  const paths = (doc.paths as Record<string, Record<string, Json>> | undefined) ?? {};
  const ops = Object.entries(paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => operation(path, method, op)))
    .join('\n');
  const schemas = ((doc.components as Json | undefined)?.schemas as Record<string, Json> | undefined) ?? {};
  const comps = Object.entries(schemas)
    .map(
      ([name, schema]) =>
        `<section class="schema" id="schema-${esc(name)}"><h3>${esc(name)}</h3>${
          schema.description ? `<p>${esc(schema.description)}</p>` : ''
        }<p>${typeOf({ ...schema, $ref: undefined })}</p>${properties(schema)}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title ?? 'API')} — reference</title><link rel="stylesheet" href="${esc(stylesheetHref)}"></head>
<body><header><h1>${esc(info.title ?? 'API')} <small>${esc(info.version ?? '')}</small></h1>
<p>${esc(info.description ?? '')}</p><p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1)</p>
<p>The same figures as charts and tables: the <a href="/">web dashboard</a>.</p></header>
<main><h2>Endpoints</h2>${ops}<h2>Schemas</h2>${comps}</main></body></html>`;
}

/** The page's stylesheet (served as a file so the CSP can forbid inline styles). */
export const DOCS_CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#222}
code{background:#f3f3f3;padding:0 .2em;border-radius:3px}h1 small{color:#888;font-size:.5em}
.op,.schema{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.method{background:#2a6;color:#fff;border-radius:3px;padding:0 .4em;font-size:.8em}
h3{margin:.3rem 0}h4{margin:.5rem 0 .2rem}ul{margin:.2rem 0}small{color:#777}a{color:#15c}`;
