import { describe, expect, it } from 'vitest';
import { ConfigReader } from '../../shared/config.js';

const S = { flag: 'some-setting', env: 'INFERTRACE_SOME_SETTING' };
const read = <T>(text: string | undefined, get: (r: ConfigReader) => T): { value: T; problems: string[] } => {
  const r = new ConfigReader({}, text === undefined ? {} : { [S.env]: text });
  return { value: get(r), problems: r.problems };
};

describe('ConfigReader.duration', () => {
  it.each([
    [undefined, {}, 42],
    ['30s', {}, 30_000],
    ['0', {}, 0],
    ['250', {}, 250],
    ['7d', { min: 1000 }, 7 * 86_400_000],
  ])('reads %j (range %j) as %i', (text, range, ms) => {
    expect(read(text, (r) => r.duration(S, 42, range))).toEqual({ value: ms, problems: [] });
  });

  it.each([
    ['soon', {}, 'must be a duration, such as 500ms, 30s, 5m or 7d; got "soon"'],
    ['10ms', { min: 1000 }, 'must be a duration of at least 1s, such as'],
    ['500us', { min: 1 }, 'must be a duration of at least 1ms, such as'],
  ])('refuses %j (range %j), naming flag and variable', (text, range, message) => {
    const { value, problems } = read(text, (r) => r.duration(S, undefined, range));
    expect(value).toBeUndefined();
    expect(problems).toEqual([expect.stringContaining(`--some-setting / INFERTRACE_SOME_SETTING ${message}`)]);
  });
});

describe('ConfigReader.byteSize', () => {
  it.each([
    [undefined, {}, 7],
    ['64MiB', { min: 1024 }, 64 * 1024 ** 2],
    ['1GiB', { min: 1, max: 1024 ** 3 }, 1024 ** 3],
  ])('reads %j (range %j) as %i', (text, range, bytes) => {
    expect(read(text, (r) => r.byteSize(S, 7, range))).toEqual({ value: bytes, problems: [] });
  });

  it.each([
    ['huge', {}, 'must be a size, such as 512KiB, 64MiB or 16GB'],
    ['10', { min: 1024 }, 'must be a size of at least 1KiB, such as'],
    ['2GiB', { min: 1, max: 1024 ** 3 }, 'must be a size from 1 byte to 1GiB, such as'],
  ])('refuses %j (range %j), naming flag and variable', (text, range, message) => {
    const { value, problems } = read(text, (r) => r.byteSize(S, undefined, range));
    expect(value).toBeUndefined();
    expect(problems).toEqual([expect.stringContaining(`--some-setting / INFERTRACE_SOME_SETTING ${message}`)]);
  });
});
