/**
 * Whether participants are named by a participant type or by a table and its unique id column: one radio
 * group, one Tab stop. The A/B participants step and the warehouse bandit's datasource step share it; each
 * says what its own choice offers.
 */
import type { Source } from './state.ts';

export function SourceModeChoice({ mode, onChange, notes }: { mode: Source['mode']; onChange: (mode: Source['mode']) => void; notes: Readonly<Record<Source['mode'], string>> }) {
  return (
    <fieldset className="fieldset">
      <legend>Participants are described by</legend>
      <div className="choice-list">
        <label className="radio-row">
          <input type="radio" name="source-mode" checked={mode === 'participant_type'} onChange={() => onChange('participant_type')} />
          <span>
            A participant type <span className="muted small">— {notes.participant_type}</span>
          </span>
        </label>
        <label className="radio-row">
          <input type="radio" name="source-mode" checked={mode === 'table'} onChange={() => onChange('table')} />
          <span>
            A table and its unique id column <span className="muted small">— {notes.table}</span>
          </span>
        </label>
      </div>
    </fieldset>
  );
}
