import { describe, expect, it } from 'vitest';
import { apiQuery, countLine, DEFAULT_FILTERS, filtersFromParams, isFiltered, paramsFromFilters } from './list-filters.ts';

describe('list filters in the address', () => {
  it('round-trips every filter, leaving defaults out', () => {
    const filters = { search: '50% off', status: 'drafts', type: 'bandits', datasource: 'ds_1' } as const;
    const query = paramsFromFilters(filters).toString();
    expect(query).toBe('q=50%25+off&status=drafts&type=bandits&ds=ds_1');
    expect(filtersFromParams(new URLSearchParams(query))).toEqual(filters);
    expect(paramsFromFilters(DEFAULT_FILTERS).toString()).toBe('');
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTERS, status: 'all' })).toBe(true);
  });

  it('reads unknown or edited values as the default, and trims the search', () => {
    expect(filtersFromParams(new URLSearchParams('status=running&type=abtest&q=%20%20reminder%20'))).toEqual({ ...DEFAULT_FILTERS, search: 'reminder' });
    expect(filtersFromParams(new URLSearchParams(`q=${'x'.repeat(150)}`)).search).toHaveLength(100);
  });
});

describe('apiQuery', () => {
  it('asks for drafts and committed of every type by default', () => {
    expect(apiQuery(DEFAULT_FILTERS, 20)).toEqual({ page_size: 20, page_token: undefined, state: ['assigned', 'committed'], experiment_type: [], search: undefined, datasource_id: undefined });
  });

  it('turns choices into the API states and types', () => {
    expect(apiQuery({ search: 'nudge', status: 'all', type: 'bandits', datasource: 'ds_2' }, 5, 'tok')).toEqual({
      page_size: 5,
      page_token: 'tok',
      state: ['assigned', 'committed', 'abandoned'],
      experiment_type: ['mab_online', 'mab_online_dwh', 'cmab_online'],
      search: 'nudge',
      datasource_id: 'ds_2',
    });
    expect(apiQuery({ ...DEFAULT_FILTERS, status: 'abandoned', type: 'freq_online' }, 20)).toMatchObject({ state: ['abandoned'], experiment_type: ['freq_online'] });
  });
});

describe('countLine', () => {
  it('says how many match, which ones this page shows, and that abandoned drafts are hidden by default', () => {
    expect(countLine(DEFAULT_FILTERS, 3, 0, 3)).toBe('3 experiments, drafts and committed; abandoned drafts are not listed.');
    expect(countLine(DEFAULT_FILTERS, 25, 20, 5)).toBe('25 experiments, drafts and committed; abandoned drafts are not listed. Showing 21–25.');
    expect(countLine({ ...DEFAULT_FILTERS, search: 'x' }, 1, 0, 1)).toBe('1 experiment matches the filters.');
    expect(countLine({ ...DEFAULT_FILTERS, type: 'bandits' }, 1234, 0, 20)).toBe('1,234 experiments match the filters. Showing 1–20.');
  });
});
