import { describe, expect, it } from 'vitest';
import { ChunkedCopy, copyLine, copyValue, textArrayLiteral } from '../../src/base/copy.js';

describe('COPY text encoding', () => {
  it('escapes backslash, tab and line breaks, and writes null as \\N', () => {
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(42)).toBe('42');
    expect(copyLine(['x', null, 3])).toBe('x\t\\N\t3\n');
  });

  it('quotes every array element and escapes quotes and backslashes inside', () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(textArrayLiteral(['', 'NULL', 'a"b', 'c\\d', 'x,y'])).toBe('{"","NULL","a\\"b","c\\\\d","x,y"}');
  });
});

describe('ChunkedCopy', () => {
  /**
   * A send that records each chunk and can be held open, to see what runs while a chunk is in flight; it says
   * a chunk is on its way as it starts it, unless told to wait for `handOver()`.
   */
  function recorder() {
    const chunks: string[] = [];
    const events: string[] = [];
    let release: (() => void) | null = null;
    let hold = false;
    let handOverLater = false;
    let handOver: (() => void) | null = null;
    const send = (text: string, sent: () => void) => {
      chunks.push(text);
      events.push(`start ${chunks.length}`);
      if (handOverLater) handOver = sent;
      else sent();
      if (!hold) return Promise.resolve().then(() => void events.push(`done ${chunks.length}`));
      const n = chunks.length;
      return new Promise<void>((resolve) => {
        release = () => {
          events.push(`done ${n}`);
          resolve();
        };
      });
    };
    return {
      chunks,
      events,
      send,
      holdNext: () => (hold = true),
      release: () => release?.(),
      handOverLater: () => (handOverLater = true),
      handOver: () => handOver?.(),
    };
  }

  it('says when a chunk is full, by characters or by lines, and sends nothing empty', async () => {
    const r = recorder();
    const byChars = new ChunkedCopy(r.send, { maxChars: 6 });
    expect(byChars.add('ab\n')).toBe(false);
    expect(byChars.add('cd\n')).toBe(true);
    expect(byChars.full).toBe(true);
    await byChars.flush();
    expect(byChars.full).toBe(false);
    await byChars.flush();
    byChars.add('e\n');
    await byChars.end();
    expect(r.chunks).toEqual(['ab\ncd\n', 'e\n']);

    const byLines = new ChunkedCopy(r.send, { maxLines: 2 });
    expect(byLines.add('a\n')).toBe(false);
    expect(byLines.add('b\n')).toBe(true);
  });

  it('waits for each chunk unless told to overlap, and then keeps one chunk in flight', async () => {
    const serial = recorder();
    serial.holdNext();
    const copy = new ChunkedCopy(serial.send);
    copy.add('1\n');
    let flushed = false;
    const flushing = copy.flush().then(() => (flushed = true));
    await Promise.resolve();
    expect(flushed).toBe(false); // still sending
    serial.release();
    await flushing;

    const overlapped = recorder();
    overlapped.holdNext();
    const pipe = new ChunkedCopy(overlapped.send, { overlap: true });
    pipe.add('1\n');
    await pipe.flush(); // returns once chunk 1 has started
    pipe.add('2\n');
    const second = pipe.flush();
    await Promise.resolve();
    expect(overlapped.events).toEqual(['start 1']); // chunk 2 waits for chunk 1
    overlapped.release();
    await second;
    overlapped.release();
    await pipe.end();
    expect(overlapped.events).toEqual(['start 1', 'done 1', 'start 2', 'done 2']);
  });

  it('with overlap, returns once the chunk is on its way, or stored if it never says so', async () => {
    const r = recorder();
    r.holdNext();
    r.handOverLater();
    const pipe = new ChunkedCopy(r.send, { overlap: true });
    pipe.add('1\n');
    let returned = false;
    const flushing = pipe.flush().then(() => (returned = true));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(returned).toBe(false); // the chunk has started but is not on its way yet
    r.handOver();
    await flushing;
    expect(r.events).toEqual(['start 1']); // on its way, not yet stored

    // A send that never calls `sent`: the flush returns once the chunk is stored.
    const silent = new ChunkedCopy(() => Promise.resolve(), { overlap: true });
    silent.add('x\n');
    await silent.flush();
    r.release();
    await pipe.end();
  });

  it('rethrows a failed chunk at the next flush, and settled() ignores it', async () => {
    const failing = new ChunkedCopy(() => Promise.reject(new Error('disk full')), { overlap: true });
    failing.add('x\n');
    await failing.flush();
    await failing.settled();
    failing.add('y\n');
    await expect(failing.flush()).rejects.toThrow('disk full');
    await expect(failing.end()).rejects.toThrow('disk full');
  });
});
