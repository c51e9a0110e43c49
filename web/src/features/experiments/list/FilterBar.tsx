/**
 * Search and filters above the experiments table. The search asks the server once typing pauses, or at
 * once on Enter; the selects apply as soon as they change. Everything is a labelled native control, so the
 * bar works with Tab, arrows and Enter alone.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '../../../ui/Button.tsx';
import { SelectField, TextField } from '../../../ui/Field.tsx';
import type { DatasourceSummary } from '../api-types.ts';
import { DEFAULT_FILTERS, isFiltered, SEARCH_MAX_LENGTH, STATUS_CHOICES, TYPE_CHOICES, type ListFilters } from './list-filters.ts';

/** Long enough not to ask the server per key press, short enough to feel live. */
export const SEARCH_DEBOUNCE_MS = 300;

export function FilterBar({
  filters,
  onChange,
  datasources,
}: {
  filters: ListFilters;
  onChange: (change: Partial<ListFilters>) => void;
  datasources: readonly DatasourceSummary[];
}) {
  const [text, setText] = useState(filters.search);
  // What the search box last sent, so a search set from outside (Back, Clear filters) refills the box
  // without the box's own pending text being overwritten by an older answer.
  const sent = useRef(filters.search);
  useEffect(() => {
    if (filters.search !== sent.current) {
      sent.current = filters.search;
      setText(filters.search);
    }
  }, [filters.search]);

  const submit = (value: string) => {
    const search = value.trim();
    if (search === sent.current) return;
    sent.current = search;
    onChange({ search });
  };
  useEffect(() => {
    const timer = setTimeout(() => submit(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // Only the text restarts the timer; `submit` is rebuilt every render but reads nothing stale.
  }, [text]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(text);
  };

  const datasourceOptions = [{ value: '', label: 'Every datasource' }, ...datasources.map((d) => ({ value: d.id, label: d.name }))];
  // A link may name a datasource that is gone (or of another organization): keep it visible so it can be cleared.
  if (filters.datasource && !datasources.some((d) => d.id === filters.datasource)) datasourceOptions.push({ value: filters.datasource, label: filters.datasource });

  return (
    <div className="xl-filters">
      <form role="search" aria-label="Experiments" className="xl-search" onSubmit={onSubmit}>
        <TextField
          label="Search"
          type="search"
          value={text}
          maxLength={SEARCH_MAX_LENGTH}
          placeholder="Name or description"
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
        />
      </form>
      <SelectField
        label="Status"
        value={filters.status}
        options={STATUS_CHOICES.map(({ value, label }) => ({ value, label }))}
        onChange={(e) => onChange({ status: e.target.value as ListFilters['status'] })}
      />
      <SelectField label="Type" value={filters.type} options={TYPE_CHOICES.map(({ value, label }) => ({ value, label }))} onChange={(e) => onChange({ type: e.target.value as ListFilters['type'] })} />
      {(datasources.length > 1 || filters.datasource) && (
        <SelectField label="Datasource" value={filters.datasource} options={datasourceOptions} onChange={(e) => onChange({ datasource: e.target.value })} />
      )}
      <div className="xl-clear">
        <Button
          size="small"
          variant="ghost"
          disabled={!isFiltered(filters) && !text.trim()}
          onClick={() => {
            sent.current = '';
            setText('');
            onChange(DEFAULT_FILTERS);
          }}
        >
          Clear filters
        </Button>
      </div>
    </div>
  );
}
