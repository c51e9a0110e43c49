/** Client code for a new key: real values in, only the calls the key's scopes allow, and text a shell and TypeScript take as written. */
import { describe, expect, it } from 'vitest';
import { curlSnippet, pythonSnippet, snippetFor, typescriptSnippet } from './api-key-snippets.ts';

const input = { baseUrl: 'https://eq.example.org/', datasourceId: 'ds_abc', key: 'xat_secret', scopes: ['assign', 'read'] as const };

describe('API key snippets', () => {
  it('carry the base URL, datasource id and key in every language', () => {
    for (const lang of ['curl', 'typescript', 'python'] as const) {
      const code = snippetFor(lang, input);
      expect(code).toContain('https://eq.example.org/v1');
      expect(code).not.toContain('org//v1');
      expect(code).toContain('ds_abc');
      expect(code).toContain('xat_secret');
    }
    expect(curlSnippet(input).split('\n').slice(0, 4)).toEqual([
      "# The datasource's experiments",
      "curl -s 'https://eq.example.org/v1/experiments' \\",
      "  -H 'X-API-Key: xat_secret' \\",
      "  -H 'Datasource-ID: ds_abc'",
    ]);
    expect(typescriptSnippet(input)).toContain(`const headers = { 'X-API-Key': "xat_secret", 'Datasource-ID': "ds_abc" };`);
    expect(pythonSnippet(input)).toContain('headers={"X-API-Key": "xat_secret", "Datasource-ID": "ds_abc"},');
  });

  it('show assignment calls only with the assign scope and exports only with read', () => {
    const readOnly = { ...input, scopes: ['read'] as const };
    const assignOnly = { ...input, scopes: ['assign'] as const };
    for (const lang of ['curl', 'typescript', 'python'] as const) {
      expect(snippetFor(lang, readOnly)).not.toMatch(/PARTICIPANT_ID/);
      expect(snippetFor(lang, readOnly)).toMatch(/assignments\/csv/);
      expect(snippetFor(lang, assignOnly)).toMatch(/PARTICIPANT_ID/);
      expect(snippetFor(lang, assignOnly)).not.toMatch(/assignments\/csv/);
    }
  });

  it('quotes shell values so a quote in a value cannot end the string', () => {
    expect(curlSnippet({ ...input, baseUrl: "https://it's.example" })).toContain(`curl -s 'https://it'\\''s.example/v1/experiments'`);
  });
});
