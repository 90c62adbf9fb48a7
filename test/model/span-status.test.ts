import { describe, expect, it } from 'vitest';
import { isErrorStatus, isErrorStatusFor } from '../../src/model/span-status.js';

describe('isErrorStatus (OTel and gRPC status semantics)', () => {
  it('reads OTel span status: ERROR fails, OK / UNSET / empty do not', () => {
    expect(['error', 'ERROR', 'STATUS_CODE_ERROR', 'timeout'].map((s) => isErrorStatus(s))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['ok', 'OK', 'STATUS_CODE_OK', 'unset', 'STATUS_CODE_UNSET', '', '  '].map((s) => isErrorStatus(s))).toEqual(
      [false, false, false, false, false, false, false],
    );
    expect([null, undefined].map((s) => isErrorStatus(s))).toEqual([false, false]);
  });

  it("reads an exported `error` tag's value: true fails, false does not", () => {
    expect(['true', 'TRUE', 'True'].map((s) => isErrorStatus(s))).toEqual([true, true, true]);
    expect(isErrorStatus('false')).toBe(false);
  });

  it('reads HTTP codes: 5xx fails; 4xx fails on client spans only', () => {
    expect(['200', '204', '302', '404', '429', '499'].map((s) => isErrorStatus(s))).toEqual(Array(6).fill(false));
    expect(['500', '502', '503', '504', 503].map((s) => isErrorStatus(s))).toEqual(Array(5).fill(true));
    expect(isErrorStatusFor('404', 'client')).toBe(true);
    expect(isErrorStatusFor('200', 'client')).toBe(false);
  });

  it('reads gRPC codes by number and by name as OTel does for server spans', () => {
    const failing = ['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS'];
    const fine = [
      'OK',
      'CANCELLED',
      'INVALID_ARGUMENT',
      'NOT_FOUND',
      'ALREADY_EXISTS',
      'PERMISSION_DENIED',
      'RESOURCE_EXHAUSTED',
      'FAILED_PRECONDITION',
      'ABORTED',
      'OUT_OF_RANGE',
      'UNAUTHENTICATED',
    ];
    expect(failing.map((s) => isErrorStatus(s))).toEqual(Array(failing.length).fill(true));
    expect(fine.map((s) => isErrorStatus(s))).toEqual(Array(fine.length).fill(false));
    expect(['2', '4', '12', '13', '14', '15', 14].map((s) => isErrorStatus(s))).toEqual(Array(7).fill(true));
    expect(['0', '1', '3', '5', '16', 0].map((s) => isErrorStatus(s))).toEqual(Array(6).fill(false));
    // Any case, spaces, and the usual prefixes.
    expect(
      ['unavailable', 'Deadline Exceeded', 'StatusCode.INTERNAL', 'data-loss'].map((s) => isErrorStatus(s)),
    ).toEqual([true, true, true, true]);
  });

  it('on client spans every gRPC code but OK fails', () => {
    expect(isErrorStatusFor('NOT_FOUND', 'client')).toBe(true);
    expect(isErrorStatusFor('CANCELLED', 'client')).toBe(true);
    expect(isErrorStatusFor('OK', 'client')).toBe(false);
    expect(isErrorStatusFor('0', 'client')).toBe(false);
  });

  it('other text fails only when it says so', () => {
    expect(['exception', 'request failed', 'fault'].map((s) => isErrorStatus(s))).toEqual([true, true, true]);
    expect(['success', 'done', '700'].map((s) => isErrorStatus(s))).toEqual([false, false, false]);
  });
});
