import { describe, expect, it } from 'vitest';
import { CSV_LINE_END, csvCell, csvRow } from './csv-rules.js';

describe('csvCell', () => {
  it('writes null as an empty cell and a number as its digits', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(1500)).toBe('1500');
    expect(csvCell(0)).toBe('0');
  });

  it('leaves plain text unquoted, an empty string empty, spaces as they are', () => {
    expect(csvCell('Deep work')).toBe('Deep work');
    expect(csvCell('')).toBe('');
    expect(csvCell(' padded ')).toBe(' padded ');
    expect(csvCell("it's")).toBe("it's");
  });

  it('quotes a cell holding a comma, a quote, a carriage return or a line feed, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('"')).toBe('""""');
    expect(csvCell('line\rnext')).toBe('"line\rnext"');
    expect(csvCell('line\nnext')).toBe('"line\nnext"');
    expect(csvCell('line\r\nnext')).toBe('"line\r\nnext"');
  });

  it.each(['=', '+', '-', '@', '\t'])('puts a quote mark before a cell starting with %j', (start) => {
    expect(csvCell(`${start}SUM(A1:A9)`)).toBe(`'${start}SUM(A1:A9)`);
    expect(csvCell(start)).toBe(`'${start}`);
  });

  it('guards a cell starting with a carriage return, then quotes it for the line break', () => {
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('guards and quotes a formula that also holds a comma or a quote', () => {
    expect(csvCell('=HYPERLINK("http://x",1)')).toBe(`"'=HYPERLINK(""http://x"",1)"`);
  });

  it('guards only the first character: the same characters later in the cell, or after a space, stay as they are', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('x-1')).toBe('x-1');
    expect(csvCell('mail@example.com')).toBe('mail@example.com');
    expect(csvCell('a\tb')).toBe('a\tb');
    expect(csvCell(' =1')).toBe(' =1');
    expect(csvCell("'=1")).toBe("'=1");
  });

  it('never guards a line feed start (it is not a formula start), only quotes it', () => {
    expect(csvCell('\n=1')).toBe('"\n=1"');
  });
});

describe('csvRow', () => {
  it('joins the cells with commas and ends with CRLF', () => {
    expect(CSV_LINE_END).toBe('\r\n');
    expect(csvRow([1, 'completed', null, '=x', 'a,b'])).toBe(`1,completed,,'=x,"a,b"\r\n`);
  });

  it('writes a row of one empty cell as an empty line', () => {
    expect(csvRow([null])).toBe('\r\n');
  });
});
