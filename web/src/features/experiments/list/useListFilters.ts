/**
 * The list's filters, mirrored into the address. The filters live in state and each change is written to
 * the address (replacing the entry, so Back leaves the list instead of undoing filters one by one). Only
 * address changes this hook did not write are read back (Back/Forward, a link, a reload): the address lags a
 * render behind, and a select driven by it would snap back between fast key presses.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { filtersFromParams, paramsFromFilters, type ListFilters } from './list-filters.ts';

export function useListFilters(): [ListFilters, (change: Partial<ListFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const inAddress = params.toString();
  const [filters, setFilters] = useState(() => filtersFromParams(params));
  const latest = useRef(filters);
  /** The address query as last written or read here, so an unchanged one is not written again. */
  const address = useRef(inAddress);
  const written = useRef<string[]>([]);

  useEffect(() => {
    const at = written.current.indexOf(inAddress);
    if (at >= 0) {
      written.current.splice(0, at + 1);
      return;
    }
    const read = filtersFromParams(new URLSearchParams(inAddress));
    address.current = inAddress;
    latest.current = read;
    setFilters(read);
  }, [inAddress]);

  const change = useCallback(
    (patch: Partial<ListFilters>) => {
      const next = { ...latest.current, ...patch };
      const query = paramsFromFilters(next).toString();
      latest.current = next;
      setFilters(next);
      if (query === address.current) return;
      address.current = query;
      written.current.push(query);
      setParams(new URLSearchParams(query), { replace: true });
    },
    [setParams],
  );
  return [filters, change];
}
