import { describe, expect, it } from 'vitest';
import { parseEgressList, type EgressRules } from './egress-rules.ts';
import { safeResolve, UnsafeAddressError } from './safe-resolve.ts';

const rules = (allowed: string | null, denied = ''): EgressRules => ({ allowed: allowed === null ? null : parseEgressList(allowed), denied: parseEgressList(denied) });
const answers = (v4: string[], v6: string[] = []) => ({ resolveA: async () => v4, resolveAAAA: async () => v6 });

describe('safeResolve with the operator egress rules', () => {
  it('admits private addresses inside an allowed private CIDR without ALLOW_PRIVATE_IPS', async () => {
    const egress = rules('10.20.0.0/16, fd00:20::/32');
    await expect(safeResolve('10.20.3.4', { allowPrivateIps: false, egress })).resolves.toBe('10.20.3.4');
    await expect(safeResolve('[fd00:20::9]', { allowPrivateIps: false, egress })).resolves.toBe('fd00:20::9');
    await expect(safeResolve('::ffff:10.20.3.4', { allowPrivateIps: false, egress })).resolves.toBe('::ffff:10.20.3.4');
    await expect(safeResolve('hooks.corp.example', { allowPrivateIps: false, egress, ...answers(['10.20.0.8']) })).resolves.toBe('10.20.0.8');
    // Other private addresses are still refused, by the allow list before the private rule.
    await expect(safeResolve('10.21.0.1', { allowPrivateIps: false, egress })).rejects.toThrow('10.21.0.1 is not allowed: not among the receivers this server allows (WEBHOOK_ALLOWED_HOSTS)');
  });

  it('does not let a wide allowed range or an allowed name admit private addresses', async () => {
    const wide = rules('0.0.0.0/0');
    await expect(safeResolve('93.184.215.14', { allowPrivateIps: false, egress: wide })).resolves.toBe('93.184.215.14');
    await expect(safeResolve('169.254.169.254', { allowPrivateIps: false, egress: wide })).rejects.toThrow('169.254.169.254 is not allowed: link-local');
    // Straddles 10/8 and public 11/8, so it is not a private range.
    await expect(safeResolve('10.0.0.1', { allowPrivateIps: false, egress: rules('10.0.0.0/7') })).rejects.toThrow('private network');
    const byName = rules('hooks.corp.example');
    await expect(safeResolve('hooks.corp.example', { allowPrivateIps: false, egress: byName, ...answers(['10.20.0.8']) })).rejects.toThrow(
      'hooks.corp.example resolves to 10.20.0.8, which is not allowed: private network',
    );
    await expect(safeResolve('hooks.corp.example', { allowPrivateIps: true, egress: byName, ...answers(['10.20.0.8']) })).resolves.toBe('10.20.0.8');
  });

  it('keeps the always-refused ranges refused, allowed or not', async () => {
    const egress = rules('0.0.0.0/8, 224.0.0.0/4, ff00::/8, ::/128');
    for (const address of ['0.0.0.0', '224.0.0.1', '[ff02::1]', '[::]']) {
      await expect(safeResolve(address, { allowPrivateIps: true, egress })).rejects.toBeInstanceOf(UnsafeAddressError);
    }
  });

  it('refuses a denied name before any DNS lookup, and a denied address whatever the name', async () => {
    const lookups: string[] = [];
    const resolveA = async (h: string) => (lookups.push(h), ['93.184.215.14']);
    const egress = rules(null, 'legacy.example.org, 93.184.215.0/24');
    await expect(safeResolve('Legacy.Example.org.', { allowPrivateIps: false, egress, resolveA })).rejects.toThrow(
      "legacy.example.org is not allowed: denied by the server's egress rules (WEBHOOK_DENIED_HOSTS)",
    );
    expect(lookups).toEqual([]);
    await expect(safeResolve('other.example.org', { allowPrivateIps: false, egress, resolveA })).rejects.toThrow(
      "other.example.org resolves to 93.184.215.14, which is not allowed: denied by the server's egress rules (WEBHOOK_DENIED_HOSTS)",
    );
  });

  it('refuses a name when any answer is denied, so a second record cannot carry it past the lists', async () => {
    const egress = rules('*.example.org', '10.0.0.0/8');
    await expect(safeResolve('hooks.example.org', { allowPrivateIps: true, egress, ...answers(['93.184.215.14', '10.1.1.1']) })).rejects.toThrow('denied');
  });

  it('lets a denied private range win over an allowed one that contains it', async () => {
    const egress = rules('10.20.0.0/16', '10.20.9.0/24');
    await expect(safeResolve('10.20.8.1', { allowPrivateIps: false, egress })).resolves.toBe('10.20.8.1');
    await expect(safeResolve('10.20.9.1', { allowPrivateIps: false, egress })).rejects.toThrow('WEBHOOK_DENIED_HOSTS');
  });

  it('changes nothing without rules', async () => {
    await expect(safeResolve('10.20.3.4', { allowPrivateIps: false, egress: rules(null) })).rejects.toThrow('private network');
    await expect(safeResolve('10.20.3.4', { allowPrivateIps: true, egress: rules(null) })).resolves.toBe('10.20.3.4');
  });
});
