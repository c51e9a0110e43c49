/**
 * Ready-to-run client code for a new API key: curl, TypeScript (fetch) and Python (httpx), with the real
 * base URL, datasource id and key filled in. Each lists the datasource's experiments, then does what the
 * key's scopes allow: fetch one participant's assignment (`assign`) and export assignments as CSV (`read`).
 */
import type { ApiKeyScope } from './api.ts';

export interface SnippetInput {
  /** Where the public API lives, without a trailing slash, e.g. `https://equipoise.example.org`. */
  readonly baseUrl: string;
  readonly datasourceId: string;
  readonly key: string;
  readonly scopes: readonly ApiKeyScope[];
}

export type SnippetLanguage = 'curl' | 'typescript' | 'python';

export const SNIPPET_LANGUAGES: ReadonlyArray<{ readonly id: SnippetLanguage; readonly label: string }> = [
  { id: 'curl', label: 'curl' },
  { id: 'typescript', label: 'TypeScript' },
  { id: 'python', label: 'Python' },
];

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** A value inside single quotes in a POSIX shell. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function curlSnippet({ baseUrl, datasourceId, key, scopes }: SnippetInput): string {
  const base = trimSlash(baseUrl);
  const lines = [
    "# The datasource's experiments",
    `curl -s ${shellQuote(`${base}/v1/experiments`)} \\`,
    `  -H ${shellQuote(`X-API-Key: ${key}`)} \\`,
    `  -H ${shellQuote(`Datasource-ID: ${datasourceId}`)}`,
  ];
  if (scopes.includes('assign')) {
    lines.push('', "# One participant's arm (assigned on first request in online experiments)", `curl -s ${shellQuote(`${base}/v1/experiments/EXPERIMENT_ID/assignments/PARTICIPANT_ID`)} \\`, `  -H ${shellQuote(`X-API-Key: ${key}`)}`);
  }
  if (scopes.includes('read')) {
    lines.push('', '# Every assignment as CSV', `curl -s ${shellQuote(`${base}/v1/experiments/EXPERIMENT_ID/assignments/csv`)} \\`, `  -H ${shellQuote(`X-API-Key: ${key}`)} -o assignments.csv`);
  }
  return lines.join('\n');
}

export function typescriptSnippet({ baseUrl, datasourceId, key, scopes }: SnippetInput): string {
  const base = trimSlash(baseUrl);
  const lines = [
    `const EQUIPOISE = ${JSON.stringify(`${base}/v1`)};`,
    `const headers = { 'X-API-Key': ${JSON.stringify(key)}, 'Datasource-ID': ${JSON.stringify(datasourceId)} };`,
    '',
    'async function equipoise(path: string): Promise<any> {',
    '  const res = await fetch(`${EQUIPOISE}${path}`, { headers });',
    '  if (!res.ok) throw new Error(`Equipoise answered ${res.status}: ${await res.text()}`);',
    '  return res.json();',
    '}',
    '',
    "// The datasource's experiments",
    "const { items } = await equipoise('/experiments');",
    'const experimentId: string = items[0].experiment_id;',
  ];
  if (scopes.includes('assign')) {
    lines.push('', "// One participant's arm (assigned on first request in online experiments)", "const { assignment } = await equipoise(`/experiments/${experimentId}/assignments/${encodeURIComponent('PARTICIPANT_ID')}`);", 'console.log(assignment?.arm_name);');
  }
  if (scopes.includes('read')) {
    lines.push('', '// Every assignment as CSV', 'const csv = await (await fetch(`${EQUIPOISE}/experiments/${experimentId}/assignments/csv`, { headers })).text();');
  }
  return lines.join('\n');
}

export function pythonSnippet({ baseUrl, datasourceId, key, scopes }: SnippetInput): string {
  const base = trimSlash(baseUrl);
  const lines = [
    'import httpx',
    '',
    'equipoise = httpx.Client(',
    `    base_url=${JSON.stringify(`${base}/v1`)},`,
    `    headers={"X-API-Key": ${JSON.stringify(key)}, "Datasource-ID": ${JSON.stringify(datasourceId)}},`,
    ')',
    '',
    "# The datasource's experiments",
    'experiments = equipoise.get("/experiments").raise_for_status().json()["items"]',
    'experiment_id = experiments[0]["experiment_id"]',
  ];
  if (scopes.includes('assign')) {
    lines.push('', "# One participant's arm (assigned on first request in online experiments)", 'answer = equipoise.get(f"/experiments/{experiment_id}/assignments/PARTICIPANT_ID").raise_for_status().json()', 'print(answer["assignment"])');
  }
  if (scopes.includes('read')) {
    lines.push('', '# Every assignment as CSV', 'csv_text = equipoise.get(f"/experiments/{experiment_id}/assignments/csv").raise_for_status().text');
  }
  return lines.join('\n');
}

export function snippetFor(language: SnippetLanguage, input: SnippetInput): string {
  return language === 'curl' ? curlSnippet(input) : language === 'typescript' ? typescriptSnippet(input) : pythonSnippet(input);
}
