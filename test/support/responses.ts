/** Reading answers in HTTP tests: the status first (the body in the failure message), then the JSON. */
import { expect } from 'vitest';

export async function expectJson(res: Response | Promise<Response>, status: number): Promise<unknown> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return text ? (JSON.parse(text) as unknown) : null;
}
