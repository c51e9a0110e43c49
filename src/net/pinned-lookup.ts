/**
 * The `lookup` that pins a socket to an address the SSRF guard already checked. Node calls it instead of
 * DNS whenever the request's host is a name; answering with the checked address (and its real family)
 * means the connection goes where the guard looked, with no second resolution in between.
 *
 * @example
 *   http.request({ host: 'hooks.example.com', lookup: pinnedLookup('2606:4700::1'), agent: false });
 */
import type { LookupFunction } from 'node:net';
import { isIPv6 } from 'node:net';

/**
 * Answers every name with `address`, in both callback shapes `net` uses: `all: true` (Node 20's default
 * `autoSelectFamily` path) wants a list, the classic path wants one address and its family. The family
 * must match the address, or the socket is created for the wrong protocol and the connection fails.
 */
export function pinnedLookup(address: string): LookupFunction {
  const family = isIPv6(address) ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
