import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads the header and rows, ignoring the trailing newline', () => {
    expect(parseCsv('participant_id,arm_id,arm_name\np1,arm_a,control\np2,arm_b,nudge\n')).toEqual({
      header: ['participant_id', 'arm_id', 'arm_name'],
      rows: [
        ['p1', 'arm_a', 'control'],
        ['p2', 'arm_b', 'nudge'],
      ],
    });
  });

  it('keeps commas, quotes and line breaks inside quoted fields, and CRLF line ends', () => {
    const t = parseCsv('id,city\r\np1,"Nairobi, KE"\r\np2,"say ""hi"""\r\np3,"two\nlines"\r\n');
    expect(t.rows).toEqual([
      ['p1', 'Nairobi, KE'],
      ['p2', 'say "hi"'],
      ['p3', 'two\nlines'],
    ]);
  });

  it('an empty file or only a header has no rows', () => {
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
    expect(parseCsv('a,b\n').rows).toEqual([]);
    expect(parseCsv('a,b\np1,').rows).toEqual([['p1', '']]);
  });
});
