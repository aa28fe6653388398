import { describe, expect, it } from 'vitest';
import { formatMs, parseDuration, parseFraction, parseRate, parseSize } from './units.js';

describe('units', () => {
  it('parses durations to ms', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('250us')).toBe(0.25);
    expect(parseDuration('fast')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });
  it('parses rates to events per second', () => {
    expect(parseRate('500/s')).toBe(500);
    expect(parseRate('5k/s')).toBe(5000);
    expect(parseRate('1.5k/s')).toBe(1500);
    expect(parseRate('120/m')).toBe(2);
    expect(parseRate('0/s')).toBeUndefined();
    expect(parseRate('lots')).toBeUndefined();
  });
  it('parses sizes to bytes', () => {
    expect(parseSize('200B')).toBe(200);
    expect(parseSize('1KiB')).toBe(1024);
    expect(parseSize('4kB')).toBe(4000);
    expect(parseSize('1MiB')).toBe(1048576);
    expect(parseSize('big')).toBeUndefined();
  });
  it('parses fractions and percentages', () => {
    expect(parseFraction('1%')).toBe(0.01);
    expect(parseFraction(0.25)).toBe(0.25);
    expect(parseFraction('150%')).toBeUndefined();
    expect(parseFraction(2)).toBeUndefined();
  });
  it('formats milliseconds for people', () => {
    expect(formatMs(0.25)).toBe('250µs');
    expect(formatMs(12.3)).toBe('12ms');
    expect(formatMs(1500)).toBe('1.50s');
  });
});
